/* mem.h - allocation helpers with the server's out-of-memory policy.
 *
 * Policy: the edge server does not try to limp on after malloc fails. Every
 * allocation goes through these wrappers, which print one line and abort, so
 * callers never carry "what if malloc returned NULL" branches that are never
 * tested. Bounded inputs (header, body and token limits) keep allocations
 * small, so running out of memory means the machine is in trouble anyway. */
#ifndef EDGE_MEM_H
#define EDGE_MEM_H

#include <stddef.h>

/* malloc/calloc/realloc/strdup that abort on failure; never return NULL. */
void *edge_xmalloc(size_t size);
void *edge_xcalloc(size_t count, size_t size);
void *edge_xrealloc(void *ptr, size_t size);
char *edge_xstrdup(const char *s);
/* Copy of the first len bytes of s, NUL-terminated. */
char *edge_xstrndup(const char *s, size_t len);

#endif
