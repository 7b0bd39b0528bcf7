/* wg_stream.h - the event-stream connection, as the chat and the call see it.
 *
 * Both state machines keep one Server-Sent Events stream open while their
 * contact is live and reopen it after a drop, waiting 1 s, then doubling up
 * to 30 s, timed from the input clock and reset once it is open again. This
 * module owns that sub-state, its transitions and the effects that go with
 * them (SSE_OPEN, SSE_CLOSE, with the machine's owner), and the Last-Event-ID
 * rule; the machines only say whether they want a stream and what a reopen
 * means to them, so the rule exists once. Pure C, no clock: times come in
 * as arguments. */
#ifndef WG_STREAM_H
#define WG_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "wg_fx.h"

#define WG_STREAM_BACKOFF_FIRST_MS 1000
#define WG_STREAM_BACKOFF_MAX_MS 30000

enum wg_conn_state { WG_CONN_CLOSED = 0, WG_CONN_CONNECTING, WG_CONN_OPEN, WG_CONN_RETRYING };

struct wg_stream {
    enum wg_conn_state conn;
    bool was_open;          /* open at least once since the last reset */
    unsigned retry_attempt; /* drops in a row, for the backoff */
    int64_t retry_at_ms;    /* when RETRYING: the time to reopen */
};

/* ---- the sub-state ---- */

/* Everything cleared, as for a new contact. */
void wg_stream_reset(struct wg_stream *s);

/* Closed (the contact ended). Returns true when it was not closed already,
 * i.e. the caller must tell the bridge to close the stream. */
bool wg_stream_close(struct wg_stream *s);

/* The caller is asking the bridge to open the stream now. */
void wg_stream_connect(struct wg_stream *s);

/* The bridge reports the stream open: the backoff resets. Returns true when
 * this is a reopen after a drop (callers may backfill what they missed). */
bool wg_stream_opened(struct wg_stream *s);

/* The bridge reports the stream broken at now_ms. Returns true when a retry
 * was newly scheduled (the caller tells the bridge to close what is left);
 * false when one was already pending (a late error from the old stream). */
bool wg_stream_failed(struct wg_stream *s, int64_t now_ms);

/* From the tick: true when a scheduled retry is due; the stream is then
 * CONNECTING and the caller asks the bridge to open it. */
bool wg_stream_retry_due(struct wg_stream *s, int64_t now_ms);

/* The wait before retry number attempt (0-based): 1 s doubling to 30 s. */
int64_t wg_stream_backoff_ms(unsigned attempt);

/* A request failed at now_ms: counts the failure in *attempt (failures in a
 * row, capped far above the backoff's ceiling) and returns when to retry,
 * now_ms + wg_stream_backoff_ms(the count before). The stream's own retries
 * use it; so do the call's keypad digits. */
int64_t wg_stream_retry_at(unsigned *attempt, int64_t now_ms);

/* ---- the machines' stream inputs and effects ----
 * For wg_chat and wg_call alike: fx is the machine's effect list, owner its
 * WG_OWNER_*, wanted whether its contact is live (a stream belongs open). */

/* Asks the bridge to open the stream, replaying after last_event_id:
 * CONNECTING, and SSE_OPEN{last_event_id}. */
void wg_stream_start(struct wg_stream *s, struct wg_fx_list *fx, enum wg_owner owner,
                     int64_t last_event_id);

/* The contact ended: CLOSED, and SSE_CLOSE unless it was closed already. */
void wg_stream_stop(struct wg_stream *s, struct wg_fx_list *fx, enum wg_owner owner);

/* The bridge reports the stream open. Returns 1 for a reopen after a drop
 * (the caller may backfill), 0 for the first open, WG_E_STATE (nothing
 * changed) when no stream is wanted or it is closed. */
int wg_stream_report_open(struct wg_stream *s, bool wanted);

/* The bridge reports the stream failed or dropped at now_ms: schedules a
 * retry at now_ms + wg_stream_backoff_ms(attempt) and emits SSE_CLOSE,
 * unless a retry is already pending (a late error from the closed stream:
 * nothing more). 0, or WG_E_STATE (nothing changed) when no stream is wanted
 * or it is closed. */
int wg_stream_report_error(struct wg_stream *s, bool wanted, struct wg_fx_list *fx,
                           enum wg_owner owner, int64_t now_ms);

/* Time passes: when a scheduled retry is due, CONNECTING and
 * SSE_OPEN{last_event_id}. Returns 1 then, else 0. */
int wg_stream_tick(struct wg_stream *s, struct wg_fx_list *fx, enum wg_owner owner,
                   int64_t last_event_id, int64_t now_ms);

/* An event (or signal) with SSE id arrived: *last_event_id, the id a reopen
 * replays after, becomes id when id is newer. It never goes back: a replayed
 * or id-less (0) event leaves it. */
void wg_stream_note_id(int64_t *last_event_id, int64_t id);

#endif
