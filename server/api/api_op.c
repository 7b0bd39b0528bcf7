/* api_op.c - running one provider operation per request (api/api_op.h):
 * the completion callback, the deferral when it comes later, and the
 * cancel when the client leaves first. */
#include "api/api_op.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "api/contact_errors.h"
#include "common/clock.h"
#include "common/mem.h"

static uint32_t op_timeout_ms(const edge_api_ctx *api)
{
    return api->op_timeout_ms ? api->op_timeout_ms : EDGE_DEFER_DEFAULT_TIMEOUT_MS;
}

/* The provider completed: inside the start call only note it (the handler
 * answers on return), else answer the deferred response and finish. */
static void op_done(edge_provider_call *c)
{
    edge_api_op *op = c->opaque;
    if (op->starting) {
        op->completed = 1;
        return;
    }
    op->answer(op, edge_deferred_response(op->deferred)); /* dropped after a 504 */
    edge_response_complete(op->deferred);
    free(op);
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
    if (op->completed) {
        op->answer(op, res);
        free(op);
        return;
    }
    op->deferred = edge_response_defer(res, op_timeout_ms(op->api), op_cancel, op);
}

void edge_api_answer_empty(edge_api_op *op, edge_response *res)
{
    if (op->call.rc != 0)
        edge_contact_error(res, op->call.rc);
    else
        edge_response_api_json(res, 200, cJSON_CreateObject());
}
