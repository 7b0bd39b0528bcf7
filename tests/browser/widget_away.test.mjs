// widget_away.test.mjs - out of hours in real Chromium against the real
// edge (its own, with no agent available at first): a floating chat widget
// and an inline one that greys out both say so in words and offer to leave
// a message instead of a greyed-out launcher; leaving one starts a chat that
// waits, which the next agent to come takes.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { hostPage, part, customer, agent, acceptNext, say } = widgetSuite();
const AWAY = 'Nobody is here right now · Leave a message';

describe('out of hours', () => {
  test('the launcher says nobody is there and a message left waits for the next agent', async () => {
    const token = await customer('away1');
    const { page, context } = await hostPage(`
      <div id="f" data-c2c data-token="${token}" data-layout="floating"></div>
      <div id="g" data-c2c data-token="${token}" data-hide-when-closed="grey"></div>`);
    const launcher = part(page, 'launcher', '#f');
    await waitFor(async () => (await launcher.count()) && (await launcher.textContent()) === AWAY, { message: 'away words' });
    assert.equal(await launcher.isEnabled(), true);
    assert.ok((await launcher.getAttribute('class')).includes('c2c-launcher--away'));
    const grey = part(page, 'launcher', '#g');
    await waitFor(async () => (await grey.textContent()) === AWAY, { message: 'the greying widget says it too' });
    assert.equal(await grey.isEnabled(), true);

    await launcher.click();
    assert.equal(await part(page, 'status', '#f').textContent(),
      'Leave a message and an agent will answer when they are back');
    const start = part(page, 'chat-start', '#f');
    assert.equal(await start.textContent(), 'Leave a message');
    await start.click();
    await part(page, 'chat-input', '#f').fill('Please call me back');
    await part(page, 'chat-input', '#f').press('Enter');
    await waitFor(async () => (await part(page, 'status', '#f').getAttribute('class')).includes('waiting'), { message: 'waiting' });

    const agentToken = await agent('agent-away1'); // the next agent comes
    const { token: pt } = await acceptNext(agentToken, 'CHAT', 'away1');
    await say(pt, 'Hi, I am here now');
    await waitFor(async () => (await part(page, 'status', '#f').getAttribute('class')).includes('connected'), { message: 'connected' });
    await part(page, 'chat-end', '#f').click();
    await part(page, 'end-yes', '#f').click();
    await context.close();
  });
});
