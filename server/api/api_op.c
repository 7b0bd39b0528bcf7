/* api_op.c - running one provider operation per request (api/api_op.h):
 * the completion callback, the deferral when it comes later, and the
 * cancel when the client leaves first; for a participant's request, the
 * token check before it on the same op. */
#include "api/api_op.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "api/contact_errors.h"
#include "api/participant_auth.h"
#include "common/clock.h"
#include "common/mem.h"

static uint32_t op_timeout_ms(const edge_api_ctx *api)
{
    return api->op_timeout_ms ? api->op_timeout_ms : EDGE_DEFER_DEFAULT_TIMEOUT_MS;
}

/* participant_auth completed (op->start set): start the op's own call
 * with res as its answer. 1 when that call is pending, 0 when the op is
 * over (res to be filled by answer, or filled already: op->answered). */
static int run_start(edge_api_op *op, edge_response *res)
{
    edge_api_start_fn start = op->start;
    op->start = NULL;
    op->answered = 1;
    if (op->deferred != NULL && edge_deferred_expired(op->deferred))
        return 0; /* the 504 went out: nothing more to do */
    if (op->call.rc != 0) {
        edge_participant_auth_error(res, op->call.rc);
        return 0;
    }
    op->call.backend = NULL;
    op->starting = 1;
    op->completed = 0;
    int started = start(op, op->req, res, op->who);
    op->starting = 0;
    if (!started)
        return 0;
    op->answered = 0;
    return !op->completed;
}

/* The op is over: its answer into res (unless filled already), then free. */
static void finish(edge_api_op *op, edge_response *res)
{
    if (!op->answered)
        op->answer(op, res);
    edge_deferred *d = op->deferred;
    free(op);
    if (d != NULL)
        edge_response_complete(d); /* dropped after a 504 */
}

/* The provider completed: inside the start call only note it (the handler
 * answers on return), else go on with the deferred response. */
static void op_done(edge_provider_call *c)
{
    edge_api_op *op = c->opaque;
    if (op->starting) {
        op->completed = 1;
        return;
    }
    edge_response *res = edge_deferred_response(op->deferred);
    if (op->start != NULL && run_start(op, res))
        return;
    finish(op, res);
}

/* The client went away before the provider completed. */
static void op_cancel(edge_deferred *d, void *opaque)
{
    (void)d;
    edge_api_op *op = opaque;
    edge_provider_cancel(op->api->provider, &op->call);
    free(op);
}

void *edge_api_op_new(edge_api_ctx *api, size_t size, edge_api_answer_fn answer)
{
    edge_api_op *op = edge_xcalloc(1, size);
    op->api = api;
    op->answer = answer;
    op->starting = 1;
    op->call.done = op_done;
    op->call.opaque = op;
    op->call.now_ms = edge_wall_ms();
    op->call.deadline_ms = op->call.now_ms + op_timeout_ms(api);
    return op;
}

void edge_api_op_started(edge_api_op *op, edge_response *res)
{
    op->starting = 0;
    if (op->completed && (op->start == NULL || !run_start(op, res))) {
        finish(op, res);
        return;
    }
    op->deferred = edge_response_defer(res, op_timeout_ms(op->api), op_cancel, op);
}

void edge_api_participant_op(edge_api_ctx *api, const edge_request *req, edge_response *res,
                             edge_participant_use use, size_t size, edge_api_answer_fn answer,
                             edge_api_start_fn start)
{
    const char *token;
    size_t len;
    if (edge_participant_token(req, res, &token, &len) != 0)
        return;
    size_t at = (size + _Alignof(edge_participant) - 1) / _Alignof(edge_participant) *
                _Alignof(edge_participant);
    edge_api_op *op = edge_api_op_new(api, at + sizeof(edge_participant), answer);
    op->start = start;
    op->req = req;
    op->who = (edge_participant *)((char *)op + at);
    api->provider->ops->participant_auth(api->provider, &op->call, token, len, use, op->who);
    edge_api_op_started(op, res);
}

void edge_api_answer_empty(edge_api_op *op, edge_response *res)
{
    if (op->call.rc != 0)
        edge_contact_error(res, op->call.rc);
    else
        edge_response_api_json(res, 200, cJSON_CreateObject());
}
