/* test_redis_feed.c - event feeds in Redis Streams against a real
 * redis-server: ids across nodes, replay after an id, all-or-none batches,
 * live fan-out to a second node, Redis gone and back. */
#include "redis/redis_feed.h"
#include "server/redis/redis_server.h"
#include "unit.h"

static test_redis server;

static void pump(uv_loop_t *loop, unsigned ms)
{
    int never = 0;
    test_redis_run_until(loop, &never, ms);
}

/* What a node's live tail saw. */
typedef struct seen {
    int count;
    int64_t ids[256];
    char last_type[32], last_feed[64], last_data[64];
} seen;

static void on_live(void *ctx, const edge_redis_event *ev)
{
    seen *s = ctx;
    if (s->count < 256)
        s->ids[s->count] = ev->id;
    s->count++;
    snprintf(s->last_type, sizeof s->last_type, "%s", ev->type);
    snprintf(s->last_feed, sizeof s->last_feed, "%s", ev->feed_id);
    snprintf(s->last_data, sizeof s->last_data, "%s", ev->data_json);
}

typedef struct pub {
    edge_redis_publish call;
    int64_t ids[8];
    int fired, rc;
} pub;

static void on_pub(edge_redis_publish *call, int rc)
{
    pub *p = (pub *)call;
    p->fired++;
    p->rc = rc;
}

static int publish(edge_redis_feed *f, pub *p, const edge_redis_event_in *ev, size_t n)
{
    memset(p, 0, sizeof *p);
    p->call.done = on_pub;
    p->call.ids = p->ids;
    return edge_redis_feed_publish(f, &p->call, ev, n, 1700000000000, 1000);
}

typedef struct rep {
    edge_redis_replay call;
    int fired, rc, more, count;
    int64_t ids[16];
    char types[16][16];
    int64_t at;
} rep;

static void on_rep_event(edge_redis_replay *call, const edge_redis_event *ev)
{
    rep *r = (rep *)call;
    if (r->count < 16) {
        r->ids[r->count] = ev->id;
        snprintf(r->types[r->count], sizeof r->types[0], "%s", ev->type);
    }
    r->count++;
    r->at = ev->created_ms;
}

static void on_rep_done(edge_redis_replay *call, int rc, int more)
{
    rep *r = (rep *)call;
    r->fired++;
    r->rc = rc;
    r->more = more;
}

static int replay(edge_redis_feed *f, rep *r, const char *feed, int64_t after, unsigned cap)
{
    memset(r, 0, sizeof *r);
    r->call.event = on_rep_event;
    r->call.done = on_rep_done;
    return edge_redis_feed_replay(f, &r->call, feed, after, cap, 1000);
}

static edge_redis_addr addr_of_server(void)
{
    edge_redis_addr a = {.port = server.port, .db = 1};
    snprintf(a.host, sizeof a.host, "127.0.0.1");
    return a;
}

static void close_all(uv_loop_t *loop, edge_redis_feed *a, edge_redis_feed *b)
{
    edge_redis_feed_close(a);
    if (b)
        edge_redis_feed_close(b);
    uv_run(loop, UV_RUN_DEFAULT);
    CHECK_INT_EQ(uv_loop_close(loop), 0);
}

static void test_publish_and_replay(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    edge_redis_addr a = addr_of_server();
    edge_redis_feed_options o = {.prefix = "t1:"};
    edge_redis_feed *f = edge_redis_feed_open(&loop, &a, &o);
    edge_redis_event_in ev[3] = {{"cust-1", "contact-1", "message", "{\"n\":1}"},
                                 {"agent-1", "contact-1", "message", "{\"n\":1}"},
                                 {"cust-1", "contact-1", "typing", "{}"}};
    pub p;
    CHECK_INT_EQ(publish(f, &p, ev, 3), 0);
    CHECK_INT_EQ(test_redis_run_until(&loop, &p.fired, 2000), 0);
    CHECK_INT_EQ(p.rc, 0);
    CHECK(p.ids[0] > 0 && p.ids[1] == p.ids[0] + 1 && p.ids[2] == p.ids[1] + 1);

    rep r;
    CHECK_INT_EQ(replay(f, &r, "cust-1", 0, 100), 0);
    CHECK_INT_EQ(test_redis_run_until(&loop, &r.fired, 2000), 0);
    CHECK_INT_EQ(r.rc, 0);
    CHECK_INT_EQ(r.count, 2);
    CHECK_INT_EQ(r.ids[0], p.ids[0]);
    CHECK_INT_EQ(r.ids[1], p.ids[2]);
    CHECK_STR_EQ(r.types[1], "typing");
    CHECK_INT_EQ(r.at, 1700000000000);
    CHECK_INT_EQ(r.more, 0);

    /* strictly after an id; a page with more behind it */
    CHECK_INT_EQ(replay(f, &r, "cust-1", p.ids[0], 100), 0);
    CHECK_INT_EQ(test_redis_run_until(&loop, &r.fired, 2000), 0);
    CHECK_INT_EQ(r.count, 1);
    CHECK_INT_EQ(r.ids[0], p.ids[2]);
    CHECK_INT_EQ(replay(f, &r, "cust-1", 0, 1), 0);
    CHECK_INT_EQ(test_redis_run_until(&loop, &r.fired, 2000), 0);
    CHECK_INT_EQ(r.count, 1);
    CHECK_INT_EQ(r.more, 1);
    CHECK_INT_EQ(replay(f, &r, "nobody", 0, 10), 0);
    CHECK_INT_EQ(test_redis_run_until(&loop, &r.fired, 2000), 0);
    CHECK_INT_EQ(r.rc, 0);
    CHECK_INT_EQ(r.count, 0);

    CHECK_INT_EQ(replay(f, &r, "cust-1", -1, 10), EDGE_REDIS_EINVAL);
    CHECK_INT_EQ(replay(f, &r, "cust-1", 0, 0), EDGE_REDIS_EINVAL);
    CHECK_INT_EQ(publish(f, &p, ev, 0), EDGE_REDIS_EINVAL);
    close_all(&loop, f, NULL);
}

