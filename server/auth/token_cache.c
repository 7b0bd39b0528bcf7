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
    int64_t valid_until;                /* exclusive */
    edge_identity id;
} cache_entry;

/* A lookup reads the tags of its two sets (eight 8-byte tags, two cache
 * lines) and touches an entry, about 800 bytes, only when its tag matches:
 * with the tags inside the entries a miss in a cold cache read eight
 * scattered entries, which showed with a thousand users taking turns. */
struct edge_token_cache {
    cache_entry *slots; /* sets * CACHE_WAYS entries, owned */
    uint64_t *tags;     /* parallel to slots: a tag of the digest, 0 = unused */
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
    c->tags = edge_xcalloc(sets * CACHE_WAYS, sizeof(uint64_t));
    return c;
}

void edge_token_cache_free(edge_token_cache *c)
{
    if (c == NULL)
        return;
    free(c->slots);
    free(c->tags);
    free(c);
}

/* Where a token may live and how it is recognised: the digest, the index
 * of the first slot of each of its two sets (equal when the cache has a
 * single set), and its tag (never 0). */
typedef struct cache_key {
    unsigned char digest[CACHE_DIGEST];
    size_t set[2];
    uint64_t tag;
} cache_key;

static uint64_t digest_word(const unsigned char *digest, int word)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | digest[8 * word + i];
    return v;
}

static void cache_key_of(const edge_token_cache *c, const char *token, size_t len, cache_key *k)
{
    edge_sha256(token, len, k->digest);
    k->set[0] = (size_t)(digest_word(k->digest, 0) & (c->sets - 1)) * CACHE_WAYS;
    k->set[1] = (size_t)(digest_word(k->digest, 1) & (c->sets - 1)) * CACHE_WAYS;
    k->tag = digest_word(k->digest, 2) | 1;
}

static int cache_nsets(const cache_key *k)
{
    return k->set[0] == k->set[1] ? 1 : 2;
}

/* The slot holding k's token, or -1. */
static long cache_find(const edge_token_cache *c, const cache_key *k)
{
    for (int s = 0; s < cache_nsets(k); s++)
        for (size_t i = k->set[s]; i < k->set[s] + CACHE_WAYS; i++)
            if (c->tags[i] == k->tag && memcmp(c->slots[i].digest, k->digest, CACHE_DIGEST) == 0)
                return (long)i;
    return -1;
}

static void cache_drop(edge_token_cache *c, size_t slot)
{
    mbedtls_platform_zeroize(&c->slots[slot], sizeof(c->slots[slot]));
    c->tags[slot] = 0;
    c->size--;
}

int edge_token_cache_get(edge_token_cache *c, const char *token, size_t len, int64_t now,
                         edge_identity *out)
{
    cache_key k;
    cache_key_of(c, token, len, &k);
    long i = cache_find(c, &k);
    if (i >= 0 && now >= c->slots[i].valid_until) {
        cache_drop(c, (size_t)i);
        i = -1;
    }
    if (i < 0) {
        c->misses++;
        return 0;
    }
    *out = c->slots[i].id;
    c->hits++;
    return 1;
}

/* The slot to write: the same token, else a free slot, else an expired one,
 * else the one expiring first; in the first set before the second. */
static size_t cache_victim(const edge_token_cache *c, const cache_key *k, int64_t now)
{
    long same = cache_find(c, k);
    if (same >= 0)
        return (size_t)same;
    for (int s = 0; s < cache_nsets(k); s++)
        for (size_t i = k->set[s]; i < k->set[s] + CACHE_WAYS; i++)
            if (c->tags[i] == 0 || now >= c->slots[i].valid_until)
                return i;
    size_t best = k->set[0];
    for (int s = 0; s < cache_nsets(k); s++)
        for (size_t i = k->set[s]; i < k->set[s] + CACHE_WAYS; i++)
            if (c->slots[i].valid_until < c->slots[best].valid_until)
                best = i;
    return best;
}

void edge_token_cache_put(edge_token_cache *c, const char *token, size_t len,
                          const edge_identity *id, int64_t valid_until, int64_t now)
{
    if (valid_until <= now)
        return;
    cache_key k;
    cache_key_of(c, token, len, &k);
    size_t slot = cache_victim(c, &k, now);
    if (c->tags[slot] == 0)
        c->size++;
    cache_entry *e = &c->slots[slot];
    memcpy(e->digest, k.digest, CACHE_DIGEST);
    e->valid_until = valid_until;
    e->id = *id;
    c->tags[slot] = k.tag;
}

void edge_token_cache_clear(edge_token_cache *c)
{
    mbedtls_platform_zeroize(c->slots, c->sets * CACHE_WAYS * sizeof(cache_entry));
    memset(c->tags, 0, c->sets * CACHE_WAYS * sizeof(uint64_t));
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
