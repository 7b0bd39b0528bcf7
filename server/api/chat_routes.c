/* chat_routes.c - startChatContact and the participant API.
 *
 * Shapes follow Amazon Connect: POST {prefix}startChatContact with a site
 * login token answers {data:{startChatResult:{ContactId, ParticipantId,
 * ParticipantToken}, previousContactId?, resumed}}; the participant routes
 * (message, event, transcript, disconnect, events) are authorized by the
 * ParticipantToken, sent as "X-Amz-Bearer" (Connect's header) or as
 * "Authorization: Bearer", never in the URL (the widget reads the event
 * stream with fetch(), which can set headers). Resume is by the verified
 * sub only: nothing in the request body can select someone else's chat.
 * ResumeOnly: true (the widget after a reload) resumes the open chat or
 * answers 404 no_open_chat, never creating one: a stale "a chat is open"
 * flag in the browser must not start a chat nobody asked for. */
#include <cjson/cJSON.h>
#include <llhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_op.h"
#include "api/contact_errors.h"
#include "api/transcript_page.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/site_request.h"
#include "c2c_utf8.h"
#include "common/buf.h"
#include "common/clock.h"
#include "common/json_text.h"
#include "provider/contact_json.h"

#define CHAT_MAX_DISPLAY_NAME 128
#define CHAT_MAX_ATTRIBUTES_BYTES 8192
#define CHAT_MAX_MESSAGE_BYTES 8192
#define CHAT_TRANSCRIPT_DEFAULT 15
#define TYPING_TYPE "application/vnd.amazonaws.connect.event.typing"
#define READ_TYPE "application/vnd.amazonaws.connect.event.message.read"

/* ---- startChatContact ------------------------------------------------- */

/* Attributes: an object of string values, as Connect requires. Returns 0
 * with *json (malloc'd or NULL when absent) or -1 after filling res. */
static int read_attributes(const cJSON *body, edge_response *res, char **json)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(body, "Attributes");
    *json = NULL;
    if (a == NULL || cJSON_IsNull(a))
        return 0;
    int ok = cJSON_IsObject(a);
    for (const cJSON *v = ok ? a->child : NULL; v; v = v->next)
        ok = ok && cJSON_IsString(v);
    if (ok)
        *json = edge_json_print(a);
    if (!ok || strlen(*json) > CHAT_MAX_ATTRIBUTES_BYTES) {
        free(*json);
        *json = NULL;
        edge_response_error(res, 400, "bad_request",
                            "Attributes must be an object of strings, at most 8 KiB.");
        return -1;
    }
    return 0;
}

/* InitialMessage: a string, or Connect's {ContentType: text/plain, Content}. */
static int read_initial_message(const cJSON *body, edge_response *res, const char **out)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, "InitialMessage");
    *out = NULL;
    if (m == NULL || cJSON_IsNull(m))
        return 0;
    if (cJSON_IsObject(m)) {
        const char *ct = NULL;
        if (edge_json_string_field(m, "ContentType", 64, 0, res, &ct) < 0)
            return -1;
        if (ct && strcmp(ct, "text/plain") != 0) {
            edge_response_error(res, 400, "bad_request", "InitialMessage must be text/plain.");
            return -1;
        }
        return edge_json_string_field(m, "Content", CHAT_MAX_MESSAGE_BYTES, 1, res, out) < 0 ? -1
                                                                                          : 0;
    }
    return edge_json_string_field(body, "InitialMessage", CHAT_MAX_MESSAGE_BYTES, 1, res, out) < 0
               ? -1
               : 0;
}

/* Attributes.videoReferenceId: an agent's 8-digit code. 0 with *out (NULL
 * when absent), or -1 after a 400. */
static int read_reference(const cJSON *body, edge_response *res, const char **out)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(body, "Attributes");
    const cJSON *ref = cJSON_IsObject(a) ? cJSON_GetObjectItemCaseSensitive(a, "videoReferenceId")
                                         : NULL;
    *out = NULL;
    if (ref == NULL)
        return 0;
    const char *v = cJSON_IsString(ref) ? ref->valuestring : "";
    int digits = (int)strspn(v, "0123456789");
    if (digits != 8 || v[8] != '\0') {
        edge_response_error(res, 400, "bad_request", "videoReferenceId must be 8 digits.");
        return -1;
    }
    *out = v;
    return 0;
}

