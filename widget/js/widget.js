// widget.js - one mounted widget: feeds the core its inputs, performs the
// effects it asks for, and renders what it says.
//
// The loop is always the same: an input (a click, an answer, a stream
// event, a tick) goes into the core; then step() reads the core's output
// (effects + view, one JSON document), starts each effect (requests,
// streams, media), renders the view and dispatches the CustomEvents.
// Asynchronous results come back as new inputs. Nothing here decides what
// the user sees or which transition happens.
//
// The person at the device is `user` (their site token, the API client that
// sends it, the ParticipantTokens of their contacts). A token with another
// `sub` is another person: the core is told (c2c_identity_changed) and drops
// the old user's chat or call; every effect is performed for the user who
// was current when the core asked for it, and answers that come back for a
// user who has gone never reach the core.

import {
  ACTION_close, ACTION_dial, ACTION_hangup, ACTION_key, ACTION_rate, ACTION_send, ACTION_typing,
  CONTACT_STATE, MEDIA_ERR_failed, OWNER, RC_e_inval, REQ, REQ_http_start, ROLE, SIGNAL,
} from './constants.js';
import { Api, classify } from './api.js';
import * as X from './exports.js';
import { Renderer } from './render.js';
import { EventStream } from './stream.js';
import { Peer } from './rtc.js';
import { TokenSource, subjectOf } from './tokens.js';

const TICK_MS = 250;
const STORE_PREFIX = 'c2c.active.';
const OPEN_PREFIX = 'c2c.open.';
const floating = new Set(); // the page's floating widgets, for stacking

export class Widget {
  // host: the [data-c2c] element; cfg: parsed options (options.js); core: wasm.js Core
  constructor(host, cfg, core) {
    this.host = host;
    this.cfg = cfg;
    this.core = core;
    this.user = this.newUser(cfg.token);
    this.streams = {};       // owner -> EventStream
    this.peers = {};         // owner -> Peer
    this.state = '';
    this.lastView = '';
    this.root = this.createRoot();
    this.renderer = new Renderer(this.root, cfg.classes, (owner, variant) => this.mediaFor(owner, variant), cfg.lang);
    this.handle = this.createCore(cfg);
    if (cfg.floating) this.float();
    this.offerReference();
    this.bindDom();
    this.timer = setInterval(() => this.feed(X.c2c_tick, Date.now()), TICK_MS);
    this.onVisible = () => { if (document.visibilityState === 'visible') this.resync(); };
    document.addEventListener('visibilitychange', this.onVisible);
    this.onLeave = () => this.leave();
    window.addEventListener('pagehide', this.onLeave);
    this.step();
    this.emit('c2c:ready', { mode: cfg.modeName });
  }

  // The core's widget; a data-number the core refuses is dropped with a
  // warning (the user is then asked for a number) rather than no widget.
  createCore(cfg) {
    const wanted = { ...cfg, resume: cfg.mode !== 'call' && this.storedActive() };
    let handle;
    try {
      handle = this.core.create(wanted, Date.now());
    } catch (err) {
      if (!cfg.number) throw err;
      console.warn(`c2c: data-number "${cfg.number}" is not a phone number; the caller will be asked for one`);
      handle = this.core.create({ ...wanted, number: '' }, Date.now());
    }
    // The locale's texts (main.js fetched them): the core has none of its own.
    if (X.c2c_locale(this.core, handle, cfg.texts || '') < 0) {
      this.core.free(handle);
      throw new Error(`c2c: the texts of locale "${cfg.lang}" could not be read`);
    }
    return handle;
  }

  // tokens: their TokenSource; api: an Api sending that token; contact:
  // owner -> {token, meetingId, transactionId, iceServers}.
  newUser(token) {
    const tokens = new TokenSource(token, this.cfg.tokenProvider, (t) => this.setToken(t));
    return { tokens, api: new Api(this.cfg.api, tokens), contact: {} };
  }

  createRoot() {
    const root = document.createElement('div');
    const layout = this.cfg.floating ? ` c2c--floating c2c--${this.cfg.position}` : '';
    root.className = `c2c c2c--${this.cfg.modeName} c2c-theme-${this.cfg.themeName}${layout}`;
    root.lang = this.cfg.lang;
    this.host.append(root);
    return root;
  }

