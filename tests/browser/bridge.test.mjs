// bridge.test.mjs - unit tests of the JavaScript bridge's own logic
// (widget/js), in real Chromium: the DOM renderer's keyed reuse and
// ordering, the error classification of api.js, tokens.js (claims,
// refresh once for concurrent callers) and stream.js (the SSE parser, and
// the fetch() stream against this test's own /events: token and
// Last-Event-ID in headers, open / event / error reported, close aborts).
// The modules are bundled with esbuild into a page served from a loopback
// HTTP server of this test.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO, assertNoNonLoopback, launchBrowser, newContext } from './harness.mjs';

let server;
let browser;
const streams = []; // what /events saw: {url, headers, closed}
let context;
let page;

const ENTRY = `
  import { Renderer } from './widget/js/render.js';
  import { ApiError, classify } from './widget/js/api.js';
  import { TokenSource, claims } from './widget/js/tokens.js';
  import { ERR } from './widget/js/constants.js';
  import { EventStream, SseParser } from './widget/js/stream.js';
  window.bridge = { Renderer, ApiError, classify, TokenSource, claims, ERR, EventStream, SseParser };
`;

before(async () => {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: REPO, loader: 'js' },
    bundle: true, format: 'iife', write: false, target: 'es2019',
  });
  const js = out.outputFiles[0].text;
  server = http.createServer((req, res) => {
    if (req.url.startsWith('/events')) {
      serveEvents(req, res);
    } else if (req.url === '/bridge.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(js);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><div id="root"></div><script src="/bridge.js"></script>');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
});

after(async () => {
  assertNoNonLoopback(context);
  await browser?.close();
  await new Promise((r) => server.close(r));
});

// /events: one SSE stream per request, recorded in `streams`. ?status=401
// answers an error; ?end=1 ends after the events; otherwise it stays open.
function serveEvents(req, res) {
  const seen = { url: req.url, headers: req.headers, closed: false };
  streams.push(seen);
  res.on('close', () => { seen.closed = true; });
  if (req.url.includes('status=401')) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":"invalid_participant_token","message":"x"}');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.write('retry: 3000\n\n: heartbeat\n\n');
  res.write('id: 7\nevent: message\ndata: {"Content":"a",\ndata: "Id":"m1"}\n\n');
  res.write('id: 8\r\nevent: typing\r\ndata: {"x":1}\r');
  setTimeout(() => {
    res.write('\n\r\nevent: unknown.kind\ndata: {}\n\nevent: queue\ndata: not json\n\n');
    if (req.url.includes('end=1')) res.end();
  }, 30);
}

const node = (o) => ({
  kind: 'text', part: 'x', key: '', parent: -1, text: '', name: '', label: '', variant: '', tone: '',
  action: 0, arg: 0, owner: 'widget', enabled: true, live: false, pressed: -1, expanded: -1,
  maxLength: 0, numeric: false, ...o,
});

test('the renderer keeps elements (and focus and typed text) across frames', async () => {
  const kept = await page.evaluate((frames) => {
    const root = document.getElementById('root');
    const r = new window.bridge.Renderer(root, { primary: 'btn btn-primary', input: 'form-control', panel: '' }, () => null);
    r.render({ hidden: false, nodes: frames[0] });
    const input = r.find('chat-input');
    input.value = 'half typed';
    input.focus();
    r.render({ hidden: false, nodes: frames[1] });
    return {
      same: r.find('chat-input') === input,
      value: input.value,
      focused: document.activeElement === input,
      buttonClass: r.find('chat-send').className,
      disabled: r.find('chat-send').disabled,
      status: r.find('status').textContent,
      statusRole: r.find('status').getAttribute('role'),
      inputAttrs: [input.placeholder, input.getAttribute('maxlength'), input.className],
    };
  }, [
    [node({ part: 'status', text: 'Waiting', live: true }),
      node({ kind: 'input', part: 'chat-input', label: 'Type a message', maxLength: 8192, action: 4 }),
      node({ kind: 'button', part: 'chat-send', text: 'Send', action: 4, tone: 'primary', enabled: false })],
    [node({ part: 'status', text: 'Connected', live: true }),
      node({ kind: 'input', part: 'chat-input', label: 'Type a message', maxLength: 8192, action: 4 }),
      node({ kind: 'button', part: 'chat-send', text: 'Send', action: 4, tone: 'primary', enabled: true })],
  ]);
  assert.deepEqual(kept, {
    same: true, value: 'half typed', focused: true, buttonClass: 'c2c-chat-send btn btn-primary',
    disabled: false, status: 'Connected', statusRole: 'status',
    inputAttrs: ['Type a message', '8192', 'c2c-chat-input form-control'],
  });
});

