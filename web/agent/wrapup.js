// wrapup.js - wrap-up when closing a contact: once a contact the agent
// worked has ended, the panel offers an optional disposition (a short
// list) and note; Close saves them as one private note (POST agent/notes,
// never seen by the customer) that starts "Wrap-up:", then closes the
// contact. Nothing chosen: Close just closes. History entries (read-only)
// close without a wrap-up. The choice is kept on the contact record
// (contact.wrapup) while the agent looks at other contacts.

import { attempt } from './alerts.js';
import { siteApi } from './api.js';
import { closeContact } from './contacts.js';
import { part, show } from './dom.js';
import { state } from './state.js';

/** The note text for a wrap-up, or '' when there is nothing to save. */
export function wrapUpText({ disposition, note }) {
  const d = disposition.trim();
  const n = note.trim();
  if (!d && !n) return '';
  if (d && n) return `Wrap-up: ${d}. ${n}`;
  return `Wrap-up: ${d || n}`;
}

function wrapUpOf(contact) {
  contact.wrapup ??= { disposition: '', note: '' };
  return contact.wrapup;
}

/** Close button: save the selected contact's wrap-up (if any), then close it.
 * A failed save leaves the contact open with the error shown. */
export async function closeWithWrapUp() {
  const contact = state.selected;
  if (!contact || contact.state !== 'ENDED') return;
  const text = contact.readOnly ? '' : wrapUpText(wrapUpOf(contact));
  if (text) {
    const saved = await attempt(() => siteApi('agent/notes', { ContactId: contact.id, Content: text }));
    if (!saved) return;
  }
  closeContact(contact);
}

/** Render the wrap-up fields for the selected contact. */
export function renderWrapUp(contact) {
  const box = part('wrapup');
  const visible = contact.state === 'ENDED' && !contact.readOnly;
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
