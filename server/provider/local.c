/* local.c - the embedded contact center: wiring, participant tokens, events.
 *
 * The local provider keeps nothing of its own in memory: every contact,
 * participant and message is in the store, and every notification goes
 * through the event hub, which persists it before pushing it. The chat
 * operations live in local_chat.c, the call operations in local_calls.c,
 * offering calls to agents (ringing) in local_ringing.c, video escalation
 * in local_video.c; who of a contact is told what in local_publish.c, the
 * queue announcements and the tick's scans in local_queue.c, the abuse
 * limits in local_limits.c; the agents' own event feeds in
 * local_agent_feed.c, presence in local_presence.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "provider/local_op.h"

/* 1 when who's token may still be used at now_ms (see participant_auth in
 * provider.h); c is who's contact. Both uses get the same answer here:
 * within the grace, the live routes go on to refuse what an ended contact
 * cannot do, exactly as before; the distinction is for backends whose
 * live connection and transcript access end at different times. */
static int local_token_alive(const edge_local_provider *lp, const edge_participant *who,
                             const edge_contact *c, edge_participant_use use, int64_t now_ms)
{
    (void)use;
    int64_t end = c->ended_ms != 0 ? c->ended_ms : who->left_ms;
    if (c->state != EDGE_CONTACT_ENDED && who->left_ms == 0)
        return 1;
    if (who->role == EDGE_ROLE_AGENT || lp->transcript_grace_ms <= 0)
        return 0;
    return now_ms < end + lp->transcript_grace_ms;
}

/* participant_auth as a chain: the participant, then its contact, then
 * the token's life decided at the call's time. */
typedef struct auth_op {
    edge__local_op base;
    edge_participant_use use;
    edge_participant *out;      /* the caller's */
    char id[EDGE_STORE_ID_MAX]; /* the token's participant */
    edge_participant who;       /* read by the first step */
    edge_contact contact;       /* read by the second */
} auth_op;

static void auth_participant(edge__local_op *o)
{
    auth_op *op = (auth_op *)o;
    EDGE__LOCAL_STORE(o, participant_get, op->id, &op->who);
}

static void auth_contact(edge__local_op *o)
{
    auth_op *op = (auth_op *)o;
    EDGE__LOCAL_STORE(o, contact_get, op->who.contact_id, &op->contact);
}

static int auth_finish(edge__local_op *o, int rc)
{
    auth_op *op = (auth_op *)o;
    if (rc == 0 && !local_token_alive(o->lp, &op->who, &op->contact, op->use, o->now_ms))
        rc = EDGE_STORE_ENOTFOUND;
    if (rc == 0)
        *op->out = op->who;
    return rc;
}

static void auth_release(edge__local_op *o)
{
    edge_contact_free(&((auth_op *)o)->contact);
}

static const edge__local_chain auth_chain = {EDGE__LOCAL_STEPS(auth_participant, auth_contact),
                                             auth_finish, auth_release};

void edge__local_participant_auth(edge_provider *p, edge_provider_call *c, const char *token,
                                  size_t len, edge_participant_use use, edge_participant *out)
{
    edge_local_provider *lp = edge__local(p);
    char id[EDGE_STORE_ID_MAX];
    if (edge_ptoken_verify(lp->key, token, len, id, sizeof(id)) != 0) {
        edge_provider_call_done(c, EDGE_STORE_ENOTFOUND); /* forged or malformed */
        return;
    }
    auth_op *op = edge__local_op_new(lp, c, sizeof(*op), &auth_chain);
    op->use = use;
    op->out = out;
    memcpy(op->id, id, sizeof(id));
    edge__local_op_run(&op->base);
}

/* A customer's streams report presence (tag "C"): a caller gone too long
 * ends the call, a chat's agent sees whether the customer is online. */
void edge__local_events_serve(edge_provider *p, const edge_participant *who,
                               int64_t last_event_id, edge_response *res)
{
    edge_hub_feed feed = {who->id, who->role == EDGE_ROLE_CUSTOMER ? "C" : NULL};
    edge_hub_serve(edge__local(p)->hub, &feed, last_event_id, res);
}

void edge__local_stats(edge_provider *p, edge_provider_stats *out)
{
    out->retention_purged = edge__local(p)->retention_purged;
}

void edge__local_destroy(edge_provider *p)
{
    edge__local_op_cancel_all(edge__local(p));
    edge_agent_lists_free(&edge__local(p)->own_lists);
    free(p);
}


/* ---- presence_reset at start: a job --------------------------------------- */

static void reset_presence(edge__local_op *op)
{
    op->in_store = 1; /* EDGE__LOCAL_STORE with no argument but the call */
    EDGE_STORE_ASYNC(op->lp->astore, presence_reset, &op->sc);
}

static const edge__local_chain RESET = {EDGE__LOCAL_STEPS(reset_presence), NULL, NULL};

edge_provider *edge_provider_local_create(edge_store_async *astore, edge_hub *hub,
                                          const edge_ptoken_key *key,
                                          const edge_local_settings *settings, int64_t now_ms)
{
    edge_local_provider *lp = edge_xcalloc(1, sizeof(*lp));
    lp->base.ops = &edge__local_ops;
    lp->astore = astore;
    lp->hub = hub;
    lp->key = key;
    lp->no_agent_timeout_ms = settings->no_agent_timeout_ms;
    lp->ring_timeout_ms = settings->ring_timeout_ms;
    lp->agent_away_ms = settings->agent_away_ms;
    lp->caller_gone_ms = settings->caller_gone_ms;
    lp->retention_ms = settings->retention_ms;
    lp->transcript_grace_ms = settings->transcript_grace_ms;
    lp->limits = settings->limits;
    lp->lists = settings->lists;
    if (lp->lists == NULL) {
        char err[128];
        (void)edge_agent_lists_load(&lp->own_lists, NULL, NULL, err, sizeof(err)); /* no file */
        lp->lists = &lp->own_lists;
    }
    /* nobody has a stream open on this node yet */
    edge__local_op_run(edge__local_job_new(lp, sizeof(edge__local_op), &RESET,
                                               "presence reset at start", now_ms));
    edge_hub_on_presence(hub, edge__local_on_presence, lp);
    return &lp->base;
}
