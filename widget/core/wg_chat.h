/* wg_chat.h - the chat state machine, as a pure function of its inputs.
 *
 * Shaped like microui: a caller-owned context; inputs go in through
 * wg_chat_* functions (user actions, server answers, parsed stream events,
 * stream open/error, and a tick carrying the current time - the core has no
 * clock); what the bridge must do is appended, with owner WG_OWNER_CHAT, to
 * the widget's one effect list (wg_fx.h), which the bridge drains. No
 * allocation, no I/O. Errors are return codes; a rejected input changes
 * nothing.
 *
 * Notifications: every state change pushes NOTIFY_STATE (text = the state
 * name), every new message from a live `message` event NOTIFY_MESSAGE
 * (text = content, arg = role; transcript pages do not notify, nor do
 * messages older than the start, see below), entering ENDED NOTIFY_ENDED
 * (text = reason) and STORE_ACTIVE{0}, a successful start STORE_ACTIVE{1},
 * and every error kept in last_error NOTIFY_ERROR (text =
 * wg_contact_error_name).
 *
 * States: IDLE -> STARTING -> WAITING (queued) -> CONNECTED -> ENDED, and
 * ENDED -> STARTING again (a new chat); any -> IDLE when another user takes
 * over the device (wg_chat_drop). The event stream has its own
 * sub-state (wg_stream, shared with the call): CLOSED, CONNECTING, OPEN,
 * RETRYING (backoff 1 s doubling to 30 s, measured from the time given with
 * the error, reset once open).
 *
 * Resume: the server answers a start with resumed=true when the caller's
 * chat is still open (reload, other device). The core then asks for the
 * transcript and opens the stream from event 0; the stored contact.state
 * events replayed on it move the machine straight to where the chat is.
 * The replay must not look new: a message whose Id is held is ignored, a
 * message older than the start (started_ms - WG_CHAT_REPLAY_SLACK_MS, its
 * time_ms being the server's) is shown but not notified, and a typing
 * event older than WG_CHAT_TYPING_MS is ignored. After a reload the bridge
 * starts with wg_chat_resume (HTTP_START{1}: ResumeOnly), so that a stale
 * "a chat is open" flag does not create a new chat: the server's
 * no_open_chat (WG_CONTACT_ERR_NO_CHAT) quietly returns to IDLE. */
#ifndef WG_CHAT_H
#define WG_CHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_contact.h"
#include "wg_fx.h"
#include "wg_transcript.h"
#include "wg_video.h"

#define WG_CHAT_TEXT_MAX 8192        /* bytes per message, the server's limit */
#define WG_CHAT_TYPING_MS 10000      /* a typing indicator lasts 10 s */
#define WG_CHAT_REPLAY_SLACK_MS 2000 /* clock skew allowed: a replay is older than the start */

/* The content types of the lines the chat writes into its transcript itself
 * (role SYSTEM, localized by the view): an agent joined (display_name: who),
 * the chat ended (content: the ended reason; display_name: the agent). */
#define WG_CHAT_LINE_JOINED "application/x-c2c.joined"
#define WG_CHAT_LINE_ENDED "application/x-c2c.ended"
#define WG_CHAT_LINE_VIDEO "application/x-c2c.video" /* content "started" or "ended" */
#define WG_CHAT_LINE_TRANSFER "application/x-c2c.transfer" /* display_name: the agent who did */

enum wg_chat_state {
    WG_CHAT_IDLE = 0,
    WG_CHAT_STARTING,
    WG_CHAT_WAITING,
    WG_CHAT_CONNECTED,
    WG_CHAT_ENDED
};


/* The context. Caller-owned (about 9 KiB, the held message's room); fields are read by the view but
 * only written by wg_chat.c (and wg_video.c for `video`). */
struct wg_chat {
    struct wg_contact ct;             /* state (enum wg_chat_state), stream, queue, agent, reason,
                                         last error, last event id; owner WG_OWNER_CHAT */
    struct wg_transcript *transcript; /* optional, caller-owned */
    int64_t started_ms; /* when this chat was (re)started: older messages do not notify */
    bool resume_only;   /* the start was wg_chat_resume's (HTTP_START{1}) */
    bool resumed;
    bool send_in_flight; /* HTTP_SEND pushed, no answer yet */
    size_t held_len;     /* a message sent while STARTING, sent on start_ok; 0: none */
    char held[WG_CHAT_TEXT_MAX + 1];
    char typing_name[WG_TR_NAME_MAX];
    int64_t typing_until_ms; /* 0: nobody typing */
    int64_t read_seq;        /* the newest message the agent has read (its Seq), 0: none */
    struct wg_video video;   /* the agent's video offer and the customer's peer */
    unsigned video_lines;    /* WG_CHAT_LINE_VIDEO lines written; odd: a "started" one is open */
    bool transferring; /* contact.transferring seen, the next agent not joined yet */
};

