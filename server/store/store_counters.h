/* store_counters.h - rate-limit counters in memory, for a store backend
 * whose process owns its data (SQLite in --data: one process at a time).
 *
 * Each counter is a fixed window: the first take after a window ended opens
 * a new one of window_ms, and at most max takes fit in it. Keys are any
 * text; the table keeps a SHA-256 prefix of each, so a key costs 32 bytes
 * whatever its length. The table has a fixed number of entries in sets of
 * a few; when a key's set is full, the entry whose window ends first gives
 * way (an expired one first), so the memory is bounded and a flood of new
 * keys can at worst make an old counter start again at 0. A Redis backend
 * does the same with INCR and PEXPIRE and needs none of this. */
#ifndef EDGE_STORE_COUNTERS_H
#define EDGE_STORE_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

typedef struct edge__counters edge__counters;

/* A table of capacity entries (a power of two, at least 4). Never NULL. */
edge__counters *edge__counters_new(size_t capacity);
void edge__counters_free(edge__counters *c);

/* Take one unit of key's counter (max >= 1, window_ms >= 1): 0 when taken,
 * or EDGE_STORE_ELIMITED with *retry_after_ms (>= 1) until its window
 * ends. A clock that went back starts a new window. */
int edge__counters_take(edge__counters *c, const char *key, uint32_t max, int64_t window_ms,
                        int64_t now_ms, int64_t *retry_after_ms);

#endif
