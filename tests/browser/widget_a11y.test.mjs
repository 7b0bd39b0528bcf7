// widget_a11y.test.mjs - axe-core (the Deque engine, from npm) over the
// widget in real Chromium, in every state a customer meets: the launcher,
// the open panel, waiting, connected, the video offer, the end confirmation,
// the rating, ended; and a call with its keypad; in the light and dark
// themes and floating. Every rule axe runs by default (WCAG 2.x A and AA and
// its best practices) must find no violation inside the widget's element.
// Only `region` is left out: whether the page puts its content in landmarks
// is the host page's business, not the widget's.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { REPO, api, waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { env, hostPage, part, customer, agent, acceptNext, say } = widgetSuite({ media: true });
const AXE = path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js');

// axe over #w; fails with every violation's rule, impact and first target.
async function noViolations(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run('#w', { rules: { region: { enabled: false } } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
  assert.deepEqual(found, [], `${state}:\n${found.join('\n')}`);
}

async function stateIs(page, state) {
  await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes(state), { message: state });
}

describe('accessibility (axe-core)', () => {
  test('a chat in every state, light and dark', async () => {
    for (const theme of ['light', 'dark']) {
      const sub = `a11y-chat-${theme}`;
      const token = await customer(sub);
      const agentToken = await agent(`agent-${sub}`);
      const { page, context } = await hostPage(
        `<main><div id="w" data-c2c data-token="${token}" data-mode="video" data-theme="${theme}"></div></main>`);
      await part(page, 'launcher').waitFor();
      await noViolations(page, `${theme}: launcher`);
      await part(page, 'launcher').click();
      await part(page, 'panel').waitFor();
      await noViolations(page, `${theme}: open`);
      await part(page, 'chat-start').click();
      await stateIs(page, 'waiting');
      await noViolations(page, `${theme}: waiting`);
      const { token: agentPt } = await acceptNext(agentToken, 'CHAT', sub);
      // Calls ring the agent idle longest: leave the call test's agent alone.
      await api(env.edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
      await stateIs(page, 'connected');
      await say(agentPt, 'Hello, see https://example.com/help');
      await part(page, 'chat-input').fill('Thanks');
      await part(page, 'chat-send').click();
      await waitFor(async () => (await part(page, 'message').count()) >= 3, { message: 'messages' });
      await noViolations(page, `${theme}: connected`);
      assert.equal((await api(env.edge.url, '/api/participant/video',
        { token: agentPt, body: { Action: 'offer' } })).status, 200);
      await part(page, 'video-offer').waitFor();
      await noViolations(page, `${theme}: video offer`);
      await part(page, 'video-decline').click();
      await part(page, 'chat-end').click();
      await part(page, 'end-question').waitFor();
      await noViolations(page, `${theme}: confirm the end`);
      await part(page, 'end-yes').click();
      await part(page, 'rating').waitFor();
      await part(page, 'rate-3').click();
      await noViolations(page, `${theme}: rating`);
      await part(page, 'rate-skip').click();
      await part(page, 'chat-start').waitFor();
      await noViolations(page, `${theme}: ended`);
      await context.close();
    }
  });

  test('a call with its keypad, and a floating widget', async () => {
    const token = await customer('a11y-call');
    const agentToken = await agent('agent-a11y-call');
    const { page, context } = await hostPage(
      `<main><div id="w" data-c2c data-token="${token}" data-mode="call" data-number="+1 800 555 0100"></div></main>`);
    await part(page, 'launcher').click();
    await noViolations(page, 'call: open');
    await part(page, 'dial').click();
    await acceptNext(agentToken, 'CALL', 'a11y-call');
    await part(page, 'keypad').waitFor();
    await part(page, 'key-5').click();
    await noViolations(page, 'call: keypad');
    await part(page, 'hangup').click();
    await api(env.edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
    await context.close();

    const floating = await hostPage(
      `<main><div id="w" data-c2c data-token="${token}" data-layout="floating"></div></main>`);
    await part(floating.page, 'launcher').waitFor();
    await noViolations(floating.page, 'floating: launcher');
    await part(floating.page, 'launcher').click();
    await part(floating.page, 'panel').waitFor();
    await noViolations(floating.page, 'floating: open');
    await floating.context.close();
  });
});
