// notify.js - getting the agent's attention: a short beep (WebAudio, no
// sound file) and a desktop Notification (when the agent allowed them) for
// a new contact in the queue, a call ringing them, and a new message in a
// contact that is not on screen; the page title and the favicon carry the
// count of things waiting (queue items plus unread messages).
//
// The beep's AudioContext and the favicon's canvas hang off state.notify;
// nothing here is global. A browser that blocks audio before a user
// gesture stays silent; the notification and the title still tell.

import { state } from './state.js';
import { part, show } from './dom.js';

const TITLE = 'c2c agent console';
const BEEP_HZ = { queue: 660, ring: 880, message: 520 };
const BEEP_S = 0.18;

function notifyState() {
  state.notify ??= { audio: null, queueCount: 0, ringing: false, icon: '' };
  return state.notify;
}

/** A short beep of `kind` (queue, ring, message); silent when audio is unavailable. */
export function beep(kind) {
  const n = notifyState();
  const Ctx = window.AudioContext ?? /** @type {any} */ (window).webkitAudioContext;
  if (!Ctx) return;
  try {
    n.audio ??= new Ctx();
    if (n.audio.state === 'suspended') n.audio.resume().catch(() => {});
    const osc = n.audio.createOscillator();
    const gain = n.audio.createGain();
    const t = n.audio.currentTime;
    osc.frequency.value = BEEP_HZ[kind] ?? 600;
    gain.gain.setValueAtTime(0.12, t);
    gain.gain.exponentialRampToValueAtTime(0.001, t + BEEP_S);
    osc.connect(gain).connect(n.audio.destination);
    osc.start(t);
    osc.stop(t + BEEP_S);
  } catch {
    // no sound is not an error
  }
}

/** A desktop notification (when permitted); clicking it focuses the console. */
function desktop(title, body, tag, onClick) {
  if (typeof window.Notification !== 'function' || window.Notification.permission !== 'granted') return;
  try {
    const note = new window.Notification(title, { body, tag });
    note.onclick = () => {
      window.focus();
      onClick?.();
      note.close?.();
    };
  } catch {
    // some browsers only allow notifications from a service worker
  }
}

/** Tell the agent: beep and notify. `kind` is queue, ring or message. */
export function alertAgent(kind, title, body, tag, onClick) {
  beep(kind);
  desktop(title, body, tag, onClick);
}

/** Show the "enable desktop notifications" button while the browser has not been asked. */
export function renderNotifyButton() {
  const button = part('notify-enable');
  const askable = typeof window.Notification === 'function' && window.Notification.permission === 'default';
  show(button, askable);
}

/** Ask for notification permission (from a click: browsers require a gesture). */
export async function enableNotifications() {
  beep('message'); // the click also unlocks audio
  if (typeof window.Notification !== 'function') return;
  try {
    await window.Notification.requestPermission();
  } catch {
    // permission not granted: the beep and the title still tell
  }
  renderNotifyButton();
}

/** The queue was rendered: remember its size and whether a call rings this agent. */
export function setQueueCount(count, ringing) {
  const n = notifyState();
  n.queueCount = count;
  n.ringing = ringing;
  renderCount();
}

/** Title and favicon: the count of queue items plus unread messages. */
export function renderCount() {
  const n = notifyState();
  let unread = 0;
  for (const c of state.contacts.values()) unread += c.unread;
  const count = state.token ? n.queueCount + unread : 0;
  document.title = `${count ? `(${count}) ` : ''}${n.ringing && state.token ? 'Ringing: ' : ''}${TITLE}`;
  renderFavicon(count);
}

function renderFavicon(count) {
  const n = notifyState();
  const key = String(Math.min(count, 100));
  if (n.icon === key) return;
  n.icon = key;
  const link = part('favicon');
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 32;
  const g = canvas.getContext('2d');
  if (!link || !g) return;
  g.fillStyle = '#1d2330';
  g.beginPath();
  g.arc(16, 16, 15, 0, 2 * Math.PI);
  g.fill();
  if (count > 0) {
    g.fillStyle = '#b91c1c';
    g.beginPath();
    g.arc(16, 16, 15, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = '#fff';
    g.font = 'bold 18px sans-serif';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(count > 99 ? '99+' : String(count), 16, 17);
  }
  link.href = canvas.toDataURL('image/png');
  link.dataset.count = String(count);
}
