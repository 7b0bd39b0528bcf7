// call_controls.js - what an agent does during a call besides hanging up:
// mute (the agent's microphone track disabled), hold (audio paused both
// ways on the agent's side: the outgoing track disabled and the caller's
// audio muted, and the customer told with a `hold` / `unhold` signal
// through POST participant/signal), a keypad that sends DTMF digits to the
// caller (POST update {update: "digit"}; with the keyboard on the keypad,
// typing a digit, * or # sends it too), and the call timer, counted from
// when the call was connected to this agent and stopped when it ends.
// State lives on the contact record (muted, held, holdTold, dtmfSent,
// connectedAt, endedAt); renderCallControls() shows it in words, and in
// aria-pressed on the toggle buttons.

import { attempt } from './alerts.js';
import { siteApi } from './api.js';
import { part, show } from './dom.js';
import { sendSignal } from './rtc.js';
import { changed } from './render.js';
import { state } from './state.js';
import { renderElapsed } from './timers.js';

export const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** Enable or disable the agent's outgoing audio and the caller's audio to
 * match the contact's muted / held state (after a (re)connect too). */
export function applyCallAudio(contact) {
  const sending = !contact.muted && !contact.held;
  contact.camera?.getAudioTracks().forEach((t) => { t.enabled = sending; });
}

/** Mute button: toggle the selected call's microphone. */
export function toggleMute() {
  const contact = state.selected;
  if (!contact || contact.kind !== 'CALL' || contact.state === 'ENDED') return;
  contact.muted = !contact.muted;
  applyCallAudio(contact);
  changed();
}

/** Hold button: pause (or resume) the selected call's audio both ways and
 * tell the customer. The local pause does not wait for the server; the
 * words say whether the customer was told. */
export async function toggleHold() {
  const contact = state.selected;
  if (!contact || contact.kind !== 'CALL' || contact.state === 'ENDED') return;
  contact.held = !contact.held;
  contact.holdTold = null;
  applyCallAudio(contact);
  changed();
  const held = contact.held;
  try {
    await sendSignal(contact, held ? 'hold' : 'unhold', { At: new Date().toISOString() });
    if (contact.held === held) contact.holdTold = true;
  } catch {
    if (contact.held === held) contact.holdTold = false; // the call goes on; the words say so
  }
  changed();
}

/** A keypad button: send one digit to the caller. Digits go one request
 * after another (contact.dtmfQueue), so quick presses arrive in order. */
export function sendDigit(digit) {
  const contact = state.selected;
  if (!contact || contact.kind !== 'CALL' || contact.state === 'ENDED' || !KEYPAD.includes(digit)) {
    return Promise.resolve();
  }
  contact.dtmfQueue = contact.dtmfQueue.then(() => attempt(async () => {
    if (contact.state === 'ENDED') return;
    await siteApi('update', { update: 'digit', digit, transactionId: contact.id });
    contact.dtmfSent += digit;
    changed();
  }));
  return contact.dtmfQueue;
}

/** The hold line in words. */
export function holdText(contact) {
  if (!contact.held) return '';
  const told = contact.holdTold === true ? 'the customer was told'
    : contact.holdTold === false ? 'the customer could not be told' : 'telling the customer…';
  return `On hold: neither of you hears the other (${told}).`;
}

/** Render the controls of a call contact (the call view is shown). */
export function renderCallControls(contact) {
  const live = contact.state !== 'ENDED';
  show(part('call-live'), live);
  show(part('keypad-box'), live);
  const mute = part('call-mute');
  mute.setAttribute('aria-pressed', String(contact.muted));
  show(mute, live);
  const hold = part('call-hold');
  hold.setAttribute('aria-pressed', String(contact.held));
  hold.textContent = contact.held ? 'Resume' : 'Hold';
  show(hold, live);
  part('call-mic').textContent = contact.muted || contact.held
    ? 'Your microphone is off: the customer does not hear you.' : 'Your microphone is on.';
  const holdLine = part('call-hold-status');
  holdLine.textContent = holdText(contact);
  show(holdLine, live && contact.held);
  const audio = part('call-audio');
  if (audio.muted !== contact.held) audio.muted = contact.held;
  part('dtmf-sent').textContent = contact.dtmfSent;
  renderElapsed(part('call-timer'), contact.connectedAt, contact.endedAt, 'Call time ');
}

/** A key typed while the keyboard is on the keypad: a digit, * or # sends
 * it (and moves the focus to its button). */
function onKeypadKey(event) {
  if (event.altKey || event.ctrlKey || event.metaKey || !KEYPAD.includes(event.key)) return;
  event.preventDefault();
  part('keypad').querySelector(`[data-digit="${event.key}"]`)?.focus();
  sendDigit(event.key);
}

/** Wire the controls (once, at boot): mute, hold and the keypad's buttons. */
export function wireCallControls() {
  part('call-mute').addEventListener('click', toggleMute);
  part('call-hold').addEventListener('click', toggleHold);
  const keypad = part('keypad');
  keypad.addEventListener('click', (event) => {
    const key = event.target instanceof HTMLElement ? event.target.closest('button') : null;
    if (key?.dataset.digit) sendDigit(key.dataset.digit);
  });
  keypad.addEventListener('keydown', onKeypadKey);
}
