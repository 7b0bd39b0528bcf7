/* test_redis_timers.c - due-times claimed exactly once by racing nodes,
 * against a real redis-server. */
#include "redis/redis_timers.h"
#include "server/redis/redis_server.h"
#include "unit.h"

static test_redis server;

typedef struct simple {
    edge_redis_cmd cmd;
    int fired, rc;
} simple;

static void on_simple(edge_redis_cmd *cmd, int rc, const redisReply *reply)
{
    simple *s = (simple *)cmd;
    s->fired++;
    s->rc = rc;
}

/* What one node claimed. */
typedef struct node_claim {
    edge_redis_claim c;
    int fired, rc, n;
    char names[64][32];
    int64_t due[64];
    int *owner_count; /* per timer index, shared by the nodes */
} node_claim;

static void on_one(edge_redis_claim *c, const char *name, int64_t due_ms)
{
    node_claim *nc = (node_claim *)c;
    if (nc->n < 64) {
        snprintf(nc->names[nc->n], sizeof nc->names[0], "%s", name);
        nc->due[nc->n] = due_ms;
    }
    nc->n++;
    int idx = atoi(name + 5); /* "ring:<i>" */
    if (nc->owner_count && idx >= 0 && idx < 100)
        nc->owner_count[idx]++;
}

static void on_claim_done(edge_redis_claim *c, int rc)
{
    node_claim *nc = (node_claim *)c;
    nc->fired++;
    nc->rc = rc;
}

static int claim(edge_redis_timers *t, node_claim *nc, int *owners, int64_t now, unsigned max)
{
    memset(nc, 0, sizeof *nc);
    nc->c.claimed = on_one;
    nc->c.done = on_claim_done;
    nc->owner_count = owners;
    return edge_redis_timers_claim(t, &nc->c, now, max, 1000);
}

typedef struct node {
    edge_redis_script script;
    edge_redis *r;
    edge_redis_timers *t;
} node;

static void node_open(node *n, uv_loop_t *loop)
{
    edge_redis_addr a = {.port = server.port, .db = 2};
    snprintf(a.host, sizeof a.host, "127.0.0.1");
    edge_redis_timers_script_init(&n->script);
    n->r = edge_redis_open(loop, &a, NULL, &n->script, 1);
    n->t = edge_redis_timers_create(n->r, &n->script, "tt:");
}

static void node_close(node *n)
{
    edge_redis_timers_destroy(n->t);
    edge_redis_close(n->r);
}

static void test_claimed_once_across_nodes(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    node a, b;
    node_open(&a, &loop);
    node_open(&b, &loop);
    enum { N = 60 };
    static simple set[N];
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "ring:%d", i);
        set[i].cmd.done = on_simple;
        /* 0..49 due by 1000, 50..59 later */
        CHECK_INT_EQ(edge_redis_timer_set(i % 2 ? a.t : b.t, &set[i].cmd, name,
                                          i < 50 ? 100 + i * 10 : 5000 + i, 1000),
                     0);
    }
    CHECK_INT_EQ(test_redis_run_until(&loop, &set[N - 1].fired, 2000), 0);

    /* both nodes race, 7 at a time, until nothing due is left */
    int owners[100] = {0}, total = 0;
    for (int round = 0; round < 20; round++) {
        node_claim ca, cb;
        claim(a.t, &ca, owners, 1000, 7);
        claim(b.t, &cb, owners, 1000, 7);
        test_redis_run_until(&loop, &cb.fired, 2000);
        test_redis_run_until(&loop, &ca.fired, 2000);
        CHECK_INT_EQ(ca.rc, 0);
        CHECK_INT_EQ(cb.rc, 0);
        CHECK(ca.n <= 7 && cb.n <= 7);
        total += ca.n + cb.n;
        if (ca.n + cb.n == 0)
            break;
    }
    CHECK_INT_EQ(total, 50);
    int once = 1;
    for (int i = 0; i < N; i++)
        once &= owners[i] == (i < 50 ? 1 : 0);
    CHECK(once);

    /* earliest first; a set moves a timer; a cancel removes one */
    simple mv = {.cmd.done = on_simple}, cancel = {.cmd.done = on_simple};
    edge_redis_timer_set(a.t, &mv.cmd, "ring:59", 2000, 1000);
    edge_redis_timer_cancel(a.t, &cancel.cmd, "ring:58", 1000);
    test_redis_run_until(&loop, &cancel.fired, 2000);
    node_claim c;
    claim(b.t, &c, NULL, 6000, 10);
    test_redis_run_until(&loop, &c.fired, 2000);
    CHECK_INT_EQ(c.n, 9);
    CHECK_STR_EQ(c.names[0], "ring:59");
    CHECK_INT_EQ(c.due[0], 2000);
    CHECK_STR_EQ(c.names[1], "ring:50");
    int no58 = 1;
    for (int i = 0; i < c.n && i < 64; i++)
        no58 &= strcmp(c.names[i], "ring:58") != 0;
    CHECK(no58);

    simple bad = {.cmd.done = on_simple};
    CHECK_INT_EQ(edge_redis_timer_set(a.t, &bad.cmd, "", 1, 1000), EDGE_REDIS_EINVAL);
    CHECK_INT_EQ(claim(a.t, &c, NULL, 1, 0), EDGE_REDIS_EINVAL);
    node_close(&a);
    node_close(&b);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT_EQ(uv_loop_close(&loop), 0);
}

int main(void)
{
    if (test_redis_begin(&server) != 0)
        return 1;
    UNIT_RUN(test_claimed_once_across_nodes);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
