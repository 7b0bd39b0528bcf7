/* agent_wrapup_routes.c - what an agent closes contacts with and types
 * quickly:
 *
 * - GET agent/dispositions: the disposition codes (--dispositions FILE or
 *   the built-in list), {Dispositions: [{Code, Label}]}.
 * - GET agent/disposition?ContactId=: the code one of the agent's contacts
 *   was closed with, {ContactId, Disposition} (null when none).
 *   (POST agent/end {ContactId, Disposition?, Note?} records one:
 *   agent_routes.c.)
 * - GET agent/canned: the shared canned responses (--canned FILE) and the
 *   agent's own, {Canned: [{Id, Title, Text, Shared}]}.
 * - POST agent/canned {Title, Text}: add one of the agent's own (Title up
 *   to 255 bytes, Text up to 2000); 409 canned_full past 100.
 * - DELETE agent/canned?Id=: delete one of the agent's own (404 for
 *   anyone else's and for shared ones).
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

#define CANNED_LIST_MAX (EDGE_LISTS_MAX + EDGE_CANNED_PER_AGENT)

typedef struct dispositions_op {
    edge_api_op base;
    const edge_disposition *list;
    size_t count;
} dispositions_op;

static void answer_dispositions(edge_api_op *o, edge_response *res)
{
    dispositions_op *op = (dispositions_op *)o;
    if (o->call.rc != 0) {
        edge_contact_error(res, o->call.rc);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "Dispositions");
    for (size_t i = 0; i < op->count; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "Code", op->list[i].code);
        cJSON_AddStringToObject(d, "Label", op->list[i].label);
        cJSON_AddItemToArray(arr, d);
    }
    edge_response_api_json(res, 200, root);
}

static void handle_dispositions(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    dispositions_op *op = edge_api_op_new(api, sizeof(*op), answer_dispositions);
    api->provider->ops->agent_dispositions(api->provider, &op->base.call, &who, &op->list,
                                           &op->count);
    edge_api_op_started(&op->base, res);
}

typedef struct disposition_op {
    edge_api_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    char code[EDGE_STORE_TEXT_MAX];
} disposition_op;

static void answer_disposition(edge_api_op *o, edge_response *res)
{
    disposition_op *op = (disposition_op *)o;
    if (o->call.rc != 0) {
        edge_contact_error(res, o->call.rc);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "ContactId", op->contact_id);
    if (op->code[0])
        cJSON_AddStringToObject(root, "Disposition", op->code);
    else
        cJSON_AddNullToObject(root, "Disposition");
    edge_response_api_json(res, 200, root);
}

static void handle_disposition(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    char id[EDGE_STORE_ID_MAX];
    if (edge_request_query_param(req, "ContactId", id, sizeof(id)) <= 0) {
        edge_response_error(res, 400, "bad_request", "ContactId is required.");
        return;
    }
    disposition_op *op = edge_api_op_new(api, sizeof(*op), answer_disposition);
    memcpy(op->contact_id, id, sizeof(id));
    api->provider->ops->agent_disposition(api->provider, &op->base.call, &who, op->contact_id,
                                          op->code);
    edge_api_op_started(&op->base, res);
}

static cJSON *canned_json(const edge_canned *c, int shared)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Id", c->id);
    cJSON_AddStringToObject(o, "Title", c->title);
    cJSON_AddStringToObject(o, "Text", c->content ? c->content : "");
    cJSON_AddBoolToObject(o, "Shared", shared);
    return o;
}

/* The canned cap in words; the rest as every contact error. */
static void canned_error(edge_response *res, int rc)
{
    if (rc == EDGE_STORE_ECAP)
        edge_response_error(res, 409, "canned_full",
                            "You have as many canned responses as you can keep.");
    else
        edge_contact_error(res, rc);
}

typedef struct canned_op {
    edge_api_op base;
    edge_canned list[CANNED_LIST_MAX];
    size_t count, shared;
} canned_op;

static void answer_canned(edge_api_op *o, edge_response *res)
{
    canned_op *op = (canned_op *)o;
    if (o->call.rc != 0) {
        canned_error(res, o->call.rc);
    } else {
        cJSON *root = cJSON_CreateObject();
        cJSON *arr = cJSON_AddArrayToObject(root, "Canned");
        for (size_t i = 0; i < op->count; i++)
            cJSON_AddItemToArray(arr, canned_json(&op->list[i], i < op->shared));
        edge_response_api_json(res, 200, root);
    }
    for (size_t i = 0; i < op->count; i++)
        edge_canned_free(&op->list[i]);
}

static void handle_canned(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    canned_op *op = edge_api_op_new(api, sizeof(*op), answer_canned);
    api->provider->ops->agent_canned(api->provider, &op->base.call, &who, op->list, CANNED_LIST_MAX,
                                     &op->count, &op->shared);
    edge_api_op_started(&op->base, res);
}

typedef struct canned_add_op {
    edge_api_op base;
    edge_canned c;
} canned_add_op;

static void answer_canned_add(edge_api_op *o, edge_response *res)
{
    canned_add_op *op = (canned_add_op *)o;
    if (o->call.rc != 0)
        canned_error(res, o->call.rc);
    else
        edge_response_api_json(res, 200, canned_json(&op->c, 0));
    edge_canned_free(&op->c);
}

static void handle_canned_add(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    cJSON *body = edge_site_json_request(api, req, res, 1, &who);
    if (body == NULL)
        return;
    const char *title = NULL, *text = NULL;
    if (edge_json_string_field(body, "Title", EDGE_STORE_TEXT_MAX - 1, 1, res, &title) == 0 &&
        edge_json_string_field(body, "Text", EDGE_CANNED_MAX_BYTES, 1, res, &text) == 0) {
        canned_add_op *op = edge_api_op_new(api, sizeof(*op), answer_canned_add);
        api->provider->ops->agent_canned_add(api->provider, &op->base.call, &who, title, text,
                                             &op->c);
        edge_api_op_started(&op->base, res);
    }
    cJSON_Delete(body);
}

static void handle_canned_delete(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    char id[EDGE_STORE_ID_MAX];
    if (edge_request_query_param(req, "Id", id, sizeof(id)) <= 0) {
        edge_response_error(res, 400, "bad_request", "Id is required.");
        return;
    }
    edge_api_op *o = edge_api_op_new(api, sizeof(*o), edge_api_answer_empty);
    api->provider->ops->agent_canned_delete(api->provider, &o->call, &who, id);
    edge_api_op_started(o, res);
}

void edge_routes_agent_wrapup(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_GET, "agent/dispositions", "agent_dispositions", handle_dispositions);
    edge_api_route(api, HTTP_GET, "agent/disposition", "agent_disposition", handle_disposition);
    edge_api_route(api, HTTP_GET, "agent/canned", "agent_canned", handle_canned);
    edge_api_route(api, HTTP_POST, "agent/canned", "agent_canned_add", handle_canned_add);
    edge_api_route(api, HTTP_DELETE, "agent/canned", "agent_canned_delete", handle_canned_delete);
}
