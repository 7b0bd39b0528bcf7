/*
 * Server-rendering tests of the built @c2c/react (web/react/dist) in plain node: importing it
 * and renderToString touch no browser global (window, document, ...) and add no global, and the
 * output is the host div with its id, className and style. Every browser global the package could
 * touch is trapped with a getter that records who read it.
 * Run from the repo root after building: npx tsc -p web/react && node --test web/react/test/
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const distDir = join(here, '..', 'dist');
const TRAPPED = [
  'window', 'document', 'self', 'location', 'navigator', 'HTMLElement', 'HTMLScriptElement',
  'customElements', 'localStorage', 'sessionStorage', 'CustomEvent', 'ClickToCall',
];

const reads = [];
const saved = new Map();
let globalsBefore;

before(() => {
  assert.ok(existsSync(join(distDir, 'index.js')), `${distDir} is missing: run npx tsc -p web/react first`);
  assert.equal(typeof globalThis.window, 'undefined');
  assert.equal(typeof globalThis.document, 'undefined');
  for (const name of TRAPPED) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        reads.push({ name, stack: new Error().stack });
        return undefined;
      },
    });
  }
  globalsBefore = new Set(Object.getOwnPropertyNames(globalThis));
});

after(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete globalThis[name];
  }
});

/** The trapped globals read from the package's own code (not React's). */
const readsByPackage = () => reads.filter((r) => r.stack.includes(distDir)).map((r) => r.name);

test('importing the package in node does not throw and touches no browser global', async () => {
  const mod = await import('../dist/index.js');
  assert.equal(typeof mod.ClickToCall, 'object'); // a forwardRef component
  assert.equal(mod.ClickToCall.displayName, 'ClickToCall');
  assert.equal(typeof mod.loadClickToCall, 'function');
  assert.equal(typeof mod.getClickToCall, 'function');
  assert.equal(mod.DEFAULT_SCRIPT_URL, '/c2c.js');
  assert.deepEqual(readsByPackage(), []);
});

test('renderToString renders the div with id, className and style, and nothing else', async () => {
  const { createElement, StrictMode } = await import('react');
  const { renderToString } = await import('react-dom/server');
  const { ClickToCall } = await import('../dist/index.js');
  const noop = () => {};
  const element = createElement(ClickToCall, {
    id: 'support',
    className: 'c2c-host mb-3',
    style: { minHeight: 48 },
    token: 'tok',
    tokenProvider: () => Promise.resolve('tok'),
    mode: 'chat',
    number: '+15550100',
    queue: 'sales',
    label: 'Chat with us',
    theme: 'auto',
    attributes: { plan: 'gold' },
    hideWhenClosed: 'grey',
    isolation: 'iframe',
    scriptUrl: 'https://c2c.example.com/c2c.js',
    onReady: noop,
    onStateChange: noop,
    onMessage: noop,
    onError: noop,
    onEnded: noop,
  });
  const html = renderToString(element);
  assert.equal(html, '<div id="support" class="c2c-host mb-3" style="min-height:48px"></div>');
  assert.equal(renderToString(createElement(StrictMode, null, createElement(ClickToCall))), '<div></div>');
  assert.deepEqual(readsByPackage(), []);
  const added = Object.getOwnPropertyNames(globalThis).filter((name) => !globalsBefore.has(name));
  assert.deepEqual(added, []);
});

test('loading the widget script without a DOM rejects instead of throwing', async () => {
  const { getClickToCall, loadClickToCall } = await import('../dist/index.js');
  assert.equal(getClickToCall(), undefined);
  await assert.rejects(loadClickToCall(), /only be loaded in a browser/);
});

test('the component module is a client module for React Server Components', () => {
  const source = readFileSync(join(distDir, 'ClickToCall.js'), 'utf8');
  const code = source.replace(/^\s*\/\*[\s\S]*?\*\/\s*/, '');
  assert.match(code, /^['"]use client['"];/);
});
