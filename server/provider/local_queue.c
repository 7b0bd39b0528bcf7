/* local_queue.c - the waiting line of the embedded contact center: telling
 * waiting customers where they stand, and the tick's scans of what is due.
 *
 * These are the leaves the other local files build on (chats, calls,
 * ringing, agents and timeouts all change a queue and all need it
 * announced), kept apart so that no two feature files call each other.
 *
 * Whenever a queue changes, the customers waiting in it whose position or
 * estimated wait changed are told the new ones ("queue" events), so the
 * widget can show them; a customer further up, whose place did not move,
 * hears nothing. Nobody is told more than once a second: a change within
 * the second is held back, and the tick (every second) pushes every queue
 * with waiting contacts again, which sends exactly what is still untold,
 * so the last position always arrives. What each customer was last told is
 * kept in the store (edge_store_queue_told), where a shared store keeps it
 * for every node. The estimate is deliberately plain: position times an
 * average handling time, divided among the available agents. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/local_internal.h"

#define LOCAL_QUEUE_PUSH_MAX 200     /* waiting customers told their position */
#define LOCAL_AVERAGE_HANDLE_S 120   /* assumed seconds per contact, for estimates */
#define LOCAL_DUE_BATCH 64           /* contacts handled per scan and tick; the rest on the next */
#define LOCAL_QUEUE_TELL_GAP_MS 1000 /* a customer is told their place at most this often */
#define LOCAL_QUEUES_PER_TICK 256    /* queues the tick pushes held-back news for */

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

/* The customers of waiting[0..count) to tell now: those whose position or
 * estimate differs from what they were last told, and who were last told
 * at least LOCAL_QUEUE_TELL_GAP_MS ago (the rest wait for the tick).
 * Fills events and told (count entries each); returns how many. */
static size_t pick_news(const edge_queue_entry *waiting, size_t count, int agents, int64_t now_ms,
                        edge_event_in *events, edge_queue_told *told)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const edge_queue_entry *w = &waiting[i];
        int64_t wait_s = estimate_wait_s(i + 1, agents);
        if (w->told_position == (int64_t)(i + 1) && w->told_wait_s == wait_s)
            continue; /* nothing new for them */
        if (w->told_ms != 0 && now_ms - w->told_ms < LOCAL_QUEUE_TELL_GAP_MS &&
            now_ms >= w->told_ms)
            continue; /* told less than a second ago: the tick tells them */
        events[n].participant_id = w->customer_id;
        events[n].contact_id = w->contact_id;
        events[n].type = "queue";
        events[n].data_json = queue_json(w->contact_id, i + 1, count, agents);
        told[n].contact_id = w->contact_id;
        told[n].position = (int64_t)(i + 1);
        told[n].wait_s = wait_s;
        n++;
    }
    return n;
}

/* Tell the customers waiting in queue whose place changed (at most once a
 * second each; the rest wait for the tick). */
static int tell_customers(edge_local_provider *lp, const char *queue, int64_t now_ms)
{
    edge_queue_entry *waiting = edge_xcalloc(LOCAL_QUEUE_PUSH_MAX, sizeof(*waiting));
    edge_event_in *events = edge_xcalloc(LOCAL_QUEUE_PUSH_MAX, sizeof(*events));
    edge_queue_told *told = edge_xcalloc(LOCAL_QUEUE_PUSH_MAX, sizeof(*told));
    size_t count = 0, n = 0;
    int agents = 0;
    int rc = edge_store_queue_customers(lp->store, queue, waiting, LOCAL_QUEUE_PUSH_MAX, &count);
    if (rc == 0)
        rc = edge_store_agents_available(lp->store, &agents);
    if (rc == 0)
        n = pick_news(waiting, count, agents, now_ms, events, told);
    if (rc == 0 && n > 0)
        rc = edge_hub_publish_many(lp->hub, events, n, now_ms);
    if (rc == 0 && n > 0)
        rc = edge_store_queue_told(lp->store, told, n, now_ms);
    for (size_t i = 0; i < n; i++)
        free((char *)events[i].data_json);
    free(told);
    free(events);
    free(waiting);
    return rc;
}

int edge__local_push_queue(edge_local_provider *lp, const char *queue, int64_t now_ms)
{
    int rc = tell_customers(lp, queue, now_ms);
    return rc != 0 ? rc : edge__local_tell_queue_changed(lp, queue, now_ms);
}

int edge__local_push_held(edge_local_provider *lp, int64_t now_ms)
{
    char(*queues)[EDGE_STORE_TEXT_MAX] = edge_xcalloc(LOCAL_QUEUES_PER_TICK, sizeof(*queues));
    size_t count = 0;
    int rc = edge_store_queues_waiting(lp->store, queues, LOCAL_QUEUES_PER_TICK, &count);
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = tell_customers(lp, queues[i], now_ms); /* nothing changed for agents */
    free(queues);
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
