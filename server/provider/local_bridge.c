/* local_bridge.c - the embedded contact center's side of bridged calls
 * (provider/bridge.h): creating the contact with the far end already in
 * it, and telling the caller the states and events the bridge reports.
 * Every event here goes to the caller only: the far end's participant has
 * no stream (the gateway is reached by the bridge, not through events).
 * Each hook is a chain of asynchronous store steps (local_op.h): the ones
 * the bridge waits for complete its provider call, the rest are jobs. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/bridge.h"
#include "provider/local_op.h"

/* The caller's side of a bridged call: everyone but the far end. */
static const edge__local_audience to_caller = {.skip_role = EDGE_ROLE_AGENT, .skip_role_set = 1};

/* One event to the caller (a job: its outcome is not waited for). */
static void tell_caller(edge_local_provider *lp, const char *contact_id, const char *type,
                        const char *data_json, int64_t now_ms)
{
    edge__local_publish(lp, contact_id, &to_caller, type, data_json, now_ms);
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

static void tell_state(edge_local_provider *lp, const char *contact_id, const char *state,
                       const char *bridge, const char *reason, int sip_status, int64_t now_ms)
{
    char *json = state_json(contact_id, state, bridge, reason, sip_status);
    tell_caller(lp, contact_id, "contact.state", json, now_ms);
    free(json);
}

/* ---- admit: a unit of the dial rate -------------------------------------- */

typedef struct admit_op {
    edge__local_op base;
    edge__local_take take;
} admit_op;

static void ad_take(edge__local_op *op)
{
    edge__local_take_step(op, &((admit_op *)op)->take);
}

static int ad_done(edge__local_op *op, int rc)
{
    return rc == EDGE_STORE_ELIMITED ? edge__local_take_limited(op, &((admit_op *)op)->take) : rc;
}

static const edge__local_chain ADMIT = {EDGE__LOCAL_STEPS(ad_take), ad_done, NULL};

void edge_local_bridge_admit(edge_provider *local, edge_provider_call *c, const edge_identity *who)
{
    edge_local_provider *lp = edge__local(local);
    admit_op *o = edge__local_op_new(lp, c, sizeof(*o), &ADMIT);
    int rc = edge__local_take_init(&o->take, "dials", who->sub, &lp->limits.dials);
    if (rc != 0)
        edge__local_op_end(&o->base, rc);
    else
        edge__local_op_run(&o->base);
}

/* ---- create: the contact, the far end joined, DIALING told ---------------- */

typedef struct create_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX], name[EDGE_STORE_TEXT_MAX], email[EDGE_STORE_TEXT_MAX];
    char to_number[EDGE_STORE_TEXT_MAX];
    char bridge[EDGE_BRIDGE_NAME_MAX];
    char far_sub[EDGE_STORE_TEXT_MAX]; /* "bridge:<name>": the far end and the call's queue,
                                          which no agent ever reads (it never waits) */
    char *attributes_json;             /* owned or NULL */
    edge_contact contact;
    edge_participant customer, far;
    edge_call_started *out; /* the caller's */
    char *far_id;           /* the caller's, EDGE_STORE_ID_MAX bytes */
} create_op;

static void cr_start(edge__local_op *op)
{
    create_op *o = (create_op *)op;
    edge_call_start in = {
        .sub = o->sub,
        .name = o->name,
        .email = o->email,
        .queue = o->far_sub,
        .attributes_json = o->attributes_json,
        .to_number = o->to_number,
        .max_live = op->lp->limits.max_live_calls,
    };
    EDGE__LOCAL_STORE(op, call_start, &in, &o->contact, &o->customer);
}

static void cr_accept(edge__local_op *op)
{
    create_op *o = (create_op *)op;
    EDGE__LOCAL_STORE(op, contact_accept, o->contact.id, o->far_sub, o->bridge, &o->far);
}

static void end_job(edge_local_provider *lp, const char *contact_id, const char *reason,
                    const char *bridge, int sip_status, int64_t now_ms);

