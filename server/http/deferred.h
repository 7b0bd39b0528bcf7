/* deferred.h - responses a handler finishes later (on a later loop turn).
 *
 * A handler that cannot answer at once (its answer waits for another
 * process: a gateway, a shared store) calls edge_response_defer() and
 * returns. It keeps the handle, fills edge_deferred_response() when the
 * answer is known and calls edge_response_complete(). Whatever the handler
 * put into res before deferring moves into the deferred response; headers
 * the dispatcher adds to res after the handler returns (CORS, HSTS) are
 * merged in when the transport takes the handle.
 *
 * What the transport (net/) guarantees:
 * - Order: a connection answers its requests in order. While a response is
 *   deferred the connection parses nothing further; requests pipelined
 *   behind it wait (up to 64 KiB of them are held, more closes the
 *   connection) and are answered after it.
 * - Deadline: timeout_ms after the request was handed over (0 picks
 *   EDGE_DEFER_DEFAULT_TIMEOUT_MS) the client gets 504 upstream_timeout and
 *   the connection goes on. The handle stays valid: the owner still calls
 *   edge_response_complete() once, and that late answer is dropped
 *   (edge_deferred_expired() tells the owner it may skip the work).
 * - Cancel: when the client goes away (EOF, reset, write error) or the
 *   server gives up on the connection (the shutdown grace ran out) before
 *   completion, on_cancel fires exactly once, from the loop. After it
 *   returns the handle is freed: the owner must forget it and never call
 *   edge_response_complete() on it. on_cancel never fires after completion
 *   or after the deadline.
 * - Completion may happen inside the handler (before it returns: answered
 *   like a plain response) or on any later loop turn; never from a thread.
 * - TLS connections behave the same.
 *
 * - The request handed to the handler stays valid until the answer is
 *   sent (completion, or the deadline's 504) or on_cancel has fired: an
 *   owner may read it when it completes (but not after a 504).
 *
 * A deferred response may become a stream (http/stream.h) when it is
 * completed: the stream opens then (on_open fires inside
 * edge_response_complete) and the connection reads no further requests,
 * as with a stream started by the handler. */
#ifndef EDGE_DEFERRED_H
#define EDGE_DEFERRED_H

#include <stdint.h>

#include "http/response.h"

#define EDGE_DEFER_DEFAULT_TIMEOUT_MS 10000

typedef struct edge_deferred edge_deferred;

typedef void (*edge_deferred_cancel_fn)(edge_deferred *d, void *opaque);

/* Inside a handler: answer res later. Returns the handle (never NULL; out
 * of memory aborts). on_cancel may be NULL when the owner has nothing to
 * stop. Call at most once per response. */
edge_deferred *edge_response_defer(edge_response *res, uint32_t timeout_ms,
                                   edge_deferred_cancel_fn on_cancel, void *opaque);

/* The response to fill before completing (status, headers, body; not a
 * stream). Owned by the handle. */
edge_response *edge_deferred_response(edge_deferred *d);

/* Send the filled response (or drop it after the deadline). The owner must
 * not touch d afterwards. A second call is a programming error (ignored). */
void edge_response_complete(edge_deferred *d);

/* 1 once the deadline has answered 504 (a completion will be dropped). */
int edge_deferred_expired(const edge_deferred *d);

/* ---- the transport's side (net/ and drivers without sockets) ---- */

struct edge_deferred {
    edge_response res;   /* the answer, filled by the owner */
    uint32_t timeout_ms; /* 0: the default */
    edge_deferred_cancel_fn on_cancel;
    void *opaque;
    int completed; /* edge_response_complete was called */
    int expired;   /* the deadline answered; the handle waits for completion */
    void (*on_complete)(edge_deferred *d); /* the transport's hook, set by adopt */
    void *transport;                       /* the transport's own pointer (a connection) */
    edge_buf outer;                        /* headers the dispatcher added (CORS), for a 504 */
};

/* Take the handle out of res (NULL when the handler did not defer),
 * merging res's headers and close flag into the deferred response. */
edge_deferred *edge__deferred_take(edge_response *res);

/* The transport gives up before completion: on_cancel fires, d is freed. */
void edge__deferred_cancel(edge_deferred *d);

/* The deadline passed: d is marked expired and freed now if the owner has
 * already completed it, else by the owner's late completion. */
void edge__deferred_expire(edge_deferred *d);

/* Free a completed handle once the transport has sent its answer. */
void edge__deferred_free(edge_deferred *d);

#endif
