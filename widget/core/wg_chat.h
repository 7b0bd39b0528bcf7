/* wg_chat.h - the chat state machine, as a pure function of its inputs.
 *
 * Shaped like microui: a caller-owned context; inputs go in through
 * wg_chat_* functions (user actions, server answers, parsed stream events,
 * stream open/error, and a tick carrying the current time - the core has no
 * clock); what the bridge must do comes out as a flat list of effects held
 * in the context, which the bridge reads and then clears. No allocation, no
 * I/O. Errors are return codes; a rejected input changes nothing.
 *
 * States: IDLE -> STARTING -> WAITING (queued) -> CONNECTED -> ENDED, and
 * ENDED -> STARTING again (a new chat). The event stream has its own
 * sub-state: CLOSED, CONNECTING, OPEN, RETRYING (backoff 1 s doubling to
 * 30 s, measured from the time given with the error, reset once open).
 *
 * Resume: the server answers a start with resumed=true when the caller's
 * chat is still open (reload, other device). The core then asks for the
 * transcript and opens the stream from event 0; the stored contact.state
 * events replayed on it move the machine straight to where the chat is. */
#ifndef WG_CHAT_H
#define WG_CHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_transcript.h"
#include "wg_stream.h"

#define WG_CHAT_TEXT_MAX 8192   /* bytes per message, the server's limit */
#define WG_CHAT_EFFECTS_MAX 16  /* effects pending before the bridge drains */
#define WG_CHAT_REASON_MAX 64   /* ENDED reason, truncated */
#define WG_CHAT_TYPING_MS 10000 /* a typing indicator lasts 10 s */

enum wg_chat_state {
    WG_CHAT_IDLE = 0,
    WG_CHAT_STARTING,
    WG_CHAT_WAITING,
    WG_CHAT_CONNECTED,
    WG_CHAT_ENDED
};


/* What a failed request meant, as the bridge classified it. */
enum wg_chat_error {
    WG_CHAT_ERR_NONE = 0,
    WG_CHAT_ERR_AUTH,     /* 401: the token is missing, bad or expired */
    WG_CHAT_ERR_NETWORK,  /* fetch failed, timeout */
    WG_CHAT_ERR_SERVER,   /* 5xx or an answer that made no sense */
    WG_CHAT_ERR_REJECTED, /* 4xx other than 401/409 */
    WG_CHAT_ERR_ENDED     /* 409 contact_ended */
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
    WG_EV_VIDEO_ENDED
};

enum wg_contact_state { WG_CS_QUEUED = 0, WG_CS_RINGING, WG_CS_CONNECTED, WG_CS_ENDED };

/* One event. Strings are borrowed for the call; the chat copies what it
 * keeps. Only the fields of `kind` are read. */
struct wg_event {
    enum wg_event_kind kind;
    int64_t id;                            /* the SSE `id:`, 0 when absent */
    enum wg_contact_state contact_state;   /* CONTACT_STATE */
    const char *reason;                    /* CONTACT_STATE, optional */
    int position, queue_depth, est_wait_s; /* QUEUE */
    const char *display_name;              /* JOINED, TYPING, READ, VIDEO_OFFER */
    enum wg_role role;                     /* JOINED, TYPING, READ, DTMF (FromRole) */
    struct wg_msg message;                 /* MESSAGE */
    const char *message_id;                /* READ, optional */
    char digit;                            /* DTMF */
    bool screen_share;                     /* VIDEO_OFFER */
};

enum wg_effect_kind {
    WG_FX_HTTP_START = 1,  /* POST /api/startChatContact */
    WG_FX_HTTP_SEND,       /* POST /api/participant/message {text} */
    WG_FX_HTTP_TRANSCRIPT, /* POST /api/participant/transcript, NextToken = after_seq (0: none) */
    WG_FX_SSE_OPEN,        /* open the event stream with Last-Event-ID (0: none) */
    WG_FX_SSE_CLOSE,       /* close it (the core schedules retries itself) */
    WG_FX_HTTP_DISCONNECT, /* POST /api/participant/disconnect */
    WG_FX_STATE_CHANGED    /* dispatch c2c:state with `state` */
};

struct wg_effect {
    enum wg_effect_kind kind;
    int64_t arg;      /* TRANSCRIPT: after_seq; SSE_OPEN: last_event_id; STATE_CHANGED: state */
    const char *text; /* SEND: points into the chat's outbox, valid until the next wg_chat_send */
    size_t text_len;
};

/* The context. Caller-owned (statically or on the stack, ~9 KiB); fields are
 * read by wg_render but only written by wg_chat.c. */
