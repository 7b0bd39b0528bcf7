/* agent_routes.c - the agent side: status, queue, accept, reject, end,
 * history; and the public availability check the widget uses to grey itself
 * out.
 *
 * Every agent route needs a site token whose groups contain "agents"
 * (identity.is_agent); a customer's token gets 403. Agents chat through the
 * same participant routes as customers, with the ParticipantToken that
 * accepting a contact gives them. Calls are offered (rung) to one agent at
 * a time: the queue marks the calls ringing the agent who asks with
 * OfferedTo, and that agent accepts or rejects them. */
#include <cjson/cJSON.h>
#include <llhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/agent_json.h"
#include "api/api_op.h"
#include "api/contact_errors.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/site_request.h"
#include "common/clock.h"
#include "provider/contact_json.h"

#define AGENT_LIST_MAX 100
#define AGENT_QUEUE_NAME_MAX 128

/* ?queue= (default queue when absent). 0, or -1 after a 400. */
static int read_queue_param(const edge_request *req, edge_response *res, char *out, size_t cap)
{
    int n = edge_request_query_param(req, "queue", out, cap);
    if (n == -1) {
        out[0] = '\0';
        return 0;
    }
    if (n < 0) {
        edge_response_error(res, 400, "bad_request", "queue must be at most 127 bytes.");
        return -1;
    }
    return 0;
}

const char *edge__agent_status_name(int status)
{
    return status == EDGE_AGENT_AVAILABLE ? "available"
           : status == EDGE_AGENT_AWAY    ? "away"
                                          : "offline";
}

int edge__agent_status_parse(const char *word)
{
    static const int all[] = {EDGE_AGENT_AVAILABLE, EDGE_AGENT_AWAY, EDGE_AGENT_OFFLINE};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (strcmp(word, edge__agent_status_name(all[i])) == 0)
            return all[i];
    return -1;
}

typedef struct status_op {
    edge_api_op base;
    int status;
} status_op;

static void answer_status(edge_api_op *o, edge_response *res)
{
    status_op *op = (status_op *)o;
    if (o->call.rc != 0) {
        edge_contact_error(res, o->call.rc);
        return;
    }
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "status", edge__agent_status_name(op->status));
    edge_response_api_json(res, 200, obj);
}

static void handle_status(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return;
    const char *status = NULL;
    if (edge_json_string_field(body, "status", 16, 1, res, &status) == 0) {
        int st = edge__agent_status_parse(status);
        if (st < 0) {
            edge_response_error(res, 400, "bad_request",
                                "status must be available, away or offline.");
        } else {
            status_op *op = edge_api_op_new(api, sizeof(*op), answer_status);
            op->status = st;
            api->provider->ops->agent_set_status(api->provider, &op->base.call, &who, st);
            edge_api_op_started(&op->base, res);
        }
    }
    cJSON_Delete(body);
}

static const char *kind_name(edge_contact_kind k)
{
    return k == EDGE_CONTACT_CALL ? "CALL" : "CHAT";
}