static int cr_done(edge__local_op *op, int rc)
{
    create_op *o = (create_op *)op;
    edge_local_provider *lp = op->lp;
    edge_call_started *out = o->out;
    memset(out, 0, sizeof(*out));
    if (rc == EDGE_STORE_ELIMITED && op->next == 1) /* a call of who's has not ended yet */
        return edge__local_limited(&op->pc->limited, "live_calls",
                                   EDGE_LOCAL_LIVE_CALL_RETRY_S * 1000);
    if (rc == 0 && edge_ptoken_make(lp->key, o->customer.id, out->participant_token,
                                    sizeof(out->participant_token)) != 0)
        rc = EDGE_STORE_EINTERNAL;
    if (rc != 0) {
        memset(out, 0, sizeof(*out));
        if (o->contact.id[0] != '\0') /* nothing left behind that a caller could see */
            end_job(lp, o->contact.id, "failed", NULL, 0, op->now_ms);
        return rc;
    }
    snprintf(out->contact_id, sizeof(out->contact_id), "%s", o->contact.id);
    snprintf(out->participant_id, sizeof(out->participant_id), "%s", o->customer.id);
    snprintf(out->bridge, sizeof(out->bridge), "%s", o->bridge);
    snprintf(o->far_id, EDGE_STORE_ID_MAX, "%s", o->far.id);
    tell_state(lp, o->contact.id, "DIALING", o->bridge, NULL, 0, op->now_ms);
    return 0;
}

static void cr_release(edge__local_op *op)
{
    create_op *o = (create_op *)op;
    free(o->attributes_json);
    edge_contact_free(&o->contact);
}

static const edge__local_chain CREATE = {EDGE__LOCAL_STEPS(cr_start, cr_accept), cr_done,
                                         cr_release};

void edge_local_bridge_create(edge_provider *local, edge_provider_call *c, const edge_identity *who,
                              const edge_call_request *req, const char *bridge,
                              edge_call_started *out, char far_id[EDGE_STORE_ID_MAX])
{
    edge_local_provider *lp = edge__local(local);
    create_op *o = edge__local_op_new(lp, c, sizeof(*o), &CREATE);
    o->out = out;
    o->far_id = far_id;
    o->attributes_json = req->attributes_json ? edge_xstrdup(req->attributes_json) : NULL;
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), who->sub);
    if (rc == 0)
        rc = edge__local_op_copy(o->name, sizeof(o->name), who->name);
    if (rc == 0)
        rc = edge__local_op_copy(o->email, sizeof(o->email), who->email);
    if (rc == 0)
        rc = edge__local_op_copy(o->to_number, sizeof(o->to_number), req->to_number);
    if (rc == 0)
        rc = edge__local_op_copy(o->bridge, sizeof(o->bridge), bridge);
    if (rc == 0 &&
        snprintf(o->far_sub, sizeof(o->far_sub), "bridge:%s", bridge) >= (int)sizeof(o->far_sub))
        rc = EDGE_STORE_EINVAL;
    if (rc != 0) {
        memset(out, 0, sizeof(*out));
        edge__local_op_end(&o->base, rc);
        return;
    }
    edge__local_op_run(&o->base);
}

/* ---- end: the store's end, then ENDED told to the caller ------------------ */

typedef struct end_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    char reason[EDGE_STORE_TEXT_MAX];
    char bridge[EDGE_BRIDGE_NAME_MAX];
    int sip_status;
} end_op;

static void en_end(edge__local_op *op)
{
    end_op *o = (end_op *)op;
    EDGE__LOCAL_STORE(op, contact_end, o->contact_id, o->reason);
}

/* ESTATE: it ended meanwhile, and whoever ended it told the caller. */
static int en_done(edge__local_op *op, int rc)
{
    end_op *o = (end_op *)op;
    /* ending marks everyone left, and an event reaches whoever is in the
     * contact, left or not (as any end's "contact.state" does) */
    if (rc == 0 && o->bridge[0] != '\0')
        tell_state(op->lp, o->contact_id, "ENDED", o->bridge, o->reason, o->sip_status, op->now_ms);
    return rc == EDGE_STORE_ESTATE ? 0 : rc;
}

