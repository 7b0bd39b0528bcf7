// widget_end.test.mjs - the end of a chat in real Chromium against the real
// edge: "End chat" asks first ("Keep chatting" goes on, focus back in the
// input; "Yes, end it" ends it for the agent too), then the transcript
// downloads as a text file with every message and the chat's own lines, and
// "Start a new chat" starts another.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { hostPage, part, customer, agent, acceptNext, say } = widgetSuite();

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
    const { token: pt } = await acceptNext(agentToken, 'CHAT', 'end1');
    await stateIs(page, 'connected');
    await say(pt, 'Hello from the agent');
    await part(page, 'chat-input').fill('Thanks, bye');
    await part(page, 'chat-send').click();
    await waitFor(async () => (await part(page, 'message').count()) >= 3, { message: 'three lines' });

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
    const [download] = await Promise.all([page.waitForEvent('download'), part(page, 'transcript').click()]);
    assert.equal(download.suggestedFilename(), 'chat-transcript.txt');
    const chunks = [];
    for await (const c of await download.createReadStream()) chunks.push(c);
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
    assert.match(lines[0], /^\[\d{4}-\d\d-\d\d \d\d:\d\d UTC\] Agent agent-end1 joined the chat$/);
    assert.ok(lines.some((l) => l.endsWith('] Agent agent-end1: Hello from the agent')), lines.join('|'));
    assert.ok(lines.some((l) => l.endsWith('] Customer end1: Thanks, bye')), lines.join('|'));
    assert.match(lines[lines.length - 1], /\] You ended the chat$/);

    assert.equal(await part(page, 'chat-start').textContent(), 'Start a new chat');
    await part(page, 'chat-start').click();
    await stateIs(page, 'waiting');
    await part(page, 'chat-end').click();
    await part(page, 'end-yes').click();
    await stateIs(page, 'ended');
    await context.close();
  });
});
