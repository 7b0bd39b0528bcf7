/* agent_notes_routes.c - agents' private notes on a contact:
 *
 * - POST agent/notes {ContactId, Content}: add a note (text, 1..4000
 *   bytes) to a contact this agent accepted, open or ended.
 * - GET agent/notes?ContactId=: its notes, oldest first.
 *
 * Only the contact's agent reads or writes them (anyone else: 404
 * not_found, as for an unknown contact); a note is neither a message nor a
 * participant event, so the customer never sees one. Like every agent
 * route: 401 without a token, 403 for non-agents. */
#include <cjson/cJSON.h>
#include <llhttp.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_op.h"
#include "api/contact_errors.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/site_request.h"
#include "common/clock.h"
#include "provider/contact_json.h"

static cJSON *note_json(const edge_note *n)
{
    char when[32];
    edge_format_time_ms(n->created_ms, when, sizeof(when));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "NoteId", n->id);
    cJSON_AddStringToObject(o, "ContactId", n->contact_id);
    cJSON_AddStringToObject(o, "Content", n->content ? n->content : "");
    cJSON_AddStringToObject(o, "AuthorName", n->author_name);
    cJSON_AddStringToObject(o, "CreatedAt", when);
    return o;
}

/* The provider's error, with the notes cap in words. */
static void note_error(edge_response *res, int rc)
{
    if (rc == EDGE_STORE_ECAP)
        edge_response_error(res, 409, "notes_full", "This contact holds as many notes as it can.");
    else
        edge_contact_error(res, rc);
}

typedef struct note_add_op {
    edge_api_op base;
    edge_note note;
} note_add_op;

static void answer_note_add(edge_api_op *o, edge_response *res)
{
    note_add_op *op = (note_add_op *)o;
    if (o->call.rc != 0)
        note_error(res, o->call.rc);
    else
        edge_response_api_json(res, 200, note_json(&op->note));
    edge_note_free(&op->note);
}

static void handle_note_add(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    cJSON *body = edge_site_json_request(api, req, res, 1, &who);
    if (body == NULL)
        return;
    const char *id = NULL;
    const char *content = NULL;
    if (edge_json_string_field(body, "ContactId", EDGE_STORE_ID_MAX - 1, 1, res, &id) == 0 &&
        edge_json_string_field(body, "Content", EDGE_NOTE_MAX_BYTES, 1, res, &content) == 0) {
        note_add_op *op = edge_api_op_new(api, sizeof(*op), answer_note_add);
        api->provider->ops->agent_note_add(api->provider, &op->base.call, &who, id, content,
                                           &op->note);
        edge_api_op_started(&op->base, res);
    }
    cJSON_Delete(body);
}

typedef struct notes_op {
    edge_api_op base;
    edge_note list[EDGE_NOTES_PER_CONTACT];
    size_t count;
} notes_op;

static void answer_notes(edge_api_op *o, edge_response *res)
{
    notes_op *op = (notes_op *)o;
    if (o->call.rc != 0) {
        note_error(res, o->call.rc);
    } else {
        cJSON *root = cJSON_CreateObject();
        cJSON *arr = cJSON_AddArrayToObject(root, "Notes");
        for (size_t i = 0; i < op->count; i++)
            cJSON_AddItemToArray(arr, note_json(&op->list[i]));
        edge_response_api_json(res, 200, root);
    }
    for (size_t i = 0; i < op->count; i++)
        edge_note_free(&op->list[i]);
}

static void handle_notes(void *ctx, const edge_request *req, edge_response *res)
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
    notes_op *op = edge_api_op_new(api, sizeof(*op), answer_notes);
    api->provider->ops->agent_notes(api->provider, &op->base.call, &who, id, op->list,
                                    EDGE_NOTES_PER_CONTACT, &op->count);
    edge_api_op_started(&op->base, res);
}

void edge_routes_agent_notes(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_POST, "agent/notes", "agent_notes_add", handle_note_add);
    edge_api_route(api, HTTP_GET, "agent/notes", "agent_notes", handle_notes);
}