/* IDLE, stream CLOSED, video NONE. transcript may be NULL (messages are
 * then not kept, and every live message notifies); fx should not be (the
 * effects would be lost). Both must outlive c. */
void wg_chat_init(struct wg_chat *c, struct wg_transcript *transcript, struct wg_fx_list *fx);

/* User: start a chat (from IDLE or ENDED; from ENDED the transcript and all
 * per-chat state are cleared), redeeming the ad-hoc reference code
 * reference[0..len) when given (the caller validates it; NULL/0: none).
 * Emits HTTP_START{text = the code or ""}. 0, WG_E_STATE, WG_E_INVAL (NULL
 * with a length) or WG_E_FULL (no room for the effect: nothing changed). */
int wg_chat_start(struct wg_chat *c, const char *reference, size_t len, int64_t now_ms);

/* Bridge, after a reload with the "a chat is open" flag stored: start only
 * to resume that chat. As wg_chat_start without a code, but HTTP_START has
 * arg 1 (the bridge sends ResumeOnly: true) and resume_only is set. */
int wg_chat_resume(struct wg_chat *c, int64_t now_ms);

/* Server: the start succeeded. STARTING -> WAITING; emits STORE_ACTIVE{1},
 * SSE_OPEN{0}, when resumed also HTTP_TRANSCRIPT{0} (backfill), and then
 * HTTP_SEND with the message held while starting, if any.
 * 0 or WG_E_STATE. */
int wg_chat_start_ok(struct wg_chat *c, bool resumed, int64_t now_ms);

/* Server: the start failed. STARTING -> IDLE with last_error = err.
 * WG_CONTACT_ERR_NO_CHAT (no open chat to resume) is not an error to show:
 * -> IDLE with last_error NONE, no NOTIFY_ERROR, and STORE_ACTIVE{0} so the
 * stale flag is forgotten. 0 or WG_E_STATE. */
int wg_chat_start_failed(struct wg_chat *c, enum wg_contact_error err, int64_t now_ms);

/* User: send text. Checks, in order: state STARTING/WAITING/CONNECTED
 * (WG_E_STATE), len <= 8192 (WG_E_TOO_LONG), valid UTF-8 without NUL
 * (WG_E_UTF8), not empty or only whitespace (WG_E_EMPTY), no send still
 * unanswered (WG_E_BUSY: one in flight keeps the order; while STARTING, one
 * message already held), room in the effect list (WG_E_FULL). Emits
 * HTTP_SEND with a copy of the text; while STARTING (the user typed before
 * the chat existed) the text is held instead and goes out as HTTP_SEND when
 * the start succeeds (wg_chat_start_ok); a failed start drops it with the
 * rest of the attempt. */
int wg_chat_send(struct wg_chat *c, const char *text, size_t len, int64_t now_ms);

/* Server: the send succeeded; the next may go. 0 or WG_E_STATE (none in
 * flight). */
int wg_chat_send_ok(struct wg_chat *c, int64_t now_ms);

/* Server: the send failed; the next may go. last_error is set, and
 * ERR_ENDED moves to ENDED (closing the stream). 0 or WG_E_STATE (none in
 * flight). */
int wg_chat_send_failed(struct wg_chat *c, enum wg_contact_error err, int64_t now_ms);

/* Server: a transcript request failed: last_error is set (the next
 * reconnect backfills again). 0 or WG_E_STATE before the start answered. */
int wg_chat_transcript_failed(struct wg_chat *c, enum wg_contact_error err, int64_t now_ms);

/* User: end the chat (WAITING/CONNECTED -> ENDED, reason "customer").
 * Emits HTTP_DISCONNECT, ends the video (RTC_BYE{VIDEO} when there was a
 * peer) and SSE_CLOSE. 0 or WG_E_STATE. */
int wg_chat_end(struct wg_chat *c, int64_t now_ms);

/* Bridge: the chat's user is no longer the person at the device (the page
 * gave a token with another `sub`). The chat is dropped here, not ended: it
 * stays open on the server for its user (another device, a later sign-in),
 * so nothing is sent to the server. Releases the video's peer (RTC_BYE{VIDEO}
 * when there was one) and the stream (SSE_CLOSE unless closed), clears the
 * transcript and every per-chat field, and -> IDLE (NOTIFY_STATE when it was not; no
 * NOTIFY_ENDED: the chat did not end). From any state. 0 or WG_E_INVAL. */
