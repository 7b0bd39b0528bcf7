// widget_reference.test.mjs - reference codes in real Chromium against the
// real edge: an agent's link (?c2c-ref=, and the older videoReferenceId)
// opens the widget with an offer to start with that code, which confirms
// "Code accepted, connecting you to <the issuing agent>" until that agent
// joins (then "Code accepted"), and reaches the issuing agent; a code in the URL that is
// not 8 digits is ignored with a warning; the code input has a visible label
// and keeps digits only.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, newContext, waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { env, part, customer, agent, acceptNext } = widgetSuite();

// A host page at `query` (e.g. "?c2c-ref=12345678") holding one chat widget.
async function pageAt(query, token) {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const path = `${env.edge.url}/ref-${Math.random().toString(36).slice(2)}.html`;
  await page.route(`${path}*`, (route) => route.fulfill({
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><script src="/c2c.js" defer></script></head>
      <body><div id="w" data-c2c data-token="${token}"></div></body></html>`,
  }));
  await page.goto(`${path}${query}`);
  return { page, context, warnings };
}

async function issue(agentToken, email) {
  const r = await api(env.edge.url, '/api/adhoc', { token: agentToken, body: { attendeeEmail: email } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.routeId;
}

describe('reference codes', () => {
  for (const param of ['c2c-ref', 'videoReferenceId']) {
    test(`?${param}= offers the code, confirms it and reaches the agent`, async () => {
      const agentToken = await agent(`agent-ref-${param}`);
      const token = await customer(`ref-${param}`);
      const code = await issue(agentToken, `ref-${param}@example.com`);
      const { page, context } = await pageAt(`?x=1&${param}=${code}`, token);
      const offer = part(page, 'ref-offer');
      await offer.waitFor();
      assert.equal(await offer.textContent(), `Start with your reference code ${code}?`);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-c2c-part')), 'ref-accept');
      await part(page, 'ref-accept').click();
      const accepted = part(page, 'ref-accepted');
      await accepted.waitFor();
      assert.equal(await accepted.textContent(), `Code accepted, connecting you to Agent agent-ref-${param}`);
      assert.equal(await part(page, 'ref-offer').count(), 0);
      await acceptNext(agentToken, 'CHAT', `ref-${param}`); // in the agent's own queue
      await waitFor(async () => (await accepted.textContent()) === 'Code accepted',
        { message: 'the plain confirmation once the agent has joined' });
      await part(page, 'chat-end').click();
      await part(page, 'end-yes').click();
      await context.close();
      await api(env.edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
    });
  }

  test('a bad code in the URL is ignored; the input has a label and takes digits only', async () => {
    const token = await customer('ref-bad');
    const { page, context, warnings } = await pageAt('?c2c-ref=12ab', token);
    await part(page, 'launcher').waitFor();
    assert.equal(await part(page, 'panel').count(), 0);
    assert.ok(warnings.some((w) => w.includes('"12ab" is not 8 digits')), warnings.join('|'));
    await part(page, 'launcher').click();
    assert.equal(await part(page, 'reference-label').textContent(), 'Have a reference code?');
    assert.ok(await part(page, 'reference-label').isVisible());
    await part(page, 'reference-input').pressSequentially('12-34 ab5678901');
    assert.equal(await part(page, 'reference-input').inputValue(), '12345678');
    await context.close();
  });
});
