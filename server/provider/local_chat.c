/* local_chat.c - chats in the embedded contact center.
 *
 * Resume is the store's job (one open chat per verified sub, atomically):
 * a start first asks the store for the open chat (edge_store_chat_open, a
 * read that may come from memory) and only then starts one under the
 * store's write lock, which resumes a chat opened in between. This file
 * turns store results into ParticipantTokens and events. A start that
 * redeems a reference code and every message first take a unit of their
 * rate limits (local_limits.c). Event
 * types: "message" (a transcript item), "typing" and "read" (to the other
 * side only), "contact.state" (QUEUED, CONNECTED, ENDED with a Reason). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "common/net_prefix.h"
#include "provider/contact_json.h"
#include "provider/local_internal.h"

/* *out for a chat: its ids, whether it was resumed, and its customer's
 * ParticipantToken. 0, or EINTERNAL. */
static int describe_chat(edge_local_provider *lp, const char *contact_id,
                         const char *participant_id, const char *previous_contact_id,
                         int resumed, edge_chat_started *out)
{
    snprintf(out->contact_id, sizeof(out->contact_id), "%s", contact_id);
    snprintf(out->participant_id, sizeof(out->participant_id), "%s", participant_id);
    snprintf(out->previous_contact_id, sizeof(out->previous_contact_id), "%s",
             previous_contact_id);
    out->resumed = resumed;
    if (edge_ptoken_make(lp->key, participant_id, out->participant_token,
                         sizeof(out->participant_token)) != 0)
        return EDGE_STORE_EINTERNAL;
    return 0;
}

/* The store's start, then the answer: a ParticipantToken, and for a new
 * chat its state and the queue positions. */
static int store_start(edge_local_provider *lp, const edge_chat_start *in, int64_t now_ms,
                       edge_chat_started *out)
{
    edge_contact contact;
    edge_participant customer;
    int resumed = 0;
    memset(out, 0, sizeof(*out));
    int rc = edge_store_chat_start(lp->store, in, now_ms, &contact, &customer, &resumed);
    if (rc != 0)
        return rc;
    rc = describe_chat(lp, contact.id, customer.id, contact.previous_contact_id, resumed, out);
    if (rc == 0 && !resumed)
        rc = edge__local_publish_state(lp, &contact, now_ms);
    if (rc == 0 && !resumed)
        rc = edge__local_push_queue(lp, contact.queue, now_ms);
    edge_contact_free(&contact);
    return rc;
}

/* The fast path of every start: who's open chat, found without a write
 * (the store may answer from memory). 0 with *out filled (resumed),
 * ENOTFOUND when who has none, or an error. */
static int resume_open_chat(edge_local_provider *lp, const edge_identity *who, int64_t now_ms,
                            edge_chat_started *out)
{
    edge_open_chat open;
    memset(out, 0, sizeof(*out));
    int rc = edge_store_chat_open(lp->store, who->sub, now_ms, &open);
    if (rc != 0)
        return rc;
    return describe_chat(lp, open.contact_id, open.participant_id, open.previous_contact_id, 1,
                         out);
}

/* A redeem costs one unit of who's redeems and one of the client's
 * network's (an address that is not one counts under "unknown"). */
static int take_redeem(edge_local_provider *lp, const edge_identity *who, const char *client_addr,
                       int64_t now_ms, edge_limited *limited)
{
    char id[EDGE_STORE_KEY_MAX - 16], net[EDGE_NET_PREFIX_MAX];
    const edge_rate *rate = &lp->limits.redeems;
    snprintf(id, sizeof(id), "sub:%s", who->sub);
    int rc = edge__local_limit_take(lp, "redeems", id, rate, now_ms, limited);
    if (rc != 0)
        return rc;
    if (edge_net_prefix(client_addr, net, sizeof(net)) != 0)
        snprintf(net, sizeof(net), "unknown");
    snprintf(id, sizeof(id), "net:%s", net);
    return edge__local_limit_take(lp, "redeems", id, rate, now_ms, limited);
}

