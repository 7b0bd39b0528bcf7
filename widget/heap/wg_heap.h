/* wg_heap.h - the wasm module's memory allocator: first fit over one free
 * list kept in address order, neighbours merged on free. It replaces
 * emscripten's emmalloc (widget/heap/heap_wasm.c maps malloc, calloc,
 * realloc and free onto it) because it is a fraction of its size, and the
 * module's pattern is simple: one large block per widget, a few growing
 * buffers, and the strings of one transcript page at a time.
 *
 * A block is a 16-byte header (its size; while free, the next free block)
 * then the caller's bytes, so every pointer it returns is 16-byte aligned.
 * Memory comes from the heap's `more` callback and is never given back.
 * Not thread-safe: the module has one thread. */
#ifndef WG_HEAP_H
#define WG_HEAP_H

#include <stddef.h>

#define WG_HEAP_ALIGN 16 /* of every pointer returned, and of what more() returns */

struct wg_heap_block;

/* One heap. `more(ctx, n)` returns n fresh bytes aligned to WG_HEAP_ALIGN
 * (n is a multiple of it), or NULL when there is no more memory. */
struct wg_heap {
    struct wg_heap_block *free; /* the free blocks, in address order; NULL at first */
    void *(*more)(void *ctx, size_t n);
    void *ctx;
};

/* n bytes (uninitialized), or NULL when more() has none (or n is absurd).
 * The caller owns the block until wg_heap_free. */
void *wg_heap_alloc(struct wg_heap *h, size_t n);

/* count * size zeroed bytes, or NULL (also when the product overflows). */
void *wg_heap_calloc(struct wg_heap *h, size_t count, size_t size);

/* p resized to n bytes keeping its contents (up to the smaller size): p
 * itself when it is big enough, else a new block (p freed). NULL p is
 * wg_heap_alloc. NULL when there is no memory: p is then left as it was. */
void *wg_heap_realloc(struct wg_heap *h, void *p, size_t n);

/* Gives p (from this heap, or NULL: nothing) back to the free list. */
void wg_heap_free(struct wg_heap *h, void *p);

#endif
