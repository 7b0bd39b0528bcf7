// media.test.mjs - a call from the real widget to a real phone through the
// SIP bridge: headless Chromium (a fake microphone playing a 440 Hz tone) on
// a page with the widget dials a number that --sip-route sends to baresip
// (the PBX's phone, answering at once and playing a 1 kHz tone) through
// Janus, which the edge drives with --sip-gateway. Asserted at both ends:
// the widget shows CONNECTED and its getStats counts inbound audio, baresip
// recorded audio that is not silence (RMS), also in the edge's own
// recording of both legs (--record-calls), the keypad's digits 123#*0
// reach baresip in order (its control port reports each) as RFC 4733
// telephone-events played by the browser's RTCDTMFSender when the server
// asks (dtmf.play), and as SIP INFO when the edge is told so (--sip-dtmf
// info: the browser then plays nothing); hanging up in the browser ends
// baresip's call, and baresip hanging up ends the widget's call with
// far_end_hangup. A busy, a declining, a never-answering and a failing
// (503) phone (sipp) end the widget's call with the reason in words. Run only through
// tests/sip/run.sh (its own network namespace, see there).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, newContext, startEdge, waitFor } from '../browser/harness.mjs';
import { customerPage, sel, waitPackets, waitStatus } from '../e2e/parties.mjs';
import {
  NET_IP, startJanus, startPhone, startSipp, toneWav, wavRms,
} from './phone.mjs';

const T = 15000;
const NUMBER = '+1 555 0100'; // +15550100: routed to the phone below
const KEYS = ['1', '2', '3', '#', '*', '0'];

let dir;
let janus;
let phone;
let edge;
let browser;

function edgeArgs(extra = []) {
  return ['--sip-gateway', janus.url, '--sip-route', `+1555=sip:{number}@${NET_IP}:5070`, ...extra];
}

before(async () => {
  assert.equal(process.env.C2C_SIP_NETNS, '1', 'run through tests/sip/run.sh (its own netns)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2c-sip-'));
  const browserTone = toneWav(path.join(dir, 'browser.wav'), { freq: 440 });
  const phoneTone = toneWav(path.join(dir, 'phone.wav'), { freq: 1000 });
  janus = await startJanus();
  phone = await startPhone(path.join(dir, 'phone'), { user: '15550100', tone: phoneTone });
  edge = await startEdge({ args: edgeArgs(['--record-calls']) });
  browser = await launchBrowser({
    media: true,
    extraArgs: ['--allow-loopback-in-peer-connection', `--use-file-for-fake-audio-capture=${browserTone}`],
  });
});

after(async () => {
  await browser?.close();
  await edge?.stop(); // stopped already by the last test, unless it failed
  await phone?.stop();
  await janus?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Every page records its peer connections (getStats), the tones its
// RTCDTMFSenders really played, and the c2c:ended reasons.
function pageHooks() {
  window.__pcs = [];
  window.__tones = '';
  window.__ended = [];
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
    }
  };
  const insert = RTCDTMFSender.prototype.insertDTMF;
  RTCDTMFSender.prototype.insertDTMF = function insertDTMF(...args) {
    if (!this.__heard) {
      this.__heard = true;
      this.addEventListener('tonechange', (e) => { if (e.tone) window.__tones += e.tone; });
    }
    return insert.apply(this, args);
  };
  document.addEventListener('c2c:ended', (e) => window.__ended.push(e.detail.reason));
}

// A customer page whose widget has dialled number.
async function dialOnly(sub, on, number) {
  const ctx = await newContext(browser);
  await ctx.addInitScript(pageHooks);
  const { page } = await customerPage(browser, on, { sub, mode: 'call', attrs: `data-number="${number}"`, ctx });
  page.setDefaultTimeout(T);
  await page.click(sel('launcher'));
  await page.click(sel('dial'));
  return { page, ctx };
}

