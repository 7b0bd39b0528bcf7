/* local_ringing.c - push routing for calls: offering, rejecting, and the
 * ring timeout.
 *
 * Chats are pulled (an agent takes one from the queue); calls are pushed.
 * Whenever a call may be offered (a dial, an agent becoming available, a
 * ring rejected or missed, a call that rang or reached an agent ending),
 * the oldest queued call of the default queue, in service order, rings the
 * available agent idle longest who has nothing ringing and no call in
 * progress; the store makes both choices with one indexed query
 * each (edge_store_call_next_queued, edge_store_agent_pick_idle). The
 * caller gets contact.state RINGING; the agent sees the call in its queue
 * with OfferedTo and answers with the ordinary accept, which the store
 * grants only to the agent it rings.
 *
 * A rejected call rings the next idle agent or, when there is none, ends
 * with reason "agent_rejected". A call ringing past the ring timeout goes
 * back to the queue and rings the next idle agent, else waits there (the
 * no-agent timeout still ends it). The agent who rejected or missed a call
 * is never its next pick. Like the no-agent timeout, the ring timeout is a
 * scan of the store from the tick, not a timer, so it survives restarts.
 * The reject is a chain of asynchronous store steps (local_op.h); the
 * rest still runs on the synchronous store. */
#include <stdlib.h>

#include "provider/local_op.h"

#define LOCAL_OFFER_MAX 64     /* calls rung per pass; the rest on the next event */
#define LOCAL_DEFAULT_QUEUE "" /* the queue calls are pushed from */

/* Publish a contact's current state to its participants. */
static int announce(edge_local_provider *lp, const char *contact_id, int64_t now_ms)
{
    edge_contact c;
    int rc = edge_store_contact_get(lp->store, contact_id, &c);
    if (rc == 0) {
        rc = edge__local_publish_state(lp, &c, now_ms);
        edge_contact_free(&c);
    }
    return rc;
}

/* Ring call_id at agent_sub and tell the caller (RINGING). */
static int ring(edge_local_provider *lp, const char *call_id, const char *agent_sub, int64_t now_ms)
{
    int rc = edge_store_contact_ring(lp->store, call_id, agent_sub, now_ms);
    return rc != 0 ? rc : announce(lp, call_id, now_ms);
}

/* Ring the next queued call at the next idle agent: 1 when one rang (or
 * the call was taken meanwhile: try again), 0 when either ran out, or an
 * error. */
static int offer_one(edge_local_provider *lp, const char *exclude_sub, int64_t now_ms)
{
    edge_contact call;
    char agent[EDGE_STORE_TEXT_MAX];
    int rc = edge_store_call_next_queued(lp->store, LOCAL_DEFAULT_QUEUE, &call);
    if (rc == 0) {
        rc = edge_store_agent_pick_idle(lp->store, exclude_sub, agent);
        if (rc == 0)
            rc = ring(lp, call.id, agent, now_ms);
        edge_contact_free(&call);
    }
    if (rc == EDGE_STORE_ENOTFOUND)
        return 0;
    return rc == 0 || rc == EDGE_STORE_ESTATE ? 1 : rc;
}

int edge__local_offer_calls(edge_local_provider *lp, const char *exclude_sub, int64_t now_ms)
{
    int rc = 1;
    for (int i = 0; rc == 1 && i < LOCAL_OFFER_MAX; i++)
        rc = offer_one(lp, exclude_sub, now_ms);
    return rc < 0 ? rc : 0;
}

/* Nobody else to ring: the call ends, and the queue moves up. */
static int end_rejected(edge_local_provider *lp, const char *call_id, int64_t now_ms)
{
    int rc = edge_store_contact_end(lp->store, call_id, "agent_rejected", now_ms);
    edge_contact c;
    if (rc == 0 && (rc = edge_store_contact_get(lp->store, call_id, &c)) == 0) {
        rc = edge__local_publish_state(lp, &c, now_ms);
        if (rc == 0)
            rc = edge__local_push_queue(lp, c.queue, now_ms);
        edge_contact_free(&c);
    }
    return rc;
}

