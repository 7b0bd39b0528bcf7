// wrapup.js - wrap-up when closing a contact: once a contact the agent
// worked has ended, the panel offers an optional disposition (the server's
// list, GET agent/dispositions) and note; Close sends them with the end
// (POST agent/end {Disposition, Note}: the server stores the code with the
// contact and the note as a private note, never seen by the customer),
// then closes the contact. Nothing chosen: Close just closes. A history
// entry (read-only) shows the disposition it was closed with. The choice
// is kept on the contact record (contact.wrapup) while the agent looks at
// other contacts.

import { attempt } from './alerts.js';
import { siteApi } from './api.js';
import { closeContact } from './contacts.js';
import { part, show, el } from './dom.js';
import { changed } from './render.js';
import { state } from './state.js';

/** The server's disposition codes into the picker (once per sign-in). */
export async function loadDispositions() {
  let r;
  try {
    r = await siteApi('agent/dispositions');
  } catch {
    return; // the picker keeps "None"; closing still works
  }
  state.dispositions = r.Dispositions ?? [];
  const select = part('wrapup-disposition');
  select.replaceChildren(el('option', { value: '' }, 'None'),
                         ...state.dispositions.map((d) => el('option', { value: d.Code }, d.Label)));
  changed();
}

/** A code's label (the code itself when the list does not know it). */
export function dispositionLabel(code) {
  return state.dispositions.find((d) => d.Code === code)?.Label ?? code;
}

function wrapUpOf(contact) {
  contact.wrapup ??= { disposition: '', note: '' };
  return contact.wrapup;
}

/** The agent/end body for a wrap-up, or null when there is nothing to save. */
export function wrapUpBody(contact, { disposition, note }) {
  const body = { ContactId: contact.id };
  if (disposition) body.Disposition = disposition;
  if (note.trim()) body.Note = note.trim();
  return Object.keys(body).length > 1 ? body : null;
}

/** Close button: save the selected contact's wrap-up (if any), then close it.
 * A failed save leaves the contact open with the error shown. */
export async function closeWithWrapUp() {
  const contact = state.selected;
  if (!contact || contact.state !== 'ENDED') return;
  const body = contact.readOnly || contact.transferred ? null : wrapUpBody(contact, wrapUpOf(contact));
  if (body) {
    const saved = await attempt(() => siteApi('agent/end', body));
    if (!saved) return;
  }
  closeContact(contact);
}

/** A read-only contact's disposition, asked for once. */
async function loadDisposition(contact) {
  contact.disposition = '';
  const q = new URLSearchParams({ ContactId: contact.id });
  try {
    const r = await siteApi(`agent/disposition?${q}`);
    contact.disposition = r.Disposition ?? '';
  } catch {
    // not this agent's any more (retention): nothing to show
  }
  changed();
}

/** Render the wrap-up fields (or, read-only, the saved disposition). */
export function renderWrapUp(contact) {
  const saved = part('wrapup-saved');
  if (contact.readOnly && contact.disposition === undefined) loadDisposition(contact);
  const label = contact.readOnly && contact.disposition ? `Closed as: ${dispositionLabel(contact.disposition)}` : '';
  if (saved.textContent !== label) saved.textContent = label;
  show(saved, Boolean(label));
  const box = part('wrapup');
  const visible = contact.state === 'ENDED' && !contact.readOnly && !contact.transferred;
  show(box, visible);
  if (!visible) return;
  const w = wrapUpOf(contact);
  const select = part('wrapup-disposition');
  const note = part('wrapup-note');
  if (select.value !== w.disposition) select.value = w.disposition;
  if (note.value !== w.note) note.value = w.note;
}

/** Wire the fields and the Close button (once, at boot). */
export function wireWrapUp() {
  const keep = () => {
    const contact = state.selected;
    if (!contact) return;
    const w = wrapUpOf(contact);
    w.disposition = part('wrapup-disposition').value;
    w.note = part('wrapup-note').value;
  };
  part('wrapup-disposition').addEventListener('change', keep);
  part('wrapup-note').addEventListener('input', keep);
  part('contact-close').addEventListener('click', closeWithWrapUp);
}
