/* wg_call.h - the click-to-call state machine, as a pure function of its
 * inputs.
 *
 * Shaped like wg_chat: a caller-owned context; inputs go in through wg_call_*
 * functions (user actions, server answers, parsed stream events, stream
 * open/error, the bridge's media and WebRTC progress, and a tick carrying
 * the current time - the core has no clock); what the bridge must do is
 * appended, with owner WG_OWNER_CALL, to the widget's one effect list
 * (wg_fx.h). No allocation, no I/O. Errors are return codes; a rejected
 * input changes nothing. Notifications as wg_chat's: NOTIFY_STATE on every
 * state change, NOTIFY_ENDED on entering ENDED, NOTIFY_ERROR whenever
 * last_error or media_error is set.
 *
 * States: IDLE -> DIALING -> QUEUED <-> RINGING -> CONNECTED -> ENDED, and
 * ENDED -> DIALING again (a new call, which resets everything); any -> IDLE
 * when another user takes over the device (wg_call_drop). DIALING has
 * two steps: first the microphone (MEDIA_ACQUIRE, `media_pending`; a call
 * without one is useless, so nothing is sent to the server before it is
 * granted; refused: ENDED with reason "microphone"), then POST /api/dial.
 * A failed dial ends with reason "error". Once the microphone was granted,
 * the end of the call, whatever its cause, emits RTC_BYE so the bridge
 * releases it (and the peer connection). The event
 * stream is a wg_stream, as the chat's (CLOSED, CONNECTING, OPEN, RETRYING,
 * with wg_stream_backoff_ms). The media bridge has its own sub-state: NONE,
 * NEGOTIATING (an offer or answer was handed to the RTCPeerConnection),
 * ACTIVE (the bridge reported it connected). The agent, who accepted the
 * call, sends the offer; the bridge answers it through
 * POST /api/participant/signal itself.
 *
 * Keypad digits reuse wg_dtmf: pressed digits queue up and go out as
 * HTTP_DIGITS, one request at a time, in press order; a request that failed
 * for the network or the server keeps its digits and is retried after a
 * backoff (from the tick); one refused (auth, rejected) drops them.
 *
 * A call bridged to a phone (the dial's answer says `Bridge: SIP`: the
 * server sends it through a SIP gateway, not to an agent) differs in three
 * ways. It has no queue: after the answer it stays DIALING, now live (the
 * server's own first state is DIALING), then RINGING, CONNECTED and ENDED
 * with the far end's reasons (far_end_hangup, busy, declined, no_answer,
 * failed with its SIP status, gateway_lost). The customer is the offerer:
 * the answer emits RTC_START{1} (audio only; the bridge posts the offer and
 * its candidates, the end of them too) and the gateway's answer and
 * candidates come back as signals. And keypad digits are not played in-band
 * by the widget on its own (HTTP_DIGITS{1}): the server knows whether the
 * far end took RFC 4733 telephone-events and, when it did, asks for them
 * with a `dtmf.play` event, which emits RTC_DTMF with the digits (else it
 * sends them as SIP INFO itself). */
#ifndef WG_CALL_H
#define WG_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_contact.h"
#include "wg_dtmf.h"
#include "wg_fx.h"
#include "wg_video.h"

#define WG_CALL_NUMBER_INPUT_MAX 64   /* bytes of the number as typed */
#define WG_CALL_E164_MAX 16           /* "+" and up to 15 digits (no NUL) */
#define WG_CALL_E164_MIN_DIGITS 7     /* the server's shortest numbers */
#define WG_CALL_ID_MAX 64             /* MeetingId / TransactionId, with NUL */
#define WG_CALL_TOKEN_MAX 256         /* JoinToken, with NUL (server: 128) */

enum wg_call_state {
    WG_CALL_IDLE = 0,
    WG_CALL_DIALING,
    WG_CALL_QUEUED,
    WG_CALL_RINGING,
    WG_CALL_CONNECTED,
    WG_CALL_ENDED
};

enum wg_media_state { WG_MEDIA_NONE = 0, WG_MEDIA_NEGOTIATING, WG_MEDIA_ACTIVE };

/* The context. Caller-owned (about 1 KiB); fields are read by the view but
 * only written by wg_call.c. The signal types (enum wg_signal_type) are in
 * wg_contact.h, shared with the video. */
