/* local_queue.c - the waiting line of the embedded contact center: telling
 * waiting customers where they stand.
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
 * for every node. Both pushes are jobs (local_op.h). The estimate is deliberately plain: position times an
 * average handling time, divided among the available agents. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/local_scan.h"

#define LOCAL_QUEUE_PUSH_MAX 200     /* waiting customers told their position */
#define LOCAL_AVERAGE_HANDLE_S 120   /* assumed seconds per contact, for estimates */
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

/* ---- push_queue: customers, the agents available, news, what was told --- */

typedef struct push_op {
    edge__local_op base;
    char queue[EDGE_STORE_TEXT_MAX];
    int tell_agents;           /* then "queue.changed" to the agents watching */
    edge_queue_entry *waiting; /* LOCAL_QUEUE_PUSH_MAX, owned */
    edge_event_in *events;     /* the news: data_json owned */
    edge_queue_told *told;
    size_t count, n;
    int agents;
} push_op;

static void pq_customers(edge__local_op *op)
{
    push_op *o = (push_op *)op;
    EDGE__LOCAL_STORE(op, queue_customers, o->queue, o->waiting, LOCAL_QUEUE_PUSH_MAX, &o->count);
}

static void pq_agents(edge__local_op *op)
{
    EDGE__LOCAL_STORE(op, agents_available, &((push_op *)op)->agents);
}

/* The news to those it concerns (one transaction), then written down as
 * told. */
static void pq_tell(edge__local_op *op)
{
    push_op *o = (push_op *)op;
    size_t count = o->count < LOCAL_QUEUE_PUSH_MAX ? o->count : LOCAL_QUEUE_PUSH_MAX;
    o->n = pick_news(o->waiting, count, o->agents, op->now_ms, o->events, o->told);
    if (o->n == 0) {
        edge__local_op_next(op);
        return;
    }
    int rc = edge_hub_publish_many(op->lp->hub, o->events, o->n, op->now_ms);
    if (rc != 0) {
        edge__local_op_end(op, rc);
        return;
    }
    EDGE__LOCAL_STORE(op, queue_told, o->told, o->n);
}

static int pq_done(edge__local_op *op, int rc)
{
    push_op *o = (push_op *)op;
    if (rc == 0 && o->tell_agents)
        edge__local_tell_queue_changed(op->lp, o->queue, op->now_ms);
    return rc;
}

static void pq_release(edge__local_op *op)
{
    push_op *o = (push_op *)op;
    for (size_t i = 0; i < o->n; i++)
        free((char *)o->events[i].data_json);
    free(o->told);
    free(o->events);
    free(o->waiting);
}

static const edge__local_chain PUSH = {EDGE__LOCAL_STEPS(pq_customers, pq_agents, pq_tell),
                                       pq_done, pq_release};

static void push_start(edge_local_provider *lp, const char *queue, int tell_agents,
                       int64_t now_ms)
{
    push_op *o = edge__local_job_new(lp, sizeof(*o), &PUSH, "queue positions", now_ms);
    o->tell_agents = tell_agents;
    o->waiting = edge_xcalloc(LOCAL_QUEUE_PUSH_MAX, sizeof(*o->waiting));
    o->events = edge_xcalloc(LOCAL_QUEUE_PUSH_MAX, sizeof(*o->events));
    o->told = edge_xcalloc(LOCAL_QUEUE_PUSH_MAX, sizeof(*o->told));
    int rc = edge__local_op_copy(o->queue, sizeof(o->queue), queue);
    if (rc != 0)
        edge__local_op_end(&o->base, rc);
    else
        edge__local_op_run(&o->base);
}

void edge__local_push_queue(edge_local_provider *lp, const char *queue, int64_t now_ms)
{
    push_start(lp, queue, 1, now_ms);
}

/* ---- push_held: a scan of the queues where contacts wait ---------------- */

static void held_list(edge__local_scan *s)
{
    EDGE__LOCAL_STORE(&s->base, queues_waiting, s->items, s->cap, &s->count);
}

static void held_each(edge__local_scan *s, const void *queue)
{
    push_start(s->base.lp, queue, 0, s->base.now_ms); /* nothing changed for agents */
}

static const edge__local_scan_kind HELD = {
    .name = "held queue positions",
    .item_size = EDGE_STORE_TEXT_MAX,
    .list = held_list,
    .each = held_each,
};

void edge__local_push_held(edge_local_provider *lp, int64_t now_ms)
{
    edge__local_scan_start(lp, &HELD, 0, LOCAL_QUEUES_PER_TICK, NULL, &lp->tick_jobs, now_ms);
}
