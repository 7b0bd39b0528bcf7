/* wg_stream.h - the event-stream connection, as the chat and the call see it.
 *
 * Both state machines keep one Server-Sent Events stream open while their
 * contact is live and reopen it after a drop, waiting 1 s, then doubling up
 * to 30 s, timed from the input clock and reset once it is open again. This
 * module owns that sub-state and its transitions; the machines only turn
 * the answers into their own effects (open or close the stream), so the
 * rule exists once. Pure C, no clock: times come in as arguments. */
#ifndef WG_STREAM_H
#define WG_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#define WG_STREAM_BACKOFF_FIRST_MS 1000
#define WG_STREAM_BACKOFF_MAX_MS 30000

enum wg_conn_state { WG_CONN_CLOSED = 0, WG_CONN_CONNECTING, WG_CONN_OPEN, WG_CONN_RETRYING };

struct wg_stream {
    enum wg_conn_state conn;
    bool was_open;          /* open at least once since the last reset */
    unsigned retry_attempt; /* drops in a row, for the backoff */
    int64_t retry_at_ms;    /* when RETRYING: the time to reopen */
};

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

#endif
