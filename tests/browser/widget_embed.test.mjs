// widget_embed.test.mjs - the widget as a site owner embeds it: one script
// tag and a div, in real Chromium against the real edge server.
//
// Host pages are served from the edge's origin by route.fulfill (so a test
// can choose their HTML and headers, CSP included) and load the real
// /c2c.js from dist/, which loads the real wasm and css. The agent side is
// played over plain HTTP. Covers: rendering, data-attributes, CSS custom
// properties, Bootstrap classes, two widgets, elements added and removed
// later, the public API, every CustomEvent, resume after reload, a bad
// token, another user's token (setToken with another sub), and the iframe
// isolation under a CSP that forbids WebAssembly.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertNoNonLoopback, launchBrowser, mintToken, newContext, startEdge, waitFor,
} from './harness.mjs';
import { widgetPage } from './widget_page.mjs';

let edge;
let browser;

before(async () => {
  edge = await startEdge();
  browser = await launchBrowser({ media: true });
});

after(async () => {
  await browser?.close();
  await edge?.stop();
});

const { hostPage, part, customer, agent, acceptNext, say, events } = widgetPage(() => ({ edge, browser }));

// The messages someone wrote (not the chat's own lines, such as "Bob joined the chat").
const said = (page) => page.locator('[data-c2c-part="message"]:not(.c2c-message--system)');

