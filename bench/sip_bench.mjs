// sip_bench.mjs - the SIP bridge's call setup time and how many bridged
// calls Janus carries here; run by bench/sip.sh inside the SIP tests'
// network namespace (tests/sip/netns.sh), never by the tests.
//
// The parts are the tests' own (tests/sip/phone.mjs, tests/browser): Janus
// with its SIP plugin, a baresip phone answering at once in G.711 and
// playing a tone, the edge with --sip-gateway and --sip-route, and the real
// widget in headless Chromium with a fake microphone playing a tone.
//
// Setup: CALLS calls one after another. Each is timed on one clock (the
// machine's: the page's Date.now() and node's are the same clock) at four
// points: the page's POST /api/dial leaves (a fetch hook; and its offer's
// POST /api/participant/signal, to tell the browser's part), the INVITE
// reaches the phone (baresip's CALL_REMOTE_SDP event), the phone answers
// 200 (CALL_LOCAL_SDP, the answer's SDP), and the widget says CONNECTED
// (c2c:state). Printed: median and p95 of dial -> INVITE and 200 ->
// CONNECTED.
//
// Concurrency: LEVELS calls at once (each its own page and caller), held for
// HOLD_S seconds; per level the calls connected, the audio each page
// received in the last HOLD_S (getStats inbound-rtp packets, lost, jitter),
// Janus's CPU and the whole machine's CPU. A level is clean when every call
// connected and every page received >= 90% of the 50 packets/s G.711 sends
// with < 1% loss; the run stops at the first level that is not.
//
// Output: one Markdown block on stdout.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, mintToken, newContext, startEdge, waitFor } from '../tests/browser/harness.mjs';
import { NET_IP, startJanus, startPhone, toneWav } from '../tests/sip/phone.mjs';

const CALLS = Number(process.env.CALLS || 20);
const LEVELS = (process.env.LEVELS || '1,2,4,8,12,16,24,32').split(',').map(Number);
const HOLD_S = Number(process.env.HOLD_S || 10);
const NUMBER = '+15550100';
const T = 20000;

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// Per page: when /api/dial left, when the widget said connected, the
// peer connections (getStats).
function hooks() {
  window.__pcs = [];
  window.__t = {};
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
    }
  };
  const originalFetch = window.fetch;
  window.fetch = function fetchHook(url, init, ...rest) {
    const u = String(url);
    if (u.endsWith('/dial') && !window.__t.dial) window.__t.dial = Date.now();
    if (u.endsWith('/signal') && String(init && init.body).includes('"Type":"offer"') && !window.__t.offer) {
      window.__t.offer = Date.now();
    }
    return originalFetch.call(this, url, init, ...rest);
  };
  document.addEventListener('c2c:state', (e) => {
    if (e.detail.state === 'connected' && !window.__t.connected) window.__t.connected = Date.now();
  });
}

function cpuTicks(statPath) {
  const f = fs.readFileSync(statPath, 'utf8');
  if (statPath === '/proc/stat') {
    const v = f.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { busy: v[0] + v[1] + v[2] + v[5] + v[6] + v[7], all: v.reduce((a, b) => a + b, 0) };
  }
  const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return { busy: Number(v[11]) + Number(v[12]) };
}

function janusStat() {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'janus') return `/proc/${pid}/stat`;
    } catch { /* gone */ }
  }
  throw new Error('no janus process');
}

