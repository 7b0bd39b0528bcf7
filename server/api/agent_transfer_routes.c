/* agent_transfer_routes.c - handing a contact on:
 *
 * - GET agent/transfer-targets: {Agents: [{AgentId, Name}], Queues:
 *   [{Queue}]}: the available agents but the caller, and the queues
 *   (the default "" first, then those where contacts wait).
 * - POST agent/transfer {ContactId, AgentId} or {ContactId, Queue}: hand a
 *   connected chat or browser call of the caller's to that agent (who
 *   must be available: else 409 agent_unavailable) or queue. The caller's
 *   ParticipantToken for it stops working; the customer hears
 *   contact.transferring, then the next agent joining.
 * Like every agent route: 401 without a token, 403 for non-agents. */
#include <cjson/cJSON.h>
#include <llhttp.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_op.h"
#include "api/contact_errors.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/site_request.h"

#define TARGET_AGENTS_MAX 200
#define TARGET_QUEUES_MAX 32

typedef struct targets_op {
    edge_api_op base;
    edge_agent_entry agents[TARGET_AGENTS_MAX];
    size_t count;
    char queues[TARGET_QUEUES_MAX][EDGE_STORE_TEXT_MAX];
    size_t qcount;
} targets_op;

static void answer_targets(edge_api_op *o, edge_response *res)
{
    targets_op *op = (targets_op *)o;
    if (o->call.rc != 0) {
        edge_contact_error(res, o->call.rc);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *agents = cJSON_AddArrayToObject(root, "Agents");
    for (size_t i = 0; i < op->count; i++) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "AgentId", op->agents[i].sub);
        cJSON_AddStringToObject(a, "Name", op->agents[i].name);
        cJSON_AddItemToArray(agents, a);
    }
    cJSON *queues = cJSON_AddArrayToObject(root, "Queues");
    for (size_t i = 0; i < op->qcount; i++) {
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "Queue", op->queues[i]);
        cJSON_AddItemToArray(queues, q);
    }
    edge_response_api_json(res, 200, root);
}

static void handle_targets(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    targets_op *op = edge_api_op_new(api, sizeof(*op), answer_targets);
    api->provider->ops->agent_transfer_targets(api->provider, &op->base.call, &who, op->agents,
                                               TARGET_AGENTS_MAX, &op->count, op->queues,
                                               TARGET_QUEUES_MAX, &op->qcount);
    edge_api_op_started(&op->base, res);
}

static void answer_transfer(edge_api_op *o, edge_response *res)
{
    if (o->call.rc == EDGE_STORE_ECONFLICT)
        edge_response_error(res, 409, "agent_unavailable",
                            "That agent is not available to take it.");
    else
        edge_api_answer_empty(o, res);
}

/* Exactly one of AgentId and Queue (Queue may be "": the default queue). */
static int read_target(const cJSON *body, edge_response *res, const char **agent,
                       const char **queue)
{
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(body, "Queue");
    *queue = NULL;
    if (edge_json_string_field(body, "AgentId", EDGE_STORE_TEXT_MAX - 1, 0, res, agent) < 0)
        return -1;
    if (q != NULL && (!cJSON_IsString(q) || strlen(q->valuestring) >= EDGE_STORE_TEXT_MAX ||
                      strncmp(q->valuestring, "agent:", 6) == 0)) {
        edge_response_error(res, 400, "bad_request", "Queue must be a queue's name.");
        return -1;
    }
    if (q != NULL)
        *queue = q->valuestring;
    if ((*agent == NULL) == (*queue == NULL)) {
        edge_response_error(res, 400, "bad_request", "Give either AgentId or Queue.");
        return -1;
    }
    return 0;
}

static void handle_transfer(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    cJSON *body = edge_site_json_request(api, req, res, 1, &who);
    if (body == NULL)
        return;
    const char *id = NULL, *agent = NULL, *queue = NULL;
    if (edge_json_string_field(body, "ContactId", EDGE_STORE_ID_MAX - 1, 1, res, &id) == 0 &&
        read_target(body, res, &agent, &queue) == 0) {
        edge_api_op *o = edge_api_op_new(api, sizeof(*o), answer_transfer);
        api->provider->ops->agent_transfer(api->provider, &o->call, &who, id, queue, agent);
        edge_api_op_started(o, res);
    }
    cJSON_Delete(body);
}

void edge_routes_agent_transfer(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_GET, "agent/transfer-targets", "agent_transfer_targets",
                   handle_targets);
    edge_api_route(api, HTTP_POST, "agent/transfer", "agent_transfer", handle_transfer);
}