struct wg_call {
    struct wg_contact ct;    /* state (enum wg_call_state), stream, queue, agent, reason,
                                last error, last event id; owner WG_OWNER_CALL */
    enum wg_media_state media;
    bool media_pending;      /* DIALING: MEDIA_ACQUIRE sent, no answer yet */
    bool mic_held;           /* the microphone was granted and not yet released (RTC_BYE) */
    enum wg_media_error media_error; /* why the microphone or the peer failed */
    bool muted;
    bool on_hold;    /* CONNECTED and the agent put the call on hold (signal `hold`) */
    bool hanging_up; /* HTTP_HANGUP sent, no answer nor ENDED event yet */
    unsigned digits_attempt;  /* failed digit requests in a row */
    int64_t digits_retry_at_ms; /* 0: no retry scheduled */
    char number[WG_CALL_E164_MAX + 1];           /* as sent to /api/dial */
    char meeting_id[WG_CALL_ID_MAX];
    char transaction_id[WG_CALL_ID_MAX];
    char join_token[WG_CALL_TOKEN_MAX];
    char remote_digit; /* the last `dtmf` digit from the agent, 0: none */
    bool bridged;      /* the call goes to a phone through a SIP bridge (see above) */
    int sip_status;    /* ENDED: the far end's SIP final code the server gave, 0: none */
    struct wg_dtmf dtmf;
};

/* IDLE, stream CLOSED, media NONE, not muted. fx (caller-owned, outliving
 * c) should not be NULL: the effects would be lost. */
void wg_call_init(struct wg_call *c, struct wg_fx_list *fx);

/* Normalizes a number as typed the way the server does: drops spaces,
 * parentheses, dashes and dots; exactly 10 digits become "+1" and the
 * digits; anything else must be "+", a digit 1-9, then digits, 7 to 15 in
 * all. Writes the E.164 form to out (out_size > WG_CALL_E164_MAX). Returns 0,
 * WG_E_INVAL (NULL, out too small, any other character, wrong shape),
 * WG_E_EMPTY (nothing but separators), WG_E_TOO_LONG (over
 * WG_CALL_NUMBER_INPUT_MAX bytes or over 15 digits). */
int wg_call_normalize_number(const char *in, size_t len, char *out, size_t out_size);

/* User: dial (from IDLE or ENDED; from ENDED everything is reset). The
 * number is validated first (wg_call_normalize_number's codes; nothing
 * changes). -> DIALING with media_pending; emits MEDIA_ACQUIRE{0} (the
 * microphone only). 0, WG_E_STATE or a validation code. */
int wg_call_dial(struct wg_call *c, const char *number, size_t len, int64_t now_ms);

/* Bridge: the microphone was granted. Emits HTTP_DIAL{E.164}. 0 or
 * WG_E_STATE (no microphone was asked for: the bridge releases it). */
int wg_call_media_ready(struct wg_call *c, int64_t now_ms);

/* Bridge: the microphone (while dialing) or the peer connection (later)
 * failed; media_error = err and NOTIFY_ERROR (wg_media_error_code).
 * DIALING with media_pending -> ENDED, reason "microphone", no dial sent.
 * While live: the peer and microphone are released (RTC_BYE, media NONE)
 * and the call goes on, for the user to hang up or the agent to offer
 * again. 0 or WG_E_STATE. */
int wg_call_media_failed(struct wg_call *c, enum wg_media_error err, int64_t now_ms);

/* Server: the dial succeeded. Copies the three strings (borrowed) into the
 * context; emits SSE_OPEN{0}. To an agent: DIALING -> QUEUED. Bridged to a
 * phone (bridged): stays DIALING, now live, and emits RTC_START{1} (media
 * NEGOTIATING). 0, WG_E_STATE (also for a second answer), WG_E_INVAL (NULL
 * or empty string) or WG_E_TOO_LONG (does not fit); on error nothing
 * changes (wg_widget_dial_ok then fails the dial: wg_call_dial_failed). */
int wg_call_dial_ok(struct wg_call *c, const char *meeting_id, const char *transaction_id,
                    const char *join_token, bool bridged, int64_t now_ms);

/* Server: the dial failed. DIALING (the dial sent) -> ENDED, reason
 * "error", last_error = err. 0 or WG_E_STATE. */
int wg_call_dial_failed(struct wg_call *c, enum wg_contact_error err, int64_t now_ms);

/* User: hang up (QUEUED/RINGING/CONNECTED). Emits HTTP_HANGUP once; the call
 * ends (reason "customer_hangup") on wg_call_end_ok or the ENDED event,
 * whichever comes first. Pressing again while that is pending does nothing
 * and returns 0. WG_E_STATE elsewhere (DIALING included: no meeting id yet). */
int wg_call_hangup(struct wg_call *c, int64_t now_ms);

/* Server: the hang-up succeeded. -> ENDED (customer_hangup); 0 and nothing
 * more when the ENDED event came first. WG_E_STATE when no hang-up was sent. */
int wg_call_end_ok(struct wg_call *c, int64_t now_ms);

/* Server: the hang-up failed. ERR_ENDED (409 contact_ended) -> ENDED
 * (customer_hangup); otherwise last_error is set and hanging up may be
 * tried again. 0 (also when already ENDED) or WG_E_STATE. */
int wg_call_end_failed(struct wg_call *c, enum wg_contact_error err, int64_t now_ms);

