/* conn.h - one accepted TCP connection (internal to net/).
 *
 * A connection embeds its handles (socket, timer, shutdown request) and is
 * freed only after both handles' close callbacks have run. Writes are
 * batched: every response produced while handling one read is serialized
 * into a single uv_write, so pipelined requests cost one syscall. */
#ifndef EDGE_CONN_H
#define EDGE_CONN_H

#include <stdint.h>
#include <uv.h>

#include "common/buf.h"
#include "http/http1.h"
#include "http/stream.h"

#define EDGE_CONN_MAX_QUEUED (1u << 20) /* unsent bytes before reading pauses */

struct edge_server;
struct edge_write;
struct edge_listener;
struct edge_tls_conn;
struct edge_deferred;

/* The handle a stream owner holds (see http/stream.h); embedded in its
 * connection. */
struct edge_stream {
    struct edge_conn *conn;
    int active;                    /* open for writes */
    int keep_alive;                /* may the connection be reused after the end */
    size_t max_queued;             /* unsent bytes before the client is dropped */
    edge_stream_close_fn on_close; /* may be NULL */
    edge_stream_drain_fn on_drain; /* one-shot, see edge_stream_when_drained */
    void *opaque;
};

typedef struct edge_conn {
    uv_tcp_t tcp;          /* tcp.data == this */
    uv_timer_t timer;      /* idle, header, body and linger timeouts */
    uv_shutdown_t shutdown_req;
    struct edge_server *server;
    struct edge_listener *listener; /* the socket it came in on */
    struct edge_tls_conn *tls;      /* owned; NULL for plain HTTP */
    struct edge_conn *prev, *next; /* server's list */
    edge_http1 *http;              /* owned; NULL while a stream is open (see conn.c) */
    struct edge_write *batch;      /* responses not yet handed to libuv */
    struct edge_write *spare;      /* a finished batch kept for reuse */
    char remote[64];               /* peer address, for logs */
    edge_http1_phase timer_phase;  /* phase the timer was armed for */
    uint64_t phase_due;            /* loop time (ms) at which that phase times out */
    uint64_t timer_due;            /* loop time the timer is armed for (<= phase_due) */
    uint64_t request_start_ns;     /* when the current request began */
    unsigned writes_pending;       /* uv_write calls not yet completed */
    int handles_open;              /* tcp + timer until closed */
    int closing;                   /* uv_close has been called */
    int close_after_write;         /* no more requests; close once flushed */
    int lingering;                 /* shut down; discarding input until EOF */
    int read_paused;               /* reading stopped for backpressure */
    edge_stream stream;            /* active while a streaming response is open */
    struct edge_deferred *deferred; /* the current request's answer, pending (conn_deferred.c) */
    edge_buf held;                  /* input that arrived behind a deferred request */
} edge_conn;

/* Accept a pending connection from listener l and start reading (over TLS
 * when l->tls). Returns 0 or a negative libuv error (then nothing is left
 * allocated). */
int edge_conn_accept(struct edge_listener *l);

/* Called by the server when shutdown begins: idle connections close now,
 * busy ones after their current response. */
void edge_conn_begin_shutdown(edge_conn *c);

/* Close at once, dropping queued responses (grace period expired). */
void edge_conn_force_close(edge_conn *c);

/* ---- internal to net/ (conn*.c and stream.c) ---- */

/* The owned bytes of the batch being built for c (created on demand):
 * append output here, then edge__conn_send. */
edge_buf *edge__conn_out(edge_conn *c);

/* Send the batch (one write) and then close, pause or resume reading as
 * the connection's state asks. c may be closing afterwards. */
void edge__conn_send(edge_conn *c);

/* conn_write.c: serialize res (the answer to req; NULL for a protocol
 * error) into the batch. Takes over res's shared body, if any. */
void edge__write_response(edge_conn *c, const edge_request *req, edge_response *res,
                          int keep_alive);

/* conn_write.c: send the batch (try_write, then uv_write for the rest).
 * Does not call edge__conn_after_output; c may be closing afterwards. */
void edge__write_flush(edge_conn *c);

/* conn_write.c: free the batch and the spare (the connection closes). */
void edge__write_drop(edge_conn *c);

/* Close the connection (its stream's or deferred answer's owner is told). */
void edge__conn_close(edge_conn *c);

/* After a flush or a completed write: close, pause or resume reading as
 * the connection's state asks. */
void edge__conn_after_output(edge_conn *c);

/* Make the request parser again (a keep-alive stream ended). */
void edge__conn_parser_new(edge_conn *c);

/* Forget the stream; when notify, its on_close fires. */
void edge__conn_stream_detach(edge_conn *c, int notify);

/* Answer the parser's current request with res: serialize it into the
 * batch, report it to the done hook, then start its stream or move the
 * parser to the next request. Does not flush. */
void edge__conn_answer(edge_conn *c, edge_response *res);

/* Feed request bytes through the parser, answering each request (what
 * on_read does with a read's plaintext). c may be closing afterwards. */
void edge__conn_process(edge_conn *c, const char *data, size_t len);

/* conn_deferred.c: the handler deferred the current request's answer (d,
 * taken from its response). Answers at once when already completed, else
 * parks the connection on it and arms its deadline. */
void edge__conn_defer(edge_conn *c, struct edge_deferred *d);

/* conn_deferred.c: keep bytes that arrived behind a deferred request.
 * Returns 0, or -1 past the bound (then the caller closes). */
int edge__conn_hold(edge_conn *c, const char *data, size_t len);

/* conn_deferred.c: the connection is closing with an answer pending: tell
 * its owner (on_cancel) and forget it. */
void edge__conn_deferred_cancel(edge_conn *c);

/* stream.c: the handler asked for a stream (res->stream); its head is in
 * the batch. Stops the timer and hands the stream to its owner. */
void edge__stream_start(edge_conn *c, edge_response *res, int keep_alive);

/* stream.c: append the terminating chunk to the batch. */
void edge__stream_append_end(edge_conn *c);

#endif