int wg_chat_drop(struct wg_chat *c, int64_t now_ms);

/* Stream opened, failed or dropped: wg_contact_stream_open / _error with
 * the chat's liveness; a reopen after a drop also emits
 * HTTP_TRANSCRIPT{last seq} to backfill. 0, or WG_E_STATE when no stream
 * was wanted (ignored). */
int wg_chat_stream_open(struct wg_chat *c, int64_t now_ms);
int wg_chat_stream_error(struct wg_chat *c, int64_t now_ms);

/* The video's lines in the transcript: a WG_CHAT_LINE_VIDEO "started" once
 * the video is ACTIVE (connected), and "ended" once it is over after that
 * (video.ended, the customer's end, a failure, a `bye`, the chat ending),
 * each after the newest message held. Called after every input that can
 * change the video; the chat's own end writes "ended" before its ENDED
 * line. */
void wg_chat_video_lines(struct wg_chat *c);

/* Stream: one event. Records its id for Last-Event-ID, then applies it
 * (VIDEO_OFFER and VIDEO_ENDED go to wg_video). The agent's
 * PARTICIPANT_JOINED adds a WG_CHAT_LINE_JOINED line to the transcript, and
 * entering ENDED (here or by wg_chat_end) a WG_CHAT_LINE_ENDED line, each
 * placed after the newest message held and keyed by the event id, so a
 * replay adds nothing twice. TRANSFERRING (the agent handed the chat on)
 * sets `transferring` and adds a WG_CHAT_LINE_TRANSFER line naming that
 * agent; the next agent's PARTICIPANT_JOINED, or the end, clears it. The agent's READ of a held message moves
 * read_seq up to that message's Seq (every customer message up to it is
 * read). A MESSAGE already held changes nothing; a new one older than
 * started_ms - WG_CHAT_REPLAY_SLACK_MS is kept without NOTIFY_MESSAGE
 * (time_ms 0 counts as new). A TYPING whose time_ms is known and WG_CHAT_TYPING_MS or more
 * before now_ms is ignored (its indicator would be over). Returns 1 when
 * what is shown changed, 0 when not (including events for a chat not
 * active), WG_E_INVAL for NULL. */
int wg_chat_event(struct wg_chat *c, const struct wg_event *ev, int64_t now_ms);

/* Stream: one `signal` event for the video, through wg_contact_signal's
 * gate (arguments, liveness, room: its codes). While the video is
 * JOINING/ACTIVE: answer -> RTC_ANSWER{VIDEO} and candidate ->
 * RTC_CANDIDATE{VIDEO} with a copy of the payload, bye -> wg_video_ended;
 * an offer (the customer is the offerer) and anything while there is no
 * peer are ignored (0). Returns 1 when an effect was emitted. */
int wg_chat_signal(struct wg_chat *c, int64_t id, enum wg_signal_type type, const char *payload,
                   size_t len, int64_t now_ms);

/* Server: a transcript page (resume or backfill). Merges it; when more
 * follow, emits HTTP_TRANSCRIPT{the highest Seq of this page} (not the
 * transcript's: live messages may already be beyond pages not yet
 * fetched). Returns how many were new. */
int wg_chat_transcript_page(struct wg_chat *c, const struct wg_msg *msgs, size_t n, bool more,
                            int64_t now_ms);

/* Time passes: fires a due stream retry (SSE_OPEN{last_event_id}),
 * expires the typing indicator, and gives up a video still JOINING after
 * WG_VIDEO_JOIN_TIMEOUT_MS (wg_video_tick: RTC_BYE and HTTP_VIDEO_END{VIDEO},
 * then NOTIFY_ERROR{VIDEO} "media_failed"). Returns 1 when something
 * changed. */
int wg_chat_tick(struct wg_chat *c, int64_t now_ms);

/* The id for Last-Event-ID (0: none yet). */
int64_t wg_chat_last_event_id(const struct wg_chat *c);

/* The chat exists on the server and its stream is wanted: WAITING or
 * CONNECTED. The widget and the view ask too. */
bool wg_chat_live(const struct wg_chat *c);

/* Static names for logs and for c2c:state ("idle", "waiting", ...). */
const char *wg_chat_state_name(enum wg_chat_state s);

#endif