async function audioStats(page) {
  return page.evaluate(async () => {
    const out = { received: 0, lost: 0, jitter: 0 };
    for (const pc of window.__pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          out.received += s.packetsReceived || 0;
          out.lost += s.packetsLost || 0;
          out.jitter = Math.max(out.jitter, s.jitter || 0);
        }
      });
    }
    return out;
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-sip-'));
  const janus = await startJanus();
  const phone = await startPhone(path.join(dir, 'phone'), {
    user: NUMBER.slice(1), tone: toneWav(path.join(dir, 'phone.wav'), { freq: 1000, seconds: 30 }),
  });
  const edge = await startEdge({
    args: ['--sip-gateway', janus.url, '--sip-route', `+1555=sip:{number}@${NET_IP}:5070`,
      '--limit-dials', '0'],
  });
  const browser = await launchBrowser({
    media: true,
    extraArgs: ['--allow-loopback-in-peer-connection',
      `--use-file-for-fake-audio-capture=${toneWav(path.join(dir, 'browser.wav'), { freq: 440, seconds: 30 })}`],
  });
  let seq = 0;

  // One caller's page with the widget, dialled; resolves when CONNECTED.
  async function call() {
    const sub = `bench-${++seq}`;
    const token = await mintToken(edge.url, { sub, name: sub, email: `${sub}@example.com` });
    const ctx = await newContext(browser);
    await ctx.addInitScript(hooks);
    const page = await ctx.newPage();
    page.setDefaultTimeout(T);
    const url = `${edge.url}/bench-${sub}.html`;
    await page.route(url, (route) => route.fulfill({
      status: 200, headers: { 'content-type': 'text/html; charset=utf-8' },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title>
        <script src="/c2c.js" defer></script></head><body>
        <div data-c2c data-token="${token}" data-mode="call" data-number="${NUMBER}"></div></body></html>`,
    }));
    await page.goto(url);
    await page.click('[data-c2c-part="launcher"]');
    await page.click('[data-c2c-part="dial"]');
    await waitFor(() => page.evaluate(() => window.__t.connected), { timeout: T, message: `${sub} connected` });
    return { page, ctx };
  }

  async function hangUp(c) {
    await c.page.click('[data-c2c-part="hangup"]').catch(() => {});
    await c.ctx.close();
  }

  // Setup time, one call after another.
  const invite = [];
  const offerInvite = [];
  const connect = [];
  for (let i = 0; i < CALLS; i++) {
    const from = phone.ctrl.events.length;
    const c = await call();
    const t = await c.page.evaluate(() => window.__t);
    const at = (type, param) => phone.ctrl.events.slice(from)
      .find((e) => e.type === type && e.param === param);
    const inv = await phone.ctrl.waitEvent('CALL_REMOTE_SDP', { from, pred: (e) => e.param === 'offer' });
    const ans = at('CALL_LOCAL_SDP', 'answer');
    invite.push(inv.at - t.dial);
    offerInvite.push(inv.at - t.offer);
    connect.push(t.connected - ans.at);
    await hangUp(c);
    await phone.ctrl.waitEvent('CALL_CLOSED', { from });
  }
  invite.sort((a, b) => a - b);
  offerInvite.sort((a, b) => a - b);
  connect.sort((a, b) => a - b);

  // Concurrent calls.
  const rows = [];
  const janusPath = janusStat();
  for (const n of LEVELS) {
    const results = await Promise.allSettled(Array.from({ length: n }, () => call()));
    const calls = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    await new Promise((r) => setTimeout(r, 2000)); // media settles
    const before = await Promise.all(calls.map((c) => audioStats(c.page)));
    const j0 = cpuTicks(janusPath);
    const m0 = cpuTicks('/proc/stat');
    await new Promise((r) => setTimeout(r, HOLD_S * 1000));
    const j1 = cpuTicks(janusPath);
    const m1 = cpuTicks('/proc/stat');
    const after = await Promise.all(calls.map((c) => audioStats(c.page)));
    const per = after.map((a, i) => ({
      rate: (a.received - before[i].received) / HOLD_S,
      loss: (a.lost - before[i].lost) / Math.max(1, a.received - before[i].received + a.lost - before[i].lost),
      jitter: a.jitter,
    }));
    const minRate = per.length ? Math.min(...per.map((p) => p.rate)) : 0;
    const maxLoss = per.length ? Math.max(...per.map((p) => p.loss)) : 1;
    const maxJitter = per.length ? Math.max(...per.map((p) => p.jitter)) : 0;
    const hz = 100; // USER_HZ
    const janusCpu = (100 * (j1.busy - j0.busy)) / hz / HOLD_S;
    const machineCpu = (100 * (m1.busy - m0.busy)) / (m1.all - m0.all);
    const clean = calls.length === n && minRate >= 45 && maxLoss < 0.01;
    rows.push(`| ${n} | ${calls.length} | ${minRate.toFixed(1)} | ${(100 * maxLoss).toFixed(2)} | `
      + `${(1000 * maxJitter).toFixed(1)} | ${janusCpu.toFixed(1)} | ${machineCpu.toFixed(0)} | ${clean ? 'yes' : '**no**'} |`);
    process.stderr.write(`bench: ${n} concurrent: ${rows.at(-1)}\n`);
    await Promise.all(calls.map(hangUp));
    await waitFor(() => phone.ctrl.events.filter((e) => e.type === 'CALL_CLOSED').length
      >= phone.ctrl.events.filter((e) => e.type === 'CALL_ESTABLISHED').length,
    { timeout: T, message: 'every call closed at the phone' });
    if (!clean) break;
  }

  const date = new Date().toISOString().slice(0, 10);
  const cores = os.cpus().length;
  process.stdout.write(`${CALLS} calls, one after another; ${cores} cores; ${date}

| setup | median ms | p95 ms | max ms |
|---|---:|---:|---:|
| POST /api/dial leaves the page → INVITE at the phone | **${pct(invite, 50)}** | ${pct(invite, 95)} | ${invite.at(-1)} |
| of which: the widget's offer leaves the page → INVITE at the phone | ${pct(offerInvite, 50)} | ${pct(offerInvite, 95)} | ${offerInvite.at(-1)} |
| the phone's 200 → CONNECTED in the widget | **${pct(connect, 50)}** | ${pct(connect, 95)} | ${connect.at(-1)} |

Goal: INVITE ≤ 50 ms median, CONNECTED ≤ 250 ms after the 200.

Concurrent calls, each held ${HOLD_S} s (G.711, 50 packets/s each way per call; every caller a
page of the one Chromium on the same cores):

| calls | connected | min packets/s received | max loss % | max jitter ms | Janus CPU % | machine CPU % | clean |
|---:|---:|---:|---:|---:|---:|---:|---|
${rows.join('\n')}
`);
  await browser.close();
  await edge.stop();
  await phone.stop();
  await janus.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`bench/sip_bench.mjs: ${err.stack || err}\n`);
  process.exit(1);
});
