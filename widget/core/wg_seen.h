/* wg_seen.h - what the customer has seen of a chat, and the "New messages"
 * marker after a reload, as a pure function of its inputs.
 *
 * The bridge keeps, per widget and contact, the Id of the newest message
 * the customer has seen (localStorage) and gives it back when the chat's
 * start answers (wg_seen_reset). Once the transcript holds that message,
 * the marker goes before the first message newer than it (a higher Seq),
 * when there is one. The customer sees the messages when they send, or
 * while the panel is open and focus is in the widget: then the marker goes
 * away and, when a newer message than the one stored is held, STORE_SEEN
 * (owner CHAT, text = its Id) asks the bridge to store it. The core decides;
 * the bridge only stores and passes the Id. No allocation, no I/O. */
#ifndef WG_SEEN_H
#define WG_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_fx.h"
#include "wg_transcript.h"

struct wg_seen {
    char stored[WG_TR_ID_MAX]; /* the stored Id, until the transcript holds it; "" none */
    int64_t seen_seq;          /* the newest message seen (its Seq); 0: none known */
    int64_t marker_seq;        /* the marker goes before the first message after it; 0: none */
};

/* A chat's start answered: forget the previous chat's, and wait for the
 * message id[0..len) (the stored one; NULL/0 or too long: none). */
void wg_seen_reset(struct wg_seen *s, const char *id, size_t len);

/* After any input: resolves the stored Id once t holds it (the marker then
 * goes after it), and when looking (the customer sent, or the panel is open
 * and focused) clears the marker and pushes STORE_SEEN{newest message's Id}
 * to fx when that message is newer than the one seen. Returns 1 when the
 * marker changed. */
int wg_seen_update(struct wg_seen *s, const struct wg_transcript *t, struct wg_fx_list *fx,
                   bool looking);

/* Where the marker goes: before m, a message of the log in order, when it
 * is the first one after marker_seq (prev: the one before it, NULL: none). */
bool wg_seen_marker_before(const struct wg_seen *s, const struct wg_tr_view *m,
                           const struct wg_tr_view *prev);

#endif
