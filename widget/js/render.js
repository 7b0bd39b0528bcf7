// render.js - turns the core's view (a flat tree of nodes, wg_view.h) into
// DOM, keeping one element per (part, key) between frames.
//
// The renderer decides nothing: the node says what it is, what it reads,
// whether it is enabled and which action it raises. Reusing elements keeps
// focus, caret and typed text across frames; only changed properties are
// written. Every element gets data-c2c-part and the class c2c-<part> (plus
// c2c-<part>--<variant>). A button gets the host's classes for its role
// (node.tone: data-button-class for primary, data-secondary-class,
// data-danger-class, data-close-class) or, when the host gave none, our own
// c2c-button c2c-button--<tone>, which c2c.css styles firmly enough to
// survive CSS resets; inputs likewise get data-input-class or c2c-field. So
// a role the site styles (Bootstrap's btn, btn-close) is entirely the site's.

const TAGS = {
  group: 'div', button: 'button', text: 'div', alert: 'div', log: 'div',
  item: 'div', input: 'input', audio: 'audio', video: 'video', dialog: 'div', radio: 'input',
};
let radios = 0; // one radio group name per renderer

export class Renderer {
  // root: our container element; classes: {primary, secondary, danger,
  // close, input, panel} host classes; media(owner, variant) -> MediaStream | null;
  // lang: the widget's language, for message times (Intl).
  constructor(root, classes, media, lang) {
    this.root = root;
    this.classes = classes;
    this.media = media;
    this.times = times(lang);
    this.radio = `c2c-r${++radios}`;
    this.elements = new Map(); // "part\0key" -> element
    this.nodes = [];           // the last frame, for event lookups
  }

  render(view) {
    this.root.hidden = !!view.hidden;
    this.nodes = view.nodes;
    const seen = new Set();
    const els = [];
    const children = new Map([[this.root, []]]);
    view.nodes.forEach((node, i) => {
      const id = `${node.part}\u0000${node.key}`;
      let el = this.elements.get(id);
      if (!el || el.c2cKind !== node.kind) {
        if (el) el.remove();
        el = create(node, this.radio);
        this.elements.set(id, el);
      }
      update(el, node, this.classes, this.media, this.times);
      els[i] = el;
      seen.add(id);
      const parent = node.parent >= 0 ? els[node.parent] : this.root;
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(el);
    });
    for (const [id, el] of this.elements) {
      if (!seen.has(id)) { el.remove(); this.elements.delete(id); }
    }
    for (const [parent, list] of children) order(parent, list);
  }

  // The node an element was rendered from.
  nodeOf(el) {
    return el && el.c2cNode;
  }

  // The first element of a part, e.g. to read an input or move focus.
  find(part) {
    return this.root.querySelector(`[data-c2c-part="${part}"]`);
  }
}

function create(node, radio) {
  const el = document.createElement(node.multiline ? 'textarea' : TAGS[node.kind] || 'div');
  el.c2cKind = node.kind;
  if (node.kind === 'button') el.type = 'button';
  if (node.kind === 'log') { el.setAttribute('role', 'log'); el.setAttribute('aria-live', 'polite'); }
  if (node.kind === 'alert') el.setAttribute('role', 'alert');
  if (node.kind === 'dialog') el.setAttribute('role', 'dialog');
  if (node.kind === 'item') {
    const meta = span('c2c-message__meta');
    const time = document.createElement('time');
    time.className = 'c2c-message__time';
    meta.append(time, span('c2c-message__receipt'));
    el.append(span('c2c-message__name'), span('c2c-message__text'), meta);
  }
  if (node.multiline) el.rows = 1;
  else if (node.kind === 'input') el.type = 'text';
  if (node.kind === 'input') el.autocomplete = 'off';
  if (node.kind === 'radio') { el.type = 'radio'; el.name = radio; }
  if (node.kind === 'audio' || node.kind === 'video') { el.autoplay = true; el.playsInline = true; }
  return el;
}

function span(cls) {
  const s = document.createElement('span');
  s.className = cls;
  return s;
}

