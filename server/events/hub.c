/* hub.c - persist-then-push event delivery over SSE (see hub.h).
 *
 * Subscribers sit in a hash table keyed by participant id (chained, fixed
 * bucket count: the table only ever holds open streams). Writing to a
 * stream can close it, and closing runs on_close, which frees the
 * subscriber; so every loop that writes saves its next pointer first and
 * never touches a subscriber after a failed write. Subscribers of one feed
 * share a bucket, so counting a feed's streams (for the per-feed limit and
 * the presence edges) walks one short chain.
 *
 * A feed's last close is reported to the presence hook from a zero-delay
 * timer, never from inside on_close: the hook publishes, publishing writes
 * to other streams, and a write that fails closes (frees) a stream, which
 * must not happen under a loop that is walking the subscribers. Before
 * reporting, the feed is counted again: a stream that opened meanwhile
 * means the feed never went away. */
#include "events/hub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/clock.h"
#include "common/mem.h"
#include "http/stream.h"

#define HUB_BUCKETS 1024
#define HUB_REPLAY_PAGE 64

typedef struct hub_sub {
    struct hub_sub *next, *prev; /* bucket chain */
    edge_hub *hub;
    edge_stream *stream; /* NULL until on_open */
    int linked;
    int replaying;   /* catching up from the store; live events wait their turn */
    int64_t last_id; /* the newest event id this stream has been sent */
    uint64_t opened; /* order of opening, for ending a feed's oldest stream */
    char participant_id[EDGE_STORE_ID_MAX];
    char *tag; /* owned; NULL = no presence reports (most streams: kept small) */
} hub_sub;

/* A feed whose last stream closed, waiting for the presence report. */
typedef struct hub_gone {
    struct hub_gone *next;
    char id[EDGE_STORE_ID_MAX];
    char *tag; /* owned */
} hub_gone;

struct edge_hub {
    uv_timer_t heartbeat; /* heartbeat.data == this */
    uv_timer_t flush;     /* reports pending closes; flush.data == this */
    int open_handles;     /* the hub is freed when both timers have closed */
    hub_gone *gone;       /* pending close reports, owned */
    edge_store_async *store; /* borrowed; completes inside the start call (see hub.h) */
    int live_from_feed;
    size_t max_queued;
    size_t max_per_feed; /* 0 = no limit */
    size_t streams;
    uint64_t opened;     /* streams opened so far */
    edge_hub_presence_fn presence; /* may be NULL */
    void *presence_ctx;
    hub_sub *buckets[HUB_BUCKETS];
};

static size_t bucket_of(const char *participant_id)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)participant_id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % HUB_BUCKETS;
}

static void sub_link(edge_hub *hub, hub_sub *s)
{
    hub_sub **head = &hub->buckets[bucket_of(s->participant_id)];
    s->prev = NULL;
    s->next = *head;
    if (*head)
        (*head)->prev = s;
    *head = s;
    s->linked = 1;
    hub->streams++;
}

static void sub_unlink(edge_hub *hub, hub_sub *s)
{
    if (!s->linked)
        return;
    if (s->prev)
        s->prev->next = s->next;
    else
        hub->buckets[bucket_of(s->participant_id)] = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->linked = 0;
    hub->streams--;
}

/* One SSE frame: id, event type, and the data split into data: lines. */
static void format_event(edge_buf *out, int64_t id, const char *type, const char *data)
{
    edge_buf_append_str(out, "id: ");
    edge_buf_append_uint(out, (unsigned long long)id, 1);
    edge_buf_append_str(out, "\nevent: ");
    edge_buf_append_str(out, type);
    const char *line = data;
    for (;;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        edge_buf_append_str(out, "\ndata: ");
        edge_buf_append(out, line, len);
        if (nl == NULL)
            break;
        line = nl + 1;
    }
    edge_buf_append(out, "\n\n", 2);
}

/* Past this many unsent bytes a replay pauses until the stream drains. */
static size_t replay_pause_bytes(const edge_hub *hub)
{
    return hub->max_queued / 2;
}

