/* local_agent_feed.c - what agents hear on their own event stream.
 *
 * An agent's console keeps one stream (GET agent/events) instead of
 * polling: its queues changed, a call rings it and stops ringing it, a
 * contact was assigned to it or ended, a customer came or went. Like every
 * event these are stored first (under the agent's feed id, a pseudo
 * participant id derived from the sub) and then pushed, so Last-Event-ID
 * replays what a reconnecting console missed. Events about one agent's
 * contacts go to that agent; events about a queue go to every agent who
 * may be watching it (streaming, or available within their grace), which
 * the store's agents_listening lists (a job: local_op.h). Also here: opening the stream, and
 * restoring a console (open contacts with fresh tokens, read-only
 * transcripts of contacts the agent handled). */
#include <cjson/cJSON.h>
#include <mbedtls/sha256.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/contact_json.h"
#include "provider/local_op.h"

#define LOCAL_LISTENERS_MAX 512 /* agents told about one queue change */
#define LOCAL_PERSONAL_PREFIX "agent:"

/* 32 hex digits of SHA-256(sub): a short name of its own for any sub. */
static void sub_hash(const char *sub, char out[33])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[32];
    mbedtls_sha256_ret((const unsigned char *)sub, strlen(sub), digest, 0);
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[32] = '\0';
}

void edge__local_agent_feed_id(const char *agent_sub, char out[EDGE__LOCAL_FEED_ID_MAX])
{
    char h[33];
    sub_hash(agent_sub, h);
    snprintf(out, EDGE__LOCAL_FEED_ID_MAX, EDGE_STORE_FEED_PREFIX "%s", h);
}

void edge__local_personal_queue(const char *agent_sub, char *out, size_t cap)
{
    char h[33];
    sub_hash(agent_sub, h);
    snprintf(out, cap, LOCAL_PERSONAL_PREFIX "%s", h);
}

int edge__local_someone_elses(const char *agent_sub, const char *queue)
{
    const char *prefix = EDGE_LOCAL_PERSONAL_PREFIX;
    if (strncmp(queue, prefix, strlen(prefix)) != 0)
        return 0;
    char mine[EDGE_STORE_TEXT_MAX];
    edge__local_personal_queue(agent_sub, mine, sizeof(mine));
    return strcmp(queue, mine) != 0;
}

void edge__local_tell_agent(edge_local_provider *lp, const char *agent_sub,
                            const char *contact_id, const char *type, const char *data_json,
                            int64_t now_ms)
{
    char feed[EDGE__LOCAL_FEED_ID_MAX];
    edge__local_agent_feed_id(agent_sub, feed);
    /* started (the hub logs its outcome) or refused at once: logged here */
    int rc = edge_hub_publish(lp->hub, feed, contact_id, type, data_json, now_ms, NULL);
    if (rc != 0)
        fprintf(stderr, "c2c-edge: %s to an agent not published (%d)\n", type, rc);
}

/* May agent_sub see queue? Everyone sees shared queues; a personal queue
 * only its owner. */
static int may_watch(const char *agent_sub, const char *queue)
{
    if (strncmp(queue, LOCAL_PERSONAL_PREFIX, strlen(LOCAL_PERSONAL_PREFIX)) != 0)
        return 1;
    char mine[EDGE_STORE_TEXT_MAX];
    edge__local_personal_queue(agent_sub, mine, sizeof(mine));
    return strcmp(mine, queue) == 0;
}

/* ---- tell_agents: list who listens, then one transaction ---------------- */

typedef struct tell_op {
    edge__local_op base;
    char queue[EDGE_STORE_TEXT_MAX];
    char contact_id[EDGE_STORE_ID_MAX]; /* "" = none */
    char type[EDGE_STORE_TEXT_MAX];
    char *data_json;       /* owned */
    edge_agent_row *agents; /* LOCAL_LISTENERS_MAX, owned */
    size_t count;
} tell_op;

static void ta_list(edge__local_op *op)
{
    tell_op *o = (tell_op *)op;
    EDGE__LOCAL_STORE(op, agents_listening, o->agents, LOCAL_LISTENERS_MAX, &o->count);
}

static int ta_done(edge__local_op *op, int rc)
{
    tell_op *o = (tell_op *)op;
    if (rc != 0)
        return rc;
    edge_event_in *events = edge_xcalloc(LOCAL_LISTENERS_MAX, sizeof(*events));
    char(*feeds)[EDGE__LOCAL_FEED_ID_MAX] = edge_xcalloc(LOCAL_LISTENERS_MAX, sizeof(*feeds));
    size_t n = 0;
    for (size_t i = 0; i < o->count && i < LOCAL_LISTENERS_MAX; i++) {
        if (!may_watch(o->agents[i].sub, o->queue))
            continue;
        edge__local_agent_feed_id(o->agents[i].sub, feeds[n]);
        events[n] = (edge_event_in){feeds[n], o->contact_id[0] ? o->contact_id : NULL, o->type,
                                    o->data_json};
        n++;
    }
    if (n > 0)
        rc = edge_hub_publish_many(op->lp->hub, events, n, op->now_ms);
    free(feeds);
    free(events);
    return rc;
}

