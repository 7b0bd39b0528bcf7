/* agent_stream_routes.c - the routes that keep an agent's console live and
 * let it pick up where the agent was, on any device:
 *
 * - GET agent/events: the agent's own Server-Sent Events stream (queue
 *   changes, offers and their withdrawal, contacts assigned and ended,
 *   customers online or not). The agent token comes in the Authorization
 *   header only, never in the URL; Last-Event-ID (a header) replays what
 *   was missed. While one is open the agent counts as present.
 * - GET agent/contacts: a console's starting point: the agent's status,
 *   the agent stream's newest event id (open the stream with it as
 *   Last-Event-ID) and the open contacts with fresh ParticipantTokens.
 * - POST agent/transcript: a read-only transcript page of a contact this
 *   agent handled (others' are 404).
 * Like every agent route: 401 without a token, 403 for non-agents. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <llhttp.h>
#include <stdlib.h>
#include <string.h>

#include "api/agent_json.h"
#include "api/contact_errors.h"
#include "api/routes.h"
#include "api/site_request.h"
#include "api/transcript_page.h"
#include "common/clock.h"
#include "provider/contact_json.h"

#define AGENT_OPEN_CONTACTS_MAX 100

/* The Last-Event-ID header (0 when absent or not a positive number). */
static int64_t last_event_id(const edge_request *req)
{
    const edge_header *h = edge_request_header(req, "Last-Event-ID");
    if (h == NULL)
        return 0;
    char *end = NULL;
    long long v = strtoll(h->value, &end, 10);
    return end && *end == '\0' && v > 0 ? v : 0;
}

static void handle_agent_events(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    api->provider->ops->agent_events_serve(api->provider, &who, last_event_id(req), res);
}

static void answer_open_contacts(edge_response *res, const edge_identity *who,
                                 const edge_agent_console *console, edge_agent_contact *list,
                                 size_t count)
{
    int64_t now = edge_wall_ms();
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "Status", edge__agent_status_name(console->status));
    cJSON_AddNumberToObject(root, "LastEventId", (double)console->last_event_id);
    cJSON *arr = cJSON_AddArrayToObject(root, "Contacts");
    for (size_t i = 0; i < count; i++) {
        cJSON *o = edge__contact_for_agent(&list[i].contact, 0, now, who->sub);
        cJSON_AddStringToObject(o, "State", "CONNECTED");
        cJSON_AddStringToObject(o, "ParticipantId", list[i].participant_id);
        cJSON_AddStringToObject(o, "ParticipantToken", list[i].participant_token);
        char accepted[32];
        edge_format_time_ms(list[i].accepted_ms, accepted, sizeof(accepted));
        cJSON_AddStringToObject(o, "AcceptedAt", accepted);
        cJSON_AddItemToArray(arr, o);
        edge_contact_free(&list[i].contact);
    }
    edge_response_api_json(res, 200, root);
}

typedef struct open_contacts_op {
    edge_api_op base;
    edge_identity who;
    edge_agent_console console;
    edge_agent_contact list[AGENT_OPEN_CONTACTS_MAX];
    size_t count;
} open_contacts_op;

static void answer_agent_contacts(edge_api_op *o, edge_response *res)
{
    open_contacts_op *op = (open_contacts_op *)o;
    if (o->call.rc == 0) {
        answer_open_contacts(res, &op->who, &op->console, op->list, op->count);
        return;
    }
    for (size_t i = 0; i < op->count; i++)
        edge_contact_free(&op->list[i].contact);
    edge_contact_error(res, o->call.rc);
}

static void handle_agent_contacts(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    open_contacts_op *op = edge_api_op_new(api, sizeof(*op), answer_agent_contacts);
    op->who = who;
    api->provider->ops->agent_contacts(api->provider, &op->base.call, &who, &op->console, op->list,
                                       AGENT_OPEN_CONTACTS_MAX, &op->count);
    edge_api_op_started(&op->base, res);
}

static void handle_agent_transcript(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    cJSON *body = edge_site_json_request(api, req, res, 1, &who);
    if (body == NULL)
        return;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(body, "ContactId");
    size_t max;
    int64_t after;
    if (!cJSON_IsString(id) || id->valuestring[0] == '\0' ||
        strlen(id->valuestring) >= EDGE_STORE_ID_MAX) {
        edge_response_error(res, 400, "bad_request", "ContactId is required.");
    } else if (edge__transcript_read_page(body, res, &max, &after) == 0) {
        edge_transcript_op *op =
            edge_api_op_new(api, sizeof(*op), edge__transcript_op_answer);
        snprintf(op->contact_id, sizeof(op->contact_id), "%s", id->valuestring);
        api->provider->ops->agent_transcript(api->provider, &op->base.call, &who, id->valuestring,
                                             after, op->items, max, &op->count, &op->more);
        edge_api_op_started(&op->base, res);
    }
    cJSON_Delete(body);
}

void edge_routes_agent_stream(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_GET, "agent/events", "agent_events", handle_agent_events);
    edge_api_route(api, HTTP_GET, "agent/contacts", "agent_contacts", handle_agent_contacts);
    edge_api_route(api, HTTP_POST, "agent/transcript", "agent_transcript", handle_agent_transcript);
}
