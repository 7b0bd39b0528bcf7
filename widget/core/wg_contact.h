/* wg_contact.h - what the chat and the call machines share: one contact on
 * the server, and the vocabulary both speak.
 *
 * A contact is the customer's side of one chat or one call: the machine's
 * state (its own enum, kept here as an int so that one set_state serves
 * both), the queue position, the agent, the ending reason, the last error,
 * the last event id and the event stream that replays after it. This module
 * owns the rules the two machines used to copy: every state change notifies
 * (NOTIFY_STATE), every error kept notifies (NOTIFY_ERROR), an ending
 * closes the stream and notifies (NOTIFY_ENDED), queue and agent events are
 * recorded the same way, and the stream's open/error/tick inputs are
 * handled once. Effects go to the widget's one list with the machine's
 * owner. Pure C: no allocation, no I/O, no clock.
 *
 * The shared vocabulary lives here too: how a failed request was classified
 * (enum wg_contact_error), the `contact.state` values, the WebRTC signal
 * types and the parsed stream event (struct wg_event). */
#ifndef WG_CONTACT_H
#define WG_CONTACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_fx.h"
#include "wg_stream.h"
#include "wg_transcript.h"

#define WG_CONTACT_REASON_MAX 64 /* ENDED reason, truncated */

/* What a failed request meant, as the bridge classified it. */
enum wg_contact_error {
    WG_CONTACT_ERR_NONE = 0,
    WG_CONTACT_ERR_AUTH,          /* 401: the token is missing, bad or expired */
    WG_CONTACT_ERR_NETWORK,       /* fetch failed, timeout */
    WG_CONTACT_ERR_SERVER,        /* 5xx or an answer that made no sense */
    WG_CONTACT_ERR_REJECTED,      /* 4xx other than those below */
    WG_CONTACT_ERR_ENDED,         /* 409 contact_ended */
    WG_CONTACT_ERR_REF_NOT_FOUND, /* 404 route_not_found: no such reference code */
    WG_CONTACT_ERR_REF_USED,      /* 409 route_used */
    WG_CONTACT_ERR_REF_EXPIRED,   /* 410 route_expired */
    WG_CONTACT_ERR_REF_EMAIL,     /* 403 route_email_mismatch */
    WG_CONTACT_ERR_NUMBER,        /* 400 bad_number, 403 number_not_allowed */
    WG_CONTACT_ERR_NO_CHAT,       /* 404 no_open_chat: a resume-only start found nothing */
    WG_CONTACT_ERR_RATED          /* 409 already_rated: the chat has its rating */
};

/* The `Type` of a `signal` event (calls and the video inside a chat). */
/* HOLD / UNHOLD: the agent put the call on hold or resumed it (no media
 * change: the call shows it and silences the agent's audio). */
enum wg_signal_type {
    WG_SIG_OFFER = 0,
    WG_SIG_ANSWER,
    WG_SIG_CANDIDATE,
    WG_SIG_BYE,
    WG_SIG_HOLD,
    WG_SIG_UNHOLD
};

/* Stream events, already parsed by the bridge from the SSE frame's event
 * name and JSON data. */
enum wg_event_kind {
    WG_EV_OTHER = 0, /* unknown event names: only the id is used */
    WG_EV_CONTACT_STATE,
    WG_EV_QUEUE,
    WG_EV_PARTICIPANT_JOINED,
    WG_EV_MESSAGE,
    WG_EV_TYPING,
    WG_EV_READ,
    WG_EV_DTMF,
    WG_EV_VIDEO_OFFER,
    WG_EV_VIDEO_ENDED,
    WG_EV_DTMF_PLAY, /* `dtmf.play`: a phone bridge asks the caller to play digits in-band */
    WG_EV_TRANSFERRING /* `contact.transferring`: the agent handed the chat on */
};

/* The `State` of a `contact.state` event. DIALING: a call bridged to a
 * phone (SIP) is being set up, before the far end rings. */
enum wg_contact_state {
    WG_CS_QUEUED = 0,
    WG_CS_RINGING,
    WG_CS_CONNECTED,
    WG_CS_ENDED,
    WG_CS_DIALING,
    WG_CS_COUNT
};

/* One event. Strings are borrowed for the call; the machines copy what they
 * keep. Only the fields of `kind` are read. */
struct wg_event {
    enum wg_event_kind kind;
    int64_t id;                            /* the SSE `id:`, 0 when absent */
    int64_t time_ms;                       /* AbsoluteTime in ms (TYPING), 0: unknown */
    enum wg_contact_state contact_state;   /* CONTACT_STATE */
    const char *reason;                    /* CONTACT_STATE, optional */
    int sip_status;                        /* CONTACT_STATE ENDED: the SIP final code, 0: none */
    const char *digits;                    /* DTMF_PLAY: the digits to play, in order */
    int position, queue_depth, est_wait_s; /* QUEUE */
    const char *display_name;              /* JOINED, TYPING, READ, VIDEO_OFFER */
    enum wg_role role;                     /* JOINED, TYPING, READ, DTMF (FromRole) */
    struct wg_msg message;                 /* MESSAGE */
    const char *message_id;                /* READ, optional */
    char digit;                            /* DTMF */
    bool screen_share;                     /* VIDEO_OFFER */
};