cJSON *edge__contact_for_agent(const edge_contact *c, size_t position, int64_t now_ms,
                               const char *viewer_sub)
{
    char when[32];
    edge_format_time_ms(c->created_ms, when, sizeof(when));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", c->id);
    cJSON_AddStringToObject(o, "Kind", kind_name(c->kind));
    cJSON_AddStringToObject(o, "CustomerName", c->customer_name);
    cJSON_AddStringToObject(o, "CustomerEmail", c->customer_email);
    cJSON_AddStringToObject(o, "CreatedAt", when);
    cJSON_AddNumberToObject(o, "Priority", c->priority);
    if (position > 0) {
        cJSON_AddNumberToObject(o, "Position", (double)position);
        cJSON_AddNumberToObject(o, "WaitSeconds", (double)((now_ms - c->created_ms) / 1000));
        cJSON_AddStringToObject(o, "State", edge_contact_state_name(c->state));
        cJSON_AddBoolToObject(o, "OfferedTo",
                              c->state == EDGE_CONTACT_RINGING &&
                                  strcmp(c->offered_to, viewer_sub) == 0);
    }
    if (c->state != EDGE_CONTACT_ENDED)
        cJSON_AddBoolToObject(o, "CustomerOnline", c->customer_away_ms == 0);
    if (c->previous_contact_id[0])
        cJSON_AddStringToObject(o, "PreviousContactId", c->previous_contact_id);
    if (c->end_reason[0])
        cJSON_AddStringToObject(o, "EndReason", c->end_reason);
    cJSON *attrs = c->attributes_json ? cJSON_Parse(c->attributes_json) : NULL;
    if (attrs)
        cJSON_AddItemToObject(o, "Attributes", attrs);
    if (c->rating_score > 0) {
        cJSON *rating = cJSON_AddObjectToObject(o, "Rating");
        cJSON_AddNumberToObject(rating, "Score", c->rating_score);
        cJSON_AddStringToObject(rating, "Comment", c->rating_comment ? c->rating_comment : "");
    }
    return o;
}

/* Answer {<key>: [contacts]} and free the list; with positions, as the
 * queue of viewer_sub. */
static void answer_contacts(edge_response *res, const char *key, edge_contact *list, size_t count,
                            int positions, const char *viewer_sub)
{
    int64_t now = edge_wall_ms();
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, key);
    for (size_t i = 0; i < count; i++) {
        cJSON_AddItemToArray(arr,
                             edge__contact_for_agent(&list[i], positions ? i + 1 : 0, now,
                                                     viewer_sub));
        edge_contact_free(&list[i]);
    }
    edge_response_api_json(res, 200, root);
}

/* A list of contacts in flight (agent_queue, agent_history). */
typedef struct list_op {
    edge_api_op base;
    edge_contact list[AGENT_LIST_MAX];
    size_t count;
    int positions; /* queue positions (the queue), or none (the history) */
    char viewer_sub[EDGE_IDENTITY_FIELD_MAX];
} list_op;

static void answer_list(edge_api_op *o, edge_response *res)
{
    list_op *op = (list_op *)o;
    if (o->call.rc == 0) {
        answer_contacts(res, "Contacts", op->list, op->count, op->positions, op->viewer_sub);
        return;
    }
    for (size_t i = 0; i < op->count; i++)
        edge_contact_free(&op->list[i]);
    edge_contact_error(res, o->call.rc);
}

static list_op *list_op_new(edge_api_ctx *api, const edge_identity *who, int positions)
{
    list_op *op = edge_api_op_new(api, sizeof(*op), answer_list);
    op->positions = positions;
    snprintf(op->viewer_sub, sizeof(op->viewer_sub), "%s", who->sub);
    return op;
}

static void handle_queue(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    char queue[AGENT_QUEUE_NAME_MAX];
    if (edge_site_identity(api, req, res, 1, &who) < 0 ||
        read_queue_param(req, res, queue, sizeof(queue)))
        return;
    list_op *op = list_op_new(api, &who, 1);
    api->provider->ops->agent_queue(api->provider, &op->base.call, &who, queue, op->list,
                                    AGENT_LIST_MAX, &op->count);
    edge_api_op_started(&op->base, res);
}

static void handle_history(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    list_op *op = list_op_new(api, &who, 0);
    api->provider->ops->agent_history(api->provider, &op->base.call, &who, op->list,
                                      AGENT_LIST_MAX, &op->count);
    edge_api_op_started(&op->base, res);
}

/* Read {ContactId} from the body. 0, or -1 after a 400. */
static int read_contact_id(const edge_request *req, edge_response *res, char *out, size_t cap)
{
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return -1;
    const char *id = NULL;
    int rc = edge_json_string_field(body, "ContactId", cap - 1, 1, res, &id);
    if (rc == 0)
        strcpy(out, id);
    cJSON_Delete(body);
    return rc == 0 ? 0 : -1;
}

typedef struct accept_op {
    edge_api_op base;
    edge_joined j;
} accept_op;

