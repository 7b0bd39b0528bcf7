/* test_hub_redis.c - two edge "nodes" on one loop, each with its own hub
 * (live_from_feed), Redis store, fan-out tail and HTTP server, sharing a
 * real redis-server: an event published on node A reaches a stream held
 * by node B through B's tail, once; a reconnect to A with Last-Event-ID
 * is replayed exactly what came after it, then continues live; with Redis
 * gone, open streams end (edge_hub_store_lost, as the store's state
 * callback calls it) and a new stream is 503 store_unavailable at once;
 * with Redis back, streams work again. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "events/hub.h"
#include "net/server.h"
#include "redis/redis_feed.h"
#include "server/events/sse_client.h"
#include "server/redis/redis_server.h"
#include "store_redis/store_redis.h"
#include "unit.h"

#define T0 1700000000000LL

static test_redis redis;
static uv_loop_t loop;

typedef struct node {
    edge_store_async *store;
    edge_redis_feed *feed;
    edge_hub *hub;
    edge_config cfg;
    edge_server server;
    int stopped;
    int up; /* the store's connection */
} node;

static node A, B;

/* The fan-out tail: every event published by any node. */
static void on_live(void *ctx, const edge_redis_event *ev)
{
    node *n = ctx;
    edge_event e = {.id = ev->id, .data_json = (char *)ev->data_json};
    snprintf(e.participant_id, sizeof(e.participant_id), "%s", ev->feed_id);
    snprintf(e.contact_id, sizeof(e.contact_id), "%s", ev->contact_id);
    snprintf(e.type, sizeof(e.type), "%s", ev->type);
    edge_hub_deliver(n->hub, &e);
}

static void on_state(void *opaque, int up)
{
    node *n = opaque;
    n->up = up;
    if (!up)
        edge_hub_store_lost(n->hub);
}

static void node_open(node *n)
{
    memset(n, 0, sizeof(*n));
    edge_redis_addr addr = {.host = "127.0.0.1", .port = redis.port};
    edge_store_redis_options so = {.prefix = "hubr:", .on_state = on_state, .state_opaque = n};
    n->store = edge_store_redis_open(&loop, &addr, &so);
    edge_redis_feed_options fo = {
        .prefix = "hubr:", .block_ms = 200, .live = on_live, .live_ctx = n};
    n->feed = edge_redis_feed_open(&loop, &addr, &fo);
    edge_hub_options ho = {.heartbeat_ms = 60000, .max_queued = 64 * 1024, .live_from_feed = 1};
    n->hub = edge_hub_create(&loop, n->store, &ho);
    edge_config_init(&n->cfg);
    n->cfg.listen_port = 0;
    n->cfg.shutdown_grace_ms = 1000;
    edge_server_hooks hooks = {edge_test_hub_handle, NULL, n->hub, NULL};
    char err[256];
    if (n->store == NULL || n->feed == NULL ||
        edge_server_start(&n->server, &loop, &n->cfg, &hooks, err, sizeof(err)) < 0)
        abort();
}

static void on_stopped(edge_server *s)
{
    ((node *)((char *)s - offsetof(node, server)))->stopped = 1;
}

static void node_close(node *n)
{
    edge_server_shutdown(&n->server, on_stopped);
    test_redis_run_until(&loop, &n->stopped, 3000);
    edge_hub_destroy(n->hub);
    edge_redis_feed_close(n->feed);
    edge_store_async_close(n->store);
    edge_config_free(&n->cfg);
}

/* Run the loop for about ms. */
static void pump(unsigned ms)
{
    int never = 0;
    uv_update_time(&loop);
    test_redis_run_until(&loop, &never, ms);
}

static int read_until(int fd, const char *needle, char *acc, size_t cap)
{
    return edge_test_sse_read_until(&loop, fd, needle, acc, cap, 3000);
}

/* The id of the frame whose data is data in acc (0 when absent). */
static int64_t id_of(const char *acc, const char *data)
{
    char needle[128];
    snprintf(needle, sizeof(needle), "data: %s\n", data);
    const char *d = strstr(acc, needle);
    const char *id = NULL;
    for (const char *p = strstr(acc, "id: "); p && p < d; p = strstr(p + 1, "id: "))
        id = p;
    return d && id ? strtoll(id + 4, NULL, 10) : 0;
}