/* ---- agent_reject: a chain of store steps (local_op.h) ------------------ */

typedef struct reject_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX];
    char contact_id[EDGE_STORE_ID_MAX];
    char next_sub[EDGE_STORE_TEXT_MAX];
} reject_op;

/* Back to the queue: not ringing this agent is ECONFLICT, ended ESTATE. */
static void rj_requeue(edge__local_op *op)
{
    reject_op *o = (reject_op *)op;
    EDGE__LOCAL_STORE(op, contact_requeue, o->contact_id, o->sub);
}

/* The offer withdrawn, then the next idle agent (never this one) picked
 * and rung in one atomic step; ENOTFOUND when there is nobody. */
static void rj_pick_ring(edge__local_op *op)
{
    reject_op *o = (reject_op *)op;
    int rc = edge__local_withdraw_offer(op->lp, o->contact_id, o->sub, "rejected",
                                        op->now_ms);
    if (rc != 0) {
        edge__local_op_end(op, rc);
        return;
    }
    EDGE__LOCAL_STORE_OR(op, EDGE_STORE_ENOTFOUND, agent_pick_ring, o->contact_id, o->sub,
                         o->next_sub);
}

/* The caller hears RINGING, or the call ends with nobody to ring; the
 * agent who rejected is free for other calls. */
static int rj_done(edge__local_op *op, int rc)
{
    reject_op *o = (reject_op *)op;
    edge_local_provider *lp = op->lp;
    int64_t now_ms = op->now_ms;
    if (rc == 0 && op->sc.rc == EDGE_STORE_ENOTFOUND)
        rc = end_rejected(lp, o->contact_id, now_ms);
    else if (rc == 0)
        rc = announce(lp, o->contact_id, now_ms);
    if (rc == 0)
        rc = edge__local_offer_calls(lp, NULL, now_ms);
    return rc;
}

static const edge__local_chain REJECT = {EDGE__LOCAL_STEPS(rj_requeue, rj_pick_ring), rj_done,
                                         NULL};

void edge__local_a_agent_reject(edge_provider *p, edge_provider_call *c,
                                const edge_identity *agent, const char *contact_id)
{
    reject_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &REJECT);
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub);
    if (rc == 0 && edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0)
        rc = EDGE_STORE_ENOTFOUND;
    if (rc != 0) {
        edge__local_op_end(&o->base, rc);
        return;
    }
    edge__local_op_run(&o->base);
}

/* One missed ring: back to the queue, then to the next idle agent, or
 * announced as QUEUED again. A call answered, hung up or re-offered since
 * the scan no longer rings that agent and is left alone. */
int edge__local_take_back(edge_local_provider *lp, const edge_contact *call, const char *reason,
                          int64_t now_ms)
{
    char next[EDGE_STORE_TEXT_MAX];
    int rc = edge_store_contact_requeue(lp->store, call->id, call->offered_to, now_ms);
    if (rc == EDGE_STORE_ECONFLICT || rc == EDGE_STORE_ESTATE)
        return 0;
    if (rc == 0)
        rc = edge__local_withdraw_offer(lp, call->id, call->offered_to, reason, now_ms);
    if (rc != 0)
        return rc;
    rc = edge_store_agent_pick_idle(lp->store, call->offered_to, next);
    if (rc == 0)
        return ring(lp, call->id, next, now_ms);
    return rc == EDGE_STORE_ENOTFOUND ? announce(lp, call->id, now_ms) : rc;
}

static int take_back_missed(edge_local_provider *lp, const edge_contact *call, int64_t now_ms)
{
    return edge__local_take_back(lp, call, "timeout", now_ms);
}

int edge__local_ring_timeouts(edge_local_provider *lp, int64_t now_ms)
{
    if (lp->ring_timeout_ms <= 0)
        return 0;
    return edge__local_handle_due(lp, edge_store_calls_ringing_since,
                                  now_ms - lp->ring_timeout_ms, take_back_missed, now_ms);
}
