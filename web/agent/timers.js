// timers.js - the wait timers of the queue and of the agent's contacts: one
// ticker (while signed in) rewrites every element that carries a
// data-since (ms since the epoch) with the time waited, and marks long and
// very long waits (data-level, and data-wait on its item) for colour. The
// same ticker runs the call timer (data-elapsed-since: time only, no level).

import { WAIT_LONG_S, WAIT_VERY_LONG_S, TIMER_TICK_MS } from './config.js';
import { waited } from './dom.js';
import { state } from './state.js';

/** The level of a wait of `seconds`: '', 'long' or 'very-long'. */
export function waitLevel(seconds) {
  if (seconds >= WAIT_VERY_LONG_S) return 'very-long';
  if (seconds >= WAIT_LONG_S) return 'long';
  return '';
}

/** Show on `node` the time waited since `sinceMs` (0: not waiting). */
export function renderWait(node, sinceMs, prefix = 'waiting ') {
  if (!sinceMs) {
    delete node.dataset.since;
    node.textContent = '';
    node.dataset.level = '';
    return;
  }
  node.dataset.since = String(sinceMs);
  node.dataset.prefix = prefix;
  updateWait(node, Date.now());
}

function updateWait(node, now) {
  const seconds = Math.max(0, (now - Number(node.dataset.since)) / 1000);
  const level = waitLevel(seconds);
  node.textContent = `${node.dataset.prefix ?? ''}${waited(seconds)}`;
  node.dataset.level = level;
  const item = node.closest('[data-wait]') ?? node.closest('.item, li');
  if (item) item.dataset.wait = level;
}

/** Show on `node` the time from `sinceMs` to `untilMs` (0: still running,
 * ticking), or nothing when `sinceMs` is 0. */
export function renderElapsed(node, sinceMs, untilMs, prefix = '') {
  if (!sinceMs) {
    delete node.dataset.elapsedSince;
    node.textContent = '';
    return;
  }
  node.dataset.prefix = prefix;
  if (untilMs) delete node.dataset.elapsedSince;
  else node.dataset.elapsedSince = String(sinceMs);
  updateElapsed(node, sinceMs, untilMs || Date.now());
}

function updateElapsed(node, sinceMs, now) {
  const text = `${node.dataset.prefix ?? ''}${waited((now - sinceMs) / 1000)}`;
  if (node.textContent !== text) node.textContent = text;
}

function tick() {
  const now = Date.now();
  for (const node of document.querySelectorAll('[data-since]')) updateWait(node, now);
  for (const node of document.querySelectorAll('[data-elapsed-since]')) {
    if (!(node instanceof HTMLElement)) continue;
    updateElapsed(node, Number(node.dataset.elapsedSince), now);
  }
}

/** Start the ticker (idempotent); stopTimers() ends it. */
export function startTimers() {
  if (!state.timerTick) state.timerTick = setInterval(tick, TIMER_TICK_MS);
}

export function stopTimers() {
  clearInterval(state.timerTick);
  state.timerTick = 0;
}
