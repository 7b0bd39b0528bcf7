// rtc.js - WebRTC shared by calls and video: one peer connection per contact,
// candidates trickled both ways and held until the remote description is
// set, signal events handled strictly in order; getUserMedia with readable
// errors.

import { showError } from './alerts.js';
import { participantApi } from './api.js';
import { addNote } from './chat.js';
import { ICE_SERVERS } from './config.js';
import { onRemoteOffer } from './video.js';
import { changed } from './render.js';

// candidates trickled both ways, remote candidates held until the remote
// description is set, signal events handled strictly in order.

export function newPeer(contact, purpose) {
  closePeer(contact);
  const pc = new RTCPeerConnection({ iceServers: ICE_SERVERS });
  const peer = { pc, purpose };
  pc.onicecandidate = (event) => {
    if (event.candidate && contact.peer === peer) {
      sendSignal(contact, 'candidate', event.candidate.toJSON()).catch(() => {});
    }
  };
  pc.ontrack = (event) => {
    peer.remote = event.streams[0] ?? new MediaStream([event.track]);
    changed();
  };
  pc.onconnectionstatechange = () => {
    if (contact.peer !== peer) return;
    if (pc.connectionState === 'failed') showError('The media connection failed.');
    changed();
  };
  contact.peer = peer;
  return peer;
}

export function closePeer(contact) {
  const peer = contact.peer;
  if (!peer) return;
  contact.peer = null;
  contact.pendingCandidates = [];
  peer.pc.close();
}

/** Close the peer and stop every local track of the contact. */
export function stopMedia(contact) {
  closePeer(contact);
  for (const key of ['camera', 'screen']) {
    contact[key]?.getTracks().forEach((t) => t.stop());
    contact[key] = null;
  }
  contact.video = 'none';
}

export function sendSignal(contact, type, payload) {
  return participantApi(contact, 'signal', { Type: type, Payload: payload });
}

export function queueSignal(contact, data) {
  contact.signals = contact.signals.then(() => onSignal(contact, data))
    .catch((err) => showError(err?.message || String(err)));
}

export async function onSignal(contact, data) {
  const payload = data.Payload;
  if (data.Type === 'offer') await onRemoteOffer(contact, payload);
  else if (data.Type === 'answer') await onRemoteAnswer(contact, payload);
  else if (data.Type === 'candidate') await onRemoteCandidate(contact, payload);
  else if (data.Type === 'bye') onRemoteBye(contact);
}

export async function onRemoteAnswer(contact, answer) {
  const pc = contact.peer?.pc;
  if (!pc || pc.signalingState !== 'have-local-offer') return; // stale (a replay, an old peer)
  await pc.setRemoteDescription(answer);
  await flushCandidates(contact);
}

export async function onRemoteCandidate(contact, candidate) {
  const pc = contact.peer?.pc;
  if (!pc || !pc.remoteDescription) {
    contact.pendingCandidates.push(candidate);
    return;
  }
  await pc.addIceCandidate(candidate).catch(() => {}); // one bad candidate is not fatal
}

export async function flushCandidates(contact) {
  const list = contact.pendingCandidates;
  contact.pendingCandidates = [];
  for (const c of list) await onRemoteCandidate(contact, c);
}

export function onRemoteBye(contact) {
  if (!contact.peer) return;
  const wasVideo = contact.peer.purpose === 'video';
  stopMedia(contact);
  if (wasVideo) addNote(contact, 'The video ended.');
  changed();
}

export function mediaErrorText(err, what) {
  if (err?.name === 'NotAllowedError') return `Access to the ${what} was refused.`;
  if (err?.name === 'NotFoundError' || err?.name === 'OverconstrainedError') return `No ${what} was found.`;
  if (err?.name === 'NotReadableError') return `The ${what} is in use by another program.`;
  return `Could not use the ${what}: ${err?.message || err}`;
}

/** getUserMedia, or null (with the reason shown) when it is not possible. */
export async function getMedia(constraints, what) {
  if (!navigator.mediaDevices?.getUserMedia) {
    showError(`This browser gives the page no access to the ${what}.`);
    return null;
  }
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (err) {
    showError(mediaErrorText(err, what));
    return null;
  }
}
