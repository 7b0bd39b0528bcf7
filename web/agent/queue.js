// queue.js - the queue view: refreshed when the agent stream says it changed,
// rendered in place keyed by ContactId (focus on an Accept button survives),
// accept and reject. The main list is the watched queue (with the agent's
// personal one); other queues with contacts waiting get sections of their
// own (queues.js), rendered from the same refresh.

import { showError, attempt, announce } from './alerts.js';
import { siteApi } from './api.js';
import { startCallMedia } from './calls.js';
import { QUEUE, QUEUE_REFRESH_MS } from './config.js';
import { addContact, selectContact } from './contacts.js';
import { part, show, renderAttributes } from './dom.js';
import { alertAgent, setQueueCount } from './notify.js';
import { renderWait } from './timers.js';
import { fetchOtherQueues, queueSections } from './queues.js';
import { state, saveSession } from './state.js';

export function refreshQueueSoon() {
  if (state.queueTimer) return;
  state.queueTimer = setTimeout(() => {
    state.queueTimer = 0;
    refreshQueue();
  }, QUEUE_REFRESH_MS);
}

export async function refreshQueue() {
  if (!state.token) return;
  if (state.refreshing) {
    state.refreshAgain = true;
    return;
  }
  state.refreshing = true;
  try {
    const [r, others] = await Promise.all([
      siteApi(`agent/queue${QUEUE ? `?queue=${encodeURIComponent(QUEUE)}` : ''}`),
      fetchOtherQueues(),
    ]);
    if (state.token) renderQueue(r.Contacts ?? [], others);
  } catch (err) {
    if (state.token) showError(err.message);
  } finally {
    state.refreshing = false;
    if (state.refreshAgain) {
      state.refreshAgain = false;
      refreshQueue();
    }
  }
}

/**
 * Render the main list and the other queues' sections in place (nodes
 * keyed by ContactId, moved between lists when a contact changes queue).
 * @param {any[]} items the watched queue's contacts
 * @param {{queue: string, items: any[]}[]} [others] the other queues'
 */
export function renderQueue(items, others = []) {
  const focused = document.activeElement?.closest('ul.queue > li') ?? null; // before sections go
  const keep = new Set();
  renderList(part('queue'), items, keep);
  for (const s of queueSections(others)) renderList(s.list, s.items, keep);
  for (const [id, node] of state.queueNodes) {
    if (keep.has(id)) continue;
    node.remove();
    state.queueNodes.delete(id);
  }
  // Keyboard users stay in the queue when the item they were on goes away.
  if (focused && !focused.isConnected) {
    (part('side').querySelector('ul.queue button:not([disabled]):not([hidden])') ?? part('queue')).focus();
  }
  const all = items.concat(...others.map((o) => o.items));
  announceQueueChanges(all);
  part('queue-count').textContent = String(items.length);
  show(part('queue-empty'), all.length === 0);
  setQueueCount(all.length, all.some((i) => i.OfferedTo));
}

/** Put items into list in order, reusing their nodes; their ids go into keep. */
function renderList(list, items, keep) {
  items.forEach((item, i) => {
    keep.add(item.ContactId);
    let node = state.queueNodes.get(item.ContactId);
    if (!node) {
      node = newQueueNode(item);
      state.queueNodes.set(item.ContactId, node);
    }
    updateQueueNode(node, item);
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] ?? null);
  });
}

export function newQueueNode(item) {
  const tpl = /** @type {HTMLTemplateElement} */ (document.getElementById('tpl-queue-item'));
  const node = /** @type {any} */ (tpl.content.firstElementChild.cloneNode(true));
  node.dataset.contactId = item.ContactId;
  part('accept', node).addEventListener('click', () => acceptContact(node.c2cItem));
  part('reject', node).addEventListener('click', () => rejectCall(node.c2cItem));
  return node;
}

