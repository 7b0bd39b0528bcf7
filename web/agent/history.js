// history.js - the agent's history: ended contacts, opened read-only
// (POST agent/transcript).

import { showError } from './alerts.js';
import { siteApi } from './api.js';
import { addContact, selectContact, REASONS } from './contacts.js';
import { part, el } from './dom.js';
import { state } from './state.js';
import { changed } from './render.js';

export async function loadHistory() {
  if (!state.token) return;
  let r;
  try {
    r = await siteApi('agent/history');
  } catch (err) {
    showError(err.message);
    return;
  }
  state.history = r.Contacts ?? [];
  part('history').replaceChildren(...state.history.map((c) => historyItem(c, 'history-item', 'history-open')));
  changed();
}

/** One history entry as an <li> (part `itemPart`), with a Transcript
 * button (part `openPart`) for an ended chat. */
export function historyItem(c, itemPart, openPart) {
  const li = el('li', { part: itemPart, 'data-contact-id': c.ContactId, 'data-kind': c.Kind });
  const reason = c.EndReason ? REASONS[c.EndReason] ?? c.EndReason : 'open';
  li.append(el('span', { class: 'kind' }, c.Kind),
            el('strong', {}, c.CustomerName || c.CustomerEmail || 'Customer'),
            el('time', { datetime: c.CreatedAt }, new Date(c.CreatedAt).toLocaleString()),
            el('span', { class: 'muted' }, reason));
  if (c.Kind === 'CHAT' && c.EndReason) {
    const open = el('button', { type: 'button', class: 'quiet', part: openPart }, 'Transcript');
    open.setAttribute('aria-label', `Transcript of the chat with ${c.CustomerName || c.CustomerEmail || 'customer'}`
                                    + ` from ${new Date(c.CreatedAt).toLocaleString()}`);
    open.addEventListener('click', () => openHistory(c));
    li.append(open);
  }
  return li;
}

/** Open an ended chat read-only: its transcript, nothing to send. */
export function openHistory(c) {
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