static void answer_accept(edge_api_op *o, edge_response *res)
{
    accept_op *op = (accept_op *)o;
    if (o->call.rc != 0) {
        edge_contact_error(res, o->call.rc);
        return;
    }
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "ContactId", op->j.contact_id);
    cJSON_AddStringToObject(obj, "ParticipantId", op->j.participant_id);
    cJSON_AddStringToObject(obj, "ParticipantToken", op->j.participant_token);
    edge_response_api_json(res, 200, obj);
}

static void handle_accept(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    char contact_id[EDGE_STORE_ID_MAX];
    if (edge_site_identity(api, req, res, 1, &who) < 0 ||
        read_contact_id(req, res, contact_id, sizeof(contact_id)) < 0)
        return;
    accept_op *op = edge_api_op_new(api, sizeof(*op), answer_accept);
    api->provider->ops->agent_accept(api->provider, &op->base.call, &who, contact_id, &op->j);
    edge_api_op_started(&op->base, res);
}

/* An agent's operation on one contact ({ContactId} in, {} out). */
typedef void (*agent_contact_op)(edge_provider *p, edge_provider_call *c,
                                 const edge_identity *agent, const char *contact_id);

static void agent_contact_action(edge_api_ctx *api, const edge_request *req, edge_response *res,
                                 agent_contact_op op)
{
    edge_identity who;
    char contact_id[EDGE_STORE_ID_MAX];
    if (edge_site_identity(api, req, res, 1, &who) < 0 ||
        read_contact_id(req, res, contact_id, sizeof(contact_id)) < 0)
        return;
    edge_api_op *o = edge_api_op_new(api, sizeof(*o), edge_api_answer_empty);
    op(api->provider, &o->call, &who, contact_id);
    edge_api_op_started(o, res);
}

/* Turn down a call that rings this agent (409 conflict for any other). */
static void handle_reject(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    agent_contact_action(api, req, res, api->provider->ops->agent_reject);
}

/* A wrap-up's answer: an unknown disposition code in words. */
static void answer_wrapup(edge_api_op *o, edge_response *res)
{
    if (o->call.rc == EDGE_STORE_EINVAL)
        edge_response_error(res, 400, "bad_disposition",
                            "Disposition is not one of GET agent/dispositions' codes.");
    else
        edge_api_answer_empty(o, res);
}

/* {ContactId, Disposition?, Note?}: with either of the two a wrap-up
 * (ending the contact if still open), else a plain end. */
static void handle_end(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return;
    const char *id = NULL, *code = NULL, *note = NULL;
    if (edge_json_string_field(body, "ContactId", EDGE_STORE_ID_MAX - 1, 1, res, &id) == 0 &&
        edge_json_string_field(body, "Disposition", EDGE_STORE_TEXT_MAX - 1, 0, res, &code) >= 0 &&
        edge_json_string_field(body, "Note", EDGE_NOTE_MAX_BYTES, 0, res, &note) >= 0) {
        if (code == NULL && note == NULL) {
            edge_api_op *o = edge_api_op_new(api, sizeof(*o), edge_api_answer_empty);
            api->provider->ops->agent_end(api->provider, &o->call, &who, id);
            edge_api_op_started(o, res);
        } else {
            edge_api_op *o = edge_api_op_new(api, sizeof(*o), answer_wrapup);
            api->provider->ops->agent_wrapup(api->provider, &o->call, &who, id, code, note);
            edge_api_op_started(o, res);
        }
    }
    cJSON_Delete(body);
}

/* A plausible address: one '@' with text on both sides, no blanks. The
 * real check is the customer's verified token carrying this email. */
static int email_ok(const char *e)
{
    const char *at = strchr(e, '@');
    return at && at != e && at[1] != '\0' && strchr(at + 1, '@') == NULL &&
           strpbrk(e, " \t\r\n") == NULL;
}

