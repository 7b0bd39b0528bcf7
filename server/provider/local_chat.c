/* local_chat.c - chats in the embedded contact center.
 *
 * Resume is the store's job (one open chat per verified sub, atomically):
 * a start first asks the store for the open chat (edge_store_chat_open, a
 * read that may come from memory) and only then starts one under the
 * store's write lock, which resumes a chat opened in between. This file
 * turns store results into ParticipantTokens and events. A start that
 * redeems a reference code and every message first take a unit of their
 * rate limits (local_limits.c). Start, resume, send and leave are chains
 * of asynchronous store steps (local_op.h); what they tell follows as
 * jobs, and typing/read signals are relayed by a chain of their own
 * (local_publish.c). Event types:
 * "message" (a transcript item), "typing" and "read" (to the other side
 * only), "contact.state" (QUEUED, CONNECTED, ENDED with a Reason). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "common/net_prefix.h"
#include "provider/contact_json.h"
#include "common/mem.h"
#include "provider/local_op.h"

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

/* ---- chat_start and chat_resume: chains of store steps (local_op.h) ---- */

typedef struct start_op {
    edge__local_op base;
    edge_chat_started *out; /* the caller's */
    int resume_only;        /* chat_resume: no start, ENOCHAT when none is open */
    char sub[EDGE_STORE_TEXT_MAX], name[EDGE_STORE_TEXT_MAX], email[EDGE_STORE_TEXT_MAX];
    char *display_name, *attributes_json, *initial_message, *reference_id; /* owned or NULL */
    char client_net[EDGE_NET_PREFIX_MAX]; /* the network redeems are counted under */
    edge_open_chat open;                 /* the fast path's answer */
    int found_open;                      /* the fast path found one */
    edge__local_take redeem_sub, redeem_net, *taking; /* a redeem's two units */
    edge_contact contact;                /* the store's start */
    edge_participant customer;
    int resumed;
} start_op;

/* The fast path of every start: who's open chat, found without a write
 * (the store may answer from memory). */
static void s_open(edge__local_op *op)
{
    start_op *o = (start_op *)op;
    EDGE__LOCAL_STORE_OR(op, EDGE_STORE_ENOTFOUND, chat_open, o->sub, &o->open);
}

/* Found: done. Otherwise a redeem costs one unit of who's redeems... */
static void s_redeem_sub(edge__local_op *op)
{
    start_op *o = (start_op *)op;
    o->found_open = op->sc.rc == 0;
    if (o->found_open || o->resume_only) {
        edge__local_op_end(op, op->sc.rc);
        return;
    }
    if (o->reference_id == NULL) {
        edge__local_op_next(op);
        return;
    }
    o->taking = &o->redeem_sub;
    edge__local_take_step(op, o->taking);
}

/* ...and one of the client's network's. */
static void s_redeem_net(edge__local_op *op)
{
    start_op *o = (start_op *)op;
    if (o->reference_id == NULL) {
        edge__local_op_next(op);
        return;
    }
    o->taking = &o->redeem_net;
    edge__local_take_step(op, o->taking);
}

/* The store's start (it resumes a chat opened since the fast path). */
static void s_start(edge__local_op *op)
{
    start_op *o = (start_op *)op;
    edge_chat_start in = {
        .sub = o->sub,
        .name = o->name,
        .email = o->email,
        .display_name = o->display_name,
        .attributes_json = o->attributes_json,
        .initial_message = o->initial_message,
        .route_id = o->reference_id,
    };
    EDGE__LOCAL_STORE(op, chat_start, &in, &o->contact, &o->customer, &o->resumed);
}

/* The answer: a ParticipantToken, and for a new chat its state and the
 * queue positions (jobs). */
static int s_done(edge__local_op *op, int rc)
{
    start_op *o = (start_op *)op;
    edge_local_provider *lp = op->lp;
    memset(o->out, 0, sizeof(*o->out));
    if (rc == EDGE_STORE_ELIMITED)
        return edge__local_take_limited(op, o->taking);
    if (rc == EDGE_STORE_ENOTFOUND && o->resume_only)
        return EDGE_PROVIDER_ENOCHAT;
    if (rc == EDGE_STORE_EMISMATCH)
        return EDGE_STORE_ENOTFOUND; /* reveal nothing */
    if (rc != 0)
        return rc;
    if (o->found_open)
        return describe_chat(lp, o->open.contact_id, o->open.participant_id,
                             o->open.previous_contact_id, 1, o->out);
    rc = describe_chat(lp, o->contact.id, o->customer.id, o->contact.previous_contact_id,
                       o->resumed, o->out);
    if (rc == 0 && !o->resumed && o->reference_id != NULL) {
        o->out->redeemed = 1;
        snprintf(o->out->reference_agent_name, sizeof(o->out->reference_agent_name), "%s",
                 o->contact.route_agent_name);
    }
    if (rc == 0 && !o->resumed) {
        edge__local_publish_state(lp, &o->contact, op->now_ms);
        edge__local_push_queue(lp, o->contact.queue, op->now_ms);
    }
    return rc;
}