static void test_batch_all_or_none(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    edge_redis_addr a = addr_of_server();
    edge_redis_feed_options o = {.prefix = "t2:"};
    edge_redis_feed *f = edge_redis_feed_open(&loop, &a, &o);
    /* a key in the way of the second feed: the batch must not half-happen */
    edge_redis_event_in ev[2] = {{"good", "c", "message", "{}"}, {"bad", "c", "message", "{}"}};
    pub p;
    edge_redis_event_in first = {"bad", "c", "message", "{}"};
    CHECK_INT_EQ(publish(f, &p, &first, 1), 0); /* makes t2:feed:bad a stream */
    CHECK_INT_EQ(test_redis_run_until(&loop, &p.fired, 2000), 0);
    int64_t before = p.ids[0];
    /* replace it by a plain string through a raw connection */
    redisContext *c = redisConnect("127.0.0.1", server.port);
    redisReply *rr = redisCommand(c, "SELECT 1");
    freeReplyObject(rr);
    rr = redisCommand(c, "SET t2:feed:bad plain");
    freeReplyObject(rr);
    CHECK_INT_EQ(publish(f, &p, ev, 2), 0);
    CHECK_INT_EQ(test_redis_run_until(&loop, &p.fired, 2000), 0);
    CHECK_INT_EQ(p.rc, EDGE_REDIS_EREPLY);
    rep r;
    CHECK_INT_EQ(replay(f, &r, "good", 0, 10), 0);
    CHECK_INT_EQ(test_redis_run_until(&loop, &r.fired, 2000), 0);
    CHECK_INT_EQ(r.count, 0);
    rr = redisCommand(c, "GET t2:seq");
    CHECK(rr && rr->type == REDIS_REPLY_STRING && strtoll(rr->str, NULL, 10) == before);
    freeReplyObject(rr);
    redisFree(c);
    close_all(&loop, f, NULL);
}

static void test_live_across_nodes(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    edge_redis_addr a = addr_of_server();
    seen on_a = {0}, on_b = {0};
    edge_redis_feed_options oa = {
        .prefix = "t3:", .live = on_live, .live_ctx = &on_a, .block_ms = 200};
    edge_redis_feed_options ob = {
        .prefix = "t3:", .live = on_live, .live_ctx = &on_b, .block_ms = 200};
    edge_redis_feed *node_a = edge_redis_feed_open(&loop, &a, &oa);
    edge_redis_feed *node_b = edge_redis_feed_open(&loop, &a, &ob);
    pump(&loop, 100); /* both tails have their cursor */
    enum { N = 100 };
    static pub p[N];
    for (int i = 0; i < N; i++) {
        edge_redis_event_in ev = {i % 2 ? "agent-9" : "cust-9", "contact-9", "message",
                                  i == N - 1 ? "{\"last\":true}" : "{}"};
        CHECK_INT_EQ(publish(node_a, &p[i], &ev, 1), 0);
    }
    for (int i = 0; i < 300 && on_b.count < N; i++)
        pump(&loop, 10);
    CHECK_INT_EQ(on_b.count, N);
    CHECK_INT_EQ(on_a.count, N);
    int ordered = 1;
    for (int i = 0; i < N; i++)
        ordered &= on_b.ids[i] == p[i].ids[0] && on_a.ids[i] == p[i].ids[0];
    CHECK(ordered);
    CHECK_STR_EQ(on_b.last_feed, "agent-9");
    CHECK_STR_EQ(on_b.last_data, "{\"last\":true}");

    /* Redis gone: publishing fails fast; back: the tails go on */
    test_redis_kill(&server);
    pump(&loop, 100);
    pub down;
    edge_redis_event_in ev = {"cust-9", "contact-9", "message", "{}"};
    CHECK_INT_EQ(publish(node_a, &down, &ev, 1), 0);
    CHECK_INT_EQ(test_redis_run_until(&loop, &down.fired, 1000), 0);
    CHECK_INT_EQ(down.rc, EDGE_REDIS_EDOWN);
    CHECK_INT_EQ(test_redis_start(&server), 0);
    int before = on_b.count;
    pub up;
    memset(&up, 0, sizeof up);
    for (int i = 0; i < 300 && !(up.fired && up.rc == 0); i++) {
        pump(&loop, 20);
        if (i % 10 == 9)
            publish(node_a, &up, &ev, 1);
    }
    CHECK_INT_EQ(up.rc, 0);
    for (int i = 0; i < 300 && on_b.count == before; i++)
        pump(&loop, 10);
    CHECK(on_b.count > before);
    CHECK_INT_EQ(on_b.ids[(on_b.count - 1) % 256], up.ids[0]);
    close_all(&loop, node_a, node_b);
}

int main(void)
{
    if (test_redis_begin(&server) != 0)
        return 1;
    UNIT_RUN(test_publish_and_replay);
    UNIT_RUN(test_batch_all_or_none);
    UNIT_RUN(test_live_across_nodes);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
