/* buf.c - growable byte buffer (see buf.h for the ownership rules). */
#include "common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

void edge_buf_reserve(edge_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = edge_xrealloc(b->data, cap);
    b->cap = cap;
}

void edge_buf_append(edge_buf *b, const void *data, size_t len)
{
    edge_buf_reserve(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void edge_buf_append_str(edge_buf *b, const char *s)
{
    edge_buf_append(b, s, strlen(s));
}

void edge_buf_vappendf(edge_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return; /* only on an invalid format string, a programming error */
    edge_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void edge_buf_appendf(edge_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    edge_buf_vappendf(b, fmt, ap);
    va_end(ap);
}

void edge_buf_append_uint(edge_buf *b, unsigned long long n, int min_digits)
{
    char digits[24];
    int len = 0;
    do {
        digits[sizeof(digits) - 1 - len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0 && len < (int)sizeof(digits));
    while (len < min_digits && len < (int)sizeof(digits))
        digits[sizeof(digits) - 1 - len++] = '0';
    edge_buf_append(b, digits + sizeof(digits) - len, (size_t)len);
}

void edge_buf_reset(edge_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void edge_buf_consume(edge_buf *b, size_t n)
{
    if (n >= b->len) {
        edge_buf_reset(b);
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

void edge_buf_free(edge_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *edge_buf_steal(edge_buf *b, size_t *len)
{
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
