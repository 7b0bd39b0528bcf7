// state.js - the console's one state object (every view renders from it) and
// its session storage: the site token, the agent and the open contacts, so a
// reload resumes.

import { STORE_KEY } from './config.js';

export const state = {
  token: '',
  me: { name: '', sub: '' },
  status: 'offline',
  agentStream: null,       // the agent's own event stream (sse.js)
  queueTimer: 0,           // a pending queue refresh
  refreshing: false,       // a queue refresh in flight
  refreshAgain: false,     // another one asked for meanwhile
  pollError: '',
  queueNodes: new Map(),   // ContactId -> <li> in the queue
  queueSections: new Map(), // queue name -> <section> of a named queue (queues.js)
  queueSectionSeq: 0,      // numbers the sections' heading ids
  queueSeen: new Map(),    // ContactId -> {offered} of the last poll, for announcements
  contacts: new Map(),     // ContactId -> contact record (see addContact)
  selected: null,          // the contact record shown in the panel
  history: [],             // agent/history entries, newest first (customer panel)
  historyQuery: '',        // the history search box's text (history.js)
  texts: new Map(),        // ContactId -> Map(message Id -> text): transcripts loaded since sign-in, for the search
  timerTick: 0,            // the wait timers' interval (timers.js)
  accepting: new Set(),    // ContactIds whose accept is on its way (queue.js)
  renderPending: false,    // a render is queued (render.js)
  queuePrimed: false,      // the queue was rendered once since sign-in (later new items notify)
  notify: null,            // notify.js: its AudioContext, the queue count, the favicon drawn
  dispositions: [],        // [{Code, Label}] from agent/dispositions (wrapup.js)
  canned: [],              // [{Id, Title, Text, Shared}] from agent/canned (canned.js)
};


export function saveSession() {
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

export function loadSession() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null');
  } catch {
    return null;
  }
}
