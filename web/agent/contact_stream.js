// contact_stream.js - one participant event stream per contact (sse.js, the
// ParticipantToken in X-Amz-Bearer), its event dispatch, and a contact's end.

import { showError, announce } from './alerts.js';
import { onDtmf } from './calls.js';
import { onMessage, addNote, onTyping } from './chat.js';
import { API, STREAM_RETRY_MS } from './config.js';
import { contactLabel, REASONS } from './contacts.js';
import { loadHistory } from './history.js';
import { stopMedia, queueSignal } from './rtc.js';
import { saveSession } from './state.js';
import { onVideoEnded, onVideoDeclined } from './video.js';
import { openSse } from './sse.js';
import { changed } from './render.js';

// the ParticipantToken in the X-Amz-Bearer header; it reconnects by itself
// with Last-Event-ID, and ends for good when the server refuses the token.

export const EVENT_HANDLERS = {
  'contact.state': onContactState,
  'participant.joined': onParticipantJoined,
  message: onMessage,
  typing: onTyping,
  dtmf: onDtmf,
  signal: (contact, data) => queueSignal(contact, data),
  'video.ended': onVideoEnded,
  'video.declined': onVideoDeclined,
};

export function openStream(contact) {
  closeStream(contact);
  contact.stream = openSse({
    url: `${API}participant/events`,
    headers: () => ({ 'X-Amz-Bearer': contact.ptoken }),
    retryMs: STREAM_RETRY_MS,
    onEvent: (type, text) => {
      const handler = EVENT_HANDLERS[type];
      if (!handler) return;
      let data;
      try { data = JSON.parse(text); } catch { return; }
      handler(contact, data);
    },
    onError: (err) => {
      if (err.fatal && contact.state !== 'ENDED') {
        showError(`Lost the live connection to the ${contactLabel(contact).toLowerCase()}: ${err.message}`);
      }
    },
  });
}

export function closeStream(contact) {
  contact.stream?.close();
  contact.stream = null;
}

export function onContactState(contact, data) {
  if (data.State !== 'ENDED') return;
  contactEnded(contact, data.Reason || '');
}

/** The contact ended (either side): stop its media and stream, keep it listed. */
export function contactEnded(contact, reason) {
  if (contact.state === 'ENDED') return;
  contact.state = 'ENDED';
  contact.endedAt = Date.now();
  contact.reason = reason || contact.reason;
  addNote(contact, `${contact.kind === 'CALL' ? 'Call' : 'Chat'} ended${reason ? `: ${REASONS[reason] ?? reason}` : ''}.`);
  stopMedia(contact);
  closeStream(contact);
  saveSession();
  changed();
  announce(`${contactLabel(contact)} ended.`);
  loadHistory();
}

export function onParticipantJoined(contact, data) {
  if (data.ParticipantRole === 'AGENT') addNote(contact, `${data.DisplayName || 'An agent'} joined.`);
}
