/* request.c - read-only helpers over a parsed request (headers, query). */
#include "http/request.h"

#include <string.h>
#include <strings.h>

#include "common/hex.h"

const edge_header *edge_request_header(const edge_request *req, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < req->header_count; i++) {
        const edge_header *h = &req->headers[i];
        if (h->name_len == len && strncasecmp(h->name, name, len) == 0)
            return h;
    }
    return NULL;
}

int edge_request_path_is(const edge_request *req, const char *s)
{
    size_t len = strlen(s);
    return req->path_len == len && memcmp(req->path, s, len) == 0;
}

/* Decode one form-encoded value; returns its length or -2. */
static int decode_value(const char *in, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= len)
                return -2;
            int hi = edge_hex_digit(in[i + 1]), lo = edge_hex_digit(in[i + 2]);
            if (hi < 0 || lo < 0)
                return -2;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0' || n + 1 >= cap)
            return -2;
        out[n++] = c;
    }
    out[n] = '\0';
    return (int)n;
}

int edge_request_query_param(const edge_request *req, const char *name, char *out, size_t cap)
{
    if (req->query == NULL || cap == 0)
        return -1;
    size_t name_len = strlen(name);
    const char *p = req->query, *end = req->query + req->query_len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pair_end = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(pair_end - p));
        const char *key_end = eq ? eq : pair_end;
        if ((size_t)(key_end - p) == name_len && memcmp(p, name, name_len) == 0) {
            const char *v = eq ? eq + 1 : pair_end;
            return decode_value(v, (size_t)(pair_end - v), out, cap);
        }
        p = pair_end + 1;
    }
    return -1;
}
