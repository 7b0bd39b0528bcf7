// render.js - how views update: code that changes the state calls
// changed(), and once the current task's changes are done (a microtask
// later) every view renders again from the state: the contact list, the
// selected contact (conversation, call, video, notes), the customer panel,
// the history (filtered by its search), the title and favicon count. Views compare before they touch the DOM, so
// a render that finds nothing new changes nothing. renderAll() renders at
// once, for actions that move the keyboard focus into what they show.

import { renderContact, renderContactList } from './contacts.js';
import { renderHistory } from './history.js';
import { renderCount } from './notify.js';
import { state } from './state.js';

/** Ask for a render of every view (coalesced: one per burst of changes). */
export function changed() {
  if (state.renderPending) return;
  state.renderPending = true;
  queueMicrotask(renderAll);
}

/** Render every view from the state now. */
export function renderAll() {
  state.renderPending = false;
  renderContactList();
  renderContact();
  renderHistory();
  renderCount();
}
