/* local_ringing.c - push routing for calls: offering, rejecting, and the
 * ring timeout.
 *
 * Chats are pulled (an agent takes one from the queue); calls are pushed.
 * Whenever a call may be offered (a dial, an agent becoming available, a
 * ring rejected or missed, a call that rang or reached an agent ending),
 * the oldest queued call of the default queue, in service order, rings the
 * available agent idle longest who has nothing ringing and no call in
 * progress; the store finds the call with one indexed query
 * (call_next_queued) and picks and rings the agent in one atomic step
 * (agent_pick_ring), so two nodes never ring one agent twice. The
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
 * The reject is a chain of asynchronous store steps (local_op.h) that
 * answers the agent; offering and taking back are jobs. */
#include <stdio.h>
#include <stdlib.h>

#include "provider/local_scan.h"

#define LOCAL_OFFER_MAX 64     /* calls rung per pass; the rest on the next event */
#define LOCAL_DEFAULT_QUEUE "" /* the queue calls are pushed from */
#define LOCAL_RING_BATCH 64    /* missed rings taken back per tick; the rest on the next */

/* ---- offer_calls: the next queued call, an agent picked and rung, again -- */

typedef struct offer_op {
    edge__local_op base;
    char exclude[EDGE_STORE_TEXT_MAX]; /* "" = anyone */
    edge_contact call;
    char agent[EDGE_STORE_TEXT_MAX];
    int rounds;
} offer_op;

static void of_next(edge__local_op *op)
{
    offer_op *o = (offer_op *)op;
    edge_contact_free(&o->call);
    EDGE__LOCAL_STORE_OR(op, EDGE_STORE_ENOTFOUND, call_next_queued, LOCAL_DEFAULT_QUEUE, &o->call);
}

/* No call waits: done. Else pick an idle agent and ring them at once. */
static void of_pick(edge__local_op *op)
{
    offer_op *o = (offer_op *)op;
    if (op->sc.rc == EDGE_STORE_ENOTFOUND) {
        edge__local_op_end(op, 0);
        return;
    }
    EDGE__LOCAL_STORE_OR(op, EDGE__LOCAL_ANY_ERROR, agent_pick_ring, o->call.id,
                         o->exclude[0] ? o->exclude : NULL, o->agent);
}

/* Rung: the caller hears RINGING, and the next call is tried; nobody
 * idle: done; the call taken meanwhile (ESTATE): the next one. */
static void of_rung(edge__local_op *op)
{
    offer_op *o = (offer_op *)op;
    int rc = op->sc.rc;
    if (rc == 0)
        edge__local_announce(op->lp, o->call.id, op->now_ms);
    if (rc == EDGE_STORE_ENOTFOUND || (rc != 0 && rc != EDGE_STORE_ESTATE) ||
        ++o->rounds >= LOCAL_OFFER_MAX) {
        edge__local_op_end(op, rc == EDGE_STORE_ENOTFOUND ? 0 : rc);
        return;
    }
    op->next = 0; /* again from the first step */
    edge__local_op_next(op);
}

static void of_release(edge__local_op *op)
{
    edge_contact_free(&((offer_op *)op)->call);
}

static const edge__local_chain OFFER = {EDGE__LOCAL_STEPS(of_next, of_pick, of_rung), NULL,
                                        of_release};

void edge__local_offer_calls(edge_local_provider *lp, const char *exclude_sub, int64_t now_ms)
{
    offer_op *o = edge__local_job_new(lp, sizeof(*o), &OFFER, "offer calls", now_ms);
    int rc = edge__local_op_copy(o->exclude, sizeof(o->exclude), exclude_sub);
    if (rc != 0)
        edge__local_op_end(&o->base, rc);
    else
        edge__local_op_run(&o->base);
}

/* ---- agent_reject: a chain of store steps (local_op.h) ------------------ */

typedef struct reject_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX];
    char contact_id[EDGE_STORE_ID_MAX];
    char next_sub[EDGE_STORE_TEXT_MAX];
    int ended; /* nobody else to ring: the call ended */
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
    edge__local_withdraw_offer(op->lp, o->contact_id, o->sub, "rejected", op->now_ms);
    EDGE__LOCAL_STORE_OR(op, EDGE_STORE_ENOTFOUND, agent_pick_ring, o->contact_id, o->sub,
                         o->next_sub);
}

/* Nobody else to ring: the call ends. */
static void rj_end(edge__local_op *op)
{
    reject_op *o = (reject_op *)op;
    if (op->sc.rc != EDGE_STORE_ENOTFOUND) {
        edge__local_op_next(op);
        return;
    }
    o->ended = 1;
    EDGE__LOCAL_STORE(op, contact_end, o->contact_id, "agent_rejected");
}

