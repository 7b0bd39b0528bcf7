/* http_client.h - an asynchronous HTTP/1.1 client for upstream services.
 *
 * One edge_upstream stands for one base URL (http://HOST:PORT/PATH, HOST an
 * IP literal or "localhost": no DNS lookup, no TLS) and keeps a pool of
 * keep-alive connections to it. Requests never block the loop: a request is
 * started, and its completion callback runs later on the same loop, exactly
 * once, with an edge_upstream_result.
 *
 * Pool: at most max_connections sockets (busy, idle and connecting); at most
 * max_idle of them are kept idle, each for idle_timeout_ms. A request that
 * finds no idle connection opens a new one if the bound allows, else waits in
 * a FIFO queue (at most max_queued requests) for the next free connection.
 *
 * Deadlines: each request has one deadline (timeout_ms from its start,
 * covering queueing, connecting, writing and the whole response); each
 * connection attempt also has connect_timeout_ms. Either gives
 * EDGE_UPSTREAM_ETIMEOUT.
 *
 * Retry rule for a stale pooled connection (the server closed a keep-alive
 * connection just as we reused it): a request is sent again, once, on a
 * fresh connection when (a) it was sent on a reused connection, (b) not a
 * byte of response arrived, and (c) it is idempotent (GET, HEAD, PUT,
 * DELETE, OPTIONS, or flagged idempotent by the caller) or its bytes never
 * reached the socket (uv_write refused them). A POST that may have reached
 * the server fails with EDGE_UPSTREAM_ECLOSED instead, because sending it
 * twice could do its work twice. Failures on a fresh connection are never
 * retried.
 *
 * Ownership: the upstream owns its connections, its queue and every request
 * until the request's callback has returned; the caller owns nothing it gets
 * from here except what edge_upstream_result_json returns. Memory is freed
 * only in libuv close callbacks. All functions must be called on the loop's
 * thread. */
#ifndef EDGE_UPSTREAM_HTTP_CLIENT_H
#define EDGE_UPSTREAM_HTTP_CLIENT_H

#include <cJSON.h>
#include <stddef.h>
#include <uv.h>

/* Errors: a request's result (negative) or a start call's return value. */
enum {
    EDGE_UPSTREAM_EREFUSED = -1,   /* could not connect (refused, unreachable) */
    EDGE_UPSTREAM_ETIMEOUT = -2,   /* connect timeout or the request's deadline */
    EDGE_UPSTREAM_ETOOLARGE = -3,  /* response head or body over its limit */
    EDGE_UPSTREAM_EBADRESP = -4,   /* the bytes are not an HTTP/1.x response */
    EDGE_UPSTREAM_ECANCELLED = -5, /* edge_upstream_cancel or edge_upstream_close */
    EDGE_UPSTREAM_ECLOSED = -6,    /* the server closed before the response ended */
    EDGE_UPSTREAM_EINVAL = -7,     /* start only: bad method, path, header or URL */
    EDGE_UPSTREAM_EBUSY = -8,      /* start only: the queue is full, or closing */
};

typedef struct edge_upstream edge_upstream;
typedef struct edge_upstream_req edge_upstream_req;

typedef struct edge_upstream_options {
    unsigned max_connections;    /* total sockets (default 8) */
    unsigned max_idle;           /* idle keep-alive sockets kept (default 4) */
    unsigned max_queued;         /* requests waiting for a socket (default 1024) */
    unsigned idle_timeout_ms;    /* an idle socket is closed after (default 30000) */
    unsigned connect_timeout_ms; /* per connection attempt (default 2000) */
    unsigned request_timeout_ms; /* default deadline of a request (default 10000) */
    size_t max_header_bytes;     /* response header bytes (default 16 KiB) */
    size_t max_body_bytes;       /* decoded response body (default 1 MiB) */
} edge_upstream_options;

/* A response header line, also used for request headers. */
typedef struct edge_upstream_header {
    const char *name;
    const char *value;
} edge_upstream_header;

/* What a completion callback gets. Everything is borrowed and valid only
 * during the callback. */
typedef struct edge_upstream_result {
    int error;        /* 0, or an EDGE_UPSTREAM_E* code (then nothing else is set) */
    int status;       /* the HTTP status (any: 4xx and 5xx are not errors here) */
    const char *body; /* decoded body, NUL-terminated; "" when empty */
    size_t body_len;
    const char *head;    /* header names and values as "name\0value\0" pairs */
    size_t header_count; /* pairs in head */
} edge_upstream_result;

