/* local_agents.c - agents in the embedded contact center: status, queues,
 * accepting contacts, ending them, history, and the availability check.
 *
 * Chats are routed by "pull": a contact waits in its queue, ordered by
 * priority and age, until an agent accepts it; the store makes accepting
 * atomic, so of several agents racing exactly one wins. Calls are pushed:
 * an agent becoming available is offered the next queued call
 * (local_ringing.c), which it accepts the same way. Whenever a queue
 * changes, its waiting customers are told where they stand
 * (local_queue.c). A personal queue ("agent:<hex>", where a chat started
 * with an agent's reference code waits) is that agent's alone: others
 * neither list nor accept its contacts until the tick moves them to the
 * default queue after --personal-queue-s (local_timeouts.c). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/contact_json.h"
#include "provider/local_op.h"

/* ---- agent_set_status: store it, then tell (jobs) ----------------------- */

typedef struct status_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX], name[EDGE_STORE_TEXT_MAX];
    int status;
} status_op;

static void st_set(edge__local_op *op)
{
    status_op *o = (status_op *)op;
    EDGE__LOCAL_STORE(op, agent_set_status, o->sub, o->name, o->status);
}

/* Every console of theirs follows; estimates depend on agents; an agent
 * now available is offered a queued call. */
static int st_done(edge__local_op *op, int rc)
{
    status_op *o = (status_op *)op;
    edge_local_provider *lp = op->lp;
    int64_t now_ms = op->now_ms;
    if (rc != 0)
        return rc;
    edge__local_tell_agent_status(lp, o->sub, o->status, NULL, now_ms);
    edge__local_push_queue(lp, "", now_ms);
    if (o->status == EDGE_AGENT_AVAILABLE)
        edge__local_offer_calls(lp, NULL, now_ms);
    return 0;
}

static const edge__local_chain STATUS = {EDGE__LOCAL_STEPS(st_set), st_done, NULL};

void edge__local_a_agent_set_status(edge_provider *p, edge_provider_call *c,
                                    const edge_identity *agent, int status)
{
    status_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &STATUS);
    o->status = status;
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub);
    if (rc == 0)
        rc = edge__local_op_copy(o->name, sizeof(o->name), agent->name);
    edge__local_op_start(&o->base, rc);
}

/* ---- adhoc_create: one step -------------------------------------------- */

typedef struct adhoc_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX], email[EDGE_STORE_TEXT_MAX], queue[EDGE_STORE_TEXT_MAX];
    int64_t expires_ms;
    edge_adhoc_route *out; /* the caller's */
} adhoc_op;

static void ad_create(edge__local_op *op)
{
    adhoc_op *o = (adhoc_op *)op;
    EDGE__LOCAL_STORE(op, route_create, o->sub, o->email, o->queue, o->expires_ms, o->out);
}

static const edge__local_chain ADHOC = {EDGE__LOCAL_STEPS(ad_create), NULL, NULL};

void edge__local_a_adhoc_create(edge_provider *p, edge_provider_call *c,
                                const edge_identity *agent, const char *attendee_email,
                                int to_agent_queue, int64_t ttl_s, edge_adhoc_route *out)
{
    adhoc_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &ADHOC);
    o->out = out;
    o->expires_ms = c->now_ms + ttl_s * 1000;
    if (to_agent_queue)
        edge__local_personal_queue(agent->sub, o->queue, sizeof(o->queue));
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub);
    if (rc == 0)
        rc = edge__local_op_copy(o->email, sizeof(o->email), attendee_email);
    edge__local_op_start(&o->base, rc);
}

/* Tell the customer who joined, and everyone the new state (c, as read
 * after the accept). */
static void announce_join(edge_local_provider *lp, const edge_participant *agent,
                          const edge_contact *c, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", agent->contact_id);
    cJSON_AddStringToObject(o, "ParticipantId", agent->id);
    cJSON_AddStringToObject(o, "DisplayName", agent->display_name);
    cJSON_AddStringToObject(o, "ParticipantRole", "AGENT");
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    edge__local_audience others = {.skip_id = agent->id};
    edge__local_publish(lp, agent->contact_id, &others, "participant.joined", text, now_ms);
    free(text);
    edge__local_publish_state(lp, c, now_ms);
    edge__local_push_queue(lp, c->queue, now_ms);
}

