/* token_cache.c - fixed-size, 4-way set-associative verified-token cache
 * with two candidate sets per token.
 *
 * Chosen over a hash map plus LRU list because it needs no per-entry
 * allocation, has O(1) worst-case operations and bounds memory by
 * construction; see token_cache.h for the eviction rule. Each token may
 * live in either of two sets picked by independent bits of its digest
 * ("two choices"): with one set per token, sets that happen to receive more
 * than four live tokens evicted some while the cache was only half full
 * (about 4% of 2,000 tokens in a 4,096-entry cache kept missing, and an
 * ES256 miss costs a millisecond of verification); with two, overflow
 * before the cache is nearly full is rare. */
#include "auth/token_cache.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "auth/sha256.h"
#include "common/mem.h"

#define CACHE_WAYS 4
#define CACHE_DIGEST 32

typedef struct cache_entry {
    unsigned char digest[CACHE_DIGEST]; /* SHA-256 of the token */
    int used;
    int64_t valid_until; /* exclusive */
    edge_identity id;
} cache_entry;

struct edge_token_cache {
    cache_entry *slots; /* sets * CACHE_WAYS entries, owned */
    size_t sets;        /* power of two */
    size_t size;        /* entries in use */
    uint64_t hits;
    uint64_t misses;
};

edge_token_cache *edge_token_cache_create(size_t capacity)
{
    edge_token_cache *c = edge_xcalloc(1, sizeof(*c));
    size_t sets = 1;
    while (sets * CACHE_WAYS < capacity)
        sets *= 2;
    c->sets = sets;
    c->slots = edge_xcalloc(sets * CACHE_WAYS, sizeof(cache_entry));
    return c;
}

void edge_token_cache_free(edge_token_cache *c)
{
    if (c == NULL)
        return;
    free(c->slots);
    free(c);
}

/* Hash the token; set the first slots of its two sets (equal when the
 * cache has a single set). */
static void cache_sets(edge_token_cache *c, const char *token, size_t len,
                       unsigned char digest[CACHE_DIGEST], cache_entry *set[2])
{
    edge_sha256(token, len, digest);
    size_t h1 = 0, h2 = 0;
    for (size_t i = 0; i < sizeof(size_t); i++) {
        h1 = (h1 << 8) | digest[i];
        h2 = (h2 << 8) | digest[sizeof(size_t) + i];
    }
    set[0] = &c->slots[(h1 & (c->sets - 1)) * CACHE_WAYS];
    set[1] = &c->slots[(h2 & (c->sets - 1)) * CACHE_WAYS];
}

static void cache_drop(edge_token_cache *c, cache_entry *e)
{
    mbedtls_platform_zeroize(e, sizeof(*e));
    c->size--;
}

int edge_token_cache_get(edge_token_cache *c, const char *token, size_t len, int64_t now,
                         edge_identity *out)
{
    unsigned char digest[CACHE_DIGEST];
    cache_entry *set[2];
    cache_sets(c, token, len, digest, set);
    for (int k = 0; k < (set[0] == set[1] ? 1 : 2); k++) {
        for (size_t i = 0; i < CACHE_WAYS; i++) {
            cache_entry *e = &set[k][i];
            if (!e->used || memcmp(e->digest, digest, CACHE_DIGEST) != 0)
                continue;
            if (now >= e->valid_until) {
                cache_drop(c, e);
                c->misses++;
                return 0;
            }
            *out = e->id;
            c->hits++;
            return 1;
        }
    }
    c->misses++;
    return 0;
}

/* The slot to write: the same token, else a free slot, else an expired one,
 * else the one expiring first; in the first set before the second. */
static cache_entry *cache_victim(cache_entry *set[2], const unsigned char *digest, int64_t now)
{
    int nsets = set[0] == set[1] ? 1 : 2;
    cache_entry *best = NULL;
    for (int k = 0; k < nsets; k++) {
        for (size_t i = 0; i < CACHE_WAYS; i++) {
            cache_entry *e = &set[k][i];
            if (e->used && memcmp(e->digest, digest, CACHE_DIGEST) == 0)
                return e;
        }
    }
    for (int k = 0; k < nsets; k++) {
        for (size_t i = 0; i < CACHE_WAYS; i++) {
            cache_entry *e = &set[k][i];
            if (!e->used || now >= e->valid_until)
                return e;
        }
    }
    for (int k = 0; k < nsets; k++) {
        for (size_t i = 0; i < CACHE_WAYS; i++) {
            cache_entry *e = &set[k][i];
            if (best == NULL || e->valid_until < best->valid_until)
                best = e;
        }
    }
    return best;
}

void edge_token_cache_put(edge_token_cache *c, const char *token, size_t len,
                          const edge_identity *id, int64_t valid_until, int64_t now)
{
    unsigned char digest[CACHE_DIGEST];
    cache_entry *set[2];
    if (valid_until <= now)
        return;
    cache_sets(c, token, len, digest, set);
    cache_entry *e = cache_victim(set, digest, now);
    if (!e->used)
        c->size++;
    memcpy(e->digest, digest, CACHE_DIGEST);
    e->used = 1;
    e->valid_until = valid_until;
    e->id = *id;
}

void edge_token_cache_clear(edge_token_cache *c)
{
    mbedtls_platform_zeroize(c->slots, c->sets * CACHE_WAYS * sizeof(cache_entry));
    c->size = 0;
}

uint64_t edge_token_cache_hits(const edge_token_cache *c)
{
    return c->hits;
}

uint64_t edge_token_cache_misses(const edge_token_cache *c)
{
    return c->misses;
}

size_t edge_token_cache_size(const edge_token_cache *c)
{
    return c->size;
}
