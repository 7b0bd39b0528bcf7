/* local_end.c - ending a contact, one way for every cause.
 *
 * A contact ends because its customer hangs up or leaves, its agent ends
 * it, nobody answered in time, or its caller's tab is gone. Whatever the
 * cause, the same things follow, in this order: the store ends it; the
 * agent a ringing call was offered to sees the offer withdrawn; everyone
 * in it (and its agent's console) hears the new state; a contact that was
 * waiting leaves its queue, so those behind it move up; and a call that
 * had an agent frees them for the next call. Keeping it in one place is
 * what keeps those consequences from drifting apart between causes. */
#include "provider/local_internal.h"

int edge__local_end(edge_local_provider *lp, const edge_contact *before, const char *reason,
                    int64_t now_ms)
{
    int rc = edge_store_contact_end(lp->store, before->id, reason, now_ms);
    if (rc != 0)
        return rc; /* ESTATE: it ended meanwhile */
    if (before->state == EDGE_CONTACT_RINGING && before->offered_to[0] != '\0')
        rc = edge__local_withdraw_offer(lp, before->id, before->offered_to, "ended", now_ms);
    edge_contact ended;
    if (rc == 0 && (rc = edge_store_contact_get(lp->store, before->id, &ended)) == 0) {
        rc = edge__local_publish_state(lp, &ended, now_ms);
        if (rc == 0 && before->state != EDGE_CONTACT_CONNECTED) /* it was waiting */
            rc = edge__local_push_queue(lp, ended.queue, now_ms);
        edge_contact_free(&ended);
    }
    if (rc == 0 && before->kind == EDGE_CONTACT_CALL && before->state != EDGE_CONTACT_QUEUED)
        rc = edge__local_offer_calls(lp, NULL, now_ms); /* its agent is free again */
    return rc;
}
