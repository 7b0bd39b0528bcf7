// widget_unseen.test.mjs - the "New messages" marker after a reload, in real
// Chromium against the real edge: what the customer saw (the panel open with
// focus in it) is stored per widget and contact; an agent message that came
// while focus was elsewhere on the page gets the marker before it after a
// reload, until focus comes back into the panel; a reload with everything
// seen shows none.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { hostPage, part, customer, agent, acceptNext, say } = widgetSuite();

// The log's children in order: a message's text, or the marker's part.
function log(page) {
  return part(page, 'chat-log').evaluate((el) => [...el.children].map((c) =>
    (c.dataset.c2cPart === 'message' ? c.querySelector('.c2c-message__text').textContent : `[${c.dataset.c2cPart}]`)));
}

async function shows(page, text) {
  await waitFor(async () => (await log(page)).includes(text), { message: text });
}

describe('new messages marker', () => {
  test('after a reload, before the first unseen message, until seen', async () => {
    const token = await customer('unseen1');
    const agentToken = await agent('agent-unseen1');
    const { page, context } = await hostPage(
      `<button id="elsewhere">elsewhere</button><div id="w" data-c2c data-token="${token}" data-mode="chat"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click(); // focus goes to the chat input: the panel is focused
    const { token: pt } = await acceptNext(agentToken, 'CHAT', 'unseen1');
    await say(pt, 'Seen while looking');
    await shows(page, 'Seen while looking');
    await waitFor(async () => (await page.evaluate(() => Object.keys(localStorage)
      .filter((k) => k.startsWith('c2c.seen.')).map((k) => localStorage.getItem(k)))).length === 1,
    { message: 'the seen message stored' });

    await page.locator('#elsewhere').focus(); // the customer looks elsewhere on the page
    await say(pt, 'Came while away');
    await shows(page, 'Came while away');
    assert.ok(!(await log(page)).includes('[new-messages]'), 'no marker without a reload');

    await page.reload();
    await shows(page, 'Came while away');
    const after = await log(page);
    const at = after.indexOf('Came while away');
    assert.equal(after[at - 1], '[new-messages]', after.join(' | '));
    assert.equal(after.filter((t) => t === '[new-messages]').length, 1);
    assert.equal(await part(page, 'new-messages').textContent(), 'New messages');

    await part(page, 'chat-input').focus(); // seen now
    await waitFor(async () => (await part(page, 'new-messages').count()) === 0, { message: 'marker gone' });

    await page.reload();
    await shows(page, 'Came while away');
    await waitFor(async () => (await log(page)).includes('Agent agent-unseen1 joined the chat'), { message: 'replayed' });
    assert.ok(!(await log(page)).includes('[new-messages]'), 'everything was seen: no marker');
    await context.close();
  });
});
