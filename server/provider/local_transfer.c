/* local_transfer.c - the embedded contact center's transfer: an agent
 * hands a connected chat or browser call to another queue or to an
 * available agent.
 *
 * The store does the hand-over in one transaction (the contact waits
 * queued again, keeping its priority and age; the agent's participant
 * leaves, so their ParticipantToken dies). To an agent, the contact waits
 * in that agent's personal queue (private to them, like a reference-code
 * chat, until --personal-queue-s moves it to the default queue), and a
 * call rings them at once. Then everyone is told: the customer's side
 * "contact.transferring" and the new state, the old agent's feed
 * "contact.transferred", the agents watching the queue "queue.changed".
 * The next agent accepts as usual and reads the whole transcript. Both
 * ops are chains of asynchronous store steps (local_op.h); the telling
 * follows as jobs. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "provider/local_op.h"

#define TRANSFER_QUEUES_SCAN 64

/* {ContactId[, To]} as JSON text (malloc'd). */
static char *contact_json(const char *contact_id, const char *to)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", contact_id);
    if (to)
        cJSON_AddStringToObject(o, "To", to);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    return text;
}

/* Tell the customer's side, the old agent and the queue's watchers (c:
 * the contact as read after the hand-over). */
static void announce(edge_local_provider *lp, const edge_contact *c, const char *old_agent,
                     const char *to, int64_t now_ms)
{
    char *text = contact_json(c->id, to);
    edge__local_audience customers = {.skip_role = EDGE_ROLE_AGENT, .skip_role_set = 1};
    edge__local_publish(lp, c->id, &customers, "contact.transferring", text, now_ms);
    free(text);
    edge__local_publish_state(lp, c, now_ms);
    edge__local_push_queue(lp, c->queue, now_ms);
    edge__local_tell_queue_changed(lp, c->queue, now_ms);
    text = contact_json(c->id, NULL);
    edge__local_tell_agent(lp, old_agent, c->id, "contact.transferred", text, now_ms);
    free(text);
}

/* ---- agent_transfer: a chain of store steps (local_op.h) ----------------- */

typedef struct transfer_op {
    edge__local_op base;
    edge_identity agent;
    char contact_id[EDGE_STORE_ID_MAX];
    char to_sub[EDGE_STORE_TEXT_MAX]; /* "" = to a queue */
    char queue[EDGE_STORE_TEXT_MAX];  /* where it will wait */
    int reading_target;               /* the target's read is the step in flight */
    edge_agent_row target;
    edge_contact contact; /* as read before the hand-over */
    edge_contact moved;   /* as read after it */
} transfer_op;

/* To an agent: read them (never to oneself). */
static void t_target(edge__local_op *op)
{
    transfer_op *o = (transfer_op *)op;
    if (o->to_sub[0] == '\0') {
        edge__local_op_next(op);
        return;
    }
    if (strcmp(o->to_sub, o->agent.sub) == 0) {
        edge__local_op_end(op, EDGE_STORE_ECONFLICT);
        return;
    }
    o->reading_target = 1;
    EDGE__LOCAL_STORE(op, agent_get, o->to_sub, &o->target);
}

