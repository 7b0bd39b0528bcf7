// media.test.mjs - a call from the real widget to a real phone through the
// SIP bridge: headless Chromium (a fake microphone playing a 440 Hz tone) on
// a page with the widget dials a number that --sip-route sends to baresip
// (the PBX's phone, answering at once and playing a 1 kHz tone) through
// Janus, which the edge drives with --sip-gateway. Asserted at both ends:
// the widget shows CONNECTED and its getStats counts inbound audio, baresip
// recorded audio that is not silence (RMS), the keypad's digits 123#*0
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
  edge = await startEdge({ args: edgeArgs() });
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
  await ctx.close();
});

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