/* ResumeOnly: an optional boolean. 0 with *out, or -1 after a 400. */
static int read_resume_only(const cJSON *body, edge_response *res, int *out)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(body, "ResumeOnly");
    *out = 0;
    if (r == NULL)
        return 0;
    if (!cJSON_IsBool(r)) {
        edge_response_error(res, 400, "bad_request", "ResumeOnly must be true or false.");
        return -1;
    }
    *out = cJSON_IsTrue(r) ? 1 : 0;
    return 0;
}

/* Errors of a start that came with a reference code, in the code's terms.
 * A code bound to another email answers as one that does not exist, so a
 * guess learns nothing (the provider already folds them together). */
static void reference_error(edge_response *res, int rc)
{
    if (rc == EDGE_STORE_ENOTFOUND || rc == EDGE_STORE_EMISMATCH)
        edge_response_error(res, 404, "route_not_found", "There is no such reference code.");
    else if (rc == EDGE_STORE_ECONFLICT)
        edge_response_error(res, 409, "route_used", "The reference code has already been used.");
    else
        edge_contact_error(res, rc); /* expired 410 */
}

static const char *read_display_name(const cJSON *body, const edge_identity *who,
                                     edge_response *res, int *failed)
{
    const cJSON *pd = cJSON_GetObjectItemCaseSensitive(body, "ParticipantDetails");
    const char *name = NULL;
    *failed = 0;
    if (pd != NULL && !cJSON_IsObject(pd)) {
        edge_response_error(res, 400, "bad_request", "ParticipantDetails must be an object.");
        *failed = 1;
        return NULL;
    }
    if (pd && edge_json_string_field(pd, "DisplayName", CHAT_MAX_DISPLAY_NAME, 0, res, &name) < 0) {
        *failed = 1;
        return NULL;
    }
    if (name)
        return name;
    return who->name[0] ? who->name : "Customer";
}

/* Written by hand rather than through a cJSON tree: this answers every page
 * load of every signed-in visitor (the widget starts or resumes on load), and
 * the tree cost more than the rest of the answer. The values are ids and a
 * ParticipantToken (hex, '.', base64url: nothing to escape, though they are
 * escaped all the same), so the bytes are those cJSON would print. */
static void append_field(edge_buf *b, const char *sep_name, const char *value)
{
    edge_buf_append_str(b, sep_name);
    edge_json_append_string(b, value, strlen(value));
}

/* The same for a name, which may hold any UTF-8 (edge_json_append_string
 * escapes every byte >= 0x80 on its own): cJSON prints it as it is; a name
 * that is not valid UTF-8 goes out as "", as if unknown. */
static void append_name(edge_buf *b, const char *sep_name, const char *name)
{
    cJSON *s = cJSON_CreateString(c2c_utf8_valid(name, strlen(name)) ? name : "");
    char *text = s != NULL ? cJSON_PrintUnformatted(s) : NULL;
    edge_buf_append_str(b, sep_name);
    edge_buf_append_str(b, text != NULL ? text : "\"\"");
    cJSON_free(text);
    cJSON_Delete(s);
}

static void answer_started(edge_response *res, const edge_chat_started *st)
{
    edge_buf b = EDGE_BUF_INIT;
    edge_buf_reserve(&b, 256);
    append_field(&b, "{\"data\":{\"startChatResult\":{\"ContactId\":", st->contact_id);
    append_field(&b, ",\"ParticipantId\":", st->participant_id);
    append_field(&b, ",\"ParticipantToken\":", st->participant_token);
    if (st->redeemed) /* only to the redeemer, in this one answer */
        append_name(&b, ",\"ReferenceAgentName\":", st->reference_agent_name);
    edge_buf_append(&b, "}", 1);
    if (st->previous_contact_id[0])
        append_field(&b, ",\"previousContactId\":", st->previous_contact_id);
    edge_buf_append_str(&b, st->resumed ? ",\"resumed\":true}}" : ",\"resumed\":false}}");
    edge_response_set_body(res, 200, "application/json", b.data, b.len);
    edge_response_add_header(res, "Cache-Control", "no-store");
    edge_buf_free(&b);
}

