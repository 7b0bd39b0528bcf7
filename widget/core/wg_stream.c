/* wg_stream.c - see wg_stream.h. */
#include "wg_stream.h"

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
    s->retry_at_ms = now_ms + wg_stream_backoff_ms(s->retry_attempt);
    if (s->retry_attempt < WG_STREAM_ATTEMPTS_MAX)
        s->retry_attempt++;
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