static void test_published_on_a_reaches_b_and_replays_on_a(void)
{
    int on_b = edge_test_sse_open(B.server.port, "a:cross", 0);
    static char acc[16384];
    acc[0] = '\0';
    CHECK(read_until(on_b, "retry: 3000", acc, sizeof(acc)));
    pump(50); /* the empty replay, then live */
    CHECK_INT_EQ(edge_hub_publish(A.hub, "a:cross", NULL, "note", "{\"n\":1}", T0, NULL), 0);
    CHECK_INT_EQ(edge_hub_publish(A.hub, "a:cross", NULL, "note", "{\"n\":2}", T0, NULL), 0);
    CHECK_INT_EQ(edge_hub_publish(A.hub, "a:cross", NULL, "note", "{\"n\":3}", T0, NULL), 0);
    CHECK(read_until(on_b, "data: {\"n\":3}\n\n", acc, sizeof(acc)));
    int64_t id1 = id_of(acc, "{\"n\":1}"), id3 = id_of(acc, "{\"n\":3}");
    CHECK(id1 > 0 && id3 > id1);
    for (int64_t id = id1; id <= id3; id++)
        CHECK_INT_EQ(edge_test_sse_times_sent(acc, id), 1);
    close(on_b);

    /* the client comes back to A after event 1: 2 and 3, then live from B */
    int on_a = edge_test_sse_open(A.server.port, "a:cross", id1);
    static char acc2[16384];
    acc2[0] = '\0';
    CHECK(read_until(on_a, "data: {\"n\":3}\n\n", acc2, sizeof(acc2)));
    CHECK(strstr(acc2, "{\"n\":1}") == NULL);
    CHECK_INT_EQ(edge_hub_publish(B.hub, "a:cross", NULL, "note", "{\"n\":4}", T0, NULL), 0);
    CHECK(read_until(on_a, "data: {\"n\":4}\n\n", acc2, sizeof(acc2)));
    for (int64_t id = id1 + 1; id <= id3 + 1; id++)
        CHECK_INT_EQ(edge_test_sse_times_sent(acc2, id), 1);
    close(on_a);
}

static void test_redis_lost_ends_streams_503_then_back(void)
{
    int on_b = edge_test_sse_open(B.server.port, "a:lost", 0);
    char acc[8192] = "";
    CHECK(read_until(on_b, "retry: 3000", acc, sizeof(acc)));
    pump(50);
    CHECK_INT_EQ(edge_hub_stream_count(B.hub), 1);
    test_redis_kill(&redis);
    CHECK(read_until(on_b, "\r\n0\r\n\r\n", acc, sizeof(acc))); /* ended: reconnect */
    CHECK_INT_EQ(edge_hub_stream_count(B.hub), 0);
    close(on_b);
    for (int i = 0; i < 100 && B.up; i++)
        pump(20);
    int again = edge_test_sse_open(B.server.port, "a:lost", 0);
    char acc2[4096] = "";
    CHECK(read_until(again, "}", acc2, sizeof(acc2)));
    CHECK(strncmp(acc2, "HTTP/1.1 503", 12) == 0);
    CHECK(strstr(acc2, "\"error\":\"store_unavailable\"") != NULL);
    CHECK(strstr(acc2, "Retry-After: 1\r\n") != NULL);
    close(again);

    CHECK_INT_EQ(test_redis_start(&redis), 0);
    for (int i = 0; i < 300 && !(A.up && B.up); i++)
        pump(20);
    CHECK(A.up && B.up);
    int back = edge_test_sse_open(B.server.port, "a:lost", 0);
    char acc3[8192] = "";
    CHECK(read_until(back, "retry: 3000", acc3, sizeof(acc3)));
    CHECK(strncmp(acc3, "HTTP/1.1 200", 12) == 0);
    pump(300); /* the tails reconnect too */
    CHECK_INT_EQ(edge_hub_publish(A.hub, "a:lost", NULL, "note", "{\"back\":1}", T0, NULL), 0);
    CHECK(read_until(back, "data: {\"back\":1}\n\n", acc3, sizeof(acc3)));
    close(back);
}

int main(void)
{
    if (test_redis_begin(&redis) != 0)
        return 1;
    uv_loop_init(&loop);
    node_open(&A);
    node_open(&B);
    for (int i = 0; i < 100 && !(A.up && B.up); i++)
        pump(20);
    pump(100); /* the tails have their cursors */
    UNIT_RUN(test_published_on_a_reaches_b_and_replays_on_a);
    UNIT_RUN(test_redis_lost_ends_streams_503_then_back);
    node_close(&A);
    node_close(&B);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    test_redis_cleanup(&redis);
    return UNIT_DONE();
}