int edge__local_chat_start(edge_provider *p, const edge_identity *who, const edge_chat_request *req,
                           int64_t now_ms, edge_chat_started *out, edge_limited *limited)
{
    edge_local_provider *lp = edge__local(p);
    int rc = resume_open_chat(lp, who, now_ms, out);
    if (rc != EDGE_STORE_ENOTFOUND)
        return rc;
    if (req->reference_id != NULL &&
        (rc = take_redeem(lp, who, req->client_addr, now_ms, limited)) != 0)
        return rc;
    edge_chat_start in = {
        .sub = who->sub,
        .name = who->name,
        .email = who->email,
        .display_name = req->display_name,
        .attributes_json = req->attributes_json,
        .initial_message = req->initial_message,
        .route_id = req->reference_id,
    };
    rc = store_start(lp, &in, now_ms, out);
    return rc == EDGE_STORE_EMISMATCH ? EDGE_STORE_ENOTFOUND : rc; /* reveal nothing */
}

int edge__local_chat_resume(edge_provider *p, const edge_identity *who, int64_t now_ms,
                            edge_chat_started *out)
{
    int rc = resume_open_chat(edge__local(p), who, now_ms, out);
    return rc == EDGE_STORE_ENOTFOUND ? EDGE_PROVIDER_ENOCHAT : rc;
}

/* The "message" event's data: the transcript item, as the store gave it. */
static char *message_event_json(const edge_message *m, void *ctx)
{
    cJSON *item = edge_message_to_json(m);
    char *text = edge_json_print(item);
    cJSON_Delete(item);
    return text;
}

#define LOCAL_SEND_EVENTS 8 /* participants of a chat told of a message */

/* The store keeps the message and its events in one transaction; only
 * after the commit are the events pushed to open streams, so a sender who
 * got an error never finds the message stored later, and a stream never
 * shows a message the store does not have. */
int edge__local_chat_send(edge_provider *p, const edge_participant *from, const char *content_type,
                          const char *content, const char *client_token, int64_t now_ms,
                          edge_message *out, edge_limited *limited)
{
    edge_local_provider *lp = edge__local(p);
    memset(out, 0, sizeof(*out));
    int rc =
        edge__local_limit_take(lp, "messages", from->id, &lp->limits.messages, now_ms, limited);
    if (rc != 0)
        return rc;
    edge_message_send in = {
        .participant_id = from->id,
        .content_type = content_type,
        .content = content,
        .max_bytes = EDGE_LOCAL_MAX_MESSAGE_BYTES,
        .client_token = client_token,
        .max_count = lp->limits.max_messages_per_contact,
        .event_type = "message",
        .event_json = message_event_json,
    };
    edge_event events[LOCAL_SEND_EVENTS];
    size_t count = 0;
    int replayed = 0;
    rc = edge_store_message_send(lp->store, &in, now_ms, out, events, LOCAL_SEND_EVENTS, &count,
                                 &replayed);
    if (rc != 0)
        return rc;
    edge_hub_push(lp->hub, events, count);
    for (size_t i = 0; i < count; i++)
        edge_event_free(&events[i]);
    return 0;
}

int edge__local_chat_signal(edge_provider *p, const edge_participant *from, const char *type,
                            const char *message_id, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    if (from->left_ms != 0)
        return EDGE_STORE_ESTATE;
    char when[32];
    edge_format_time_ms(now_ms, when, sizeof(when));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ParticipantId", from->id);
    cJSON_AddStringToObject(o, "DisplayName", from->display_name);
    cJSON_AddStringToObject(o, "ParticipantRole", edge_role_name(from->role));
    cJSON_AddStringToObject(o, "AbsoluteTime", when);
    if (message_id)
        cJSON_AddStringToObject(o, "MessageId", message_id);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    edge__local_audience others = {.skip_id = from->id};
    int rc = edge__local_publish(lp, from->contact_id, &others, type, text, now_ms, NULL);
    free(text);
    return rc;
}

int edge__local_chat_disconnect(edge_provider *p, const edge_participant *who, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    const char *reason =
        who->role == EDGE_ROLE_AGENT ? "agent_disconnected" : "customer_disconnected";
    /* A call's tokens are ParticipantTokens too: leaving through them ends
     * the call like a hang-up. */
    edge_contact c;
    int rc = edge_store_contact_get(lp->store, who->contact_id, &c);
    if (rc != 0)
        return rc;
    rc = edge__local_end(lp, &c, reason, now_ms);
    edge_contact_free(&c);
    return rc;
}
