/* fail_limit.c - the table behind fail_limit.h.
 *
 * Sets of WAYS entries chosen by an FNV-1a hash of the address key (the 4
 * bytes of an IPv4 address, or the first 8 of an IPv6 one, with a family
 * byte in front so the two never collide). Each entry counts failures in a
 * fixed window that starts with the first failure after the last window
 * ended. */
#include "auth/fail_limit.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

#define WAYS 4
#define KEY_MAX 9 /* family byte + up to 8 address bytes */

typedef struct addr_key {
    unsigned char bytes[KEY_MAX];
    size_t len;
} addr_key;

typedef struct entry {
    addr_key key;    /* len 0: unused */
    int64_t started; /* when the current window began, seconds */
    unsigned failures;
} entry;

struct edge_fail_limit {
    entry *entries; /* owned, capacity of them */
    size_t capacity;
    unsigned max_failures;
    int64_t window_s;
};

/* The key for addr: 1, or 0 when addr is not an IPv4 or IPv6 address. */
static int key_of(const char *addr, addr_key *k)
{
    static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    unsigned char raw[16];
    if (inet_pton(AF_INET, addr, raw) == 1) {
        k->bytes[0] = 4;
        memcpy(k->bytes + 1, raw, 4);
        k->len = 5;
        return 1;
    }
    if (inet_pton(AF_INET6, addr, raw) != 1)
        return 0;
    if (memcmp(raw, v4_mapped, sizeof(v4_mapped)) == 0) {
        k->bytes[0] = 4;
        memcpy(k->bytes + 1, raw + 12, 4);
        k->len = 5;
        return 1;
    }
    k->bytes[0] = 6;
    memcpy(k->bytes + 1, raw, 8); /* the /64 */
    k->len = 9;
    return 1;
}

static size_t set_of(const edge_fail_limit *l, const addr_key *k)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < k->len; i++)
        h = (h ^ k->bytes[i]) * 0x100000001b3ull;
    return (size_t)(h % (l->capacity / WAYS)) * WAYS;
}

static int same_key(const addr_key *a, const addr_key *b)
{
    return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

static entry *find(const edge_fail_limit *l, const addr_key *k)
{
    size_t first = set_of(l, k);
    for (size_t i = first; i < first + WAYS; i++)
        if (same_key(&l->entries[i].key, k))
            return &l->entries[i];
    return NULL;
}

edge_fail_limit *edge_fail_limit_create(size_t capacity, unsigned max_failures, int64_t window_s)
{
    if (capacity < WAYS || (capacity & (capacity - 1)) != 0 || window_s <= 0)
        abort(); /* a programming error: the sizes are constants */
    edge_fail_limit *l = edge_xcalloc(1, sizeof(*l));
    l->entries = edge_xcalloc(capacity, sizeof(*l->entries));
    l->capacity = capacity;
    l->max_failures = max_failures;
    l->window_s = window_s;
    return l;
}

void edge_fail_limit_free(edge_fail_limit *l)
{
    if (l == NULL)
        return;
    free(l->entries);
    free(l);
}

int64_t edge_fail_limit_wait(const edge_fail_limit *l, const char *addr, int64_t now_s)
{
    addr_key k;
    if (!key_of(addr, &k))
        return 0;
    const entry *e = find(l, &k);
    if (e == NULL || e->failures < l->max_failures)
        return 0;
    int64_t ends = e->started + l->window_s;
    return now_s < ends ? ends - now_s : 0;
}

/* The entry to count k in: its own, else an unused one of its set, else
 * the one whose window started first. */
static entry *place_for(edge_fail_limit *l, const addr_key *k)
{
    entry *e = find(l, k);
    if (e != NULL)
        return e;
    size_t first = set_of(l, k);
    entry *oldest = &l->entries[first];
    for (size_t i = first; i < first + WAYS; i++) {
        if (l->entries[i].key.len == 0)
            return &l->entries[i];
        if (l->entries[i].started < oldest->started)
            oldest = &l->entries[i];
    }
    return oldest;
}

void edge_fail_limit_count(edge_fail_limit *l, const char *addr, int64_t now_s)
{
    addr_key k;
    if (!key_of(addr, &k))
        return;
    entry *e = place_for(l, &k);
    if (!same_key(&e->key, &k) || now_s >= e->started + l->window_s || now_s < e->started) {
        e->key = k;
        e->started = now_s;
        e->failures = 0;
    }
    e->failures++;
}