describe('embedding', () => {
  test('one script and one div render a launcher and add only the ClickToCall global', async () => {
    const token = await customer('embed1');
    const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${token}"></div>`);
    const launcher = part(page, 'launcher');
    await launcher.waitFor();
    assert.equal(await launcher.textContent(), 'Chat with us');
    assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
    const globals = await page.evaluate(() => {
      const f = document.createElement('iframe');
      document.body.append(f);
      const clean = new Set(Object.getOwnPropertyNames(f.contentWindow));
      f.remove();
      return Object.getOwnPropertyNames(window).filter((k) => !clean.has(k));
    });
    assert.deepEqual(globals.filter((k) => k !== 'f'), ['ClickToCall']);
    await launcher.click();
    await part(page, 'panel').waitFor();
    assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
    assert.equal(await part(page, 'status').getAttribute('role'), 'status');
    assertNoNonLoopback(context);
    await context.close();
  });

  test('data-attributes apply, and a bad value warns and falls back', async () => {
    const token = await customer('embed2');
    const { page, context, warnings } = await hostPage(`
      <div id="a" data-c2c data-token="${token}" data-mode="call" data-number="+1 800 555 0100"
           data-label="Ring us" data-theme="dark"></div>
      <div id="b" data-c2c data-token="${token}" data-mode="chat" data-locale="es-MX"></div>
      <div id="c" data-c2c data-token="${token}" data-mode="telepathy" data-theme="neon"
           data-api="http://127.0.0.2:9/api/" data-number="not a number"></div>`);
    await part(page, 'launcher', '#c').waitFor();
    assert.equal(await part(page, 'launcher', '#a').textContent(), 'Ring us');
    assert.match(await page.locator('#a .c2c').getAttribute('class'), /c2c-theme-dark/);
    await waitFor(() => part(page, 'launcher', '#a').evaluate((el) =>
      getComputedStyle(el).backgroundColor === 'rgb(127, 176, 255)'), { message: 'the dark palette' });
    assert.match(await page.locator('#a .c2c').getAttribute('class'), /c2c--call/);
    assert.equal(await page.locator('#b .c2c').getAttribute('lang'), 'es');
    assert.notEqual(await part(page, 'launcher', '#b').textContent(), 'Chat with us');
    assert.match(await page.locator('#c .c2c').getAttribute('class'), /c2c--chat/);
    assert.ok(warnings.some((w) => /data-mode "telepathy"/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /data-theme "neon"/.test(w)), warnings.join('\n'));
    // The token only goes to the script's origin unless the site's code says otherwise.
    assert.ok(warnings.some((w) => /data-api .* not on the script's origin/.test(w)), warnings.join('\n'));
    const apiHosts = [];
    page.on('request', (r) => { if (r.url().includes('/api/')) apiHosts.push(new URL(r.url()).host); });
    await part(page, 'launcher', '#c').click();
    await part(page, 'chat-start', '#c').click();
    await waitFor(async () => (await part(page, 'status', '#c').getAttribute('class')).includes('waiting'),
      { message: 'the chat starts on the script origin' });
    assert.deepEqual([...new Set(apiHosts)], [new URL(edge.url).host]);
    await context.close();
  });

  test('CSS custom properties on the div theme the widget', async () => {
    const token = await customer('embed3');
    const { page, context } = await hostPage(
      `<div data-c2c data-token="${token}" style="--c2c-color-primary: rgb(1, 2, 3); --c2c-radius: 0px"></div>`);
    const launcher = part(page, 'launcher');
    await launcher.waitFor();
    await waitFor(() => launcher.evaluate((el) => getComputedStyle(el).backgroundColor === 'rgb(1, 2, 3)'),
      { message: 'the themed background' });
    assert.equal(await launcher.evaluate((el) => getComputedStyle(el).borderTopLeftRadius), '0px');
    await context.close();
  });

  test('Bootstrap classes from data-button-class just work', async () => {
    const token = await customer('embed4');
    const { page, context } = await hostPage(
      `<div data-c2c data-token="${token}" data-mode="call" data-number="+18005550100"
            data-button-class="btn btn-primary" data-input-class="form-control"></div>`,
      { head: '<link rel="stylesheet" href="/vendor/bootstrap.min.css">' });
    const launcher = part(page, 'launcher');
    await launcher.waitFor();
    assert.match(await launcher.getAttribute('class'), /\bbtn btn-primary\b/);
    const bg = await launcher.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(bg, 'rgb(13, 110, 253)'); // Bootstrap 5's primary, not ours
    await context.close();
  });

  test('two widgets on one page work independently', async () => {
    const t1 = await customer('embed5a');
    const t2 = await customer('embed5b');
    const { page, context } = await hostPage(`
      <div id="one" data-c2c data-token="${t1}"></div>
      <div id="two" data-c2c data-token="${t2}"></div>`);
    await part(page, 'launcher', '#two').waitFor();
    await part(page, 'launcher', '#one').click();
    await part(page, 'chat-start', '#one').click();
    await waitFor(async () => (await part(page, 'status', '#one').getAttribute('class')).includes('waiting'),
      { message: 'widget one waiting' });
    assert.equal(await part(page, 'panel', '#two').count(), 0);
    await part(page, 'launcher', '#two').click();
    assert.match(await part(page, 'status', '#two').getAttribute('class'), /c2c-status--idle/);
    await context.close();
  });

  test('elements added later mount, removed ones unmount, and the JS API works', async () => {
    const token = await customer('embed6');
    const { page, context } = await hostPage('<main id="app"></main>');
    await page.waitForFunction(() => window.ClickToCall);
    await page.evaluate((t) => {
      const el = document.createElement('div');
      el.id = 'late';
      el.setAttribute('data-c2c', '');
      el.setAttribute('data-token', t);
      document.getElementById('app').append(el);
    }, token);
    await part(page, 'launcher', '#late').waitFor();
    await page.evaluate(() => document.getElementById('late').remove());
    // An element that gets data-c2c later mounts too, and loses its widget with it.
    await page.evaluate((t) => {
      const el = document.createElement('div');
      el.id = 'flagged';
      el.setAttribute('data-token', t);
      document.body.append(el);
      requestAnimationFrame(() => el.setAttribute('data-c2c', ''));
    }, token);
    await part(page, 'launcher', '#flagged').waitFor();
    await page.evaluate(() => document.getElementById('flagged').removeAttribute('data-c2c'));
    await waitFor(async () => (await page.locator('#flagged .c2c').count()) === 0, { message: 'unmounted' });
    await page.evaluate(async (t) => {
      const el = document.createElement('div');
      el.id = 'manual';
      document.body.append(el);
      window.events = [];
      el.addEventListener('c2c:ready', () => window.events.push('ready'));
      await window.ClickToCall.mount(el, { token: t, mode: 'call', number: '+18005550100', label: 'Manual' });
      window.ClickToCall.setToken(el, t);
    }, token);
    assert.equal(await part(page, 'launcher', '#manual').textContent(), 'Manual');
    assert.deepEqual(await page.evaluate(() => window.events), ['ready']);
    await page.evaluate(() => window.ClickToCall.unmount(document.getElementById('manual')));
    assert.equal(await page.locator('#manual .c2c').count(), 0);
    await context.close();
  });
});

describe('chat through the widget', () => {
  test('start, agent joins, messages both ways with CustomEvents, reload resumes, end', async () => {
    const token = await customer('chat1');
    const agentToken = await agent('agent-chat1');
    const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${token}" data-mode="chat"></div>`);
    const streamRequests = []; // no credential in any URL; the stream's token in a header
    const credentialUrls = [];
    page.on('request', (r) => {
      if (/[?&](token|access_token|ticket)=/i.test(r.url())) credentialUrls.push(r.url());
      if (r.url().includes('/participant/events')) streamRequests.push(r.headers());
    });
    await page.evaluate(() => {
      window.seen = [];
      for (const t of ['c2c:ready', 'c2c:state', 'c2c:message', 'c2c:ended', 'c2c:error']) {
        document.getElementById('w').addEventListener(t, (e) => window.seen.push([t, e.detail]));
      }
    });
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    await waitFor(() => page.evaluate(() => window.seen.some(([t, d]) => t === 'c2c:state' && d.state === 'waiting')),
      { message: 'c2c:state waiting' });
    const { token: agentPt } = await acceptNext(agentToken, 'CHAT', 'chat1');
    await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes('connected'),
      { message: 'connected' });

    const input = part(page, 'chat-input');
    await input.fill('Hello from the widget');
    await input.press('Enter');
    await waitFor(async () => {
      const t = await api(edge.url, '/api/participant/transcript', { token: agentPt, body: {} });
      return t.body.Transcript && t.body.Transcript.some((m) => m.Content === 'Hello from the widget');
    }, { message: 'the customer message at the agent' });
    assert.equal(await input.inputValue(), '');

    assert.equal((await say(agentPt, 'Hi, how can I help?')).status, 200);
    await waitFor(async () => (await part(page, 'message').allTextContents()).some((t) => t.includes('Hi, how can I help?')),
      { message: 'the agent message shown' });
    assert.ok(await page.evaluate(() => window.seen.some(([t, d]) => t === 'c2c:message' && d.text === 'Hi, how can I help?')));
    assert.deepEqual(credentialUrls, []);
    assert.ok(streamRequests.length > 0, 'no event stream was opened');
    assert.ok(streamRequests.every((h) => h['x-amz-bearer'] && h['x-amz-bearer'].includes('.')), 'stream without X-Amz-Bearer');

    await page.reload();
    await waitFor(async () => (await said(page).count()) === 2, { message: 'history after reload' });
    assert.match(await part(page, 'status').getAttribute('class'), /connected/);

    await page.evaluate(() => {
      window.seen = [];
      document.getElementById('w').addEventListener('c2c:ended', (e) => window.seen.push(['c2c:ended', e.detail]));
    });
    await part(page, 'chat-end').click();
    await part(page, 'end-yes').click();
    await waitFor(() => page.evaluate(() => window.seen.some(([t]) => t === 'c2c:ended')), { message: 'c2c:ended' });
    await part(page, 'rate-skip').click(); // the rating step (widget_end.test.mjs), then a new chat
    await part(page, 'chat-start').waitFor();
    assertNoNonLoopback(context);
    await context.close();
    // Calls ring the agent idle longest: leave the next tests' agents alone.
    await api(edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
  });

  test('a stale resume flag does not start a new chat', async () => {
    const token = await customer('stale1');
    const agentToken = await agent('agent-stale1');
    const { page, context, url } = await hostPage(`<div data-c2c data-token="${token}"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    const { contactId } = await acceptNext(agentToken, 'CHAT', 'stale1');
    await api(edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
    await page.goto(`${edge.url}/healthz`);
    assert.equal((await api(edge.url, '/api/agent/end', { token: agentToken, body: { ContactId: contactId } })).status, 200);
    await page.goto(url);
    await part(page, 'launcher').waitFor();
    await waitFor(async () => (await part(page, 'launcher').getAttribute('aria-expanded')) === 'false',
      { message: 'the resume found nothing and closed' });
    const q = await api(edge.url, '/api/agent/queue', { token: agentToken });
    assert.equal(q.body.Contacts.filter((c) => c.CustomerName === 'Customer stale1').length, 0);
    assert.equal(await part(page, 'error').count(), 0);
    await context.close();
  });

  test('a second browser of the same user sees the same chat', async () => {
    const token = await customer('chat2');
    const first = await hostPage(`<div data-c2c data-token="${token}"></div>`);
    await part(first.page, 'launcher').click();
    await part(first.page, 'chat-input').waitFor({ state: 'detached' }).catch(() => {});
    await part(first.page, 'chat-start').click();
    await part(first.page, 'chat-input').fill('from the laptop');
    await waitFor(async () => !(await part(first.page, 'chat-input').isDisabled()), { message: 'input enabled' });
    await part(first.page, 'chat-input').press('Enter');
    await waitFor(async () => (await said(first.page).count()) === 1, { message: 'own message shown' });

    const second = await hostPage(`<div data-c2c data-token="${token}"></div>`);
    await part(second.page, 'launcher').click();
    await part(second.page, 'chat-start').click();
    await waitFor(async () => (await part(second.page, 'message').allTextContents()).some((t) => t.includes('from the laptop')),
      { message: 'the same chat on the phone' });
    await first.context.close();
    await second.context.close();
  });

  test('a bad token shows a sign-in message and fires c2c:error', async () => {
    const { page, context } = await hostPage('<div id="w" data-c2c data-token="not.a.token"></div>');
    await page.evaluate(() => {
      window.errors = [];
      document.getElementById('w').addEventListener('c2c:error', (e) => window.errors.push(e.detail));
    });
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    const alert = part(page, 'error');
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Please sign in again');
    assert.equal(await alert.getAttribute('role'), 'alert');
    assert.ok(await page.evaluate(() => window.errors.some((e) => e.code === 'auth')));
    await context.close();
  });

  test('a token provider that hands over another user\'s token switches users; the old request is not sent as the new user', async () => {
    const tokenA = await customer('spa');
    const forgedA = `${tokenA.slice(0, tokenA.lastIndexOf('.'))}.AAAA`; // A's claims, a failing signature
    const tokenB = await customer('spb');
    const agentToken = await agent('agent-provider');
    const { page, context } = await hostPage(`
      <script>window.calls = 0; window.nextToken = () => { window.calls++; return Promise.resolve(${JSON.stringify(tokenB)}); };</script>
      <div id="w" data-c2c data-token="${forgedA}" data-token-provider="nextToken"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    // A's start got 401, the provider answered with B's token: B is at the device now.
    await waitFor(() => page.evaluate(() => window.calls === 1), { message: 'the provider was asked' });
    await waitFor(async () => (await part(page, 'panel').count()) === 0, { message: 'the widget closed for B' });
    await new Promise((r) => setTimeout(r, 500));
    const q = await api(edge.url, '/api/agent/queue', { token: agentToken });
    assert.ok(!q.body.Contacts.some((c) => c.CustomerName === 'Customer spb'), 'A\'s click started no chat for B');
    // B's own click starts B's chat, with B's token.
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    await acceptNext(agentToken, 'CHAT', 'spb');
    assert.equal(await page.evaluate(() => window.calls), 1);
    await api(edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
    await context.close();
  });

  test('a token provider is asked again after a 401', async () => {
    const good = await customer('chat4');
    const { page, context } = await hostPage(`
      <script>window.calls = 0; window.freshToken = () => { window.calls++; return Promise.resolve(${JSON.stringify(good)}); };</script>
      <div id="w" data-c2c data-token="expired.or.bad" data-token-provider="freshToken"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes('waiting'),
      { message: 'waiting after the refreshed token' });
    assert.equal(await page.evaluate(() => window.calls), 1);
    await context.close();
  });
});

describe('another user at the device', () => {
  // The resume flags in the page's localStorage: {sub: value} for our keys.
  const flags = (page) => page.evaluate(() => Object.fromEntries(Object.keys(localStorage)
    .filter((k) => k.startsWith('c2c.active.')).map((k) => [k.split('|').pop(), localStorage.getItem(k)])));

  test('setToken with another sub drops the old chat, resumes the new user\'s own, and a refresh changes nothing', async () => {
    const tokenA = await customer('swa');
    const tokenB = await customer('swb');
    const agentToken = await agent('agent-switch');
    // B has a chat open in another tab of this browser: B's flag is stored.
    const tab = await hostPage(`<div data-c2c data-token="${tokenB}"></div>`);
    await part(tab.page, 'launcher').click();
    await part(tab.page, 'chat-start').click();
    const { token: agentPtB } = await acceptNext(agentToken, 'CHAT', 'swb');
    assert.equal((await say(agentPtB, 'Hello B')).status, 200);
    await waitFor(async () => (await said(tab.page).count()) === 1, { message: 'B sees the message' });
    await tab.page.close();

    const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${tokenA}"></div>`,
      { context: tab.context });
    await page.evaluate(() => {
      window.seen = [];
      for (const t of ['c2c:state', 'c2c:ended', 'c2c:error']) {
        document.getElementById('w').addEventListener(t, (e) => window.seen.push([t, e.detail.state || e.detail.reason || e.detail.code]));
      }
    });
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    const { token: agentPtA } = await acceptNext(agentToken, 'CHAT', 'swa');
    assert.equal((await say(agentPtA, 'A, your card ends in 4242')).status, 200);
    await waitFor(async () => (await part(page, 'message').allTextContents()).some((t) => t.includes('4242')),
      { message: 'A sees the message' });
    assert.deepEqual(await flags(page), { swa: '1', swb: '1' });

    // B signs in on this page: nothing of A's is left, and B's own chat resumes.
    await page.evaluate((t) => { window.seen = []; window.ClickToCall.setToken(document.getElementById('w'), t); }, tokenB);
    await waitFor(async () => (await part(page, 'message').allTextContents()).some((t) => t.includes('Hello B')),
      { message: 'B\'s own chat resumed' });
    assert.ok(!(await part(page, 'message').allTextContents()).some((t) => t.includes('4242')), 'A\'s transcript is gone');
    await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes('connected'), { message: 'B connected' });
    const states = await page.evaluate(() => window.seen.map(([t, v]) => `${t}:${v}`));
    assert.equal(states[0], 'c2c:state:idle', states.join(' '));
    assert.ok(!states.some((x) => x.startsWith('c2c:ended') || x.startsWith('c2c:error')), states.join(' '));
    // A's chat stays open for A (nothing was ended), and so does A's flag on this device:
    // A signing in here again resumes it.
    assert.equal((await say(agentPtA, 'still there?')).status, 200);
    assert.deepEqual(await flags(page), { swa: '1', swb: '1' });
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!(await part(page, 'message').allTextContents()).some((t) => t.includes('still there?')),
      'A\'s stream is closed');
    assert.ok(!(await events(agentPtA)).some((e) => e.event === 'contact.state' && e.data.State === 'ENDED'));

    // A fresh token for the same user is a refresh: nothing changes.
    const tokenB2 = await customer('swb', { email: 'swb+refresh@example.com' });
    assert.notEqual(tokenB2, tokenB);
    await page.evaluate((t) => { window.seen = []; window.ClickToCall.setToken(document.getElementById('w'), t); }, tokenB2);
    assert.equal((await say(agentPtB, 'still B')).status, 200);
    await waitFor(async () => (await part(page, 'message').allTextContents()).some((t) => t.includes('still B')),
      { message: 'B\'s chat goes on' });
    assert.deepEqual(await page.evaluate(() => window.seen), []);

    // C, who has no chat here: an idle launcher, closed, showing nothing.
    const tokenC = await customer('swc');
    await page.evaluate((t) => window.ClickToCall.setToken(document.getElementById('w'), t), tokenC);
    await waitFor(async () => (await part(page, 'message').count()) === 0, { message: 'nothing of B\'s shown' });
    assert.equal(await part(page, 'launcher').getAttribute('aria-expanded'), 'false');
    assert.equal(await part(page, 'panel').count(), 0);
    assert.deepEqual(await flags(page), { swa: '1', swb: '1' }); // A's and B's, none of C's
    assert.equal((await say(agentPtB, 'B is still served')).status, 200);
    // C's own start is C's chat, not B's.
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    await acceptNext(agentToken, 'CHAT', 'swc');
    // (the "joined the chat" line may be there already: it is the chat's own, not B's)
    assert.equal(await page.locator('[data-c2c-part="message"]:not(.c2c-message--system)').count(), 0);
    assertNoNonLoopback(context);
    await context.close();
    await api(edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
  });

  test('a chat the previous user\'s start created after the switch is left, not kept waiting', async () => {
    const tokenA = await customer('sla');
    const tokenB = await customer('slb');
    const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${tokenA}"></div>`);
    let answered = null;
    await page.route('**/api/startChatContact', async (route) => {
      await new Promise((r) => setTimeout(r, 700)); // the answer comes after B has signed in
      const response = await route.fetch();
      answered = await response.json();
      await route.fulfill({ response });
    });
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    await page.evaluate((t) => window.ClickToCall.setToken(document.getElementById('w'), t), tokenB);
    await waitFor(() => answered, { message: 'A\'s start answered' });
    const created = answered.data.startChatResult.ContactId;
    assert.equal(answered.data.resumed, false);
    // The bridge leaves that chat: A has no open chat any more, and A's next
    // chat follows it.
    const resume = { Attributes: {}, ResumeOnly: true };
    await waitFor(async () => (await api(edge.url, '/api/startChatContact', { token: tokenA, body: resume })).status === 404,
      { message: 'A\'s chat was left' });
    const next = await api(edge.url, '/api/startChatContact', { token: tokenA, body: { Attributes: {} } });
    assert.equal(next.body.data.previousContactId, created);
    assert.equal(await part(page, 'panel').count(), 0, 'B sees nothing of it');
    await api(edge.url, '/api/participant/disconnect',
      { token: next.body.data.startChatResult.ParticipantToken, body: {} });
    await context.close();
  });

  test('setToken with another sub hangs up a live call', async () => {
    const token = await customer('swcall');
    const { page, context } = await hostPage(
      `<div id="w" data-c2c data-token="${token}" data-mode="call" data-number="+18005550100"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'dial').click();
    await waitFor(async () => /queued|ringing/.test(await part(page, 'status').getAttribute('class')),
      { message: 'the call waits' });
    const watcher = await mintToken(edge.url, { sub: 'watcher-switch', role: 'agent' });
    const waiting = async () => (await api(edge.url, '/api/agent/queue', { token: watcher })).body.Contacts
      .filter((c) => c.Kind === 'CALL' && c.CustomerName === 'Customer swcall').length;
    assert.equal(await waiting(), 1);
    const other = await customer('swcall2');
    await page.evaluate((t) => window.ClickToCall.setToken(document.getElementById('w'), t), other);
    await waitFor(async () => (await waiting()) === 0, { message: 'the old user\'s call was hung up' });
    assert.equal(await part(page, 'launcher').getAttribute('aria-expanded'), 'false');
    assert.equal(await part(page, 'keypad').count(), 0);
    await context.close();
  });
});

describe('video escalation', () => {
  test('the agent offers video: join (camera off), the offer reaches the agent, camera on, end, chat goes on', async () => {
    const token = await customer('video1');
    const agentToken = await agent('agent-video1');
    const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${token}" data-mode="video"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    const { token: agentPt } = await acceptNext(agentToken, 'CHAT', 'video1');
    await api(edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
    await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes('connected'), { message: 'connected' });
    const offer = await api(edge.url, '/api/participant/video', { token: agentPt, body: { Action: 'offer' } });
    assert.equal(offer.status, 200);
    await part(page, 'video-offer').waitFor();
    await part(page, 'video-join').click();
    await part(page, 'video-remote').waitFor();
    const signal = await waitFor(async () => (await events(agentPt)).find((e) => e.event === 'signal'),
      { message: 'the customer offer at the agent' });
    assert.equal(signal.data.Type, 'offer');
    assert.match(signal.data.Payload.sdp, /m=video/);
    const camera = part(page, 'camera');
    assert.equal(await camera.getAttribute('aria-pressed'), 'false');
    await camera.click();
    await waitFor(async () => (await camera.getAttribute('aria-pressed')) === 'true', { message: 'camera on' });
    await part(page, 'video-end').click();
    await waitFor(async () => (await events(agentPt)).some((e) => e.event === 'video.ended'),
      { message: 'video.ended at the agent' });
    assert.equal(await part(page, 'video').count(), 0);
    await part(page, 'chat-input').fill('still here');
    await part(page, 'chat-input').press('Enter');
    await waitFor(async () => (await part(page, 'message').allTextContents()).some((t) => t.includes('still here')),
      { message: 'chat goes on' });
    assertNoNonLoopback(context);
    await context.close();
  });

  test('declining the offer tells the agent, and the chat goes on', async () => {
    const token = await customer('video2');
    const agentToken = await agent('agent-video2');
    const { page, context } = await hostPage(`<div data-c2c data-token="${token}"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    const { token: agentPt } = await acceptNext(agentToken, 'CHAT', 'video2');
    await api(edge.url, '/api/agent/status', { token: agentToken, body: { status: 'offline' } });
    await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes('connected'), { message: 'connected' });
    assert.equal((await api(edge.url, '/api/participant/video', { token: agentPt, body: { Action: 'offer' } })).status, 200);
    await part(page, 'video-decline').click();
    const declined = await waitFor(async () => (await events(agentPt)).find((e) => e.event === 'video.declined'),
      { message: 'video.declined at the agent' });
    assert.equal(declined.data.FromRole, 'CUSTOMER');
    assert.equal(await part(page, 'video-offer').count(), 0);
    await part(page, 'chat-input').fill('no camera today');
    await part(page, 'chat-input').press('Enter');
    await waitFor(async () => (await part(page, 'message').allTextContents()).some((t) => t.includes('no camera today')),
      { message: 'chat goes on' });
    await context.close();
  });
});

describe('call through the widget', () => {
  test('dial, the agent answers, keypad by click and keyboard reaches the agent in order, hang up', async () => {
    const token = await customer('call1');
    const agentToken = await agent('agent-call1');
    const { page, context } = await hostPage(
      `<div id="w" data-c2c data-token="${token}" data-mode="call" data-number="+1 (800) 555-0100"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'dial').click();
    const { token: agentPt } = await acceptNext(agentToken, 'CALL', 'call1');
    await part(page, 'keypad').waitFor();
    await part(page, 'key-1').click();
    await part(page, 'key-2').click();
    await part(page, 'key-hash').focus();
    await page.keyboard.press('3');
    await page.keyboard.press('*');
    await waitFor(async () => (await part(page, 'digits').textContent()).includes('12'), { message: 'digits shown' });
    const digits = await waitFor(async () => {
      const got = (await events(agentPt)).filter((e) => e.event === 'dtmf').map((e) => e.data.Digit).join('');
      return got.length >= 4 ? got : null;
    }, { timeout: 8000, message: 'four dtmf events at the agent' });
    assert.equal(digits, '123*');
    await part(page, 'hangup').click();
    await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes('ended'), { message: 'ended' });
    await part(page, 'dial').waitFor();
    await context.close();
  });

  test('leaving the page hangs up a live call', async () => {
    const token = await customer('call3');
    const { page, context } = await hostPage(
      `<div data-c2c data-token="${token}" data-mode="call" data-number="+18005550100"></div>`);
    await part(page, 'launcher').click();
    await part(page, 'dial').click();
    await waitFor(async () => /queued|ringing/.test(await part(page, 'status').getAttribute('class')),
      { message: 'the call waits' });
    const watcher = await mintToken(edge.url, { sub: 'watcher', role: 'agent' });
    const waiting = async () => (await api(edge.url, '/api/agent/queue', { token: watcher })).body.Contacts
      .filter((c) => c.Kind === 'CALL' && c.CustomerName === 'Customer call3').length;
    assert.equal(await waiting(), 1);
    await page.goto(`${edge.url}/healthz`);
    await waitFor(async () => (await waiting()) === 0, { message: 'the call ended when the page went' });
    await context.close();
  });

  test('a denied microphone says so and leaves nothing stuck', async () => {
    const noMedia = await launchBrowser({ media: false });
    try {
      const token = await customer('call2');
      const ctx = await newContext(noMedia);
      const { page } = await hostPage(
        `<div data-c2c data-token="${token}" data-mode="call" data-number="+18005550100"></div>`, { context: ctx });
      await part(page, 'launcher').click();
      await part(page, 'dial').click();
      const alert = part(page, 'error');
      await alert.waitFor();
      assert.match(await alert.textContent(), /microphone/i);
      await waitFor(async () => !(await part(page, 'dial').isDisabled()), { message: 'can dial again' });
      const q = await api(edge.url, '/api/agent/queue', { token: await agent('agent-call2') });
      assert.equal(q.body.Contacts.filter((c) => c.Kind === 'CALL' && c.CustomerName === 'Customer call2').length, 0);
      await ctx.close();
    } finally {
      await noMedia.close();
    }
  });
});

describe('isolation', () => {
  test('data-isolation="iframe" works under a CSP without wasm-unsafe-eval', async () => {
    const token = await customer('iso1');
    const csp = `default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'; frame-src 'self'; connect-src 'self'`;
    const { page, context } = await hostPage(`
      <div id="framed" data-c2c data-isolation="iframe" data-token="${token}" data-label="Framed"></div>
      <div id="direct" data-c2c data-token="${token}"></div>`,
    { headers: { 'content-security-policy': csp } });
    const frameEl = page.locator('#framed iframe.c2c-frame');
    await frameEl.waitFor();
    assert.ok(!(await frameEl.getAttribute('src')).includes(token), 'the token never goes in a URL');
    const frame = page.frameLocator('#framed iframe');
    await frame.locator('[data-c2c-part="launcher"]').waitFor();
    assert.equal(await frame.locator('[data-c2c-part="launcher"]').textContent(), 'Framed');
    // The direct widget cannot compile WebAssembly under this CSP: it reports it.
    await waitFor(() => page.evaluate(() => !document.querySelector('#direct .c2c')), { message: 'no direct widget' });
    await frame.locator('[data-c2c-part="launcher"]').click();
    await frame.locator('[data-c2c-part="chat-start"]').click();
    await waitFor(async () => (await frame.locator('[data-c2c-part="status"]').getAttribute('class')).includes('waiting'),
      { message: 'the framed chat waiting' });
    assertNoNonLoopback(context);
    await context.close();
  });
});
