// rtc.js - the browser's media and WebRTC, for one call or one video.
//
// A Peer wraps one RTCPeerConnection and its local media. The core decides
// when to create it, who offers (the agent for calls, the customer for a
// video escalation and for a call bridged to a phone), when to close it;
// this file only performs. Signals go to the other side through the
// `signal` callback (POST /api/participant/signal); the connection, its
// candidate queueing and the remote stream are the PeerLink the agent
// console uses too (web/shared/peer.js).

import { MEDIA_ERR_denied, MEDIA_ERR_failed, MEDIA_ERR_unavailable } from './constants.js';
import { PeerLink } from '../../web/shared/peer.js';

export class Peer {
  // opts: {iceServers, signal(type, payload), onActive(), onFailed(err), onChange()}
  constructor(opts) {
    this.opts = opts;
    this.link = null;       // the PeerLink, once connected
    this.pc = null;         // its RTCPeerConnection
    this.local = null;      // MediaStream of our microphone (and camera)
    this.early = [];        // candidates that came before the connection
    this.active = false;
    this.closed = false;    // after close(), late results are released, not used
    this.muted = false;     // applied to tracks acquired later too
    this.started = null;    // the offer in flight (video), awaited by camera()
    this.cameraWanted = false;
    this.endOfCandidates = false; // signal it (a Payload of null): the SIP gateway waits for it
  }

  // getUserMedia; resolves, or rejects with a core media error number.
  async acquire(video) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw MEDIA_ERR_unavailable;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: !!video });
    } catch (err) {
      throw mediaError(err);
    }
    if (this.closed) {
      stopAll(stream);
      throw MEDIA_ERR_failed;
    }
    this.local = stream;
    this.mute(this.muted);
    this.opts.onChange();
  }

  get remote() {
    return this.link && this.link.remote; // MediaStream of the other side
  }

  connection() {
    if (this.closed) throw MEDIA_ERR_failed;
    if (this.pc) return this.pc;
    this.link = new PeerLink({
      iceServers: this.opts.iceServers,
      signal: this.opts.signal,
      onTrack: this.opts.onChange,
      onState: (state) => this.stateChanged(state),
      endOfCandidates: this.endOfCandidates,
    });
    this.link.pending.push(...this.early.splice(0));
    const pc = this.link.pc;
    if (this.local) this.local.getTracks().forEach((t) => pc.addTrack(t, this.local));
    this.pc = pc;
    return pc;
  }

  stateChanged(state) {
    if (state === 'connected' && !this.active) {
      this.active = true;
      this.opts.onActive();
    } else if (state === 'failed') {
      this.opts.onFailed(MEDIA_ERR_failed);
    }
  }

  // As the offerer. Video: audio from the microphone, a video transceiver
  // that sends nothing until the camera is turned on. audioOnly (a call
  // bridged to a phone): the microphone alone, and the end of candidates
  // signalled too.
  start(audioOnly) {
    this.endOfCandidates = !!audioOnly;
    this.started = this.offerFirst(!!audioOnly);
    return this.started;
  }

  async offerFirst(audioOnly) {
    const pc = this.connection();
    if (!audioOnly && !pc.getTransceivers().some((t) => t.receiver.track.kind === 'video')) {
      pc.addTransceiver('video', { direction: 'sendrecv' });
    }
    await this.link.offer();
  }

  // As the answerer (calls): the other side's offer.
  async offer(payload) {
    this.connection();
    await this.link.remoteDescription(payload);
    await this.link.answer();
  }

  async answer(payload) {
    this.connection();
    await this.link.remoteDescription(payload);
  }

  // A candidate before the connection exists waits for it.
  async candidate(payload) {
    if (!this.link) this.early.push(payload);
    else await this.link.candidate(payload);
  }

  mute(on) {
    this.muted = on;
    if (this.local) this.local.getAudioTracks().forEach((t) => { t.enabled = !on; });
  }

  // The camera: a new video track on the existing transceiver (no
  // renegotiation), or none. The last call wins: a camera granted after it
  // was turned off again is stopped, not sent.
  async camera(on) {
    this.cameraWanted = on;
    if (this.started) await this.started;
    const sender = this.pc && this.pc.getTransceivers()
      .find((t) => t.receiver.track.kind === 'video');
    if (!sender) throw MEDIA_ERR_failed;
    if (!on) {
      this.stopVideo();
      await sender.sender.replaceTrack(null);
      this.opts.onChange();
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: true });
    } catch (err) {
      throw mediaError(err);
    }
    if (this.closed || !this.cameraWanted) {
      stopAll(stream);
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!this.local) this.local = new MediaStream();
    this.local.addTrack(track);
    await sender.sender.replaceTrack(track);
    this.opts.onChange();
  }

  stopVideo() {
    if (!this.local) return;
    for (const t of this.local.getVideoTracks()) {
      t.stop();
      this.local.removeTrack(t);
    }
  }

  // In-band DTMF, when the connection can carry it; digits still playing
  // go first.
  dtmf(digits) {
    const sender = this.pc && this.pc.getSenders().find((s) => s.track && s.track.kind === 'audio');
    // insertDTMF replaces what is still queued: append to it.
    if (sender && sender.dtmf && sender.dtmf.canInsertDTMF) {
      sender.dtmf.insertDTMF(sender.dtmf.toneBuffer + digits, 100, 70);
    }
  }

  close() {
    this.closed = true;
    if (this.link) this.link.close();
    if (this.local) stopAll(this.local);
    this.link = this.pc = this.local = null;
    this.active = false;
    this.early = [];
    this.opts.onChange();
  }
}

function stopAll(stream) {
  stream.getTracks().forEach((t) => t.stop());
}

function mediaError(err) {
  const name = err && err.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return MEDIA_ERR_denied;
  if (name === 'NotFoundError' || name === 'NotReadableError' || name === 'OverconstrainedError') {
    return MEDIA_ERR_unavailable;
  }
  return MEDIA_ERR_failed;
}
