// constants.js - the numbers the bridge passes to the wasm exports.
//
// They mirror C enums (the header named beside each); the wasm interface
// takes plain numbers, and keeping them in one file means one place to
// check when a header changes. Names that come back from the core (effect
// kinds, node kinds, owners) arrive as strings and need no table here.

// wg_fx.h enum wg_owner
export const OWNER = { widget: 0, chat: 1, call: 2, video: 3 };

// wg_fx.h enum wg_fx_kind: the requests whose answers the core wants back
export const REQ = {
  http_availability: 1,
  http_start: 2,
  http_send: 3,
  http_typing: 4,
  http_transcript: 5,
  http_disconnect: 6,
  http_dial: 7,
  http_digits: 8,
  http_hangup: 9,
  http_video_end: 10,
  http_video_decline: 11,
};

// wg_chat.h enum wg_chat_error: how a failed request is classified
export const ERR = {
  auth: 1,
  network: 2,
  server: 3,
  rejected: 4,
  ended: 5,
  route_not_found: 6,
  route_used: 7,
  route_expired: 8,
  route_email_mismatch: 9,
  number: 10,
  no_open_chat: 11, // a resume-only start found nothing to resume
};

// wg_chat.h enum wg_contact_state
export const CONTACT_STATE = { QUEUED: 0, RINGING: 1, CONNECTED: 2, ENDED: 3 };

// wg_transcript.h enum wg_role
export const ROLE = { CUSTOMER: 1, AGENT: 2, SYSTEM: 3 };

// wg_call.h enum wg_signal_type
export const SIGNAL = { offer: 0, answer: 1, candidate: 2, bye: 3 };

// wg_video.h enum wg_media_error
export const MEDIA_ERR = { denied: 1, unavailable: 2, failed: 3 };

// wg_widget.h enum wg_action: the ones the bridge raises by itself
export const ACTION = { close: 2, send: 4, typing: 5, dial: 7, key: 8, hangup: 10 };
