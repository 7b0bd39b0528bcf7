// main.js - the entry of /c2c.js: the one global (ClickToCall), automatic
// mounting of every [data-c2c] element, and the loading of the widget's
// own assets (the wasm core and c2c.css) from the script's own URL.
//
// The asset names carry a content hash (set at build time, see
// widget/build.sh), so they are cached for good while /c2c.js itself is
// revalidated: a deploy reaches every page at its next load. Elements added
// later (or given data-c2c later) are found by a MutationObserver, and
// removed ones are unmounted, so single-page applications need no code. With data-isolation="iframe" the
// widget runs inside a frame served by the edge (frame.js) and this page
// never compiles WebAssembly, for hosts whose CSP forbids it.

import { loadCore } from './wasm.js';
import { readConfig } from './options.js';
import { Widget } from './widget.js';
import { FrameHost, runFrame } from './frame.js';

/* global C2C_WASM, C2C_CSS, C2C_LOCALES */
const WASM_FILE = typeof C2C_WASM === 'string' ? C2C_WASM : 'c2c.wasm';
const CSS_FILE = typeof C2C_CSS === 'string' ? C2C_CSS : 'c2c.css';
// tag -> c2c.<tag>.<hash>.txt: each locale's texts, fetched for the
// locales in use only (the core has none compiled in).
const LOCALE_FILES = typeof C2C_LOCALES === 'object' ? C2C_LOCALES : {};

const script = document.currentScript || document.querySelector('script[src*="c2c.js"]');
const scriptUrl = new URL(script ? script.src : 'c2c.js', document.baseURI);
const origin = new URL('/', scriptUrl).href;

const mounted = new WeakMap(); // element -> Widget | FrameHost | Promise

function assetUrl(file) {
  return new URL(file, scriptUrl).href;
}

const texts = new Map(); // tag -> Promise of the locale file's text

// A locale's texts, fetched once per page and shared by its widgets.
function loadTexts(tag) {
  if (!texts.has(tag)) {
    const url = assetUrl(LOCALE_FILES[tag] || `c2c.${tag}.txt`);
    texts.set(tag, fetch(url, { credentials: 'omit' }).then((r) => {
      if (!r.ok) throw new Error(`c2c: ${url} answered ${r.status}`);
      return r.text();
    }).catch((err) => { texts.delete(tag); throw err; }));
  }
  return texts.get(tag);
}

function loadCss() {
  const href = assetUrl(CSS_FILE);
  if (document.querySelector(`link[data-c2c-css]`)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  link.setAttribute('data-c2c-css', '');
  // Before the page's own styles, so that the site's CSS wins ties.
  document.head.prepend(link);
}

async function mount(el, options = {}) {
  if (!(el instanceof Element)) throw new TypeError('ClickToCall.mount: not an element');
  if (mounted.has(el)) return mounted.get(el);
  const pending = create(el, options).then((w) => {
    if (mounted.get(el) === pending) mounted.set(el, w);
    else w.destroy(); // unmounted while loading
    return w;
  }, (err) => {
    mounted.delete(el);
    console.warn(err.message);
    el.dispatchEvent(new CustomEvent('c2c:error', { detail: { code: 'load', message: err.message }, bubbles: true }));
    throw err;
  });
  mounted.set(el, pending);
  return pending;
}

async function create(el, options) {
  if ((options.isolation || el.getAttribute('data-isolation')) === 'iframe') {
    return new FrameHost(el, options, assetUrl('c2c-frame.html'));
  }
  loadCss();
  const core = await loadCore(assetUrl(WASM_FILE));
  const cfg = readConfig(el, options, core, origin);
  cfg.texts = await loadTexts(cfg.lang);
  return new Widget(el, cfg, core);
}

function unmount(el) {
  const w = mounted.get(el);
  mounted.delete(el);
  if (w && typeof w.destroy === 'function') w.destroy();
}

function setToken(el, token) {
  const w = mounted.get(el);
  if (!w) throw new Error('ClickToCall.setToken: this element has no widget');
  Promise.resolve(w).then((widget) => widget.setToken(token));
}

function scan(root) {
  if (root.nodeType !== 1) return;
  if (root.hasAttribute('data-c2c')) mount(root).catch(() => {});
  root.querySelectorAll('[data-c2c]').forEach((el) => mount(el).catch(() => {}));
}

function forget(root) {
  if (root.nodeType !== 1) return;
  // Moved, not removed: keep it.
  if (root.isConnected) return;
  if (mounted.has(root)) unmount(root);
  root.querySelectorAll('[data-c2c]').forEach((el) => { if (mounted.has(el)) unmount(el); });
}

function watch() {
  scan(document.documentElement);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') {
        if (r.target.hasAttribute('data-c2c')) scan(r.target);
        else if (mounted.has(r.target)) unmount(r.target);
        continue;
      }
      r.addedNodes.forEach(scan);
      r.removedNodes.forEach(forget);
    }
  }).observe(document.documentElement,
    { childList: true, subtree: true, attributes: true, attributeFilter: ['data-c2c'] });
}

if (document.documentElement.hasAttribute('data-c2c-frame')) {
  runFrame({ loadCss, loadCore: () => loadCore(assetUrl(WASM_FILE)), loadTexts, Widget, readConfig, origin });
} else if (!window.ClickToCall) {
  window.ClickToCall = Object.freeze({ mount, unmount, setToken, version: '0.1.0' });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
  else watch();
}
