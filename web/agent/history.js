// history.js - the agent's history: ended contacts, opened read-only
// (POST agent/transcript), and its search: the box filters the list by the
// customer's name or email and, for the transcripts this console has
// loaded since sign-in (contacts taken, history entries opened; kept in
// state.texts after a contact is closed), by the messages' text.
// Every word typed must match (case-insensitive); the count says how many
// entries show, in words.

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
  changed();
}

/** The search box changed. */
export function onHistorySearch(event) {
  state.historyQuery = event.target.value;
  changed();
}

/** The searchable text of a history entry: name, email, loaded messages. */
export function searchText(c) {
  const texts = state.texts.get(c.ContactId)?.values() ?? [];
  return [c.CustomerName ?? '', c.CustomerEmail ?? '', ...texts].join('\n').toLowerCase();
}

/** The entries that match `query` (all words, any order; '' matches all). */
export function filterHistory(entries, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries;
  return entries.filter((c) => {
    const text = searchText(c);
    return words.every((w) => text.includes(w));
  });
}

/** Render the history list from the state, filtered by the search. */
export function renderHistory() {
  const list = part('history');
  const shown = filterHistory(state.history, state.historyQuery);
  const key = `${state.historyQuery}|${shown.map((c) => `${c.ContactId}:${c.EndReason ?? ''}:${c.Rating?.Score ?? ''}`).join(',')}`;
  const count = part('history-count');
  const words = !state.historyQuery.trim() ? ''
    : shown.length === 0 ? 'No contact matches.'
      : `${shown.length} of ${state.history.length} contacts match.`;
  if (count.textContent !== words) count.textContent = words;
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  // Keep the keyboard focus on the same Transcript button when it stays.
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const focused = list.contains(active) ? active?.closest('li')?.dataset.contactId : null;
  list.replaceChildren(...shown.map((c) => historyItem(c, 'history-item', 'history-open')));
  const again = focused ? list.querySelector(`[data-contact-id="${focused}"]`) : null;
  if (again) part('history-open', again)?.focus();
}

/** A customer's rating in words ('' when there is none or it is not one). */
export function ratingText(rating) {
  const score = Number(rating?.Score);
  if (!Number.isFinite(score) || score <= 0) return '';
  const comment = typeof rating.Comment === 'string' && rating.Comment.trim() ? `: “${rating.Comment.trim()}”` : '';
  return `Rated ${score} of 5${comment}`;
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
  const rating = ratingText(c.Rating);
  if (rating) li.append(el('span', { class: 'rating', part: 'history-rating' }, rating));
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
