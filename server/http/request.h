/* request.h - one parsed HTTP request, as handlers see it.
 *
 * The transport (net/conn.c) fills this from llhttp callbacks. Every pointer
 * in it points into memory owned by the connection and stays valid until the
 * response to this request has been handed to the connection; a handler that
 * needs anything longer must copy it. Handlers never see sockets. */
#ifndef EDGE_REQUEST_H
#define EDGE_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#define EDGE_MAX_HEADERS 100 /* more than this is answered 431 */

typedef struct edge_header {
    const char *name; /* not NUL-terminated; compare with name_len */
    size_t name_len;
    const char *value; /* NUL-terminated, leading/trailing blanks trimmed */
    size_t value_len;
} edge_header;

typedef struct edge_request {
    int method;              /* llhttp_method_t value, e.g. HTTP_GET */
    const char *method_name; /* "GET", static string */
    const char *target;      /* raw request-target, NUL-terminated */
    size_t target_len;
    const char *path;  /* target up to '?' or '#', still percent-encoded; NOT NUL-terminated */
    size_t path_len;
    const char *query; /* after '?', without it, NOT NUL-terminated; NULL when absent */
    size_t query_len;
    int version_major, version_minor;
    int keep_alive; /* client allows the connection to be reused */
    edge_header headers[EDGE_MAX_HEADERS];
    size_t header_count;
    const char *body; /* body bytes (chunked already decoded); NULL when empty */
    size_t body_len;
    const char *remote_addr; /* peer address text, for logs and per-address limits */
    int secure;              /* arrived over TLS */
    int https_redirect_port; /* nonzero: arrived on --redirect-http; https is on this port */
} edge_request;

/* Case-insensitive header lookup: the first header with that name, or NULL. */
const edge_header *edge_request_header(const edge_request *req, const char *name);

/* Find a query parameter and percent-decode its value (also '+' as space)
 * into out (NUL-terminated). Returns the decoded length, -1 if absent, or
 * -2 if it does not fit or is badly encoded. */
int edge_request_query_param(const edge_request *req, const char *name, char *out, size_t cap);

/* True when the path equals s exactly. */
int edge_request_path_is(const edge_request *req, const char *s);

#endif