/* A start or resume in flight. */
typedef struct start_op {
    edge_api_op base;
    edge_chat_started st;
    int with_reference; /* a reference code came along (not on a resume) */
} start_op;

/* The answer to a start: the chat, or the error in the terms of what was
 * asked (no open chat for ResumeOnly, the code's own errors when a
 * reference code came along). */
static void answer_start(edge_api_op *o, edge_response *res)
{
    start_op *op = (start_op *)o;
    int rc = o->call.rc;
    if (rc == 0)
        answer_started(res, &op->st);
    else if (rc == EDGE_STORE_ELIMITED)
        edge_contact_error_limited(res, rc, &o->call.limited, o->api->metrics);
    else if (rc == EDGE_PROVIDER_ENOCHAT)
        edge_response_error(res, 404, "no_open_chat", "There is no open chat to resume.");
    else if (op->with_reference)
        reference_error(res, rc);
    else
        edge_contact_error(res, rc);
}

static void start_or_resume(edge_api_ctx *api, const edge_identity *who,
                            const edge_chat_request *in, int resume_only, edge_response *res)
{
    start_op *op = edge_api_op_new(api, sizeof(*op), answer_start);
    op->with_reference = !resume_only && in->reference_id != NULL;
    /* A resume never creates, so the rest of the body (checked all the
     * same) goes unused, the reference code included. */
    if (resume_only)
        api->provider->ops->chat_resume(api->provider, &op->base.call, who, &op->st);
    else
        api->provider->ops->chat_start(api->provider, &op->base.call, who, in, &op->st);
    edge_api_op_started(&op->base, res);
}

static void handle_start_chat(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    cJSON *body = edge_site_json_request(api, req, res, 0, &who);
    if (body == NULL)
        return;
    int failed = 0, resume_only = 0;
    char *attributes = NULL;
    edge_chat_request in = {0};
    in.display_name = read_display_name(body, &who, res, &failed);
    if (!failed && read_attributes(body, res, &attributes) == 0 &&
        read_initial_message(body, res, &in.initial_message) == 0 &&
        read_reference(body, res, &in.reference_id) == 0 &&
        read_resume_only(body, res, &resume_only) == 0) {
        in.attributes_json = attributes;
        in.client_addr = req->remote_addr;
        start_or_resume(api, &who, &in, resume_only, res);
    }
    free(attributes);
    cJSON_Delete(body);
}

/* ---- the participant API ---------------------------------------------- */

static void answer_id_time(edge_response *res, const char *id, int64_t ms)
{
    char when[32];
    edge_format_time_ms(ms, when, sizeof(when));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Id", id);
    cJSON_AddStringToObject(o, "AbsoluteTime", when);
    edge_response_api_json(res, 200, o);
}

typedef struct send_op {
    edge_api_op base;
    edge_message m;
} send_op;

static void answer_send(edge_api_op *o, edge_response *res)
{
    send_op *op = (send_op *)o;
    if (o->call.rc != 0) {
        edge_contact_error_limited(res, o->call.rc, &o->call.limited, o->api->metrics);
        return;
    }
    answer_id_time(res, op->m.id, op->m.created_ms);
    edge_message_free(&op->m);
}

static int start_send(edge_api_op *o, const edge_request *req, edge_response *res,
                      const edge_participant *who)
{
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return 0;
    int started = 0;
    const char *ct = NULL, *content = NULL, *client_token = NULL;
    if (edge_json_string_field(body, "ContentType", 64, 1, res, &ct) == 0 &&
        edge_json_string_field(body, "Content", CHAT_MAX_MESSAGE_BYTES, 1, res, &content) == 0 &&
        edge_json_string_field(body, "ClientToken", EDGE_STORE_CLIENT_TOKEN_MAX, 0, res,
                               &client_token) >= 0) {
        if (strcmp(ct, "text/plain") != 0 && strcmp(ct, "text/markdown") != 0) {
            edge_response_error(res, 400, "bad_request",
                                "ContentType must be text/plain or text/markdown.");
        } else {
            send_op *op = (send_op *)o;
            o->api->provider->ops->chat_send(o->api->provider, &o->call, who, ct, content,
                                             client_token, &op->m);
            started = 1;
        }
    }
    cJSON_Delete(body);
    return started;
}

