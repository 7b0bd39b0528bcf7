// rtc.js - the browser's media and WebRTC, for one call or one video.
//
// A Peer wraps one RTCPeerConnection and its local media. The core decides
// when to create it, who offers (the agent for calls, the customer for a
// video escalation and for a call bridged to a phone), when to close it;
// this file only performs. Signals go to the other side through the
// `signal` callback (POST /api/participant/signal); candidates that arrive
// before the remote description are held until it is set.

import { MEDIA_ERR } from './constants.js';

export class Peer {
  // opts: {iceServers, signal(type, payload), onActive(), onFailed(err), onChange()}
  constructor(opts) {
    this.opts = opts;
    this.pc = null;
    this.local = null;      // MediaStream of our microphone (and camera)
    this.remote = null;     // MediaStream of the other side
    this.pendingCandidates = [];
    this.active = false;
    this.closed = false;    // after close(), late results are released, not used
    this.muted = false;     // applied to tracks acquired later too
    this.started = null;    // the offer in flight (video), awaited by camera()
    this.cameraWanted = false;
    this.endOfCandidates = false; // signal it (a Payload of null): the SIP gateway waits for it
  }

  // getUserMedia; resolves, or rejects with a core media error number.
  async acquire(video) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw MEDIA_ERR.unavailable;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: !!video });
    } catch (err) {
      throw mediaError(err);
    }
    if (this.closed) {
      stopAll(stream);
      throw MEDIA_ERR.failed;
    }
    this.local = stream;
    this.mute(this.muted);
    this.opts.onChange();
  }

  connection() {
    if (this.closed) throw MEDIA_ERR.failed;
    if (this.pc) return this.pc;
    const pc = new RTCPeerConnection({ iceServers: this.opts.iceServers || [] });
    pc.onicecandidate = (ev) => {
      if (ev.candidate) this.opts.signal('candidate', ev.candidate.toJSON());
      else if (this.endOfCandidates) this.opts.signal('candidate', null);
    };
    // One stream for everything the other side sends (its audio and its
    // camera may come in different streams).
    pc.ontrack = (ev) => {
      if (!this.remote) this.remote = new MediaStream();
      if (!this.remote.getTracks().includes(ev.track)) this.remote.addTrack(ev.track);
      this.opts.onChange();
    };
    pc.onconnectionstatechange = () => this.stateChanged(pc.connectionState);
    if (this.local) this.local.getTracks().forEach((t) => pc.addTrack(t, this.local));
    this.pc = pc;
    return pc;
  }

  stateChanged(state) {
    if (state === 'connected' && !this.active) {
      this.active = true;
      this.opts.onActive();
    } else if (state === 'failed') {
      this.opts.onFailed(MEDIA_ERR.failed);
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
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await this.opts.signal('offer', { type: offer.type, sdp: offer.sdp });
  }

  // As the answerer (calls): the other side's offer.
  async offer(payload) {
    const pc = this.connection();
    await pc.setRemoteDescription(payload);
    await this.flushCandidates();
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await this.opts.signal('answer', { type: answer.type, sdp: answer.sdp });
  }

  async answer(payload) {
    await this.connection().setRemoteDescription(payload);
    await this.flushCandidates();
  }

  async candidate(payload) {
    if (!this.pc || !this.pc.remoteDescription) {
      this.pendingCandidates.push(payload);
      return;
    }
    await this.pc.addIceCandidate(payload);
  }

  async flushCandidates() {
    const list = this.pendingCandidates.splice(0);
    for (const c of list) await this.pc.addIceCandidate(c);
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
    if (!sender) throw MEDIA_ERR.failed;
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
    if (this.pc) this.pc.close();
    if (this.local) stopAll(this.local);
    this.pc = this.local = this.remote = null;
    this.active = false;
    this.pendingCandidates = [];
    this.opts.onChange();
  }
}

function stopAll(stream) {
  stream.getTracks().forEach((t) => t.stop());
}

function mediaError(err) {
  const name = err && err.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return MEDIA_ERR.denied;
  if (name === 'NotFoundError' || name === 'NotReadableError' || name === 'OverconstrainedError') {
    return MEDIA_ERR.unavailable;
  }
  return MEDIA_ERR.failed;
}
