// widget_conversation.test.mjs - the conversation as a customer sees it, in
// real Chromium against the real edge: the agent's joining and ending as
// lines of the chat, message times in the page's locale, consecutive
// messages grouped, http(s) links as safe anchors (never another scheme),
// and the customer's last message going from delivered to read when the
// agent's read receipt arrives.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertNoNonLoopback, waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { env, hostPage, part, customer, agent, acceptNext, say } = widgetSuite();

const READ = 'application/vnd.amazonaws.connect.event.message.read';

function lines(page) {
  return part(page, 'message').evaluateAll((els) => els.map((el) => ({
    cls: el.className,
    name: el.querySelector('.c2c-message__name').textContent,
    text: el.querySelector('.c2c-message__text').textContent,
    time: el.querySelector('time').getAttribute('datetime'),
    shown: el.querySelector('time').textContent,
    receipt: el.querySelector('.c2c-message__receipt').textContent,
  })));
}

describe('the conversation', () => {
  test('lines, times, groups, links and read receipts', async () => {
    const token = await customer('conv1');
    const agentToken = await agent('agent-conv1');
    const { page, context } = await hostPage(`<div data-c2c data-token="${token}" data-mode="chat"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    const { contactId, token: agentPt } = await acceptNext(agentToken, 'CHAT', 'conv1');
    await waitFor(async () => (await lines(page)).some((l) => l.text === 'Agent agent-conv1 joined the chat'),
      { message: 'the joining line' });

    const input = part(page, 'chat-input');
    for (const text of ['first of mine', 'second of mine']) {
      await input.fill(text);
      await input.press('Enter');
      await waitFor(async () => (await lines(page)).some((l) => l.text === text), { message: text });
    }
    let log = await lines(page);
    const [first, second] = log.filter((l) => l.cls.includes('customer'));
    assert.ok(first.time && !first.cls.includes('--cont'));
    const expected = await page.evaluate((iso) => new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' })
      .format(new Date(iso)), first.time);
    assert.equal(first.shown, expected); // the time of day, in the page's locale
    assert.ok(second.cls.includes('c2c-message--cont'), second.cls);
    assert.equal(second.name, '');
    assert.equal(second.shown, '');
    assert.equal(first.receipt, '');
    assert.equal(second.receipt, 'Delivered');

    // The agent reads the last one.
    const t = await api(env.edge.url, '/api/participant/transcript', { token: agentPt, body: {} });
    const mine = t.body.Transcript.filter((m) => m.Content === 'second of mine')[0];
    const r = await api(env.edge.url, '/api/participant/event', {
      token: agentPt, body: { ContentType: READ, Content: JSON.stringify({ messageId: mine.Id }) },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await waitFor(async () => (await lines(page)).some((l) => l.receipt === 'Read'), { message: 'read receipt' });
    assert.match(await page.locator('.c2c-message__receipt--read').textContent(), /Read/);

    // Links: http(s) only, as anchors that open apart.
    assert.equal((await say(agentPt, 'See https://example.com/help?a=1. Not javascript:alert(1) nor data:text/html,x')).status, 200);
    await waitFor(async () => (await page.locator('.c2c-message__link').count()) === 1, { message: 'one link' });
    const link = await page.locator('.c2c-message__link').evaluate((a) => ({
      href: a.getAttribute('href'), rel: a.rel, target: a.target, text: a.textContent,
      around: a.parentElement.textContent,
    }));
    assert.deepEqual(link, {
      href: 'https://example.com/help?a=1', rel: 'noopener noreferrer', target: '_blank',
      text: 'https://example.com/help?a=1',
      around: 'See https://example.com/help?a=1. Not javascript:alert(1) nor data:text/html,x',
    });
    assert.equal(await page.locator('[data-c2c-part="message"] a:not([href^="https://"])').count(), 0);

    // The agent ends it: a line says who did.
    assert.equal((await api(env.edge.url, '/api/agent/end', { token: agentToken, body: { ContactId: contactId } })).status, 200);
    await waitFor(async () => (await lines(page)).some((l) => l.text === 'Agent agent-conv1 ended the chat'),
      { message: 'the ending line' });
    log = await lines(page);
    assert.ok(log.at(-1).cls.includes('c2c-message--system'));
    assertNoNonLoopback(context);
    await context.close();
    await api(env.edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
  });
});
