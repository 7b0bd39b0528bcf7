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
 * answer (the provider writes no results before completing).
 *
 * A participant's request (chat, calls, video, rating, events) runs two
 * calls on one op and one response: the provider's participant_auth on
 * the request's ParticipantToken, then its own op, started by the route's
 * start function once the token is good (edge_api_participant_op). */
#ifndef EDGE_API_OP_H
#define EDGE_API_OP_H

#include <stddef.h>

#include "api/api_ctx.h"
#include "http/deferred.h"
#include "http/request.h"

typedef struct edge_api_op edge_api_op;

/* Fill res from op->call.rc and the op's results; release the results. */
typedef void (*edge_api_answer_fn)(edge_api_op *op, edge_response *res);

/* A participant's request once its token is good (edge_api_participant_op):
 * read req (valid: the handler's, or kept by the transport while the answer
 * is pending, http/deferred.h) and who (the op's), then either start
 * exactly one provider call with &op->call and return 1 (answer maps it
 * later), or fill res (an error, or a stream: events_serve) and return 0
 * (answer is not called). */
typedef int (*edge_api_start_fn)(edge_api_op *op, const edge_request *req, edge_response *res,
                                 const edge_participant *who);

struct edge_api_op {
    edge_provider_call call; /* first: the provider's view */
    edge_api_ctx *api;       /* borrowed */
    edge_api_answer_fn answer;
    edge_deferred *deferred; /* set when the answer waits for a later turn */
    int starting;            /* inside the start call */
    int completed;           /* done fired while starting */
    int answered;            /* res was filled without answer (start returned 0) */
    /* a participant's request (edge_api_participant_op) */
    edge_api_start_fn start; /* set while participant_auth runs, then NULL */
    const edge_request *req; /* borrowed, for start */
    edge_participant *who;   /* participant_auth's answer, in the op's allocation after the
                                route's own struct (other ops do not pay for it) */
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

/* A participant's request: take the ParticipantToken from req
 * (api/participant_auth.h: 400 token_in_url and 401
 * missing_participant_token are answered at once), run the provider's
 * participant_auth for use on a new op of size bytes (as edge_api_op_new),
 * then start(op, req, res, op->who) on the same op and response. A token
 * the provider refuses is 401 invalid_participant_token; a store that
 * cannot answer 503 store_unavailable, a deadline 504 (the seam's
 * errors); start never runs then, nor after the client has gone or the
 * deadline has answered. Either call may complete inside its start
 * (nothing is deferred) or later. */
void edge_api_participant_op(edge_api_ctx *api, const edge_request *req, edge_response *res,
                             edge_participant_use use, size_t size, edge_api_answer_fn answer,
                             edge_api_start_fn start);

/* An answer for ops without results: 200 {} or the contact error. */
void edge_api_answer_empty(edge_api_op *op, edge_response *res);

#endif
