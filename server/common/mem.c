/* mem.c - the abort-on-OOM allocation wrappers described in mem.h. */
#include "common/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void edge__oom(size_t size)
{
    fprintf(stderr, "c2c-edge: out of memory allocating %zu bytes\n", size);
    abort();
}

void *edge_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        edge__oom(size);
    return p;
}

void *edge_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        edge__oom(count * size);
    return p;
}

void *edge_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL)
        edge__oom(size);
    return p;
}

char *edge_xstrdup(const char *s)
{
    return edge_xstrndup(s, strlen(s));
}

char *edge_xstrndup(const char *s, size_t len)
{
    char *p = edge_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
