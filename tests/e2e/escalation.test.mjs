// escalation.test.mjs - video escalation from a chat, the ad-hoc reference
// code, and bad or expired tokens, end to end between the widget and the
// agent console.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  T, accept, agentConsole, customerPage, inboundPackets, messages, sel, setup, waitFor,
  waitPackets, waitStatus,
} from './parties.mjs';

let edge;
let browser;
let agent;

before(async () => {
  ({ edge, browser } = await setup());
  agent = await agentConsole(browser, edge, { sub: 'agent-cy', name: 'Cy' });
});

after(async () => {
  await browser?.close();
  await edge?.stop();
});

async function connectedChat(sub, mode = 'chat') {
  const customer = await customerPage(browser, edge, { sub, mode });
  await customer.page.click(sel('launcher'));
  await customer.page.click(sel('chat-start'));
  await accept(agent.page, sub);
  await waitStatus(customer.page, 'connected');
  return customer;
}

async function endByAgent() {
  await agent.page.click(sel('end'));
  await agent.page.click(sel('contact-close'));
}

test('video escalation: the customer joins with the camera off, turns it on, ends the video, chats on', async () => {
  const customer = await connectedChat('fay', 'video');
  await agent.page.click(sel('offer-video'));
  await customer.page.locator(sel('video-offer')).waitFor();
  await customer.page.click(sel('video-join'));
  await waitPackets(customer.page, 'video', 'the customer (agent camera)');
  await waitPackets(agent.page, 'audio', 'the agent (customer microphone)');
  assert.equal(await customer.page.locator(sel('camera')).getAttribute('aria-pressed'), 'false');
  assert.equal(await inboundPackets(agent.page, 'video'), 0, 'camera off: no video from the customer');

  await customer.page.click(sel('camera'));
  await waitPackets(agent.page, 'video', 'the agent (customer camera)');

  await customer.page.click(sel('video-end'));
  await customer.page.locator(sel('video')).waitFor({ state: 'detached' });
  await customer.page.locator(sel('chat-input')).fill('Thanks for the call');
  await customer.page.locator(sel('chat-input')).press('Enter');
  await waitFor(async () => (await messages(agent.page, 'chat-message')).some((m) => m.includes('Thanks for the call')),
    { timeout: T, message: 'the chat goes on' });
  await endByAgent();
  await customer.context.close();
});

test('an ad-hoc reference lands the customer with that agent, once', async () => {
  await agent.page.fill(sel('adhoc-email'), 'gus@example.com');
  await agent.page.click(sel('adhoc-create'));
  const code = await waitFor(async () => {
    const t = (await agent.page.locator(sel('adhoc-code')).textContent()).trim();
    return /^\d{8}$/.test(t) && t;
  }, { timeout: T, message: 'a code' });
  const customer = await customerPage(browser, edge, { sub: 'gus' });
  await customer.page.click(sel('launcher'));
  await customer.page.fill(sel('reference-input'), code);
  await customer.page.press(sel('reference-input'), 'Enter');
  await waitStatus(customer.page, 'waiting');
  const item = agent.page.locator(sel('queue-item'), { hasText: 'Customer gus' });
  await item.waitFor();
  assert.equal(await agent.page.locator(sel('queue-item')).first().textContent()
    .then((t) => t.includes('Customer gus')), true, 'first in line');
  await accept(agent.page, 'gus');
  await waitStatus(customer.page, 'connected');
  assert.match(await customer.page.locator(sel('status')).textContent(), /Cy/);

  await customer.page.click(sel('chat-end'));
  await customer.page.click(sel('end-yes'));
  await waitStatus(customer.page, 'ended');
  await customer.page.click(sel('rate-skip')); // the rating step comes before a new start
  await customer.page.fill(sel('reference-input'), code);
  await customer.page.press(sel('reference-input'), 'Enter');
  const alert = customer.page.locator(sel('error'));
  await alert.waitFor();
  assert.equal(await alert.textContent(), 'That reference has already been used');
  await agent.page.click(sel('contact-close'));
  await customer.context.close();
});

// An HS256 token signed with the server's demo key (data dir), expired.
function expiredToken() {
  const key = fs.readFileSync(path.join(edge.dataDir, 'demo.key'));
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT', kid: 'demo' });
  const body = b64({ sub: 'old', name: 'Old', iat: now - 7200, exp: now - 3600 });
  const sig = crypto.createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

test('a bad or expired token gives a clear sign-in message', async () => {
  for (const token of ['garbage', expiredToken()]) {
    const customer = await customerPage(browser, edge, { sub: 'x', token });
    await customer.page.click(sel('launcher'));
    await customer.page.click(sel('chat-start'));
    const alert = customer.page.locator(sel('error'));
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Please sign in again');
    await customer.context.close();
  }
});
