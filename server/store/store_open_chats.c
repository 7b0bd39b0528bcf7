/* store_open_chats.c - the table behind store_open_chats.h.
 *
 * Sets of WAYS entries, the set chosen by a 64-bit FNV-1a hash of the sub.
 * Each entry's hash and rowid live in a key array apart from the entries
 * (about 400 bytes each, most of it the sub): a set's four keys are 64
 * contiguous bytes, so a lookup reads them and then only the entry whose
 * hash matches. Dropping a contact scans the keys (64 KiB for 4096
 * entries, once per contact row a write changes, which is rare next to
 * reads), and clearing is one memset of them. An entry is in use while its
 * rowid is non-zero; the rest of an unused entry is never read. */
#include "store/store_open_chats.h"

#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

#define WAYS 4

typedef struct key {
    uint64_t hash;
    int64_t rowid; /* 0 = unused */
} key;

typedef struct entry {
    char sub[EDGE_STORE_TEXT_MAX];
    edge_open_chat chat;
} entry;

struct edge_open_chats {
    size_t capacity; /* entries: a power of two, >= WAYS */
    key *keys;       /* owned, capacity of them */
    entry *entries;  /* owned, parallel to keys */
    unsigned victim; /* turns through a full set's ways */
};

static uint64_t hash_sub(const char *sub)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)sub; *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    return h;
}

/* The first entry of the set for hash h. */
static size_t set_of(const edge_open_chats *t, uint64_t h)
{
    return (size_t)(h % (t->capacity / WAYS)) * WAYS;
}

/* The index of sub's entry, or -1. */
static long find(const edge_open_chats *t, const char *sub, uint64_t h)
{
    size_t first = set_of(t, h);
    for (size_t i = first; i < first + WAYS; i++)
        if (t->keys[i].rowid != 0 && t->keys[i].hash == h && strcmp(t->entries[i].sub, sub) == 0)
            return (long)i;
    return -1;
}

edge_open_chats *edge_open_chats_new(size_t capacity)
{
    if (capacity < WAYS || (capacity & (capacity - 1)) != 0)
        abort(); /* a programming error: the sizes are constants */
    edge_open_chats *t = edge_xcalloc(1, sizeof(*t));
    t->capacity = capacity;
    t->keys = edge_xcalloc(capacity, sizeof(*t->keys));
    t->entries = edge_xcalloc(capacity, sizeof(*t->entries));
    return t;
}

void edge_open_chats_free(edge_open_chats *t)
{
    if (t == NULL)
        return;
    free(t->keys);
    free(t->entries);
    free(t);
}

int edge_open_chats_get(const edge_open_chats *t, const char *sub, edge_open_chat *out)
{
    long i = find(t, sub, hash_sub(sub));
    if (i < 0)
        return 0;
    *out = t->entries[i].chat;
    return 1;
}

/* Where sub goes: its own entry, an unused one of its set, or the next
 * victim of the set. */
static size_t place_for(edge_open_chats *t, const char *sub, uint64_t h)
{
    long own = find(t, sub, h);
    if (own >= 0)
        return (size_t)own;
    size_t first = set_of(t, h);
    for (size_t i = first; i < first + WAYS; i++)
        if (t->keys[i].rowid == 0)
            return i;
    return first + (t->victim++ % WAYS);
}

void edge_open_chats_put(edge_open_chats *t, const char *sub, int64_t contact_rowid,
                         const edge_open_chat *chat)
{
    size_t n = strlen(sub);
    if (contact_rowid <= 0 || n >= EDGE_STORE_TEXT_MAX)
        return;
    uint64_t h = hash_sub(sub);
    size_t i = place_for(t, sub, h);
    memcpy(t->entries[i].sub, sub, n + 1);
    t->entries[i].chat = *chat;
    t->keys[i].hash = h;
    t->keys[i].rowid = contact_rowid;
}

void edge_open_chats_drop_contact(edge_open_chats *t, int64_t contact_rowid)
{
    for (size_t i = 0; i < t->capacity; i++)
        if (t->keys[i].rowid == contact_rowid)
            t->keys[i].rowid = 0;
}

void edge_open_chats_clear(edge_open_chats *t)
{
    memset(t->keys, 0, t->capacity * sizeof(*t->keys));
}
