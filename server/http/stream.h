/* stream.h - responses that stay open and are written over time (SSE).
 *
 * A handler that wants a stream calls edge_response_start_stream() instead of
 * setting a body. The connection then sends the head with
 * "Transfer-Encoding: chunked", calls on_open with an edge_stream handle, and
 * from then on the owner (e.g. the event hub) writes chunks whenever it has
 * something to say. The connection reads nothing more while streaming (a
 * client that sends bytes anyway is disconnected) and runs no idle timer:
 * the owner sends heartbeats.
 *
 * Lifetime: the handle belongs to the connection. It stays valid until
 * either the owner calls edge_stream_end(), or on_close fires (peer gone,
 * write error, buffer bound exceeded, server shutting down), whichever comes
 * first; on_close fires at most once and never after edge_stream_end. After
 * that the owner must forget the pointer.
 *
 * Slow readers: when more than max_queued bytes wait unsent, the connection
 * is closed (on_close fires), so one stuck client never holds memory or the
 * loop hostage. The transport (net/stream.c) implements these functions. */
#ifndef EDGE_STREAM_H
#define EDGE_STREAM_H

#include <stddef.h>

#include "http/response.h"

typedef struct edge_stream edge_stream;

typedef void (*edge_stream_open_fn)(edge_stream *s, void *opaque);
typedef void (*edge_stream_drain_fn)(edge_stream *s, void *opaque);
typedef void (*edge_stream_close_fn)(edge_stream *s, void *opaque);

/* Turn res into a stream: status (usually 200), Content-Type, and the
 * callbacks. on_close may be NULL. The response gets Cache-Control:
 * no-store; add other headers as usual. */
void edge_response_start_stream(edge_response *res, int status, const char *content_type,
                                edge_stream_open_fn on_open, edge_stream_close_fn on_close,
                                void *opaque, size_t max_queued);

/* Send len bytes as one chunk. Returns 0, or -1 when the stream is closed
 * or had to be closed because the client does not keep up (then on_close
 * has already fired). len 0 is a no-op. */
int edge_stream_write(edge_stream *s, const void *data, size_t len);

/* Bytes written to the stream but not yet taken by the socket. */
size_t edge_stream_queued(const edge_stream *s);

/* Ask for one call of on_drain once the unsent bytes fall to a quarter of
 * the stream's bound: a producer with a backlog (event replay) writes in
 * steps instead of all at once and tripping the bound. The callback may
 * write. A later request replaces an earlier one. */
void edge_stream_when_drained(edge_stream *s, edge_stream_drain_fn on_drain);

/* Finish the stream (terminating chunk); the connection goes back to
 * reading requests if keep-alive allows. on_close does not fire. */
void edge_stream_end(edge_stream *s);

#endif
