/* local_bridge.c - the embedded contact center's side of bridged calls
 * (provider/bridge.h): creating the contact with the far end already in
 * it, and telling the caller the states and events the bridge reports.
 * Every event here goes to the caller only: the far end's participant has
 * no stream (the gateway is reached by the bridge, not through events). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "provider/bridge.h"
#include "provider/local_internal.h"

/* The caller's side of a bridged call: everyone but the far end. */
static const edge__local_audience to_caller = {.skip_role = EDGE_ROLE_AGENT, .skip_role_set = 1};

int edge_local_bridge_admit(edge_provider *local, const edge_identity *who, int64_t now_ms,
                            edge_limited *limited)
{
    edge_local_provider *lp = edge__local(local);
    return edge__local_limit_take(lp, "dials", who->sub, &lp->limits.dials, now_ms, limited);
}

/* "bridge:<name>": the far end's sub and the call's queue (which no agent
 * ever reads: the call never waits). */
static void bridge_sub(const char *bridge, char *out, size_t cap)
{
    snprintf(out, cap, "bridge:%s", bridge);
}

/* {ContactId, State, Bridge} plus Reason and SipStatus when given; caller frees. */
static char *state_json(const char *contact_id, const char *state, const char *bridge,
                        const char *reason, int sip_status)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", contact_id);
    cJSON_AddStringToObject(o, "State", state);
    if (reason != NULL)
        cJSON_AddStringToObject(o, "Reason", reason);
    cJSON_AddStringToObject(o, "Bridge", bridge);
    if (sip_status > 0)
        cJSON_AddNumberToObject(o, "SipStatus", sip_status);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    return text;
}

static int tell_state(edge_local_provider *lp, const char *contact_id, const char *state,
                      const char *bridge, const char *reason, int sip_status, int64_t now_ms)
{
    char *json = state_json(contact_id, state, bridge, reason, sip_status);
    edge__local_publish(lp, contact_id, &to_caller, "contact.state", json, now_ms); /* a job */
    free(json);
    return 0;
}

int edge_local_bridge_create(edge_provider *local, const edge_identity *who,
                             const edge_call_request *req, const char *bridge, int64_t now_ms,
                             edge_call_started *out, char far_id[EDGE_STORE_ID_MAX],
                             edge_limited *limited)
{
    edge_local_provider *lp = edge__local(local);
    char sub[EDGE_STORE_TEXT_MAX];
    bridge_sub(bridge, sub, sizeof(sub));
    edge_call_start in = {
        .sub = who->sub,
        .name = who->name,
        .email = who->email,
        .queue = sub,
        .attributes_json = req->attributes_json,
        .to_number = req->to_number,
        .max_live = lp->limits.max_live_calls,
    };
    edge_contact contact;
    edge_participant customer, far;
    memset(out, 0, sizeof(*out));
    int rc = edge_store_call_start(lp->store, &in, now_ms, &contact, &customer);
    if (rc == EDGE_STORE_ELIMITED) /* a call of who's has not ended yet */
        return edge__local_limited(limited, "live_calls", EDGE_LOCAL_LIVE_CALL_RETRY_S * 1000);
    if (rc != 0)
        return rc;
    rc = edge_store_contact_accept(lp->store, contact.id, sub, bridge, now_ms, &far);
    if (rc == 0 && edge_ptoken_make(lp->key, customer.id, out->participant_token,
                                    sizeof(out->participant_token)) != 0)
        rc = EDGE_STORE_EINTERNAL;
    if (rc == 0)
        rc = tell_state(lp, contact.id, "DIALING", bridge, NULL, 0, now_ms);
    if (rc == 0) {
        snprintf(out->contact_id, sizeof(out->contact_id), "%s", contact.id);
        snprintf(out->participant_id, sizeof(out->participant_id), "%s", customer.id);
        snprintf(out->bridge, sizeof(out->bridge), "%s", bridge);
        snprintf(far_id, EDGE_STORE_ID_MAX, "%s", far.id);
    } else {
        memset(out, 0, sizeof(*out));
        edge_store_contact_end(lp->store, contact.id, "failed", now_ms);
    }
    edge_contact_free(&contact);
    return rc;
}

int edge_local_bridge_state(edge_provider *local, const char *contact_id, const char *state,
                            const char *bridge, int64_t now_ms)
{
    return tell_state(edge__local(local), contact_id, state, bridge, NULL, 0, now_ms);
}

int edge_local_bridge_end(edge_provider *local, const char *contact_id, const char *reason,
                          const char *bridge, int sip_status, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(local);
    int rc = edge_store_contact_end(lp->store, contact_id, reason, now_ms);
    if (rc != 0)
        return rc; /* ESTATE: it ended meanwhile */
    /* ending marks everyone left, and an event reaches whoever is in the
     * contact, left or not (as any end's "contact.state" does) */
    return tell_state(lp, contact_id, "ENDED", bridge, reason, sip_status, now_ms);
}

int edge_local_bridge_tell(edge_provider *local, const char *contact_id, const char *type,
                           const char *data_json, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(local);
    int ended = 0;
    int rc = edge_local_bridge_ended(local, contact_id, &ended);
    if (rc == 0 && ended)
        rc = EDGE_STORE_ESTATE;
    if (rc == 0)
        edge__local_publish(lp, contact_id, &to_caller, type, data_json, now_ms); /* a job */
    return rc;
}

int edge_local_bridge_ended(edge_provider *local, const char *contact_id, int *ended)
{
    edge_contact c;
    int rc = edge_store_contact_get(edge__local(local)->store, contact_id, &c);
    if (rc != 0)
        return rc;
    *ended = c.state == EDGE_CONTACT_ENDED;
    edge_contact_free(&c);
    return 0;
}
