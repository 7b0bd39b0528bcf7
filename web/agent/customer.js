// customer.js - the customer panel: who the selected contact's customer is
// (name, email), the details and page context the widget sent (the
// contact's Attributes), and the customer's previous contacts with this
// agent (from agent/history), each ended chat's transcript a click away.

import { part, show, renderAttributes } from './dom.js';
import { historyItem, ratingText } from './history.js';
import { state } from './state.js';

/** The same customer: by email when both have one, else by name. */
function sameCustomer(entry, customer) {
  if (customer.email && entry.CustomerEmail) return entry.CustomerEmail === customer.email;
  return Boolean(customer.name) && entry.CustomerName === customer.name;
}

/** Render the panel for `contact` (null hides it). */
export function renderCustomer(contact) {
  const panel = part('customer');
  show(panel, Boolean(contact));
  if (!contact) return;
  panel.dataset.contactId = contact.id;
  part('customer-name').textContent = contact.customer.name || 'Customer';
  part('customer-email').textContent = contact.customer.email || 'No email given';
  const attrs = part('contact-attributes');
  renderAttributes(attrs, contact.attributes);
  show(part('customer-no-attributes'), attrs.childElementCount === 0);
  const own = state.history.find((c) => c.ContactId === contact.id);
  const rating = ratingText(own?.Rating ?? contact.rating);
  const line = part('customer-rating');
  if (line.textContent !== rating) line.textContent = rating;
  show(line, Boolean(rating));
  const previous = state.history.filter((c) => c.ContactId !== contact.id && sameCustomer(c, contact.customer));
  const list = part('customer-previous');
  const key = previous.map((c) => `${c.ContactId}:${c.EndReason ?? ''}:${c.Rating?.Score ?? ''}`).join(',');
  if (list.dataset.key !== `${contact.id}|${key}`) {
    list.dataset.key = `${contact.id}|${key}`;
    list.replaceChildren(...previous.map((c) => historyItem(c, 'customer-previous-item', 'customer-previous-open')));
  }
  show(part('customer-previous-empty'), previous.length === 0);
}
