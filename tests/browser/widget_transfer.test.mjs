// widget_transfer.test.mjs - a chat handed to another agent, in real Chromium
// against the real edge: the first agent transfers it (POST
// /api/agent/transfer), the customer's widget says "Transferring you to
// another agent..." and writes a line naming who handed it on, until the
// second agent accepts it; then it says who the customer is chatting with,
// the second agent's joining line follows, and their message arrives.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { env, hostPage, part, customer, agent, acceptNext, say } = widgetSuite();

function texts(page) {
  return part(page, 'message').evaluateAll((els) => els.map((el) => el.querySelector('.c2c-message__text').textContent));
}

async function statusIs(page, text) {
  await waitFor(async () => (await part(page, 'status').textContent()) === text, { message: text });
}

describe('transfer', () => {
  test('the widget says so until the next agent joins', async () => {
    const token = await customer('tr1');
    const amy = await agent('agent-amy');
    const { page, context } = await hostPage(`<div data-c2c data-token="${token}" data-mode="chat"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    const { contactId, token: amyPt } = await acceptNext(amy, 'CHAT', 'tr1');
    await statusIs(page, 'Chatting with Agent agent-amy');
    await say(amyPt, 'Let me pass you to billing');
    await waitFor(async () => (await texts(page)).includes('Let me pass you to billing'), { message: 'her message' });

    const bob = await agent('agent-bob');
    const r = await api(env.edge.url, '/api/agent/transfer', { token: amy, body: { ContactId: contactId, AgentId: 'agent-bob' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await statusIs(page, 'Transferring you to another agent...');
    await waitFor(async () => (await texts(page)).includes('Agent agent-amy transferred the chat'), { message: 'the line' });
    assert.match(await part(page, 'status').getAttribute('class'), /c2c-status--waiting/);
    const before = await texts(page);
    assert.deepEqual(before.slice(-2), ['Let me pass you to billing', 'Agent agent-amy transferred the chat']);

    const { token: bobPt } = await acceptNext(bob, 'CHAT', 'tr1');
    await statusIs(page, 'Chatting with Agent agent-bob');
    await say(bobPt, 'Bob from billing here');
    await waitFor(async () => (await texts(page)).includes('Bob from billing here'), { message: 'his message' });
    const after = await texts(page);
    assert.deepEqual(after.slice(-3), ['Agent agent-amy transferred the chat', 'Agent agent-bob joined the chat',
      'Bob from billing here']);
    await context.close();
  });
});
