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
 * The next agent accepts as usual and reads the whole transcript. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "provider/local_internal.h"

#define TRANSFER_QUEUES_SCAN 64

/* 0 when to_sub may take a transfer from agent: available, someone else. */
static int target_ok(edge_local_provider *lp, const edge_identity *agent, const char *to_sub)
{
    if (strcmp(to_sub, agent->sub) == 0)
        return EDGE_STORE_ECONFLICT;
    edge_agent_row row;
    int rc = edge_store_agent_get(lp->store, to_sub, &row);
    if (rc == EDGE_STORE_ENOTFOUND)
        return EDGE_STORE_ECONFLICT;
    return rc != 0 ? rc : row.available ? 0 : EDGE_STORE_ECONFLICT;
}

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

/* Tell the customer's side, the old agent and the queue's watchers. */
static int announce(edge_local_provider *lp, const char *contact_id, const char *old_agent,
                    const char *to, int64_t now_ms)
{
    char *text = contact_json(contact_id, to);
    edge__local_audience customers = {.skip_role = EDGE_ROLE_AGENT, .skip_role_set = 1};
    int rc =
        edge__local_publish(lp, contact_id, &customers, "contact.transferring", text, now_ms, NULL);
    free(text);
    edge_contact c;
    if (rc == 0 && (rc = edge_store_contact_get(lp->store, contact_id, &c)) == 0) {
        rc = edge__local_publish_state(lp, &c, now_ms);
        if (rc == 0)
            rc = edge__local_push_queue(lp, c.queue, now_ms);
        if (rc == 0)
            rc = edge__local_tell_queue_changed(lp, c.queue, now_ms);
        edge_contact_free(&c);
    }
    if (rc == 0) {
        text = contact_json(contact_id, NULL);
        rc = edge__local_tell_agent(lp, old_agent, contact_id, "contact.transferred", text, now_ms);
        free(text);
    }
    return rc;
}

static int transfer(edge_provider *p, const edge_identity *agent, const char *contact_id,
                    const char *to_queue, const char *to_agent_sub, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    char queue[EDGE_STORE_TEXT_MAX];
    int rc = 0;
    if (to_agent_sub != NULL) {
        rc = target_ok(lp, agent, to_agent_sub);
        edge__local_personal_queue(to_agent_sub, queue, sizeof(queue));
    } else {
        snprintf(queue, sizeof(queue), "%s", to_queue ? to_queue : "");
    }
    edge_contact c;
    if (rc == 0)
        rc = edge_store_contact_get(lp->store, contact_id, &c);
    if (rc != 0)
        return rc;
    int is_call = c.kind == EDGE_CONTACT_CALL;
    edge_contact_free(&c);
    rc = edge_store_contact_transfer(lp->store, contact_id, agent->sub, queue, now_ms);
    if (rc == 0 && is_call && to_agent_sub != NULL)
        rc = edge_store_contact_ring(lp->store, contact_id, to_agent_sub, now_ms);
    if (rc == 0)
        rc = announce(lp, contact_id, agent->sub, to_agent_sub ? "AGENT" : "QUEUE", now_ms);
    if (rc == 0 && is_call) /* the agent is free for calls again; a queued call is offered */
        rc = edge__local_offer_calls(lp, NULL, now_ms);
    return rc;
}

void edge__local_a_agent_transfer(edge_provider *p, edge_provider_call *c,
                                  const edge_identity *agent, const char *contact_id,
                                  const char *to_queue, const char *to_agent_sub)
{
    edge_provider_call_done(c, transfer(p, agent, contact_id, to_queue, to_agent_sub, c->now_ms));
}

/* Everyone available but agent; the default queue and the shared queues
 * where contacts wait. */
static int targets(edge_provider *p, const edge_identity *agent, edge_agent_entry *agents,
                   size_t cap, size_t *count, char (*queues)[EDGE_STORE_TEXT_MAX], size_t qcap,
                   size_t *qcount)
{
    edge_store *st = edge__local(p)->store;
    size_t n = 0, kept = 0;
    *qcount = 0;
    int rc = edge_store_agents_available_list(st, agents, cap, &n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (strcmp(agents[i].sub, agent->sub) != 0)
            agents[kept++] = agents[i];
    *count = kept;
    if (rc != 0 || qcap == 0)
        return rc;
    queues[(*qcount)++][0] = '\0';
    char waiting[TRANSFER_QUEUES_SCAN][EDGE_STORE_TEXT_MAX];
    size_t w = 0;
    rc = edge_store_queues_waiting(st, waiting, TRANSFER_QUEUES_SCAN, &w);
    const char *personal = EDGE_LOCAL_PERSONAL_PREFIX;
    for (size_t i = 0; rc == 0 && i < w && *qcount < qcap; i++)
        if (waiting[i][0] != '\0' && strncmp(waiting[i], personal, strlen(personal)) != 0)
            memcpy(queues[(*qcount)++], waiting[i], EDGE_STORE_TEXT_MAX);
    return rc;
}

void edge__local_a_agent_transfer_targets(edge_provider *p, edge_provider_call *c,
                                          const edge_identity *agent, edge_agent_entry *agents,
                                          size_t cap, size_t *count,
                                          char (*queues)[EDGE_STORE_TEXT_MAX], size_t qcap,
                                          size_t *qcount)
{
    edge_provider_call_done(c, targets(p, agent, agents, cap, count, queues, qcap, qcount));
}