// A customer page that dials the phone, once the phone answered and the
// widget says CONNECTED. Returns the page and where the phone's events of
// this call start.
async function dial(sub, on = edge) {
  const from = phone.ctrl.events.length;
  const { page, ctx } = await dialOnly(sub, on, NUMBER);
  await phone.ctrl.waitEvent('CALL_ESTABLISHED', { from, timeout: T });
  await waitStatus(page, 'connected');
  assert.equal(await page.locator(sel('status')).textContent(), 'Connected to +15550100');
  return { page, ctx, from };
}

async function pressKeys(page) {
  await page.click(sel('key-1'));
  await page.click(sel('key-2'));
  await page.locator(sel('key-3')).focus();
  for (const k of KEYS.slice(2)) await page.keyboard.press(k);
}

async function digitsAtPhone(from) {
  await waitFor(() => phone.ctrl.digits(from) === KEYS.join(''),
    { timeout: T, interval: 100, message: `digits at the phone (so far "${phone.ctrl.digits(from)}")` });
}

test('audio both ways, the keypad as RFC 4733, hang-up from the browser', async () => {
  const { page, ctx, from } = await dial('sip-alice');
  await waitPackets(page, 'audio', 'the customer');

  await pressKeys(page);
  await digitsAtPhone(from);
  // In-band: the browser's own RTCDTMFSender played them, in order.
  await waitFor(() => page.evaluate(() => window.__tones === '123#*0'),
    { timeout: T, message: 'tones played by the browser' });

  // Let the phone record a little more of the browser's tone, then hang up.
  await new Promise((r) => setTimeout(r, 1000));
  await page.click(sel('hangup'));
  await waitStatus(page, 'ended');
  await phone.ctrl.waitEvent('CALL_CLOSED', { from, timeout: 3000 });
  assert.equal(await page.locator(sel('status')).textContent(), 'You ended the conversation');

  const rec = phone.recordings().at(-1);
  assert.ok(rec, 'baresip recorded the call');
  const { rms, seconds } = wavRms(rec);
  assert.ok(seconds > 1, `recording of ${seconds.toFixed(2)} s`);
  assert.ok(rms > 300, `recording RMS ${rms.toFixed(0)} is silence`);

  // --record-calls: the edge's own recording of the call, both legs in one
  // WAV (the browser's 440 Hz and the phone's 1000 Hz tones), for supervisors
  const cid = await onlyRecording();
  const sup = await (await fetch(`${edge.url}/demo/token?sub=sip-boss&role=supervisor`)).json();
  const res = await fetch(`${edge.url}/api/recordings/${cid}`,
    { headers: { Authorization: `Bearer ${sup.token}` } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'audio/wav');
  const file = path.join(dir, 'edge-recording.wav');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const both = wavRms(file);
  assert.ok(both.seconds > 1, `edge recording of ${both.seconds.toFixed(2)} s`);
  assert.ok(both.rms > 300, `edge recording RMS ${both.rms.toFixed(0)} is silence`);
  // each leg's tone is there (measured: 440 Hz ~380, 1 kHz ~2000), well above a frequency
  // neither plays
  const level = toneLevels(file, [440, 1000, 2500]);
  const floor = Math.max(100, 10 * level[2500]);
  assert.ok(level[440] > floor, `the browser's leg: ${JSON.stringify(level)}`);
  assert.ok(level[1000] > floor, `the phone's leg: ${JSON.stringify(level)}`);
  assert.deepEqual(fs.readdirSync(path.join(edge.dataDir, 'recordings', 'raw')), []);
  await ctx.close();
});

// The magnitude of each frequency (Hz) in a 16-bit mono WAV (Goertzel over
// the whole data chunk).
function toneLevels(file, freqs) {
  const buf = fs.readFileSync(file);
  const rate = buf.readUInt32LE(24);
  const at = buf.indexOf('data', 12, 'latin1') + 8;
  const n = Math.floor((buf.length - at) / 2);
  const out = {};
  for (const f of freqs) {
    const k = 2 * Math.cos((2 * Math.PI * f) / rate);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const s0 = buf.readInt16LE(at + 2 * i) + k * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    out[f] = Math.round(Math.sqrt(s1 * s1 + s2 * s2 - k * s1 * s2) / n);
  }
  return out;
}

// The one call recording the edge has made so far, once converted: its ContactId.
async function onlyRecording() {
  const recDir = path.join(edge.dataDir, 'recordings');
  await waitFor(() => fs.readdirSync(recDir).some((f) => f.endsWith('.wav')) &&
    fs.readdirSync(path.join(recDir, 'raw')).length === 0,
  { timeout: T, interval: 100, message: 'the edge to convert the recording' });
  const wavs = fs.readdirSync(recDir).filter((f) => f.endsWith('.wav'));
  assert.equal(wavs.length, 1, wavs.join(' '));
  return wavs[0].replace(/\.wav$/, '');
}

test('the phone hangs up: the widget ends with far_end_hangup', async () => {
  const { page, ctx, from } = await dial('sip-bob');
  await waitPackets(page, 'audio', 'the customer');
  const r = await phone.ctrl.command('hangup');
  assert.equal(r.ok, true, JSON.stringify(r));
  await phone.ctrl.waitEvent('CALL_CLOSED', { from, timeout: 3000 });
  await waitStatus(page, 'ended');
  assert.equal(await page.locator(sel('status')).textContent(), 'The other side hung up');
  assert.deepEqual(await page.evaluate(() => window.__ended), ['far_end_hangup']);
  await ctx.close();
});

test('the keypad as SIP INFO (--sip-dtmf info): in order, nothing played in-band', async () => {
  const infoEdge = await startEdge({ args: edgeArgs(['--sip-dtmf', 'info']) });
  try {
    const { page, ctx, from } = await dial('sip-carol', infoEdge);
    await pressKeys(page);
    await digitsAtPhone(from);
    assert.equal(await page.evaluate(() => window.__tones), '');
    await page.click(sel('hangup'));
    await phone.ctrl.waitEvent('CALL_CLOSED', { from, timeout: 3000 });
    await ctx.close();
  } finally {
    await infoEdge.stop();
  }
});

test('busy, declined, no answer, failed: the widget says why, in words', async () => {
  const phones = {};
  for (const s of ['busy', 'decline', 'ring_forever', 'unavailable']) phones[s] = await startSipp(s);
  // One prefix per phone; an unanswered call ends after a second.
  const endsEdge = await startEdge({
    args: ['--sip-gateway', janus.url, '--sip-answer-timeout-s', '1',
      '--sip-route', `+1556=${phones.busy.uri}`, '--sip-route', `+1557=${phones.decline.uri}`,
      '--sip-route', `+1558=${phones.ring_forever.uri}`, '--sip-route', `+1559=${phones.unavailable.uri}`],
  });
  try {
    const cases = [
      ['+1 556 0100', 'busy', 'The line is busy'],
      ['+1 557 0100', 'declined', 'The call was declined'],
      ['+1 558 0100', 'no_answer', 'Nobody answered'],
      ['+1 559 0100', 'failed', 'The call could not be connected (SIP 503)'],
    ];
    for (const [number, reason, words] of cases) {
      const { page, ctx } = await dialOnly(`sip-end-${reason}`, endsEdge, number);
      await waitStatus(page, 'ended');
      assert.equal(await page.locator(sel('status')).textContent(), words);
      assert.deepEqual(await page.evaluate(() => window.__ended), [reason]);
      // The microphone and the peer were released with the call.
      assert.equal(await page.evaluate(() => window.__pcs.every((pc) => pc.connectionState === 'closed')), true);
      await ctx.close();
    }
  } finally {
    await endsEdge.stop();
    for (const p of Object.values(phones)) await p.stop();
  }
});

test('the edge stops cleanly after the bridged calls (exit 0; clean under ASan)', async () => {
  await browser.close();
  browser = null;
  const code = await edge.stop();
  assert.equal(code, 0, edge.stderr().slice(-3000));
  assert.doesNotMatch(edge.stderr(), /Sanitizer|runtime error/);
});
