/* http1.h - HTTP/1.1 request parsing on top of llhttp, with the limits.
 *
 * This is the protocol layer between the socket (net/conn.c) and the
 * handlers. It knows nothing about sockets: bytes go in through
 * edge_http1_feed and complete requests come out one at a time. The parser
 * pauses after every complete message, so pipelined requests are answered in
 * order and the request struct stays untouched while its handler runs.
 *
 * Ownership: the URL, header names and values are copied out of the caller's
 * read buffer into a per-connection head buffer, and the body into a body
 * buffer, as llhttp hands out slices. The caller may therefore reuse its read
 * buffer as soon as feed returns. The request's pointers stay valid until
 * edge_http1_next() is called. */
#ifndef EDGE_HTTP1_H
#define EDGE_HTTP1_H

#include <llhttp.h>
#include <stddef.h>

#include "common/buf.h"
#include "http/request.h"
#include "http/response.h"

typedef struct edge_http1_limits {
    size_t max_header_bytes; /* request line + all headers */
    size_t max_uri_bytes;
    size_t max_body_bytes;
} edge_http1_limits;

typedef enum edge_http1_phase {
    EDGE_HTTP1_IDLE, /* between requests */
    EDGE_HTTP1_HEAD, /* request line and headers arriving */
    EDGE_HTTP1_BODY, /* body arriving */
    EDGE_HTTP1_DONE  /* a complete request waits for edge_http1_next */
} edge_http1_phase;

typedef enum edge_http1_result {
    EDGE_HTTP1_NEED_MORE, /* all bytes consumed; no complete request yet */
    EDGE_HTTP1_REQUEST,   /* a request is complete: see h->req */
    EDGE_HTTP1_ERROR      /* malformed or over a limit: see error_* */
} edge_http1_result;

typedef struct edge_http1 {
    llhttp_t parser;
    llhttp_settings_t settings;
    edge_http1_limits limits;
    edge_http1_phase phase;
    edge_buf head;  /* URL and header bytes, NUL-separated */
    edge_buf body;  /* decoded body */
    size_t url_len; /* bytes of URL stored at head[0] */
    size_t header_count;
    size_t name_off[EDGE_MAX_HEADERS], name_len[EDGE_MAX_HEADERS];
    size_t value_off[EDGE_MAX_HEADERS], value_len[EDGE_MAX_HEADERS];
    int in_field;         /* a header name is being received */
    int continue_pending; /* send "100 Continue" now (caller clears it) */
    int error_status;     /* 400, 413, 414, 417, 431, 505 on error */
    const char *error_code;
    const char *error_message;
    edge_request req; /* valid while phase == EDGE_HTTP1_DONE */
} edge_http1;

void edge_http1_init(edge_http1 *h, const edge_http1_limits *limits);
void edge_http1_free(edge_http1 *h);

/* Parse up to len bytes. *consumed is set to how many were used: all of them
 * unless a request completed or an error occurred. */
edge_http1_result edge_http1_feed(edge_http1 *h, const char *data, size_t len, size_t *consumed);

/* Forget the completed request and get ready for the next one. */
void edge_http1_next(edge_http1 *h);

/* Serialize the status line and headers of res into out. Adds Date (given,
 * preformatted), Server, Content-Length (except for 1xx/204/304) and
 * Connection: keep-alive/close. head_only drops nothing here; the caller
 * decides whether to send the body. */
void edge_http1_write_head(edge_buf *out, const edge_response *res, int keep_alive,
                           const char *date);

/* True when a response with this status and method carries no body. */
int edge_http1_status_has_no_body(int status, int method);

#endif