/* The caller hears RINGING, or the call ended and the queue moves up; the
 * agent who rejected is free for other calls. */
static int rj_done(edge__local_op *op, int rc)
{
    reject_op *o = (reject_op *)op;
    edge_local_provider *lp = op->lp;
    if (rc != 0)
        return rc;
    if (o->ended) {
        edge_contact before = {.kind = EDGE_CONTACT_CALL, .state = EDGE_CONTACT_QUEUED};
        snprintf(before.id, sizeof(before.id), "%s", o->contact_id);
        edge__local_ended(lp, &before, op->now_ms);
    } else {
        edge__local_announce(lp, o->contact_id, op->now_ms);
    }
    edge__local_offer_calls(lp, NULL, op->now_ms);
    return 0;
}

static const edge__local_chain REJECT = {EDGE__LOCAL_STEPS(rj_requeue, rj_pick_ring, rj_end),
                                         rj_done, NULL};

void edge__local_a_agent_reject(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                                const char *contact_id)
{
    reject_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &REJECT);
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub);
    if (rc == 0 && edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0)
        rc = EDGE_STORE_ENOTFOUND;
    edge__local_op_start(&o->base, rc);
}

/* ---- take_back: a job ----------------------------------------------------
 * One missed ring: back to the queue, then to the next idle agent, or
 * announced as QUEUED again. A call answered, hung up or re-offered since
 * the scan no longer rings that agent and is left alone. */

typedef struct take_back_op {
    edge__local_op base;
    char id[EDGE_STORE_ID_MAX];
    char missed_by[EDGE_STORE_TEXT_MAX];
    char reason[EDGE_STORE_TEXT_MAX];
    char next_sub[EDGE_STORE_TEXT_MAX];
} take_back_op;

static void tb_requeue(edge__local_op *op)
{
    take_back_op *o = (take_back_op *)op;
    EDGE__LOCAL_STORE_OR(op, EDGE__LOCAL_ANY_ERROR, contact_requeue, o->id, o->missed_by);
}

static void tb_pick_ring(edge__local_op *op)
{
    take_back_op *o = (take_back_op *)op;
    int rc = op->sc.rc;
    if (rc != 0) { /* ECONFLICT, ESTATE: moved on meanwhile */
        edge__local_op_end(op, rc == EDGE_STORE_ECONFLICT || rc == EDGE_STORE_ESTATE ? 0 : rc);
        return;
    }
    edge__local_withdraw_offer(op->lp, o->id, o->missed_by, o->reason, op->now_ms);
    EDGE__LOCAL_STORE_OR(op, EDGE_STORE_ENOTFOUND, agent_pick_ring, o->id, o->missed_by,
                         o->next_sub);
}

/* Ringing someone else, or QUEUED again: the caller hears which. */
static int tb_done(edge__local_op *op, int rc)
{
    if (rc == 0)
        edge__local_announce(op->lp, ((take_back_op *)op)->id, op->now_ms);
    return rc;
}

static const edge__local_chain TAKE_BACK = {EDGE__LOCAL_STEPS(tb_requeue, tb_pick_ring), tb_done,
                                            NULL};

void edge__local_take_back(edge_local_provider *lp, const edge_contact *call, const char *reason,
                           int64_t now_ms)
{
    take_back_op *o = edge__local_job_new(lp, sizeof(*o), &TAKE_BACK, "take back", now_ms);
    int rc = edge__local_op_copy(o->id, sizeof(o->id), call->id);
    if (rc == 0)
        rc = edge__local_op_copy(o->missed_by, sizeof(o->missed_by), call->offered_to);
    if (rc == 0)
        rc = edge__local_op_copy(o->reason, sizeof(o->reason), reason);
    if (rc != 0)
        edge__local_op_end(&o->base, rc);
    else
        edge__local_op_run(&o->base);
}

/* ---- ring timeouts: a scan of the calls rung before the timeout ---------- */

static void missed_list(edge__local_scan *s)
{
    EDGE__LOCAL_STORE(&s->base, calls_ringing_since, s->before_ms, s->items, s->cap, &s->count);
}

static void missed_each(edge__local_scan *s, const void *call)
{
    edge__local_take_back(s->base.lp, call, "timeout", s->base.now_ms);
}

static const edge__local_scan_kind MISSED = {
    .name = "ring timeouts",
    .item_size = sizeof(edge_contact),
    .list = missed_list,
    .each = missed_each,
    .item_free = edge__local_scan_contact_free,
};

void edge__local_ring_timeouts(edge_local_provider *lp, int64_t now_ms)
{
    if (lp->ring_timeout_ms > 0)
        edge__local_scan_start(lp, &MISSED, now_ms - lp->ring_timeout_ms, LOCAL_RING_BATCH, NULL,
                               &lp->tick_jobs, now_ms);
}