test('the renderer orders keyed children, moves them, and removes what is gone', async () => {
  const result = await page.evaluate((frames) => {
    const root = document.createElement('div');
    const r = new window.bridge.Renderer(root, { input: '', panel: '' }, () => null);
    const texts = () => [...root.querySelectorAll('[data-c2c-part="message"]')]
      .map((e) => `${e.className}:${e.textContent}`);
    r.render({ hidden: false, nodes: frames[0] });
    const first = root.querySelector('[data-c2c-part="message"]');
    const a = texts();
    r.render({ hidden: false, nodes: frames[1] });
    const b = texts();
    const reused = root.querySelectorAll('[data-c2c-part="message"]')[1] === first;
    r.render({ hidden: true, nodes: frames[2] });
    return { a, b, reused, c: texts(), hidden: root.hidden, log: root.firstChild.getAttribute('role') };
  }, [
    [node({ kind: 'log', part: 'chat-log', label: 'Conversation' }),
      node({ kind: 'item', part: 'message', key: 'm2', parent: 0, name: 'Ann', text: 'two', variant: 'agent' })],
    [node({ kind: 'log', part: 'chat-log' }),
      node({ kind: 'item', part: 'message', key: 'm1', parent: 0, name: 'You', text: 'one', variant: 'customer' }),
      node({ kind: 'item', part: 'message', key: 'm2', parent: 0, name: 'Ann', text: 'two', variant: 'agent' })],
    [node({ kind: 'log', part: 'chat-log' })],
  ]);
  assert.deepEqual(result.a, ['c2c-message c2c-message--agent:Anntwo']);
  assert.deepEqual(result.b, ['c2c-message c2c-message--customer:Youone', 'c2c-message c2c-message--agent:Anntwo']);
  assert.equal(result.reused, true);
  assert.deepEqual(result.c, []);
  assert.equal(result.hidden, true);
  assert.equal(result.log, 'log');
});

test('toggle buttons carry aria-pressed and aria-expanded', async () => {
  const attrs = await page.evaluate((nodes) => {
    const root = document.createElement('div');
    const r = new window.bridge.Renderer(root, { input: '', panel: '' }, () => null);
    r.render({ hidden: false, nodes });
    return [r.find('mute').getAttribute('aria-pressed'), r.find('launcher').getAttribute('aria-expanded'),
      r.find('hangup').hasAttribute('aria-pressed'), r.find('mute').type];
  }, [node({ kind: 'button', part: 'launcher', expanded: 1 }), node({ kind: 'button', part: 'mute', pressed: 1 }),
    node({ kind: 'button', part: 'hangup' })]);
  assert.deepEqual(attrs, ['true', 'true', false, 'button']);
});

test('failed requests are classified into the core error classes', async () => {
  const got = await page.evaluate(() => {
    const { ApiError, classify, ERR } = window.bridge;
    const c = (status, code) => classify(new ApiError(status, code, ''));
    return {
      network: c(0, 'network') === ERR.network,
      auth: c(401, 'token_expired') === ERR.auth,
      used: c(409, 'route_used') === ERR.route_used,
      expired: c(410, 'route_expired') === ERR.route_expired,
      ended: c(409, 'contact_ended') === ERR.ended,
      number: c(403, 'number_not_allowed') === ERR.number && c(400, 'bad_number') === ERR.number,
      server: c(503, 'too_many_connections') === ERR.server,
      rejected: c(400, 'bad_request') === ERR.rejected,
      other: classify(new Error('x')) === ERR.server,
    };
  });
  assert.deepEqual(Object.values(got).every(Boolean), true, JSON.stringify(got));
});

