// calls.js - calls: after accepting, the agent offers audio and the customer
// answers; the call view (status, the caller's keypad digits, the controls
// of call_controls.js), hang-up.

import { showError, attempt } from './alerts.js';
import { applyCallAudio, renderCallControls } from './call_controls.js';
import { siteApi } from './api.js';
import { contactEnded } from './contact_stream.js';
import { stateText } from './contacts.js';
import { part, show } from './dom.js';
import { newPeer, stopMedia, getMedia } from './rtc.js';
import { state } from './state.js';
import { changed } from './render.js';


export async function startCallMedia(contact) {
  if (typeof RTCPeerConnection !== 'function') {
    showError('This browser cannot carry the call\'s audio (no WebRTC).');
    changed();
    return;
  }
  stopMedia(contact); // a reconnect starts from scratch
  const mic = await getMedia({ audio: true }, 'microphone');
  if (contact.state === 'ENDED' || !state.contacts.has(contact.id)) {
    mic?.getTracks().forEach((t) => t.stop());
    return;
  }
  const peer = newPeer(contact, 'call');
  contact.camera = mic;
  applyCallAudio(contact); // muted or on hold before a reconnect stays so
  // Without a microphone the agent still hears the caller.
  if (mic) mic.getTracks().forEach((t) => peer.pc.addTrack(t, mic));
  else peer.pc.addTransceiver('audio', { direction: 'recvonly' });
  await attempt(() => peer.offer());
  changed();
}

export function callStatusText(contact) {
  if (contact.state === 'ENDED') return stateText(contact);
  const pc = contact.peer?.pc;
  if (!pc) return 'Connected, no audio.';
  if (pc.connectionState === 'connected') return 'Audio connected.';
  if (pc.connectionState === 'failed') return 'Audio failed.';
  return 'Connecting audio…';
}

export function renderCall(contact) {
  const ended = contact.state === 'ENDED';
  part('call-status').textContent = callStatusText(contact);
  part('dtmf-digits').textContent = contact.dtmf;
  part('hangup').disabled = ended;
  show(part('call-reconnect'), !ended && !contact.peer);
  const audio = part('call-audio');
  const remote = contact.peer?.purpose === 'call' ? contact.peer.remote ?? null : null;
  if (audio.srcObject !== remote) audio.srcObject = remote;
  renderCallControls(contact);
}

export function onDtmf(contact, data) {
  if (data.FromRole === 'AGENT') return;
  contact.dtmf += data.Digit ?? '';
  changed();
}

export async function hangUp() {
  const contact = state.selected;
  if (!contact) return;
  await attempt(async () => {
    await siteApi('update', { update: 'end', meetingId: contact.id });
    contactEnded(contact, 'agent_hangup');
  });
}
