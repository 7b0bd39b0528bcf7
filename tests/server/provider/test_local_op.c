/* test_local_op.c - the local provider's ops as chains of asynchronous
 * store steps (provider/local_op.h) on a store that answers on later loop
 * turns: the Redis backend on a real redis-server. An op is pending after
 * its start call and completes once the chain has run; a cancel at any
 * point of the chain means no callback, ever; destroying the provider
 * with chains in flight cancels them; an op the backend does not
 * implement completes with EDGE_STORE_ENOTSUP. ASan proves nothing leaks
 * and nothing is touched after a cancel. (The provider still publishes
 * through the synchronous store, a SQLite one here.) */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "events/hub.h"
#include "provider/provider.h"
#include "server/redis/redis_server.h"
#include "store/store_async.h"
#include "store_redis/store_redis.h"
#include "unit.h"

#define T0 1700000000000LL

static test_redis server;

typedef struct fx {
    uv_loop_t loop;
    char dir[64];
    edge_store *sync;
    edge_store_async *redis;
    edge_hub *hub;
    edge_ptoken_key key;
    edge_provider *p;
} fx;

typedef struct waiter {
    edge_provider_call c; /* first */
    int fired;
} waiter;

static void on_done(edge_provider_call *c)
{
    ((waiter *)c)->fired++;
}

static void waiter_init(waiter *w)
{
    memset(w, 0, sizeof(*w));
    w->c.done = on_done;
    w->c.now_ms = T0;
    w->c.deadline_ms = T0 + 5000;
}

