// canned.js - canned responses: the shared ones (the server's --canned
// file) and the agent's own (GET/POST/DELETE agent/canned). In the message
// box, "/" at the start opens a list of those whose title or text matches
// what follows; arrows move, Enter or Tab inserts the text, Escape closes
// (the box keeps aria-activedescendant on the highlighted one, so a screen
// reader follows). The manager under the box lists them and adds or
// deletes the agent's own.

import { attempt } from './alerts.js';
import { siteApi } from './api.js';
import { part, show, el } from './dom.js';
import { state } from './state.js';

/** Load the list (at sign-in and after a change). */
export async function loadCanned() {
  try {
    const r = await siteApi('agent/canned');
    state.canned = r.Canned ?? [];
  } catch {
    state.canned = [];
  }
  renderCannedManager();
}

/** The responses matching a "/query", best first: title starts, then contains, then text. */
export function matchCanned(list, query) {
  const q = query.trim().toLowerCase();
  const rank = (c) => {
    const t = c.Title.toLowerCase();
    if (t.startsWith(q)) return 0;
    if (t.includes(q)) return 1;
    return c.Text.toLowerCase().includes(q) ? 2 : 3;
  };
  return list.map((c) => [rank(c), c]).filter(([r]) => r < 3).sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

const menu = { open: false, items: [], active: 0 };

function input() {
  return part('chat-input');
}

/** The message box changed: open, filter or close the list. */
export function onCannedInput() {
  const m = /^\/([^\n]*)$/.exec(input().value);
  menu.items = m ? matchCanned(state.canned, m[1]).slice(0, 8) : [];
  menu.open = Boolean(m) && menu.items.length > 0;
  menu.active = 0;
  renderMenu();
}

function close() {
  menu.open = false;
  renderMenu();
}

function insert(item) {
  const box = input();
  box.value = item.Text;
  close();
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
}

/** Keys while the list is open; true when the key was the list's. */
export function onCannedKey(event) {
  if (!menu.open) return false;
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    const step = event.key === 'ArrowDown' ? 1 : -1;
    menu.active = (menu.active + step + menu.items.length) % menu.items.length;
  } else if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
    insert(menu.items[menu.active]);
  } else if (event.key === 'Escape') {
    close();
  } else {
    return false;
  }
  event.preventDefault();
  event.stopPropagation();
  renderMenu();
  return true;
}

function renderMenu() {
  const list = part('canned-menu');
  const box = input();
  show(list, menu.open);
  if (!menu.open) {
    list.replaceChildren();
    box.removeAttribute('aria-activedescendant');
    return;
  }
  list.replaceChildren(...menu.items.map((c, i) => {
    const li = el('li', { role: 'option', id: `canned-option-${i}`, part: 'canned-option',
                          'aria-selected': String(i === menu.active) });
    li.append(el('strong', {}, c.Title), el('span', { class: 'muted' }, ` ${c.Text}`));
    li.addEventListener('mousedown', (e) => { e.preventDefault(); insert(c); });
    return li;
  }));
  box.setAttribute('aria-activedescendant', `canned-option-${menu.active}`);
}

/** The manager: every response, Delete on the agent's own. */
export function renderCannedManager() {
  const list = part('canned-list');
  list.replaceChildren(...state.canned.map((c) => {
    const li = el('li', { part: 'canned-item', 'data-canned-id': c.Id });
    li.append(el('strong', {}, c.Title), el('span', {}, ` ${c.Text} `));
    if (c.Shared) {
      li.append(el('span', { class: 'muted' }, '(shared)'));
    } else {
      const del = el('button', { type: 'button', class: 'quiet', part: 'canned-delete',
                                 'aria-label': `Delete the canned response ${c.Title}` }, 'Delete');
      del.addEventListener('click', () => deleteCanned(c));
      li.append(del);
    }
    return li;
  }));
  show(part('canned-empty'), state.canned.length === 0);
}

async function deleteCanned(c) {
  await attempt(() => siteApi(`agent/canned?${new URLSearchParams({ Id: c.Id })}`, undefined, 'DELETE'));
  await loadCanned();
}

export async function addCanned(event) {
  event.preventDefault();
  const form = event.target;
  const title = part('canned-title').value.trim();
  const text = part('canned-text').value.trim();
  if (!title || !text) return;
  const saved = await attempt(() => siteApi('agent/canned', { Title: title, Text: text }));
  if (!saved) return;
  form.reset();
  await loadCanned();
}

/** Wire the manager's form and the list (once, at boot). */
export function wireCanned() {
  part('canned-form').addEventListener('submit', addCanned);
  input().addEventListener('blur', close);
}