/* One contact, embedded in its machine (wg_chat, wg_call) as `ct`. Fields
 * are read by the view and the tests but only written through the
 * functions below and by the machine that embeds it. */
struct wg_contact {
    struct wg_fx_list *fx; /* the widget's effect list, caller-owned */
    enum wg_owner owner;   /* WG_OWNER_CHAT or WG_OWNER_CALL: the owner of every effect */
    int state;             /* the machine's own state (enum wg_chat_state / wg_call_state) */
    struct wg_stream stream; /* the event stream's connection */
    int64_t now_ms;          /* the latest time given */
    int64_t last_event_id;   /* for Last-Event-ID: the stream replays after it */
    int queue_position, queue_depth, est_wait_s; /* -1 until a queue event */
    char agent_name[WG_TR_NAME_MAX];
    char reason[WG_CONTACT_REASON_MAX]; /* why it ended, "" before */
    enum wg_contact_error last_error;
};

/* Everything zeroed, then fx and owner kept and the per-contact fields
 * cleared (wg_contact_reset); state is 0 (every machine's IDLE). fx is
 * borrowed and must outlive ct. */
void wg_contact_init(struct wg_contact *ct, struct wg_fx_list *fx, enum wg_owner owner);

/* Per-contact fields cleared, for a new contact: stream reset (no effect),
 * last_event_id 0, queue -1, agent and reason "", last_error NONE. The state
 * is left to the machine. */
void wg_contact_reset(struct wg_contact *ct);

/* Appends kind{arg} with the contact's owner (lost, with the list's
 * overflow flag set, when full: see wg_fx_push). */
void wg_contact_push(struct wg_contact *ct, enum wg_fx_kind kind, int64_t arg);

/* Appends a notification kind{arg} carrying a copy of the NUL-terminated
 * text (NULL: ""). */
void wg_contact_notify(struct wg_contact *ct, enum wg_fx_kind kind, int64_t arg,
                       const char *text);

/* The machine moves to state s, called name (static). Nothing when it is
 * there already, else NOTIFY_STATE{name}. */
void wg_contact_set_state(struct wg_contact *ct, int s, const char *name);

/* last_error = err, and NOTIFY_ERROR{wg_contact_error_name} unless NONE. */
void wg_contact_set_error(struct wg_contact *ct, enum wg_contact_error err);

/* The contact ended: reason copied (NULL: "", truncated), the stream
 * stopped (SSE_CLOSE unless closed), state ended_state called name
 * (NOTIFY_STATE when it changed), then NOTIFY_ENDED{reason}. The machine
 * releases its own resources first. */
void wg_contact_end(struct wg_contact *ct, int ended_state, const char *name,
                    const char *reason);

/* The contact is dropped (another user took the device): the stream is
 * stopped (SSE_CLOSE unless closed) and every per-contact field reset. */
void wg_contact_drop(struct wg_contact *ct, int64_t now_ms);

/* Stream inputs; live is whether the machine wants a stream (its contact
 * is live). Open: wg_stream_report_open's result (1 for a reopen after a
 * drop, 0 for the first, WG_E_STATE ignored). Error: 0 (a retry scheduled,
 * SSE_CLOSE) or WG_E_STATE (ignored). now_ms is recorded when applied. */
int wg_contact_stream_open(struct wg_contact *ct, bool live, int64_t now_ms);
int wg_contact_stream_error(struct wg_contact *ct, bool live, int64_t now_ms);

/* Time passes: records now_ms and fires a due stream retry
 * (SSE_OPEN{last_event_id}). Returns 1 when it fired, else 0. */
int wg_contact_tick(struct wg_contact *ct, int64_t now_ms);

/* Records an event's SSE id (wg_stream_note_id). */
void wg_contact_note_id(struct wg_contact *ct, int64_t id);

/* The events every contact applies alike: QUEUE (position, depth, wait) and
 * PARTICIPANT_JOINED of the agent (their name). Returns 1 when what is shown
 * changed, 0 for any other event or another participant's joining. */
int wg_contact_event(struct wg_contact *ct, const struct wg_event *ev);

/* Whether type is one of the six signal types. */
bool wg_signal_type_valid(enum wg_signal_type type);

/* A `signal` event (SSE id, type, Payload JSON borrowed) reaching a machine
 * that is live or not, and that would use it (emit an effect with a copy
 * of the payload; none for bye) or not. Checks the arguments (WG_E_INVAL:
 * NULL payload with a length, an unknown type) and records now_ms. Not
 * live: 0, the id not recorded (a late frame). Used but no room in the
 * effect list: WG_E_FULL with nothing changed (the bridge drains and gives
 * it again). Otherwise the id is recorded and the result is 1 when the
 * machine is to apply it, 0 when not used. */
int wg_contact_signal(struct wg_contact *ct, bool live, bool used, int64_t id,
                      enum wg_signal_type type, const char *payload, size_t len,
                      int64_t now_ms);

/* Stable codes for c2c:error: "auth", "network", "server", "rejected",
 * "ended", "route_not_found", "route_used", "route_expired",
 * "route_email_mismatch", "number", "no_open_chat"; "none" and "unknown"
 * otherwise. */
const char *wg_contact_error_name(enum wg_contact_error e);

#endif
