/* wg_dtmf.h - the DTMF keypad's logic: which keys are valid, the digits
 * waiting to be sent (in press order), and coalescing them into requests.
 *
 * The server takes 1..20 digits per request (POST /api/update, `digit`), and
 * a fast typist presses keys faster than a round trip, so digits pressed
 * while one request is in flight queue up and go out together in the next
 * one. Only one request is in flight at a time, which keeps the order. A
 * failed request keeps its digits at the head of the queue for a retry.
 * Fixed capacity, no allocation; the struct is caller-owned. */
#ifndef WG_DTMF_H
#define WG_DTMF_H

#include <stdbool.h>
#include <stddef.h>

#define WG_DTMF_QUEUE_MAX 64 /* digits pending (not yet confirmed sent) */
#define WG_DTMF_CHUNK_MAX 20 /* digits per request, the server's limit */
#define WG_DTMF_SHOWN_MAX 24 /* last digits pressed, for the display */

struct wg_dtmf {
    char queue[WG_DTMF_QUEUE_MAX]; /* ring buffer */
    size_t head, count;
    size_t in_flight; /* digits at the head handed out by wg_dtmf_take, 0 = none */
    char shown[WG_DTMF_SHOWN_MAX + 1];
};

/* Empties the pad. */
void wg_dtmf_init(struct wg_dtmf *d);

/* The canonical key for c: '0'-'9', '*', '#', 'A'-'D' (a-d are accepted and
 * upper-cased); 0 when c is not a DTMF key. */
char wg_dtmf_key(char c);

/* Queues one key press and appends it to the shown digits. Returns 0,
 * WG_E_KEY for an invalid key (nothing queued), WG_E_FULL when
 * WG_DTMF_QUEUE_MAX digits already wait, WG_E_INVAL for NULL d. */
int wg_dtmf_press(struct wg_dtmf *d, char key);

/* Digits waiting, including any in flight. */
size_t wg_dtmf_pending(const struct wg_dtmf *d);

/* Hands out the next request: copies up to min(max_chars, 20) queued digits,
 * oldest first, into out (NUL-terminated; out_size must be > that count) and
 * marks them in flight. Returns how many (0 when nothing waits), WG_E_BUSY
 * while an earlier take is unconfirmed, WG_E_INVAL for bad arguments
 * (max_chars 0, out too small for one digit). */
int wg_dtmf_take(struct wg_dtmf *d, char *out, size_t out_size, size_t max_chars);

/* Confirms the in-flight request: ok removes its digits; !ok keeps them at
 * the head for the next take. Returns 0, or WG_E_STATE when nothing is in
 * flight. */
int wg_dtmf_done(struct wg_dtmf *d, bool ok);

/* The last WG_DTMF_SHOWN_MAX digits pressed, oldest first (for the pad's
 * display); points into d. */
const char *wg_dtmf_shown(const struct wg_dtmf *d);

#endif
