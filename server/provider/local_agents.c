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
#include "provider/local_internal.h"

int edge__local_agent_set_status(edge_provider *p, const edge_identity *agent, int status,
                                  int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    int rc = edge_store_agent_set_status(lp->store, agent->sub, agent->name, status, now_ms);
    if (rc == 0)
        rc = edge__local_tell_agent_status(lp, agent->sub, status, NULL, now_ms);
    if (rc == 0)
        rc = edge__local_push_queue(lp, "", now_ms); /* estimates depend on agents */
    if (rc == 0 && status == EDGE_AGENT_AVAILABLE)
        rc = edge__local_offer_calls(lp, NULL, now_ms);
    return rc;
}

int edge__local_adhoc_create(edge_provider *p, const edge_identity *agent,
                             const char *attendee_email, int to_agent_queue, int64_t now_ms,
                             int64_t ttl_s, edge_adhoc_route *out)
{
    char queue[EDGE_STORE_TEXT_MAX] = "";
    if (to_agent_queue)
        edge__local_personal_queue(agent->sub, queue, sizeof(queue));
    return edge_store_route_create(edge__local(p)->store, agent->sub, attendee_email, queue,
                                   now_ms, now_ms + ttl_s * 1000, out);
}

/* Tell the customer who joined, and everyone the new state. */
static int announce_join(edge_local_provider *lp, const edge_participant *agent, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", agent->contact_id);
    cJSON_AddStringToObject(o, "ParticipantId", agent->id);
    cJSON_AddStringToObject(o, "DisplayName", agent->display_name);
    cJSON_AddStringToObject(o, "ParticipantRole", "AGENT");
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    edge__local_audience others = {.skip_id = agent->id};
    int rc = edge__local_publish(lp, agent->contact_id, &others, "participant.joined", text,
                                 now_ms, NULL);
    free(text);
    edge_contact c;
    if (rc == 0 && (rc = edge_store_contact_get(lp->store, agent->contact_id, &c)) == 0) {
        rc = edge__local_publish_state(lp, &c, now_ms);
        if (rc == 0)
            rc = edge__local_push_queue(lp, c.queue, now_ms);
        edge_contact_free(&c);
    }
    return rc;
}

int edge__local_agent_accept(edge_provider *p, const edge_identity *agent,
                              const char *contact_id, int64_t now_ms, edge_joined *out)
{
    edge_local_provider *lp = edge__local(p);
    edge_participant joined;
    const char *name = agent->name[0] ? agent->name : "Agent";
    memset(out, 0, sizeof(*out));
    edge_contact c;
    int rc = edge_store_contact_get(lp->store, contact_id, &c);
    if (rc != 0)
        return rc;
    /* Contacts only ever leave a personal queue (for the default one), so
     * a check before the store's atomic accept cannot let another agent
     * take one that is still private. */
    int hidden = edge__local_someone_elses(agent->sub, c.queue);
    edge_contact_free(&c);
    if (hidden)
        return EDGE_STORE_ENOTFOUND;
    rc = edge_store_contact_accept(lp->store, contact_id, agent->sub, name, now_ms, &joined);
    if (rc != 0)
        return rc;
    snprintf(out->contact_id, sizeof(out->contact_id), "%s", joined.contact_id);
    snprintf(out->participant_id, sizeof(out->participant_id), "%s", joined.id);
    if (edge_ptoken_make(lp->key, joined.id, out->participant_token,
                         sizeof(out->participant_token)) != 0)
        return EDGE_STORE_EINTERNAL;
    return announce_join(lp, &joined, now_ms);
}

int edge__local_agent_end(edge_provider *p, const edge_identity *agent, const char *contact_id,
                          int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    edge_contact c;
    int rc = edge_store_contact_get(lp->store, contact_id, &c);
    if (rc != 0)
        return rc;
    if (strcmp(c.agent_sub, agent->sub) == 0)
        rc = edge__local_end(lp, &c, "agent_ended", now_ms);
    else
        rc = EDGE_STORE_ENOTFOUND; /* not this agent's: do not reveal it exists */
    edge_contact_free(&c);
    return rc;
}
