/* token_cache.h - remembers tokens that have already been verified.
 *
 * ES256 verification costs about a millisecond with mbedTLS, and a client
 * presents the same token on every request until it expires, so each
 * verified token's identity is kept until the token would stop verifying.
 * Entries are keyed by the SHA-256 of the whole token: the token text is
 * never stored, and a token can only be found by presenting all of it.
 *
 * The table has a fixed size chosen at creation, so memory is bounded. It is
 * set-associative (each token can live in one of eight slots: two sets of
 * four, both picked by its hash); when all eight are taken, the entry that
 * expires first is replaced, as it has the least remaining use. Only verified tokens are ever added, so
 * filling the cache requires many genuinely valid tokens. */
#ifndef EDGE_TOKEN_CACHE_H
#define EDGE_TOKEN_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/identity.h"

typedef struct edge_token_cache edge_token_cache;

/* A cache for at least capacity entries (rounded up to a power of two,
 * minimum 4). Never NULL; free with edge_token_cache_free. */
edge_token_cache *edge_token_cache_create(size_t capacity);
void edge_token_cache_free(edge_token_cache *c);

/* Look token (len bytes) up at time now. Returns 1 and copies the identity
 * into *out on a hit, 0 on a miss (absent, or expired and now dropped).
 * Counts the hit or miss. */
int edge_token_cache_get(edge_token_cache *c, const char *token, size_t len, int64_t now,
                         edge_identity *out);

/* Remember id for token until valid_until (exclusive, seconds since the
 * epoch). now is used to prefer expired slots when making room. The
 * identity is copied. */
void edge_token_cache_put(edge_token_cache *c, const char *token, size_t len,
                          const edge_identity *id, int64_t valid_until, int64_t now);

/* Drop every entry (key reload). The hit/miss counters are kept. */
void edge_token_cache_clear(edge_token_cache *c);

/* Counters and occupancy. */
uint64_t edge_token_cache_hits(const edge_token_cache *c);
uint64_t edge_token_cache_misses(const edge_token_cache *c);
size_t edge_token_cache_size(const edge_token_cache *c);

#endif