static void s_release(edge__local_op *op)
{
    start_op *o = (start_op *)op;
    free(o->display_name);
    free(o->attributes_json);
    free(o->initial_message);
    free(o->reference_id);
    edge_contact_free(&o->contact);
}

static const edge__local_chain START = {
    EDGE__LOCAL_STEPS(s_open, s_redeem_sub, s_redeem_net, s_start), s_done, s_release};

static char *dup_or_null(const char *s)
{
    return s != NULL ? edge_xstrdup(s) : NULL;
}

/* The op's state for who: 0, or EINVAL when an identity field does not
 * fit a store text. */
static int start_init(start_op *o, const edge_identity *who)
{
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), who->sub);
    if (rc == 0)
        rc = edge__local_op_copy(o->name, sizeof(o->name), who->name);
    if (rc == 0)
        rc = edge__local_op_copy(o->email, sizeof(o->email), who->email);
    return rc;
}

/* The two redeem limits' keys: who's, and the client's network's (an
 * address that is not one counts under "unknown"). 0 or EINVAL. */
static int redeem_init(start_op *o, const edge_identity *who, const char *client_addr,
                       const edge_rate *rate)
{
    if (edge_net_prefix(client_addr, o->client_net, sizeof(o->client_net)) != 0)
        snprintf(o->client_net, sizeof(o->client_net), "unknown");
    char id[EDGE_STORE_KEY_MAX - 16]; /* cut short rather than refused, as before */
    snprintf(id, sizeof(id), "sub:%s", who->sub);
    int rc = edge__local_take_init(&o->redeem_sub, "redeems", id, rate);
    snprintf(id, sizeof(id), "net:%s", o->client_net);
    return rc != 0 ? rc : edge__local_take_init(&o->redeem_net, "redeems", id, rate);
}

void edge__local_a_chat_start(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                              const edge_chat_request *req, edge_chat_started *out)
{
    edge_local_provider *lp = edge__local(p);
    start_op *o = edge__local_op_new(lp, c, sizeof(*o), &START);
    o->out = out;
    o->display_name = dup_or_null(req->display_name);
    o->attributes_json = dup_or_null(req->attributes_json);
    o->initial_message = dup_or_null(req->initial_message);
    o->reference_id = dup_or_null(req->reference_id);
    int rc = start_init(o, who);
    if (rc == 0 && o->reference_id != NULL) /* the redeem limits' keys: only a redeem takes them */
        rc = redeem_init(o, who, req->client_addr, &lp->limits.redeems);
    edge__local_op_start(&o->base, rc);
}

