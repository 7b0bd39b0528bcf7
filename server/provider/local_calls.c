/* local_calls.c - calls in the embedded contact center: dial, DTMF, hang
 * up, and the WebRTC signaling relay between the caller and the agent.
 *
 * A call is a contact of kind CALL: it waits in its queue like a chat and
 * an agent takes it with the same accept. The media flows peer to peer
 * (browser to agent console); the server only relays the signaling, whose
 * payload it never reads, and the keypad digits. Event types: "dtmf"
 * {ContactId, Digit, FromRole} and "signal" {ContactId, FromParticipantId,
 * FromRole, Type, Payload}, both to the other side only; "contact.state"
 * and "queue" as for chats. Only the call's customer (by verified sub) and
 * its connected agent may send digits or hang up. A new call in the
 * default queue is offered to an idle agent at once (local_ringing.c).
 * A dial takes a unit of the caller's dial rate, and the store refuses a
 * new call while the caller has one that has not ended. Dial, digits and
 * hang-up are chains of asynchronous store steps (local_op.h), and so is
 * the signal relay (local_publish.c); what they tell follows as jobs. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "provider/contact_json.h"
#include "common/mem.h"
#include "provider/local_op.h"

/* ---- call_start: a unit of dials, then the store's start --------------- */

typedef struct dial_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX], name[EDGE_STORE_TEXT_MAX], email[EDGE_STORE_TEXT_MAX];
    char queue[EDGE_STORE_TEXT_MAX], to_number[EDGE_STORE_TEXT_MAX];
    char *attributes_json; /* owned or NULL */
    edge__local_take take;
    edge_contact contact;
    edge_participant customer;
    edge_call_started *out; /* the caller's */
} dial_op;

static void di_take(edge__local_op *op)
{
    edge__local_take_step(op, &((dial_op *)op)->take);
}

static void di_start(edge__local_op *op)
{
    dial_op *o = (dial_op *)op;
    edge_call_start in = {
        .sub = o->sub,
        .name = o->name,
        .email = o->email,
        .queue = o->queue,
        .attributes_json = o->attributes_json,
        .to_number = o->to_number,
        .max_live = op->lp->limits.max_live_calls,
    };
    EDGE__LOCAL_STORE(op, call_start, &in, &o->contact, &o->customer);
}

/* The caller's token; the state and queue told; a call in the default
 * queue offered to an idle agent at once. */
static int di_done(edge__local_op *op, int rc)
{
    dial_op *o = (dial_op *)op;
    edge_local_provider *lp = op->lp;
    int64_t now_ms = op->now_ms;
    edge_call_started *out = o->out;
    memset(out, 0, sizeof(*out));
    if (rc == EDGE_STORE_ELIMITED && op->next == 1) /* the dial rate's step */
        return edge__local_take_limited(op, &o->take);
    if (rc == EDGE_STORE_ELIMITED) /* a call of who's has not ended yet */
        return edge__local_limited(&op->pc->limited, "live_calls",
                                   EDGE_LOCAL_LIVE_CALL_RETRY_S * 1000);
    if (rc != 0)
        return rc;
    snprintf(out->contact_id, sizeof(out->contact_id), "%s", o->contact.id);
    snprintf(out->participant_id, sizeof(out->participant_id), "%s", o->customer.id);
    if (edge_ptoken_make(lp->key, o->customer.id, out->participant_token,
                         sizeof(out->participant_token)) != 0)
        return EDGE_STORE_EINTERNAL;
    edge__local_publish_state(lp, &o->contact, now_ms);
    edge__local_push_queue(lp, o->contact.queue, now_ms);
    if (o->contact.queue[0] == '\0')
        edge__local_offer_calls(lp, NULL, now_ms);
    return 0;
}

static void di_release(edge__local_op *op)
{
    dial_op *o = (dial_op *)op;
    free(o->attributes_json);
    edge_contact_free(&o->contact);
}

static const edge__local_chain DIAL = {EDGE__LOCAL_STEPS(di_take, di_start), di_done,
                                       di_release};

void edge__local_a_call_start(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                              const edge_call_request *req, edge_call_started *out)
{
    edge_local_provider *lp = edge__local(p);
    dial_op *o = edge__local_op_new(lp, c, sizeof(*o), &DIAL);
    o->out = out;
    o->attributes_json = req->attributes_json ? edge_xstrdup(req->attributes_json) : NULL;
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), who->sub);
    if (rc == 0)
        rc = edge__local_op_copy(o->name, sizeof(o->name), who->name);
    if (rc == 0)
        rc = edge__local_op_copy(o->email, sizeof(o->email), who->email);
    if (rc == 0)
        rc = edge__local_op_copy(o->queue, sizeof(o->queue), req->queue);
    if (rc == 0)
        rc = edge__local_op_copy(o->to_number, sizeof(o->to_number), req->to_number);
    if (rc == 0)
        rc = edge__local_take_init(&o->take, "dials", who->sub, &lp->limits.dials);
    edge__local_op_start(&o->base, rc);
}

/* Who's side of the call c (read by the op): 0 with *role, ENOTFOUND for
 * a chat, or EDGE_PROVIDER_EFORBIDDEN when who is neither its customer
 * nor its agent. */
