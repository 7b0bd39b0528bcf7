// parties.mjs - the two sides of an end-to-end test: a customer on a site
// page with the widget, and an agent in the agent console, each in its own
// browser context of one Chromium that may use WebRTC on loopback.
//
// Run only through tests/e2e/run.sh, which puts the server and Chromium in a
// loopback-only network namespace: --allow-loopback-in-peer-connection then
// gathers 127.0.0.1 candidates and nothing else exists to reach. Every page
// records its RTCPeerConnections (window.__pcs) so tests can read getStats.

import assert from 'node:assert/strict';
import {
  api, launchBrowser, mintToken, newContext, startEdge, waitFor,
} from '../browser/harness.mjs';

export { api, mintToken, waitFor };

export const T = 10000; // the longest single wait

export async function setup() {
  assert.equal(process.env.C2C_IN_NETNS, '1', 'run through tests/e2e/run.sh (loopback-only netns)');
  const edge = await startEdge();
  const browser = await launchBrowser({ media: true, extraArgs: ['--allow-loopback-in-peer-connection'] });
  return { edge, browser };
}

// Every RTCPeerConnection the page creates, for getStats.
function recordPeers() {
  const Original = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
    }
  };
}

async function context(browser) {
  const ctx = await newContext(browser);
  await ctx.addInitScript(recordPeers);
  return ctx;
}

export const sel = (name) => `[data-c2c-part="${name}"]`;

// A customer page with one widget; `attrs` are extra data-attributes.
export async function customerPage(browser, edge, { sub, token, mode = 'chat', attrs = '', ctx } = {}) {
  const c = ctx || await context(browser);
  const page = await c.newPage();
  page.setDefaultTimeout(T);
  const t = token || await mintToken(edge.url, { sub, name: `Customer ${sub}`, email: `${sub}@example.com` });
  const url = `${edge.url}/shop-${sub}.html`;
  await page.route(url, (route) => route.fulfill({
    status: 200, headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
      <script src="/c2c.js" defer></script></head><body>
      <div id="w" data-c2c data-token="${t}" data-mode="${mode}" ${attrs}></div></body></html>`,
  }));
  await page.goto(url);
  await page.locator(sel('launcher')).waitFor();
  return { context: c, page, token: t };
}

// The agent console, signed in with a demo token and available.
export async function agentConsole(browser, edge, { sub, name }) {
  const c = await context(browser);
  const page = await c.newPage();
  page.setDefaultTimeout(T);
  await page.goto(`${edge.url}/agent/`);
  await page.fill(sel('signin-name'), name);
  await page.fill(sel('signin-sub'), sub);
  await page.click(sel('signin-demo'));
  await page.locator(sel('agent-status')).waitFor();
  await page.selectOption(sel('agent-status'), 'available');
  await waitFor(async () => (await page.locator(sel('agent-status')).getAttribute('data-status')) === 'available',
    { timeout: T, message: 'agent available' });
  return { context: c, page };
}

// The agent accepts the queue item of the customer named `Customer sub`.
export async function accept(agentPage, sub, { offered = false } = {}) {
  const item = agentPage.locator(`${sel('queue-item')}${offered ? '[data-offered="true"]' : ''}`,
    { hasText: `Customer ${sub}` });
  await item.waitFor();
  await item.locator(sel('accept')).click();
  await agentPage.locator(sel('contact')).waitFor();
}

export async function statusOf(page) {
  return (await page.locator(sel('status')).getAttribute('class')) || '';
}

export async function waitStatus(page, state) {
  return waitFor(async () => (await statusOf(page)).includes(`c2c-status--${state}`),
    { timeout: T, message: `status ${state}` });
}

// Packets received by the page's peer connections for media `kind`.
export function inboundPackets(page, kind) {
  return page.evaluate(async (k) => {
    let total = 0;
    for (const pc of window.__pcs || []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === k) total += s.packetsReceived || 0; });
    }
    return total;
  }, kind);
}

export async function waitPackets(page, kind, who) {
  return waitFor(async () => (await inboundPackets(page, kind)) > 0,
    { timeout: T, interval: 200, message: `${who} receiving ${kind}` });
}

// The messages people wrote: the widget's own lines ("Ann joined the chat",
// c2c-message--system) are left out.
export async function messages(page, part = 'message') {
  return page.locator(`${sel(part)}:not(.c2c-message--system)`).allTextContents();
}