  // Leaving (unmount, navigation): a live call is hung up rather than left
  // ringing or silent at the agent. The core decides whether there is one to
  // hang up; the request is sent with keepalive so it outlives the page.
  leave() {
    if (!this.handle) return;
    X.c2c_action(this.core, this.handle, ACTION_hangup, '', this.now());
    const out = JSON.parse(this.core.output(this.handle));
    const c = this.user.contact.call;
    if (c && out.fx.some((fx) => fx.kind === 'http_hangup')) {
      this.hangUp(this.user, c.meetingId, { keepalive: true }).catch(() => {});
    }
  }

  // POST /api/update {update: end}: user's call ends for both sides.
  hangUp(user, meetingId, extra) {
    return user.api.site('POST', 'update', { update: 'end', meetingId }, extra);
  }

  // Floating: the core restores the panel's stored state; the launchers of
  // one corner stack upwards, one open panel at a time; on a phone the
  // sheet follows the visual viewport (the on-screen keyboard).
  float() {
    this.feed(X.c2c_layout, 1, this.storedOpen() ? 1 : 0);
    floating.add(this);
    restack();
    const vv = window.visualViewport;
    this.onViewport = () => this.root.style.setProperty('--c2c-vvh', `${Math.round(vv.height)}px`);
    if (vv) { vv.addEventListener('resize', this.onViewport); this.onViewport(); }
  }

  // An agent's link carries a reference code (?c2c-ref=, or the older
  // videoReferenceId): the core offers to start with it.
  offerReference() {
    const q = new URLSearchParams(window.location.search);
    const code = q.get('c2c-ref') || q.get('videoReferenceId');
    if (code && this.cfg.modeName !== 'call' && this.feed(X.c2c_offer_reference, code) === RC_e_inval) {
      console.warn(`c2c: the page's reference code "${code}" is not 8 digits`);
    }
  }

  // Per widget: by API, mode and the element's id (or its place in the page).
  openKey(prefix = OPEN_PREFIX) {
    const all = [...document.querySelectorAll('[data-c2c]')];
    return `${prefix}${this.cfg.api}|${this.cfg.modeName}|${this.host.id || all.indexOf(this.host)}`;
  }

  // The newest message the customer has seen of a chat: per widget and contact.
  seenKey(contactId) {
    return `${this.openKey('c2c.seen.')}|${contactId}`;
  }

  storedOpen() {
    try { return localStorage.getItem(this.openKey()) === '1'; } catch { return false; }
  }

  // After each frame: remember the panel's state and close the others of
  // this corner when it opened.
  opened(open) {
    if (open === this.wasOpen) return;
    this.wasOpen = open;
    try {
      if (open) localStorage.setItem(this.openKey(), '1'); else localStorage.removeItem(this.openKey());
    } catch { /* storage disabled: the panel starts closed */ }
    if (!open) return;
    for (const w of floating) {
      if (w !== this && w.cfg.position === this.cfg.position && w.isOpen()) w.feed(X.c2c_action, ACTION_close, '', w.now());
    }
  }

  destroy() {
    floating.delete(this);
    restack();
    if (this.onViewport) window.visualViewport.removeEventListener('resize', this.onViewport);
    this.leave();
    window.removeEventListener('pagehide', this.onLeave);
    clearInterval(this.timer);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.user.tokens.stop();
    Object.values(this.streams).forEach((s) => s.close());
    Object.values(this.peers).forEach((p) => p.close());
    this.core.free(this.handle);
    this.handle = 0;
    this.root.remove();
  }

  // The same `sub` is a refresh. Another one is another person at the
  // device: the core drops the old user's chat or call (its effects go out
  // as the old user), then the new user takes over and, when their own flag
  // says a chat of theirs is open, it resumes.
  setToken(token) {
    if (!this.handle) return; // destroyed: no user to switch, no timer to start
    const old = this.user;
    if (subjectOf(token) === old.tokens.subject()) {
      old.tokens.set(token);
      return;
    }
    this.feed(X.c2c_identity_changed, this.now());
    old.tokens.stop();
    this.user = this.newUser(token);
    if (this.storedActive()) this.feed(X.c2c_resume, this.now());
  }

