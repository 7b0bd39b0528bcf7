// widget_focus.test.mjs - focus and keyboard in real Chromium against the
// real edge: the panel is a labelled dialog; Enter on the launcher, then on
// "Start chat", keeps focus in the panel and lands in the chat input, so
// what the user types at once (before the chat even exists) is the first
// message the agent gets; Escape closes and focus returns to the launcher;
// a call widget opens on its number input.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertNoNonLoopback, waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { env, hostPage, part, customer, agent, acceptNext } = widgetSuite();

// The data-c2c-part of the focused element ('' when focus is elsewhere).
function focusedPart(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('data-c2c-part') || '');
}

describe('focus and keyboard', () => {
  test('Enter on Start chat keeps focus in the panel and the first words typed arrive', async () => {
    const token = await customer('focus1');
    const agentToken = await agent('agent-focus1');
    const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${token}" data-mode="chat"></div>`);
    const launcher = part(page, 'launcher');
    await launcher.waitFor();
    await launcher.focus();
    await page.keyboard.press('Enter');
    const panel = part(page, 'panel');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('role'), 'dialog');
    assert.equal(await panel.getAttribute('aria-label'), 'Chat with us');
    assert.equal(await focusedPart(page), 'chat-start');

    await page.keyboard.press('Enter'); // Start chat
    await page.keyboard.type('typed at once'); // no wait: the chat may not exist yet
    await page.keyboard.press('Enter');
    assert.equal(await focusedPart(page), 'chat-input');
    await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes('waiting'),
      { message: 'waiting' });
    const { token: agentPt } = await acceptNext(agentToken, 'CHAT', 'focus1');
    await waitFor(async () => {
      const t = await api(env.edge.url, '/api/participant/transcript', { token: agentPt, body: {} });
      return t.body.Transcript && t.body.Transcript.some((m) => m.Content === 'typed at once');
    }, { message: 'the first message at the agent' });
    assert.equal(await part(page, 'chat-input').inputValue(), '');
    assert.equal(await focusedPart(page), 'chat-input');

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    assert.equal(await focusedPart(page), 'launcher');
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('Enter'); // reopened mid-chat: back where they type
    await panel.waitFor();
    assert.equal(await focusedPart(page), 'chat-input');
    assertNoNonLoopback(context);
    await context.close();
    await api(env.edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
  });

  test('a call widget opens on its number input', async () => {
    const token = await customer('focus2');
    const { page, context } = await hostPage(`<div data-c2c data-token="${token}" data-mode="call"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'panel').waitFor();
    assert.equal(await focusedPart(page), 'number-input');
    assertNoNonLoopback(context);
    await context.close();
  });
});
