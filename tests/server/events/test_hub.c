/* test_hub.c - the event hub (events/hub.h) on a store that answers on a
 * later loop turn, over real SSE streams on a real loopback server.
 *
 * The store is a small double of the asynchronous interface: it runs
 * events_add and events_since on a real SQLite store at once (that is when
 * they "take effect", as a Redis script would), then answers on a later
 * loop turn, or only when the test releases it, or fails at once or later
 * with EDGE_STORE_EUNAVAILABLE. The client is a plain blocking socket on
 * the same thread: the test pumps the loop while it waits for bytes. What
 * is checked: replay through several pages then live, the merge of replay
 * and live events delivered from a fan-out tail (nothing lost, nothing
 * twice), a stream closed while its page is in flight (cancelled; ASan
 * sees no use after free), 503 store_unavailable when the first page
 * cannot reach the store, a stream ended when a later page cannot, and
 * edge_hub_store_lost ending every stream. */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "events/hub.h"
#include "net/server.h"
#include "server/events/sse_client.h"
#include "store/store_async.h"
#include "unit.h"

#define T0 1700000000000LL
#define PAGE_MAX 64 /* the most events_since is asked for (the hub's page) */

/* ---- the store that answers later ---- */

typedef struct pending {
    struct pending *next;
    edge_store_call *c;
    int held; /* answers on later_release only */
    int rc;
    int64_t *ids, id_copy[16]; /* events_add */
    size_t n;
    edge_event *out; /* events_since */
    size_t *count;
    edge_event got[PAGE_MAX];
} pending;

typedef struct later {
    edge_store_async base; /* first */
    edge_store *sync;
    uv_timer_t turn;
    pending *head;
    int down;       /* EUNAVAILABLE inside the start call */
    int hold_pages; /* events_since waits for later_release */
    int hold_adds;  /* events_add answers on later_release only */
    int fail_pages; /* events_since answers EUNAVAILABLE later */
    int pages, cancels;
} later;

static void on_turn(uv_timer_t *t);

static void later_arm(later *l)
{
    uv_timer_start(&l->turn, on_turn, 0, 0);
}

static void later_queue(later *l, pending *p)
{
    pending **tail = &l->head;
    while (*tail)
        tail = &(*tail)->next;
    *tail = p;
    later_arm(l);
}

static void on_turn(uv_timer_t *t)
{
    later *l = (later *)((char *)t - offsetof(later, turn));
    pending **pp = &l->head;
    while (*pp) {
        pending *p = *pp;
        if (p->held) {
            pp = &p->next;
            continue;
        }
        *pp = p->next;
        if (p->ids)
            memcpy(p->ids, p->id_copy, p->n * sizeof(int64_t));
        if (p->out) {
            memcpy(p->out, p->got, p->n * sizeof(edge_event));
            *p->count = p->n;
        }
        edge_store_call *c = p->c;
        int rc = p->rc;
        free(p);
        edge_store_call_done(c, rc);
    }
}

static void later_release(later *l)
{
    for (pending *p = l->head; p; p = p->next)
        p->held = 0;
    later_arm(l);
}

static void l_events_add(edge_store_async *s, edge_store_call *c, const edge_event_in *in, size_t n,
                         int64_t *ids)
{
    later *l = (later *)s;
    if (l->down || n > 16) {
        edge_store_call_done(c, l->down ? EDGE_STORE_EUNAVAILABLE : EDGE_STORE_EINVAL);
        return;
    }
    pending *p = calloc(1, sizeof(*p));
    p->c = c;
    p->held = l->hold_adds;
    p->ids = ids;
    p->n = n;
    p->rc = edge_store_events_add(l->sync, in, n, c->now_ms, p->id_copy);
    if (p->rc != 0)
        p->ids = NULL;
    later_queue(l, p);
}

