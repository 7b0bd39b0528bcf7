// private_notes.js - an agent's private notes on a contact (agent/notes):
// only agents see them; the server keeps them apart from the transcript
// and never sends them to the customer. In a chat they sit in the log at
// the time they were written (marked "Private note"); a call lists them
// under the call. Ended contacts and history entries take notes too.

import { attempt } from './alerts.js';
import { siteApi } from './api.js';
import { clock, el, part, show } from './dom.js';
import { changed } from './render.js';
import { state } from './state.js';

/** Load a contact's notes (errors are quiet: notes are an extra). */
export async function loadPrivateNotes(contact) {
  let r;
  try {
    r = await siteApi(`agent/notes?ContactId=${encodeURIComponent(contact.id)}`);
  } catch {
    return;
  }
  for (const n of r.Notes ?? []) keepNote(contact, n);
  changed();
}

function keepNote(contact, n) {
  if (!contact.privateNotes.some((k) => k.NoteId === n.NoteId)) contact.privateNotes.push(n);
}

/** The note form was submitted: store the note on the selected contact. */
export async function addPrivateNote(event) {
  event.preventDefault();
  const contact = state.selected;
  const input = part('note-input');
  const text = input.value.trim();
  if (!contact || !text) return;
  await attempt(async () => {
    const n = await siteApi('agent/notes', { ContactId: contact.id, Content: text });
    input.value = '';
    keepNote(contact, n);
    changed();
  });
}

/** The Seq of the last message written at or before `iso` (0: before all). */
export function seqAt(contact, iso) {
  const t = Date.parse(iso);
  let seq = 0;
  for (const m of contact.messages.values()) {
    if (!m.pending && Date.parse(m.AbsoluteTime) <= t && m.Seq > seq) seq = m.Seq;
  }
  return seq;
}

export function privateNoteNode(n) {
  const node = el('div', { part: 'private-note', class: 'msg private', 'data-note-id': n.NoteId });
  node.append(el('span', { class: 'who' }, `Private note · ${n.AuthorName || 'agent'}`),
              el('time', { datetime: n.CreatedAt ?? '' }, clock(n.CreatedAt)),
              el('p', { part: 'private-note-text' }, n.Content ?? ''));
  return node;
}

/** A call's notes, listed under the call (a chat's are in its log, see chat.js). */
export function renderCallNotes(contact) {
  const list = part('call-notes');
  list.replaceChildren(...contact.privateNotes.map((n) => {
    const li = el('li');
    li.append(privateNoteNode(n));
    return li;
  }));
  show(list, contact.privateNotes.length > 0);
}
