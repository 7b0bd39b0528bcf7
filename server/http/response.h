/* response.h - what a handler builds; the connection serializes and sends it.
 *
 * A handler sets the status, adds headers and a body, and returns. The
 * connection adds the status line, Date, Content-Length, Connection and
 * Server headers itself, and drops the body for HEAD and for 1xx/204/304.
 *
 * Body ownership: set_body copies the bytes into the response. set_shared_body
 * borrows them from a longer-lived owner (the static file cache) and calls
 * release(opaque) exactly once, after the bytes have been written to the
 * socket or when the response is freed without being sent. */
#ifndef EDGE_RESPONSE_H
#define EDGE_RESPONSE_H

#include <stddef.h>

#include "common/buf.h"

struct cJSON;
struct edge_stream;
struct edge_deferred;

typedef void (*edge_release_fn)(void *opaque);

typedef struct edge_response {
    int status;            /* 0 until a handler sets it */
    edge_buf headers;      /* extra header lines "Name: value\r\n" */
    edge_buf body;         /* owned body bytes (set_body, json, error) */
    const char *shared;    /* borrowed body, see set_shared_body */
    size_t shared_len;
    edge_release_fn release; /* called once for the shared body */
    void *release_opaque;
    int close;               /* close the connection after sending */
    /* Streaming (http/stream.h): set by edge_response_start_stream. */
    int stream;
    void (*stream_open)(struct edge_stream *s, void *opaque);
    void (*stream_close)(struct edge_stream *s, void *opaque);
    void *stream_opaque;
    size_t stream_max_queued;
    const char *route;       /* metrics label (static string); "static" etc. */
    /* Set by edge_response_defer (http/deferred.h): the answer comes later. */
    struct edge_deferred *deferred;
} edge_response;

void edge_response_init(edge_response *res);
/* Frees owned memory and releases a shared body not yet handed off. A
 * deferred handle no transport took is cancelled (its on_cancel fires) or,
 * if already completed, freed. */
void edge_response_free(edge_response *res);

/* Add one header. name and value must not contain CR or LF; a value that does
 * is dropped and logged (header injection is a programming error). */
void edge_response_add_header(edge_response *res, const char *name, const char *value);
void edge_response_add_headerf(edge_response *res, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Append preformatted "Name: value\r\n" lines (trusted, e.g. cached). */
void edge_response_add_raw_headers(edge_response *res, const char *lines, size_t len);

/* Copy len bytes as the body and add Content-Type (when content_type != NULL). */
void edge_response_set_body(edge_response *res, int status, const char *content_type,
                            const void *data, size_t len);
/* Borrow data as the body (see the ownership note above). */
void edge_response_set_shared_body(edge_response *res, int status, const void *data, size_t len,
                                   edge_release_fn release, void *opaque);
/* Serialize json as the body with Content-Type application/json. */
void edge_response_json(edge_response *res, int status, const struct cJSON *json);
/* Answer json (status, Content-Type application/json, Cache-Control:
 * no-store: API answers are personal) and delete it: the common ending of
 * an API handler. */
void edge_response_api_json(edge_response *res, int status, struct cJSON *json);
/* The product's one error shape: {"error": code, "message": message}.
 * Also sets Cache-Control: no-store. */
void edge_response_error(edge_response *res, int status, const char *code, const char *message);

/* Length of the body that GET would send (owned or shared). */
size_t edge_response_body_len(const edge_response *res);
const char *edge_response_body_ptr(const edge_response *res);

/* Reason phrase for a status code ("Not Found"); "Unknown" if unlisted. */
const char *edge_status_text(int status);

#endif
