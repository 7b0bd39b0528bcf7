// call.test.mjs - click to call end to end: the customer calls from the
// widget, the agent accepts the ringing call in the console, audio flows
// both ways (fake devices; getStats shows inbound packets on both sides),
// the digits pressed on the widget's pad reach the agent in order, and
// either side hangs up with both seeing the call end; the agent's Hold
// tells the customer ("On hold", the agent's audio muted in the widget)
// and Resume undoes it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  T, accept, agentConsole, customerPage, sel, setup, waitFor, waitPackets, waitStatus,
} from './parties.mjs';

let edge;
let browser;
let agent;

before(async () => {
  ({ edge, browser } = await setup());
  agent = await agentConsole(browser, edge, { sub: 'agent-bob', name: 'Bob' });
});

after(async () => {
  await browser?.close();
  await edge?.stop();
});

async function call(sub) {
  const customer = await customerPage(browser, edge, { sub, mode: 'call', attrs: 'data-number="+1 703 555 0122"' });
  await customer.page.click(sel('launcher'));
  await customer.page.click(sel('dial'));
  await accept(agent.page, sub, { offered: true });
  await waitStatus(customer.page, 'connected');
  return customer;
}

function agentCallEnded() {
  return waitFor(async () => (await agent.page.locator(sel('contact')).getAttribute('data-state')) === 'ENDED',
    { timeout: T, message: 'the agent sees the call end' });
}

test('a call: audio both ways, the keypad in order, the customer hangs up', async () => {
  const customer = await call('dave');
  await waitPackets(customer.page, 'audio', 'the customer');
  await waitPackets(agent.page, 'audio', 'the agent');

  await customer.page.click(sel('key-1'));
  await customer.page.click(sel('key-2'));
  await customer.page.locator(sel('key-3')).focus();
  for (const k of ['3', '#', '*', '0']) await customer.page.keyboard.press(k);
  await waitFor(async () => (await agent.page.locator(sel('dtmf-digits')).textContent()) === '123#*0',
    { timeout: T, message: 'the digits at the agent, in order' });
  assert.match(await customer.page.locator(sel('digits')).textContent(), /123#\*0/);

  await customer.page.click(sel('mute'));
  assert.equal(await customer.page.locator(sel('mute')).getAttribute('aria-pressed'), 'true');

  await customer.page.click(sel('hangup'));
  await waitStatus(customer.page, 'ended');
  await agentCallEnded();
  await agent.page.click(sel('contact-close'));
  await customer.context.close();
});

test('a call the agent hangs up ends for the customer too', async () => {
  const customer = await call('erin');
  await waitPackets(customer.page, 'audio', 'the customer');
  await agent.page.click(sel('hangup'));
  await waitStatus(customer.page, 'ended');
  assert.match(await customer.page.locator(sel('status')).textContent(), /agent/i);
  await agentCallEnded();
  const open = await customer.page.evaluate(() => window.__pcs.filter((pc) => pc.connectionState !== 'closed').length);
  assert.equal(open, 0, 'the widget closed its peer connection');
  await customer.context.close();
});

test('the agent holds the call: the customer reads On hold and the agent\'s audio is muted; Resume restores both', async () => {
  const customer = await call('hal');
  await waitPackets(customer.page, 'audio', 'the customer');
  const status = () => customer.page.locator(sel('status')).textContent();
  const audioMuted = () => customer.page.evaluate(() => document.querySelector('[data-c2c-part="audio"]').muted);
  assert.equal(await status(), 'On a call with Bob');
  assert.equal(await audioMuted(), false);

  await agent.page.click(sel('call-hold'));
  await waitFor(async () => (await status()) === 'On hold', { timeout: T, message: 'the widget says On hold' });
  assert.equal(await audioMuted(), true, 'the agent\'s audio is paused in the widget');

  await agent.page.click(sel('call-hold'));
  await waitFor(async () => (await status()) === 'On a call with Bob', { timeout: T, message: 'the widget is back on the call' });
  assert.equal(await audioMuted(), false);

  await agent.page.click(sel('hangup'));
  await waitStatus(customer.page, 'ended');
  await agentCallEnded();
  await agent.page.click(sel('contact-close'));
  await customer.context.close();
});
