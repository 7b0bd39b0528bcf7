/* call_routes.c - click-to-call: dial, update (DTMF, hang up) and the
 * WebRTC signaling relay.
 *
 * Shapes follow the Amazon Chime SDK click-to-call sample: POST
 * {prefix}dial {toNumber} answers {responseInfo:{Meeting, Attendee},
 * dialInfo:{SipMediaApplicationCall:{TransactionId}}}, and POST
 * {prefix}update {update:"digit", digit, transactionId} or {update:"end",
 * meetingId}, both with a site login token. Here the "meeting" is the call's
 * contact, and the attendee's JoinToken is a ParticipantToken: the caller
 * reads its events from EventsUrl and exchanges WebRTC offers, answers and
 * candidates with the agent through SignalingUrl (participant/signal).
 *
 * The dial policy is the operator's (--dial-allow, --dial-deny,
 * --dial-queue): numbers are normalized and checked here, before the
 * provider is asked for anything, so a refused number creates nothing. */
#include <cjson/cJSON.h>
#include <llhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_op.h"
#include "api/contact_errors.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/site_request.h"
#include "common/buf.h"
#include "common/clock.h"
#include "common/json_text.h"

#define CALL_NUMBER_INPUT_MAX 64 /* toNumber as typed, with spaces and dashes */
#define CALL_E164_MAX 16         /* "+" and up to 15 digits */
#define CALL_E164_MIN_DIGITS 7   /* the shortest numbers in service (e.g. +683 and 4) */
#define CALL_MAX_ATTRIBUTES_BYTES 8192
#define CALL_MAX_DIGITS 20
#define CALL_MAX_PAYLOAD_BYTES 16384 /* one signaling message, serialized */
#define CALL_DTMF_CHARS "0123456789*#ABCD"

/* ---- dial ------------------------------------------------------------- */

/* As the sample does: drop spaces, parentheses, dashes and dots; 10 digits
 * are a North American number (+1); anything else gets a "+" if it has
 * none. Then it must be E.164: "+", a digit 1-9, then digits, 7 to 15 in
 * all. Returns 0 with out (CALL_E164_MAX bytes), or -1. */
static int normalize_number(const char *in, char *out)
{
    char kept[CALL_NUMBER_INPUT_MAX + 1];
    size_t n = 0;
    for (const char *s = in; *s && n < CALL_NUMBER_INPUT_MAX; s++) {
        if (strchr(" ()-.", *s) == NULL)
            kept[n++] = *s;
    }
    kept[n] = '\0';
    size_t digits = strspn(kept, "0123456789");
    const char *lead = digits == 10 && n == 10 ? "+1" : kept[0] == '+' ? "" : "+";
    size_t lead_len = strlen(lead);
    if (lead_len + n >= CALL_E164_MAX)
        return -1;
    memcpy(out, lead, lead_len);
    memcpy(out + lead_len, kept, n + 1);
    size_t total = strspn(out + 1, "0123456789");
    int ok = out[1] >= '1' && out[1] <= '9' && out[1 + total] == '\0';
    return ok && total >= CALL_E164_MIN_DIGITS ? 0 : -1;
}

static int has_prefix(const char *number, const char *prefix, size_t len)
{
    return strncmp(number, prefix, len) == 0;
}

/* Denied prefixes win; with allowed prefixes configured, one must match. */
static int number_allowed(const edge_config *cfg, const char *number)
{
    for (size_t i = 0; i < cfg->dial_deny.count; i++) {
        if (has_prefix(number, cfg->dial_deny.items[i], strlen(cfg->dial_deny.items[i])))
            return 0;
    }
    for (size_t i = 0; i < cfg->dial_allow.count; i++) {
        if (has_prefix(number, cfg->dial_allow.items[i], strlen(cfg->dial_allow.items[i])))
            return 1;
    }
    return cfg->dial_allow.count == 0;
}

/* The queue of the longest --dial-queue PREFIX=QUEUE matching number, or
 * "" (the default queue). Borrowed from cfg. */
static const char *queue_for(const edge_config *cfg, const char *number)
{
    const char *queue = "";
    size_t best = 0;
    for (size_t i = 0; i < cfg->dial_queues.count; i++) {
        const char *item = cfg->dial_queues.items[i];
        const char *eq = strchr(item, '='); /* checked when the option was read */
        size_t len = (size_t)(eq - item);
        if (len > best && has_prefix(number, item, len)) {
            best = len;
            queue = eq + 1;
        }
    }
    return queue;
}

/* Copy the string members of body's object field name into into (keys
 * already there are kept). 0, or -1 when the field is not an object of
 * strings. */
static int merge_strings(const cJSON *body, const char *name, cJSON *into)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(body, name);
    if (obj == NULL || cJSON_IsNull(obj))
        return 0;
    if (!cJSON_IsObject(obj))
        return -1;
    for (const cJSON *v = obj->child; v; v = v->next) {
        if (!cJSON_IsString(v))
            return -1;
        if (!cJSON_HasObjectItem(into, v->string))
            cJSON_AddStringToObject(into, v->string, v->valuestring);
    }
    return 0;
}