static void l_events_since(edge_store_async *s, edge_store_call *c, const char *participant_id,
                           int64_t after_id, edge_event *out, size_t cap, size_t *count)
{
    later *l = (later *)s;
    l->pages++;
    if (l->down || cap > PAGE_MAX) {
        edge_store_call_done(c, l->down ? EDGE_STORE_EUNAVAILABLE : EDGE_STORE_EINVAL);
        return;
    }
    pending *p = calloc(1, sizeof(*p));
    p->c = c;
    p->held = l->hold_pages;
    if (l->fail_pages) {
        p->rc = EDGE_STORE_EUNAVAILABLE;
    } else {
        p->rc = edge_store_events_since(l->sync, participant_id, after_id, p->got, cap, &p->n);
        p->out = p->rc == 0 ? out : NULL;
        p->count = count;
    }
    later_queue(l, p);
}

static void l_cancel(edge_store_async *s, edge_store_call *c)
{
    later *l = (later *)s;
    for (pending **pp = &l->head; *pp; pp = &(*pp)->next) {
        if ((*pp)->c != c)
            continue;
        pending *p = *pp;
        *pp = p->next;
        for (size_t i = 0; p->out && i < p->n; i++)
            edge_event_free(&p->got[i]);
        free(p);
        l->cancels++;
        return;
    }
}

static void l_close(edge_store_async *s) {}

static const edge_store_async_ops later_ops = {
    .name = "later",
    .close = l_close,
    .cancel = l_cancel,
    .events_add = l_events_add,
    .events_since = l_events_since,
};

/* ---- the fixture: loop, store, hub, server ---- */

typedef struct fx {
    uv_loop_t loop;
    char dir[64];
    later store;
    edge_hub *hub;
    edge_config cfg;
    edge_server server;
    int stopped;
} fx;

static fx F;