void edge__local_a_chat_resume(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                               edge_chat_started *out)
{
    edge_local_provider *lp = edge__local(p);
    start_op *o = edge__local_op_new(lp, c, sizeof(*o), &START);
    o->out = out;
    o->resume_only = 1;
    int rc = start_init(o, who);
    edge__local_op_start(&o->base, rc);
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

/* ---- chat_send: take a unit of the sender's messages, then send ---------
 * The store keeps the message and its events in one transaction; only
 * after the commit are the events pushed to open streams, so a sender who
 * got an error never finds the message stored later, and a stream never
 * shows a message the store does not have. */

typedef struct send_op {
    edge__local_op base;
    edge_participant sender; /* as authenticated: its contact, role and name go in the event */
    char participant_id[EDGE_STORE_ID_MAX];
    char content_type[EDGE_STORE_TEXT_MAX];
    char *content, *client_token; /* owned (client_token NULL = none) */
    edge__local_take take;
    edge_message *out; /* the caller's */
    edge_event events[LOCAL_SEND_EVENTS];
    size_t count;
    int replayed;
} send_op;

static void m_take(edge__local_op *op)
{
    edge__local_take_step(op, &((send_op *)op)->take);
}

static void m_send(edge__local_op *op)
{
    send_op *o = (send_op *)op;
    edge_message_send in = {
        .participant_id = o->participant_id,
        .content_type = o->content_type,
        .content = o->content,
        .max_bytes = EDGE_LOCAL_MAX_MESSAGE_BYTES,
        .client_token = o->client_token,
        .max_count = op->lp->limits.max_messages_per_contact,
        .event_type = "message",
        .event_json = message_event_json,
        .sender = &o->sender,
    };
    EDGE__LOCAL_STORE(op, message_send, &in, o->out, o->events, LOCAL_SEND_EVENTS, &o->count,
                      &o->replayed);
}

static int m_done(edge__local_op *op, int rc)
{
    send_op *o = (send_op *)op;
    if (rc == EDGE_STORE_ELIMITED)
        return edge__local_take_limited(op, &o->take);
    if (rc == 0)
        edge_hub_push(op->lp->hub, o->events, o->count);
    return rc;
}

static void m_release(edge__local_op *op)
{
    send_op *o = (send_op *)op;
    for (size_t i = 0; i < o->count; i++)
        edge_event_free(&o->events[i]);
    free(o->content);
    free(o->client_token);
}

static const edge__local_chain SEND = {EDGE__LOCAL_STEPS(m_take, m_send), m_done, m_release};

void edge__local_a_chat_send(edge_provider *p, edge_provider_call *c, const edge_participant *from,
                             const char *content_type, const char *content,
                             const char *client_token, edge_message *out)
{
    edge_local_provider *lp = edge__local(p);
    send_op *o = edge__local_op_new(lp, c, sizeof(*o), &SEND);
    o->out = out;
    o->content = edge_xstrdup(content);
    o->client_token = dup_or_null(client_token);
    o->sender = *from;
    int rc = edge__local_op_copy(o->participant_id, sizeof(o->participant_id), from->id);
    if (rc == 0)
        rc = edge__local_op_copy(o->content_type, sizeof(o->content_type), content_type);
    if (rc == 0)
        rc = edge__local_take_init(&o->take, "messages", from->id, &lp->limits.messages);
    edge__local_op_start(&o->base, rc);
}

/* typing and read: to the other side, ESTATE once from has left (nobody
 * there is no error). */
void edge__local_a_chat_signal(edge_provider *p, edge_provider_call *c,
                               const edge_participant *from, const char *type,
                               const char *message_id)
{
    char when[32];
    edge_format_time_ms(c->now_ms, when, sizeof(when));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ParticipantId", from->id);
    cJSON_AddStringToObject(o, "DisplayName", from->display_name);
    cJSON_AddStringToObject(o, "ParticipantRole", edge_role_name(from->role));
    cJSON_AddStringToObject(o, "AbsoluteTime", when);
    if (message_id)
        cJSON_AddStringToObject(o, "MessageId", message_id);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    edge__local_a_relay(edge__local(p), c, from, type, text, 0);
    free(text);
}

/* ---- chat_disconnect: read the contact, then end it ---------------------
 * A call's tokens are ParticipantTokens too: leaving through them ends
 * the call like a hang-up. What follows the end is a job (local_end.c). */

typedef struct leave_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    const char *reason; /* static */
    edge_contact contact;
} leave_op;

static void d_get(edge__local_op *op)
{
    leave_op *o = (leave_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

/* ESTATE once it has ended. */
static void d_end(edge__local_op *op)
{
    leave_op *o = (leave_op *)op;
    EDGE__LOCAL_STORE(op, contact_end, o->contact_id, o->reason);
}

static int d_done(edge__local_op *op, int rc)
{
    if (rc == 0)
        edge__local_ended(op->lp, &((leave_op *)op)->contact, op->now_ms);
    return rc;
}

static void d_release(edge__local_op *op)
{
    edge_contact_free(&((leave_op *)op)->contact);
}

static const edge__local_chain LEAVE = {EDGE__LOCAL_STEPS(d_get, d_end), d_done, d_release};

void edge__local_a_chat_leave(edge_provider *p, edge_provider_call *c, const edge_participant *who)
{
    leave_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &LEAVE);
    o->reason = who->role == EDGE_ROLE_AGENT ? "agent_disconnected" : "customer_disconnected";
    if (edge__local_op_copy(o->contact_id, sizeof(o->contact_id), who->contact_id) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_ENOTFOUND);
        return;
    }
    edge__local_op_run(&o->base);
}
