// agent.js - the c2c agent console: sign in, go available, take chats and
// calls from the queue, talk to customers, escalate chats to video, hand out
// reference codes, see history. Served by the edge server at /agent/.
//
// Why shaped so: no framework and no build step, so the console is a set of
// ES modules, one per concern, that the browser loads as they are (nothing
// leaks to the global scope); this file is the entry point: it wires the
// page's static elements and resumes a saved session.
// The page's HTML holds every element, each tagged with a stable
// data-c2c-part name that tests and designers hook; this script only fills
// them in, shows/hides them and wires their events. Modules: dom.js,
// config.js, state.js, api.js, alerts.js, session.js (sign-in, status),
// agent_stream.js, queue.js, contacts.js (list and panel), customer.js
// (the customer panel), contact_stream.js, chat.js, rtc.js, calls.js,
// call_controls.js (mute, hold, keypad, call timer),
// video.js, adhoc.js (reference codes), history.js (and its search),
// private_notes.js, wrapup.js (wrap-up when closing),
// notify.js, timers.js (wait timers), keys.js (shortcuts).
//
// State lives in one `state` object (state.js); every contact the agent
// took has its own record (its ParticipantToken, event stream, messages, peer
// connection), and the contact panel renders whichever is selected. The
// site token is kept in sessionStorage so that a reload resumes; the open
// contacts come from the server (GET agent/contacts, with fresh tokens) at
// sign-in and whenever the agent stream (re)connects, so a console opened
// in any tab or browser picks up where the agent was (a call's audio is
// re-offered on request). History entries open read-only
// (POST agent/transcript).
//
// Live updates: one agent stream (GET agent/events: queue changes, offers,
// assignments, ends, customers coming and going) instead of polling, and
// one participant stream per contact. Every stream is read with fetch()
// by sse.js, the token in a header and never in a URL, and reconnects
// with Last-Event-ID by itself. While the agent stream is open the server
// counts the agent as present; closing the console takes them offline
// after the server's --agent-away-s.
//
// Media: for a call the agent is the WebRTC offerer; for a video escalation
// inside a chat the customer's widget offers and the console answers.
// Signals travel through POST participant/signal and come back as `signal`
// events on the contact's stream.
//
// Options (meta tags in index.html): c2c-api-prefix (the server's
// --api-prefix) and c2c-ice-servers (JSON RTCIceServer list, the same servers
// as the server's --ice-server; none for the embedded contact center).
// The page URL may carry ?queue=NAME to watch a queue other than the default.

import { createAdhoc } from './adhoc.js';
import { clearError, attempt } from './alerts.js';
import { startCallMedia, hangUp } from './calls.js';
import { wireCallControls } from './call_controls.js';
import { sendMessage, onComposeKey, onComposeInput, endChat } from './chat.js';
import { part } from './dom.js';
import { loadHistory, onHistorySearch } from './history.js';
import { detectDemo, signInDemo, signInPasted, enterWorkspace, signOut, changeStatus } from './session.js';
import { state, loadSession } from './state.js';
import { offerVideo, endVideo } from './video.js';
import { enableNotifications } from './notify.js';
import { addPrivateNote } from './private_notes.js';
import { wireKeys } from './keys.js';
import { wireWrapUp } from './wrapup.js';
import { wireCanned } from './canned.js';
import { wireTransfer } from './transfer.js';

function wire() {
  part('signin-demo-form').addEventListener('submit', signInDemo);
  part('signin-token-form').addEventListener('submit', signInPasted);
  part('agent-status').addEventListener('change', changeStatus);
  part('agent-signout').addEventListener('click', () => signOut());
  part('notify-enable').addEventListener('click', enableNotifications);
  part('alert-dismiss').addEventListener('click', () => clearError());
  part('chat-form').addEventListener('submit', sendMessage);
  part('note-form').addEventListener('submit', addPrivateNote);
  wireKeys();
  part('chat-input').addEventListener('keydown', onComposeKey);
  part('chat-input').addEventListener('input', onComposeInput);
  part('end').addEventListener('click', endChat);
  part('hangup').addEventListener('click', hangUp);
  wireCallControls();
  part('call-reconnect').addEventListener('click', () => state.selected && attempt(() => startCallMedia(state.selected)));
  part('offer-video').addEventListener('click', () => offerVideo(false));
  part('offer-screen').addEventListener('click', () => offerVideo(true));
  part('end-video').addEventListener('click', endVideo);
  wireWrapUp();
  wireCanned();
  wireTransfer();
  part('adhoc-form').addEventListener('submit', createAdhoc);
  part('history-refresh').addEventListener('click', loadHistory);
  part('history-search').addEventListener('input', onHistorySearch);
}

async function resume() {
  const saved = loadSession();
  if (!saved?.token) return;
  state.token = saved.token;
  state.me = saved.me ?? { name: '', sub: '' };
  state.status = ['available', 'away'].includes(saved.status) ? saved.status : 'offline';
  enterWorkspace(); // the agent stream restores the open contacts from the server
}

wire();
detectDemo();
resume();
