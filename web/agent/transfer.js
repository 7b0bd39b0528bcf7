// transfer.js - handing the selected chat or call to an available agent or
// a queue: Transfer… opens a form listing where it can go (GET
// agent/transfer-targets: the available agents, the queues); sending it
// (POST agent/transfer) ends the contact on this console ("transferred"),
// since the agent's ParticipantToken for it stops working, and the next
// agent gets the whole transcript. Another console of the same agent hears
// contact.transferred on the agent stream and ends it there too.

import { attempt, announce } from './alerts.js';
import { siteApi } from './api.js';
import { contactEnded } from './contact_stream.js';
import { contactLabel } from './contacts.js';
import { part, show, el } from './dom.js';
import { changed } from './render.js';
import { state } from './state.js';

/** A queue's name in words. */
export function queueName(queue) {
  return queue === '' ? 'General queue' : `Queue ${queue}`;
}

/** Open the form for the selected contact with fresh targets. */
export async function openTransfer() {
  const contact = state.selected;
  if (!contact || contact.state === 'ENDED' || contact.readOnly) return;
  const r = await attempt(() => siteApi('agent/transfer-targets'));
  if (!r || state.selected !== contact) return;
  const select = part('transfer-target');
  const agents = el('optgroup', { label: 'Available agents' });
  for (const a of r.Agents ?? []) agents.append(el('option', { value: `agent:${a.AgentId}` }, a.Name || a.AgentId));
  if (!agents.childElementCount) agents.append(el('option', { value: '', disabled: '' }, 'Nobody else is available'));
  const queues = el('optgroup', { label: 'Queues' });
  for (const q of r.Queues ?? []) queues.append(el('option', { value: `queue:${q.Queue}` }, queueName(q.Queue)));
  select.replaceChildren(agents, queues);
  select.value = [...select.options].find((o) => !o.disabled)?.value ?? '';
  contact.transferOpen = true;
  changed();
  requestAnimationFrame(() => select.focus());
}

export function closeTransfer() {
  if (state.selected) state.selected.transferOpen = false;
  changed();
  part('transfer-open').focus();
}

export async function sendTransfer(event) {
  event.preventDefault();
  const contact = state.selected;
  const value = part('transfer-target').value;
  if (!contact || !value) return;
  const select = part('transfer-target');
  const words = select.options[select.selectedIndex]?.textContent ?? '';
  const [kind, ...rest] = value.split(':');
  const target = rest.join(':');
  const body = kind === 'agent' ? { ContactId: contact.id, AgentId: target } : { ContactId: contact.id, Queue: target };
  const done = await attempt(() => siteApi('agent/transfer', body));
  if (!done) return;
  contact.transferOpen = false;
  markTransferred(contact);
  announce(`${contactLabel(contact)} transferred to ${words}.`);
}

/** The contact left this agent by transfer: ended here, nothing to wrap up. */
export function markTransferred(contact) {
  contact.transferred = true;
  contactEnded(contact, 'transferred');
}

export function renderTransfer(contact) {
  const can = contact.state !== 'ENDED' && !contact.readOnly;
  show(part('transfer-open'), can);
  part('transfer-open').setAttribute('aria-expanded', String(Boolean(can && contact.transferOpen)));
  show(part('transfer-form'), Boolean(can && contact.transferOpen));
}

export function wireTransfer() {
  part('transfer-open').addEventListener('click', openTransfer);
  part('transfer-cancel').addEventListener('click', closeTransfer);
  part('transfer-form').addEventListener('submit', sendTransfer);
}
