/* hub_publish.c - publishing: store events through the asynchronous store,
 * then deliver the committed ones (see hub.h).
 *
 * A publish copies its events into one allocation (the strings behind
 * them too), starts events_add and returns. The copy lives on a list of
 * publishes in flight owned by the hub, so that edge_hub_destroy can
 * cancel what the store has not answered. When the store answers inside
 * the start call (SQLite), the events are delivered before the publish
 * returns, so one node keeps its order of events and the caller sees the
 * store's error; an error known later is logged. With live_from_feed the
 * publish delivers nothing: the fan-out tail does (edge_hub_deliver). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "events/hub_internal.h"

struct edge__hub_pub {
    edge_store_call call; /* call.opaque == this */
    edge__hub_pub *next, *prev;
    edge_hub *hub;
    int starting; /* inside the start call */
    int finished; /* done fired inside the start call */
    size_t n;
    edge_event_in *in; /* n events; the strings in this allocation */
    int64_t *ids;      /* n ids, set by the store */
};

static size_t text_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Copy s to *cursor and advance it; NULL stays NULL. */
static const char *copy_text(char **cursor, const char *s)
{
    if (s == NULL)
        return NULL;
    size_t len = strlen(s) + 1;
    char *out = memcpy(*cursor, s, len);
    *cursor += len;
    return out;
}

/* One allocation: the record, the n events, their ids, their strings. */
static edge__hub_pub *pub_new(edge_hub *hub, const edge_event_in *events, size_t n)
{
    size_t text = 0;
    for (size_t i = 0; i < n; i++)
        text += text_size(events[i].participant_id) + text_size(events[i].contact_id) +
                text_size(events[i].type) + text_size(events[i].data_json);
    size_t head = sizeof(edge__hub_pub) + n * sizeof(edge_event_in) + n * sizeof(int64_t);
    edge__hub_pub *p = edge_xcalloc(1, head + text);
    p->hub = hub;
    p->n = n;
    p->in = (edge_event_in *)(p + 1);
    p->ids = (int64_t *)(p->in + n);
    char *cursor = (char *)p + head;
    for (size_t i = 0; i < n; i++) {
        p->in[i].participant_id = copy_text(&cursor, events[i].participant_id);
        p->in[i].contact_id = copy_text(&cursor, events[i].contact_id);
        p->in[i].type = copy_text(&cursor, events[i].type);
        p->in[i].data_json = copy_text(&cursor, events[i].data_json);
    }
    return p;
}

static void pub_link(edge__hub_pub *p)
{
    edge__hub_pub **head = edge__hub_pubs(p->hub);
    p->prev = NULL;
    p->next = *head;
    if (*head)
        (*head)->prev = p;
    *head = p;
}

static void pub_unlink(edge__hub_pub *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        *edge__hub_pubs(p->hub) = p->next;
    if (p->next)
        p->next->prev = p->prev;
}

static void on_pub_done(edge_store_call *c)
{
    edge__hub_pub *p = c->opaque;
    pub_unlink(p);
    if (c->rc == 0 && !edge__hub_live_from_feed(p->hub))
        for (size_t i = 0; i < p->n; i++)
            edge__hub_push_one(p->hub, p->in[i].participant_id, p->in[i].type,
                               p->in[i].data_json ? p->in[i].data_json : "null", p->ids[i]);
    if (p->starting) {
        p->finished = 1; /* the publisher reads rc and frees p */
        return;
    }
    if (c->rc != 0)
        fprintf(stderr, "c2c-edge: %zu event(s) of type %s not stored (store error %d)\n", p->n,
                p->in[0].type ? p->in[0].type : "?", c->rc);
    free(p);
}

/* Start storing n >= 1 events; see edge_hub_publish_many. */
static int publish(edge_hub *hub, const edge_event_in *events, size_t n, int64_t now_ms,
                   int64_t *first_id)
{
    edge__hub_pub *p = pub_new(hub, events, n);
    pub_link(p);
    p->call.done = on_pub_done;
    p->call.opaque = p;
    p->call.now_ms = now_ms;
    p->call.deadline_ms = now_ms + EDGE__HUB_STORE_TIMEOUT_MS;
    p->starting = 1;
    EDGE_STORE_ASYNC(edge__hub_store(hub), events_add, &p->call, p->in, n, p->ids);
    p->starting = 0;
    if (!p->finished)
        return 0; /* on_pub_done logs and frees */
    int rc = p->call.rc;
    if (first_id && rc == 0)
        *first_id = p->ids[0];
    free(p);
    return rc;
}

int edge_hub_publish(edge_hub *hub, const char *participant_id, const char *contact_id,
                     const char *type, const char *data_json, int64_t now_ms, int64_t *id)
{
    edge_event_in e = {participant_id, contact_id, type, data_json};
    if (id)
        *id = 0;
    return publish(hub, &e, 1, now_ms, id);
}

int edge_hub_publish_many(edge_hub *hub, const edge_event_in *events, size_t n, int64_t now_ms)
{
    return n == 0 ? 0 : publish(hub, events, n, now_ms, NULL);
}

void edge__hub_cancel_pubs(edge_hub *hub)
{
    edge__hub_pub **head = edge__hub_pubs(hub);
    while (*head) {
        edge__hub_pub *p = *head;
        pub_unlink(p);
        edge_store_async_cancel(edge__hub_store(hub), &p->call);
        free(p);
    }
}
