/* hub.c - the hub's subscribers: SSE streams, replay, live delivery,
 * heartbeats and presence (see hub.h; publishing is hub_publish.c).
 *
 * Subscribers sit in a hash table keyed by participant id (chained, fixed
 * bucket count: the table only ever holds open streams). Writing to a
 * stream can close it, and closing runs on_close, which frees the
 * subscriber; so every loop that writes saves its next pointer first and
 * never touches a subscriber after a failed write. Subscribers of one feed
 * share a bucket, so counting a feed's streams (for the per-feed limit and
 * the presence edges) walks one short chain.
 *
 * Replay and live, with a store that answers later and live events that
 * may come from a separate connection (the Redis fan-out tail):
 * 1. Subscribe first: edge_hub_serve links the subscriber (replaying)
 *    before it asks the store for the first page.
 * 2. While replaying, a live event for the stream is not written; the
 *    subscriber only notes that one arrived (missed). Starting a page
 *    clears missed.
 * 3. When a page has been written: a full page, or a page during whose
 *    read something was missed, means read again after the newest id sent;
 *    a short page with nothing missed switches the stream to live.
 * 4. Live events with an id at or below the newest id sent are dropped.
 * Nothing is lost: every event is committed before it is delivered, and
 * ids grow in commit order. An event delivered while replaying either
 * arrived before the current page's read was started (so it was committed
 * before the read and the read, or the full pages after it, include it),
 * or after (then missed is set and one more page is read). When the
 * stream goes live, nothing was delivered since the last read started, so
 * every event delivered from then on is written live, in order.
 * Nothing is twice: replay only reads ids above the newest sent, and rule
 * 4 drops a live event that the replay already wrote (committed before
 * the last read but delivered after the switch).
 *
 * A replay page is allocated only while the stream is catching up (it
 * holds up to HUB_REPLAY_PAGE events): an idle live stream costs one small
 * subscriber record. A stream that closes while its page is in flight
 * cancels the store call before the page is freed.
 *
 * A feed's last close is reported to the presence hook from a zero-delay
 * timer, never from inside on_close: the hook publishes, publishing writes
 * to other streams, and a write that fails closes (frees) a stream, which
 * must not happen under a loop that is walking the subscribers. Before
 * reporting, the feed is counted again: a stream that opened meanwhile
 * means the feed never went away. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/clock.h"
#include "common/mem.h"
#include "events/hub_internal.h"
#include "http/stream.h"

#define HUB_BUCKETS 1024
#define HUB_REPLAY_PAGE 64

typedef struct hub_sub hub_sub;

/* One events_since of a replaying stream, then its events while they are
 * written out. */
typedef struct hub_page {
    edge_store_call call; /* call.opaque == the subscriber */
    int in_flight;        /* started, done not fired yet */
    int starting;         /* inside the start call */
    size_t count, next;   /* events read; the next one to write */
    edge_event events[HUB_REPLAY_PAGE];
} hub_page;

struct hub_sub {
    hub_sub *next, *prev; /* bucket chain */
    edge_hub *hub;
    edge_stream *stream; /* NULL until on_open */
    hub_page *page;      /* owned; only while replaying */
    int replaying;       /* catching up from the store; live events wait their turn */
    int missed;          /* a live event arrived during the current page */
    int64_t last_id;     /* the newest event id this stream has been sent */
    uint64_t opened;     /* order of opening, for ending a feed's oldest stream */
    char participant_id[EDGE_STORE_ID_MAX];
    char *tag; /* owned; NULL = no presence reports (most streams: kept small) */
};

/* A feed whose last stream closed, waiting for the presence report. */
typedef struct hub_gone {
    struct hub_gone *next;
    char id[EDGE_STORE_ID_MAX];
    char *tag; /* owned */
} hub_gone;