static void on_stream_drained(edge_stream *stream, void *opaque);

/* TEMPORARY (see hub.h): a store op run to its end inside the start call. */
typedef struct inline_call {
    edge_store_call c; /* first: done finds the record through it */
    int fired;
} inline_call;

static void inline_done(edge_store_call *c)
{
    ((inline_call *)c)->fired = 1;
}

static int inline_rc(edge_hub *hub, inline_call *ic)
{
    if (ic->fired)
        return ic->c.rc;
    edge_store_async_cancel(hub->store, &ic->c);
    return EDGE_STORE_EUNAVAILABLE;
}

static int events_since(edge_hub *hub, const char *pid, int64_t after, edge_event *out,
                        size_t cap, size_t *count)
{
    int64_t now = edge_wall_ms();
    inline_call ic = {.c = {.done = inline_done, .now_ms = now, .deadline_ms = now + 5000}};
    EDGE_STORE_ASYNC(hub->store, events_since, &ic.c, pid, after, out, cap, count);
    return inline_rc(hub, &ic);
}

static int events_add(edge_hub *hub, const edge_event_in *in, size_t n, int64_t now_ms,
                      int64_t *ids)
{
    inline_call ic = {.c = {.done = inline_done, .now_ms = now_ms, .deadline_ms = now_ms + 5000}};
    EDGE_STORE_ASYNC(hub->store, events_add, &ic.c, in, n, ids);
    return inline_rc(hub, &ic);
}

/* Send one page of stored events after s->last_id, one frame at a time so
 * the unsent bytes never pass half the stream's bound. Returns 1 when a
 * full page went out (call again), 0 when caught up or paused, -1 when
 * the stream closed (s is freed then). */
