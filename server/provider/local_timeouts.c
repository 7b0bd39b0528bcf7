/* local_timeouts.c - calls that wait too long for an agent end ("no_agent").
 *
 * There are no per-call timers to lose in a restart: once a second the app
 * calls the provider's tick, which asks the store for calls still waiting
 * that were created before now minus the timeout, ends each one with reason
 * "no_agent", and tells everyone (contact.state ENDED, new queue positions).
 * A call that outlived a restart therefore ends on the first tick after it,
 * and the scan costs one indexed query when nothing is due. The same tick
 * then takes back rings past the ring timeout (local_ringing.c), and ends
 * what presence says is gone (local_presence.c). */
#include <stdlib.h>

#include "provider/local_internal.h"

/* End one waiting call and announce it. A call that was accepted or hung
 * up between the scan and now is simply skipped (ESTATE). The agent a
 * ringing call rang is free again for other calls. */
static int end_unanswered(edge_local_provider *lp, const edge_contact *call, int64_t now_ms)
{
    int rc = edge_store_contact_end(lp->store, call->id, "no_agent", now_ms);
    if (rc == EDGE_STORE_ESTATE)
        return 0;
    if (rc == 0 && call->state == EDGE_CONTACT_RINGING)
        rc = edge__local_withdraw_offer(lp, call->id, call->offered_to, "ended", now_ms);
    edge_contact ended;
    if (rc == 0 && (rc = edge_store_contact_get(lp->store, call->id, &ended)) == 0) {
        rc = edge__local_publish_state(lp, &ended, now_ms);
        if (rc == 0)
            rc = edge__local_push_queue(lp, ended.queue, now_ms);
        edge_contact_free(&ended);
    }
    if (rc == 0 && call->state == EDGE_CONTACT_RINGING)
        rc = edge__local_offer_calls(lp, NULL, now_ms);
    return rc;
}

static int no_agent_timeouts(edge_local_provider *lp, int64_t now_ms)
{
    if (lp->no_agent_timeout_ms <= 0)
        return 0;
    return edge__local_handle_due(lp, edge_store_calls_waiting_since,
                                  now_ms - lp->no_agent_timeout_ms, end_unanswered, now_ms);
}

int edge__local_tick(edge_provider *p, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    int rc = no_agent_timeouts(lp, now_ms);
    int ring_rc = edge__local_ring_timeouts(lp, now_ms);
    int presence_rc = edge__local_presence_tick(lp, now_ms);
    return rc != 0 ? rc : ring_rc != 0 ? ring_rc : presence_rc;
}
