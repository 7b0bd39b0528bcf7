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
 * ends what presence says is gone (local_presence.c), and last deletes one batch of contacts that ended more than
 * --retention-days ago (edge_store_purge_ended): at most
 * LOCAL_RETENTION_BATCH per tick, so a backlog (the first start with
 * retention on) drains over a few ticks without ever holding the loop for
 * long, and never on a request path. */
#include <stdlib.h>

#include "provider/local_internal.h"

#define LOCAL_RETENTION_BATCH 100 /* contacts deleted per tick at most */
#define LOCAL_FEED_PRUNE_BATCH 1000 /* queue and status notices deleted per tick at most */
#define LOCAL_FEED_KEEP_MS (24 * 3600 * 1000LL) /* how long those notices are kept */

/* End one waiting call and announce it. A call that was accepted or hung
 * up between the scan and now is simply skipped (ESTATE). The agent a
 * ringing call rang is free again for other calls. */
static int end_unanswered(edge_local_provider *lp, const edge_contact *call, int64_t now_ms)
{
    int rc = edge__local_end(lp, call, "no_agent", now_ms);
    return rc == EDGE_STORE_ESTATE ? 0 : rc;
}

static int no_agent_timeouts(edge_local_provider *lp, int64_t now_ms)
{
    if (lp->no_agent_timeout_ms <= 0)
        return 0;
    return edge__local_handle_due(lp, edge_store_calls_waiting_since,
                                  now_ms - lp->no_agent_timeout_ms, end_unanswered, now_ms);
}

static int retention(edge_local_provider *lp, int64_t now_ms)
{
    size_t pruned = 0, purged = 0;
    int rc = edge_store_prune_unbound_events(lp->store, now_ms - LOCAL_FEED_KEEP_MS,
                                             LOCAL_FEED_PRUNE_BATCH, &pruned);
    if (rc != 0 || lp->retention_ms <= 0)
        return rc;
    rc = edge_store_purge_ended(lp->store, now_ms - lp->retention_ms, LOCAL_RETENTION_BATCH,
                                &purged);
    lp->retention_purged += purged;
    return rc;
}

/* Contacts waiting in a personal queue past --personal-queue-s move to the
 * default queue, where every agent sees them (their priority kept). */
static int personal_fallback(edge_local_provider *lp, int64_t now_ms)
{
    if (lp->limits.personal_queue_ms <= 0)
        return 0;
    size_t moved = 0;
    int rc = edge_store_queue_fallback(lp->store, EDGE_LOCAL_PERSONAL_PREFIX,
                                       now_ms - lp->limits.personal_queue_ms, now_ms, &moved);
    if (rc == 0 && moved > 0) /* every agent now sees them in the default queue */
        rc = edge__local_tell_queue_changed(lp, "", now_ms);
    return rc;
}

int edge__local_tick(edge_provider *p, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    int rc = no_agent_timeouts(lp, now_ms);
    int ring_rc = edge__local_ring_timeouts(lp, now_ms);
    int fallback_rc = personal_fallback(lp, now_ms);
    int push_rc = edge__local_push_held(lp, now_ms); /* after the moves: they change places */
    int presence_rc = edge__local_presence_tick(lp, now_ms);
    int retention_rc = retention(lp, now_ms);
    int rcs[] = {rc, ring_rc, fallback_rc, push_rc, presence_rc, retention_rc};
    for (size_t i = 0; i < sizeof(rcs) / sizeof(rcs[0]); i++)
        if (rcs[i] != 0)
            return rcs[i];
    return 0;
}