function update(el, node, classes, media, format) {
  el.c2cNode = node;
  setAttr(el, 'data-c2c-part', node.part);
  el.className = classNames(node, classes);
  if (node.kind === 'item') {
    const [name, text, meta] = el.children;
    setText(name, node.name);
    richText(text, node.text, node.links);
    const [time, receipt] = meta.children;
    setText(time, node.time ? format(node.time) : '');
    setAttr(time, 'datetime', node.time ? new Date(node.time).toISOString() : null);
    setText(receipt, node.label);
    receipt.className = `c2c-message__receipt${node.receipt ? ` c2c-message__receipt--${node.receipt}` : ''}`;
  } else if (node.kind !== 'input' && node.kind !== 'audio' && node.kind !== 'video'
             && node.kind !== 'group' && node.kind !== 'log' && node.kind !== 'dialog'
             && node.kind !== 'radio') {
    setText(el, node.text);
  }
  label(el, node);
  if (node.kind === 'button' || node.kind === 'input' || node.kind === 'radio') el.disabled = !node.enabled;
  if (node.kind === 'radio') el.checked = node.pressed > 0;
  if (node.kind === 'button') {
    setAttr(el, 'aria-pressed', node.pressed < 0 ? null : String(!!node.pressed));
    setAttr(el, 'aria-expanded', node.expanded < 0 ? null : String(!!node.expanded));
  }
  if (node.kind === 'text') {
    setAttr(el, 'role', node.live ? 'status' : null);
    setAttr(el, 'aria-live', node.live ? 'polite' : null);
  }
  if (node.kind === 'input') inputProps(el, node);
  if (node.kind === 'audio' || node.kind === 'video') attachMedia(el, node, media);
}

function classNames(node, classes) {
  let cls = `c2c-${node.part}`;
  if (node.variant) cls += ` c2c-${node.part}--${node.variant}`;
  if (node.cont) cls += ` c2c-${node.part}--cont`;
  if (node.part.startsWith('key-')) cls += ' c2c-key';
  if (node.kind === 'button') {
    const host = classes[node.tone];
    cls += host ? ` ${host}` : ` c2c-button c2c-button--${node.tone || 'secondary'}`;
  }
  if (node.kind === 'input') cls += classes.input ? ` ${classes.input}` : ' c2c-field';
  if (node.part === 'panel' && classes.panel) cls += ` ${classes.panel}`;
  return cls;
}

function label(el, node) {
  const aria = node.kind === 'button' || node.kind === 'group' || node.kind === 'log'
    || node.kind === 'input' || node.kind === 'video' || node.kind === 'dialog' || node.kind === 'radio';
  setAttr(el, 'aria-label', aria && node.label ? node.label : null);
  if (node.kind === 'group') setAttr(el, 'role', node.label ? 'group' : null);
}

function inputProps(el, node) {
  if (el.placeholder !== node.label) el.placeholder = node.label;
  setAttr(el, 'maxlength', node.maxLength > 0 ? String(node.maxLength) : null);
  setAttr(el, 'inputmode', node.numeric ? 'numeric' : null);
}

function attachMedia(el, node, media) {
  const stream = media(node.owner, node.variant) || null;
  if (el.srcObject !== stream) el.srcObject = stream;
  el.muted = node.variant === 'local' || node.variant === 'held'; // held: the call is on hold
}

// A message's text with its links (the core found them: [start, end)
// pairs in UTF-16 units) as anchors that open in a new tab and tell the
// target nothing. Only http(s) ever becomes a link, checked again here.
function richText(el, text, links = []) {
  const key = `${text}\u0000${links}`;
  if (el.c2cText === key) return;
  el.c2cText = key;
  el.replaceChildren();
  let at = 0;
  for (let i = 0; i + 1 < links.length; i += 2) {
    const url = text.slice(links[i], links[i + 1]);
    if (links[i] < at || !/^https?:\/\/[^\s]/i.test(url)) continue;
    el.append(text.slice(at, links[i]));
    const a = document.createElement('a');
    a.className = 'c2c-message__link';
    a.href = url;
    a.rel = 'noopener noreferrer';
    a.target = '_blank';
    a.textContent = url;
    el.append(a);
    at = links[i + 1];
  }
  el.append(text.slice(at));
}

// Formats a message time (ms) in lang: the time of day, with the date when
// it is not today.
function times(lang) {
  const opts = { hour: 'numeric', minute: '2-digit' };
  let clock, dated;
  try {
    clock = new Intl.DateTimeFormat(lang, opts);
    dated = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', ...opts });
  } catch {
    clock = dated = new Intl.DateTimeFormat(undefined, opts);
  }
  return (ms) => {
    const d = new Date(ms);
    return (d.toDateString() === new Date().toDateString() ? clock : dated).format(d);
  };
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function setAttr(el, name, value) {
  if (value == null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value);
  }
}

// Puts parent's children in list order, moving only what is out of place.
function order(parent, list) {
  let ref = parent.firstChild;
  for (const el of list) {
    if (el === ref) { ref = ref.nextSibling; continue; }
    parent.insertBefore(el, ref);
  }
}
