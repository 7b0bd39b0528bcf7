/* https_redirect.c - 308 from plain HTTP to https (--redirect-http).
 *
 * The Host header is checked character by character before it goes into
 * Location, so a crafted header cannot split the response or send the
 * browser to a path the client did not ask for. */
#include "http/https_redirect.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"

/* Letters, digits, '.', '-' and an IPv6 literal in brackets; no port. */
static int host_ok(const char *h, size_t len)
{
    if (len == 0 || len > 255)
        return 0;
    int v6 = h[0] == '[';
    if (v6 && h[len - 1] != ']')
        return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = h[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '-' || (v6 && (ch == ':' || ch == '[' || ch == ']'));
        if (!ok)
            return 0;
    }
    return 1;
}

/* The host part of a Host header value (drops ":port"). */
static size_t host_len(const char *v, size_t len)
{
    if (len > 0 && v[0] == '[') {
        const char *close = memchr(v, ']', len);
        return close ? (size_t)(close - v) + 1 : len;
    }
    const char *colon = memchr(v, ':', len);
    return colon ? (size_t)(colon - v) : len;
}

int edge_https_redirect(const edge_request *req, int https_port, edge_response *res)
{
    if (edge_request_path_is(req, "/healthz"))
        return 0;
    res->route = "https_redirect";
    const edge_header *h = edge_request_header(req, "Host");
    size_t n = h ? host_len(h->value, h->value_len) : 0;
    if (h == NULL || !host_ok(h->value, n) || req->target[0] != '/') {
        edge_response_error(res, 400, "bad_host",
                            "This address only redirects to https and needs a valid Host header.");
        return 1;
    }
    edge_buf loc = EDGE_BUF_INIT;
    edge_buf_appendf(&loc, "https://%.*s", (int)n, h->value);
    if (https_port != 443)
        edge_buf_appendf(&loc, ":%d", https_port);
    edge_buf_append(&loc, req->target, req->target_len);
    edge_buf_append(&loc, "", 1);
    edge_response_error(res, 308, "moved_to_https", "This site is served over https.");
    edge_response_add_header(res, "Location", loc.data);
    edge_buf_free(&loc);
    return 1;
}
