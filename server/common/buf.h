/* buf.h - a growable byte buffer, the one string builder of the server.
 *
 * An edge_buf owns its bytes. Appending may move them, so pointers into
 * data are invalid after any append (like Redis' sds). The contents are
 * always NUL-terminated when data is not NULL, so text can be used as a C
 * string; len never counts that NUL. */
#ifndef EDGE_BUF_H
#define EDGE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct edge_buf {
    char *data; /* owned; NULL until the first append */
    size_t len; /* bytes in use, excluding the trailing NUL */
    size_t cap; /* bytes allocated */
} edge_buf;

#define EDGE_BUF_INIT {NULL, 0, 0}

/* Make room for at least extra more bytes (plus the NUL). */
void edge_buf_reserve(edge_buf *b, size_t extra);
void edge_buf_append(edge_buf *b, const void *data, size_t len);
void edge_buf_append_str(edge_buf *b, const char *s);
void edge_buf_appendf(edge_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void edge_buf_vappendf(edge_buf *b, const char *fmt, va_list ap);
/* Append n in decimal, zero-padded to at least min_digits (no printf: this
 * sits on the per-request path). */
void edge_buf_append_uint(edge_buf *b, unsigned long long n, int min_digits);
/* Forget the contents but keep the allocation for reuse. */
void edge_buf_reset(edge_buf *b);
/* Remove the first n bytes, shifting the rest down. */
void edge_buf_consume(edge_buf *b, size_t n);
/* Release the allocation; b is empty and reusable afterwards. */
void edge_buf_free(edge_buf *b);
/* Hand the bytes to the caller (who must free() them) and empty b. */
char *edge_buf_steal(edge_buf *b, size_t *len);

#endif
