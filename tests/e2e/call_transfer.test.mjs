// call_transfer.test.mjs - a browser call handed from one agent to another,
// end to end: the customer calls from the widget, agent A accepts it in the
// console and transfers it (Transfer… → agent B) from there; B's console
// rings, B accepts, and the customer and B hear each other (fake devices;
// getStats inbound audio packets growing on both sides) while A's peer
// connection is closed.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  T, accept, agentConsole, customerPage, inboundPackets, sel, setup, waitFor, waitPackets, waitStatus,
} from './parties.mjs';

let edge;
let browser;

before(async () => {
  ({ edge, browser } = await setup());
});

after(async () => {
  await browser?.close();
  await edge?.stop();
});

/** Open peer connections of a page. */
function openPeers(page) {
  return page.evaluate(() => window.__pcs.filter((pc) => pc.connectionState !== 'closed').length);
}

/** Wait until page's inbound audio packets pass `from` by more than a few. */
async function waitGrowing(page, from, who) {
  await waitFor(async () => (await inboundPackets(page, 'audio')) > from + 10,
    { timeout: T, interval: 200, message: `${who}'s inbound audio growing` });
}

test('a transferred call: B rings, accepts, and talks with the customer; A is out of it', async () => {
  const a = await agentConsole(browser, edge, { sub: 'agent-ann', name: 'Ann' });
  const customer = await customerPage(browser, edge, { sub: 'tom', mode: 'call', attrs: 'data-number="+1 703 555 0122"' });
  await customer.page.click(sel('launcher'));
  await customer.page.click(sel('dial'));
  await accept(a.page, 'tom', { offered: true });
  await waitStatus(customer.page, 'connected');
  await waitPackets(customer.page, 'audio', 'the customer');
  await waitPackets(a.page, 'audio', 'agent A');

  // B signs in only now, so the call rang A alone.
  const b = await agentConsole(browser, edge, { sub: 'agent-ben', name: 'Ben' });
  await a.page.click(sel('transfer-open'));
  await a.page.locator(sel('transfer-form')).waitFor({ state: 'visible' });
  await a.page.selectOption(sel('transfer-target'), { label: 'Ben' });
  await a.page.click(sel('transfer-send'));
  await waitFor(async () => /transferred/.test(await a.page.locator(sel('contact-state')).textContent()),
    { timeout: T, message: 'A sees the call transferred' });
  await waitFor(async () => (await openPeers(a.page)) === 0,
    { timeout: T, message: 'A\'s peer connection closed' });

  // B's console rings; B accepts.
  await accept(b.page, 'tom', { offered: true });
  await waitStatus(customer.page, 'connected');
  await waitPackets(b.page, 'audio', 'agent B');
  const before = { customer: await inboundPackets(customer.page, 'audio'), b: await inboundPackets(b.page, 'audio') };
  await waitGrowing(b.page, before.b, 'agent B');
  // A sends nothing any more, so what keeps reaching the customer is B.
  await waitGrowing(customer.page, before.customer, 'the customer');
  assert.equal(await openPeers(a.page), 0, 'A has no peer connection open');
  assert.equal(await customer.page.evaluate(() => window.__pcs.filter((pc) => pc.connectionState === 'connected').length), 1,
    'the customer has one live peer connection (with B)');

  await b.page.click(sel('hangup'));
  await waitStatus(customer.page, 'ended');
  await customer.context.close();
  await a.context.close();
  await b.context.close();
});
