/* wg_dtmf.c - DTMF key validation, pending FIFO and coalescing (see
 * wg_dtmf.h). */
#include "wg_dtmf.h"

#include <string.h>

#include "wg_err.h"

void wg_dtmf_init(struct wg_dtmf *d)
{
    if (d)
        memset(d, 0, sizeof(*d));
}

char wg_dtmf_key(char c)
{
    if ((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D'))
        return c;
    if (c >= 'a' && c <= 'd')
        return (char)(c - 'a' + 'A');
    return 0;
}

int wg_dtmf_press(struct wg_dtmf *d, char key)
{
    if (!d)
        return WG_E_INVAL;
    char k = wg_dtmf_key(key);
    if (!k)
        return WG_E_KEY;
    if (d->count == WG_DTMF_QUEUE_MAX)
        return WG_E_FULL;
    d->queue[(d->head + d->count) % WG_DTMF_QUEUE_MAX] = k;
    d->count++;
    size_t n = strlen(d->shown);
    if (n == WG_DTMF_SHOWN_MAX) {
        memmove(d->shown, d->shown + 1, n - 1);
        n--;
    }
    d->shown[n] = k;
    d->shown[n + 1] = '\0';
    return WG_OK;
}

size_t wg_dtmf_pending(const struct wg_dtmf *d)
{
    return d ? d->count : 0;
}

int wg_dtmf_take(struct wg_dtmf *d, char *out, size_t out_size, size_t max_chars)
{
    if (!d || !out || out_size < 2 || max_chars == 0)
        return WG_E_INVAL;
    if (d->in_flight)
        return WG_E_BUSY;
    size_t n = d->count;
    if (n > max_chars)
        n = max_chars;
    if (n > WG_DTMF_CHUNK_MAX)
        n = WG_DTMF_CHUNK_MAX;
    if (n > out_size - 1)
        n = out_size - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = d->queue[(d->head + i) % WG_DTMF_QUEUE_MAX];
    out[n] = '\0';
    d->in_flight = n;
    return (int)n;
}

int wg_dtmf_done(struct wg_dtmf *d, bool ok)
{
    if (!d)
        return WG_E_INVAL;
    if (!d->in_flight)
        return WG_E_STATE;
    if (ok) {
        d->head = (d->head + d->in_flight) % WG_DTMF_QUEUE_MAX;
        d->count -= d->in_flight;
    }
    d->in_flight = 0;
    return WG_OK;
}

const char *wg_dtmf_shown(const struct wg_dtmf *d)
{
    return d ? d->shown : "";
}
