// phone.mjs - the far side of the SIP bridge tests: the Janus media gateway
// and a baresip user agent playing the PBX phone, each a real process with a
// generated configuration in a temp dir, plus the tone files they play and
// a reader for what baresip recorded. ES module for node 20 and node:test.
//
// Run only inside tests/sip/run.sh's namespace: there the veth end v0 holds
// NET_IP (198.51.100.1) and the default route, so Janus gathers its ICE
// candidates on v0 (ice_enforce_list) and baresip takes v0's address for
// SIP and RTP; Janus's HTTP API listens on 127.0.0.1 only. baresip's fixed
// ports are fine: nothing else runs in the namespace.
//
//   toneWav(file, {freq, seconds, rate, amplitude}) writes a 16-bit mono PCM
//     WAV of a sine tone (the browser's fake microphone, baresip's source).
//   wavRms(file) -> {rms, seconds}: RMS of a 16-bit PCM WAV's samples
//     (full scale 32767), over every channel.
//   startJanus() -> {url, stop()}: Janus as the integration tests start it
//     (sipnet.Janus through serve.py: only its SIP plugin and HTTP
//     transport, on a free port), resolved once /janus/info answers.
//   startSipp(scenario) -> {uri, stop()}: a sipp phone playing one of
//     sipnet's scenarios (busy, decline, ring_forever, ...) for one call;
//     uri is sip:{number}@NET_IP:PORT, for a --sip-route.
//   startPhone(dir, {user, sipPort, ctrlPort, tone}) -> phone: baresip with
//     one account sip:USER@NET_IP:sipPort that answers every call at once
//     (answermode=auto) in G.711 like a legacy PBX (baresip 1.0 with Opus
//     does not decode Chromium's telephone-event/8000 digits: it reports no
//     CALL_DTMF_START), plays `tone` as its microphone (aufile), records
//     what it receives under phone.recDir (sndfile: dump-*-dec.wav) and
//     reports events on its TCP control port (ctrl_tcp), which phone.ctrl
//     reads: ctrl.events (every event so far, each with `at`, the Date.now()
//     it arrived), ctrl.waitEvent(type, {from, timeout, pred}),
//     ctrl.digits() (the CALL_DTMF_START digits in order) and
//     ctrl.command(name, params) -> the response. phone.stop() ends it.
//   Every process started here is killed when node exits (and, whatever
//   happens, when run.sh's PID namespace ends).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../browser/harness.mjs';

export const NET_IP = '198.51.100.1';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const BARESIP_MODULES = '/usr/lib/baresip/modules';
const START_MS = 10000;

const children = new Set();
process.on('exit', () => {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* gone */ }
  }
});

// A child whose output is kept (for failures) and that is killed at exit.
function run(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let output = '';
  const keep = (b) => { output = (output + b.toString()).slice(-200000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.add(child);
  const exited = new Promise((resolve) => child.on('exit', (code, sig) => {
    children.delete(child);
    resolve(code ?? sig);
  }));
  return {
    child,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

// ---------------------------------------------------------------------------
// WAV files

export function toneWav(file, { freq = 440, seconds = 10, rate = 48000, amplitude = 8000 } = {}) {
  const n = Math.round(rate * seconds);
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    buf.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / rate)), 44 + i * 2);
  }
  fs.writeFileSync(file, buf);
  return file;
}

// The chunks of a RIFF/WAVE file: fmt for the layout, data for the samples.
export function wavRms(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error(`${file} is not a WAV file`);
  }
  let fmt = null;
  let data = null;
  for (let at = 12; at + 8 <= buf.length;) {
    const id = buf.toString('latin1', at, at + 4);
    let size = buf.readUInt32LE(at + 4);
    if (id === 'data' && (size === 0 || size === 0xffffffff || at + 8 + size > buf.length)) {
      size = buf.length - at - 8; // a file whose writer did not finish the header
    }
    if (id === 'fmt ') fmt = { channels: buf.readUInt16LE(at + 10), rate: buf.readUInt32LE(at + 12), bits: buf.readUInt16LE(at + 22) };
    if (id === 'data') data = buf.subarray(at + 8, at + 8 + size);
    at += 8 + size + (size & 1);
  }
  if (!fmt || !data || fmt.bits !== 16) throw new Error(`${file}: no 16-bit PCM data`);
  const samples = Math.floor(data.length / 2);
  let sum = 0;
  for (let i = 0; i < samples; i++) {
    const s = data.readInt16LE(i * 2);
    sum += s * s;
  }
  return { rms: samples ? Math.sqrt(sum / samples) : 0, seconds: samples / fmt.channels / fmt.rate };
}

// ---------------------------------------------------------------------------
// Janus and sipp: the integration tests' own bench (sipnet.py) through
// serve.py, which prints the part's URL or URI once it is up and stops it
// when its stdin closes.

