// agent_stream.js - the agent's own event stream (GET agent/events): queue
// changes, offers, assignments, ends and customer presence; and the restore
// of the agent's open contacts (GET agent/contacts) at sign-in and on every
// reconnect.

import { showError, clearError, announce } from './alerts.js';
import { siteApi } from './api.js';
import { API, STREAM_RETRY_MS } from './config.js';
import { contactEnded } from './contact_stream.js';
import { addContact, selectContact } from './contacts.js';
import { loadHistory } from './history.js';
import { refreshQueueSoon, refreshQueue } from './queue.js';
import { signOut, renderStatus, fromServerStatus, statusAnnouncement } from './session.js';
import { state, saveSession } from './state.js';
import { openSse } from './sse.js';
import { changed } from './render.js';
import { loadPrivateNotes } from './private_notes.js';
import { markTransferred } from './transfer.js';

// changes, offers and their withdrawal, contacts assigned and ended,
// customers online or not); the console then refreshes the queue or its
// contacts. Every (re)connect refreshes both, since events may have been
// missed before the first one.

export const AGENT_EVENT_HANDLERS = {
  'agent.status': onAgentStatus,
  'queue.changed': () => refreshQueueSoon(),
  offer: () => refreshQueueSoon(),
  'offer.withdrawn': () => refreshQueueSoon(),
  'contact.assigned': () => restoreContacts(),
  'contact.ended': onAgentContactEnded,
  'contact.transferred': (data) => { // this agent handed it on (maybe from another console)
    const contact = state.contacts.get(data.ContactId);
    if (contact && contact.state !== 'ENDED') markTransferred(contact);
  },
  'contact.rated': () => loadHistory(), // the customer rated a contact: the history shows it
  'customer.presence': onCustomerPresence,
  'contact.note': (data) => { // a note added on another console of this agent
    const contact = state.contacts.get(data.ContactId);
    if (contact) loadPrivateNotes(contact);
  },
};

export function startAgentStream(lastEventId) {
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

export function stopAgentStream() {
  state.agentStream?.close();
  state.agentStream = null;
  clearTimeout(state.queueTimer);
  state.queueTimer = 0;
}

/** A status change from another device, or the server's when the agent was away. */
export function onAgentStatus(data) {
  const status = fromServerStatus(data.Status);
  if (status === state.status) return;
  state.status = status;
  saveSession();
  renderStatus();
  announce(data.Reason === 'away' && status === 'offline' ? 'You were set offline: no console was open.'
    : statusAnnouncement(status));
}

export function onAgentContactEnded(data) {
  const contact = state.contacts.get(data.ContactId);
  if (contact) contactEnded(contact, data.Reason || '');
  else loadHistory();
}

export function onCustomerPresence(data) {
  const contact = state.contacts.get(data.ContactId);
  if (contact) {
    contact.customerOnline = Boolean(data.CustomerOnline);
    changed();
  }
  if (state.queueNodes.has(data.ContactId)) refreshQueueSoon();
}

/** Pick up the agent's status and open contacts (from another tab or
 * device too). Returns the snapshot, or null when it failed. */
export async function restoreContacts() {
  if (!state.token) return null;
  let r;
  try {
    r = await siteApi('agent/contacts');
  } catch (err) {
    if (state.token) showError(err.message);
    return null;
  }
  if (!state.token) return null;
  if (r.Status && fromServerStatus(r.Status) !== state.status) {
    state.status = fromServerStatus(r.Status);
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
    // The call timer runs from the accept, not from this console's restore.
    contact.connectedAt = Date.parse(c.AcceptedAt) || contact.connectedAt;
    if (!state.selected) selectContact(contact);
  }
  changed();
  saveSession();
  return r;
}
