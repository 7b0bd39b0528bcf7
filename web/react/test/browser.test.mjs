/*
 * Browser tests of the built <ClickToCall> (web/react/dist) against a test double of /c2c.js
 * (fixtures/c2c-double.js): script loading once, mount options, setToken, remounts, unmounts,
 * StrictMode, CustomEvent callbacks, cancelled mounts and load failures. The page
 * (fixtures/app.jsx) is bundled with esbuild into a temp dir and served by a node http server on
 * 127.0.0.1 together with the double; headless Chromium (playwright-core) drives it and any
 * request leaving 127.0.0.1 is aborted and fails the test.
 * Run from the repo root after building: npx tsc -p web/react && node --test web/react/test/
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');
const dist = join(here, '..', 'dist', 'index.js');

const PAGE = (head = '') =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head>` +
  `<body><div id="root"></div><script src="/app.js"></script></body></html>`;

let tmp;
let server;
let origin;
let browser;
let appJs;
let doubleJs;
/** Requests per path, and the responses of /c2c-slow.js held until release(). */
const requests = new Map();
let held = [];

function release() {
  for (const res of held) {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(doubleJs);
  }
  held = [];
}

function handle(req, res) {
  const path = new URL(req.url, origin).pathname;
  requests.set(path, (requests.get(path) || 0) + 1);
  const send = (status, type, body) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  switch (path) {
    case '/':
      return send(200, 'text/html', PAGE());
    case '/preloaded':
      return send(200, 'text/html', PAGE('<script src="/c2c.js"></script>'));
    case '/pending-tag':
      return send(200, 'text/html', PAGE('<script async src="/c2c-slow.js"></script>'));
    case '/app.js':
      return send(200, 'text/javascript', appJs);
    case '/c2c.js':
      return send(200, 'text/javascript', doubleJs);
    case '/c2c-slow.js':
      held.push(res);
      return undefined;
    case '/not-widget.js':
      return send(200, 'text/javascript', 'window.__notWidget = true;');
    default:
      return send(404, 'text/plain', 'not found');
  }
}