/* Attributes and PageContext (objects of strings) as one object, Attributes
 * winning a key both have. 0 with *json (malloc'd, NULL when both are
 * absent or empty), or -1 after a 400. */
static int read_call_attributes(const cJSON *body, edge_response *res, char **json)
{
    cJSON *merged = cJSON_CreateObject();
    int ok = merge_strings(body, "Attributes", merged) == 0 &&
             merge_strings(body, "PageContext", merged) == 0;
    *json = ok && merged->child ? edge_json_print(merged) : NULL;
    cJSON_Delete(merged);
    if (ok && (*json == NULL || strlen(*json) <= CALL_MAX_ATTRIBUTES_BYTES))
        return 0;
    free(*json);
    *json = NULL;
    edge_response_error(res, 400, "bad_request",
                        "Attributes and PageContext must be objects of strings, together at "
                        "most 8 KiB.");
    return -1;
}

/* "<api prefix><path>" as a string member of obj. */
static void add_api_url(edge_api_ctx *api, cJSON *obj, const char *name, const char *path)
{
    edge_buf url = EDGE_BUF_INIT;
    edge_buf_appendf(&url, "%s%s", api->cfg->api_prefix, path);
    cJSON_AddStringToObject(obj, name, url.data);
    edge_buf_free(&url);
}

static void answer_dialed(edge_api_ctx *api, edge_response *res, const edge_identity *who,
                          const edge_call_started *st)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *info = cJSON_AddObjectToObject(root, "responseInfo");
    cJSON *meeting = cJSON_AddObjectToObject(info, "Meeting");
    cJSON_AddStringToObject(meeting, "MeetingId", st->contact_id);
    cJSON_AddStringToObject(meeting, "ExternalMeetingId", st->contact_id);
    if (st->bridge[0] != '\0') /* the far end is a phone system, not an agent */
        cJSON_AddStringToObject(meeting, "Bridge", st->bridge);
    cJSON *media = cJSON_AddObjectToObject(meeting, "MediaPlacement");
    add_api_url(api, media, "EventsUrl", "participant/events");
    add_api_url(api, media, "SignalingUrl", "participant/signal");
    cJSON *ice = cJSON_AddArrayToObject(media, "IceServers");
    for (size_t i = 0; i < api->cfg->ice_servers.count; i++) {
        cJSON *server = cJSON_CreateObject();
        cJSON_AddStringToObject(server, "urls", api->cfg->ice_servers.items[i]);
        cJSON_AddItemToArray(ice, server);
    }
    cJSON *attendee = cJSON_AddObjectToObject(info, "Attendee");
    cJSON_AddStringToObject(attendee, "AttendeeId", st->participant_id);
    cJSON_AddStringToObject(attendee, "ExternalUserId", who->sub);
    cJSON_AddStringToObject(attendee, "JoinToken", st->participant_token);
    cJSON *dial = cJSON_AddObjectToObject(root, "dialInfo");
    cJSON *sma = cJSON_AddObjectToObject(dial, "SipMediaApplicationCall");
    cJSON_AddStringToObject(sma, "TransactionId", st->contact_id);
    edge_response_api_json(res, 200, root);
}

/* toNumber, normalized and allowed by the dial policy. 0 with number, or
 * -1 after a 400 / 403. */
static int read_number(edge_api_ctx *api, const cJSON *body, edge_response *res, char *number)
{
    const char *raw = NULL;
    if (edge_json_string_field(body, "toNumber", CALL_NUMBER_INPUT_MAX, 1, res, &raw) < 0)
        return -1;
    if (normalize_number(raw, number) < 0) {
        edge_response_error(res, 400, "bad_number",
                            "toNumber must be a phone number: 10 digits, or + and the country "
                            "code and number (E.164).");
        return -1;
    }
    if (!number_allowed(api->cfg, number)) {
        edge_response_error(res, 403, "number_not_allowed", "This number may not be dialled.");
        return -1;
    }
    return 0;
}

typedef struct dial_op {
    edge_api_op base;
    edge_call_started st;
    edge_identity who;
} dial_op;

static void answer_dial(edge_api_op *o, edge_response *res)
{
    dial_op *op = (dial_op *)o;
    if (o->call.rc != 0)
        edge_contact_error_limited(res, o->call.rc, &o->call.limited, o->api->metrics);
    else
        answer_dialed(o->api, res, &op->who, &op->st);
}

static void handle_dial(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    cJSON *body = edge_site_json_request(api, req, res, 0, &who);
    if (body == NULL)
        return;
    char number[CALL_E164_MAX];
    char *attributes = NULL;
    if (read_number(api, body, res, number) == 0 &&
        read_call_attributes(body, res, &attributes) == 0) {
        edge_call_request in = {number, queue_for(api->cfg, number), attributes};
        dial_op *op = edge_api_op_new(api, sizeof(*op), answer_dial);
        op->who = who;
        api->provider->ops->call_start(api->provider, &op->base.call, &who, &in, &op->st);
        edge_api_op_started(&op->base, res);
    }
    free(attributes);
    cJSON_Delete(body);
}