  // One input to the core: an export's wrapper (exports.js, generated from
  // c2c_wasm.h) and its arguments after the widget handle; then a step.
  // Core.call throws when the count is wrong.
  feed(fn, ...args) {
    if (!this.handle) return -1;
    const rc = fn(this.core, this.handle, ...args);
    this.step();
    return rc;
  }

  now() {
    return Date.now();
  }

  step() {
    if (!this.handle) return;
    const text = this.core.output(this.handle);
    const out = JSON.parse(text);
    if (out.fxOverflow) console.warn('c2c: effects were lost (a core bug)');
    const user = this.user; // whom these effects are for, whenever they run
    for (const fx of out.fx) this.perform(fx, user);
    const viewText = JSON.stringify(out.view);
    if (viewText !== this.lastView) {
      this.lastView = viewText;
      this.paint(out.view);
      if (this.cfg.floating) this.opened(this.isOpen());
    }
  }

  // Renders, keeping what the user was doing: the chat log stays scrolled
  // to the newest message if it was; focus goes where the core asks (once
  // per focusSeq, as soon as that part is shown and enabled, and only while
  // focus is in the widget or nowhere, never taken from the page), and
  // focus that lived on an element the frame removed stays in the panel.
  paint(view) {
    const log = this.renderer.find('chat-log');
    const atBottom = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    const hadFocus = this.root.contains(document.activeElement);
    this.renderer.render(view);
    const newLog = this.renderer.find('chat-log');
    if (newLog && atBottom) newLog.scrollTop = newLog.scrollHeight;
    if (view.focusSeq !== this.focusSeq) {
      this.focusSeq = view.focusSeq;
      this.focusWanted = view.focus;
    }
    const active = document.activeElement;
    const free = hadFocus || !active || active === document.body || this.root.contains(active);
    const target = this.focusWanted && this.renderer.find(this.focusWanted);
    if (target && !target.disabled && free) {
      this.focusWanted = '';
      target.focus();
    } else if (hadFocus && !this.root.contains(document.activeElement)) {
      const panel = this.renderer.find('panel');
      const next = (panel && panel.querySelector('input:not([disabled]), button:not([disabled])'))
        || this.renderer.find('launcher');
      if (next) next.focus();
    }
  }

