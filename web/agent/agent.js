// agent.js - the c2c agent console: sign in, go available, take chats and
// calls from the queue, talk to customers, escalate chats to video, hand out
// reference codes, see history. Served by the edge server at /agent/.
//
// Why shaped so: no framework and no build step, so the console is one ES
// module that the browser loads as is (nothing leaks to the global scope).
// The page's HTML holds every element, each tagged with a stable
// data-c2c-part name that tests and designers hook; this script only fills
// them in, shows/hides them and wires their events. It is split into one
// section per concern (API, alerts, sign-in, status, queue, contacts, event
// streams, chat, WebRTC, calls, video, reference codes, history, boot).
//
// State lives in one `state` object; every contact the agent took has its
// own record (its ParticipantToken, event stream, messages, peer
// connection), and the contact panel renders whichever is selected. The
// site token is kept in sessionStorage so that a reload resumes; the open
// contacts come from the server (GET agent/contacts, with fresh tokens) at
// sign-in and whenever the agent stream (re)connects, so a console opened
// in any tab or browser picks up where the agent was (a call's audio is
// re-offered on request). History entries open read-only
// (POST agent/transcript).
//
// Live updates: one agent stream (GET agent/events: queue changes, offers,
// assignments, ends, customers coming and going) instead of polling, and
// one participant stream per contact. Every stream is read with fetch()
// by sse.js, the token in a header and never in a URL, and reconnects
// with Last-Event-ID by itself. While the agent stream is open the server
// counts the agent as present; closing the console takes them offline
// after the server's --agent-away-s.
//
// Media: for a call the agent is the WebRTC offerer; for a video escalation
// inside a chat the customer's widget offers and the console answers.
// Signals travel through POST participant/signal and come back as `signal`
// events on the contact's stream.
//
// Options (meta tags in index.html): c2c-api-prefix (the server's
// --api-prefix) and c2c-ice-servers (JSON RTCIceServer list, the same servers
// as the server's --ice-server; none for the embedded contact center).
// The page URL may carry ?queue=NAME to watch a queue other than the default.

import { openSse } from './sse.js';

// ---------------------------------------------------------------------------
// DOM helpers

const part = (name, root = document) => root.querySelector(`[data-c2c-part="${name}"]`);

function show(node, visible) {
  node.hidden = !visible;
}

