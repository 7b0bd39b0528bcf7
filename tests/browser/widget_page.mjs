// widget_page.mjs - what the widget's browser tests share: a host page at the
// edge's origin that loads the real /c2c.js, a widget part's locator, demo
// customers and agents, the agent accepting a queued contact, a participant's
// message, and a participant's event stream read back.
//
//   const { hostPage, part, customer, agent, acceptNext, say, events } =
//     widgetPage(() => ({ edge, browser }));
//
// env() is read at each call, so a test file may start its edge and browser
// in before() after taking the helpers. widgetSuite(launchOptions) does that
// for a file: it starts one edge and one browser before its tests, stops
// them after, and returns {env, ...the helpers}, env.edge and env.browser
// being set once the tests run.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { api, launchBrowser, mintToken, newContext, startEdge, waitFor } from './harness.mjs';

export function widgetSuite(launchOptions = {}) {
  const env = {};
  before(async () => {
    env.edge = await startEdge();
    env.browser = await launchBrowser(launchOptions);
  });
  after(async () => {
    await env.browser?.close();
    await env.edge?.stop();
  });
  return { env, ...widgetPage(() => env) };
}

export function widgetPage(env) {
  // A page at the edge's origin with `body` as its content.
  async function hostPage(body, { head = '', headers = {}, context } = {}) {
    const ctx = context || await newContext(env().browser);
    const page = await ctx.newPage();
    const warnings = [];
    page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text()); });
    const url = `${env().edge.url}/host-${Math.random().toString(36).slice(2)}.html`;
    await page.route(url, (route) => route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}
        <script src="/c2c.js" defer></script></head><body>${body}</body></html>`,
    }));
    await page.goto(url);
    return { page, context: ctx, warnings, url };
  }

  function part(page, name, scope = '') {
    return page.locator(`${scope} [data-c2c-part="${name}"]`.trim());
  }

  async function customer(sub, extra = {}) {
    return mintToken(env().edge.url, { sub, name: `Customer ${sub}`, email: `${sub}@example.com`, ...extra });
  }

  async function agent(sub) {
    const token = await mintToken(env().edge.url, { sub, name: `Agent ${sub}`, role: 'agent' });
    const r = await api(env().edge.url, '/api/agent/status', { token, body: { status: 'available' } });
    assert.equal(r.status, 200);
    return token;
  }

  // The agent accepts the queued contact of `kind` from customer `sub` (the
  // queue is shared by every test of this file); its participant token.
  async function acceptNext(agentToken, kind, sub) {
    const item = await waitFor(async () => {
      const q = await api(env().edge.url, '/api/agent/queue', { token: agentToken });
      return q.body.Contacts && q.body.Contacts.find((c) => c.Kind === kind && c.CustomerName === `Customer ${sub}`);
    }, { message: `a ${kind} from ${sub} in the queue` });
    const r = await api(env().edge.url, '/api/agent/accept', { token: agentToken, body: { ContactId: item.ContactId } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { contactId: item.ContactId, token: r.body.ParticipantToken };
  }

  function say(participantToken, text) {
    return api(env().edge.url, '/api/participant/message', {
      token: participantToken, body: { ContentType: 'text/plain', Content: text },
    });
  }

  // Every event of a participant's stream so far (replayed from the start),
  // read for up to `ms`: [{event, data}].
  async function events(participantToken, ms = 800) {
    const ctl = new AbortController();
    const res = await fetch(`${env().edge.url}/api/participant/events`,
      { signal: ctl.signal, headers: { 'X-Amz-Bearer': participantToken } });
    const reader = res.body.getReader();
    let text = '';
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise((r) => setTimeout(() => r({}), 100))]);
      if (chunk.value) text += new TextDecoder().decode(chunk.value);
      if (chunk.done) break;
    }
    ctl.abort();
    return [...text.matchAll(/event: (\S+)\ndata: (.*)\n/g)].map((m) => ({ event: m[1], data: JSON.parse(m[2]) }));
  }

  return { hostPage, part, customer, agent, acceptNext, say, events };
}