test('tokens: claims are read, and concurrent refreshes share one provider call', async () => {
  const got = await page.evaluate(async () => {
    const { TokenSource, claims } = window.bridge;
    const b64 = (o) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o)))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const jwt = `${b64({ alg: 'HS256' })}.${b64({ sub: 'zoë', exp: 4102444800 })}.sig`;
    let calls = 0;
    const src = new TokenSource('old', () => { calls++; return new Promise((r) => setTimeout(() => r(jwt), 20)); });
    const [a, b] = await Promise.all([src.refresh(), src.refresh()]);
    const bad = new TokenSource('', () => Promise.resolve(''));
    const badErr = await bad.refresh().then(() => null, (e) => e.message);
    src.stop();
    bad.stop();
    return { sub: claims(jwt).sub, junk: claims('nonsense'), calls, same: a === b && a === jwt, subject: src.subject(), badErr };
  });
  assert.equal(got.sub, 'zoë');
  assert.deepEqual(got.junk, {});
  assert.equal(got.calls, 1);
  assert.equal(got.same, true);
  assert.equal(got.subject, 'zoë');
  assert.match(got.badErr, /gave no token/);
});

test('stream: the SSE parser reads fields, comments, multi-line data and any line end', async () => {
  const got = await page.evaluate(() => {
    const out = [];
    const p = new window.bridge.SseParser((name, id, data) => out.push([name, id, data]));
    const text = 'retry: 10\n: comment\n\nid: 1\nevent: message\ndata: one\ndata:two\n\n'
      + 'data: no name\r\n\r\nid: 5\revent: queue\rdata: x\r\rdata: keeps id 5\n\n'
      + 'id\ndata\n\nevent: empty\n\nfield without colon\ndata:  two spaces\n\ndata: unfinished';
    for (let i = 0; i < text.length; i += 3) p.push(text.slice(i, i + 3)); // any split
    return out;
  });
  assert.deepEqual(got, [
    ['message', '1', 'one\ntwo'],
    ['message', '1', 'no name'],
    ['queue', '5', 'x'],
    ['message', '5', 'keeps id 5'],
    ['message', '', ''],
    ['message', '', ' two spaces'],
  ]);
});

test('stream: the token and Last-Event-ID go in headers; open, events, then error at the end', async () => {
  streams.length = 0;
  const got = await page.evaluate(() => new Promise((resolve) => {
    const log = [];
    const s = new window.bridge.EventStream('/events?end=1', 'p.TOKEN', 42, {
      open: () => log.push(['open']),
      event: (name, id, data) => log.push(['event', name, id, data]),
      error: () => { log.push(['error']); s.close(); resolve(log); },
    });
  }));
  assert.deepEqual(got, [
    ['open'],
    ['event', 'message', 7, { Content: 'a', Id: 'm1' }],
    ['event', 'typing', 8, { x: 1 }],
    ['event', 'queue', 8, null],
    ['error'],
  ]);
  assert.equal(streams.length, 1);
  assert.equal(streams[0].url, '/events?end=1'); // nothing added to the URL
  assert.equal(streams[0].headers['x-amz-bearer'], 'p.TOKEN');
  assert.equal(streams[0].headers['last-event-id'], '42');
  assert.equal(streams[0].headers.authorization, undefined);
});

test('stream: an HTTP error is one error and no open; close aborts and silences the sink', async () => {
  streams.length = 0;
  const failed = await page.evaluate(() => new Promise((resolve) => {
    const log = [];
    const sink = { open: () => log.push('open'), event: () => log.push('event'), error: () => log.push('error') };
    new window.bridge.EventStream('/events?status=401', 't', 0, sink);
    setTimeout(() => resolve(log), 300);
  }));
  assert.deepEqual(failed, ['error']);
  assert.equal(streams[0].headers['last-event-id'], undefined); // 0: from the start
  const closed = await page.evaluate(() => new Promise((resolve) => {
    const log = [];
    const sink = {
      open: () => log.push('open'),
      event: () => log.push('event'),
      error: () => log.push('error'),
    };
    const s = new window.bridge.EventStream('/events', 't', 0, sink);
    setTimeout(() => { s.close(); s.close(); setTimeout(() => resolve(log), 200); }, 150);
  }));
  assert.deepEqual(closed.filter((x) => x !== 'event'), ['open']); // no error after close
  for (let i = 0; i < 50 && !streams[1].closed; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(streams[1].closed, true, 'the request was not aborted');
});