function el(tag, props = {}, text) {
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
function renderAttributes(dl, attributes) {
  const json = JSON.stringify(attributes ?? {});
  if (dl.dataset.json === json) return;
  dl.dataset.json = json;
  dl.replaceChildren();
  for (const [key, value] of Object.entries(attributes ?? {})) {
    dl.append(el('dt', {}, key), el('dd', {}, String(value)));
  }
  show(dl, dl.childElementCount > 0);
}

function clock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function waited(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------
// Configuration and state

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
const API = meta('c2c-api-prefix') || '/api/';
const ICE_SERVERS = parseIceServers(meta('c2c-ice-servers'));
const QUEUE = new URLSearchParams(location.search).get('queue') || '';
const STORE_KEY = 'c2c-agent';
const QUEUE_REFRESH_MS = 250; // queue events coming in a burst refresh it once
const TYPING_SEND_MS = 3000;   // at most one typing event per this while typing
const TYPING_SHOW_MS = 5000;   // how long "is typing" stays without another one
const STREAM_RETRY_MS = 3000;  // reconnect delay when the server sends no retry:

function parseIceServers(text) {
  try {
    const list = JSON.parse(text || '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

const state = {
  token: '',
  me: { name: '', sub: '' },
  status: 'offline',
  agentStream: null,       // the agent's own event stream (sse.js)
  queueTimer: 0,           // a pending queue refresh
  refreshing: false,       // a queue refresh in flight
  refreshAgain: false,     // another one asked for meanwhile
  pollError: '',
  queueNodes: new Map(),   // ContactId -> <li> in the queue
  queueSeen: new Map(),    // ContactId -> {offered} of the last poll, for announcements
  contacts: new Map(),     // ContactId -> contact record (see addContact)
  selected: null,          // the contact record shown in the panel
};

// ---------------------------------------------------------------------------
// Session storage: the site token and the contacts in progress

function saveSession() {
  if (!state.token) {
    sessionStorage.removeItem(STORE_KEY);
    return;
  }
  const contacts = [...state.contacts.values()]
    .filter((c) => c.state !== 'ENDED' && !c.readOnly)
    .map((c) => ({ id: c.id, kind: c.kind, ptoken: c.ptoken, customer: c.customer, attributes: c.attributes }));
  sessionStorage.setItem(STORE_KEY, JSON.stringify({
    token: state.token, me: state.me, status: state.status, contacts,
  }));
}

function loadSession() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null');
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// API client. Errors come as {"error": code, "message": text}.

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request(path, { token, body, method } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection.');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(res.status, data?.error ?? 'http',
                       data?.message ?? `The server answered ${res.status}.`);
  }
  return data ?? {};
}

/** A route authorized by the agent's site token; a rejected token signs out. */
async function siteApi(route, body) {
  try {
    return await request(API + route, { token: state.token, body });
  } catch (err) {
    if (err.status === 401 && state.token) signOut(err.message);
    throw err;
  }
}

/** A participant route authorized by a contact's ParticipantToken. */
function participantApi(contact, route, body = {}) {
  return request(`${API}participant/${route}`, { token: contact.ptoken, body });
}

// ---------------------------------------------------------------------------
// Alerts (errors, role="alert") and announcements (polite live region)

function showError(message) {
  part('alert-text').textContent = message;
  show(part('alert'), true);
}

function clearError(message) {
  if (message === undefined || part('alert-text').textContent === message) show(part('alert'), false);
}

/** Run an action; show an ApiError's (or any error's) message. */
async function attempt(action) {
  try {
    return await action();
  } catch (err) {
    showError(err?.message || String(err));
    return undefined;
  }
}

function announce(text) {
  const region = part('announcer');
  region.textContent = '';
  // A change the next frame is announced even when the text repeats.
  requestAnimationFrame(() => { region.textContent = text; });
}

// ---------------------------------------------------------------------------
// Sign-in and sign-out

async function detectDemo() {
  // /demo/token without sub: 400 in demo mode, 404 otherwise.
  const res = await fetch('/demo/token', { cache: 'no-store' }).catch(() => null);
  await res?.text().catch(() => ''); // read to the end: the request is then finished
  show(part('signin-demo-form'), res?.status === 400);
}

async function signInDemo(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const q = new URLSearchParams({ role: 'agent', sub: form.get('sub').trim(), name: form.get('name').trim() });
  await attempt(async () => {
    const { token } = await request(`/demo/token?${q}`);
    await signIn(token);
  });
}

async function signInPasted(event) {
  event.preventDefault();
  const token = new FormData(event.target).get('token').trim().replace(/^Bearer\s+/i, '');
  await attempt(() => signIn(token));
}

/** Check the token with /api/me; it must be an agent's. */
async function signIn(token) {
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

function enterWorkspace() {
  part('agent-name').textContent = state.me.name;
  show(part('agent-signin'), false);
  show(part('agent-bar'), true);
  show(part('workspace'), true);
  renderStatus();
  startConsole();
  loadHistory();
}

/** The snapshot first (status, open contacts, the stream's newest id),
 * then the agent stream from that id: nothing in between is missed. */
async function startConsole() {
  const snapshot = await restoreContacts();
  if (state.token) startAgentStream(snapshot ? String(snapshot.LastEventId ?? '') : '');
}

function signOut(message) {
  if (state.status === 'available') {
    request(`${API}agent/status`, { token: state.token, body: { status: 'offline' } }).catch(() => {});
  }
  stopAgentStream();
  for (const contact of state.contacts.values()) dropContact(contact);
  state.token = '';
  state.status = 'offline';
  state.queueNodes.clear();
  state.queueSeen.clear();
  part('queue').replaceChildren();
  part('history').replaceChildren();
  saveSession();
  show(part('workspace'), false);
  show(part('agent-bar'), false);
  show(part('agent-signin'), true);
  if (message) showError(message);
}

// ---------------------------------------------------------------------------
// Availability

async function toggleStatus() {
  const next = state.status === 'available' ? 'offline' : 'available';
  await attempt(async () => {
    const r = await siteApi('agent/status', { status: next });
    state.status = r.status || next;
    saveSession();
    renderStatus();
    announce(state.status === 'available' ? 'You are available.' : 'You are offline.');
  });
}

function renderStatus() {
  const available = state.status === 'available';
  const button = part('agent-status');
  button.setAttribute('aria-pressed', String(available));
  button.dataset.status = state.status;
  part('agent-status-text').textContent = available ? 'Taking chats and calls' : 'Offline';
}

// ---------------------------------------------------------------------------
// The agent stream: the server tells the console what changed (queue
// changes, offers and their withdrawal, contacts assigned and ended,
// customers online or not); the console then refreshes the queue or its
// contacts. Every (re)connect refreshes both, since events may have been
// missed before the first one.

const AGENT_EVENT_HANDLERS = {
  'agent.status': onAgentStatus,
  'queue.changed': () => refreshQueueSoon(),
  offer: () => refreshQueueSoon(),
  'offer.withdrawn': () => refreshQueueSoon(),
  'contact.assigned': () => restoreContacts(),
  'contact.ended': onAgentContactEnded,
  'customer.presence': onCustomerPresence,
};

function startAgentStream(lastEventId) {
  stopAgentStream();
  let opened = 0;
  state.agentStream = openSse({
    url: `${API}agent/events`,
    headers: () => ({ Authorization: `Bearer ${state.token}` }),
    lastEventId,
    retryMs: STREAM_RETRY_MS,
    onOpen: () => {
      if (state.pollError) clearError(state.pollError);
      state.pollError = '';
      refreshQueue();
      if (opened++ > 0) restoreContacts(); // the first open follows the snapshot
    },
    onEvent: (type, text) => {
      const handler = AGENT_EVENT_HANDLERS[type];
      let data;
      try { data = JSON.parse(text); } catch { return; }
      handler?.(data);
    },
    onError: (err) => {
      if (err.status === 401 && state.token) {
        signOut(err.message);
        return;
      }
      // Shown once, not on every retry.
      if (state.pollError !== err.message && state.token) showError(err.message);
      state.pollError = err.message;
    },
  });
}

function stopAgentStream() {
  state.agentStream?.close();
  state.agentStream = null;
  clearTimeout(state.queueTimer);
  state.queueTimer = 0;
}

/** A status change from another device, or the server's when the agent was away. */
function onAgentStatus(data) {
  const status = data.Status === 'available' ? 'available' : 'offline';
  if (status === state.status) return;
  state.status = status;
  saveSession();
  renderStatus();
  announce(status === 'available' ? 'You are available.'
    : data.Reason === 'away' ? 'You were set offline: no console was open.' : 'You are offline.');
}

function onAgentContactEnded(data) {
  const contact = state.contacts.get(data.ContactId);
  if (contact) contactEnded(contact, data.Reason || '');
  else loadHistory();
}

function onCustomerPresence(data) {
  const contact = state.contacts.get(data.ContactId);
  if (contact) {
    contact.customerOnline = Boolean(data.CustomerOnline);
    if (contact === state.selected) renderContact();
  }
  if (state.queueNodes.has(data.ContactId)) refreshQueueSoon();
}

/** Pick up the agent's status and open contacts (from another tab or
 * device too). Returns the snapshot, or null when it failed. */
async function restoreContacts() {
  if (!state.token) return null;
  let r;
  try {
    r = await siteApi('agent/contacts');
  } catch (err) {
    if (state.token) showError(err.message);
    return null;
  }
  if (!state.token) return null;
  if (r.Status && r.Status !== state.status) {
    state.status = r.Status === 'available' ? 'available' : 'offline';
    renderStatus();
  }
  for (const c of r.Contacts ?? []) {
    const known = state.contacts.get(c.ContactId);
    if (known) {
      known.customerOnline = Boolean(c.CustomerOnline);
      continue;
    }
    const contact = addContact({
      id: c.ContactId,
      kind: c.Kind,
      ptoken: c.ParticipantToken,
      customer: { name: c.CustomerName || '', email: c.CustomerEmail || '' },
      attributes: c.Attributes ?? {},
    });
    contact.customerOnline = Boolean(c.CustomerOnline);
    if (!state.selected) selectContact(contact);
  }
  if (state.selected) renderContact();
  saveSession();
  return r;
}

// ---------------------------------------------------------------------------
// Queue: refreshed when the agent stream says it changed, rendered in place
// (keyed by ContactId) so focus on an Accept button survives the refresh.

function refreshQueueSoon() {
  if (state.queueTimer) return;
  state.queueTimer = setTimeout(() => {
    state.queueTimer = 0;
    refreshQueue();
  }, QUEUE_REFRESH_MS);
}

async function refreshQueue() {
  if (!state.token) return;
  if (state.refreshing) {
    state.refreshAgain = true;
    return;
  }
  state.refreshing = true;
  try {
    const r = await siteApi(`agent/queue${QUEUE ? `?queue=${encodeURIComponent(QUEUE)}` : ''}`);
    if (state.token) renderQueue(r.Contacts ?? []);
  } catch (err) {
    if (state.token) showError(err.message);
  } finally {
    state.refreshing = false;
    if (state.refreshAgain) {
      state.refreshAgain = false;
      refreshQueue();
    }
  }
}

function renderQueue(items) {
  const list = part('queue');
  const keep = new Set();
  items.forEach((item, i) => {
    keep.add(item.ContactId);
    let node = state.queueNodes.get(item.ContactId);
    if (!node) {
      node = newQueueNode(item);
      state.queueNodes.set(item.ContactId, node);
    }
    updateQueueNode(node, item);
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] ?? null);
  });
  let lostFocus = false;
  for (const [id, node] of state.queueNodes) {
    if (keep.has(id)) continue;
    lostFocus ||= node.contains(document.activeElement);
    node.remove();
    state.queueNodes.delete(id);
  }
  // Keyboard users stay in the queue when the item they were on goes away.
  if (lostFocus) (list.querySelector('button:not([disabled]):not([hidden])') ?? list).focus();
  announceQueueChanges(items);
  part('queue-count').textContent = String(items.length);
  show(part('queue-empty'), items.length === 0);
  const ringing = items.some((i) => i.OfferedTo);
  document.title = `${ringing ? '(ringing) ' : ''}c2c agent console`;
}

function newQueueNode(item) {
  const node = document.getElementById('tpl-queue-item').content.firstElementChild.cloneNode(true);
  node.dataset.contactId = item.ContactId;
  part('accept', node).addEventListener('click', () => acceptContact(node.c2cItem));
  part('reject', node).addEventListener('click', () => rejectCall(node.c2cItem));
  return node;
}

function updateQueueNode(node, item) {
  node.c2cItem = item;
  const who = item.CustomerName || item.CustomerEmail || 'Customer';
  const kind = item.Kind === 'CALL' ? 'Call' : 'Chat';
  const offered = Boolean(item.OfferedTo);
  const ringingElsewhere = item.State === 'RINGING' && !offered;
  node.dataset.kind = item.Kind;
  node.dataset.state = item.State ?? '';
  node.dataset.offered = String(offered);
  node.classList.toggle('ringing', offered);
  part('queue-kind', node).textContent = item.Kind;
  part('queue-customer', node).textContent = item.CustomerName || 'Customer';
  part('queue-email', node).textContent = item.CustomerEmail || '';
  part('queue-position', node).textContent = `#${item.Position}`;
  part('queue-wait', node).textContent = `waiting ${waited(item.WaitSeconds)}`;
  const presence = part('queue-presence', node);
  presence.textContent = item.CustomerOnline ? 'online' : 'offline';
  presence.dataset.online = String(Boolean(item.CustomerOnline));
  part('queue-state', node).textContent =
    offered ? 'ringing you' : ringingElsewhere ? 'ringing another agent' : (item.State ?? '').toLowerCase();
  renderAttributes(part('queue-attributes', node), item.Attributes);
  const accept = part('accept', node);
  accept.disabled = ringingElsewhere;
  accept.setAttribute('aria-label', `Accept ${kind.toLowerCase()} from ${who}`);
  const reject = part('reject', node);
  show(reject, offered);
  reject.setAttribute('aria-label', `Reject call from ${who}`);
}

function announceQueueChanges(items) {
  const seen = new Map();
  for (const item of items) {
    const before = state.queueSeen.get(item.ContactId);
    const who = item.CustomerName || 'a customer';
    if (item.OfferedTo && !before?.offered) announce(`Call from ${who} is ringing you.`);
    else if (!before) announce(`New ${item.Kind === 'CALL' ? 'call' : 'chat'} from ${who} waiting.`);
    seen.set(item.ContactId, { offered: Boolean(item.OfferedTo) });
  }
  state.queueSeen = seen;
}

async function acceptContact(item) {
  await attempt(async () => {
    const r = await siteApi('agent/accept', { ContactId: item.ContactId });
    const contact = addContact({
      id: r.ContactId,
      kind: item.Kind,
      ptoken: r.ParticipantToken,
      customer: { name: item.CustomerName || '', email: item.CustomerEmail || '' },
      attributes: item.Attributes ?? {},
    });
    contact.state = 'CONNECTED';
    contact.customerOnline = Boolean(item.CustomerOnline);
    selectContact(contact);
    saveSession();
    (contact.kind === 'CALL' ? part('hangup') : part('chat-input')).focus();
    if (contact.kind === 'CALL') await startCallMedia(contact);
  });
  refreshQueue();
}

async function rejectCall(item) {
  await attempt(async () => {
    await siteApi('agent/reject', { ContactId: item.ContactId });
    announce(`Call from ${item.CustomerName || 'the customer'} rejected.`);
  });
  refreshQueue();
}

// ---------------------------------------------------------------------------
// Contacts the agent took: records, the list, the panel

/** A contact record; opens its event stream (and loads a chat's transcript). */
function addContact({ id, kind, ptoken, customer, attributes, readOnly = false, reason = '' }) {
  const existing = state.contacts.get(id);
  if (existing) return existing;
  const contact = {
    id,
    kind,                       // 'CHAT' or 'CALL'
    ptoken,                     // the agent's ParticipantToken for it
    customer,                   // {name, email}
    attributes,
    state: readOnly ? 'ENDED' : 'CONNECTED', // CONNECTED or ENDED (what the agent can act on)
    reason,
    readOnly,                   // a history entry: transcript only, through agent/transcript
    customerOnline: null,       // true / false once known, null for history
    messages: new Map(),        // Id -> transcript item (plus pending ones we sent)
    notes: [],                  // {key, afterSeq, text}: state changes, video events
    unread: 0,
    dtmf: '',
    typing: '',                 // "Alice is typing…" or ''
    typingTimer: 0,
    lastTypingSent: 0,
    stream: null,               // the contact's participant stream (sse.js)
    signals: Promise.resolve(), // signal events are handled one after another
    peer: null,                 // see newPeer
    pendingCandidates: [],      // remote candidates that came before the description
    video: 'none',              // none, offered, active
    screenShare: false,
    screen: null,               // the screen capture taken when offering
    camera: null,               // local microphone (call) or camera + microphone (video)
  };
  state.contacts.set(id, contact);
  if (!readOnly) openStream(contact);
  if (kind === 'CHAT') loadTranscript(contact);
  renderContactList();
  return contact;
}

/** Forget a contact locally: stream, media and timers (nothing sent). */
function dropContact(contact) {
  closeStream(contact);
  stopMedia(contact);
  clearTimeout(contact.typingTimer);
  state.contacts.delete(contact.id);
  if (state.selected === contact) state.selected = null;
  renderContactList();
  renderContact();
}

function closeContact(contact) {
  dropContact(contact);
  const next = [...state.contacts.values()].at(-1);
  if (next) selectContact(next);
  saveSession();
}

function selectContact(contact) {
  state.selected = contact;
  contact.unread = 0;
  renderContactList();
  renderContact();
}

function contactLabel(contact) {
  return `${contact.kind === 'CALL' ? 'Call' : 'Chat'} with ${contact.customer.name || contact.customer.email || 'customer'}`;
}

function renderContactList() {
  const list = part('contacts');
  // Rebuilt whole (it is short); keyboard focus moves to the new button.
  const focused = list.contains(document.activeElement) ? document.activeElement.dataset.contactId : null;
  list.replaceChildren();
  for (const contact of state.contacts.values()) {
    const button = el('button', { type: 'button', part: 'contact-tab', 'data-contact-id': contact.id },
                      contactLabel(contact));
    if (contact === state.selected) button.setAttribute('aria-current', 'true');
    if (contact.state === 'ENDED') button.append(el('span', { class: 'muted' }, ' (ended)'));
    if (contact.unread) {
      button.append(el('span', { class: 'badge', part: 'contact-unread' }, String(contact.unread)));
    }
    button.addEventListener('click', () => selectContact(contact));
    const li = el('li');
    li.append(button);
    list.append(li);
    if (contact.id === focused) button.focus();
  }
  show(part('contacts-empty'), state.contacts.size === 0);
}

const REASONS = {
  customer_hangup: 'the caller hung up',
  agent_hangup: 'you hung up',
  customer_disconnected: 'the customer left',
  agent_disconnected: 'you left',
  agent_ended: 'you ended it',
  agent_rejected: 'rejected',
  no_agent: 'nobody answered',
  caller_gone: 'the caller left',
};

function stateText(contact) {
  if (contact.readOnly) return 'History (read-only)';
  if (contact.state !== 'ENDED') return 'Connected';
  const reason = REASONS[contact.reason] ?? contact.reason;
  return reason ? `Ended: ${reason}` : 'Ended';
}

/** Render the selected contact into the panel. */
function renderContact() {
  const contact = state.selected;
  show(part('contact'), Boolean(contact));
  if (!contact) return;
  const ended = contact.state === 'ENDED';
  const panel = part('contact');
  panel.dataset.contactId = contact.id;
  panel.dataset.kind = contact.kind;
  panel.dataset.state = contact.state;
  part('contact-title').textContent =
    contactLabel(contact) + (contact.customer.email ? ` <${contact.customer.email}>` : '');
  part('contact-state').textContent = stateText(contact);
  const presence = part('contact-presence');
  const known = contact.customerOnline !== null && !ended;
  show(presence, known);
  presence.dataset.online = String(Boolean(contact.customerOnline));
  presence.textContent = contact.customerOnline ? 'Customer online' : 'Customer offline';
  renderAttributes(part('contact-attributes'), contact.attributes);
  show(part('contact-close'), ended);
  show(part('call'), contact.kind === 'CALL');
  show(part('chat'), contact.kind === 'CHAT');
  if (contact.kind === 'CALL') renderCall(contact);
  else renderChat(contact);
}

// ---------------------------------------------------------------------------
// Event streams: one participant stream per contact, read by sse.js with
// the ParticipantToken in the X-Amz-Bearer header; it reconnects by itself
// with Last-Event-ID, and ends for good when the server refuses the token.

const EVENT_HANDLERS = {
  'contact.state': onContactState,
  'participant.joined': onParticipantJoined,
  message: onMessage,
  typing: onTyping,
  dtmf: onDtmf,
  signal: (contact, data) => queueSignal(contact, data),
  'video.ended': onVideoEnded,
  'video.declined': onVideoDeclined,
};

function openStream(contact) {
  closeStream(contact);
  contact.stream = openSse({
    url: `${API}participant/events`,
    headers: () => ({ 'X-Amz-Bearer': contact.ptoken }),
    retryMs: STREAM_RETRY_MS,
    onEvent: (type, text) => {
      const handler = EVENT_HANDLERS[type];
      if (!handler) return;
      let data;
      try { data = JSON.parse(text); } catch { return; }
      handler(contact, data);
    },
    onError: (err) => {
      if (err.fatal && contact.state !== 'ENDED') {
        showError(`Lost the live connection to the ${contactLabel(contact).toLowerCase()}: ${err.message}`);
      }
    },
  });
}

function closeStream(contact) {
  contact.stream?.close();
  contact.stream = null;
}

function onContactState(contact, data) {
  if (data.State !== 'ENDED') return;
  contactEnded(contact, data.Reason || '');
}

/** The contact ended (either side): stop its media and stream, keep it listed. */
function contactEnded(contact, reason) {
  if (contact.state === 'ENDED') return;
  contact.state = 'ENDED';
  contact.reason = reason || contact.reason;
  addNote(contact, `${contact.kind === 'CALL' ? 'Call' : 'Chat'} ended${reason ? `: ${REASONS[reason] ?? reason}` : ''}.`);
  stopMedia(contact);
  closeStream(contact);
  saveSession();
  renderContactList();
  if (contact === state.selected) renderContact();
  announce(`${contactLabel(contact)} ended.`);
  loadHistory();
}

function onParticipantJoined(contact, data) {
  if (data.ParticipantRole === 'AGENT') addNote(contact, `${data.DisplayName || 'An agent'} joined.`);
}

// ---------------------------------------------------------------------------
// Chat: transcript, messages, typing

async function loadTranscript(contact) {
  let next;
  for (let page = 0; page < 50; page++) {
    let r;
    try {
      const page = { MaxResults: 100, ...(next ? { NextToken: next } : {}) };
      r = contact.readOnly
        ? await siteApi('agent/transcript', { ContactId: contact.id, ...page })
        : await participantApi(contact, 'transcript', page);
    } catch (err) {
      showError(err.message);
      return;
    }
    for (const item of r.Transcript ?? []) storeMessage(contact, item);
    next = r.NextToken;
    if (!next) break;
  }
  if (contact === state.selected) renderChat(contact);
}

function storeMessage(contact, item) {
  if (item.Type && item.Type !== 'MESSAGE') return false;
  const known = contact.messages.get(item.Id);
  contact.messages.set(item.Id, { ...known, ...item, pending: false });
  return !known;
}

function onMessage(contact, item) {
  const isNew = storeMessage(contact, item);
  if (item.ParticipantRole === 'CUSTOMER') setTyping(contact, '');
  if (isNew && item.ParticipantRole !== 'AGENT' && contact !== state.selected) {
    contact.unread += 1;
    renderContactList();
    announce(`New message from ${item.DisplayName || 'the customer'}.`);
  }
  if (contact === state.selected) renderChat(contact);
}

function maxSeq(contact) {
  let max = 0;
  for (const m of contact.messages.values()) if (!m.pending && m.Seq > max) max = m.Seq;
  return max;
}

function addNote(contact, text) {
  contact.notes.push({ key: `note-${contact.notes.length}`, afterSeq: maxSeq(contact), text });
  if (contact === state.selected) renderChat(contact);
}

/** Messages by Seq (ours not yet echoed last), each note after the message it followed. */
function timeline(contact) {
  const rows = [...contact.messages.values()].map((m) => ({
    key: m.Id, order: [m.pending ? Infinity : m.Seq, 0], message: m,
  }));
  contact.notes.forEach((n, i) => rows.push({ key: n.key, order: [n.afterSeq, i + 1], note: n }));
  return rows.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
}

function messageNode(m) {
  const li = el('li', { part: 'chat-message', class: `msg ${m.ParticipantRole === 'AGENT' ? 'mine' : 'theirs'}` });
  li.dataset.role = m.ParticipantRole ?? '';
  li.append(el('span', { class: 'who' }, m.DisplayName || (m.ParticipantRole === 'AGENT' ? 'You' : 'Customer')),
            el('time', { datetime: m.AbsoluteTime ?? '' }, clock(m.AbsoluteTime)),
            el('p', { part: 'chat-text' }, m.Content ?? ''));
  return li;
}

/** Bring the log in line with the timeline, touching only what changed. */
function renderLog(contact) {
  const log = part('chat-log');
  if (log.dataset.contactId !== contact.id) {
    log.replaceChildren();
    log.dataset.contactId = contact.id;
  }
  const existing = new Map([...log.children].map((li) => [li.dataset.key, li]));
  timeline(contact).forEach((row, i) => {
    let li = existing.get(row.key);
    const stamp = row.message ? `${row.message.Seq}:${row.message.pending}` : 'note';
    if (!li || li.dataset.stamp !== stamp) {
      const fresh = row.message ? messageNode(row.message) : el('li', { part: 'chat-note', class: 'note' }, row.note.text);
      fresh.dataset.key = row.key;
      fresh.dataset.stamp = stamp;
      if (row.message?.pending) fresh.dataset.pending = 'true';
      if (li) li.replaceWith(fresh);
      li = fresh;
    }
    if (log.children[i] !== li) log.insertBefore(li, log.children[i] ?? null);
  });
  log.scrollTop = log.scrollHeight;
}

function renderChat(contact) {
  renderLog(contact);
  const ended = contact.state === 'ENDED';
  part('typing').textContent = contact.typing;
  part('chat-input').disabled = ended;
  part('chat-send').disabled = ended;
  part('end').disabled = ended;
  show(part('chat-form'), !contact.readOnly);
  renderVideo(contact);
}

async function sendMessage(event) {
  event.preventDefault();
  const contact = state.selected;
  const input = part('chat-input');
  const text = input.value.trim();
  if (!contact || !text || contact.state === 'ENDED') return;
  await attempt(async () => {
    const r = await participantApi(contact, 'message', { ContentType: 'text/plain', Content: text });
    input.value = '';
    // Shown at once; the stream's copy (with its Seq) replaces it.
    if (!contact.messages.has(r.Id)) {
      contact.messages.set(r.Id, {
        Id: r.Id, Content: text, AbsoluteTime: r.AbsoluteTime, ParticipantRole: 'AGENT',
        DisplayName: state.me.name, pending: true,
      });
    }
    if (contact === state.selected) renderChat(contact);
  });
}

function onComposeKey(event) {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    part('chat-form').requestSubmit();
  }
}

function onComposeInput() {
  const contact = state.selected;
  if (!contact || contact.state === 'ENDED') return;
  const now = Date.now();
  if (now - contact.lastTypingSent < TYPING_SEND_MS) return;
  contact.lastTypingSent = now;
  participantApi(contact, 'event', { ContentType: 'application/vnd.amazonaws.connect.event.typing' })
    .catch(() => {}); // typing is a hint; a lost one does not matter
}

function onTyping(contact, data) {
  if (data.ParticipantRole === 'AGENT') return;
  const age = Date.now() - Date.parse(data.AbsoluteTime);
  if (age > TYPING_SHOW_MS) return; // a replayed, stale one
  setTyping(contact, `${data.DisplayName || 'The customer'} is typing…`);
}

function setTyping(contact, text) {
  clearTimeout(contact.typingTimer);
  contact.typing = text;
  if (text) contact.typingTimer = setTimeout(() => setTyping(contact, ''), TYPING_SHOW_MS);
  if (contact === state.selected && contact.kind === 'CHAT') part('typing').textContent = text;
}

async function endChat() {
  const contact = state.selected;
  if (!contact) return;
  await attempt(async () => {
    await siteApi('agent/end', { ContactId: contact.id });
    contactEnded(contact, 'agent_ended');
  });
}

// ---------------------------------------------------------------------------
// WebRTC, shared by calls and video: one peer connection per contact,
// candidates trickled both ways, remote candidates held until the remote
// description is set, signal events handled strictly in order.

function newPeer(contact, purpose) {
  closePeer(contact);
  const pc = new RTCPeerConnection({ iceServers: ICE_SERVERS });
  const peer = { pc, purpose };
  pc.onicecandidate = (event) => {
    if (event.candidate && contact.peer === peer) {
      sendSignal(contact, 'candidate', event.candidate.toJSON()).catch(() => {});
    }
  };
  pc.ontrack = (event) => {
    peer.remote = event.streams[0] ?? new MediaStream([event.track]);
    if (contact === state.selected) renderContact();
  };
  pc.onconnectionstatechange = () => {
    if (contact.peer !== peer) return;
    if (pc.connectionState === 'failed') showError('The media connection failed.');
    if (contact === state.selected) renderContact();
  };
  contact.peer = peer;
  return peer;
}

function closePeer(contact) {
  const peer = contact.peer;
  if (!peer) return;
  contact.peer = null;
  contact.pendingCandidates = [];
  peer.pc.close();
}

/** Close the peer and stop every local track of the contact. */
function stopMedia(contact) {
  closePeer(contact);
  for (const key of ['camera', 'screen']) {
    contact[key]?.getTracks().forEach((t) => t.stop());
    contact[key] = null;
  }
  contact.video = 'none';
}

function sendSignal(contact, type, payload) {
  return participantApi(contact, 'signal', { Type: type, Payload: payload });
}

function queueSignal(contact, data) {
  contact.signals = contact.signals.then(() => onSignal(contact, data))
    .catch((err) => showError(err?.message || String(err)));
}

async function onSignal(contact, data) {
  const payload = data.Payload;
  if (data.Type === 'offer') await onRemoteOffer(contact, payload);
  else if (data.Type === 'answer') await onRemoteAnswer(contact, payload);
  else if (data.Type === 'candidate') await onRemoteCandidate(contact, payload);
  else if (data.Type === 'bye') onRemoteBye(contact);
}

async function onRemoteAnswer(contact, answer) {
  const pc = contact.peer?.pc;
  if (!pc || pc.signalingState !== 'have-local-offer') return; // stale (a replay, an old peer)
  await pc.setRemoteDescription(answer);
  await flushCandidates(contact);
}

async function onRemoteCandidate(contact, candidate) {
  const pc = contact.peer?.pc;
  if (!pc || !pc.remoteDescription) {
    contact.pendingCandidates.push(candidate);
    return;
  }
  await pc.addIceCandidate(candidate).catch(() => {}); // one bad candidate is not fatal
}

async function flushCandidates(contact) {
  const list = contact.pendingCandidates;
  contact.pendingCandidates = [];
  for (const c of list) await onRemoteCandidate(contact, c);
}

function onRemoteBye(contact) {
  if (!contact.peer) return;
  const wasVideo = contact.peer.purpose === 'video';
  stopMedia(contact);
  if (wasVideo) addNote(contact, 'The video ended.');
  if (contact === state.selected) renderContact();
}

function mediaErrorText(err, what) {
  if (err?.name === 'NotAllowedError') return `Access to the ${what} was refused.`;
  if (err?.name === 'NotFoundError' || err?.name === 'OverconstrainedError') return `No ${what} was found.`;
  if (err?.name === 'NotReadableError') return `The ${what} is in use by another program.`;
  return `Could not use the ${what}: ${err?.message || err}`;
}

/** getUserMedia, or null (with the reason shown) when it is not possible. */
async function getMedia(constraints, what) {
  if (!navigator.mediaDevices?.getUserMedia) {
    showError(`This browser gives the page no access to the ${what}.`);
    return null;
  }
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (err) {
    showError(mediaErrorText(err, what));
    return null;
  }
}

// ---------------------------------------------------------------------------
// Calls: after accepting, the agent offers audio; the customer answers.

async function startCallMedia(contact) {
  if (typeof RTCPeerConnection !== 'function') {
    showError('This browser cannot carry the call\'s audio (no WebRTC).');
    renderContact();
    return;
  }
  stopMedia(contact); // a reconnect starts from scratch
  const mic = await getMedia({ audio: true }, 'microphone');
  if (contact.state === 'ENDED' || !state.contacts.has(contact.id)) {
    mic?.getTracks().forEach((t) => t.stop());
    return;
  }
  const peer = newPeer(contact, 'call');
  contact.camera = mic;
  // Without a microphone the agent still hears the caller.
  if (mic) mic.getTracks().forEach((t) => peer.pc.addTrack(t, mic));
  else peer.pc.addTransceiver('audio', { direction: 'recvonly' });
  const offer = await peer.pc.createOffer();
  await peer.pc.setLocalDescription(offer);
  await attempt(() => sendSignal(contact, 'offer', { type: offer.type, sdp: offer.sdp }));
  if (contact === state.selected) renderContact();
}

function callStatusText(contact) {
  if (contact.state === 'ENDED') return stateText(contact);
  const pc = contact.peer?.pc;
  if (!pc) return 'Connected, no audio.';
  if (pc.connectionState === 'connected') return 'Audio connected.';
  if (pc.connectionState === 'failed') return 'Audio failed.';
  return 'Connecting audio…';
}

function renderCall(contact) {
  const ended = contact.state === 'ENDED';
  part('call-status').textContent = callStatusText(contact);
  part('dtmf-digits').textContent = contact.dtmf;
  part('hangup').disabled = ended;
  show(part('call-reconnect'), !ended && !contact.peer);
  const audio = part('call-audio');
  const remote = contact.peer?.purpose === 'call' ? contact.peer.remote ?? null : null;
  if (audio.srcObject !== remote) audio.srcObject = remote;
}

function onDtmf(contact, data) {
  if (data.FromRole === 'AGENT') return;
  contact.dtmf += data.Digit ?? '';
  if (contact === state.selected && contact.kind === 'CALL') part('dtmf-digits').textContent = contact.dtmf;
}

async function hangUp() {
  const contact = state.selected;
  if (!contact) return;
  await attempt(async () => {
    await siteApi('update', { update: 'end', meetingId: contact.id });
    contactEnded(contact, 'agent_hangup');
  });
}

// ---------------------------------------------------------------------------
// Video escalation inside a chat: the agent offers, the customer's widget
// sends the WebRTC offer, the console answers with camera (and screen).

async function offerVideo(screenShare) {
  const contact = state.selected;
  if (!contact || contact.state === 'ENDED') return;
  let share = screenShare;
  if (share) {
    // getDisplayMedia needs the click's user activation, so the screen is
    // captured now and kept until the customer's offer arrives.
    contact.screen?.getTracks().forEach((t) => t.stop());
    contact.screen = await captureScreen();
    share = Boolean(contact.screen);
  }
  await attempt(async () => {
    await participantApi(contact, 'video', { Action: 'offer', ScreenShare: share });
    contact.video = 'offered';
    contact.screenShare = share;
    addNote(contact, share ? 'You offered video with your screen.' : 'You offered video.');
  });
  if (contact.video === 'none') {
    contact.screen?.getTracks().forEach((t) => t.stop());
    contact.screen = null;
  }
  renderContact();
}

async function captureScreen() {
  if (!navigator.mediaDevices?.getDisplayMedia) {
    showError('This browser cannot share the screen; offering video only.');
    return null;
  }
  try {
    return await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  } catch (err) {
    showError(`${mediaErrorText(err, 'screen')} Offering video only.`);
    return null;
  }
}

async function onRemoteOffer(contact, offer) {
  if (contact.kind !== 'CHAT' || contact.video === 'none' || contact.state === 'ENDED') return;
  if (typeof RTCPeerConnection !== 'function') {
    showError('This browser cannot show video (no WebRTC).');
    return;
  }
  // A second offer on a live video peer renegotiates it (the customer
  // turning the camera on, an ICE restart); anything else starts afresh.
  const live = contact.peer?.purpose === 'video' && contact.peer.pc.signalingState === 'stable';
  const peer = live ? contact.peer : newPeer(contact, 'video');
  await peer.pc.setRemoteDescription(offer);
  if (!contact.camera) {
    contact.camera = await getMedia({ audio: true, video: true }, 'camera')
      ?? await getMedia({ audio: true }, 'microphone');
  }
  if (contact.peer !== peer) return;
  sendLocalMedia(peer.pc, contact.camera, contact.screen);
  const answer = await peer.pc.createAnswer();
  await peer.pc.setLocalDescription(answer);
  await sendSignal(contact, 'answer', { type: answer.type, sdp: answer.sdp });
  await flushCandidates(contact);
  contact.video = 'active';
  if (contact === state.selected) renderContact();
}

/** Put local tracks (those not sent yet) on the transceivers the
 * customer's offer created. Camera first, screen second; with a single
 * video slot the screen wins: it is what the offer promised. */
function sendLocalMedia(pc, camera, screen) {
  const audio = camera?.getAudioTracks()[0];
  const cam = camera?.getVideoTracks()[0];
  const shared = screen?.getVideoTracks()[0];
  const slots = pc.getTransceivers().filter((t) => t.receiver.track.kind === 'video').length;
  const videos = shared ? (slots >= 2 ? [cam, shared] : [shared]) : [cam];
  const sent = new Set(pc.getSenders().map((s) => s.track));
  for (const track of [audio, ...videos]) {
    if (track && !sent.has(track)) pc.addTrack(track, track === audio ? camera : new MediaStream([track]));
  }
}

async function endVideo() {
  const contact = state.selected;
  if (!contact) return;
  await attempt(async () => {
    if (contact.state !== 'ENDED') await participantApi(contact, 'video', { Action: 'end' });
    stopMedia(contact);
    addNote(contact, 'You ended the video.');
  });
  renderContact();
}

function onVideoEnded(contact, data) {
  if (data.FromRole === 'AGENT' || contact.video === 'none') return;
  stopMedia(contact);
  addNote(contact, `${contact.customer.name || 'The customer'} ended the video.`);
  if (contact === state.selected) renderContact();
}

/** The customer turned the offer down: stop waiting, offer again if asked. */
function onVideoDeclined(contact) {
  if (contact.video !== 'offered') return; // a replay, or an offer since joined or ended
  stopMedia(contact); // releases the screen captured for the offer
  addNote(contact, `${contact.customer.name || 'The customer'} declined the video.`);
  if (contact === state.selected) renderContact();
}

function renderVideo(contact) {
  const ended = contact.state === 'ENDED';
  const on = contact.video !== 'none';
  show(part('video'), on);
  show(part('offer-video'), !on);
  show(part('offer-screen'), !on);
  show(part('end-video'), on);
  part('offer-video').disabled = ended;
  part('offer-screen').disabled = ended;
  part('video').dataset.state = contact.video;
  const connected = contact.peer?.pc.connectionState === 'connected';
  part('video-status').textContent = contact.video === 'offered'
    ? `Video${contact.screenShare ? ' with your screen' : ''} offered; waiting for the customer to join.`
    : on ? (connected ? 'Video connected.' : 'Connecting video…') : '';
  const remote = contact.peer?.purpose === 'video' ? contact.peer.remote ?? null : null;
  const local = contact.camera?.getVideoTracks().length ? contact.camera : contact.screen;
  if (part('video-remote').srcObject !== remote) part('video-remote').srcObject = remote;
  if (part('video-local').srcObject !== (on ? local : null)) part('video-local').srcObject = on ? local : null;
}

// ---------------------------------------------------------------------------
// Reference codes

async function createAdhoc(event) {
  event.preventDefault();
  const email = part('adhoc-email').value.trim();
  await attempt(async () => {
    const r = await siteApi('adhoc', { attendeeEmail: email, routeToAgentQueue: part('adhoc-mine').checked });
    part('adhoc-code').textContent = r.routeId;
    const expiry = part('adhoc-expiry');
    expiry.dateTime = r.expiresAt;
    expiry.textContent = new Date(r.expiresAt).toLocaleString();
    part('adhoc-url').textContent = r.url ?? '';
    show(part('adhoc-result'), true);
  });
}

// ---------------------------------------------------------------------------
// History

async function loadHistory() {
  if (!state.token) return;
  let r;
  try {
    r = await siteApi('agent/history');
  } catch (err) {
    showError(err.message);
    return;
  }
  const list = part('history');
  list.replaceChildren();
  for (const c of r.Contacts ?? []) {
    const li = el('li', { part: 'history-item', 'data-contact-id': c.ContactId, 'data-kind': c.Kind });
    const reason = c.EndReason ? REASONS[c.EndReason] ?? c.EndReason : 'open';
    li.append(el('span', { class: 'kind' }, c.Kind),
              el('strong', {}, c.CustomerName || c.CustomerEmail || 'Customer'),
              el('time', { datetime: c.CreatedAt }, new Date(c.CreatedAt).toLocaleString()),
              el('span', { class: 'muted' }, reason));
    if (c.Kind === 'CHAT' && c.EndReason) {
      const open = el('button', { type: 'button', class: 'quiet', part: 'history-open' }, 'Transcript');
      open.setAttribute('aria-label', `Transcript of the chat with ${c.CustomerName || c.CustomerEmail || 'customer'}`);
      open.addEventListener('click', () => openHistory(c));
      li.append(open);
    }
    list.append(li);
  }
}

/** Open an ended chat read-only: its transcript, nothing to send. */
function openHistory(c) {
  const contact = state.contacts.get(c.ContactId) ?? addContact({
    id: c.ContactId,
    kind: c.Kind,
    ptoken: '',
    customer: { name: c.CustomerName || '', email: c.CustomerEmail || '' },
    attributes: c.Attributes ?? {},
    readOnly: true,
    reason: c.EndReason || '',
  });
  selectContact(contact);
  part('contact').focus?.();
}

// ---------------------------------------------------------------------------
// Boot: wire the static elements, then resume a saved session.

function wire() {
  part('signin-demo-form').addEventListener('submit', signInDemo);
  part('signin-token-form').addEventListener('submit', signInPasted);
  part('agent-status').addEventListener('click', toggleStatus);
  part('agent-signout').addEventListener('click', () => signOut());
  part('alert-dismiss').addEventListener('click', () => clearError());
  part('chat-form').addEventListener('submit', sendMessage);
  part('chat-input').addEventListener('keydown', onComposeKey);
  part('chat-input').addEventListener('input', onComposeInput);
  part('end').addEventListener('click', endChat);
  part('hangup').addEventListener('click', hangUp);
  part('call-reconnect').addEventListener('click', () => state.selected && attempt(() => startCallMedia(state.selected)));
  part('offer-video').addEventListener('click', () => offerVideo(false));
  part('offer-screen').addEventListener('click', () => offerVideo(true));
  part('end-video').addEventListener('click', endVideo);
  part('contact-close').addEventListener('click', () => state.selected && closeContact(state.selected));
  part('adhoc-form').addEventListener('submit', createAdhoc);
  part('history-refresh').addEventListener('click', loadHistory);
}

async function resume() {
  const saved = loadSession();
  if (!saved?.token) return;
  state.token = saved.token;
  state.me = saved.me ?? { name: '', sub: '' };
  state.status = saved.status === 'available' ? 'available' : 'offline';
  enterWorkspace(); // the agent stream restores the open contacts from the server
}

wire();
detectDemo();
resume();