static int sub_replay_page(edge_hub *hub, hub_sub *s)
{
    edge_event page[HUB_REPLAY_PAGE];
    size_t count = 0, i = 0;
    if (events_since(hub, s->participant_id, s->last_id, page, HUB_REPLAY_PAGE, &count) != 0) {
        s->replaying = 0; /* the store logged why; live events still flow */
        return 0;
    }
    int rc = count == HUB_REPLAY_PAGE ? 1 : 0;
    for (; i < count; i++) {
        if (edge_stream_queued(s->stream) > replay_pause_bytes(hub)) {
            edge_stream_when_drained(s->stream, on_stream_drained);
            rc = 0;
            break;
        }
        edge_buf frame = EDGE_BUF_INIT;
        format_event(&frame, page[i].id, page[i].type, page[i].data_json);
        s->last_id = page[i].id;
        int written = edge_stream_write(s->stream, frame.data, frame.len);
        edge_buf_free(&frame);
        if (written != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && i == count)
        s->replaying = 0; /* caught up: live events are written directly again */
    for (size_t k = 0; k < count; k++)
        edge_event_free(&page[k]);
    return rc;
}

/* Replay until caught up, paused for draining, or closed. */
static void sub_replay(edge_hub *hub, hub_sub *s)
{
    s->replaying = 1;
    while (sub_replay_page(hub, s) == 1)
        ;
}

static void on_stream_drained(edge_stream *stream, void *opaque)
{
    hub_sub *s = opaque;
    sub_replay(s->hub, s);
}

static void sub_free(hub_sub *s)
{
    free(s->tag);
    free(s);
}

/* How many open streams feed id has, and its oldest other than except. */
static size_t feed_streams(edge_hub *hub, const char *id, const hub_sub *except, hub_sub **oldest)
{
    size_t n = 0;
    if (oldest)
        *oldest = NULL;
    for (hub_sub *s = hub->buckets[bucket_of(id)]; s; s = s->next) {
        if (strcmp(s->participant_id, id) != 0)
            continue;
        n++;
        if (oldest && s != except && (*oldest == NULL || s->opened < (*oldest)->opened))
            *oldest = s;
    }
    return n;
}

/* End the oldest streams of s's feed until it is within the limit. */
static void enforce_feed_limit(edge_hub *hub, hub_sub *s)
{
    hub_sub *oldest;
    while (hub->max_per_feed > 0 &&
           feed_streams(hub, s->participant_id, s, &oldest) > hub->max_per_feed && oldest) {
        sub_unlink(hub, oldest);
        edge_stream_end(oldest->stream); /* terminating chunk; on_close does not fire */
        sub_free(oldest);
    }
}

static void report_presence(edge_hub *hub, const char *id, const char *tag, int streaming)
{
    if (hub->presence && tag)
        hub->presence(hub->presence_ctx, id, tag, streaming, edge_wall_ms());
}

static void on_stream_open(edge_stream *stream, void *opaque)
{
    hub_sub *s = opaque;
    edge_hub *hub = s->hub;
    s->stream = stream;
    s->opened = ++hub->opened;
    s->replaying = 1; /* live events wait for the replay below */
    sub_link(hub, s);
    enforce_feed_limit(hub, s);
    if (feed_streams(hub, s->participant_id, NULL, NULL) == 1)
        report_presence(hub, s->participant_id, s->tag, 1); /* may publish: s is replaying */
    static const char hello[] = "retry: 3000\n\n"; /* ms EventSource waits to reconnect */
    if (edge_stream_write(stream, hello, sizeof(hello) - 1) != 0)
        return; /* closed: on_close freed s */
    sub_replay(hub, s);
}

/* Report the feeds whose last stream closed and that have none now. */
static void on_flush(uv_timer_t *t)
{
    edge_hub *hub = t->data;
    while (hub->gone) {
        hub_gone *g = hub->gone;
        hub->gone = g->next;
        if (feed_streams(hub, g->id, NULL, NULL) == 0)
            report_presence(hub, g->id, g->tag, 0);
        free(g->tag);
        free(g);
    }
}

static void on_stream_close(edge_stream *stream, void *opaque)
{
    hub_sub *s = opaque;
    edge_hub *hub = s->hub;
    sub_unlink(hub, s);
    if (s->tag && feed_streams(hub, s->participant_id, NULL, NULL) == 0) {
        hub_gone *g = edge_xcalloc(1, sizeof(*g));
        memcpy(g->id, s->participant_id, sizeof(g->id));
        g->tag = s->tag; /* taken over */
        s->tag = NULL;
        g->next = hub->gone;
        hub->gone = g;
        if (!uv_is_active((uv_handle_t *)&hub->flush))
            uv_timer_start(&hub->flush, on_flush, 0, 0);
    }
    sub_free(s);
}

void edge_hub_on_presence(edge_hub *hub, edge_hub_presence_fn fn, void *ctx)
{
    hub->presence = fn;
    hub->presence_ctx = ctx;
}

void edge_hub_serve(edge_hub *hub, const edge_hub_feed *feed, int64_t last_event_id,
                    edge_response *res)
{
    hub_sub *s = edge_xcalloc(1, sizeof(*s));
    s->hub = hub;
    s->last_id = last_event_id > 0 ? last_event_id : 0;
    snprintf(s->participant_id, sizeof(s->participant_id), "%s", feed->id);
    s->tag = feed->tag ? edge_xstrdup(feed->tag) : NULL;
    edge_response_start_stream(res, 200, "text/event-stream", on_stream_open, on_stream_close, s,
                               hub->max_queued);
    edge_response_add_header(res, "X-Accel-Buffering", "no"); /* nginx: do not buffer SSE */
}

/* Deliver a stored event to its participant's open streams. */
static void push_event(edge_hub *hub, const edge_event_in *e, int64_t event_id)
{
    edge_buf frame = EDGE_BUF_INIT;
    format_event(&frame, event_id, e->type, e->data_json);
    hub_sub *next;
    for (hub_sub *s = hub->buckets[bucket_of(e->participant_id)]; s; s = next) {
        next = s->next; /* a failed write frees s */
        if (strcmp(s->participant_id, e->participant_id) != 0 || s->last_id >= event_id ||
            s->replaying)
            continue; /* a replaying stream reads this event from the store in order */
        s->last_id = event_id;
        edge_stream_write(s->stream, frame.data, frame.len);
    }
    edge_buf_free(&frame);
}

int edge_hub_publish(edge_hub *hub, const char *participant_id, const char *contact_id,
                     const char *type, const char *data_json, int64_t now_ms, int64_t *id)
{
    edge_event_in e = {participant_id, contact_id, type, data_json};
    int64_t event_id = 0;
    int rc = events_add(hub, &e, 1, now_ms, &event_id);
    if (rc != 0)
        return rc;
    if (id)
        *id = event_id;
    if (!hub->live_from_feed)
        push_event(hub, &e, event_id);
    return 0;
}

void edge_hub_push(edge_hub *hub, const edge_event *events, size_t n)
{
    if (hub->live_from_feed)
        return;
    for (size_t i = 0; i < n; i++) {
        edge_event_in e = {events[i].participant_id, events[i].contact_id, events[i].type,
                           events[i].data_json};
        push_event(hub, &e, events[i].id);
    }
}

int edge_hub_publish_many(edge_hub *hub, const edge_event_in *events, size_t n, int64_t now_ms)
{
    if (n == 0)
        return 0;
    int64_t *ids = edge_xcalloc(n, sizeof(*ids));
    int rc = events_add(hub, events, n, now_ms, ids);
    for (size_t i = 0; rc == 0 && !hub->live_from_feed && i < n; i++)
        push_event(hub, &events[i], ids[i]);
    free(ids);
    return rc;
}

static void on_heartbeat(uv_timer_t *t)
{
    edge_hub *hub = t->data;
    static const char beat[] = ": heartbeat\n\n";
    for (size_t b = 0; b < HUB_BUCKETS; b++) {
        hub_sub *next;
        for (hub_sub *s = hub->buckets[b]; s; s = next) {
            next = s->next;
            edge_stream_write(s->stream, beat, sizeof(beat) - 1);
        }
    }
}

void edge_hub_deliver(edge_hub *hub, const edge_event *ev)
{
    edge_event_in e = {ev->participant_id, ev->contact_id, ev->type, ev->data_json};
    push_event(hub, &e, ev->id);
}

void edge_hub_store_lost(edge_hub *hub)
{
    for (size_t b = 0; b < HUB_BUCKETS; b++) {
        while (hub->buckets[b]) {
            hub_sub *s = hub->buckets[b];
            sub_unlink(hub, s);
            edge_stream_end(s->stream); /* terminating chunk; on_close does not fire */
            sub_free(s);
        }
    }
}

edge_hub *edge_hub_create(uv_loop_t *loop, edge_store_async *store, const edge_hub_options *o)
{
    edge_hub *hub = edge_xcalloc(1, sizeof(*hub));
    hub->store = store;
    hub->max_queued = o->max_queued;
    hub->max_per_feed = o->max_per_feed;
    hub->live_from_feed = o->live_from_feed;
    uv_timer_init(loop, &hub->heartbeat);
    hub->heartbeat.data = hub;
    uv_timer_start(&hub->heartbeat, on_heartbeat, o->heartbeat_ms, o->heartbeat_ms);
    uv_unref((uv_handle_t *)&hub->heartbeat); /* heartbeats alone keep nothing alive */
    uv_timer_init(loop, &hub->flush);
    hub->flush.data = hub;
    hub->open_handles = 2;
    return hub;
}

static void on_hub_closed(uv_handle_t *h)
{
    edge_hub *hub = h->data;
    if (--hub->open_handles > 0)
        return;
    while (hub->gone) { /* not reported: the next start marks everyone away anyway */
        hub_gone *g = hub->gone;
        hub->gone = g->next;
        free(g->tag);
        free(g);
    }
    free(hub);
}

void edge_hub_destroy(edge_hub *hub)
{
    if (hub == NULL)
        return;
    uv_close((uv_handle_t *)&hub->heartbeat, on_hub_closed);
    uv_close((uv_handle_t *)&hub->flush, on_hub_closed);
}

size_t edge_hub_stream_count(const edge_hub *hub)
{
    return hub->streams;
}
