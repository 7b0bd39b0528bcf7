/* local_timeouts.c - calls that wait too long for an agent end ("no_agent").
 *
 * There are no per-call timers to lose in a restart: once a second the app
 * calls the provider's tick, which asks the store for calls still waiting
 * that were created before now minus the timeout, ends each one with reason
 * "no_agent", and tells everyone (contact.state ENDED, new queue positions).
 * A call that outlived a restart therefore ends on the first tick after it,
 * and the scan costs one indexed query when nothing is due. The same tick
 * then takes back rings past the ring timeout (local_ringing.c), moves
 * contacts that waited out their personal queue to the default one, sends
 * the queue positions held back by the once-a-second rule (local_queue.c),
 * ends what presence says is gone (local_presence.c), and last deletes one
 * batch of contacts that ended more than --retention-days ago
 * (purge_ended): at most LOCAL_RETENTION_BATCH per tick, so a backlog (the
 * first start with retention on) drains over a few ticks without ever
 * holding the loop for long, and never on a request path.
 *
 * Each of those is a job (local_op.h, the scans local_scan.h), started in
 * that order; lp->tick_jobs counts the ones still running, and a tick that
 * finds any does nothing, so two ticks never overlap (on a shared store a
 * slow answer delays the next scan instead of doubling it). With the
 * SQLite adapter every job has ended when the tick returns. */
#include "provider/local_scan.h"

#define LOCAL_DUE_BATCH 64          /* calls ended per tick; the rest on the next */
#define LOCAL_RETENTION_BATCH 100   /* contacts deleted per tick at most */
#define LOCAL_FEED_PRUNE_BATCH 1000 /* queue and status notices deleted per tick at most */
#define LOCAL_FEED_KEEP_MS (24 * 3600 * 1000LL) /* how long those notices are kept */

/* ---- no_agent: a scan of the calls waiting since before the timeout ----- */

static void waiting_list(edge__local_scan *s)
{
    EDGE__LOCAL_STORE(&s->base, calls_waiting_since, s->before_ms, s->items, s->cap, &s->count);
}

/* End one waiting call and announce it; one accepted or hung up between
 * the scan and now is left alone (edge__local_end's ESTATE). */
static void waiting_each(edge__local_scan *s, const void *call)
{
    edge__local_end(s->base.lp, call, "no_agent", s->base.now_ms);
}

static const edge__local_scan_kind NO_AGENT = {
    .name = "no-agent timeouts",
    .item_size = sizeof(edge_contact),
    .list = waiting_list,
    .each = waiting_each,
    .item_free = edge__local_scan_contact_free,
};

/* ---- retention: notices pruned, then ended contacts purged -------------- */

typedef struct retention_op {
    edge__local_op base;
    size_t pruned, purged;
} retention_op;

static void re_prune(edge__local_op *op)
{
    EDGE__LOCAL_STORE(op, prune_unbound_events, op->now_ms - LOCAL_FEED_KEEP_MS,
                      LOCAL_FEED_PRUNE_BATCH, &((retention_op *)op)->pruned);
}

static void re_purge(edge__local_op *op)
{
    edge_local_provider *lp = op->lp;
    if (lp->retention_ms <= 0) {
        edge__local_op_next(op);
        return;
    }
    EDGE__LOCAL_STORE(op, purge_ended, op->now_ms - lp->retention_ms, LOCAL_RETENTION_BATCH,
                      &((retention_op *)op)->purged);
}

static int re_done(edge__local_op *op, int rc)
{
    op->lp->retention_purged += ((retention_op *)op)->purged;
    return rc;
}

static void tick_job_release(edge__local_op *op)
{
    edge__local_tick_job_done(&op->lp->tick_jobs);
}

static const edge__local_chain RETENTION = {EDGE__LOCAL_STEPS(re_prune, re_purge), re_done,
                                            tick_job_release};

/* ---- personal fallback ----------------------------------------------------
 * Contacts waiting in a personal queue past --personal-queue-s move to the
 * default queue, where every agent sees them (their priority kept). */

typedef struct fallback_op {
    edge__local_op base;
    size_t moved;
} fallback_op;

static void fb_move(edge__local_op *op)
{
    EDGE__LOCAL_STORE(op, queue_fallback, EDGE_LOCAL_PERSONAL_PREFIX,
                      op->now_ms - op->lp->limits.personal_queue_ms, &((fallback_op *)op)->moved);
}

static int fb_done(edge__local_op *op, int rc)
{
    if (rc == 0 && ((fallback_op *)op)->moved > 0) /* every agent now sees them */
        edge__local_tell_queue_changed(op->lp, "", op->now_ms);
    return rc;
}

static const edge__local_chain FALLBACK = {EDGE__LOCAL_STEPS(fb_move), fb_done, tick_job_release};

/* Start one of the tick's own chains, counted in lp->tick_jobs. */
static void tick_job(edge_local_provider *lp, const edge__local_chain *chain, size_t size,
                     const char *name, int64_t now_ms)
{
    edge__local_op *op = edge__local_job_new(lp, size, chain, name, now_ms);
    edge__local_tick_job_begin(&lp->tick_jobs);
    edge__local_op_run(op);
}

int edge__local_tick(edge_provider *p, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    if (lp->tick_jobs > 0)
        return 0; /* the last tick's jobs still run */
    if (lp->no_agent_timeout_ms > 0)
        edge__local_scan_start(lp, &NO_AGENT, now_ms - lp->no_agent_timeout_ms, LOCAL_DUE_BATCH,
                               NULL, &lp->tick_jobs, now_ms);
    edge__local_ring_timeouts(lp, now_ms);
    if (lp->limits.personal_queue_ms > 0)
        tick_job(lp, &FALLBACK, sizeof(fallback_op), "personal queue fallback", now_ms);
    edge__local_push_held(lp, now_ms); /* after the moves: they change places */
    edge__local_presence_tick(lp, now_ms);
    tick_job(lp, &RETENTION, sizeof(retention_op), "retention", now_ms);
    return 0;
}
