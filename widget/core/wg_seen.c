/* wg_seen.c - what the customer has seen, and the "New messages" marker
 * (see wg_seen.h for the contract). */
#include "wg_seen.h"

#include <string.h>

#include "wg_err.h"
#include "wg_plain.h"

void wg_seen_reset(struct wg_seen *s, const char *id, size_t len)
{
    memset(s, 0, sizeof(*s));
    if (id && len < sizeof(s->stored)) {
        memcpy(s->stored, id, len);
        s->stored[len] = '\0';
    }
}

/* The newest message held that is not a line of the chat's own (those are
 * written again, under the same Id, only once their events replay). */
static bool newest(const struct wg_transcript *t, struct wg_tr_view *m)
{
    for (size_t i = wg_transcript_count(t); i-- > 0;)
        if (wg_transcript_at(t, i, m) == WG_OK && !wg_plain_own_line(m))
            return true;
    return false;
}

int wg_seen_update(struct wg_seen *s, const struct wg_transcript *t, struct wg_fx_list *fx,
                   bool looking)
{
    int64_t before = s->marker_seq;
    if (s->stored[0]) {
        int64_t seq = wg_transcript_seq_of(t, s->stored);
        if (seq > 0) {
            s->seen_seq = s->marker_seq = seq;
            s->stored[0] = '\0';
        }
    }
    struct wg_tr_view m;
    if (looking) {
        s->stored[0] = '\0';
        s->marker_seq = 0;
        if (newest(t, &m) && m.seq > s->seen_seq) {
            s->seen_seq = m.seq;
            wg_fx_push_copy(fx, WG_FX_STORE_SEEN, WG_OWNER_CHAT, 0, m.id, strlen(m.id));
        }
    }
    return s->marker_seq != before;
}

bool wg_seen_marker_before(const struct wg_seen *s, const struct wg_tr_view *m,
                           const struct wg_tr_view *prev)
{
    return s->marker_seq > 0 && m->seq > s->marker_seq && (!prev || prev->seq <= s->marker_seq);
}
