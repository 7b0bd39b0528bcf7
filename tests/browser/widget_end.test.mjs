// widget_end.test.mjs - the end of a chat in real Chromium against the real
// edge: "End chat" asks first ("Keep chatting" goes on, focus back in the
// input; "Yes, end it" ends it for the agent too), then the transcript
// downloads as a text file with every message and the chat's own lines, the
// rating step (a radio group of 5 stars used from the keyboard, a comment)
// stores the rating the agent then sees, and "Start a new chat" starts
// another (which, ended before any agent joined, asks for no rating).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { env, hostPage, part, customer, agent, acceptNext, say } = widgetSuite();

function focusedPart(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('data-c2c-part') || '');
}

async function stateIs(page, state) {
  await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes(state), { message: state });
}

describe('end of a chat', () => {
  test('confirm, download the transcript, start a new chat', async () => {
    const token = await customer('end1');
    const agentToken = await agent('agent-end1');
    const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${token}"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    const { token: pt, contactId } = await acceptNext(agentToken, 'CHAT', 'end1');
    await stateIs(page, 'connected');
    await say(pt, 'Hello from the agent');
    // The composer is multi-line: Shift+Enter breaks the line (and it grows), Enter sends.
    const input = part(page, 'chat-input');
    assert.equal(await input.evaluate((el) => el.tagName), 'TEXTAREA');
    const oneLine = await input.evaluate((el) => el.offsetHeight);
    await input.focus();
    await page.keyboard.type('Line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('Line two');
    assert.equal(await input.inputValue(), 'Line one\nLine two');
    assert.ok(await input.evaluate((el) => el.offsetHeight) > oneLine, 'grows with its lines');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await input.inputValue()) === '', { message: 'sent and cleared' });
    assert.equal(await input.evaluate((el) => el.offsetHeight), oneLine);
    await part(page, 'chat-input').fill('Thanks, bye');
    await part(page, 'chat-send').click();
    await waitFor(async () => (await part(page, 'message').count()) >= 4, { message: 'four lines' });

    await part(page, 'chat-end').click();
    assert.equal(await part(page, 'end-question').textContent(), 'End this chat?');
    assert.equal(await focusedPart(page), 'end-no');
    await part(page, 'end-no').click();
    assert.equal(await focusedPart(page), 'chat-input');
    assert.equal(await part(page, 'end-question').count(), 0);
    await stateIs(page, 'connected'); // nothing ended

    await part(page, 'chat-end').click();
    await part(page, 'end-yes').click();
    await stateIs(page, 'ended');
    await waitFor(async () => (await focusedPart(page)) === 'rate-1', { message: 'focus on the first star' });
    const [download] = await Promise.all([page.waitForEvent('download'), part(page, 'transcript').click()]);
    assert.equal(download.suggestedFilename(), 'chat-transcript.txt');
    const chunks = [];
    for await (const c of await download.createReadStream()) chunks.push(c);
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
    assert.match(lines[0], /^\[\d{4}-\d\d-\d\d \d\d:\d\d UTC\] Agent agent-end1 joined the chat$/);
    assert.ok(lines.some((l) => l.endsWith('] Agent agent-end1: Hello from the agent')), lines.join('|'));
    assert.ok(lines.some((l) => l.endsWith('] Customer end1: Thanks, bye')), lines.join('|'));
    assert.ok(lines.some((l) => l.endsWith('] Customer end1: Line one')) && lines.includes('Line two'), lines.join('|'));
    assert.match(lines[lines.length - 1], /\] You ended the chat$/);

    // The rating, from the keyboard: Space picks, arrows move, Enter in the comment sends.
    assert.equal(await part(page, 'chat-start').count(), 0);
    await part(page, 'rate-1').focus();
    await page.keyboard.press('Space');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await waitFor(async () => part(page, 'rate-4').isChecked(), { message: 'four stars' });
    assert.equal(await part(page, 'rate-4').getAttribute('aria-label'), '4 stars');
    assert.equal(await part(page, 'rate-5').isChecked(), false);
    await part(page, 'rate-comment').fill('Quick and kind');
    await part(page, 'rate-comment').press('Enter');
    await waitFor(async () => (await part(page, 'rate-thanks').count()) === 1, { message: 'thanks' });
    assert.equal(await part(page, 'rate-thanks').textContent(), 'Thank you for your feedback');
    const history = await api(env.edge.url, '/api/agent/history', { token: agentToken });
    const rated = history.body.Contacts.find((c) => c.ContactId === contactId);
    assert.deepEqual(rated.Rating, { Score: 4, Comment: 'Quick and kind' });
    await waitFor(async () => (await focusedPart(page)) === 'chat-start', { message: 'focus on start' });

    assert.equal(await part(page, 'chat-start').textContent(), 'Start a new chat');
    await part(page, 'chat-start').click();
    await stateIs(page, 'waiting');
    await part(page, 'chat-end').click();
    await part(page, 'end-yes').click();
    await stateIs(page, 'ended');
    await context.close();
  });
});