static void fx_open(fx *f)
{
    memset(f, 0, sizeof(*f));
    uv_loop_init(&f->loop);
    snprintf(f->dir, sizeof(f->dir), "/tmp/c2c-localop-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        abort();
    char err[256] = "";
    f->sync = edge_store_open_sqlite(f->dir, err, sizeof(err));
    edge_redis_addr addr = {.host = "127.0.0.1", .port = server.port};
    edge_store_redis_options o = {.prefix = "localop:"};
    f->redis = edge_store_redis_open(&f->loop, &addr, &o);
    if (f->sync == NULL || f->redis == NULL)
        abort();
    f->hub = edge_hub_create(&f->loop, f->sync, 15000, 64, 0);
    memset(&f->key, 7, sizeof(f->key));
    edge_local_settings settings;
    memset(&settings, 0, sizeof(settings));
    f->p = edge_provider_local_create(f->sync, f->redis, f->hub, &f->key, &settings, T0);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void fx_close(fx *f)
{
    if (f->p != NULL)
        f->p->ops->destroy(f->p);
    edge_hub_destroy(f->hub);
    edge_store_async_close(f->redis);
    edge_store_close(f->sync);
    for (int i = 0; i < 10; i++) /* closing handles finish on later turns */
        uv_run(&f->loop, UV_RUN_NOWAIT);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    uv_loop_close(&f->loop);
    nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Pump the loop until w fired (or 5 s). */
static void wait_for(fx *f, waiter *w)
{
    uv_update_time(&f->loop);
    uint64_t end = uv_now(&f->loop) + 5000;
    while (w->fired == 0 && uv_now(&f->loop) < end) {
        uv_run(&f->loop, UV_RUN_ONCE);
        uv_update_time(&f->loop);
    }
}

/* availability is two store steps (agents available, queue depth). */
static void test_pending_then_done(void)
{
    fx f;
    fx_open(&f);
    waiter w;
    waiter_init(&w);
    edge_availability av = {.agents_available = -1, .queue_depth = 99};
    f.p->ops->availability(f.p, &w.c, "", &av);
    CHECK_INT_EQ(w.fired, 0); /* Redis answers on a later turn */
    wait_for(&f, &w);
    CHECK_INT_EQ(w.fired, 1);
    CHECK_INT_EQ(w.c.rc, 0);
    CHECK_INT_EQ(av.agents_available, 0);
    CHECK_INT_EQ(av.queue_depth, 0);
    fx_close(&f);
}

/* Cancelled after 0, 1, 2... loop turns: never a callback; a later op on
 * the same provider still completes. */
static void test_cancel_anywhere(void)
{
    fx f;
    fx_open(&f);
    int cancelled = 0;
    for (int turns = 0; turns < 6; turns++) {
        waiter w;
        waiter_init(&w);
        edge_availability av;
        f.p->ops->availability(f.p, &w.c, "", &av);
        for (int i = 0; i < turns && w.fired == 0; i++)
            uv_run(&f.loop, UV_RUN_ONCE);
        int was_cancelled = w.fired == 0;
        if (was_cancelled) {
            edge_provider_cancel(f.p, &w.c);
            cancelled++;
        }
        waiter after;
        waiter_init(&after);
        edge_availability av2;
        f.p->ops->availability(f.p, &after.c, "", &av2);
        wait_for(&f, &after);
        CHECK_INT_EQ(after.fired, 1);
        CHECK_INT_EQ(after.c.rc, 0);
        /* cancelled: still silent after the next op's answers came */
        CHECK_INT_EQ(w.fired, was_cancelled ? 0 : 1);
    }
    CHECK(cancelled >= 1);
    fx_close(&f);
}

/* Destroying the provider cancels the chains in flight. */
static void test_destroy_cancels(void)
{
    fx f;
    fx_open(&f);
    waiter w[3];
    edge_availability av[3];
    for (int i = 0; i < 3; i++) {
        waiter_init(&w[i]);
        f.p->ops->availability(f.p, &w[i].c, "", &av[i]);
    }
    f.p->ops->destroy(f.p);
    f.p = NULL;
    for (int i = 0; i < 20; i++)
        uv_run(&f.loop, UV_RUN_NOWAIT);
    for (int i = 0; i < 3; i++)
        CHECK_INT_EQ(w[i].fired, 0);
    fx_close(&f);
}

typedef struct store_waiter {
    edge_store_call c; /* first */
    int fired;
} store_waiter;

static void on_store_done(edge_store_call *c)
{
    ((store_waiter *)c)->fired++;
}

/* Run a store op on f's Redis store and wait: its rc. */
#define STORE_RUN(f, op, ...)                                                                      \
    ({                                                                                             \
        store_waiter sw_ = {.c = {.done = on_store_done, .now_ms = T0, .deadline_ms = T0 + 5000}}; \
        EDGE_STORE_ASYNC((f)->redis, op, &sw_.c, __VA_ARGS__);                                     \
        uv_update_time(&(f)->loop);                                                                \
        uint64_t end_ = uv_now(&(f)->loop) + 5000;                                                 \
        while (sw_.fired == 0 && uv_now(&(f)->loop) < end_) {                                      \
            uv_run(&(f)->loop, UV_RUN_ONCE);                                                       \
            uv_update_time(&(f)->loop);                                                            \
        }                                                                                          \
        sw_.fired == 1 ? sw_.c.rc : -999;                                                          \
    })

/* The hand-over of a transfer is not in the Redis backend yet: a chain
 * that reaches it (target, contact read, then the transfer) says so. */
static void test_not_supported(void)
{
    fx f;
    fx_open(&f);
    edge_chat_start in = {.sub = "cust", .name = "Cust", .email = "c@example.test",
                          .display_name = "Cust"};
    edge_contact contact;
    edge_participant customer, agent_part;
    int resumed = 0;
    CHECK_INT_EQ(STORE_RUN(&f, chat_start, &in, &contact, &customer, &resumed), 0);
    CHECK_INT_EQ(STORE_RUN(&f, contact_accept, contact.id, "agent-1", "One", &agent_part), 0);
    waiter w;
    waiter_init(&w);
    edge_identity agent;
    memset(&agent, 0, sizeof(agent));
    strcpy(agent.sub, "agent-1");
    f.p->ops->agent_transfer(f.p, &w.c, &agent, contact.id, "billing", NULL);
    CHECK_INT_EQ(w.fired, 0);
    wait_for(&f, &w);
    CHECK_INT_EQ(w.fired, 1);
    CHECK_INT_EQ(w.c.rc, EDGE_STORE_ENOTSUP);
    edge_contact_free(&contact);
    fx_close(&f);
}

int main(void)
{
    if (test_redis_start(&server) != 0) {
        fprintf(stderr, "cannot start redis-server\n");
        return 1;
    }
    UNIT_RUN(test_pending_then_done);
    UNIT_RUN(test_cancel_anywhere);
    UNIT_RUN(test_destroy_cancels);
    UNIT_RUN(test_not_supported);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