static int side_of(const edge_contact *c, const char *who_sub, edge_role *role)
{
    if (c->kind != EDGE_CONTACT_CALL)
        return EDGE_STORE_ENOTFOUND;
    if (strcmp(c->customer_sub, who_sub) == 0)
        *role = EDGE_ROLE_CUSTOMER;
    else if (c->agent_sub[0] != '\0' && strcmp(c->agent_sub, who_sub) == 0)
        *role = EDGE_ROLE_AGENT;
    else
        return EDGE_PROVIDER_EFORBIDDEN;
    return 0;
}

static void publish_digit(edge_local_provider *lp, const char *contact_id, edge_role from_role,
                          char digit, int64_t now_ms)
{
    char text[2] = {digit, '\0'};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", contact_id);
    cJSON_AddStringToObject(o, "Digit", text);
    cJSON_AddStringToObject(o, "FromRole", edge_role_name(from_role));
    char *json = edge_json_print(o);
    cJSON_Delete(o);
    edge__local_audience other_side = {.skip_role = from_role, .skip_role_set = 1};
    edge__local_publish(lp, contact_id, &other_side, "dtmf", json, now_ms);
    free(json);
}

/* ---- call_digits and call_end: read the call, then act ------------------ */

typedef struct party_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX];
    char contact_id[EDGE_STORE_ID_MAX];
    char digits[EDGE_STORE_TEXT_MAX]; /* call_digits */
    edge_contact contact;
} party_op;

static void pa_get(edge__local_op *op)
{
    party_op *o = (party_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

/* Each digit to the other side, once an agent is on the call. */
static int pa_digits(edge__local_op *op, int rc)
{
    party_op *o = (party_op *)op;
    edge_role role = EDGE_ROLE_CUSTOMER;
    if (rc == 0)
        rc = side_of(&o->contact, o->sub, &role);
    if (rc == 0 && o->contact.state == EDGE_CONTACT_ENDED)
        rc = EDGE_STORE_ESTATE;
    else if (rc == 0 && o->contact.agent_sub[0] == '\0')
        rc = EDGE_PROVIDER_ENOTCONNECTED;
    for (const char *d = o->digits; rc == 0 && *d; d++)
        publish_digit(op->lp, o->contact.id, role, *d, op->now_ms);
    return rc;
}

/* Only its customer or agent hangs up; ESTATE once it has ended. */
static void pa_end(edge__local_op *op)
{
    party_op *o = (party_op *)op;
    edge_role role = EDGE_ROLE_CUSTOMER;
    int rc = side_of(&o->contact, o->sub, &role);
    if (rc != 0) {
        edge__local_op_end(op, rc);
        return;
    }
    EDGE__LOCAL_STORE(op, contact_end, o->contact_id,
                      role == EDGE_ROLE_AGENT ? "agent_hangup" : "customer_hangup");
}

static int pa_hangup(edge__local_op *op, int rc)
{
    if (rc == 0)
        edge__local_ended(op->lp, &((party_op *)op)->contact, op->now_ms);
    return rc;
}

static void pa_release(edge__local_op *op)
{
    edge_contact_free(&((party_op *)op)->contact);
}

static const edge__local_chain DIGITS = {EDGE__LOCAL_STEPS(pa_get), pa_digits, pa_release};
static const edge__local_chain HANGUP = {EDGE__LOCAL_STEPS(pa_get, pa_end), pa_hangup,
                                         pa_release};

static void party_run(edge_provider *p, edge_provider_call *c, const edge__local_chain *chain,
                      const edge_identity *who, const char *contact_id, const char *digits)
{
    party_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), chain);
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), who->sub);
    if (rc == 0 && edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0)
        rc = EDGE_STORE_ENOTFOUND;
    if (rc == 0)
        rc = edge__local_op_copy(o->digits, sizeof(o->digits), digits);
    edge__local_op_start(&o->base, rc);
}

void edge__local_a_call_digits(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                               const char *contact_id, const char *digits)
{
    party_run(p, c, &DIGITS, who, contact_id, digits);
}

void edge__local_a_call_end(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                            const char *contact_id)
{
    party_run(p, c, &HANGUP, who, contact_id, NULL);
}

/* {ContactId, FromParticipantId, FromRole, Type, Payload}, or NULL when
 * payload_json is not JSON. Caller frees. */
static char *signal_json(const edge_participant *from, const char *type, const char *payload_json)
{
    cJSON *payload = cJSON_Parse(payload_json);
    if (payload == NULL)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", from->contact_id);
    cJSON_AddStringToObject(o, "FromParticipantId", from->id);
    cJSON_AddStringToObject(o, "FromRole", edge_role_name(from->role));
    cJSON_AddStringToObject(o, "Type", type);
    cJSON_AddItemToObject(o, "Payload", payload);
    char *json = edge_json_print(o);
    cJSON_Delete(o);
    return json;
}

void edge__local_a_call_signal(edge_provider *p, edge_provider_call *c,
                               const edge_participant *from, const char *type,
                               const char *payload_json)
{
    char *json = signal_json(from, type, payload_json);
    if (json == NULL) {
        edge_provider_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_a_relay(edge__local(p), c, from, "signal", json, 1);
    free(json);
}
