/* store_counters.c - the fixed-window counter table of store_counters.h.
 *
 * Sets of WAYS entries chosen by the first bytes of the key's SHA-256; an
 * entry is its key's digest prefix, when its window ends and how many
 * units were taken in it. */
#include "store/store_counters.h"

#include <mbedtls/sha256.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "store/store.h"

#define WAYS 4
#define DIGEST_BYTES 16

typedef struct counter {
    unsigned char digest[DIGEST_BYTES];
    int64_t ends_ms; /* 0: unused */
    uint32_t taken;
} counter;

struct edge__counters {
    counter *entries; /* owned, capacity of them */
    size_t capacity;
};

edge__counters *edge__counters_new(size_t capacity)
{
    if (capacity < WAYS || (capacity & (capacity - 1)) != 0)
        abort(); /* a programming error: the size is a constant */
    edge__counters *c = edge_xcalloc(1, sizeof(*c));
    c->entries = edge_xcalloc(capacity, sizeof(*c->entries));
    c->capacity = capacity;
    return c;
}

void edge__counters_free(edge__counters *c)
{
    if (c == NULL)
        return;
    free(c->entries);
    free(c);
}

/* The entry for digest: its own, else an unused or expired one of its set,
 * else the one whose window ends first (reset by the caller). */
static counter *place_for(edge__counters *c, const unsigned char *digest, int64_t now_ms)
{
    uint64_t h = 0;
    memcpy(&h, digest, sizeof(h));
    counter *set = &c->entries[(size_t)(h % (c->capacity / WAYS)) * WAYS];
    for (size_t i = 0; i < WAYS; i++)
        if (set[i].ends_ms != 0 && memcmp(set[i].digest, digest, DIGEST_BYTES) == 0)
            return &set[i];
    counter *first_to_end = &set[0];
    for (size_t i = 0; i < WAYS; i++) {
        if (set[i].ends_ms == 0 || set[i].ends_ms <= now_ms)
            return &set[i];
        if (set[i].ends_ms < first_to_end->ends_ms)
            first_to_end = &set[i];
    }
    return first_to_end;
}

int edge__counters_take(edge__counters *c, const char *key, uint32_t max, int64_t window_ms,
                        int64_t now_ms, int64_t *retry_after_ms)
{
    unsigned char full[32];
    mbedtls_sha256_ret((const unsigned char *)key, strlen(key), full, 0);
    counter *e = place_for(c, full, now_ms);
    int mine = e->ends_ms != 0 && memcmp(e->digest, full, DIGEST_BYTES) == 0;
    /* A new window: another key's entry, an expired window, or a clock
     * that went back further than a window. */
    if (!mine || now_ms >= e->ends_ms || e->ends_ms - now_ms > window_ms) {
        memcpy(e->digest, full, DIGEST_BYTES);
        e->ends_ms = now_ms + window_ms;
        e->taken = 0;
    }
    if (e->taken >= max) {
        *retry_after_ms = e->ends_ms - now_ms;
        return EDGE_STORE_ELIMITED;
    }
    e->taken++;
    *retry_after_ms = 0;
    return 0;
}
