/* wg_heap.c - the wasm module's allocator (see wg_heap.h): first fit over
 * an address-ordered free list, a block split when the rest is worth
 * keeping, merged with its free neighbours when it comes back. */
#include "wg_heap.h"

#include <stdint.h>
#include <string.h>

#define HDR ((size_t)WG_HEAP_ALIGN) /* the header, padded to keep payloads aligned */
#define MIN_BLOCK (2 * HDR)         /* a header and the smallest payload */

/* The header of a block. `size` is the whole block's, header included, a
 * multiple of WG_HEAP_ALIGN; `next` only means something while it is free. */
struct wg_heap_block {
    size_t size;
    struct wg_heap_block *next;
};

static struct wg_heap_block *block_of(void *p)
{
    return (struct wg_heap_block *)(void *)((char *)p - HDR);
}

static void *payload_of(struct wg_heap_block *b)
{
    return (char *)b + HDR;
}

/* Whether block a ends exactly where b starts. */
static int adjacent(const struct wg_heap_block *a, const struct wg_heap_block *b)
{
    return (uintptr_t)a + a->size == (uintptr_t)b;
}

void *wg_heap_alloc(struct wg_heap *h, size_t n)
{
    if (n > SIZE_MAX / 2)
        return NULL;
    size_t need = (n + HDR + WG_HEAP_ALIGN - 1) & ~(size_t)(WG_HEAP_ALIGN - 1);
    if (need < MIN_BLOCK)
        need = MIN_BLOCK;
    for (struct wg_heap_block **link = &h->free; *link; link = &(*link)->next) {
        struct wg_heap_block *b = *link;
        if (b->size < need)
            continue;
        if (b->size - need >= MIN_BLOCK) { /* keep the tail free, in b's place */
            struct wg_heap_block *rest = (struct wg_heap_block *)(void *)((char *)b + need);
            rest->size = b->size - need;
            rest->next = b->next;
            *link = rest;
            b->size = need;
        } else {
            *link = b->next;
        }
        return payload_of(b);
    }
    struct wg_heap_block *b = h->more(h->ctx, need);
    if (!b)
        return NULL;
    b->size = need;
    return payload_of(b);
}

void *wg_heap_calloc(struct wg_heap *h, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = wg_heap_alloc(h, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *wg_heap_realloc(struct wg_heap *h, void *p, size_t n)
{
    if (!p)
        return wg_heap_alloc(h, n);
    size_t have = block_of(p)->size - HDR;
    if (n <= have)
        return p;
    void *q = wg_heap_alloc(h, n);
    if (!q)
        return NULL;
    memcpy(q, p, have);
    wg_heap_free(h, p);
    return q;
}

void wg_heap_free(struct wg_heap *h, void *p)
{
    if (!p)
        return;
    struct wg_heap_block *b = block_of(p), *prev = NULL, *next = h->free;
    while (next && (uintptr_t)next < (uintptr_t)b) {
        prev = next;
        next = next->next;
    }
    b->next = next;
    if (next && adjacent(b, next)) {
        b->size += next->size;
        b->next = next->next;
    }
    if (!prev) {
        h->free = b;
    } else if (adjacent(prev, b)) {
        prev->size += b->size;
        prev->next = b->next;
    } else {
        prev->next = b;
    }
}
