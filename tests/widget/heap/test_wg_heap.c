/* test_wg_heap.c - the wasm module's allocator (widget/heap/wg_heap.c) over
 * a fixed arena: alignment, first fit and splitting, neighbours merged on
 * free (in any order), calloc zeroing and its overflow check, realloc in
 * place and moving with the contents kept, no memory, and a long random
 * run whose blocks never overlap and keep their bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "unit.h"
#include "wg_heap.h"

#define ARENA 65536

struct arena {
    _Alignas(WG_HEAP_ALIGN) unsigned char bytes[ARENA];
    size_t used;
};

static void *arena_more(void *ctx, size_t n)
{
    struct arena *a = ctx;
    if (n % WG_HEAP_ALIGN || n > ARENA - a->used)
        return NULL;
    void *p = a->bytes + a->used;
    a->used += n;
    return p;
}

static struct arena arena; /* large: not on the stack */

static struct wg_heap fresh(void)
{
    arena.used = 0;
    return (struct wg_heap){NULL, arena_more, &arena};
}

static void test_aligned_and_distinct(void)
{
    struct wg_heap h = fresh();
    char *a = wg_heap_alloc(&h, 1), *b = wg_heap_alloc(&h, 0), *c = wg_heap_alloc(&h, 100);
    CHECK(a && b && c);
    CHECK((uintptr_t)a % WG_HEAP_ALIGN == 0 && (uintptr_t)b % WG_HEAP_ALIGN == 0 &&
          (uintptr_t)c % WG_HEAP_ALIGN == 0);
    CHECK(a != b && b != c && a + 1 <= b && b < c);
    wg_heap_free(&h, NULL); /* nothing */
}

static void test_freed_space_is_reused_and_merged(void)
{
    struct wg_heap h = fresh();
    void *a = wg_heap_alloc(&h, 1000), *b = wg_heap_alloc(&h, 1000), *c = wg_heap_alloc(&h, 1000);
    size_t used = arena.used;
    /* Freed in the middle, then the sides: one free block of all three. */
    wg_heap_free(&h, b);
    wg_heap_free(&h, c);
    wg_heap_free(&h, a);
    void *big = wg_heap_alloc(&h, 3000);
    CHECK(big == a);
    CHECK_INT_EQ(arena.used, used); /* no new memory taken */
    /* A smaller block is split off the front; the rest serves the next. */
    wg_heap_free(&h, big);
    void *x = wg_heap_alloc(&h, 100), *y = wg_heap_alloc(&h, 100);
    CHECK(x == a && (char *)y > (char *)x && (char *)y < (char *)a + 3000);
    CHECK_INT_EQ(arena.used, used);
}

static void test_calloc_zeroes_and_checks_overflow(void)
{
    struct wg_heap h = fresh();
    unsigned char *p = wg_heap_alloc(&h, 256);
    memset(p, 0xAB, 256);
    wg_heap_free(&h, p);
    unsigned char *z = wg_heap_calloc(&h, 16, 16);
    CHECK(z == p); /* the dirty block again, now zeroed */
    int zero = 1;
    for (int i = 0; i < 256; i++)
        zero &= z[i] == 0;
    CHECK(zero);
    CHECK(wg_heap_calloc(&h, SIZE_MAX / 2, 4) == NULL);
    CHECK(wg_heap_alloc(&h, SIZE_MAX - 8) == NULL);
}

static void test_realloc_keeps_contents(void)
{
    struct wg_heap h = fresh();
    char *p = wg_heap_realloc(&h, NULL, 10);
    memcpy(p, "abcdefghij", 10);
    CHECK(wg_heap_realloc(&h, p, 5) == p);  /* smaller: in place */
    CHECK(wg_heap_realloc(&h, p, 16) == p); /* still fits its block */
    char *q = wg_heap_realloc(&h, p, 5000);
    CHECK(q && q != p && memcmp(q, "abcdefghij", 10) == 0);
    /* Out of memory: NULL, and the old block is untouched. */
    CHECK(wg_heap_realloc(&h, q, ARENA) == NULL);
    CHECK(memcmp(q, "abcdefghij", 10) == 0);
}

static void test_no_memory(void)
{
    struct wg_heap h = fresh();
    CHECK(wg_heap_alloc(&h, ARENA) == NULL); /* the header does not fit */
    void *all = wg_heap_alloc(&h, ARENA - WG_HEAP_ALIGN);
    CHECK(all != NULL);
    CHECK(wg_heap_alloc(&h, 1) == NULL);
    wg_heap_free(&h, all);
    CHECK(wg_heap_alloc(&h, 1) != NULL);
}

/* Random allocations, frees and reallocs; each live block is filled with
 * its own byte and checked before it changes: an overlap or a lost byte
 * shows. At the end everything is free and merged into one block. */
static void test_random_run(void)
{
    struct wg_heap h = fresh();
    enum { SLOTS = 64 };
    unsigned char *ptr[SLOTS] = {0};
    size_t len[SLOTS] = {0};
    unsigned seed = 12345;
    int bad = 0;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        int i = (int)((seed >> 16) % SLOTS);
        size_t n = (seed >> 4) % 700;
        for (size_t k = 0; ptr[i] && k < len[i]; k++)
            bad |= ptr[i][k] != (unsigned char)i;
        if (ptr[i] && (seed & 1)) {
            wg_heap_free(&h, ptr[i]);
            ptr[i] = NULL;
            continue;
        }
        unsigned char *p = ptr[i] ? wg_heap_realloc(&h, ptr[i], n) : wg_heap_alloc(&h, n);
        if (!p)
            continue; /* arena full: the old block stays */
        size_t keep = ptr[i] && len[i] < n ? len[i] : (ptr[i] ? n : 0);
        for (size_t k = 0; k < keep; k++)
            bad |= p[k] != (unsigned char)i;
        memset(p, i, n);
        ptr[i] = p;
        len[i] = n;
    }
    CHECK(!bad);
    for (int i = 0; i < SLOTS; i++)
        wg_heap_free(&h, ptr[i]);
    CHECK(h.free != NULL);
    void *all = wg_heap_alloc(&h, arena.used - WG_HEAP_ALIGN);
    CHECK(all != NULL && (unsigned char *)all == arena.bytes + WG_HEAP_ALIGN);
}

int main(void)
{
    UNIT_RUN(test_aligned_and_distinct);
    UNIT_RUN(test_freed_space_is_reused_and_merged);
    UNIT_RUN(test_calloc_zeroes_and_checks_overflow);
    UNIT_RUN(test_realloc_keeps_contents);
    UNIT_RUN(test_no_memory);
    UNIT_RUN(test_random_run);
    return UNIT_DONE();
}