/* ---- update: digits and hang-up --------------------------------------- */

/* digit: 1 to 20 keypad characters. 0 with *out (borrowed), or -1 after a 400. */
static int read_digits(const cJSON *body, edge_response *res, const char **out)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(body, "digit");
    const char *v = cJSON_IsString(d) ? d->valuestring : "";
    size_t n = strlen(v);
    if (n == 0 || n > CALL_MAX_DIGITS || strspn(v, CALL_DTMF_CHARS) != n) {
        edge_response_error(res, 400, "bad_digit", "digit must be 1 to 20 of 0-9, *, # and A-D.");
        return -1;
    }
    *out = v;
    return 0;
}

static void answer_ok(edge_response *res)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    edge_response_set_body(res, 200, "application/json", ok, sizeof(ok) - 1);
}

static void answer_update(edge_api_op *op, edge_response *res)
{
    if (op->call.rc != 0)
        edge_contact_error(res, op->call.rc);
    else
        answer_ok(res);
}

static void update_digits(edge_api_ctx *api, const edge_identity *who, const cJSON *body,
                          edge_response *res)
{
    const char *digits = NULL, *id = NULL;
    if (read_digits(body, res, &digits) < 0 ||
        edge_json_string_field(body, "transactionId", EDGE_STORE_ID_MAX - 1, 1, res, &id) < 0)
        return;
    edge_api_op *op = edge_api_op_new(api, sizeof(*op), answer_update);
    api->provider->ops->call_digits(api->provider, &op->call, who, id, digits);
    edge_api_op_started(op, res);
}

static void update_end(edge_api_ctx *api, const edge_identity *who, const cJSON *body,
                       edge_response *res)
{
    const char *id = NULL;
    if (edge_json_string_field(body, "meetingId", EDGE_STORE_ID_MAX - 1, 1, res, &id) < 0)
        return;
    edge_api_op *op = edge_api_op_new(api, sizeof(*op), answer_update);
    api->provider->ops->call_end(api->provider, &op->call, who, id);
    edge_api_op_started(op, res);
}

static void handle_update(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    cJSON *body = edge_site_json_request(api, req, res, 0, &who);
    if (body == NULL)
        return;
    const char *update = NULL;
    if (edge_json_string_field(body, "update", 16, 1, res, &update) == 0) {
        if (strcmp(update, "digit") == 0)
            update_digits(api, &who, body, res);
        else if (strcmp(update, "end") == 0)
            update_end(api, &who, body, res);
        else
            edge_response_error(res, 400, "bad_request", "update must be digit or end.");
    }
    cJSON_Delete(body);
}

/* ---- signaling -------------------------------------------------------- */

static int signal_type_ok(const char *type)
{
    /* hold/unhold: the agent console tells the caller their call is on hold
     * (the widget ignores types it does not know, so it may show it later) */
    static const char *const types[] = {"offer", "answer", "candidate", "bye", "hold", "unhold"};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(type, types[i]) == 0)
            return 1;
    }
    return 0;
}

/* Payload: any JSON value, at most 16 KiB printed. 0 with *json
 * (malloc'd), or -1 after a 400. */
static int read_payload(const cJSON *body, edge_response *res, char **json)
{
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(body, "Payload");
    *json = payload ? edge_json_print(payload) : NULL;
    if (*json && strlen(*json) <= CALL_MAX_PAYLOAD_BYTES)
        return 0;
    free(*json);
    *json = NULL;
    edge_response_error(res, 400, "bad_request",
                        payload ? "Payload must be at most 16 KiB." : "Payload is required.");
    return -1;
}

static int start_signal(edge_api_op *op, const edge_request *req, edge_response *res,
                        const edge_participant *who)
{
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return 0;
    const char *type = NULL;
    char *payload = NULL;
    int started = 0;
    if (edge_json_string_field(body, "Type", 16, 1, res, &type) == 0) {
        if (!signal_type_ok(type)) {
            edge_response_error(res, 400, "bad_request",
                                "Type must be offer, answer, candidate, bye, hold or unhold.");
        } else if (read_payload(body, res, &payload) == 0) {
            op->api->provider->ops->call_signal(op->api->provider, &op->call, who, type, payload);
            started = 1;
        }
    }
    free(payload);
    cJSON_Delete(body);
    return started;
}

static void handle_signal(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_participant_op(ctx, req, res, EDGE_PARTICIPANT_LIVE, sizeof(edge_api_op),
                            edge_api_answer_empty, start_signal);
}

/* ---- registration ----------------------------------------------------- */

void edge_routes_calls(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_POST, "dial", "dial", handle_dial);
    edge_api_route(api, HTTP_POST, "update", "update", handle_update);
    edge_api_route(api, HTTP_POST, "participant/signal", "signal", handle_signal);
}
