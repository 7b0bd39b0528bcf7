/* local_presence.c - who is there: agents' consoles and customers' pages.
 *
 * The hub reports when an agent's first agent stream opens and their last
 * one closes (tag "A<sub>"), and the same for a customer's participant
 * streams (tag "C"). Those edges are written to the store
 * (away_since_ms), never kept in a timer: the once-a-second tick asks the
 * store who has been away past their grace, so a restart loses nothing.
 *
 * - An available agent away past --agent-away-s goes offline; a call
 *   ringing them is taken back at once (it rings the next idle agent or
 *   waits queued again) and the queue's estimates are updated.
 * - A call whose caller has been away past --caller-gone-s ends with
 *   reason "caller_gone" (a closed tab leaves no ghost call ringing).
 *   Chats are asynchronous and stay open; their agents are told whether
 *   the customer is online ("customer.presence"). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "provider/local_internal.h"

#define LOCAL_PRESENCE_BATCH 64 /* agents or calls handled per tick; the rest on the next */

/* "customer.presence" {ContactId, CustomerOnline} to the contact's agent,
 * or to the agents watching its queue while it waits. */
static int tell_customer_presence(edge_local_provider *lp, const edge_contact *c, int online,
                                  int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", c->id);
    cJSON_AddBoolToObject(o, "CustomerOnline", online);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    int rc;
    if (c->agent_sub[0])
        rc = edge__local_tell_agent(lp, c->agent_sub, c->id, "customer.presence", text, now_ms);
    else
        rc = edge__local_tell_agents(lp, c->queue, c->id, "customer.presence", text, now_ms);
    free(text);
    return rc;
}

static int customer_presence(edge_local_provider *lp, const char *participant_id, int streaming,
                             int64_t now_ms)
{
    int rc = edge_store_participant_presence(lp->store, participant_id, streaming, now_ms);
    if (rc == EDGE_STORE_ESTATE || rc == EDGE_STORE_ENOTFOUND)
        return 0; /* the contact has ended: nobody to tell */
    edge_participant who;
    edge_contact c;
    if (rc == 0)
        rc = edge_store_participant_get(lp->store, participant_id, &who);
    if (rc == 0 && (rc = edge_store_contact_get(lp->store, who.contact_id, &c)) == 0) {
        rc = tell_customer_presence(lp, &c, streaming, now_ms);
        edge_contact_free(&c);
    }
    return rc;
}

void edge__local_on_presence(void *ctx, const char *feed_id, const char *tag, int streaming,
                             int64_t now_ms)
{
    edge_local_provider *lp = ctx;
    int rc = 0;
    if (tag[0] == 'A')
        rc = edge_store_agent_presence(lp->store, tag + 1, streaming, now_ms);
    else if (tag[0] == 'C')
        rc = customer_presence(lp, feed_id, streaming, now_ms);
    if (rc != 0)
        fprintf(stderr, "c2c-edge: presence of a stream not recorded (%d)\n", rc);
}

/* Calls ringing agent_sub, taken back one by one. */
static int take_back_rings(edge_local_provider *lp, const char *agent_sub, int64_t now_ms)
{
    edge_contact ringing[LOCAL_PRESENCE_BATCH];
    size_t count = 0;
    int rc =
        edge_store_calls_ringing_since(lp->store, INT64_MAX, ringing, LOCAL_PRESENCE_BATCH, &count);
    for (size_t i = 0; i < count; i++) {
        if (rc == 0 && strcmp(ringing[i].offered_to, agent_sub) == 0)
            rc = edge__local_take_back(lp, &ringing[i], "away", now_ms);
        edge_contact_free(&ringing[i]);
    }
    return rc;
}

static int agents_gone(edge_local_provider *lp, int64_t now_ms)
{
    if (lp->agent_away_ms <= 0)
        return 0;
    int64_t before = now_ms - lp->agent_away_ms;
    edge_agent_row away[LOCAL_PRESENCE_BATCH];
    size_t count = 0, gone = 0;
    int rc = edge_store_agents_away_since(lp->store, before, away, LOCAL_PRESENCE_BATCH, &count);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        int e = edge_store_agent_expire(lp->store, away[i].sub, before, now_ms);
        if (e == EDGE_STORE_ESTATE)
            continue; /* came back since the scan */
        rc = e != 0 ? e
                    : edge__local_tell_agent_status(lp, away[i].sub, EDGE_AGENT_OFFLINE, "away",
                                                    now_ms);
        if (rc == 0)
            rc = take_back_rings(lp, away[i].sub, now_ms);
        gone++;
    }
    if (rc == 0 && gone > 0)
        rc = edge__local_push_queue(lp, "", now_ms); /* estimates depend on agents */
    return rc;
}

/* End one call whose caller is gone; one that ended meanwhile is skipped. */
static int end_caller_gone(edge_local_provider *lp, const edge_contact *call, int64_t now_ms)
{
    int rc = edge__local_end(lp, call, "caller_gone", now_ms);
    return rc == EDGE_STORE_ESTATE ? 0 : rc;
}

static int callers_gone(edge_local_provider *lp, int64_t now_ms)
{
    if (lp->caller_gone_ms <= 0)
        return 0;
    return edge__local_handle_due(lp, edge_store_calls_caller_gone, now_ms - lp->caller_gone_ms,
                                  end_caller_gone, now_ms);
}

int edge__local_presence_tick(edge_local_provider *lp, int64_t now_ms)
{
    int rc = callers_gone(lp, now_ms);
    int agents_rc = agents_gone(lp, now_ms);
    return rc != 0 ? rc : agents_rc;
}
