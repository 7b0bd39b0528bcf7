// frame.js - data-isolation="iframe": the widget runs inside a frame the
// edge serves (c2c-frame.html, with its own Content-Security-Policy), for
// host pages whose CSP forbids compiling WebAssembly.
//
// Both halves live here. The host half (FrameHost) creates the iframe,
// answers its messages and re-dispatches its CustomEvents on the host's
// element; the frame half (runFrame) mounts a normal Widget into the
// frame's document. The token only ever travels by postMessage, addressed
// to the frame's exact origin, never in a URL; each side accepts messages
// only from the other window and the other's origin. Everything else
// about the widget (attributes, options without functions) is copied over.

import { TokenSource, globalFunction } from './tokens.js';

const FORWARDED = ['c2c:ready', 'c2c:state', 'c2c:message', 'c2c:error', 'c2c:ended'];
// The floating layout needs the page itself (a fixed corner, the phone's
// full-screen sheet): a frame is always inline.
const SKIP_ATTRS = ['data-c2c', 'data-token', 'data-token-provider', 'data-isolation', 'data-layout', 'data-position'];

export class FrameHost {
  constructor(el, options, frameUrl) {
    this.el = el;
    this.frameOrigin = new URL(frameUrl).origin;
    this.tokens = new TokenSource(options.token || el.getAttribute('data-token'),
      hostProvider(options.tokenProvider, el.getAttribute('data-token-provider')));
    this.config = { attrs: copyAttrs(el), options: plainOptions(options) };
    if ((options.layout || el.getAttribute('data-layout')) === 'floating') {
      console.warn('c2c: data-layout="floating" needs the page; with data-isolation="iframe" the widget is inline');
    }
    this.iframe = document.createElement('iframe');
    this.iframe.src = `${frameUrl}#parent=${encodeURIComponent(location.origin)}`;
    this.iframe.title = el.getAttribute('data-label') || options.label || 'Contact us';
    this.iframe.className = 'c2c-frame';
    this.iframe.setAttribute('allow', 'microphone; camera; autoplay');
    this.iframe.style.cssText = 'border:0;width:100%;height:64px;background:transparent;color-scheme:normal';
    this.onMessage = (ev) => {
      if (ev.source === this.iframe.contentWindow && ev.origin === this.frameOrigin) this.handle(ev.data || {});
    };
    window.addEventListener('message', this.onMessage);
    el.append(this.iframe);
  }

  post(msg) {
    if (this.iframe.contentWindow) this.iframe.contentWindow.postMessage(msg, this.frameOrigin);
  }

  async handle(msg) {
    if (msg.type === 'ready') {
      this.post({
        type: 'init', config: this.config, token: await this.tokens.get(), canRefresh: this.tokens.canRefresh(),
      });
    } else if (msg.type === 'event' && FORWARDED.includes(msg.name)) {
      this.el.dispatchEvent(new CustomEvent(msg.name, { detail: msg.detail, bubbles: true }));
    } else if (msg.type === 'size' && Number.isFinite(msg.height)) {
      this.iframe.style.height = `${Math.max(32, Math.min(2000, msg.height))}px`;
    } else if (msg.type === 'token-request') {
      const token = await this.tokens.refresh().catch(() => this.tokens.token);
      this.post({ type: 'token', token });
    }
  }

  setToken(token) {
    this.tokens.set(token);
    this.post({ type: 'token', token });
  }

  destroy() {
    window.removeEventListener('message', this.onMessage);
    this.tokens.stop();
    this.iframe.remove();
  }
}

function hostProvider(fn, name) {
  return typeof fn === 'function' ? fn : globalFunction(name);
}

function copyAttrs(el) {
  const out = {};
  for (const name of el.getAttributeNames()) {
    if (name.startsWith('data-') && !SKIP_ATTRS.includes(name)) out[name] = el.getAttribute(name);
  }
  return out;
}

function plainOptions(options) {
  const out = {};
  for (const [k, v] of Object.entries(options)) {
    if (['token', 'tokenProvider', 'isolation', 'layout', 'position'].includes(k) || typeof v === 'function') continue;
    out[k] = v;
  }
  return out;
}

// ----- inside the frame -----

export function runFrame({ loadCss, loadCore, loadTexts, Widget, readConfig, origin }) {
  const parentOrigin = declaredParent();
  if (!parentOrigin || window.parent === window) {
    console.warn('c2c: the frame needs a parent page');
    return;
  }
  const post = (msg) => window.parent.postMessage(msg, parentOrigin);
  let widget = null;
  let starting = false;
  let latestToken = null; // a token sent while the widget was starting
  let tokenWaiters = [];
  const provider = () => new Promise((resolve) => {
    tokenWaiters.push(resolve);
    post({ type: 'token-request' });
  });
  window.addEventListener('message', async (ev) => {
    if (ev.source !== window.parent || ev.origin !== parentOrigin) return;
    const msg = ev.data || {};
    if (msg.type === 'init' && !widget && !starting) {
      starting = true;
      widget = await start(msg, msg.canRefresh ? provider : null);
      if (latestToken) widget.setToken(latestToken);
    } else if (msg.type === 'token' && typeof msg.token === 'string') {
      const waiting = tokenWaiters;
      tokenWaiters = [];
      waiting.forEach((resolve) => resolve(msg.token));
      if (waiting.length) return;
      if (widget) widget.setToken(msg.token);
      else latestToken = msg.token;
    }
  });

  async function start(msg, tokenProvider) {
    loadCss();
    const core = await loadCore();
    const el = document.getElementById('c2c-frame-root');
    for (const [k, v] of Object.entries((msg.config && msg.config.attrs) || {})) el.setAttribute(k, v);
    for (const name of FORWARDED) {
      el.addEventListener(name, (e) => post({ type: 'event', name, detail: plain(e.detail) }));
    }
    new ResizeObserver(() => post({ type: 'size', height: document.documentElement.scrollHeight }))
      .observe(document.body);
    const options = { ...((msg.config && msg.config.options) || {}), token: msg.token, tokenProvider };
    const cfg = readConfig(el, options, core, origin);
    cfg.texts = await loadTexts(cfg.lang);
    return new Widget(el, cfg, core);
  }
  post({ type: 'ready' });
}

function declaredParent() {
  const value = new URLSearchParams(location.hash.slice(1)).get('parent');
  try {
    const url = new URL(value);
    return url.origin === value ? value : null;
  } catch {
    return null;
  }
}

function plain(detail) {
  try {
    return JSON.parse(JSON.stringify(detail ?? null));
  } catch {
    return null;
  }
}
