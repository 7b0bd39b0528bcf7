/*
 * The built <ClickToCall> (web/react/dist) against the REAL widget: the page and its bundle are
 * served at the edge's origin (route.fulfill), /c2c.js, its wasm and css come from the real edge
 * server (tests/browser/harness.mjs), and the chat is real. Checks that the component mounts the
 * widget into its div, that the widget's CustomEvents reach the callbacks, that a new token prop
 * goes through setToken without a remount, and that unmounting the component removes the widget.
 * Run from the repo root after ./build.sh: node --test web/react/test/real_widget.test.mjs
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  assertNoNonLoopback, launchBrowser, mintToken, newContext, startEdge, waitFor,
} from '../../../tests/browser/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));

let edge;
let browser;
let appJs;

before(async () => {
  const out = await build({
    entryPoints: [join(here, 'fixtures', 'app.jsx')],
    bundle: true, write: false, format: 'iife', jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  appJs = out.outputFiles[0].text;
  edge = await startEdge();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await edge?.stop();
});

async function page() {
  const context = await newContext(browser);
  const p = await context.newPage();
  await p.route(`${edge.url}/react-test/`, (r) => r.fulfill({
    status: 200, headers: { 'content-type': 'text/html' },
    body: '<!doctype html><html><body><div id="root"></div><script src="/react-test/app.js"></script></body></html>',
  }));
  await p.route(`${edge.url}/react-test/app.js`, (r) => r.fulfill({
    status: 200, headers: { 'content-type': 'text/javascript' }, body: appJs,
  }));
  await p.goto(`${edge.url}/react-test/`);
  return { context, page: p };
}

test('the component mounts the real widget, relays its events, updates the token, and cleans up', async () => {
  const t1 = await mintToken(edge.url, { sub: 'react1', name: 'React One' });
  const t2 = await mintToken(edge.url, { sub: 'react1', name: 'React One' });
  const { context, page: p } = await page();
  const props = (token) => ({ mode: 'chat', token, label: 'Ask us', buttonClass: 'my-btn', closeClass: 'my-close',
    dangerClass: 'my-danger' });
  await p.evaluate((pr) => window.__render({ strict: true, items: [{ id: 'w', props: pr }] }), props(t1));
  const launcher = p.locator('#w [data-c2c-part="launcher"]');
  await launcher.waitFor();
  assert.equal(await launcher.textContent(), 'Ask us');
  assert.match(await launcher.getAttribute('class'), /\bmy-btn\b/);
  assert.equal(await p.locator('#w .c2c').count(), 1, 'one widget despite StrictMode');
  await waitFor(() => p.evaluate(() => window.__events.some((e) => e.name === 'ready')), { message: 'onReady' });

  await launcher.click();
  await p.locator('#w [data-c2c-part="chat-start"]').click();
  await waitFor(() => p.evaluate(() => window.__events.some((e) => e.name === 'state' && e.detail.state === 'waiting')),
    { message: 'onStateChange waiting' });
  assert.match(await p.locator('#w [data-c2c-part="close"]').getAttribute('class'), /\bmy-close\b/);
  assert.match(await p.locator('#w [data-c2c-part="chat-end"]').getAttribute('class'), /\bmy-danger\b/);

  await p.evaluate((pr) => window.__render({ strict: true, items: [{ id: 'w', props: pr }] }), props(t2));
  assert.equal(await p.locator('#w [data-c2c-part="panel"]').count(), 1, 'a new token does not remount');

  await p.evaluate(() => window.__render({ items: [] }));
  await waitFor(async () => (await p.locator('.c2c').count()) === 0, { message: 'the widget removed' });
  assertNoNonLoopback(context);
  await context.close();
});
