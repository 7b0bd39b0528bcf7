// options.js - a widget's configuration, from its data-attributes and the
// options given to ClickToCall.mount (which win).
//
// Every enumerated value is checked by the core's parsers (wg_widget.h); an
// unknown or invalid one gives a console warning and the default, never an
// exception, so a typo in an attribute cannot break the host page.

import { LOCALE } from './constants.js';
import { globalFunction } from './tokens.js';

const MODES = ['call', 'chat', 'video'];
const THEMES = ['auto', 'light', 'dark'];

export function readConfig(el, options, core, scriptBase) {
  const a = (name) => el.getAttribute(`data-${name}`);
  const pick = (key, attr) => (options[key] !== undefined ? options[key] : a(attr));
  const cfg = {
    token: pick('token', 'token') || '',
    tokenProvider: provider(options.tokenProvider, a('token-provider')),
    api: apiBase(options.api, a('api'), scriptBase),
    number: pick('number', 'number') || '',
    queue: pick('queue', 'queue') || '',
    label: pick('label', 'label') || '',
    displayName: pick('displayName', 'display-name') || '',
    isolation: pick('isolation', 'isolation') === 'iframe' ? 'iframe' : 'none',
    floating: choice('layout', pick('layout', 'layout'), ['inline', 'floating']) === 'floating',
    position: choice('position', pick('position', 'position'), ['bottom-right', 'bottom-left']),
    // Host classes by button role (the core's node.tone), inputs and panel.
    classes: {
      primary: pick('buttonClass', 'button-class') || '',
      secondary: pick('secondaryClass', 'secondary-class') || '',
      danger: pick('dangerClass', 'danger-class') || '',
      close: pick('closeClass', 'close-class') || '',
      input: pick('inputClass', 'input-class') || '',
      panel: pick('panelClass', 'panel-class') || '',
    },
    attributes: { ...dataAttributes(el), ...(options.attributes || {}) },
  };
  enumerated(cfg, core, 'mode', pick('mode', 'mode'), 'chat', MODES);
  enumerated(cfg, core, 'theme', pick('theme', 'theme'), 'auto', THEMES);
  locale(cfg, core, pick('locale', 'locale'));
  hide(cfg, core, options.hideWhenClosed, el.hasAttribute('data-hide-when-closed') ? a('hide-when-closed') : null);
  return cfg;
}

// One of names (the first is the default), warning on anything else.
function choice(key, value, names) {
  if (value == null || value === '' || names.includes(value)) return value || names[0];
  console.warn(`c2c: unknown data-${key} "${value}", using "${names[0]}"`);
  return names[0];
}

// mode/theme: the core's number and our name for classes.
function enumerated(cfg, core, key, value, fallback, names) {
  let n = value == null || value === '' ? -1 : core.parse(key, value);
  if (n < 0) {
    if (value != null && value !== '') console.warn(`c2c: unknown data-${key} "${value}", using "${fallback}"`);
    n = core.parse(key, fallback);
  }
  cfg[key] = n;
  cfg[`${key}Name`] = key === 'mode' ? MODES[n] : THEMES[n];
  if (!cfg[`${key}Name`]) cfg[`${key}Name`] = names[0];
}

function locale(cfg, core, value) {
  const wanted = value || document.documentElement.lang || navigator.language || 'en';
  let n = core.parse('locale', wanted);
  if (n < 0) {
    if (value) console.warn(`c2c: unsupported data-locale "${value}", using English`);
    n = core.parse('locale', 'en');
  }
  cfg.locale = n;
  cfg.lang = Object.keys(LOCALE).find((tag) => LOCALE[tag] === n) || 'en';
}

function hide(cfg, core, option, attr) {
  let value = attr;
  if (option === true) value = 'hide';
  else if (option === false) value = 'never';
  else if (typeof option === 'string') value = option;
  if (value == null) {
    cfg.hide = 0;
    return;
  }
  const n = core.parse('hide', value);
  if (n < 0) console.warn(`c2c: unknown data-hide-when-closed "${value}", using "hide"`);
  cfg.hide = n < 0 ? core.parse('hide', 'hide') : n;
}

// data-token-provider names a global function returning a Promise of a token.
function provider(fn, name) {
  if (typeof fn === 'function') return fn;
  if (!name) return null;
  const found = globalFunction(name);
  if (!found) console.warn(`c2c: data-token-provider "${name}" is not a global function`);
  return found;
}

// The API's base URL. The site token goes there, so an attribute (which
// any markup on the page could carry) may only name the script's own
// origin; another origin must come from the site's code, as an option.
function apiBase(option, attr, scriptBase) {
  const value = option || attr;
  let url;
  try {
    url = new URL(value || 'api/', value ? document.baseURI : scriptBase);
  } catch {
    console.warn(`c2c: invalid data-api "${value}", using the script's own origin`);
    url = new URL('api/', scriptBase);
  }
  if (!option && attr && url.origin !== new URL(scriptBase).origin) {
    console.warn(`c2c: data-api "${attr}" is not on the script's origin; pass it to ClickToCall.mount instead`);
    url = new URL('api/', scriptBase);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

// data-attr-* -> {name: value}, for the agent.
function dataAttributes(el) {
  const out = {};
  for (const name of el.getAttributeNames()) {
    if (name.startsWith('data-attr-') && name.length > 10) out[name.slice(10)] = el.getAttribute(name);
  }
  return out;
}
