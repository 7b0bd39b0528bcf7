// keys.js - keyboard shortcuts and their help panel. Alt with a letter
// works anywhere in the console (event.code, so it does not depend on the
// keyboard layout, and on a Mac Option+letter still counts): Alt+A accepts
// the next contact in the queue (a call ringing you first), Alt+E ends the
// selected chat or hangs up its call, Alt+N selects the next of your
// contacts, Alt+M goes to the message box, on a call Alt+U mutes or
// unmutes and Alt+H holds or resumes. Enter sends (chat.js). "?"
// outside a text box shows or hides the list; Escape hides it.

import { hangUp } from './calls.js';
import { toggleHold, toggleMute } from './call_controls.js';
import { endChat } from './chat.js';
import { selectContact } from './contacts.js';
import { part, show } from './dom.js';
import { state } from './state.js';

const ALT_KEYS = {
  KeyA: acceptNext,
  KeyE: endSelected,
  KeyN: nextContact,
  KeyM: focusMessage,
  KeyU: toggleMute,  // both act on the selected call only
  KeyH: toggleHold,
};

/** Click Accept on the next queue item (of any queue shown): one ringing this agent first, else
 * the first takeable; never one this console already took (the queue may
 * not have refreshed yet after a quick second press). */
export function acceptNext() {
  const takeable = (item) => !state.contacts.has(item.dataset.contactId)
    && !state.accepting.has(item.dataset.contactId)
    && !part('accept', item).disabled;
  // The watched queue first, then the other queues' sections (queues.js).
  const items = [...part('side').querySelectorAll('ul.queue > li')].filter(takeable);
  const item = items.find((i) => i.dataset.offered === 'true') ?? items[0];
  if (item) part('accept', item).click();
  return Boolean(item);
}

function endSelected() {
  const contact = state.selected;
  if (!contact || contact.state === 'ENDED' || contact.readOnly) return;
  if (contact.kind === 'CALL') hangUp();
  else endChat();
}

/** Select the contact after the selected one (wrapping), and focus its tab. */
export function nextContact() {
  const list = [...state.contacts.values()];
  if (list.length === 0) return;
  const at = list.indexOf(state.selected);
  const next = list[(at + 1) % list.length];
  selectContact(next);
  part('contacts').querySelector(`[data-contact-id="${next.id}"]`)?.focus();
}

function focusMessage() {
  const input = part('chat-input');
  if (!input.disabled && input.offsetParent !== null) input.focus();
}

function typing(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** Show or hide the help panel; focus goes into it, and back to its button. */
export function toggleHelp(open = part('help').hidden) {
  const help = part('help');
  const button = part('help-open');
  show(help, open);
  button.setAttribute('aria-expanded', String(open));
  if (open) help.focus();
  else if (help.contains(document.activeElement) || document.activeElement === document.body) button.focus();
}

function onKey(event) {
  if (!state.token || event.defaultPrevented) return;
  if (event.altKey && !event.ctrlKey && !event.metaKey && ALT_KEYS[event.code]) {
    event.preventDefault();
    ALT_KEYS[event.code]();
    return;
  }
  if (event.key === 'Escape' && !part('help').hidden) {
    event.preventDefault();
    toggleHelp(false);
  } else if (event.key === '?' && !event.altKey && !event.ctrlKey && !event.metaKey && !typing(event.target)) {
    event.preventDefault();
    toggleHelp();
  }
}

/** Wire the shortcuts and the help panel's buttons (once, at boot). */
export function wireKeys() {
  document.addEventListener('keydown', onKey);
  part('help-open').addEventListener('click', () => toggleHelp());
  part('help-close').addEventListener('click', () => toggleHelp(false));
}