struct wg_chat {
    enum wg_chat_state state;
    struct wg_stream stream;          /* the event stream's connection */
    struct wg_transcript *transcript; /* optional, caller-owned */
    int64_t now_ms;                   /* the latest time given */
    int64_t last_event_id;
    bool resumed;
    int queue_position, queue_depth, est_wait_s; /* -1 until a queue event */
    char agent_name[WG_TR_NAME_MAX];
    char reason[WG_CHAT_REASON_MAX];
    char typing_name[WG_TR_NAME_MAX];
    int64_t typing_until_ms; /* 0: nobody typing */
    bool video_offered, video_screen_share;
    char video_from[WG_TR_NAME_MAX];
    enum wg_chat_error last_error;
    struct wg_effect effects[WG_CHAT_EFFECTS_MAX];
    size_t n_effects;
    bool effects_overflow; /* an effect was lost: the bridge drained too late */
    char outbox[WG_CHAT_TEXT_MAX + 1];
};

/* IDLE, stream CLOSED, no effects. transcript may be NULL (messages are then
 * not kept). */
void wg_chat_init(struct wg_chat *c, struct wg_transcript *transcript);

/* User: start a chat (from IDLE or ENDED; from ENDED the transcript and all
 * per-chat state are cleared). Emits HTTP_START. 0 or WG_E_STATE. */
int wg_chat_start(struct wg_chat *c, int64_t now_ms);

/* Server: the start succeeded. STARTING -> WAITING; emits SSE_OPEN{0}, and
 * when resumed also HTTP_TRANSCRIPT{0} (backfill). 0 or WG_E_STATE. */
int wg_chat_start_ok(struct wg_chat *c, bool resumed, int64_t now_ms);

/* Server: the start failed. STARTING -> IDLE with last_error = err.
 * 0 or WG_E_STATE. */
int wg_chat_start_failed(struct wg_chat *c, enum wg_chat_error err, int64_t now_ms);

/* User: send text. Checks, in order: state WAITING/CONNECTED (WG_E_STATE),
 * len <= 8192 (WG_E_TOO_LONG), valid UTF-8 without NUL (WG_E_UTF8), not
 * empty or only whitespace (WG_E_EMPTY), no send still undrained
 * (WG_E_BUSY). Copies text to the outbox and emits HTTP_SEND. */
int wg_chat_send(struct wg_chat *c, const char *text, size_t len, int64_t now_ms);

/* Server: the send failed. ERR_ENDED moves to ENDED (closing the stream);
 * otherwise last_error is set. 0 or WG_E_STATE. */
int wg_chat_send_failed(struct wg_chat *c, enum wg_chat_error err, int64_t now_ms);

/* User: end the chat (WAITING/CONNECTED -> ENDED, reason "customer").
 * Emits HTTP_DISCONNECT and SSE_CLOSE. 0 or WG_E_STATE. */
int wg_chat_end(struct wg_chat *c, int64_t now_ms);

/* Stream: opened. Resets the backoff; after a reconnect emits
 * HTTP_TRANSCRIPT{last seq} to backfill. 0, or WG_E_STATE when no stream
 * was wanted (ignored). */
int wg_chat_stream_open(struct wg_chat *c, int64_t now_ms);

/* Stream: failed or dropped. Emits SSE_CLOSE and schedules a retry at
 * now + 1 s * 2^attempt (capped at 30 s). 0, or WG_E_STATE when no stream
 * was wanted (ignored). */
int wg_chat_stream_error(struct wg_chat *c, int64_t now_ms);

/* Stream: one event. Records its id for Last-Event-ID, then applies it.
 * Returns 1 when what is shown changed, 0 when not (including events for a
 * chat not active), WG_E_INVAL for NULL. */
int wg_chat_event(struct wg_chat *c, const struct wg_event *ev, int64_t now_ms);

/* Server: a transcript page (resume or backfill). Merges it; when more
 * follow, emits HTTP_TRANSCRIPT{last seq}. Returns how many were new. */
int wg_chat_transcript_page(struct wg_chat *c, const struct wg_msg *msgs, size_t n, bool more,
                            int64_t now_ms);

/* Time passes: fires a due stream retry (SSE_OPEN{last_event_id}) and
 * expires the typing indicator. Returns 1 when something changed. */
int wg_chat_tick(struct wg_chat *c, int64_t now_ms);

/* The effects to perform, in order; *n gets the count. Then call
 * wg_chat_effects_clear. */
const struct wg_effect *wg_chat_effects(const struct wg_chat *c, size_t *n);
void wg_chat_effects_clear(struct wg_chat *c);

/* The id for Last-Event-ID (0: none yet). */
int64_t wg_chat_last_event_id(const struct wg_chat *c);

/* Static names for logs and for c2c:state ("idle", "waiting", ...). */
const char *wg_chat_state_name(enum wg_chat_state s);

#endif
