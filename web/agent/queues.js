// queues.js - the named queues besides the one the console watches: a chat
// or call transferred to queue "billing" waits there, and every agent sees
// it in a section of its own ("Queue billing", with its count) under the
// main queue. Which queues have contacts waiting comes from GET
// agent/transfer-targets (Queues); each is listed with GET
// agent/queue?queue=NAME. queue.js renders the items (keyed by ContactId,
// the same nodes as the main list) and refreshes all of it together on
// queue.changed.

import { siteApi } from './api.js';
import { QUEUE } from './config.js';
import { part, show, el } from './dom.js';
import { queueName } from './transfer.js';
import { state } from './state.js';

/**
 * The other queues with their waiting contacts, in the server's order.
 * @returns {Promise<{queue: string, items: any[]}[]>}
 */
export async function fetchOtherQueues() {
  const r = await siteApi('agent/transfer-targets');
  const names = (r.Queues ?? []).map((q) => q.Queue).filter((q) => q !== QUEUE);
  return Promise.all(names.map(async (queue) => {
    const path = queue === '' ? 'agent/queue' : `agent/queue?queue=${encodeURIComponent(queue)}`;
    const list = await siteApi(path);
    return { queue, items: list.Contacts ?? [] };
  }));
}

/**
 * The list element of queue's section, made (and added) on first use; its
 * count and visibility follow the items. Sections of queues with nobody
 * waiting are removed.
 * @param {{queue: string, items: any[]}[]} others
 * @returns {{list: HTMLElement, items: any[]}[]}
 */
export function queueSections(others) {
  const box = part('queue-others');
  const sections = state.queueSections;
  const wanted = others.filter((o) => o.items.length > 0);
  const keep = new Set(wanted.map((o) => o.queue));
  for (const [name, section] of sections) {
    if (keep.has(name)) continue;
    section.remove();
    sections.delete(name);
  }
  const out = wanted.map((o, i) => {
    let section = sections.get(o.queue);
    if (!section) {
      section = newSection(o.queue);
      sections.set(o.queue, section);
    }
    if (box.children[i] !== section) box.insertBefore(section, box.children[i] ?? null);
    part('queue-section-count', section).textContent = String(o.items.length);
    return { list: part('queue-section-list', section), items: o.items };
  });
  show(box, out.length > 0);
  return out;
}

function newSection(queue) {
  state.queueSectionSeq += 1;
  const id = `queue-h-${state.queueSectionSeq}`;
  const section = el('section', { class: 'queue-section', 'aria-labelledby': id });
  section.dataset.queue = queue;
  const heading = el('h3', { id }, `${queueName(queue)} `);
  heading.append(el('span', { class: 'count', part: 'queue-section-count' }, '0'));
  const list = el('ul', { class: 'queue', part: 'queue-section-list', 'aria-labelledby': id });
  section.append(heading, list);
  return section;
}
