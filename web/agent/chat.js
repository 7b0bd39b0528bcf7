// chat.js - the conversation view of a chat: transcript, messages (sent and
// received), notes in the log, typing, ending the chat.

import { showError, attempt, announce } from './alerts.js';
import { siteApi, participantApi } from './api.js';
import { FRESH_MESSAGE_MS, TYPING_SEND_MS, TYPING_SHOW_MS } from './config.js';
import { contactEnded } from './contact_stream.js';
import { selectContact } from './contacts.js';
import { alertAgent } from './notify.js';
import { part, show, el, clock } from './dom.js';
import { state } from './state.js';
import { renderVideo } from './video.js';
import { privateNoteNode, seqAt } from './private_notes.js';
import { changed } from './render.js';
import { onCannedInput, onCannedKey } from './canned.js';


export async function loadTranscript(contact) {
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
  changed();
}

export function storeMessage(contact, item) {
  if (item.Type && item.Type !== 'MESSAGE') return false;
  const known = contact.messages.get(item.Id);
  contact.messages.set(item.Id, { ...known, ...item, pending: false });
  rememberText(contact.id, item);
  return !known;
}

/** Keep a message's text for the history search (it outlives the contact's record). */
function rememberText(contactId, item) {
  if (!state.texts.has(contactId)) state.texts.set(contactId, new Map());
  state.texts.get(contactId).set(item.Id, item.Content ?? '');
}

export function onMessage(contact, item) {
  const isNew = storeMessage(contact, item);
  if (item.ParticipantRole === 'CUSTOMER') setTyping(contact, '');
  const offScreen = contact !== state.selected || document.hidden;
  if (isNew && item.ParticipantRole !== 'AGENT' && offScreen) {
    if (contact !== state.selected) contact.unread += 1;
    const who = item.DisplayName || 'the customer';
    announce(`New message from ${who}.`);
    // A replay of old messages (a console restoring its contacts) does not ring.
    if (Date.parse(item.AbsoluteTime) >= contact.openedAt - FRESH_MESSAGE_MS) {
      alertAgent('message', `New message from ${who}`, item.Content ?? '', `message-${contact.id}`,
                 () => selectContact(contact));
    }
  }
  changed(); // the log, the unread count and wait timer, the title
}

export function maxSeq(contact) {
  let max = 0;
  for (const m of contact.messages.values()) if (!m.pending && m.Seq > max) max = m.Seq;
  return max;
}

export function addNote(contact, text) {
  contact.notes.push({ key: `note-${contact.notes.length}`, afterSeq: maxSeq(contact), text });
  changed();
}

/** Messages by Seq (ours not yet echoed last), each note after the message it followed. */
/**
 * @typedef {object} TimelineRow
 * @property {string} key
 * @property {number[]} order  sort keys: [after this Seq, then this]
 * @property {any} [message]   a transcript item
 * @property {any} [note]      a state note {key, afterSeq, text}
 * @property {any} [privateNote] an agent/notes entry
 */

/** @returns {TimelineRow[]} */
export function timeline(contact) {
  /** @type {TimelineRow[]} */
  const rows = [...contact.messages.values()].map((m) => ({
    key: m.Id, order: [m.pending ? Infinity : m.Seq, 0], message: m,
  }));
  contact.notes.forEach((n, i) => rows.push({ key: n.key, order: [n.afterSeq, i + 1], note: n }));
  // Private notes after the message they followed in time, before the state notes there.
  for (const n of contact.privateNotes) {
    rows.push({ key: `private-${n.NoteId}`, order: [seqAt(contact, n.CreatedAt), 0.5], privateNote: n });
  }
  return rows.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
}

export function messageNode(m) {
  const li = el('div', { part: 'chat-message', class: `msg ${m.ParticipantRole === 'AGENT' ? 'mine' : 'theirs'}` });
  li.dataset.role = m.ParticipantRole ?? '';
  li.append(el('span', { class: 'who' }, m.DisplayName || (m.ParticipantRole === 'AGENT' ? 'You' : 'Customer')),
            el('time', { datetime: m.AbsoluteTime ?? '' }, clock(m.AbsoluteTime)),
            el('p', { part: 'chat-text' }, m.Content ?? ''));
  return li;
}

/** Bring the log in line with the timeline, touching only what changed. */
export function renderLog(contact) {
  const log = part('chat-log');
  if (log.dataset.contactId !== contact.id) {
    log.replaceChildren();
    log.dataset.contactId = contact.id;
  }
  const existing = new Map([...log.children].map((li) => [li.dataset.key, li]));
  timeline(contact).forEach((row, i) => {
    let li = existing.get(row.key);
    const stamp = row.message ? `${row.message.Seq}:${row.message.pending}` : row.privateNote ? 'private' : 'note';
    if (!li || li.dataset.stamp !== stamp) {
      const fresh = row.message ? messageNode(row.message)
        : row.privateNote ? privateNoteNode(row.privateNote)
          : el('div', { part: 'chat-note', class: 'note' }, row.note.text);
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

export function renderChat(contact) {
  renderLog(contact);
  const ended = contact.state === 'ENDED';
  part('typing').textContent = contact.typing;
  part('chat-input').disabled = ended;
  part('chat-send').disabled = ended;
  part('end').disabled = ended;
  show(part('chat-form'), !contact.readOnly);
  renderVideo(contact);
}

export async function sendMessage(event) {
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
    changed();
  });
}

export function onComposeKey(event) {
  if (onCannedKey(event)) return;
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    part('chat-form').requestSubmit();
  }
}

export function onComposeInput() {
  onCannedInput();
  const contact = state.selected;
  if (!contact || contact.state === 'ENDED') return;
  const now = Date.now();
  if (now - contact.lastTypingSent < TYPING_SEND_MS) return;
  contact.lastTypingSent = now;
  participantApi(contact, 'event', { ContentType: 'application/vnd.amazonaws.connect.event.typing' })
    .catch(() => {}); // typing is a hint; a lost one does not matter
}

export function onTyping(contact, data) {
  if (data.ParticipantRole === 'AGENT') return;
  const age = Date.now() - Date.parse(data.AbsoluteTime);
  if (age > TYPING_SHOW_MS) return; // a replayed, stale one
  setTyping(contact, `${data.DisplayName || 'The customer'} is typing…`);
}

export function setTyping(contact, text) {
  clearTimeout(contact.typingTimer);
  contact.typing = text;
  if (text) contact.typingTimer = setTimeout(() => setTyping(contact, ''), TYPING_SHOW_MS);
  changed();
}

export async function endChat() {
  const contact = state.selected;
  if (!contact) return;
  await attempt(async () => {
    await siteApi('agent/end', { ContactId: contact.id });
    contactEnded(contact, 'agent_ended');
  });
}