static void handle_send_message(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_participant_op(ctx, req, res, EDGE_PARTICIPANT_LIVE, sizeof(send_op), answer_send,
                            start_send);
}

/* Connect's long content types, or the short names typing / read. */
static const char *signal_type(const char *ct)
{
    if (strcmp(ct, TYPING_TYPE) == 0 || strcmp(ct, "typing") == 0)
        return "typing";
    if (strcmp(ct, READ_TYPE) == 0 || strcmp(ct, "read") == 0)
        return "read";
    return NULL;
}

/* For read receipts: Content is JSON text {"messageId": "..."}. */
static int read_message_id(const cJSON *body, edge_response *res, char *out, size_t cap)
{
    const char *content = NULL;
    if (edge_json_string_field(body, "Content", 1024, 1, res, &content) < 0)
        return -1;
    cJSON *c = cJSON_Parse(content);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "messageId");
    int ok = cJSON_IsString(id) && id->valuestring[0] && strlen(id->valuestring) < cap;
    if (ok)
        snprintf(out, cap, "%s", id->valuestring);
    cJSON_Delete(c);
    if (!ok)
        edge_response_error(res, 400, "bad_request",
                            "A read event's Content must be {\"messageId\": \"...\"}.");
    return ok ? 0 : -1;
}

typedef struct signal_op {
    edge_api_op base;
    char participant_id[EDGE_STORE_ID_MAX];
} signal_op;

static void answer_signal(edge_api_op *o, edge_response *res)
{
    signal_op *op = (signal_op *)o;
    if (o->call.rc != 0)
        edge_contact_error(res, o->call.rc);
    else
        answer_id_time(res, op->participant_id, o->call.now_ms);
}

static int start_signal(edge_api_op *o, const edge_request *req, edge_response *res,
                        const edge_participant *who)
{
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return 0;
    const char *ct = NULL, *type = NULL;
    char message_id[EDGE_STORE_ID_MAX] = "";
    if (edge_json_string_field(body, "ContentType", 128, 1, res, &ct) == 0) {
        type = signal_type(ct);
        if (type == NULL)
            edge_response_error(res, 400, "bad_request",
                                "ContentType must be the typing or message.read event type.");
        else if (strcmp(type, "read") == 0 &&
                 read_message_id(body, res, message_id, sizeof(message_id)) < 0)
            type = NULL;
    }
    if (type != NULL) {
        signal_op *op = (signal_op *)o;
        snprintf(op->participant_id, sizeof(op->participant_id), "%s", who->id);
        o->api->provider->ops->chat_signal(o->api->provider, &o->call, who, type,
                                           message_id[0] ? message_id : NULL);
    }
    cJSON_Delete(body);
    return type != NULL;
}

static void handle_send_event(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_participant_op(ctx, req, res, EDGE_PARTICIPANT_LIVE, sizeof(signal_op), answer_signal,
                            start_signal);
}

int edge__transcript_read_page(const cJSON *body, edge_response *res, size_t *max,
                               int64_t *after)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, "MaxResults");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "NextToken");
    *max = CHAT_TRANSCRIPT_DEFAULT;
    *after = 0;
    if (m && (!cJSON_IsNumber(m) || m->valuedouble < 1 || m->valuedouble > EDGE_TRANSCRIPT_PAGE_MAX)) {
        edge_response_error(res, 400, "bad_request", "MaxResults must be from 1 to 100.");
        return -1;
    }
    if (m)
        *max = (size_t)m->valuedouble;
    if (t) {
        const char *v = cJSON_IsString(t) ? t->valuestring : "";
        size_t digits = strspn(v, "0123456789");
        if (digits == 0 || digits > 18 || v[digits] != '\0') {
            edge_response_error(res, 400, "bad_request", "NextToken is not one we gave out.");
            return -1;
        }
        *after = strtoll(v, NULL, 10);
    }
    return 0;
}

