/* local_queue.c - the waiting line of the embedded contact center: telling
 * waiting customers where they stand, and the tick's scans of what is due.
 *
 * These are the leaves the other local files build on (chats, calls,
 * ringing, agents and timeouts all change a queue and all need it
 * announced), kept apart so that no two feature files call each other.
 *
 * Whenever a queue changes, every customer still waiting in it is told their
 * position and an estimated wait ("queue" events), so the widget can show
 * them. The estimate is deliberately plain: position times an average
 * handling time, divided among the available agents. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/local_internal.h"

#define LOCAL_QUEUE_PUSH_MAX 200   /* waiting customers told their position */
#define LOCAL_AVERAGE_HANDLE_S 120 /* assumed seconds per contact, for estimates */
#define LOCAL_DUE_BATCH 64         /* contacts handled per scan and tick; the rest on the next */

static int64_t estimate_wait_s(size_t position, int agents_available)
{
    int agents = agents_available > 0 ? agents_available : 1;
    return (int64_t)((position + (size_t)agents - 1) / (size_t)agents) * LOCAL_AVERAGE_HANDLE_S;
}

/* {ContactId, Position, QueueDepth, EstimatedWaitSeconds}; caller frees. */
static char *queue_json(const char *contact_id, size_t position, size_t depth, int agents)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", contact_id);
    cJSON_AddNumberToObject(o, "Position", (double)position);
    cJSON_AddNumberToObject(o, "QueueDepth", (double)depth);
    cJSON_AddNumberToObject(o, "EstimatedWaitSeconds", (double)estimate_wait_s(position, agents));
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    return text;
}

int edge__local_push_queue(edge_local_provider *lp, const char *queue, int64_t now_ms)
{
    edge_queue_entry *waiting = edge_xcalloc(LOCAL_QUEUE_PUSH_MAX, sizeof(*waiting));
    edge_event_in *events = edge_xcalloc(LOCAL_QUEUE_PUSH_MAX, sizeof(*events));
    size_t count = 0;
    int agents = 0;
    int rc = edge_store_queue_customers(lp->store, queue, waiting, LOCAL_QUEUE_PUSH_MAX, &count);
    if (rc == 0)
        rc = edge_store_agents_available(lp->store, &agents);
    if (rc != 0)
        count = 0;
    for (size_t i = 0; i < count; i++) {
        events[i].participant_id = waiting[i].customer_id;
        events[i].contact_id = waiting[i].contact_id;
        events[i].type = "queue";
        events[i].data_json = queue_json(waiting[i].contact_id, i + 1, count, agents);
    }
    if (rc == 0 && count > 0)
        rc = edge_hub_publish_many(lp->hub, events, count, now_ms);
    if (rc == 0)
        rc = edge__local_tell_queue_changed(lp, queue, now_ms);
    for (size_t i = 0; i < count; i++)
        free((char *)events[i].data_json);
    free(events);
    free(waiting);
    return rc;
}

int edge__local_handle_due(edge_local_provider *lp, edge__local_due_list_fn list,
                           int64_t before_ms, edge__local_due_fn act, int64_t now_ms)
{
    edge_contact *due = edge_xcalloc(LOCAL_DUE_BATCH, sizeof(*due));
    size_t count = 0;
    int rc = list(lp->store, before_ms, due, LOCAL_DUE_BATCH, &count);
    for (size_t i = 0; i < count; i++) {
        if (rc == 0)
            rc = act(lp, &due[i], now_ms);
        edge_contact_free(&due[i]);
    }
    free(due);
    return rc;
}
