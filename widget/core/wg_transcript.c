/* wg_transcript.c - ordered, de-duplicated, fixed-capacity transcript (see
 * wg_transcript.h for the memory and overflow rules).
 *
 * Sizes are small (a widget shows tens to a few hundred messages), so a
 * sorted array with linear Id search and memmove insertion is simpler and
 * fast enough; the arena is compacted in place when its tail runs out. */
#include "wg_transcript.h"

#include <string.h>

#include "c2c_str.h"
#include "wg_err.h"

/* <0 when a sorts before b. Ids compare on the stored (possibly truncated)
 * form so that the order is the same whatever was passed in. */
static int cmp_key(int64_t seq_a, int64_t time_a, const char *id_a, const struct wg_tr_entry *b)
{
    if (seq_a != b->seq)
        return seq_a < b->seq ? -1 : 1;
    if (time_a != b->time_ms)
        return time_a < b->time_ms ? -1 : 1;
    return strcmp(id_a, b->id);
}

int wg_transcript_init(struct wg_transcript *t, struct wg_tr_entry *items, size_t cap, char *arena,
                       size_t arena_cap)
{
    if (!t || !items || !arena || cap == 0 || arena_cap == 0)
        return WG_E_INVAL;
    t->items = items;
    t->cap = cap;
    t->arena = arena;
    t->arena_cap = arena_cap;
    wg_transcript_clear(t);
    return WG_OK;
}

void wg_transcript_clear(struct wg_transcript *t)
{
    if (!t)
        return;
    t->count = 0;
    t->arena_used = 0;
    t->dropped = 0;
    t->last_seq = 0;
}

static void drop_oldest(struct wg_transcript *t)
{
    memmove(&t->items[0], &t->items[1], (t->count - 1) * sizeof(t->items[0]));
    t->count--;
    t->dropped++;
}

/* Packs live contents to the front of the arena. They are moved in order of
 * their current offset (not list order, which differs after a backfill), so
 * each move goes down into space already freed and never over a content
 * not yet moved. O(n^2) on a list of tens to hundreds: fine, and rare. */
static void compact(struct wg_transcript *t)
{
    size_t used = 0;
    for (;;) {
        /* The unmoved content with the lowest offset; moved ones sit below
         * `used`, unmoved ones at or above it. */
        size_t best = t->count;
        for (size_t i = 0; i < t->count; i++) {
            size_t off = t->items[i].content_off;
            if (off >= used && (best == t->count || off < t->items[best].content_off))
                best = i;
        }
        if (best == t->count)
            break;
        struct wg_tr_entry *e = &t->items[best];
        if (e->content_off != used)
            memmove(t->arena + used, t->arena + e->content_off, e->content_len + 1);
        e->content_off = used;
        used += e->content_len + 1;
    }
    t->arena_used = used;
}

int wg_transcript_add(struct wg_transcript *t, const struct wg_msg *m)
{
    if (!t || !m || !m->id || !m->id[0] || (!m->content && m->content_len))
        return WG_E_INVAL;
    size_t need = m->content_len + 1;
    if (need > t->arena_cap || need == 0)
        return WG_E_TOO_BIG;

    char id[WG_TR_ID_MAX];
    c2c_copy_str(id, sizeof(id), m->id);
    if (wg_transcript_has(t, id))
        return 0;
    if (m->seq > t->last_seq)
        t->last_seq = m->seq;

    /* Make room: entries first, then arena. A message that would be the
     * oldest of a full store is the one dropped. */
    if (t->count == t->cap) {
        if (cmp_key(m->seq, m->time_ms, id, &t->items[0]) < 0) {
            t->dropped++;
            return 0;
        }
        drop_oldest(t);
    }
    while (t->arena_cap - t->arena_used < need) {
        compact(t);
        if (t->arena_cap - t->arena_used >= need)
            break;
        if (t->count == 0)
            break; /* cannot happen: need <= arena_cap */
        if (cmp_key(m->seq, m->time_ms, id, &t->items[0]) < 0) {
            t->dropped++;
            return 0;
        }
        drop_oldest(t);
    }

    /* Binary search for the insertion point. */
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_key(m->seq, m->time_ms, id, &t->items[mid]) < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    memmove(&t->items[lo + 1], &t->items[lo], (t->count - lo) * sizeof(t->items[0]));
    struct wg_tr_entry *e = &t->items[lo];
    memcpy(e->id, id, sizeof(id));
    c2c_copy_str(e->display_name, sizeof(e->display_name), m->display_name);
    c2c_copy_str(e->content_type, sizeof(e->content_type), m->content_type);
    e->seq = m->seq;
    e->time_ms = m->time_ms;
    e->role = m->role;
    e->content_off = t->arena_used;
    e->content_len = m->content_len;
    if (m->content_len)
        memcpy(t->arena + t->arena_used, m->content, m->content_len);
    t->arena[t->arena_used + m->content_len] = '\0';
    t->arena_used += need;
    t->count++;
    return 1;
}

int wg_transcript_add_page(struct wg_transcript *t, const struct wg_msg *msgs, size_t n)
{
    if (!t || (!msgs && n))
        return WG_E_INVAL;
    int added = 0;
    for (size_t i = 0; i < n; i++)
        if (wg_transcript_add(t, &msgs[i]) == 1)
            added++;
    return added;
}

int64_t wg_transcript_last_seq(const struct wg_transcript *t)
{
    return t ? t->last_seq : 0;
}

size_t wg_transcript_count(const struct wg_transcript *t)
{
    return t ? t->count : 0;
}

uint64_t wg_transcript_dropped(const struct wg_transcript *t)
{
    return t ? t->dropped : 0;
}

/* The held entry with this Id, or NULL. */
static const struct wg_tr_entry *find(const struct wg_transcript *t, const char *id)
{
    if (!t || !id)
        return NULL;
    char key[WG_TR_ID_MAX];
    c2c_copy_str(key, sizeof(key), id);
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->items[i].id, key) == 0)
            return &t->items[i];
    return NULL;
}

bool wg_transcript_has(const struct wg_transcript *t, const char *id)
{
    return find(t, id) != NULL;
}

int64_t wg_transcript_seq_of(const struct wg_transcript *t, const char *id)
{
    const struct wg_tr_entry *e = find(t, id);
    return e ? e->seq : 0;
}

int wg_transcript_at(const struct wg_transcript *t, size_t i, struct wg_tr_view *v)
{
    if (!t || !v || i >= t->count)
        return WG_E_INVAL;
    const struct wg_tr_entry *e = &t->items[i];
    v->id = e->id;
    v->display_name = e->display_name;
    v->content_type = e->content_type;
    v->content = t->arena + e->content_off;
    v->content_len = e->content_len;
    v->seq = e->seq;
    v->time_ms = e->time_ms;
    v->role = e->role;
    return WG_OK;
}

bool wg_transcript_next(const struct wg_transcript *t, size_t *pos, struct wg_tr_view *v)
{
    if (!pos || wg_transcript_at(t, *pos, v) != WG_OK)
        return false;
    (*pos)++;
    return true;
}
