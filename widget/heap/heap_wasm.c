/* heap_wasm.c - malloc, calloc, realloc and free of the wasm module (built
 * by widget/build.sh with -sMALLOC=none, never natively): one wg_heap whose
 * memory starts at the linker's __heap_base and grows the wasm memory
 * (memory.grow) when it reaches its end. The bridge takes fresh views of
 * the memory on every call, so nothing is told. The heap and its break are
 * the module's state, like the input buffer of c2c_wasm.c: one memory, one
 * thread. */
#include <stdint.h>
#include <stdlib.h>

#include "wg_heap.h"

#define PAGE 65536u /* the wasm page */

extern unsigned char __heap_base; /* where the linker leaves the heap */

/* The end of what the heap has taken; starts at __heap_base, aligned. */
static uintptr_t heap_end;

/* n more bytes at the end of the heap, growing the memory when needed. */
static void *more(void *ctx, size_t n)
{
    (void)ctx;
    if (!heap_end)
        heap_end = ((uintptr_t)&__heap_base + WG_HEAP_ALIGN - 1) & ~(uintptr_t)(WG_HEAP_ALIGN - 1);
    uintptr_t size = (uintptr_t)__builtin_wasm_memory_size(0) * PAGE;
    if (n > UINTPTR_MAX - heap_end)
        return NULL;
    if (heap_end + n > size) {
        size_t pages = (size_t)((heap_end + n - size + PAGE - 1) / PAGE);
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1)
            return NULL;
    }
    void *p = (void *)heap_end;
    heap_end += n;
    return p;
}

static struct wg_heap heap = {NULL, more, NULL};

/* The C library's allocation functions, over the module's one heap. */
void *malloc(size_t n)
{
    return wg_heap_alloc(&heap, n);
}

void *calloc(size_t count, size_t size)
{
    return wg_heap_calloc(&heap, count, size);
}

void *realloc(void *p, size_t n)
{
    return wg_heap_realloc(&heap, p, n);
}

void free(void *p)
{
    wg_heap_free(&heap, p);
}
