// chat.test.mjs - a customer (widget) and an agent (console) chat end to
// end: start, accept, messages both ways, the customer reloads and gets the
// whole history, a second browser of the same user sees the same chat, and
// the server restarts mid-chat: both sides reconnect and nothing is lost or
// doubled.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  T, accept, agentConsole, customerPage, messages, sel, setup, waitFor, waitStatus,
} from './parties.mjs';

let edge;
let browser;
let customer;
let agent;

before(async () => {
  ({ edge, browser } = await setup());
  agent = await agentConsole(browser, edge, { sub: 'agent-ann', name: 'Ann' });
});

after(async () => {
  await browser?.close();
  await edge?.stop();
});

async function customerSays(page, text) {
  await page.locator(sel('chat-input')).fill(text);
  await page.locator(sel('chat-input')).press('Enter');
}

async function agentSays(text) {
  await agent.page.fill(sel('chat-input'), text);
  await agent.page.click(sel('chat-send'));
}

function seen(page, part, text) {
  return waitFor(async () => (await messages(page, part)).some((m) => m.includes(text)),
    { timeout: T, message: `"${text}" shown` });
}

test('the customer starts, the agent accepts, messages flow both ways', async () => {
  customer = await customerPage(browser, edge, { sub: 'carol' });
  await customer.page.click(sel('launcher'));
  await customer.page.click(sel('chat-start'));
  await waitStatus(customer.page, 'waiting');
  await accept(agent.page, 'carol');
  await waitStatus(customer.page, 'connected');
  assert.match(await customer.page.locator(sel('status')).textContent(), /Ann/);
  await customerSays(customer.page, 'Hello, my parcel is late');
  await seen(agent.page, 'chat-message', 'Hello, my parcel is late');
  await agentSays('Sorry to hear that, let me check');
  await seen(customer.page, 'message', 'Sorry to hear that, let me check');
});

test('a reload resumes the chat with its whole history', async () => {
  await customer.page.reload();
  await waitStatus(customer.page, 'connected');
  await waitFor(async () => (await messages(customer.page)).length === 2, { timeout: T, message: 'two messages' });
  const texts = await messages(customer.page);
  assert.ok(texts[0].includes('Hello, my parcel is late'));
  assert.ok(texts[1].includes('Sorry to hear that'));
});

test('a second browser of the same user sees the same chat, live', async () => {
  const phone = await customerPage(browser, edge, { sub: 'carol', token: customer.token });
  await phone.page.click(sel('launcher'));
  await phone.page.click(sel('chat-start'));
  await waitStatus(phone.page, 'connected');
  await waitFor(async () => (await messages(phone.page)).length === 2, { timeout: T, message: 'history on the phone' });
  await customerSays(phone.page, 'Writing from my phone');
  await seen(agent.page, 'chat-message', 'Writing from my phone');
  await seen(customer.page, 'message', 'Writing from my phone');
  await phone.context.close();
});

test('the server restarts mid-chat: both sides reconnect and nothing is lost', async () => {
  await edge.restart();
  await customerSays(customer.page, 'Are you still there?');
  await seen(agent.page, 'chat-message', 'Are you still there?');
  await agentSays('Yes, the parcel arrives tomorrow');
  await seen(customer.page, 'message', 'the parcel arrives tomorrow');
  const mine = await messages(customer.page);
  const theirs = await messages(agent.page, 'chat-message');
  const expected = ['Hello, my parcel is late', 'Sorry to hear that', 'Writing from my phone',
    'Are you still there?', 'the parcel arrives tomorrow'];
  for (const list of [mine, theirs]) {
    assert.equal(list.length, expected.length, list.join(' | '));
    expected.forEach((text, i) => assert.ok(list[i].includes(text), `${i}: ${list[i]}`));
  }
  await customer.page.click(sel('chat-end'));
  await customer.page.click(sel('end-yes'));
  await waitStatus(customer.page, 'ended');
  await waitFor(async () => (await agent.page.locator(sel('contact')).getAttribute('data-state')) === 'ENDED',
    { timeout: T, message: 'the agent sees the end' });
});
