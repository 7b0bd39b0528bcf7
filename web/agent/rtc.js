// rtc.js - WebRTC shared by calls and video: one peer connection per contact
// (the widget's PeerLink, ../shared/peer.js: candidates trickled both ways
// and held until the remote description is set), signal events handled
// strictly in order; getUserMedia with readable errors.

import { showError } from './alerts.js';
import { participantApi } from './api.js';
import { addNote } from './chat.js';
import { ICE_SERVERS } from './config.js';
import { onRemoteOffer } from './video.js';
import { changed } from './render.js';
import { PeerLink } from '../shared/peer.js';

/**
 * A new peer for the contact (closing the one before), its purpose 'call'
 * or 'video'.
 * @returns {PeerLink & {purpose: string}}
 */
export function newPeer(contact, purpose) {
  closePeer(contact);
  const peer = Object.assign(new PeerLink({
    iceServers: ICE_SERVERS,
    signal: (type, payload) => sendSignal(contact, type, payload),
    onTrack: () => changed(),
    onState: (st) => {
      if (contact.peer !== peer) return;
      if (st === 'failed') showError('The media connection failed.');
      changed();
    },
  }), { purpose });
  contact.peer = peer;
  return peer;
}

export function closePeer(contact) {
  const peer = contact.peer;
  if (!peer) return;
  contact.peer = null;
  peer.close();
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
  const peer = contact.peer;
  if (!peer || peer.pc.signalingState !== 'have-local-offer') return; // stale (a replay, an old peer)
  await peer.remoteDescription(answer);
}

/** A candidate for no peer belongs to one already closed: dropped. */
export async function onRemoteCandidate(contact, candidate) {
  await contact.peer?.candidate(candidate);
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
