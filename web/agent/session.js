// session.js - sign-in (demo token or a pasted JWT), sign-out, entering the
// workspace, and the agent's availability (the status menu).

import { startAgentStream, stopAgentStream, restoreContacts } from './agent_stream.js';
import { showError, clearError, attempt, announce } from './alerts.js';
import { request, siteApi } from './api.js';
import { API } from './config.js';
import { dropContact } from './contacts.js';
import { startTimers, stopTimers } from './timers.js';
import { renderCount, renderNotifyButton } from './notify.js';
import { part, show } from './dom.js';
import { loadHistory } from './history.js';
import { state, saveSession } from './state.js';
import { renderAll } from './render.js';
import { loadDispositions } from './wrapup.js';
import { loadCanned } from './canned.js';


export async function detectDemo() {
  // /demo/token without sub: 400 in demo mode, 404 otherwise.
  const res = await fetch('/demo/token', { cache: 'no-store' }).catch(() => null);
  await res?.text().catch(() => ''); // read to the end: the request is then finished
  show(part('signin-demo-form'), res?.status === 400);
}

export async function signInDemo(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const field = (name) => String(form.get(name) ?? '').trim();
  const q = new URLSearchParams({ role: 'agent', sub: field('sub'), name: field('name') });
  await attempt(async () => {
    const { token } = await request(`/demo/token?${q}`);
    await signIn(token);
  });
}

export async function signInPasted(event) {
  event.preventDefault();
  const token = String(new FormData(event.target).get('token') ?? '').trim().replace(/^Bearer\s+/i, '');
  await attempt(() => signIn(token));
}

/** Check the token with /api/me; it must be an agent's. */
export async function signIn(token) {
  const me = await request(`${API}me`, { token });
  if (me.role !== 'agent') {
    throw new Error('This token is not an agent\'s: its groups claim does not include "agents".');
  }
  state.token = token;
  state.me = { name: me.name || me.sub, sub: me.sub };
  state.status = 'offline';
  enterWorkspace();
  saveSession();
  clearError();
  document.getElementById('work').focus();
}

export function enterWorkspace() {
  part('agent-name').textContent = state.me.name;
  show(part('agent-signin'), false);
  show(part('agent-bar'), true);
  show(part('workspace'), true);
  renderStatus();
  renderAll();
  startTimers();
  renderNotifyButton();
  startConsole();
  loadHistory();
  loadDispositions();
  loadCanned();
}

/** The snapshot first (status, open contacts, the stream's newest id),
 * then the agent stream from that id: nothing in between is missed. */
export async function startConsole() {
  const snapshot = await restoreContacts();
  if (state.token) startAgentStream(snapshot ? String(snapshot.LastEventId ?? '') : '');
}

export function signOut(message) {
  if (state.status !== 'offline') {
    request(`${API}agent/status`, { token: state.token, body: { status: 'offline' } }).catch(() => {});
  }
  stopAgentStream();
  for (const contact of state.contacts.values()) dropContact(contact);
  state.token = '';
  state.status = 'offline';
  state.queueNodes.clear();
  state.queueSeen.clear();
  part('queue').replaceChildren();
  part('queue-others').replaceChildren();
  state.queueSections.clear();
  part('history').replaceChildren();
  delete part('history').dataset.key;
  part('history-search').value = '';
  state.history = [];
  state.historyQuery = '';
  state.texts.clear();
  state.queuePrimed = false;
  stopTimers();
  renderCount();
  saveSession();
  show(part('workspace'), false);
  show(part('help'), false);
  show(part('agent-bar'), false);
  show(part('agent-signin'), true);
  if (message) showError(message);
}

// ---------------------------------------------------------------------------
// Availability: the status menu, in words. The server keeps all three:
// Away is signed in and watching, offered nothing; every console of the
// agent follows a change (agent.status).

const STATUS_WORDS = {
  available: 'Taking chats and calls',
  away: 'Away: no new chats or calls',
  offline: 'Offline',
};

const STATUS_ANNOUNCE = {
  available: 'You are available.',
  away: 'You are away.',
  offline: 'You are offline.',
};

/** The console status for the server's word (unknown words: offline). */
export function fromServerStatus(server) {
  return STATUS_WORDS[server] ? server : 'offline';
}

/** The status menu changed: tell the server, then show the answer. */
export async function changeStatus(event) {
  const next = STATUS_WORDS[event.target.value] ? event.target.value : 'offline';
  await attempt(async () => {
    const r = await siteApi('agent/status', { status: next });
    state.status = fromServerStatus(r.status);
    saveSession();
    announce(STATUS_ANNOUNCE[state.status]);
  });
  renderStatus();
}

export function statusAnnouncement(status) {
  return STATUS_ANNOUNCE[status] ?? STATUS_ANNOUNCE.offline;
}

export function renderStatus() {
  const status = STATUS_WORDS[state.status] ? state.status : 'offline';
  const menu = part('agent-status');
  menu.value = status;
  menu.dataset.status = status;
  part('agent-bar').dataset.status = status;
  part('agent-status-text').textContent = STATUS_WORDS[status];
}