static void ta_release(edge__local_op *op)
{
    tell_op *o = (tell_op *)op;
    free(o->data_json);
    free(o->agents);
}

static const edge__local_chain TELL_AGENTS = {EDGE__LOCAL_STEPS(ta_list), ta_done, ta_release};

void edge__local_tell_agents(edge_local_provider *lp, const char *queue, const char *contact_id,
                             const char *type, const char *data_json, int64_t now_ms)
{
    tell_op *o = edge__local_job_new(lp, sizeof(*o), &TELL_AGENTS, "tell agents", now_ms);
    o->data_json = edge_xstrdup(data_json);
    o->agents = edge_xcalloc(LOCAL_LISTENERS_MAX, sizeof(*o->agents));
    int rc = edge__local_op_copy(o->queue, sizeof(o->queue), queue);
    if (rc == 0)
        rc = edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id);
    if (rc == 0)
        rc = edge__local_op_copy(o->type, sizeof(o->type), type);
    if (rc != 0)
        edge__local_op_end(&o->base, rc);
    else
        edge__local_op_run(&o->base);
}

void edge__local_tell_queue_changed(edge_local_provider *lp, const char *queue, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Queue", queue);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    edge__local_tell_agents(lp, queue, NULL, "queue.changed", text, now_ms);
    free(text);
}

/* {ContactId, Kind, State, CustomerName, CustomerEmail, CustomerOnline,
 * Reason?}: enough for a console to show or drop an entry. */
static char *contact_brief(const edge_contact *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", c->id);
    cJSON_AddStringToObject(o, "Kind", c->kind == EDGE_CONTACT_CALL ? "CALL" : "CHAT");
    cJSON_AddStringToObject(o, "State", edge_contact_state_name(c->state));
    cJSON_AddStringToObject(o, "CustomerName", c->customer_name);
    cJSON_AddStringToObject(o, "CustomerEmail", c->customer_email);
    cJSON_AddBoolToObject(o, "CustomerOnline", c->customer_away_ms == 0);
    if (c->end_reason[0])
        cJSON_AddStringToObject(o, "Reason", c->end_reason);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    return text;
}

void edge__local_tell_agent_state(edge_local_provider *lp, const edge_contact *c, int64_t now_ms)
{
    const char *type = NULL, *to = NULL;
    if (c->state == EDGE_CONTACT_RINGING && c->offered_to[0]) {
        type = "offer";
        to = c->offered_to;
    } else if (c->state == EDGE_CONTACT_CONNECTED && c->agent_sub[0]) {
        type = "contact.assigned";
        to = c->agent_sub;
    } else if (c->state == EDGE_CONTACT_ENDED && c->agent_sub[0]) {
        type = "contact.ended";
        to = c->agent_sub;
    }
    if (type == NULL)
        return;
    char *text = contact_brief(c);
    edge__local_tell_agent(lp, to, c->id, type, text, now_ms);
    free(text);
}

void edge__local_withdraw_offer(edge_local_provider *lp, const char *contact_id,
                                const char *agent_sub, const char *reason, int64_t now_ms)
{
    if (agent_sub == NULL || agent_sub[0] == '\0')
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", contact_id);
    cJSON_AddStringToObject(o, "Reason", reason);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    edge__local_tell_agent(lp, agent_sub, contact_id, "offer.withdrawn", text, now_ms);
    free(text);
}

const char *edge__local_status_name(int status)
{
    return status == EDGE_AGENT_AVAILABLE ? "available"
           : status == EDGE_AGENT_AWAY    ? "away"
                                          : "offline";
}

void edge__local_tell_agent_status(edge_local_provider *lp, const char *agent_sub, int status,
                                   const char *reason, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Status", edge__local_status_name(status));
    if (reason)
        cJSON_AddStringToObject(o, "Reason", reason);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    edge__local_tell_agent(lp, agent_sub, NULL, "agent.status", text, now_ms);
    free(text);
}

void edge__local_agent_events_serve(edge_provider *p, const edge_identity *agent,
                                    int64_t last_event_id, edge_response *res)
{
    char feed[EDGE__LOCAL_FEED_ID_MAX], tag[EDGE_STORE_TEXT_MAX + 1];
    edge__local_agent_feed_id(agent->sub, feed);
    tag[0] = 'A';
    snprintf(tag + 1, sizeof(tag) - 1, "%.*s", EDGE_STORE_TEXT_MAX - 1, agent->sub);
    edge_hub_feed f = {feed, tag};
    edge_hub_serve(edge__local(p)->hub, &f, last_event_id, res);
}