static const edge__local_chain END = {EDGE__LOCAL_STEPS(en_end), en_done, NULL};

/* Start the end job; bridge NULL tells nobody (a create that failed). */
static void end_job(edge_local_provider *lp, const char *contact_id, const char *reason,
                    const char *bridge, int sip_status, int64_t now_ms)
{
    end_op *o = edge__local_job_new(lp, sizeof(*o), &END, "bridge end", now_ms);
    if (edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0 ||
        edge__local_op_copy(o->reason, sizeof(o->reason), reason) != 0 ||
        edge__local_op_copy(o->bridge, sizeof(o->bridge), bridge) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
        return;
    }
    o->sip_status = sip_status;
    edge__local_op_run(&o->base);
}

void edge_local_bridge_end(edge_provider *local, const char *contact_id, const char *reason,
                           const char *bridge, int sip_status, int64_t now_ms)
{
    end_job(edge__local(local), contact_id, reason, bridge, sip_status, now_ms);
}

void edge_local_bridge_state(edge_provider *local, const char *contact_id, const char *state,
                             const char *bridge, int64_t now_ms)
{
    tell_state(edge__local(local), contact_id, state, bridge, NULL, 0, now_ms);
}

/* ---- tell and ended: the contact read first ------------------------------ */

typedef struct read_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    edge_contact contact;
    int *ended;      /* the caller's (ended), or NULL (tell) */
    char type[64];   /* tell: the event's type */
    char *data_json; /* tell: owned */
} read_op;

static void rd_get(edge__local_op *op)
{
    read_op *o = (read_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

static int tl_done(edge__local_op *op, int rc)
{
    read_op *o = (read_op *)op;
    if (rc == 0 && o->contact.state == EDGE_CONTACT_ENDED)
        rc = EDGE_STORE_ESTATE; /* the caller has left */
    if (rc == 0)
        tell_caller(op->lp, o->contact_id, o->type, o->data_json, op->now_ms);
    return rc == EDGE_STORE_ESTATE && op->pc == NULL ? 0 : rc;
}

static int ed_done(edge__local_op *op, int rc)
{
    read_op *o = (read_op *)op;
    if (rc == 0)
        *o->ended = o->contact.state == EDGE_CONTACT_ENDED;
    return rc;
}

static void rd_release(edge__local_op *op)
{
    read_op *o = (read_op *)op;
    free(o->data_json);
    edge_contact_free(&o->contact);
}

static const edge__local_chain TELL = {EDGE__LOCAL_STEPS(rd_get), tl_done, rd_release};
static const edge__local_chain ENDED = {EDGE__LOCAL_STEPS(rd_get), ed_done, rd_release};

void edge_local_bridge_tell(edge_provider *local, edge_provider_call *c, const char *contact_id,
                            const char *type, const char *data_json, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(local);
    read_op *o = c != NULL ? edge__local_op_new(lp, c, sizeof(*o), &TELL)
                           : edge__local_job_new(lp, sizeof(*o), &TELL, "bridge tell", now_ms);
    o->data_json = edge_xstrdup(data_json);
    if (edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0 ||
        edge__local_op_copy(o->type, sizeof(o->type), type) != 0)
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
    else
        edge__local_op_run(&o->base);
}

void edge_local_bridge_ended(edge_provider *local, edge_provider_call *c, const char *contact_id,
                             int *ended)
{
    read_op *o = edge__local_op_new(edge__local(local), c, sizeof(*o), &ENDED);
    o->ended = ended;
    if (edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0)
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
    else
        edge__local_op_run(&o->base);
}

void edge_local_bridge_cancel(edge_provider *local, edge_provider_call *c)
{
    (void)edge__local_op_cancel(edge__local(local), c);
}
