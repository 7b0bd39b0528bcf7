/* wg_stream.c - see wg_stream.h. */
#include "wg_stream.h"

#include "wg_err.h"

#define WG_STREAM_ATTEMPTS_MAX 32 /* the backoff is at its ceiling long before */

void wg_stream_reset(struct wg_stream *s)
{
    s->conn = WG_CONN_CLOSED;
    s->was_open = false;
    s->retry_attempt = 0;
    s->retry_at_ms = 0;
}

bool wg_stream_close(struct wg_stream *s)
{
    bool was_closed = s->conn == WG_CONN_CLOSED;
    s->conn = WG_CONN_CLOSED;
    s->retry_attempt = 0;
    s->retry_at_ms = 0;
    return !was_closed;
}

void wg_stream_connect(struct wg_stream *s)
{
    s->conn = WG_CONN_CONNECTING;
}

bool wg_stream_opened(struct wg_stream *s)
{
    bool reopen = s->was_open;
    s->conn = WG_CONN_OPEN;
    s->was_open = true;
    s->retry_attempt = 0;
    s->retry_at_ms = 0;
    return reopen;
}

bool wg_stream_failed(struct wg_stream *s, int64_t now_ms)
{
    if (s->conn == WG_CONN_RETRYING)
        return false;
    s->conn = WG_CONN_RETRYING;
    s->retry_at_ms = wg_stream_retry_at(&s->retry_attempt, now_ms);
    return true;
}

bool wg_stream_retry_due(struct wg_stream *s, int64_t now_ms)
{
    if (s->conn != WG_CONN_RETRYING || now_ms < s->retry_at_ms)
        return false;
    s->conn = WG_CONN_CONNECTING;
    return true;
}

int64_t wg_stream_backoff_ms(unsigned attempt)
{
    int64_t d = WG_STREAM_BACKOFF_FIRST_MS;
    for (unsigned i = 0; i < attempt && d < WG_STREAM_BACKOFF_MAX_MS; i++)
        d *= 2;
    return d > WG_STREAM_BACKOFF_MAX_MS ? WG_STREAM_BACKOFF_MAX_MS : d;
}

int64_t wg_stream_retry_at(unsigned *attempt, int64_t now_ms)
{
    int64_t at = now_ms + wg_stream_backoff_ms(*attempt);
    if (*attempt < WG_STREAM_ATTEMPTS_MAX)
        (*attempt)++;
    return at;
}

/* ---- the machines' stream inputs and effects ---- */

void wg_stream_start(struct wg_stream *s, struct wg_fx_list *fx, enum wg_owner owner,
                     int64_t last_event_id)
{
    wg_stream_connect(s);
    wg_fx_push(fx, WG_FX_SSE_OPEN, owner, last_event_id);
}

void wg_stream_stop(struct wg_stream *s, struct wg_fx_list *fx, enum wg_owner owner)
{
    if (wg_stream_close(s))
        wg_fx_push(fx, WG_FX_SSE_CLOSE, owner, 0);
}

int wg_stream_report_open(struct wg_stream *s, bool wanted)
{
    if (!wanted || s->conn == WG_CONN_CLOSED)
        return WG_E_STATE;
    return wg_stream_opened(s) ? 1 : 0;
}

int wg_stream_report_error(struct wg_stream *s, bool wanted, struct wg_fx_list *fx,
                           enum wg_owner owner, int64_t now_ms)
{
    if (!wanted || s->conn == WG_CONN_CLOSED)
        return WG_E_STATE;
    if (wg_stream_failed(s, now_ms)) /* else: a late error from the closed stream */
        wg_fx_push(fx, WG_FX_SSE_CLOSE, owner, 0);
    return WG_OK;
}

int wg_stream_tick(struct wg_stream *s, struct wg_fx_list *fx, enum wg_owner owner,
                   int64_t last_event_id, int64_t now_ms)
{
    if (!wg_stream_retry_due(s, now_ms))
        return 0;
    wg_fx_push(fx, WG_FX_SSE_OPEN, owner, last_event_id);
    return 1;
}

void wg_stream_note_id(int64_t *last_event_id, int64_t id)
{
    if (id > *last_event_id)
        *last_event_id = id;
}
