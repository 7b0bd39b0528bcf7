/* local_end.c - ending a contact, one way for every cause.
 *
 * A contact ends because its customer hangs up or leaves, its agent ends
 * it, nobody answered in time, or its caller's tab is gone. Whatever the
 * cause, the same things follow, in this order: the store ends it; the
 * agent a ringing call was offered to sees the offer withdrawn; everyone
 * in it (and its agent's console) hears the new state; a contact that was
 * waiting leaves its queue, so those behind it move up; and a call that
 * had an agent frees them for the next call. Keeping it in one place is
 * what keeps those consequences from drifting apart between causes. What
 * follows the store's end is a job (local_op.h); a provider op that
 * answers the end's outcome ends the contact as a step of its own chain
 * and then starts edge__local_ended. */
#include "provider/local_op.h"

typedef struct ended_op {
    edge__local_op base;
    edge_contact before;              /* fixed fields only (edge__local_contact_keep) */
    char reason[EDGE_STORE_TEXT_MAX]; /* "" = ended already: only what follows */
    edge_contact ended;               /* as re-read */
} ended_op;

/* edge__local_end's own step: the store's end (ESTATE: it ended meanwhile,
 * and nothing follows). */
static void ed_end(edge__local_op *op)
{
    ended_op *o = (ended_op *)op;
    if (o->reason[0] == '\0') {
        edge__local_op_next(op);
        return;
    }
    EDGE__LOCAL_STORE_OR(op, EDGE_STORE_ESTATE, contact_end, o->before.id, o->reason);
}

static void ed_get(edge__local_op *op)
{
    ended_op *o = (ended_op *)op;
    if (op->sc.rc == EDGE_STORE_ESTATE) {
        edge__local_op_end(op, 0);
        return;
    }
    if (o->before.state == EDGE_CONTACT_RINGING)
        edge__local_withdraw_offer(op->lp, o->before.id, o->before.offered_to, "ended", op->now_ms);
    EDGE__LOCAL_STORE(op, contact_get, o->before.id, &o->ended);
}

static int ed_done(edge__local_op *op, int rc)
{
    ended_op *o = (ended_op *)op;
    edge_local_provider *lp = op->lp;
    if (rc != 0 || op->sc.rc == EDGE_STORE_ESTATE)
        return rc;
    edge__local_publish_state(lp, &o->ended, op->now_ms);
    if (o->before.state != EDGE_CONTACT_CONNECTED) /* it was waiting */
        edge__local_push_queue(lp, o->ended.queue, op->now_ms);
    if (o->before.kind == EDGE_CONTACT_CALL && o->before.state != EDGE_CONTACT_QUEUED)
        edge__local_offer_calls(lp, NULL, op->now_ms); /* its agent is free again */
    return 0;
}

static void ed_release(edge__local_op *op)
{
    edge_contact_free(&((ended_op *)op)->ended);
}

static const edge__local_chain ENDED = {EDGE__LOCAL_STEPS(ed_end, ed_get), ed_done, ed_release};

static void ended_start(edge_local_provider *lp, const edge_contact *before, const char *reason,
                        int64_t now_ms)
{
    ended_op *o = edge__local_job_new(lp, sizeof(*o), &ENDED, reason ? "end" : "ended", now_ms);
    edge__local_contact_keep(&o->before, before);
    int rc = edge__local_op_copy(o->reason, sizeof(o->reason), reason);
    if (rc != 0)
        edge__local_op_end(&o->base, rc);
    else
        edge__local_op_run(&o->base);
}

void edge__local_ended(edge_local_provider *lp, const edge_contact *before, int64_t now_ms)
{
    ended_start(lp, before, NULL, now_ms);
}

void edge__local_end(edge_local_provider *lp, const edge_contact *before, const char *reason,
                     int64_t now_ms)
{
    ended_start(lp, before, reason && reason[0] ? reason : "ended", now_ms);
}
