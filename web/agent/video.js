// video.js - video escalation inside a chat: the agent offers (optionally with
// the screen), the customer's widget sends the WebRTC offer, the console
// answers with camera (and screen); the video view.

import { showError, attempt } from './alerts.js';
import { participantApi } from './api.js';
import { addNote } from './chat.js';
import { part, show } from './dom.js';
import { newPeer, stopMedia, mediaErrorText, getMedia } from './rtc.js';
import { state } from './state.js';
import { changed } from './render.js';

// sends the WebRTC offer, the console answers with camera (and screen).

export async function offerVideo(screenShare) {
  const contact = state.selected;
  if (!contact || contact.state === 'ENDED') return;
  let share = screenShare;
  if (share) {
    // getDisplayMedia needs the click's user activation, so the screen is
    // captured now and kept until the customer's offer arrives.
    contact.screen?.getTracks().forEach((t) => t.stop());
    contact.screen = await captureScreen();
    share = Boolean(contact.screen);
  }
  await attempt(async () => {
    await participantApi(contact, 'video', { Action: 'offer', ScreenShare: share });
    contact.video = 'offered';
    contact.screenShare = share;
    addNote(contact, share ? 'You offered video with your screen.' : 'You offered video.');
  });
  if (contact.video === 'none') {
    contact.screen?.getTracks().forEach((t) => t.stop());
    contact.screen = null;
  }
  changed();
}

export async function captureScreen() {
  if (!navigator.mediaDevices?.getDisplayMedia) {
    showError('This browser cannot share the screen; offering video only.');
    return null;
  }
  try {
    return await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  } catch (err) {
    showError(`${mediaErrorText(err, 'screen')} Offering video only.`);
    return null;
  }
}

export async function onRemoteOffer(contact, offer) {
  if (contact.kind !== 'CHAT' || contact.video === 'none' || contact.state === 'ENDED') return;
  if (typeof RTCPeerConnection !== 'function') {
    showError('This browser cannot show video (no WebRTC).');
    return;
  }
  // A second offer on a live video peer renegotiates it (the customer
  // turning the camera on, an ICE restart); anything else starts afresh.
  const live = contact.peer?.purpose === 'video' && contact.peer.pc.signalingState === 'stable';
  const peer = live ? contact.peer : newPeer(contact, 'video');
  await peer.remoteDescription(offer);
  if (!contact.camera) {
    contact.camera = await getMedia({ audio: true, video: true }, 'camera')
      ?? await getMedia({ audio: true }, 'microphone');
  }
  if (contact.peer !== peer) return;
  sendLocalMedia(peer.pc, contact.camera, contact.screen);
  await peer.answer();
  contact.video = 'active';
  changed();
}

/** Put local tracks (those not sent yet) on the transceivers the
 * customer's offer created. Camera first, screen second; with a single
 * video slot the screen wins: it is what the offer promised. */
export function sendLocalMedia(pc, camera, screen) {
  const audio = camera?.getAudioTracks()[0];
  const cam = camera?.getVideoTracks()[0];
  const shared = screen?.getVideoTracks()[0];
  const slots = pc.getTransceivers().filter((t) => t.receiver.track.kind === 'video').length;
  const videos = shared ? (slots >= 2 ? [cam, shared] : [shared]) : [cam];
  const sent = new Set(pc.getSenders().map((s) => s.track));
  for (const track of [audio, ...videos]) {
    if (track && !sent.has(track)) pc.addTrack(track, track === audio ? camera : new MediaStream([track]));
  }
}

export async function endVideo() {
  const contact = state.selected;
  if (!contact) return;
  await attempt(async () => {
    if (contact.state !== 'ENDED') await participantApi(contact, 'video', { Action: 'end' });
    stopMedia(contact);
    addNote(contact, 'You ended the video.');
  });
  changed();
}

export function onVideoEnded(contact, data) {
  if (data.FromRole === 'AGENT' || contact.video === 'none') return;
  stopMedia(contact);
  addNote(contact, `${contact.customer.name || 'The customer'} ended the video.`);
  changed();
}

/** The customer turned the offer down: stop waiting, offer again if asked. */
export function onVideoDeclined(contact) {
  if (contact.video !== 'offered') return; // a replay, or an offer since joined or ended
  stopMedia(contact); // releases the screen captured for the offer
  addNote(contact, `${contact.customer.name || 'The customer'} declined the video.`);
  changed();
}

export function renderVideo(contact) {
  const ended = contact.state === 'ENDED';
  const on = contact.video !== 'none';
  show(part('video'), on);
  show(part('offer-video'), !on);
  show(part('offer-screen'), !on);
  show(part('end-video'), on);
  part('offer-video').disabled = ended;
  part('offer-screen').disabled = ended;
  part('video').dataset.state = contact.video;
  const connected = contact.peer?.pc.connectionState === 'connected';
  part('video-status').textContent = contact.video === 'offered'
    ? `Video${contact.screenShare ? ' with your screen' : ''} offered; waiting for the customer to join.`
    : on ? (connected ? 'Video connected.' : 'Connecting video…') : '';
  const remote = contact.peer?.purpose === 'video' ? contact.peer.remote ?? null : null;
  const local = contact.camera?.getVideoTracks().length ? contact.camera : contact.screen;
  if (part('video-remote').srcObject !== remote) part('video-remote').srcObject = remote;
  if (part('video-local').srcObject !== (on ? local : null)) part('video-local').srcObject = on ? local : null;
}
