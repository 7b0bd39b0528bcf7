// dom.js - DOM helpers for the agent console: find a data-c2c-part element, show or
// hide it, build an element, fill a <dl> of attributes, format clock times
// and wait timers. No state.




/**
 * The element tagged data-c2c-part=name (inside root). Typed loosely: the
 * page's HTML, not this code, decides which element a part is.
 * @param {string} name
 * @param {ParentNode} [root]
 * @returns {any}
 */
export const part = (name, root = document) => root.querySelector(`[data-c2c-part="${name}"]`);

export function show(node, visible) {
  node.hidden = !visible;
}

export function el(tag, props = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'part') node.dataset.c2cPart = value;
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Fill a <dl> with an object of strings (a contact's Attributes). */
export function renderAttributes(dl, attributes) {
  const json = JSON.stringify(attributes ?? {});
  if (dl.dataset.json === json) return;
  dl.dataset.json = json;
  dl.replaceChildren();
  for (const [key, value] of Object.entries(attributes ?? {})) {
    dl.append(el('dt', {}, key), el('dd', {}, String(value)));
  }
  show(dl, dl.childElementCount > 0);
}

export function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function waited(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