export function updateQueueNode(node, item) {
  node.c2cItem = item;
  const who = item.CustomerName || item.CustomerEmail || 'Customer';
  const kind = item.Kind === 'CALL' ? 'Call' : 'Chat';
  const offered = Boolean(item.OfferedTo);
  const ringingElsewhere = item.State === 'RINGING' && !offered;
  node.dataset.kind = item.Kind;
  node.dataset.state = item.State ?? '';
  node.dataset.offered = String(offered);
  node.classList.toggle('ringing', offered);
  part('queue-kind', node).textContent = item.Kind;
  part('queue-customer', node).textContent = item.CustomerName || 'Customer';
  part('queue-email', node).textContent = item.CustomerEmail || '';
  part('queue-position', node).textContent = `#${item.Position}`;
  renderWait(part('queue-wait', node), Date.now() - Math.max(0, item.WaitSeconds || 0) * 1000);
  const presence = part('queue-presence', node);
  presence.textContent = item.CustomerOnline ? 'online' : 'offline';
  presence.dataset.online = String(Boolean(item.CustomerOnline));
  part('queue-state', node).textContent =
    offered ? 'ringing you' : ringingElsewhere ? 'ringing another agent' : (item.State ?? '').toLowerCase();
  renderAttributes(part('queue-attributes', node), item.Attributes);
  const accept = part('accept', node);
  accept.disabled = ringingElsewhere;
  accept.setAttribute('aria-label', `Accept ${kind.toLowerCase()} from ${who}`);
  const reject = part('reject', node);
  show(reject, offered);
  reject.setAttribute('aria-label', `Reject call from ${who}`);
}

/** Announce (and, after the first render, beep and notify) new queue
 * items and calls that start ringing this agent. */
export function announceQueueChanges(items) {
  const seen = new Map();
  const primed = state.queuePrimed; // the first render after sign-in only announces
  for (const item of items) {
    const before = state.queueSeen.get(item.ContactId);
    const who = item.CustomerName || 'a customer';
    const kind = item.Kind === 'CALL' ? 'call' : 'chat';
    const focus = () => part('accept', state.queueNodes.get(item.ContactId) ?? document)?.focus();
    if (item.OfferedTo && !before?.offered) {
      announce(`Call from ${who} is ringing you.`);
      alertAgent('ring', `Call from ${who}`, 'Ringing you: accept or reject it.', `ring-${item.ContactId}`, focus);
    } else if (!before) {
      announce(`New ${kind} from ${who} waiting.`);
      if (primed) alertAgent('queue', `New ${kind} waiting`, `${who} is waiting in the queue.`, `queue-${item.ContactId}`, focus);
    }
    seen.set(item.ContactId, { offered: Boolean(item.OfferedTo) });
  }
  state.queueSeen = seen;
  state.queuePrimed = true;
}

export async function acceptContact(item) {
  if (state.accepting.has(item.ContactId)) return; // a second click while the first is on its way
  state.accepting.add(item.ContactId);
  await attempt(async () => {
    const r = await siteApi('agent/accept', { ContactId: item.ContactId }).finally(() => {
      state.accepting.delete(item.ContactId);
    });
    const contact = addContact({
      id: r.ContactId,
      kind: item.Kind,
      ptoken: r.ParticipantToken,
      customer: { name: item.CustomerName || '', email: item.CustomerEmail || '' },
      attributes: item.Attributes ?? {},
    });
    contact.state = 'CONNECTED';
    contact.customerOnline = Boolean(item.CustomerOnline);
    selectContact(contact);
    saveSession();
    (contact.kind === 'CALL' ? part('hangup') : part('chat-input')).focus();
    if (contact.kind === 'CALL') await startCallMedia(contact);
  });
  refreshQueue();
}

export async function rejectCall(item) {
  await attempt(async () => {
    await siteApi('agent/reject', { ContactId: item.ContactId });
    announce(`Call from ${item.CustomerName || 'the customer'} rejected.`);
  });
  refreshQueue();
}