void edge__transcript_answer(edge_response *res, const char *contact_id, edge_message *items,
                             size_t count, int more)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "InitialContactId", contact_id);
    cJSON *list = cJSON_AddArrayToObject(root, "Transcript");
    for (size_t i = 0; i < count; i++)
        cJSON_AddItemToArray(list, edge_message_to_json(&items[i]));
    if (more && count > 0) {
        char next[24];
        snprintf(next, sizeof(next), "%lld", (long long)items[count - 1].seq);
        cJSON_AddStringToObject(root, "NextToken", next);
    }
    edge_response_api_json(res, 200, root);
}

void edge__transcript_op_answer(edge_api_op *o, edge_response *res)
{
    edge_transcript_op *op = (edge_transcript_op *)o;
    if (o->call.rc != 0)
        edge_contact_error(res, o->call.rc);
    else
        edge__transcript_answer(res, op->contact_id, op->items, op->count, op->more);
    for (size_t i = 0; i < op->count; i++)
        edge_message_free(&op->items[i]);
}

static int start_transcript(edge_api_op *o, const edge_request *req, edge_response *res,
                            const edge_participant *who)
{
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return 0;
    size_t max;
    int64_t after;
    int started = edge__transcript_read_page(body, res, &max, &after) == 0;
    cJSON_Delete(body);
    if (started) {
        edge_transcript_op *op = (edge_transcript_op *)o;
        snprintf(op->contact_id, sizeof(op->contact_id), "%s", who->contact_id);
        o->api->provider->ops->chat_transcript(o->api->provider, &o->call, who, after, op->items,
                                               max, &op->count, &op->more);
    }
    return started;
}

static void handle_transcript(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_participant_op(ctx, req, res, EDGE_PARTICIPANT_TRANSCRIPT, sizeof(edge_transcript_op),
                            edge__transcript_op_answer, start_transcript);
}

static int start_disconnect(edge_api_op *o, const edge_request *req, edge_response *res,
                            const edge_participant *who)
{
    (void)req;
    (void)res;
    o->api->provider->ops->chat_disconnect(o->api->provider, &o->call, who);
    return 1;
}

static void handle_disconnect(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_participant_op(ctx, req, res, EDGE_PARTICIPANT_LIVE, sizeof(edge_api_op),
                            edge_api_answer_empty, start_disconnect);
}

/* Last-Event-ID header (EventSource's reconnect) or ?lastEventId=. */
static int64_t last_event_id(const edge_request *req)
{
    char q[32];
    const edge_header *h = edge_request_header(req, "Last-Event-ID");
    const char *text = h ? h->value : NULL;
    if (text == NULL && edge_request_query_param(req, "lastEventId", q, sizeof(q)) > 0)
        text = q;
    char *end = NULL;
    long long v = text ? strtoll(text, &end, 10) : 0;
    return (text && end && *end == '\0' && v > 0) ? v : 0;
}

/* The token is good: the stream (on the deferred response when the check
 * answered later). */
static int start_events(edge_api_op *o, const edge_request *req, edge_response *res,
                        const edge_participant *who)
{
    o->api->provider->ops->events_serve(o->api->provider, who, last_event_id(req), res);
    return 0;
}

static void handle_events(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_participant_op(ctx, req, res, EDGE_PARTICIPANT_LIVE, sizeof(edge_api_op),
                            edge_api_answer_empty, start_events);
}

/* ---- registration ----------------------------------------------------- */

void edge_routes_chat(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_POST, "startChatContact", "start_chat", handle_start_chat);
    edge_api_route(api, HTTP_POST, "participant/message", "send_message", handle_send_message);
    edge_api_route(api, HTTP_POST, "participant/event", "send_event", handle_send_event);
    edge_api_route(api, HTTP_POST, "participant/transcript", "transcript", handle_transcript);
    edge_api_route(api, HTTP_POST, "participant/disconnect", "disconnect", handle_disconnect);
    edge_api_route(api, HTTP_GET, "participant/events", "events", handle_events);
}