/* ---- agent_accept: read, check privacy, accept, read again, tell -------- */

typedef struct accept_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX], name[EDGE_STORE_TEXT_MAX];
    char contact_id[EDGE_STORE_ID_MAX];
    edge_contact contact;
    edge_participant joined;
    edge_joined *out; /* the caller's */
} accept_op;

static void ac_get(edge__local_op *op)
{
    accept_op *o = (accept_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

/* Contacts only ever leave a personal queue (for the default one), so a
 * check before the store's atomic accept cannot let another agent take
 * one that is still private. */
static void ac_accept(edge__local_op *op)
{
    accept_op *o = (accept_op *)op;
    if (edge__local_someone_elses(o->sub, o->contact.queue)) {
        edge__local_op_end(op, EDGE_STORE_ENOTFOUND);
        return;
    }
    EDGE__LOCAL_STORE(op, contact_accept, o->contact_id, o->sub, o->name, &o->joined);
}

/* The contact as it is now (CONNECTED), for what is told. */
static void ac_reread(edge__local_op *op)
{
    accept_op *o = (accept_op *)op;
    edge_contact_free(&o->contact);
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

static int ac_done(edge__local_op *op, int rc)
{
    accept_op *o = (accept_op *)op;
    edge_joined *out = o->out;
    memset(out, 0, sizeof(*out));
    if (rc != 0)
        return rc;
    snprintf(out->contact_id, sizeof(out->contact_id), "%s", o->joined.contact_id);
    snprintf(out->participant_id, sizeof(out->participant_id), "%s", o->joined.id);
    if (edge_ptoken_make(op->lp->key, o->joined.id, out->participant_token,
                         sizeof(out->participant_token)) != 0)
        return EDGE_STORE_EINTERNAL;
    announce_join(op->lp, &o->joined, &o->contact, op->now_ms);
    return 0;
}

static void ac_release(edge__local_op *op)
{
    edge_contact_free(&((accept_op *)op)->contact);
}

static const edge__local_chain ACCEPT = {EDGE__LOCAL_STEPS(ac_get, ac_accept, ac_reread),
                                         ac_done, ac_release};

void edge__local_a_agent_accept(edge_provider *p, edge_provider_call *c,
                                const edge_identity *agent, const char *contact_id,
                                edge_joined *out)
{
    accept_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &ACCEPT);
    o->out = out;
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub);
    if (rc == 0)
        rc = edge__local_op_copy(o->name, sizeof(o->name), agent->name[0] ? agent->name : "Agent");
    if (rc == 0 && edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0)
        rc = EDGE_STORE_ENOTFOUND;
    edge__local_op_start(&o->base, rc);
}

/* ---- agent_end: read, check it is theirs, end; what follows is a job ---- */

typedef struct end_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX];
    char contact_id[EDGE_STORE_ID_MAX];
    edge_contact contact;
} end_op;

static void en_get(edge__local_op *op)
{
    end_op *o = (end_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

/* ESTATE once it has ended. */
static void en_end(edge__local_op *op)
{
    end_op *o = (end_op *)op;
    if (strcmp(o->contact.agent_sub, o->sub) != 0) {
        edge__local_op_end(op, EDGE_STORE_ENOTFOUND); /* not this agent's: reveal nothing */
        return;
    }
    EDGE__LOCAL_STORE(op, contact_end, o->contact_id, "agent_ended");
}

static int en_done(edge__local_op *op, int rc)
{
    if (rc == 0)
        edge__local_ended(op->lp, &((end_op *)op)->contact, op->now_ms);
    return rc;
}

static void en_release(edge__local_op *op)
{
    edge_contact_free(&((end_op *)op)->contact);
}

static const edge__local_chain END = {EDGE__LOCAL_STEPS(en_get, en_end), en_done, en_release};

void edge__local_a_agent_end(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                             const char *contact_id)
{
    end_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &END);
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub);
    if (rc == 0 && edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0)
        rc = EDGE_STORE_ENOTFOUND;
    edge__local_op_start(&o->base, rc);
}