before(async () => {
  assert.ok(existsSync(dist), `${dist} is missing: run npx tsc -p web/react first`);
  tmp = mkdtempSync(join(tmpdir(), 'c2c-react-test-'));
  await build({
    entryPoints: [join(fixtures, 'app.jsx')],
    outfile: join(tmp, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  appJs = readFileSync(join(tmp, 'app.js'));
  doubleJs = readFileSync(join(fixtures, 'c2c-double.js'));
  server = createServer(handle);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  release();
  if (browser) await browser.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A fresh page (new context, so nothing is cached) on `path`; returns helpers. */
async function open(t, path = '/') {
  requests.clear();
  const context = await browser.newContext();
  const offHost = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/')) return route.continue();
    offHost.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  t.after(async () => {
    release();
    await context.close();
    assert.deepEqual(offHost, [], 'requests left 127.0.0.1');
    assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
  });
  await page.goto(origin + path, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => typeof window.__render === 'function');
  const h = {
    page,
    render: (config) => page.evaluate((c) => window.__render(c), config),
    calls: () => page.evaluate(() => window.__c2cCalls || []),
    live: () => page.evaluate(() => (window.__c2cLive ? window.__c2cLive() : [])),
    loads: () => page.evaluate(() => window.__c2cLoads || 0),
    problems: () => page.evaluate(() => window.__c2cProblems || []),
    events: () => page.evaluate(() => window.__events),
    emit: (id, type, detail) => page.evaluate(([i, ty, d]) => window.__c2cEmit(i, ty, d), [id, type, detail]),
    scriptTags: (src) =>
      page.evaluate((s) => [...document.scripts].filter((e) => e.getAttribute('src') === s || e.src.endsWith(s)).length, src),
    waitFor: (fn, arg) => page.waitForFunction(fn, arg, { timeout: 5000 }),
  };
  return h;
}

const waitCalls = (h, n) => h.waitFor((k) => (window.__c2cCalls || []).length >= k, n);

test('two components load the script once and mount each with its options', async (t) => {
  const h = await open(t);
  await h.render({
    items: [
      {
        id: 'a',
        props: {
          token: 'tok-a',
          mode: 'call',
          number: '+15550100',
          queue: 'sales',
          label: 'Call us',
          displayName: 'Ann',
          locale: 'es-MX',
          theme: 'dark',
          buttonClass: 'btn btn-primary',
          secondaryClass: 'btn btn-secondary',
          dangerClass: 'btn btn-outline-danger',
          closeClass: 'btn-close',
          layout: 'floating',
          position: 'bottom-left',
          inputClass: 'form-control',
          panelClass: 'card',
          attributes: { plan: 'gold' },
          hideWhenClosed: 'grey',
          isolation: 'iframe',
          api: origin + '/api',
          className: 'c2c-host',
          style: { minHeight: 40 },
        },
      },
      { id: 'b', props: { tokenProvider: 'echo:tok-b', mode: 'chat', hideWhenClosed: true } },
    ],
  });
  await waitCalls(h, 2);
  assert.equal(await h.loads(), 1);
  assert.equal(requests.get('/c2c.js'), 1);
  assert.equal(await h.scriptTags('/c2c.js'), 1);
  const calls = await h.calls();
  assert.equal(calls.length, 2);
  const byId = Object.fromEntries(calls.map((c) => [c.id, c]));
  assert.deepEqual(byId.a, {
    fn: 'mount',
    id: 'a',
    connected: true,
    options: {
      token: 'tok-a',
      api: origin + '/api',
      mode: 'call',
      number: '+15550100',
      queue: 'sales',
      label: 'Call us',
      displayName: 'Ann',
      locale: 'es-MX',
      theme: 'dark',
      layout: 'floating',
      position: 'bottom-left',
      buttonClass: 'btn btn-primary',
      secondaryClass: 'btn btn-secondary',
      dangerClass: 'btn btn-outline-danger',
      closeClass: 'btn-close',
      inputClass: 'form-control',
      panelClass: 'card',
      attributes: { plan: 'gold' },
      hideWhenClosed: 'grey',
      isolation: 'iframe',
    },
  });
  assert.deepEqual(byId.b, {
    fn: 'mount',
    id: 'b',
    connected: true,
    options: { tokenProvider: '[function]', mode: 'chat', hideWhenClosed: true },
  });
  assert.equal(await h.page.evaluate(() => window.__c2cProvideToken('b')), 'tok-b');
  const host = await h.page.evaluate(() => {
    const el = document.getElementById('a');
    return { className: el.className, minHeight: el.style.minHeight, tag: el.tagName, c2c: el.hasAttribute('data-c2c') };
  });
  assert.deepEqual(host, { className: 'c2c-host', minHeight: '40px', tag: 'DIV', c2c: false });
  assert.deepEqual(await h.live(), ['a', 'b']);
  assert.deepEqual(await h.problems(), []);
});

test('a token change calls setToken without remounting; other props do not remount', async (t) => {
  const h = await open(t);
  const props = { token: 't1', mode: 'call', number: '+15550100', label: 'Call' };
  await h.render({ items: [{ id: 'a', props }] });
  await waitCalls(h, 1);
  await h.render({ items: [{ id: 'a', props: { ...props, token: 't2' } }] });
  await h.render({ items: [{ id: 'a', props: { ...props, token: 't2', label: 'Call now', theme: 'dark' } }] });
  await h.render({ items: [{ id: 'a', props: { ...props, token: 't3', label: 'Call now' } }] });
  assert.deepEqual(
    (await h.calls()).map((c) => (c.fn === 'setToken' ? `setToken ${c.token}` : c.fn)),
    ['mount', 'setToken t2', 'setToken t3'],
  );
  assert.deepEqual(await h.live(), ['a']);
  assert.deepEqual(await h.problems(), []);
});

test('the tokenProvider given to the widget asks the current prop', async (t) => {
  const h = await open(t);
  await h.render({ items: [{ id: 'a', props: { tokenProvider: 'echo:one' } }] });
  await waitCalls(h, 1);
  await h.render({ items: [{ id: 'a', props: { tokenProvider: 'echo:two' } }] });
  assert.equal((await h.calls()).length, 1);
  assert.equal(await h.page.evaluate(() => window.__c2cProvideToken('a')), 'two');
});

test('mode, number, queue, layout, position and isolation changes unmount and mount again', async (t) => {
  const h = await open(t);
  let props = { token: 't', mode: 'call', number: '+15550100', queue: 'q1', isolation: 'none' };
  await h.render({ items: [{ id: 'a', props }] });
  await waitCalls(h, 1);
  const changes = [{ mode: 'chat' }, { number: '+15550199' }, { queue: 'q2' }, { isolation: 'iframe' },
    { layout: 'floating' }, { position: 'bottom-left' }];
  for (const change of changes) {
    props = { ...props, ...change };
    await h.render({ items: [{ id: 'a', props }] });
  }
  const calls = await h.calls();
  assert.deepEqual(
    calls.map((c) => c.fn),
    ['mount', 'unmount', 'mount', 'unmount', 'mount', 'unmount', 'mount', 'unmount', 'mount',
      'unmount', 'mount', 'unmount', 'mount'],
  );
  assert.deepEqual(calls.at(-1).options, props);
  assert.equal(calls[2].options.mode, 'chat');
  assert.deepEqual(await h.live(), ['a']);
  assert.deepEqual(await h.problems(), []);
});

test('unmounting the component unmounts the widget from its element', async (t) => {
  const h = await open(t);
  await h.render({ items: [{ id: 'a', props: { token: 't' } }, { id: 'b', props: { token: 'u' } }] });
  await waitCalls(h, 2);
  await h.render({ items: [{ id: 'b', props: { token: 'u' } }] });
  assert.deepEqual((await h.calls()).slice(2), [{ fn: 'unmount', id: 'a' }]);
  assert.deepEqual(await h.live(), ['b']);
  await h.render({ items: [] });
  assert.deepEqual((await h.calls()).slice(3), [{ fn: 'unmount', id: 'b' }]);
  assert.deepEqual(await h.live(), []);
  assert.deepEqual(await h.problems(), []);
});

test('StrictMode leaves exactly one live mount per element (script loading)', async (t) => {
  const h = await open(t);
  await h.render({ strict: true, items: [{ id: 'a', props: { token: 't' } }, { id: 'b', props: { token: 'u' } }] });
  await h.waitFor(() => window.__c2cLive && window.__c2cLive().length === 2);
  await h.page.waitForTimeout(50);
  assert.deepEqual(await h.live(), ['a', 'b']);
  assert.equal(await h.loads(), 1);
  assert.deepEqual(await h.problems(), []);
  // Re-renders and a token change under StrictMode keep it that way.
  await h.render({ strict: true, items: [{ id: 'a', props: { token: 't2' } }, { id: 'b', props: { token: 'u' } }] });
  assert.deepEqual(await h.live(), ['a', 'b']);
  const setTokens = (await h.calls()).filter((c) => c.fn === 'setToken');
  assert.deepEqual(setTokens, [{ fn: 'setToken', id: 'a', token: 't2' }]);
  await h.render({ strict: true, items: [] });
  assert.deepEqual(await h.live(), []);
  assert.deepEqual(await h.problems(), []);
});

test('StrictMode leaves exactly one live mount per element (script already loaded)', async (t) => {
  const h = await open(t, '/preloaded');
  assert.equal(await h.loads(), 1);
  await h.render({ strict: true, items: [{ id: 'a', props: { token: 't' } }, { id: 'b', props: { token: 'u' } }] });
  assert.deepEqual(await h.live(), ['a', 'b']);
  const calls = await h.calls();
  for (const id of ['a', 'b']) {
    const mine = calls.filter((c) => c.id === id).map((c) => c.fn);
    assert.equal(mine.filter((f) => f === 'mount').length - mine.filter((f) => f === 'unmount').length, 1);
  }
  assert.equal(await h.loads(), 1);
  assert.equal(requests.get('/c2c.js'), 1);
  assert.equal(await h.scriptTags('/c2c.js'), 1);
  assert.deepEqual(await h.problems(), []);
});

test('CustomEvents reach the callbacks with their detail, always the latest callbacks', async (t) => {
  const h = await open(t);
  await h.render({ items: [{ id: 'a', props: { token: 't', mode: 'chat' } }, { id: 'b', props: { token: 'u' } }] });
  await waitCalls(h, 2);
  await h.emit('a', 'c2c:state', { state: 'waiting' });
  await h.emit('a', 'c2c:message', { text: 'Hello', role: 'agent' });
  await h.emit('a', 'c2c:error', { code: 'busy', message: 'All agents are busy' });
  await h.emit('a', 'c2c:ended', { reason: 'agent_hangup' });
  await h.emit('b', 'c2c:state', { state: 'dialing' });
  const adds = await h.page.evaluate(() => window.__listenerAdds);
  // New callback identities (tag v2) on re-render: no re-subscription, the new ones are called.
  await h.render({
    items: [
      { id: 'a', tag: 'v2', props: { token: 't', mode: 'chat' } },
      { id: 'b', tag: 'v2', props: { token: 'u' } },
    ],
  });
  await h.emit('a', 'c2c:state', { state: 'connected' });
  assert.equal(await h.page.evaluate(() => window.__listenerAdds), adds);
  const events = (await h.events()).map(({ id, tag, name, detail, isCustomEvent, target }) => {
    assert.equal(isCustomEvent, true);
    assert.equal(target, id);
    return [id, tag, name, detail];
  });
  const ready = events.filter((e) => e[2] === 'ready');
  assert.deepEqual(ready.sort(), [
    ['a', 'v1', 'ready', { mode: 'chat' }],
    ['b', 'v1', 'ready', { mode: 'chat' }],
  ]);
  assert.deepEqual(
    events.filter((e) => e[2] !== 'ready'),
    [
      ['a', 'v1', 'state', { state: 'waiting' }],
      ['a', 'v1', 'message', { text: 'Hello', role: 'agent' }],
      ['a', 'v1', 'error', { code: 'busy', message: 'All agents are busy' }],
      ['a', 'v1', 'ended', { reason: 'agent_hangup' }],
      ['b', 'v1', 'state', { state: 'dialing' }],
      ['a', 'v2', 'state', { state: 'connected' }],
    ],
  );
});

test('a component unmounted before the script has loaded mounts nothing', async (t) => {
  const h = await open(t);
  await h.render({ items: [{ id: 'a', props: { token: 't', scriptUrl: '/c2c-slow.js' } }] });
  for (let i = 0; i < 50 && !requests.get('/c2c-slow.js'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(requests.get('/c2c-slow.js'), 1);
  await h.render({ items: [] });
  release();
  await h.waitFor(() => window.__c2cLoads === 1);
  await h.page.waitForTimeout(50);
  assert.deepEqual(await h.calls(), []);
  assert.deepEqual(await h.live(), []);
  // A later component uses the loaded script without loading it again.
  await h.render({ items: [{ id: 'b', props: { token: 'u', scriptUrl: '/c2c-slow.js' } }] });
  assert.deepEqual((await h.calls()).map((c) => `${c.fn} ${c.id}`), ['mount b']);
  assert.equal(requests.get('/c2c-slow.js'), 1);
  assert.equal(await h.loads(), 1);
});

test('props changed while the script loads: one mount with the latest props, no setToken', async (t) => {
  const h = await open(t);
  const slow = { scriptUrl: '/c2c-slow.js' };
  await h.render({ strict: true, items: [{ id: 'a', props: { ...slow, token: 't1', mode: 'call' } }] });
  await h.render({ strict: true, items: [{ id: 'a', props: { ...slow, token: 't2', mode: 'chat' } }] });
  await h.render({ strict: true, items: [{ id: 'a', props: { ...slow, token: 't3', mode: 'chat', label: 'Hi' } }] });
  for (let i = 0; i < 50 && !held.length; i++) await new Promise((r) => setTimeout(r, 20));
  release();
  await waitCalls(h, 1);
  await h.page.waitForTimeout(50);
  assert.deepEqual(await h.calls(), [
    { fn: 'mount', id: 'a', connected: true, options: { token: 't3', mode: 'chat', label: 'Hi' } },
  ]);
  assert.equal(requests.get('/c2c-slow.js'), 1);
});

test('a <script src> already in the document is reused while it loads', async (t) => {
  const h = await open(t, '/pending-tag');
  await h.render({
    items: [
      { id: 'a', props: { token: 't', scriptUrl: '/c2c-slow.js' } },
      { id: 'b', props: { token: 'u', scriptUrl: origin + '/c2c-slow.js' } },
    ],
  });
  for (let i = 0; i < 50 && !held.length; i++) await new Promise((r) => setTimeout(r, 20));
  release();
  await waitCalls(h, 2);
  assert.equal(requests.get('/c2c-slow.js'), 1);
  assert.equal(await h.scriptTags('/c2c-slow.js'), 1);
  assert.equal(await h.loads(), 1);
  assert.deepEqual(await h.live(), ['a', 'b']);
});

test('a script that fails to load, or defines no ClickToCall, is reported through onError', async (t) => {
  const h = await open(t);
  await h.render({
    items: [
      { id: 'a', props: { scriptUrl: '/missing.js' } },
      { id: 'b', props: { scriptUrl: '/missing.js' } },
      { id: 'c', props: { scriptUrl: '/not-widget.js' } },
    ],
  });
  await h.waitFor(() => window.__events.length >= 3);
  const events = (await h.events()).map((e) => [e.id, e.name, e.detail.code, /missing\.js|not-widget\.js/.test(e.detail.message)]);
  assert.deepEqual(events.sort(), [
    ['a', 'error', 'script_load_failed', true],
    ['b', 'error', 'script_load_failed', true],
    ['c', 'error', 'script_load_failed', true],
  ]);
  assert.equal(requests.get('/missing.js'), 1);
  // The failed <script> is removed so that a later mount can try again.
  assert.equal(await h.scriptTags('/missing.js'), 0);
  await h.render({ items: [{ id: 'd', props: { scriptUrl: '/missing.js' } }] });
  await h.waitFor(() => window.__events.length >= 4);
  assert.equal(requests.get('/missing.js'), 2);
});

test('a mount the widget rejects is not an unhandled rejection and gets no setToken', async (t) => {
  const h = await open(t, '/preloaded');
  await h.page.evaluate(() => {
    window.__c2cFailMounts = true;
  });
  await h.render({ items: [{ id: 'a', props: { token: 't1' } }] });
  await h.render({ items: [{ id: 'a', props: { token: 't2' } }] });
  await h.page.waitForTimeout(50);
  assert.deepEqual((await h.calls()).map((c) => c.fn), ['mount']);
  assert.deepEqual((await h.events()).map((e) => [e.name, e.detail.code]), [['error', 'load']]);
  await h.render({ items: [] });
  assert.deepEqual((await h.calls()).map((c) => c.fn), ['mount', 'unmount']);
});