struct edge_hub {
    uv_timer_t heartbeat;          /* heartbeat.data == this */
    uv_timer_t flush;              /* reports pending closes; flush.data == this */
    int open_handles;              /* the hub is freed when both timers have closed */
    hub_gone *gone;                /* pending close reports, owned */
    edge_store_async *store;       /* borrowed */
    edge_hub_options options;      /* copied */
    edge__hub_pub *pubs;           /* publishes in flight (hub_publish.c) */
    size_t streams;                /* open streams */
    uint64_t opened;               /* streams opened so far */
    edge_hub_presence_fn presence; /* may be NULL */
    void *presence_ctx;
    hub_sub *buckets[HUB_BUCKETS];
};

edge_store_async *edge__hub_store(const edge_hub *hub)
{
    return hub->store;
}

int edge__hub_live_from_feed(const edge_hub *hub)
{
    return hub->options.live_from_feed;
}

edge__hub_pub **edge__hub_pubs(edge_hub *hub)
{
    return &hub->pubs;
}

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
}

static void sub_unlink(edge_hub *hub, hub_sub *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        hub->buckets[bucket_of(s->participant_id)] = s->next;
    if (s->next)
        s->next->prev = s->prev;
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

/* Free s's page: cancel its store call when in flight, else release the
 * events it read. */
static void page_drop(hub_sub *s)
{
    hub_page *pg = s->page;
    if (pg == NULL)
        return;
    if (pg->in_flight)
        edge_store_async_cancel(s->hub->store, &pg->call);
    else
        for (size_t i = 0; i < pg->count; i++)
            edge_event_free(&pg->events[i]);
    free(pg);
    s->page = NULL;
}

/* How many open streams feed id has, and its oldest other than except. */
static size_t feed_streams(edge_hub *hub, const char *id, const hub_sub *except, hub_sub **oldest)
{
    size_t n = 0;
    if (oldest)
        *oldest = NULL;
    for (hub_sub *s = hub->buckets[bucket_of(id)]; s; s = s->next) {
        if (s->stream == NULL || strcmp(s->participant_id, id) != 0)
            continue;
        n++;
        if (oldest && s != except && (*oldest == NULL || s->opened < (*oldest)->opened))
            *oldest = s;
    }
    return n;
}

static void on_flush(uv_timer_t *t);

/* Forget s (its stream has closed or been ended): cancel its page, unlink
 * it, queue the presence report when it was its feed's last open stream,
 * free it. */
static void sub_drop(edge_hub *hub, hub_sub *s)
{
    page_drop(s);
    sub_unlink(hub, s);
    if (s->stream != NULL)
        hub->streams--;
    if (s->stream != NULL && s->tag && feed_streams(hub, s->participant_id, NULL, NULL) == 0) {
        hub_gone *g = edge_xcalloc(1, sizeof(*g));
        memcpy(g->id, s->participant_id, sizeof(g->id));
        g->tag = s->tag; /* taken over */
        s->tag = NULL;
        g->next = hub->gone;
        hub->gone = g;
        if (!uv_is_active((uv_handle_t *)&hub->flush))
            uv_timer_start(&hub->flush, on_flush, 0, 0);
    }
    free(s->tag);
    free(s);
}

/* End s's stream (terminating chunk: the client reconnects) and forget s. */
static void sub_end(edge_hub *hub, hub_sub *s)
{
    edge_stream_end(s->stream); /* on_close does not fire */
    sub_drop(hub, s);
}

static void on_page_done(edge_store_call *c);

/* Ask the store for the events after s->last_id. Returns 1 when the
 * answer comes later, 0 when it is already in s->page. */
static int page_start(hub_sub *s)
{
    hub_page *pg = edge_xmalloc(sizeof(*pg));
    memset(pg, 0, offsetof(hub_page, events));
    s->page = pg;
    s->missed = 0;
    pg->call.done = on_page_done;
    pg->call.opaque = s;
    pg->call.now_ms = edge_wall_ms();
    pg->call.deadline_ms = pg->call.now_ms + EDGE__HUB_STORE_TIMEOUT_MS;
    pg->in_flight = 1;
    pg->starting = 1;
    EDGE_STORE_ASYNC(s->hub->store, events_since, &pg->call, s->participant_id, s->last_id,
                     pg->events, HUB_REPLAY_PAGE, &pg->count);
    pg->starting = 0;
    return pg->in_flight;
}

enum { PAGE_WRITTEN, PAGE_PAUSED, PAGE_CLOSED };

static void on_stream_drained(edge_stream *stream, void *opaque);

/* Write s's page from where it stopped, one frame at a time so the unsent
 * bytes never pass half the stream's bound (then wait for the drain). */
static int page_write(hub_sub *s)
{
    hub_page *pg = s->page;
    while (pg->next < pg->count) {
        if (edge_stream_queued(s->stream) > s->hub->options.max_queued / 2) {
            edge_stream_when_drained(s->stream, on_stream_drained);
            return PAGE_PAUSED;
        }
        const edge_event *e = &pg->events[pg->next++];
        if (e->id <= s->last_id)
            continue;
        edge_buf frame = EDGE_BUF_INIT;
        format_event(&frame, e->id, e->type, e->data_json);
        s->last_id = e->id;
        int written = edge_stream_write(s->stream, frame.data, frame.len);
        edge_buf_free(&frame);
        if (written != 0)
            return PAGE_CLOSED; /* on_close freed s and its page */
    }
    return PAGE_WRITTEN;
}

/* A page failed: an unreachable store ends the stream (the client
 * reconnects with Last-Event-ID later); any other error is the store's
 * to log, and live events flow from here. */
static void replay_failed(hub_sub *s, int rc)
{
    if (rc == EDGE_STORE_EUNAVAILABLE || rc == EDGE_STORE_ETIMEDOUT) {
        sub_end(s->hub, s);
        return;
    }
    if (rc != EDGE_STORE_ENOTFOUND) /* a feed nothing was published to yet */
        fprintf(stderr, "c2c-edge: event replay failed (store error %d)\n", rc);
    page_drop(s);
    s->replaying = 0;
}

/* Replay s (its stream open) as far as it goes now: until a page is in
 * flight, the stream must drain, the stream closed, or s is live. */
static void sub_replay(hub_sub *s)
{
    for (;;) {
        if (s->page == NULL && page_start(s))
            return;
        hub_page *pg = s->page;
        if (pg->in_flight)
            return;
        if (pg->call.rc != 0) {
            replay_failed(s, pg->call.rc);
            return;
        }
        if (page_write(s) != PAGE_WRITTEN)
            return;
        int again = pg->count == HUB_REPLAY_PAGE || s->missed;
        page_drop(s);
        if (!again) {
            s->replaying = 0;
            return;
        }
    }
}

static void on_page_done(edge_store_call *c)
{
    hub_sub *s = c->opaque;
    s->page->in_flight = 0;
    if (s->page->starting || s->stream == NULL)
        return; /* page_start's caller or on_open goes on */
    sub_replay(s);
}

static void on_stream_drained(edge_stream *stream, void *opaque)
{
    sub_replay(opaque);
}

/* End the oldest streams of s's feed until it is within the limit. */
static void enforce_feed_limit(edge_hub *hub, hub_sub *s)
{
    hub_sub *oldest;
    while (hub->options.max_per_feed > 0 &&
           feed_streams(hub, s->participant_id, s, &oldest) > hub->options.max_per_feed && oldest)
        sub_end(hub, oldest);
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
    hub->streams++;
    enforce_feed_limit(hub, s);
    if (feed_streams(hub, s->participant_id, NULL, NULL) == 1)
        report_presence(hub, s->participant_id, s->tag, 1); /* may publish: s is replaying */
    static const char hello[] = "retry: 3000\n\n";          /* ms EventSource waits to reconnect */
    if (edge_stream_write(stream, hello, sizeof(hello) - 1) != 0)
        return; /* closed: on_close freed s */
    sub_replay(s);
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
    sub_drop(s->hub, s);
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
    s->replaying = 1; /* live events wait for the replay */
    snprintf(s->participant_id, sizeof(s->participant_id), "%s", feed->id);
    s->tag = feed->tag ? edge_xstrdup(feed->tag) : NULL;
    sub_link(hub, s); /* subscribed before the first read */
    if (!page_start(s) && s->page->call.rc == EDGE_STORE_EUNAVAILABLE) {
        sub_drop(hub, s); /* never opened: no presence */
        edge_response_error(res, 503, "store_unavailable",
                            "The contact center's store cannot be reached; try again shortly.");
        edge_response_add_header(res, "Retry-After", "1");
        return;
    }
    edge_response_start_stream(res, 200, "text/event-stream", on_stream_open, on_stream_close, s,
                               hub->options.max_queued);
    edge_response_add_header(res, "X-Accel-Buffering", "no"); /* nginx: do not buffer SSE */
}

void edge__hub_push_one(edge_hub *hub, const char *participant_id, const char *type,
                        const char *data_json, int64_t id)
{
    edge_buf frame = EDGE_BUF_INIT;
    hub_sub *next;
    for (hub_sub *s = hub->buckets[bucket_of(participant_id)]; s; s = next) {
        next = s->next; /* a failed write frees s */
        if (strcmp(s->participant_id, participant_id) != 0 || s->last_id >= id)
            continue;
        if (s->replaying) {
            s->missed = 1; /* the replay reads it from the store, in order */
            continue;
        }
        if (frame.len == 0)
            format_event(&frame, id, type, data_json);
        s->last_id = id;
        edge_stream_write(s->stream, frame.data, frame.len);
    }
    edge_buf_free(&frame);
}

void edge_hub_push(edge_hub *hub, const edge_event *events, size_t n)
{
    if (hub->options.live_from_feed)
        return; /* the fan-out tail delivers them (edge_hub_deliver) */
    for (size_t i = 0; i < n; i++)
        edge__hub_push_one(hub, events[i].participant_id, events[i].type, events[i].data_json,
                           events[i].id);
}

void edge_hub_deliver(edge_hub *hub, const edge_event *ev)
{
    edge__hub_push_one(hub, ev->participant_id, ev->type, ev->data_json, ev->id);
}

void edge_hub_store_lost(edge_hub *hub)
{
    for (size_t b = 0; b < HUB_BUCKETS; b++) {
        hub_sub *next;
        for (hub_sub *s = hub->buckets[b]; s; s = next) {
            next = s->next; /* ending s touches no other subscriber */
            if (s->stream != NULL)
                sub_end(hub, s);
        }
    }
}

static void on_heartbeat(uv_timer_t *t)
{
    edge_hub *hub = t->data;
    static const char beat[] = ": heartbeat\n\n";
    for (size_t b = 0; b < HUB_BUCKETS; b++) {
        hub_sub *next;
        for (hub_sub *s = hub->buckets[b]; s; s = next) {
            next = s->next;
            if (s->stream != NULL)
                edge_stream_write(s->stream, beat, sizeof(beat) - 1);
        }
    }
}

edge_hub *edge_hub_create(uv_loop_t *loop, edge_store_async *store, const edge_hub_options *o)
{
    edge_hub *hub = edge_xcalloc(1, sizeof(*hub));
    hub->store = store;
    hub->options = *o;
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
    edge__hub_cancel_pubs(hub);
    uv_close((uv_handle_t *)&hub->heartbeat, on_hub_closed);
    uv_close((uv_handle_t *)&hub->flush, on_hub_closed);
}

size_t edge_hub_stream_count(const edge_hub *hub)
{
    return hub->streams;
}
