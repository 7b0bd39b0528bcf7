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
 *   the customer is online ("customer.presence").
 *
 * Everything here is a job (local_op.h): the hook's store writes and
 * what they tell, and the tick's two scans (local_scan.h). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "provider/local_scan.h"

#define LOCAL_PRESENCE_BATCH 64 /* agents or calls handled per tick; the rest on the next */

/* "customer.presence" {ContactId, CustomerOnline} to the contact's agent,
 * or to the agents watching its queue while it waits. */
static void tell_customer_presence(edge_local_provider *lp, const edge_contact *c, int online,
                                   int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", c->id);
    cJSON_AddBoolToObject(o, "CustomerOnline", online);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    if (c->agent_sub[0])
        edge__local_tell_agent(lp, c->agent_sub, c->id, "customer.presence", text, now_ms);
    else
        edge__local_tell_agents(lp, c->queue, c->id, "customer.presence", text, now_ms);
    free(text);
}

/* ---- the hook: a presence edge written, a customer's told ---------------- */

typedef struct presence_op {
    edge__local_op base;
    char id[EDGE_STORE_TEXT_MAX]; /* the agent's sub, or the participant's id */
    int agent;                    /* an agent's feed, else a customer's */
    int streaming;
    edge_participant who;
    edge_contact contact;
} presence_op;

static void pr_write(edge__local_op *op)
{
    presence_op *o = (presence_op *)op;
    if (o->agent)
        EDGE__LOCAL_STORE(op, agent_presence, o->id, o->streaming);
    else
        EDGE__LOCAL_STORE_OR(op, EDGE__LOCAL_ANY_ERROR, participant_presence, o->id, o->streaming);
}

/* A customer's: ended (ESTATE, ENOTFOUND) means nobody to tell. */
static void pr_who(edge__local_op *op)
{
    presence_op *o = (presence_op *)op;
    int rc = op->sc.rc;
    if (o->agent || rc != 0) {
        edge__local_op_end(op, rc == EDGE_STORE_ESTATE || rc == EDGE_STORE_ENOTFOUND ? 0 : rc);
        return;
    }
    EDGE__LOCAL_STORE(op, participant_get, o->id, &o->who);
}

static void pr_contact(edge__local_op *op)
{
    presence_op *o = (presence_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->who.contact_id, &o->contact);
}

static int pr_done(edge__local_op *op, int rc)
{
    presence_op *o = (presence_op *)op;
    if (rc == 0 && !o->agent)
        tell_customer_presence(op->lp, &o->contact, o->streaming, op->now_ms);
    return rc;
}

static void pr_release(edge__local_op *op)
{
    edge_contact_free(&((presence_op *)op)->contact);
}

static const edge__local_chain PRESENCE = {EDGE__LOCAL_STEPS(pr_write, pr_who, pr_contact), pr_done,
                                           pr_release};

void edge__local_on_presence(void *ctx, const char *feed_id, const char *tag, int streaming,
                             int64_t now_ms)
{
    edge_local_provider *lp = ctx;
    if (tag[0] != 'A' && tag[0] != 'C')
        return;
    presence_op *o = edge__local_job_new(lp, sizeof(*o), &PRESENCE, "presence", now_ms);
    o->agent = tag[0] == 'A';
    o->streaming = streaming;
    int rc = edge__local_op_copy(o->id, sizeof(o->id), o->agent ? tag + 1 : feed_id);
    if (rc != 0)
        edge__local_op_end(&o->base, rc);
    else
        edge__local_op_run(&o->base);
}

/* ---- agents away past their grace go offline ----------------------------- */

/* Calls ringing the agent arg, taken back one by one. */
static void ringing_list(edge__local_scan *s)
{
    EDGE__LOCAL_STORE(&s->base, calls_ringing_since, INT64_MAX, s->items, s->cap, &s->count);
}

static void ringing_each(edge__local_scan *s, const void *item)
{
    const edge_contact *call = item;
    if (strcmp(call->offered_to, s->arg) == 0)
        edge__local_take_back(s->base.lp, call, "away", s->base.now_ms);
}

static const edge__local_scan_kind RINGING_AWAY = {
    .name = "rings of an agent away",
    .item_size = sizeof(edge_contact),
    .list = ringing_list,
    .each = ringing_each,
    .item_free = edge__local_scan_contact_free,
};

/* One agent: offline unless back since the scan (ESTATE), then told, and
 * the calls ringing them move on. */
typedef struct expire_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX];
    int64_t before_ms;
} expire_op;

static void ex_expire(edge__local_op *op)
{
    expire_op *o = (expire_op *)op;
    EDGE__LOCAL_STORE_OR(op, EDGE_STORE_ESTATE, agent_expire, o->sub, o->before_ms);
}

static int ex_done(edge__local_op *op, int rc)
{
    expire_op *o = (expire_op *)op;
    if (rc != 0 || op->sc.rc == EDGE_STORE_ESTATE)
        return rc; /* came back since the scan */
    edge__local_tell_agent_status(op->lp, o->sub, EDGE_AGENT_OFFLINE, "away", op->now_ms);
    edge__local_scan_start(op->lp, &RINGING_AWAY, INT64_MAX, LOCAL_PRESENCE_BATCH, o->sub, NULL,
                           op->now_ms);
    return 0;
}

static const edge__local_chain EXPIRE = {EDGE__LOCAL_STEPS(ex_expire), ex_done, NULL};

static void away_list(edge__local_scan *s)
{
    EDGE__LOCAL_STORE(&s->base, agents_away_since, s->before_ms, s->items, s->cap, &s->count);
}

static void away_each(edge__local_scan *s, const void *item)
{
    const edge_agent_row *agent = item;
    expire_op *o =
        edge__local_job_new(s->base.lp, sizeof(*o), &EXPIRE, "agent away", s->base.now_ms);
    o->before_ms = s->before_ms;
    if (edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub) != 0)
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
    else
        edge__local_op_run(&o->base);
}

/* Estimates depend on agents. */
static void away_after(edge__local_scan *s)
{
    if (s->count > 0)
        edge__local_push_queue(s->base.lp, "", s->base.now_ms);
}

static const edge__local_scan_kind AGENTS_AWAY = {
    .name = "agents away",
    .item_size = sizeof(edge_agent_row),
    .list = away_list,
    .each = away_each,
    .after = away_after,
};

/* ---- calls whose caller is gone end -------------------------------------- */

static void gone_list(edge__local_scan *s)
{
    EDGE__LOCAL_STORE(&s->base, calls_caller_gone, s->before_ms, s->items, s->cap, &s->count);
}

/* One that ended meanwhile is left alone (edge__local_end's ESTATE). */
static void gone_each(edge__local_scan *s, const void *call)
{
    edge__local_end(s->base.lp, call, "caller_gone", s->base.now_ms);
}

static const edge__local_scan_kind CALLERS_GONE = {
    .name = "callers gone",
    .item_size = sizeof(edge_contact),
    .list = gone_list,
    .each = gone_each,
    .item_free = edge__local_scan_contact_free,
};

void edge__local_presence_tick(edge_local_provider *lp, int64_t now_ms)
{
    if (lp->caller_gone_ms > 0)
        edge__local_scan_start(lp, &CALLERS_GONE, now_ms - lp->caller_gone_ms, LOCAL_PRESENCE_BATCH,
                               NULL, &lp->tick_jobs, now_ms);
    if (lp->agent_away_ms > 0)
        edge__local_scan_start(lp, &AGENTS_AWAY, now_ms - lp->agent_away_ms, LOCAL_PRESENCE_BATCH,
                               NULL, &lp->tick_jobs, now_ms);
}