/* The target must be available; then read the contact (is it a call?). */
static void t_contact(edge__local_op *op)
{
    transfer_op *o = (transfer_op *)op;
    o->reading_target = 0;
    if (o->to_sub[0] != '\0' && !o->target.available) {
        edge__local_op_end(op, EDGE_STORE_ECONFLICT);
        return;
    }
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

static void t_move(edge__local_op *op)
{
    transfer_op *o = (transfer_op *)op;
    EDGE__LOCAL_STORE(op, contact_transfer, o->contact_id, o->agent.sub, o->queue);
}

/* A call to an agent rings them at once. */
static void t_ring(edge__local_op *op)
{
    transfer_op *o = (transfer_op *)op;
    if (o->contact.kind != EDGE_CONTACT_CALL || o->to_sub[0] == '\0') {
        edge__local_op_next(op);
        return;
    }
    EDGE__LOCAL_STORE(op, contact_ring, o->contact_id, o->to_sub);
}

/* The contact as it is now, for what is told. */
static void t_reread(edge__local_op *op)
{
    transfer_op *o = (transfer_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->moved);
}

/* Everyone told (jobs); a call's agent is free for calls again, so a
 * queued call is offered. An unknown target is a conflict (someone went
 * offline), not a missing contact. */
static int t_done(edge__local_op *op, int rc)
{
    transfer_op *o = (transfer_op *)op;
    edge_local_provider *lp = op->lp;
    int64_t now_ms = op->now_ms;
    if (rc == EDGE_STORE_ENOTFOUND && o->reading_target)
        return EDGE_STORE_ECONFLICT;
    if (rc != 0)
        return rc;
    announce(lp, &o->moved, o->agent.sub, o->to_sub[0] ? "AGENT" : "QUEUE", now_ms);
    if (o->contact.kind == EDGE_CONTACT_CALL)
        edge__local_offer_calls(lp, NULL, now_ms);
    return 0;
}

static void t_release(edge__local_op *op)
{
    edge_contact_free(&((transfer_op *)op)->contact);
    edge_contact_free(&((transfer_op *)op)->moved);
}

static const edge__local_chain TRANSFER = {
    EDGE__LOCAL_STEPS(t_target, t_contact, t_move, t_ring, t_reread), t_done, t_release};

void edge__local_a_agent_transfer(edge_provider *p, edge_provider_call *c,
                                  const edge_identity *agent, const char *contact_id,
                                  const char *to_queue, const char *to_agent_sub)
{
    transfer_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &TRANSFER);
    o->agent = *agent;
    int rc = edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id);
    if (rc == 0)
        rc = edge__local_op_copy(o->to_sub, sizeof(o->to_sub), to_agent_sub);
    if (rc == 0 && to_agent_sub != NULL)
        edge__local_personal_queue(to_agent_sub, o->queue, sizeof(o->queue));
    else if (rc == 0)
        rc = edge__local_op_copy(o->queue, sizeof(o->queue), to_queue);
    edge__local_op_start(&o->base, rc);
}

/* ---- agent_transfer_targets ------------------------------------------- */

typedef struct targets_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX];
    edge_agent_entry *agents; /* the caller's */
    size_t cap, *count;
    char (*queues)[EDGE_STORE_TEXT_MAX]; /* the caller's */
    size_t qcap, *qcount;
    size_t n_agents, n_waiting;
    char waiting[TRANSFER_QUEUES_SCAN][EDGE_STORE_TEXT_MAX];
} targets_op;

static void tt_agents(edge__local_op *op)
{
    targets_op *o = (targets_op *)op;
    EDGE__LOCAL_STORE(op, agents_available_list, o->agents, o->cap, &o->n_agents);
}

static void tt_queues(edge__local_op *op)
{
    targets_op *o = (targets_op *)op;
    if (o->qcap == 0) {
        edge__local_op_next(op);
        return;
    }
    EDGE__LOCAL_STORE(op, queues_waiting, o->waiting, TRANSFER_QUEUES_SCAN, &o->n_waiting);
}

/* Everyone available but the asker; the default queue and the shared
 * queues where contacts wait (never a personal one). */
static int tt_done(edge__local_op *op, int rc)
{
    targets_op *o = (targets_op *)op;
    size_t kept = 0;
    *o->qcount = 0;
    for (size_t i = 0; rc == 0 && i < o->n_agents; i++)
        if (strcmp(o->agents[i].sub, o->sub) != 0)
            o->agents[kept++] = o->agents[i];
    *o->count = kept;
    if (rc != 0 || o->qcap == 0)
        return rc;
    o->queues[(*o->qcount)++][0] = '\0';
    const char *personal = EDGE_LOCAL_PERSONAL_PREFIX;
    for (size_t i = 0; i < o->n_waiting && *o->qcount < o->qcap; i++)
        if (o->waiting[i][0] != '\0' && strncmp(o->waiting[i], personal, strlen(personal)) != 0)
            memcpy(o->queues[(*o->qcount)++], o->waiting[i], EDGE_STORE_TEXT_MAX);
    return 0;
}

static const edge__local_chain TARGETS = {EDGE__LOCAL_STEPS(tt_agents, tt_queues), tt_done, NULL};

void edge__local_a_agent_transfer_targets(edge_provider *p, edge_provider_call *c,
                                          const edge_identity *agent, edge_agent_entry *agents,
                                          size_t cap, size_t *count,
                                          char (*queues)[EDGE_STORE_TEXT_MAX], size_t qcap,
                                          size_t *qcount)
{
    targets_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &TARGETS);
    o->agents = agents;
    o->cap = cap;
    o->count = count;
    o->queues = queues;
    o->qcap = qcap;
    o->qcount = qcount;
    if (edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_op_run(&o->base);
}