/* Bridge: the call's user is no longer the person at the device (the page
 * gave a token with another `sub`). A call belongs to the person at the
 * device, so a live one is hung up (HTTP_HANGUP, unless one is on its way
 * already; its answer then finds no call and is refused). Then, from any
 * state: the microphone and peer released (RTC_BYE when held), the stream
 * closed (SSE_CLOSE unless closed), queued digits dropped, every per-call
 * field reset, -> IDLE (NOTIFY_STATE when it was not; no NOTIFY_ENDED). A
 * dial not answered yet has no meeting id to hang up: the bridge hangs up
 * the call its answer names (it is the previous user's). 0 or WG_E_INVAL. */
int wg_call_drop(struct wg_call *c, int64_t now_ms);

/* User: one keypad press. CONNECTED only (else WG_E_STATE); then
 * wg_dtmf_press's codes (WG_E_KEY, WG_E_FULL). When no digits request is in
 * flight or waiting for its retry, emits HTTP_DIGITS with every queued
 * digit (up to 20). */
int wg_call_press(struct wg_call *c, char key, int64_t now_ms);

/* Server: the digits request finished. ok: its digits are gone and the next
 * queued ones go out (HTTP_DIGITS). !ok: last_error = err (NOTIFY_ERROR);
 * ERR_ENDED ends the call ("contact_ended"); ERR_AUTH and ERR_REJECTED
 * drop every queued digit, with no retry (the next press starts afresh);
 * any other error keeps them at the head and schedules a retry at now +
 * wg_stream_backoff_ms(failures in a row). 0 or WG_E_STATE (no request in
 * flight, e.g. the call ended meanwhile). */
int wg_call_digits_done(struct wg_call *c, bool ok, enum wg_contact_error err, int64_t now_ms);

/* User: toggle the microphone (DIALING..CONNECTED; WG_E_STATE elsewhere).
 * Emits MEDIA_MUTE{muted} (also while the microphone is being asked for:
 * the bridge applies it to the track it gets). */
int wg_call_mute_toggle(struct wg_call *c, int64_t now_ms);

/* Bridge: the RTCPeerConnection is connected. NEGOTIATING -> ACTIVE.
 * 0 or WG_E_STATE. */
int wg_call_media_active(struct wg_call *c, int64_t now_ms);

/* Stream opened, failed or dropped: wg_contact_stream_open / _error with
 * the call's liveness (a reopen needs no backfill: the events replay). 0,
 * or WG_E_STATE when no stream was wanted (ignored). */
int wg_call_stream_open(struct wg_call *c, int64_t now_ms);
int wg_call_stream_error(struct wg_call *c, int64_t now_ms);

/* Stream: one event (wg_contact.h's parsed struct; CONTACT_STATE, QUEUE,
 * PARTICIPANT_JOINED, DTMF and DTMF_PLAY are used, others only for their
 * id). Records the id, then applies it. CONTACT_STATE DIALING changes
 * nothing (a bridged call is DIALING already); ENDED keeps its sip_status.
 * DTMF_PLAY, for a bridged call with a peer: emits RTC_DTMF with its digits
 * when every one is a DTMF key (wg_dtmf_key) and there are 1 to
 * WG_DTMF_CHUNK_MAX of them; anything else is ignored. Returns 1 when
 * something shown changed, 0 when not (including events while no call is
 * live), WG_E_INVAL for NULL. */
int wg_call_event(struct wg_call *c, const struct wg_event *ev, int64_t now_ms);

/* Stream: one `signal` event, through wg_contact_signal's gate (arguments,
 * liveness, room: its codes). While the call is live emits
 * RTC_OFFER/ANSWER/CANDIDATE with a copy of the payload (offer and answer
 * move media NONE -> NEGOTIATING), or for bye RTC_BYE and media -> NONE
 * (when there was media). hold (CONNECTED only) sets on_hold and unhold
 * clears it: no effect, the view shows "On hold" and silences the call's
 * audio node; on_hold is also cleared on leaving CONNECTED, at the end and
 * at a reset. Returns 1 when an effect was emitted or on_hold changed. */
int wg_call_signal(struct wg_call *c, int64_t id, enum wg_signal_type type, const char *payload,
                   size_t payload_len, int64_t now_ms);

/* Time passes: fires a due stream retry (SSE_OPEN{last_event_id}) and a due
 * digits retry (HTTP_DIGITS). Returns 1 when something changed. */
int wg_call_tick(struct wg_call *c, int64_t now_ms);

/* The call exists on the server and its stream is wanted: QUEUED, RINGING
 * or CONNECTED, or DIALING once a bridged call's dial was answered. The
 * view asks too. */
bool wg_call_live(const struct wg_call *c);

/* Static names for logs and for c2c:state ("idle", "dialing", ...). */
const char *wg_call_state_name(enum wg_call_state s);

#endif