  emit(type, detail) {
    this.host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  // ----- effects -----

  perform(fx, user) {
    if (!this.handle) return; // unmounted by a handler of an earlier event
    const run = EFFECTS[fx.kind];
    if (!run) {
      console.warn(`c2c: unknown effect ${fx.kind}`);
      return;
    }
    Promise.resolve()
      .then(() => run.call(this, fx, user))
      .catch((err) => console.warn('c2c:', fx.kind, err));
  }

  // Runs user's request (null: the page's, such as availability); answers
  // ok(result) or reports the failure to the core. An answer for a user
  // who has gone is dropped (see abandon).
  async request(fx, user, promise, ok) {
    let result;
    let failed = false;
    try {
      result = await promise;
    } catch (err) {
      failed = classify(err);
    }
    if (user && user !== this.user) {
      if (failed === false) this.abandon(fx, user, result);
      return;
    }
    if (failed !== false) this.feed(X.c2c_request_failed, REQ[fx.kind], failed, this.now());
    else if (ok) ok.call(this, result);
    else this.feed(X.c2c_request_ok, REQ[fx.kind], this.now());
  }

  // What a gone user's request created is not left behind: a call their
  // dial made is hung up and a chat their start made (not one it resumed:
  // that stays theirs) is left, since nobody who asked is at the device.
  abandon(fx, user, result) {
    if (fx.kind === 'http_dial') {
      const meetingId = ((result.responseInfo || {}).Meeting || {}).MeetingId;
      if (meetingId) this.hangUp(user, meetingId).catch(() => {});
    } else if (fx.kind === 'http_start' && result.data && !result.data.resumed) {
      const r = result.data.startChatResult || {};
      if (r.ParticipantToken) user.api.participant('disconnect', {}, r.ParticipantToken).catch(() => {});
    }
  }

  participant(user, owner, path, body) {
    const contact = user.contact[owner] || user.contact.chat || {};
    return user.api.participant(path, body, contact.token);
  }

  // resumeOnly: after a reload, only pick up a chat that is still open.
  startBody(reference, resumeOnly) {
    const attributes = { ...this.cfg.attributes };
    if (this.cfg.modeName === 'video') attributes.c2cMode = 'video';
    if (reference) attributes.videoReferenceId = reference;
    if (this.cfg.queue) attributes.queue = this.cfg.queue;
    const body = { Attributes: attributes };
    if (resumeOnly) body.ResumeOnly = true;
    if (this.cfg.displayName) body.ParticipantDetails = { DisplayName: this.cfg.displayName };
    return body;
  }

  started(result) {
    const r = result.data && result.data.startChatResult;
    if (!r || !r.ParticipantToken) {
      this.feed(X.c2c_request_failed, REQ_http_start, classify(null), this.now());
      return;
    }
    this.user.contact.chat = { token: r.ParticipantToken, contactId: r.ContactId };
    let seen = '';
    try { seen = localStorage.getItem(this.seenKey(r.ContactId)) || ''; } catch { /* none */ }
    this.feed(X.c2c_start_ok, result.data.resumed ? 1 : 0, seen, r.ReferenceAgentName || '', this.now());
  }

  dialed(result) {
    const info = result.responseInfo || {};
    const meeting = info.Meeting || {};
    const attendee = info.Attendee || {};
    const placement = meeting.MediaPlacement || {};
    const c = {
      token: attendee.JoinToken, meetingId: meeting.MeetingId,
      transactionId: (((result.dialInfo || {}).SipMediaApplicationCall) || {}).TransactionId,
      iceServers: placement.IceServers || [],
    };
    this.user.contact.call = c;
    this.feed(X.c2c_dial_ok, c.meetingId, c.transactionId, c.token, meeting.Bridge === 'SIP' ? 1 : 0,
      this.now());
  }

  transcript(result) {
    for (const item of result.Transcript || []) {
      if (item.Type && item.Type !== 'MESSAGE') continue;
      X.c2c_transcript_item(this.core, this.handle, item.Id, Number(item.Seq) || 0,
        Date.parse(item.AbsoluteTime) || 0, ROLE[item.ParticipantRole] || 0, item.DisplayName,
        item.ContentType, item.Content);
    }
    this.feed(X.c2c_transcript_done, result.NextToken ? 1 : 0, this.now());
  }

  openStream(user, owner, lastEventId) {
    if (user !== this.user) return; // asked for before the user changed
    this.streams[owner] && this.streams[owner].close();
    const contact = user.contact[owner];
    const o = OWNER[owner];
    this.streams[owner] = new EventStream(user.api.eventsUrl(), contact.token, lastEventId, {
      open: () => this.feed(X.c2c_stream_open, o, this.now()),
      error: () => this.feed(X.c2c_stream_error, o, this.now()),
      event: (name, id, data) => this.event(owner, name, id, data),
    });
  }

  closeStream(owner) {
    if (this.streams[owner]) this.streams[owner].close();
    delete this.streams[owner];
  }

  // ----- stream events -----

  event(owner, name, id, d) {
    const o = OWNER[owner];
    const now = this.now();
    if (!d) return this.feed(X.c2c_ev_other, o, id, now);
    switch (name) {
      case 'contact.state':
        return this.feed(X.c2c_ev_state, o, id, CONTACT_STATE[d.State] ?? -1, d.Reason || '',
          d.SipStatus | 0, now);
      case 'queue':
        return this.feed(X.c2c_ev_queue, o, id, d.Position | 0, d.QueueDepth | 0,
          d.EstimatedWaitSeconds | 0, now);
      case 'participant.joined':
        return this.feed(X.c2c_ev_joined, o, id, ROLE[d.ParticipantRole] || 0, d.DisplayName || '', now);
      case 'message':
        return this.feed(X.c2c_ev_message, o, id, d.Id, Number(d.Seq) || 0,
          Date.parse(d.AbsoluteTime) || 0, ROLE[d.ParticipantRole] || 0, d.DisplayName || '',
          d.ContentType || 'text/plain', d.Content || '', now);
      case 'typing':
        return this.feed(X.c2c_ev_typing, o, id, ROLE[d.ParticipantRole] || 0, d.DisplayName || '',
          Date.parse(d.AbsoluteTime) || 0, now);
      case 'read':
        return this.feed(X.c2c_ev_read, o, id, ROLE[d.ParticipantRole] || 0, d.MessageId || '', now);
      case 'dtmf':
        return this.feed(X.c2c_ev_dtmf, o, id, String(d.Digit || '').charCodeAt(0) || 0,
          ROLE[d.FromRole] || 0, now);
      case 'dtmf.play':
        return this.feed(X.c2c_ev_dtmf_play, o, id, String(d.Digits || ''), now);
      case 'signal':
        return this.signalEvent(owner, id, d, now);
      case 'video.offer':
        return this.feed(X.c2c_ev_video_offer, id, d.DisplayName || '', d.ScreenShare ? 1 : 0, now);
      case 'video.ended':
        return this.feed(X.c2c_ev_video_ended, id, now);
      case 'contact.transferring':
        return this.feed(X.c2c_ev_transferring, id, now);
      default:
        return this.feed(X.c2c_ev_other, o, id, now);
    }
  }

  signalEvent(owner, id, d, now) {
    const type = SIGNAL[d.Type];
    if (type === undefined) return this.feed(X.c2c_ev_other, OWNER[owner], id, now);
    return this.feed(X.c2c_ev_signal, OWNER[owner], id, type, JSON.stringify(d.Payload ?? null), now);
  }

  // ----- media -----

  // The peer of owner ('call' or 'video'); created on first use.
  peer(owner) {
    if (!this.peers[owner]) {
      const o = OWNER[owner];
      const user = this.user;
      const contact = owner === 'call' ? user.contact.call : user.contact.chat;
      this.peers[owner] = new Peer({
        iceServers: (contact && contact.iceServers) || [],
        signal: (type, payload) => this.participant(user, owner, 'signal', { Type: type, Payload: payload })
          .catch((err) => console.warn('c2c: signal', err.message)),
        onActive: () => this.feed(X.c2c_media_active, o, this.now()),
        onFailed: (err) => this.feed(X.c2c_media_failed, o, err, this.now()),
        onChange: () => { this.lastView = ''; this.step(); },
      });
    }
    return this.peers[owner];
  }

  mediaFor(owner, variant) {
    const p = this.peers[owner];
    if (!p) return null;
    return variant === 'local' ? p.local : p.remote;
  }

  // err: a core media error number from rtc.js, or anything else thrown.
  mediaFailed(owner, err) {
    this.feed(X.c2c_media_failed, OWNER[owner], typeof err === 'number' ? err : MEDIA_ERR_failed, this.now());
  }

  closePeer(owner) {
    const p = this.peers[owner];
    delete this.peers[owner];
    if (p) p.close();
  }

  // ----- storage (resume after reload) -----

  // user's flag: by API, mode and their token's sub.
  storeKey(user) {
    return `${STORE_PREFIX}${this.cfg.api}|${this.cfg.modeName}|${user.tokens.subject()}`;
  }

  storedActive(user = this.user) {
    try {
      return localStorage.getItem(this.storeKey(user)) === '1';
    } catch {
      return false;
    }
  }

  store(active, user) {
    try {
      if (active) localStorage.setItem(this.storeKey(user), '1');
      else localStorage.removeItem(this.storeKey(user));
    } catch {
      /* storage disabled: resume only works by starting again */
    }
  }

  // Back from a hidden tab: the stream may have missed events while the
  // browser throttled it; reopening it lets the core replay and backfill.
  resync() {
    for (const owner of Object.keys(this.streams)) {
      this.closeStream(owner);
      this.feed(X.c2c_stream_error, OWNER[owner], this.now());
    }
  }

  // ----- DOM events -----

  bindDom() {
    this.root.addEventListener('click', (ev) => {
      const el = ev.target.closest('button,[type=radio]');
      const node = el && this.renderer.nodeOf(el);
      if (node && node.action) this.act(node);
    });
    this.root.addEventListener('keydown', (ev) => this.keydown(ev));
    // After the frame that moved focus, never inside it.
    for (const [type, v] of [['focusin', 1], ['focusout', 0]]) {
      this.root.addEventListener(type, () => queueMicrotask(() => this.feed(X.c2c_focus, v, this.now())));
    }
    this.root.addEventListener('input', (ev) => {
      const node = this.renderer.nodeOf(ev.target);
      if (node && node.variant === 'digits') ev.target.value = ev.target.value.replace(/\D/g, '');
      if (node && node.multiline) grow(ev.target);
      if (node && node.action === ACTION_send) this.feed(X.c2c_action, ACTION_typing, '', this.now());
    });
  }

  // A button or an input's Enter: the action, with the text of the input
  // that carries the same action, if any.
  act(node) {
    const field = this.renderer.nodes.find((n) => n.kind === 'input' && n.action === node.action);
    const input = field && this.renderer.find(field.part);
    let text = input ? input.value : '';
    if (node.action === ACTION_key || node.action === ACTION_rate) text = String.fromCharCode(node.arg);
    const rc = this.feed(X.c2c_action, node.action, text, this.now());
    if (rc === 0 && input && node.action !== ACTION_dial) { input.value = ''; grow(input); }
  }

  keydown(ev) {
    const node = this.renderer.nodeOf(ev.target);
    if (ev.key === 'Escape' && this.isOpen()) {
      this.feed(X.c2c_action, ACTION_close, '', this.now()); // the core sends focus to the launcher
      return;
    }
    if (node && node.kind === 'input') {
      if (ev.key === 'Enter' && node.action && !ev.isComposing && !(node.multiline && ev.shiftKey)) {
        ev.preventDefault();
        this.act(node);
      }
      return;
    }
    const key = this.renderer.nodes.find((n) => n.action === ACTION_key && n.enabled
      && String.fromCharCode(n.arg) === ev.key);
    if (key && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      this.act(key);
      const el = this.renderer.find(key.part);
      if (el) { el.classList.add('c2c-key--pressed'); setTimeout(() => el.classList.remove('c2c-key--pressed'), 150); }
    }
  }

  isOpen() {
    return !!this.renderer.find('panel');
  }
}

// A multi-line input's height follows its text (c2c.css caps it at a few lines).
function grow(el) {
  el.style.height = '';
  if (el.value) el.style.height = `${el.scrollHeight + el.offsetHeight - el.clientHeight}px`;
}

// What each effect kind does (docs/widget.md; wg_fx.h).
const EFFECTS = {
  http_availability(fx, user) {
    const q = this.cfg.queue ? `?queue=${encodeURIComponent(this.cfg.queue)}` : '';
    return this.request(fx, null, user.api.open(`availability${q}`), (r) =>
      this.feed(X.c2c_availability, Number(r.agentsAvailable) || 0, this.now()));
  },
  http_start(fx, user) {
    return this.request(fx, user, user.api.site('POST', 'startChatContact', this.startBody(fx.text, fx.arg === 1)),
      this.started);
  },
  http_send(fx, user) {
    return this.request(fx, user, this.participant(user, 'chat', 'message', { ContentType: 'text/plain', Content: fx.text }));
  },
  http_typing(fx, user) {
    return this.request(fx, user, this.participant(user, 'chat', 'event',
      { ContentType: 'application/vnd.amazonaws.connect.event.typing' }));
  },
  http_transcript(fx, user) {
    const body = { MaxResults: 100 };
    if (fx.arg) body.NextToken = String(fx.arg);
    return this.request(fx, user, this.participant(user, 'chat', 'transcript', body), this.transcript);
  },
  http_disconnect(fx, user) {
    return this.request(fx, user, this.participant(user, 'chat', 'disconnect', {}));
  },
  http_dial(fx, user) {
    const body = {
      toNumber: fx.text, Attributes: { ...this.cfg.attributes },
      PageContext: { page: location.pathname, title: document.title.slice(0, 200) },
    };
    if (this.cfg.displayName) body.Attributes.displayName = this.cfg.displayName;
    return this.request(fx, user, user.api.site('POST', 'dial', body), this.dialed);
  },
  http_digits(fx, user) {
    const c = user.contact.call || {};
    if (!fx.arg && this.peers.call) this.peers.call.dtmf(fx.text); // arg 1: the server asks (rtc_dtmf)
    return this.request(fx, user, user.api.site('POST', 'update',
      { update: 'digit', digit: fx.text, transactionId: c.transactionId }));
  },
  http_hangup(fx, user) {
    return this.request(fx, user, this.hangUp(user, (user.contact.call || {}).meetingId));
  },
  http_video_end(fx, user) {
    return this.request(fx, user, this.participant(user, 'chat', 'video', { Action: 'end' }));
  },
  http_rate(fx, user) {
    const body = { Score: fx.arg };
    if (fx.text) body.Comment = fx.text;
    return this.request(fx, user, this.participant(user, 'chat', 'rating', body));
  },
  http_video_decline(fx, user) {
    return this.request(fx, user, this.participant(user, 'chat', 'video', { Action: 'decline' }));
  },
  sse_open(fx, user) {
    this.openStream(user, fx.owner, fx.arg);
  },
  sse_close(fx) {
    this.closeStream(fx.owner);
  },
  async media_acquire(fx) {
    const o = OWNER[fx.owner];
    try {
      await this.peer(fx.owner).acquire(!!fx.arg);
    } catch (err) {
      this.closePeer(fx.owner);
      this.mediaFailed(fx.owner, err);
      return;
    }
    // A grant that comes after the call ended is not wanted any more.
    if (this.feed(X.c2c_media_ready, o, this.now()) !== 0) this.closePeer(fx.owner);
  },
  media_mute(fx) {
    if (this.peers[fx.owner]) this.peers[fx.owner].mute(!!fx.arg);
  },
  async media_camera(fx) {
    try {
      await this.peer(fx.owner).camera(!!fx.arg);
    } catch (err) {
      this.mediaFailed(fx.owner, err);
    }
  },
  async rtc_start(fx) {
    const p = this.peer(fx.owner);
    try {
      if (!p.local) await p.acquire(false);
      await p.start(fx.arg === 1);
    } catch (err) {
      this.mediaFailed(fx.owner, err);
    }
  },
  async rtc_offer(fx) {
    const p = this.peer(fx.owner);
    try {
      // A new offer after a failed connection: the microphone was released.
      if (!p.local) await p.acquire(false);
    } catch (err) {
      this.mediaFailed(fx.owner, err);
      return;
    }
    await p.offer(JSON.parse(fx.text));
  },
  rtc_answer(fx) {
    return this.peer(fx.owner).answer(JSON.parse(fx.text));
  },
  rtc_candidate(fx) {
    return this.peer(fx.owner).candidate(JSON.parse(fx.text));
  },
  rtc_bye(fx) {
    this.closePeer(fx.owner);
  },
  rtc_dtmf(fx) {
    if (this.peers[fx.owner]) this.peers[fx.owner].dtmf(fx.text);
  },
  store_active(fx, user) {
    this.store(!!fx.arg, user);
  },
  store_seen(fx, user) {
    try {
      localStorage.setItem(this.seenKey(user.contact.chat.contactId), fx.text);
    } catch { /* storage disabled: no marker after a reload */ }
  },
  notify_state(fx) {
    if (fx.text === this.state) return;
    this.state = fx.text;
    this.emit('c2c:state', { state: fx.text, owner: fx.owner });
  },
  notify_message(fx) {
    const role = Object.keys(ROLE).find((k) => ROLE[k] === fx.arg) || 'UNKNOWN';
    this.emit('c2c:message', { text: fx.text, role: role.toLowerCase() });
  },
  notify_ended(fx) {
    this.emit('c2c:ended', { reason: fx.text });
  },
  notify_error(fx) {
    this.emit('c2c:error', { code: fx.text, message: this.errorText() });
  },
  // The transcript as the core writes it, saved as a text file.
  download() {
    const text = this.core.text(X.c2c_transcript_text(this.core, this.handle));
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    a.download = 'chat-transcript.txt';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  },
};

// The message the view shows for the current error, for c2c:error's detail.
Widget.prototype.errorText = function errorText() {
  const el = this.renderer.find('error');
  return el ? el.textContent : '';
};

// Each corner's floating launchers stack upwards in mount order; each
// knows its place and how many share the corner (c2c.css places them).
function restack() {
  const corners = {};
  for (const w of floating) (corners[w.cfg.position] ||= []).push(w);
  for (const list of Object.values(corners)) {
    list.forEach((w, i) => {
      w.root.style.setProperty('--c2c-stack', String(i));
      w.root.style.setProperty('--c2c-stack-count', String(list.length));
    });
  }
}