async function serve(args, prefix) {
  const child = spawn('python3', [path.join(HERE, 'serve.py'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (b) => { err += b; });
  const exited = new Promise((resolve) => child.on('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  const line = await new Promise((resolve, reject) => {
    child.stdout.on('data', (b) => {
      out += b;
      const found = out.split('\n').find((l) => l.startsWith(prefix));
      if (found) resolve(found.trim());
    });
    exited.then((code) => reject(new Error(`serve.py ${args.join(' ')} exited ${code}: ${err.slice(-3000)}`)));
    setTimeout(() => reject(new Error(`serve.py ${args.join(' ')} did not start in time`)), START_MS + 5000);
  });
  return {
    line,
    async stop() {
      child.stdin.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(t);
    },
  };
}

export async function startJanus() {
  const s = await serve(['janus'], 'http://');
  return { url: s.line, stop: s.stop };
}

export async function startSipp(scenario) {
  const s = await serve(['sipp', scenario], 'sip:');
  return { uri: s.line, stop: s.stop };
}

// ---------------------------------------------------------------------------
// baresip and its TCP control port (netstring-framed JSON)

export class Ctrl {
  constructor(port) {
    this.port = port;
    this.events = [];
    this.waiting = new Map(); // token -> resolve
    this.buf = Buffer.alloc(0);
    this.seq = 0;
  }

  async connect() {
    this.sock = await new Promise((resolve, reject) => {
      const s = net.connect(this.port, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    this.sock.on('data', (b) => this.feed(b));
    this.sock.on('error', () => {});
  }

  feed(b) {
    this.buf = Buffer.concat([this.buf, b]);
    for (;;) {
      const colon = this.buf.indexOf(':');
      if (colon < 0) return;
      const len = Number(this.buf.toString('latin1', 0, colon));
      if (this.buf.length < colon + 1 + len + 1) return;
      const text = this.buf.toString('utf8', colon + 1, colon + 1 + len);
      this.buf = this.buf.subarray(colon + 1 + len + 1);
      let msg;
      try { msg = JSON.parse(text); } catch { continue; }
      if (msg.event) this.events.push({ ...msg, at: Date.now() }); // when it arrived
      else if (msg.response && this.waiting.has(msg.token)) {
        this.waiting.get(msg.token)(msg);
        this.waiting.delete(msg.token);
      }
    }
  }

  command(name, params = '') {
    const token = `t${++this.seq}`;
    const text = JSON.stringify({ command: name, params, token });
    const done = new Promise((resolve) => this.waiting.set(token, resolve));
    this.sock.write(`${Buffer.byteLength(text)}:${text},`);
    return done;
  }

  waitEvent(type, { from = 0, timeout = 10000, pred = () => true } = {}) {
    return waitFor(() => this.events.slice(from).find((e) => e.type === type && pred(e)),
      { timeout, interval: 50, message: `baresip event ${type}` });
  }

  // The digits baresip heard (in-band telephone-events and SIP INFO alike),
  // in order, from event index `from` on.
  digits(from = 0) {
    return this.events.slice(from).filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param).join('');
  }

  close() {
    this.sock?.destroy();
  }
}

export async function startPhone(dir, { user = 'pbx', sipPort = 5070, ctrlPort = 4444, tone } = {}) {
  const recDir = path.join(dir, 'rec');
  fs.mkdirSync(recDir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config'), `poll_method epoll
sip_listen ${NET_IP}:${sipPort}
call_max_calls 64
audio_player alsa,null
audio_alert alsa,null
audio_source aufile,${tone}
ausrc_srate 48000
ausrc_channels 1
auplay_srate 48000
auplay_channels 1
module_path ${BARESIP_MODULES}
module opus.so
module g711.so
module aufile.so
module alsa.so
module sndfile.so
module_tmp account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:${ctrlPort}
snd_path ${recDir}
`);
  fs.writeFileSync(path.join(dir, 'accounts'), `<sip:${user}@${NET_IP}:${sipPort}>;regint=0;answermode=auto;audio_codecs=PCMU,PCMA\n`);
  const p = run('baresip', ['-f', dir]);
  const ctrl = new Ctrl(ctrlPort);
  await waitFor(async () => {
    if (p.child.exitCode !== null) throw new Error(`baresip exited:\n${p.output().slice(-3000)}`);
    try {
      await ctrl.connect();
      return true;
    } catch {
      return false;
    }
  }, { timeout: START_MS, interval: 100, message: 'baresip control port' });
  return {
    uri: `sip:${user}@${NET_IP}:${sipPort}`,
    ctrl,
    recDir,
    log: p.output,
    // What the phone received, recorded per call (newest last).
    recordings: () => fs.readdirSync(recDir).filter((f) => f.endsWith('-dec.wav'))
      .map((f) => path.join(recDir, f))
      .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs),
    async stop() {
      ctrl.close();
      await p.stop();
    },
  };
}