static void answer_route(edge_api_ctx *api, edge_response *res, const edge_adhoc_route *r)
{
    char when[32], url[600];
    edge_format_time_ms(r->expires_ms, when, sizeof(when));
    const char *link = api->cfg->ref_link;
    if (link != NULL)
        snprintf(url, sizeof(url), "%s%cc2c-ref=%s", link, strchr(link, '?') ? '&' : '?',
                 r->route_id);
    else
        snprintf(url, sizeof(url), "/?videoReferenceId=%s", r->route_id);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "routeId", r->route_id);
    cJSON_AddStringToObject(o, "expiresAt", when);
    cJSON_AddStringToObject(o, "url", url);
    edge_response_api_json(res, 200, o);
}

typedef struct adhoc_op {
    edge_api_op base;
    edge_adhoc_route r;
} adhoc_op;

static void answer_adhoc(edge_api_op *o, edge_response *res)
{
    if (o->call.rc != 0)
        edge_contact_error(res, o->call.rc);
    else
        answer_route(o->api, res, &((adhoc_op *)o)->r);
}

static void handle_adhoc(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 1, &who) < 0)
        return;
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return;
    const char *email = NULL;
    const cJSON *to_agent = cJSON_GetObjectItemCaseSensitive(body, "routeToAgentQueue");
    if (edge_json_string_field(body, "attendeeEmail", 254, 1, res, &email) == 0) {
        if (!email_ok(email)) {
            edge_response_error(res, 400, "bad_request", "attendeeEmail is not an email address.");
        } else if (to_agent && !cJSON_IsBool(to_agent)) {
            edge_response_error(res, 400, "bad_request", "routeToAgentQueue must be true or false.");
        } else {
            adhoc_op *op = edge_api_op_new(api, sizeof(*op), answer_adhoc);
            api->provider->ops->adhoc_create(api->provider, &op->base.call, &who, email,
                                             to_agent == NULL || cJSON_IsTrue(to_agent),
                                             api->cfg->adhoc_ttl_s, &op->r);
            edge_api_op_started(&op->base, res);
        }
    }
    cJSON_Delete(body);
}

typedef struct avail_op {
    edge_api_op base;
    edge_availability av;
    char queue[AGENT_QUEUE_NAME_MAX];
} avail_op;

static void answer_availability(edge_api_op *o, edge_response *res)
{
    avail_op *op = (avail_op *)o;
    if (o->call.rc != 0) {
        edge_contact_error(res, o->call.rc);
        return;
    }
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "queue", op->queue);
    cJSON_AddBoolToObject(obj, "available", op->av.agents_available > 0);
    cJSON_AddNumberToObject(obj, "agentsAvailable", op->av.agents_available);
    cJSON_AddNumberToObject(obj, "queueDepth", (double)op->av.queue_depth);
    edge_response_api_json(res, 200, obj);
}

/* No token: the widget asks before it shows itself. */
static void handle_availability(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    char queue[AGENT_QUEUE_NAME_MAX];
    if (read_queue_param(req, res, queue, sizeof(queue)) < 0)
        return;
    avail_op *op = edge_api_op_new(api, sizeof(*op), answer_availability);
    snprintf(op->queue, sizeof(op->queue), "%s", queue);
    api->provider->ops->availability(api->provider, &op->base.call, queue, &op->av);
    edge_api_op_started(&op->base, res);
}

void edge_routes_agents(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_POST, "agent/status", "agent_status", handle_status);
    edge_api_route(api, HTTP_GET, "agent/queue", "agent_queue", handle_queue);
    edge_api_route(api, HTTP_POST, "agent/accept", "agent_accept", handle_accept);
    edge_api_route(api, HTTP_POST, "agent/reject", "agent_reject", handle_reject);
    edge_api_route(api, HTTP_POST, "agent/end", "agent_end", handle_end);
    edge_api_route(api, HTTP_GET, "agent/history", "agent_history", handle_history);
    edge_api_route(api, HTTP_GET, "availability", "availability", handle_availability);
    edge_api_route(api, HTTP_POST, "adhoc", "adhoc", handle_adhoc);
}
