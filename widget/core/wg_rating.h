/* wg_rating.h - the rating step after a chat with an agent, as a pure
 * function of its inputs: the score the customer picks (1 to 5), the
 * optional comment sent with it (HTTP_RATE), skipping it, and the answer.
 *
 * States: ASK (a score may be picked, then sent or the step skipped) ->
 * SENDING (HTTP_RATE pushed) -> DONE (sent, or 409 already_rated: another
 * device of the customer's rated the chat), or back to ASK with the error
 * kept for any other failure; ASK -> SKIPPED. The widget embeds one
 * (wg_widget.rating), resets it with each new chat and decides when the
 * step is shown (wg_widget_rating: the chat, which an agent joined, has
 * ended). No allocation, no I/O, no clock. */
#ifndef WG_RATING_H
#define WG_RATING_H

#include <stddef.h>

#include "wg_contact.h"
#include "wg_fx.h"

#define WG_RATE_COMMENT_MAX 1000 /* characters of the optional comment (the server's limit) */

enum wg_rate { WG_RATE_ASK = 0, WG_RATE_SENDING, WG_RATE_DONE, WG_RATE_SKIPPED };

struct wg_rating {
    enum wg_rate state;
    int score;                   /* picked, 1..5; 0: none yet */
    enum wg_contact_error error; /* why the last sending failed; NONE: it did not */
};

/* ASK, no score, no error. */
void wg_rating_reset(struct wg_rating *r);

/* User, in ASK: the score text[0..len), one digit '1' to '5'. 0,
 * WG_E_INVAL or WG_E_STATE. */
int wg_rating_pick(struct wg_rating *r, const char *text, size_t len);

/* User, in ASK: no rating. -> SKIPPED. 0 or WG_E_STATE. */
int wg_rating_skip(struct wg_rating *r);

/* User, in ASK with a score: send it with the comment text[0..len) (NULL
 * or empty: none; valid UTF-8 of at most WG_RATE_COMMENT_MAX characters,
 * else WG_E_TOO_LONG): pushes HTTP_RATE {arg: score, text: comment} to fx.
 * -> SENDING. 0, WG_E_STATE (no score, or not ASK), WG_E_TOO_LONG or
 * WG_E_FULL (nothing pushed). */
int wg_rating_send(struct wg_rating *r, struct wg_fx_list *fx, const char *text, size_t len);

/* The answer to HTTP_RATE: err NONE (sent) or RATED -> DONE; any other
 * error -> ASK with it kept in `error`. 0 or WG_E_STATE (not SENDING). */
int wg_rating_done(struct wg_rating *r, enum wg_contact_error err);

#endif