static void fx_open(fx *f, int live_from_feed)
{
    memset(f, 0, sizeof(*f));
    uv_loop_init(&f->loop);
    snprintf(f->dir, sizeof(f->dir), "/tmp/c2c-hub-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        abort();
    char err[256] = "";
    f->store.base.ops = &later_ops;
    f->store.sync = edge_store_open_sqlite(f->dir, err, sizeof(err));
    if (f->store.sync == NULL)
        abort();
    uv_timer_init(&f->loop, &f->store.turn);
    edge_hub_options o = {
        .heartbeat_ms = 60000, .max_queued = 64 * 1024, .live_from_feed = live_from_feed};
    f->hub = edge_hub_create(&f->loop, &f->store.base, &o);
    edge_config_init(&f->cfg);
    f->cfg.listen_port = 0;
    f->cfg.shutdown_grace_ms = 1000;
    edge_server_hooks hooks = {edge_test_hub_handle, NULL, f->hub, NULL};
    if (edge_server_start(&f->server, &f->loop, &f->cfg, &hooks, err, sizeof(err)) < 0)
        abort();
}

static void on_stopped(edge_server *s)
{
    F.stopped = 1;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void fx_close(fx *f)
{
    edge_server_shutdown(&f->server, on_stopped);
    while (!f->stopped)
        uv_run(&f->loop, UV_RUN_ONCE);
    edge_hub_destroy(f->hub);
    CHECK(f->store.head == NULL); /* nothing is left in flight: answered or cancelled */
    uv_close((uv_handle_t *)&f->store.turn, NULL);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    uv_loop_close(&f->loop);
    edge_store_close(f->store.sync);
    edge_config_free(&f->cfg);
    nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Run the loop for a few turns (answers due "later" arrive). */
static void pump(fx *f)
{
    for (int i = 0; i < 5; i++)
        uv_run(&f->loop, UV_RUN_NOWAIT);
}

static int read_until(fx *f, int fd, const char *needle, char *acc, size_t cap)
{
    return edge_test_sse_read_until(&f->loop, fd, needle, acc, cap, 3000);
}

static int open_stream(fx *f, const char *feed, int64_t after)
{
    return edge_test_sse_open(f->server.port, feed, after);
}

#define times_sent edge_test_sse_times_sent

/* Publish through the hub and let the store answer. */
static void publish(fx *f, const char *feed, const char *data)
{
    CHECK_INT_EQ(edge_hub_publish(f->hub, feed, NULL, "note", data, T0, NULL), 0);
    pump(f);
}

/* The committed event of feed with the newest id (as a fan-out tail would
 * hand it over). The caller frees it. */
static edge_event newest(fx *f, const char *feed)
{
    static edge_event page[256];
    size_t n = 0;
    edge_event e = {0};
    if (edge_store_events_since(f->store.sync, feed, 0, page, 256, &n) != 0 || n == 0)
        return e;
    e = page[n - 1];
    for (size_t i = 0; i + 1 < n; i++)
        edge_event_free(&page[i]);
    return e;
}

/* ---- the tests ---- */

/* 150 stored events come back over three pages, in order, once each;
 * then a new one arrives live (the hub delivers after the commit). */
static void test_replay_pages_then_live(void)
{
    fx_open(&F, 0);
    char data[32];
    for (int i = 1; i <= 150; i++) {
        snprintf(data, sizeof(data), "{\"n\":%d}", i);
        publish(&F, "a:pages", data);
    }
    int fd = open_stream(&F, "a:pages", 0);
    static char acc[65536];
    acc[0] = '\0';
    CHECK(read_until(&F, fd, "data: {\"n\":150}\n\n", acc, sizeof(acc)));
    CHECK(strstr(acc, "HTTP/1.1 200") != NULL);
    CHECK(F.store.pages >= 3);
    for (int64_t id = 1; id <= 150; id++)
        CHECK_INT_EQ(times_sent(acc, id), 1);
    CHECK(strstr(acc, "{\"n\":1}") < strstr(acc, "{\"n\":150}"));
    CHECK_INT_EQ(edge_hub_stream_count(F.hub), 1);
    publish(&F, "a:pages", "{\"n\":151}");
    CHECK(read_until(&F, fd, "data: {\"n\":151}\n\n", acc, sizeof(acc)));
    CHECK_INT_EQ(times_sent(acc, 151), 1);
    close(fd);
    fx_close(&F);
}

/* live_from_feed: publishing delivers nothing; the tail (edge_hub_deliver)
 * does. While the first page is in flight, the tail hands over an event
 * the page's read did not see (committed after it) and one it did: both
 * arrive once, in order, and nothing is lost. After the switch to live,
 * a late duplicate from the tail is dropped and a new event goes out. */
static void test_tail_during_replay_loses_nothing_twice_nothing(void)
{
    fx_open(&F, 1);
    publish(&F, "a:tail", "{\"n\":1}");
    edge_event e1 = newest(&F, "a:tail");
    F.store.hold_pages = 1;
    int fd = open_stream(&F, "a:tail", 0);
    char acc[8192] = "";
    CHECK(read_until(&F, fd, "retry: 3000", acc, sizeof(acc))); /* open, page held */
    CHECK(strstr(acc, "\"n\":1") == NULL);
    publish(&F, "a:tail", "{\"n\":2}"); /* committed after the held page's read */
    edge_event e2 = newest(&F, "a:tail");
    CHECK(strstr(acc, "\"n\":2") == NULL); /* not delivered by the publish itself */
    edge_hub_deliver(F.hub, &e1);          /* the tail catches up meanwhile */
    edge_hub_deliver(F.hub, &e2);
    pump(&F);
    CHECK(strstr(acc, "\"n\":") == NULL); /* nothing written while replaying */
    F.store.hold_pages = 0;
    later_release(&F.store); /* the page [1] comes back short, but 2 was missed */
    CHECK(read_until(&F, fd, "data: {\"n\":2}\n\n", acc, sizeof(acc)));
    CHECK_INT_EQ(times_sent(acc, e1.id), 1);
    CHECK_INT_EQ(times_sent(acc, e2.id), 1);
    CHECK(strstr(acc, "\"n\":1") < strstr(acc, "\"n\":2"));
    edge_hub_deliver(F.hub, &e2); /* a late duplicate from the tail */
    publish(&F, "a:tail", "{\"n\":3}");
    edge_event e3 = newest(&F, "a:tail");
    edge_hub_deliver(F.hub, &e3);
    CHECK(read_until(&F, fd, "data: {\"n\":3}\n\n", acc, sizeof(acc)));
    CHECK_INT_EQ(times_sent(acc, e2.id), 1);
    CHECK_INT_EQ(times_sent(acc, e3.id), 1);
    edge_event_free(&e1);
    edge_event_free(&e2);
    edge_event_free(&e3);
    close(fd);
    fx_close(&F);
}

/* The server's end of the client connection fd (same process): the
 * socket whose peer is fd's own address; -1 when not found. */
static int server_end_of(int fd)
{
    struct sockaddr_in mine, peer;
    socklen_t len = sizeof(mine);
    if (getsockname(fd, (struct sockaddr *)&mine, &len) != 0)
        return -1;
    for (int cand = 3; cand < 4096; cand++) {
        len = sizeof(peer);
        if (cand != fd && getpeername(cand, (struct sockaddr *)&peer, &len) == 0 &&
            peer.sin_family == AF_INET && peer.sin_port == mine.sin_port &&
            peer.sin_addr.s_addr == mine.sin_addr.s_addr)
            return cand;
    }
    return -1;
}

/* A replay larger than the kernel's socket buffers (made small here) and
 * half the stream's bound, to a client that does not read at first:
 * the replay pauses for the drain and goes on: every event once, in
 * order, and the client is not dropped for falling behind. */
static void test_replay_follows_a_slow_reader(void)
{
    fx_open(&F, 0);
    enum { N = 300 }; /* about 600 KB */
    static char big[2048];
    for (int i = 1; i <= N; i++) {
        int head = snprintf(big, sizeof(big), "{\"n\":%d,\"p\":\"", i);
        memset(big + head, 'x', sizeof(big) - (size_t)head - 3);
        memcpy(big + sizeof(big) - 3, "\"}", 3);
        publish(&F, "a:slow", big);
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int rcv = 64 * 1024, snd = 8 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)F.server.port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    CHECK(connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
    pump(&F); /* accepted */
    int server_fd = server_end_of(fd);
    CHECK(server_fd >= 0);
    setsockopt(server_fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd));
    static const char req[] = "GET /events?feed=a:slow HTTP/1.1\r\nHost: t\r\n\r\n";
    (void)!send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL);
    for (int i = 0; i < 100; i++) { /* not reading: the buffers fill, the replay pauses */
        uv_run(&F.loop, UV_RUN_NOWAIT);
        usleep(1000);
    }
    CHECK(F.store.pages < (N + 63) / 64); /* paused: not every page was read yet */
    static char acc[1024 * 1024];
    acc[0] = '\0';
    char last[32];
    snprintf(last, sizeof(last), "{\"n\":%d,", N);
    CHECK(read_until(&F, fd, last, acc, sizeof(acc)));
    CHECK_INT_EQ(edge_hub_stream_count(F.hub), 1); /* not dropped as too slow */
    for (int64_t id = 1; id <= N; id++)
        CHECK_INT_EQ(times_sent(acc, id), 1);
    close(fd);
    fx_close(&F);
}

/* A reconnect with Last-Event-ID gets only what came after it. */
static void test_replay_after_last_event_id(void)
{
    fx_open(&F, 1);
    publish(&F, "a:resume", "{\"n\":1}");
    publish(&F, "a:resume", "{\"n\":2}");
    edge_event e2 = newest(&F, "a:resume");
    publish(&F, "a:resume", "{\"n\":3}");
    int fd = open_stream(&F, "a:resume", e2.id);
    char acc[8192] = "";
    CHECK(read_until(&F, fd, "data: {\"n\":3}\n\n", acc, sizeof(acc)));
    CHECK(strstr(acc, "\"n\":1") == NULL);
    CHECK(strstr(acc, "\"n\":2") == NULL);
    edge_event_free(&e2);
    close(fd);
    fx_close(&F);
}

/* A client gone while its page is in flight: the page's call is cancelled
 * and the answer never touches the freed stream. */
static void test_close_while_page_in_flight_cancels(void)
{
    fx_open(&F, 0);
    publish(&F, "a:gone", "{\"n\":1}");
    F.store.hold_pages = 1;
    int fd = open_stream(&F, "a:gone", 0);
    char acc[4096] = "";
    CHECK(read_until(&F, fd, "retry: 3000", acc, sizeof(acc)));
    CHECK_INT_EQ(edge_hub_stream_count(F.hub), 1);
    close(fd);
    for (int i = 0; i < 2000 && edge_hub_stream_count(F.hub) > 0; i++) {
        uv_run(&F.loop, UV_RUN_NOWAIT);
        usleep(1000);
    }
    CHECK_INT_EQ(edge_hub_stream_count(F.hub), 0);
    CHECK_INT_EQ(F.store.cancels, 1);
    later_release(&F.store);
    pump(&F);
    fx_close(&F);
}

/* The store unreachable when the stream is asked for: 503 in the JSON
 * error shape with Retry-After, no stream; publishing says so at once. */
static void test_unavailable_at_once_is_503(void)
{
    fx_open(&F, 0);
    F.store.down = 1;
    CHECK_INT_EQ(edge_hub_publish(F.hub, "a:down", NULL, "note", "{}", T0, NULL),
                 EDGE_STORE_EUNAVAILABLE);
    int fd = open_stream(&F, "a:down", 0);
    char acc[4096] = "";
    CHECK(read_until(&F, fd, "}", acc, sizeof(acc)));
    CHECK(strncmp(acc, "HTTP/1.1 503", 12) == 0);
    CHECK(strstr(acc, "Retry-After: 1\r\n") != NULL);
    CHECK(strstr(acc, "{\"error\":\"store_unavailable\",\"message\":") != NULL);
    CHECK(strstr(acc, "text/event-stream") == NULL);
    CHECK_INT_EQ(edge_hub_stream_count(F.hub), 0);
    close(fd);
    fx_close(&F);
}

/* A page that fails later (the response has started): the stream ends
 * with the terminating chunk, so the client reconnects. */
static void test_unavailable_later_ends_the_stream(void)
{
    fx_open(&F, 0);
    F.store.fail_pages = 1;
    int fd = open_stream(&F, "a:later", 0);
    char acc[4096] = "";
    CHECK(read_until(&F, fd, "\r\n0\r\n\r\n", acc, sizeof(acc)));
    CHECK(strncmp(acc, "HTTP/1.1 200", 12) == 0);
    CHECK_INT_EQ(edge_hub_stream_count(F.hub), 0);
    close(fd);
    fx_close(&F);
}

/* Store lost: every stream ends, live or still replaying (its page is
 * cancelled). */
static void test_store_lost_ends_every_stream(void)
{
    fx_open(&F, 1);
    int live = open_stream(&F, "a:lost1", 0);
    char acc1[4096] = "", acc2[4096] = "";
    CHECK(read_until(&F, live, "retry: 3000", acc1, sizeof(acc1)));
    pump(&F); /* its empty page: live now */
    F.store.hold_pages = 1;
    int replaying = open_stream(&F, "a:lost2", 0);
    CHECK(read_until(&F, replaying, "retry: 3000", acc2, sizeof(acc2)));
    CHECK_INT_EQ(edge_hub_stream_count(F.hub), 2);
    edge_hub_store_lost(F.hub);
    CHECK_INT_EQ(edge_hub_stream_count(F.hub), 0);
    CHECK_INT_EQ(F.store.cancels, 1);
    CHECK(read_until(&F, live, "\r\n0\r\n\r\n", acc1, sizeof(acc1)));
    CHECK(read_until(&F, replaying, "\r\n0\r\n\r\n", acc2, sizeof(acc2)));
    close(live);
    close(replaying);
    fx_close(&F);
}

/* Publishes the store has not answered when the hub goes are cancelled. */
static void test_destroy_cancels_publishes_in_flight(void)
{
    fx_open(&F, 0);
    F.store.hold_adds = 1;
    CHECK_INT_EQ(edge_hub_publish(F.hub, "a:late", NULL, "note", "{}", T0, NULL), 0);
    CHECK(F.store.head != NULL); /* answers on a later turn */
    fx_close(&F);                /* checks nothing is left */
    CHECK_INT_EQ(F.store.cancels, 1);
}

int main(void)
{
    UNIT_RUN(test_replay_pages_then_live);
    UNIT_RUN(test_tail_during_replay_loses_nothing_twice_nothing);
    UNIT_RUN(test_replay_after_last_event_id);
    UNIT_RUN(test_replay_follows_a_slow_reader);
    UNIT_RUN(test_close_while_page_in_flight_cancels);
    UNIT_RUN(test_unavailable_at_once_is_503);
    UNIT_RUN(test_unavailable_later_ends_the_stream);
    UNIT_RUN(test_store_lost_ends_every_stream);
    UNIT_RUN(test_destroy_cancels_publishes_in_flight);
    return UNIT_DONE();
}