/* Called exactly once per successfully started request, on the loop, never
 * from inside the start call. req is valid until the callback returns. */
typedef void (*edge_upstream_cb)(edge_upstream_req *req, const edge_upstream_result *res,
                                 void *opaque);

/* What to send. path is appended to the base URL's path ("" for the base
 * itself) and may hold a query. headers (count n_headers) must not repeat
 * Host, Content-Length, Transfer-Encoding or Connection, which the client
 * writes. body may be NULL. timeout_ms 0 means the upstream's default. All
 * bytes are copied before the start call returns. */
typedef struct edge_upstream_request {
    const char *method;
    const char *path;
    const edge_upstream_header *headers;
    size_t n_headers;
    const char *body;
    size_t body_len;
    unsigned timeout_ms;
    int idempotent; /* 1: safe to send twice even if it is a POST (see retry rule) */
} edge_upstream_request;

typedef void (*edge_upstream_closed_cb)(edge_upstream *u, void *opaque);

/* Fill o with the defaults above. */
void edge_upstream_options_default(edge_upstream_options *o);

/* Create an upstream for base_url on loop (o NULL: defaults). Returns 0 and
 * sets *out (owned by the caller until edge_upstream_close), or
 * EDGE_UPSTREAM_EINVAL for a URL that is not http://HOST[:PORT][/PATH] with
 * HOST an IPv4, [IPv6] literal or localhost, or for zero limits. Opens no
 * socket yet. */
int edge_upstream_create(uv_loop_t *loop, const char *base_url, const edge_upstream_options *o,
                         edge_upstream **out);

/* Start a request. Returns 0 and, if out is not NULL, sets *out to a handle
 * for edge_upstream_cancel; cb will fire exactly once. On a negative return
 * (EDGE_UPSTREAM_EINVAL: CR, LF or NUL in the method, path or a header, or a
 * reserved header; EDGE_UPSTREAM_EBUSY: queue full or upstream closing) cb
 * never fires and nothing is kept. */
int edge_upstream_start(edge_upstream *u, const edge_upstream_request *r, edge_upstream_cb cb,
                        void *opaque, edge_upstream_req **out);

/* Start a request whose body is json (NULL: no body) serialized compactly,
 * with Content-Type: application/json and Accept: application/json. Same
 * contract as edge_upstream_start; json stays the caller's. */
int edge_upstream_start_json(edge_upstream *u, const char *method, const char *path,
                             const cJSON *json, unsigned timeout_ms, edge_upstream_cb cb,
                             void *opaque, edge_upstream_req **out);

/* Cancel a request whose callback has not fired yet: its callback fires
 * with EDGE_UPSTREAM_ECANCELLED before this returns, and a connection it was
 * using is closed (a late response must not reach the next request). Calling
 * it on a request whose callback already ran is a use after free. */
void edge_upstream_cancel(edge_upstream_req *req);

/* Shut the upstream down: every queued or running request's callback fires
 * with EDGE_UPSTREAM_ECANCELLED before this returns, every connection is
 * closed, and once the last libuv handle has closed, on_closed (may be NULL)
 * runs and u is freed. Starting requests after this returns
 * EDGE_UPSTREAM_EBUSY; calling it twice is a no-op. */
void edge_upstream_close(edge_upstream *u, edge_upstream_closed_cb on_closed, void *opaque);

/* The value of response header name (case-insensitive; the first if
 * repeated), or NULL. Borrowed like the result. */
const char *edge_upstream_result_header(const edge_upstream_result *r, const char *name);

/* Parse the body as JSON. Returns a cJSON tree the caller must cJSON_Delete,
 * or NULL if the result is an error or the body is not exactly one JSON
 * value. */
cJSON *edge_upstream_result_json(const edge_upstream_result *r);

/* A short constant name for an EDGE_UPSTREAM_E* code ("timeout", ...). */
const char *edge_upstream_strerror(int code);

/* Counters, for tests and later metrics. */
typedef struct edge_upstream_stats {
    unsigned long long connects;  /* sockets opened */
    unsigned long long reuses;    /* requests sent on a pooled socket */
    unsigned long long retries;   /* stale-connection retries */
    unsigned long long completed; /* callbacks fired (any result) */
    unsigned open;                /* sockets now open (not closing) */
    unsigned idle;                /* of which idle */
    unsigned queued;              /* requests waiting for a socket */
} edge_upstream_stats;

void edge_upstream_get_stats(const edge_upstream *u, edge_upstream_stats *out);

#endif
