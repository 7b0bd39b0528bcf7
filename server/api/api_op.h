/* api_op.h - a route's side of the asynchronous provider seam.
 *
 * A handler parses and authenticates, then runs one provider operation
 * through an edge_api_op:
 *
 *     my_op *op = edge_api_op_new(api, sizeof(*op), answer_mine);
 *     api->provider->ops->something(api->provider, &op->base.call, ..., &op->result);
 *     edge_api_op_started(&op->base, res);
 *
 * The op (a struct whose first member is edge_api_op, zeroed) holds the
 * call and the results, and lives until the answer is written. answer
 * maps op->call.rc and the results into an HTTP response and releases
 * what the results own; it runs exactly once when the provider completes,
 * whether that happens inside the start call (answered like a plain
 * handler, nothing deferred) or on a later loop turn (the response was
 * deferred in edge_api_op_started and is completed then; after the
 * deadline's 504 the answer is built and dropped). When the client goes
 * away first, the provider call is cancelled and the op freed without an
 * answer (the provider writes no results before completing). */
#ifndef EDGE_API_OP_H
#define EDGE_API_OP_H

#include <stddef.h>

#include "api/api_ctx.h"
#include "http/deferred.h"

typedef struct edge_api_op edge_api_op;

/* Fill res from op->call.rc and the op's results; release the results. */
typedef void (*edge_api_answer_fn)(edge_api_op *op, edge_response *res);

struct edge_api_op {
    edge_provider_call call; /* first: the provider's view */
    edge_api_ctx *api;       /* borrowed */
    edge_api_answer_fn answer;
    edge_deferred *deferred; /* set when the answer waits for a later turn */
    int starting;            /* inside the start call */
    int completed;           /* done fired while starting */
};

/* A zeroed op of size bytes (at least sizeof(edge_api_op)) with its call
 * ready: now_ms is now, the deadline api->op_timeout_ms (0: the deferred
 * default) from now. Owned by the op machinery from here on: the caller
 * must start exactly one provider call with &op->call, then call
 * edge_api_op_started. */
void *edge_api_op_new(edge_api_ctx *api, size_t size, edge_api_answer_fn answer);

/* After the start call returned, still inside the handler: answer res now
 * if the provider has completed, else defer res until it does. Frees op
 * when done (the caller must not touch it afterwards). */
void edge_api_op_started(edge_api_op *op, edge_response *res);

/* An answer for ops without results: 200 {} or the contact error. */
void edge_api_answer_empty(edge_api_op *op, edge_response *res);

#endif
