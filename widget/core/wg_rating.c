/* wg_rating.c - the rating step after a chat (see wg_rating.h). */
#include "wg_rating.h"

#include "c2c_utf8.h"
#include "wg_err.h"

void wg_rating_reset(struct wg_rating *r)
{
    r->state = WG_RATE_ASK;
    r->score = 0;
    r->error = WG_CONTACT_ERR_NONE;
}

int wg_rating_pick(struct wg_rating *r, const char *text, size_t len)
{
    if (r->state != WG_RATE_ASK)
        return WG_E_STATE;
    if (!text || len != 1 || text[0] < '1' || text[0] > '5')
        return WG_E_INVAL;
    r->score = text[0] - '0';
    return WG_OK;
}

int wg_rating_skip(struct wg_rating *r)
{
    if (r->state != WG_RATE_ASK)
        return WG_E_STATE;
    r->state = WG_RATE_SKIPPED;
    return WG_OK;
}

int wg_rating_send(struct wg_rating *r, struct wg_fx_list *fx, const char *text, size_t len)
{
    if (r->state != WG_RATE_ASK || !r->score)
        return WG_E_STATE;
    if (!text)
        len = 0;
    if (c2c_utf8_count(text, len) > WG_RATE_COMMENT_MAX || !c2c_utf8_valid(text, len))
        return WG_E_TOO_LONG;
    int rc = wg_fx_push_text(fx, WG_FX_HTTP_RATE, WG_OWNER_CHAT, r->score, text, len);
    if (rc == WG_OK) {
        r->state = WG_RATE_SENDING;
        r->error = WG_CONTACT_ERR_NONE;
    }
    return rc;
}

int wg_rating_done(struct wg_rating *r, enum wg_contact_error err)
{
    if (r->state != WG_RATE_SENDING)
        return WG_E_STATE;
    bool done = err == WG_CONTACT_ERR_NONE || err == WG_CONTACT_ERR_RATED;
    r->state = done ? WG_RATE_DONE : WG_RATE_ASK;
    r->error = done ? WG_CONTACT_ERR_NONE : err;
    return WG_OK;
}
