// peer.js - one RTCPeerConnection with its signalling, shared by the
// widget's calls and video and the agent console's.
//
// Local candidates go to the other side through `signal` as they are
// found; remote candidates that arrive before the remote description are
// held and added once it is set (one bad candidate is not fatal). What the
// other side sends is gathered into one MediaStream (its audio and camera
// may come in different streams). Who offers, which media, and what a
// failure means stay with the caller.

export class PeerLink {
  /**
   * @param {{iceServers?: RTCIceServer[],
   *          signal: (type: string, payload: any) => Promise<any>,
   *          onTrack?: () => void,
   *          onState?: (state: RTCPeerConnectionState) => void,
   *          endOfCandidates?: boolean}} opts (endOfCandidates: also signal the
   *          end of gathering, as a candidate of null: a SIP gateway waits for it)
   */
  constructor(opts) {
    this.opts = opts;
    this.pc = new RTCPeerConnection({ iceServers: opts.iceServers || [] });
    /** @type {MediaStream|null} */
    this.remote = null;
    /** @type {any[]} */
    this.pending = [];
    this.pc.onicecandidate = (ev) => {
      if (this.closed) return;
      if (ev.candidate) opts.signal('candidate', ev.candidate.toJSON()).catch(() => {});
      else if (opts.endOfCandidates) opts.signal('candidate', null).catch(() => {});
    };
    this.pc.ontrack = (ev) => {
      if (!this.remote) this.remote = new MediaStream();
      if (!this.remote.getTracks().includes(ev.track)) this.remote.addTrack(ev.track);
      if (opts.onTrack) opts.onTrack();
    };
    this.pc.onconnectionstatechange = () => {
      if (!this.closed && opts.onState) opts.onState(this.pc.connectionState);
    };
    this.closed = false;
  }

  /** Create and send an offer (the caller has added its tracks). */
  async offer() {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    await this.opts.signal('offer', { type: offer.type, sdp: offer.sdp });
  }

  /** Set the other side's offer (or answer) and add the candidates held for it. */
  async remoteDescription(desc) {
    await this.pc.setRemoteDescription(desc);
    const held = this.pending.splice(0);
    for (const c of held) await this.candidate(c);
  }

  /** Create and send the answer to the offer set with remoteDescription(). */
  async answer() {
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    await this.opts.signal('answer', { type: answer.type, sdp: answer.sdp });
  }

  /** A remote candidate: held until the remote description is set. */
  async candidate(payload) {
    if (!this.pc.remoteDescription) {
      this.pending.push(payload);
      return;
    }
    await this.pc.addIceCandidate(payload).catch(() => {});
  }

  close() {
    this.closed = true;
    this.pending = [];
    this.pc.close();
  }
}
