// contacts.js - the contacts the agent took: their records, the contact list
// (my contacts) and the contact panel that shows the selected one.

import { renderCall } from './calls.js';
import { loadTranscript, renderChat } from './chat.js';
import { openStream, closeStream } from './contact_stream.js';
import { part, show, el } from './dom.js';
import { renderCustomer } from './customer.js';
import { loadPrivateNotes, renderCallNotes } from './private_notes.js';
import { renderWait } from './timers.js';
import { renderWrapUp } from './wrapup.js';
import { renderTransfer } from './transfer.js';
import { stopMedia } from './rtc.js';
import { state, saveSession } from './state.js';
import { renderAll, changed } from './render.js';


/** A contact record; opens its event stream (and loads a chat's transcript). */
export function addContact({ id, kind, ptoken, customer, attributes, readOnly = false, reason = '' }) {
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
    privateNotes: [],           // agent/notes entries {NoteId, Content, AuthorName, CreatedAt}
    unread: 0,
    openedAt: Date.now(),       // when this console took the record (replayed messages are older)
    dtmf: '',                   // digits the caller pressed
    dtmfSent: '',               // digits this console sent to the caller (call_controls.js)
    dtmfQueue: Promise.resolve(), // digits are sent one after another
    muted: false,               // the agent's microphone is off (call_controls.js)
    held: false,                // on hold: audio paused both ways
    holdTold: null,             // whether the hold / unhold signal reached the server (null: on its way)
    connectedAt: readOnly ? 0 : Date.now(), // the call timer's start (connected to this agent)
    endedAt: 0,                 // and its stop
    wrapup: null,               // {disposition, note} typed before closing (wrapup.js)
    typing: '',                 // "Alice is typing…" or ''
    typingTimer: 0,
    lastTypingSent: 0,
    stream: null,               // the contact's participant stream (sse.js)
    signals: Promise.resolve(), // signal events are handled one after another
    peer: null,                 // see newPeer
    video: 'none',              // none, offered, active
    screenShare: false,
    screen: null,               // the screen capture taken when offering
    camera: null,               // local microphone (call) or camera + microphone (video)
  };
  state.contacts.set(id, contact);
  if (!readOnly) openStream(contact);
  if (kind === 'CHAT') loadTranscript(contact);
  loadPrivateNotes(contact);
  changed();
  return contact;
}

/** Forget a contact locally: stream, media and timers (nothing sent). */
export function dropContact(contact) {
  closeStream(contact);
  stopMedia(contact);
  clearTimeout(contact.typingTimer);
  state.contacts.delete(contact.id);
  if (state.selected === contact) state.selected = null;
  renderAll();
}

export function closeContact(contact) {
  dropContact(contact);
  const next = [...state.contacts.values()].at(-1);
  if (next) selectContact(next);
  saveSession();
}

export function selectContact(contact) {
  state.selected = contact;
  contact.unread = 0;
  renderAll();
}

export function contactLabel(contact) {
  return `${contact.kind === 'CALL' ? 'Call' : 'Chat'} with ${contact.customer.name || contact.customer.email || 'customer'}`;
}

export function renderContactList() {
  const list = part('contacts');
  // Rebuilt whole (it is short); keyboard focus moves to the new button.
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const focused = list.contains(active) ? active?.dataset.contactId : null;
  list.replaceChildren();
  for (const contact of state.contacts.values()) {
    const button = el('button', { type: 'button', part: 'contact-tab', 'data-contact-id': contact.id },
                      contactLabel(contact));
    if (contact === state.selected) button.setAttribute('aria-current', 'true');
    if (contact.state === 'ENDED') button.append(el('span', { class: 'muted' }, ' (ended)'));
    if (contact.unread) {
      const badge = el('span', { class: 'badge', part: 'contact-unread' }, String(contact.unread));
      badge.setAttribute('aria-label', `${contact.unread} unread`);
      button.append(badge);
    }
    const wait = el('span', { class: 'wait', part: 'contact-wait' });
    button.append(' ', wait);
    renderWait(wait, contact.state === 'ENDED' ? 0 : customerWaitingSince(contact), 'waiting ');
    button.addEventListener('click', () => selectContact(contact));
    const li = el('li', { 'data-wait': '' });
    li.append(button);
    list.append(li);
    if (contact.id === focused) button.focus();
  }
  show(part('contacts-empty'), state.contacts.size === 0);
}

/** When the customer's unanswered message came (ms), or 0 when the last word was the agent's. */
export function customerWaitingSince(contact) {
  let last = null;
  for (const m of contact.messages.values()) {
    if (!last || (m.pending ? Infinity : m.Seq) > (last.pending ? Infinity : last.Seq)) last = m;
  }
  if (!last || last.ParticipantRole !== 'CUSTOMER') return 0;
  const t = Date.parse(last.AbsoluteTime);
  return Number.isNaN(t) ? 0 : t;
}

export const REASONS = {
  customer_hangup: 'the caller hung up',
  agent_hangup: 'you hung up',
  customer_disconnected: 'the customer left',
  agent_disconnected: 'you left',
  agent_ended: 'you ended it',
  agent_rejected: 'rejected',
  no_agent: 'nobody answered',
  caller_gone: 'the caller left',
  transferred: 'transferred',
};

export function stateText(contact) {
  if (contact.readOnly) return 'History (read-only)';
  if (contact.state !== 'ENDED') return 'Connected';
  const reason = REASONS[contact.reason] ?? contact.reason;
  return reason ? `Ended: ${reason}` : 'Ended';
}

/** Render the selected contact into the panel. */
export function renderContact() {
  const contact = state.selected;
  show(part('contact'), Boolean(contact));
  show(part('contact-none'), !contact);
  renderCustomer(contact);
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
  show(part('contact-close'), ended);
  renderTransfer(contact);
  renderWrapUp(contact);
  show(part('call'), contact.kind === 'CALL');
  show(part('chat'), contact.kind === 'CHAT');
  if (contact.kind === 'CALL') renderCall(contact);
  else renderChat(contact);
  if (contact.kind === 'CALL') renderCallNotes(contact);
}
