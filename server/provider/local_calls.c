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
 * new call while the caller has one that has not ended. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "provider/contact_json.h"
#include "provider/local_internal.h"

int edge__local_call_start(edge_provider *p, const edge_identity *who, const edge_call_request *req,
                           int64_t now_ms, edge_call_started *out, edge_limited *limited)
{
    edge_local_provider *lp = edge__local(p);
    edge_call_start in = {
        .sub = who->sub,
        .name = who->name,
        .email = who->email,
        .queue = req->queue,
        .attributes_json = req->attributes_json,
        .to_number = req->to_number,
        .max_live = lp->limits.max_live_calls,
    };
    edge_contact contact;
    edge_participant customer;
    memset(out, 0, sizeof(*out));
    int rc = edge__local_limit_take(lp, "dials", who->sub, &lp->limits.dials, now_ms, limited);
    if (rc != 0)
        return rc;
    rc = edge_store_call_start(lp->store, &in, now_ms, &contact, &customer);
    if (rc == EDGE_STORE_ELIMITED) /* a call of who's has not ended yet */
        return edge__local_limited(limited, "live_calls", EDGE_LOCAL_LIVE_CALL_RETRY_S * 1000);
    if (rc != 0)
        return rc;
    snprintf(out->contact_id, sizeof(out->contact_id), "%s", contact.id);
    snprintf(out->participant_id, sizeof(out->participant_id), "%s", customer.id);
    if (edge_ptoken_make(lp->key, customer.id, out->participant_token,
                         sizeof(out->participant_token)) != 0)
        rc = EDGE_STORE_EINTERNAL;
    if (rc == 0)
        rc = edge__local_publish_state(lp, &contact, now_ms);
    if (rc == 0)
        rc = edge__local_push_queue(lp, contact.queue, now_ms);
    if (rc == 0 && contact.queue[0] == '\0')
        rc = edge__local_offer_calls(lp, NULL, now_ms);
    edge_contact_free(&contact);
    return rc;
}

/* The call contact_id as who sees it: 0 with *c (caller frees) and *role
 * (who's side), ENOTFOUND for no such call (chats included), or
 * EDGE_PROVIDER_EFORBIDDEN when who is neither its customer nor its agent. */
static int call_for(edge_local_provider *lp, const edge_identity *who, const char *contact_id,
                    edge_contact *c, edge_role *role)
{
    int rc = edge_store_contact_get(lp->store, contact_id, c);
    if (rc != 0)
        return rc;
    if (c->kind != EDGE_CONTACT_CALL)
        rc = EDGE_STORE_ENOTFOUND;
    else if (strcmp(c->customer_sub, who->sub) == 0)
        *role = EDGE_ROLE_CUSTOMER;
    else if (c->agent_sub[0] != '\0' && strcmp(c->agent_sub, who->sub) == 0)
        *role = EDGE_ROLE_AGENT;
    else
        rc = EDGE_PROVIDER_EFORBIDDEN;
    if (rc != 0)
        edge_contact_free(c);
    return rc;
}

static int publish_digit(edge_local_provider *lp, const char *contact_id, edge_role from_role,
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
    int rc = edge__local_publish(lp, contact_id, &other_side, "dtmf", json, now_ms, NULL);
    free(json);
    return rc;
}

int edge__local_call_digits(edge_provider *p, const edge_identity *who, const char *contact_id,
                            const char *digits, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    edge_contact c;
    edge_role role = EDGE_ROLE_CUSTOMER;
    int rc = call_for(lp, who, contact_id, &c, &role);
    if (rc != 0)
        return rc;
    if (c.state == EDGE_CONTACT_ENDED)
        rc = EDGE_STORE_ESTATE;
    else if (c.agent_sub[0] == '\0')
        rc = EDGE_PROVIDER_ENOTCONNECTED;
    for (const char *d = digits; rc == 0 && *d; d++)
        rc = publish_digit(lp, c.id, role, *d, now_ms);
    edge_contact_free(&c);
    return rc;
}

int edge__local_call_end(edge_provider *p, const edge_identity *who, const char *contact_id,
                         int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    edge_contact c;
    edge_role role = EDGE_ROLE_CUSTOMER;
    int rc = call_for(lp, who, contact_id, &c, &role);
    if (rc != 0)
        return rc;
    rc = edge__local_end(lp, &c, role == EDGE_ROLE_AGENT ? "agent_hangup" : "customer_hangup",
                         now_ms);
    edge_contact_free(&c);
    return rc;
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

int edge__local_call_signal(edge_provider *p, const edge_participant *from, const char *type,
                            const char *payload_json, int64_t now_ms)
{
    char *json = signal_json(from, type, payload_json);
    if (json == NULL)
        return EDGE_STORE_EINVAL;
    int rc = edge__local_relay(edge__local(p), from, "signal", json, now_ms);
    free(json);
    return rc;
}
