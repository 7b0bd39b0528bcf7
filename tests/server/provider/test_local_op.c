/* test_local_op.c - the local provider's ops as chains of asynchronous
 * store steps (provider/local_op.h) on a store that answers on later loop
 * turns: the Redis backend on a real redis-server. An op is pending after
 * its start call and completes once the chain has run; a cancel at any
 * point of the chain means no callback, ever; destroying the provider
 * with chains in flight cancels them; results are written for the caller
 * when done fires. ASan proves nothing leaks
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
    edge_store_async *hub_store; /* TEMPORARY until branch rhub: the hub on SQLite */
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
    edge_hub_options ho = {.heartbeat_ms = 15000, .max_queued = 64};
    f->hub_store = edge_store_async_sqlite(f->sync); /* TEMPORARY until branch rhub */
    f->hub = edge_hub_create(&f->loop, f->hub_store, &ho);
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
    edge_store_async_close(f->hub_store);
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

/* Results are the caller's once done fires: a canned response added and
 * listed through the provider, each answered on a later turn. */
static void test_results_on_later_turns(void)
{
    fx f;
    fx_open(&f);
    edge_identity agent;
    memset(&agent, 0, sizeof(agent));
    strcpy(agent.sub, "agent-1");
    waiter w;
    waiter_init(&w);
    edge_canned added, list[4];
    memset(&added, 0, sizeof(added));
    f.p->ops->agent_canned_add(f.p, &w.c, &agent, "Hi", "Hello there", &added);
    CHECK_INT_EQ(w.fired, 0);
    wait_for(&f, &w);
    CHECK_INT_EQ(w.c.rc, 0);
    CHECK_STR_EQ(added.title, "Hi");
    waiter_init(&w);
    size_t count = 9, shared = 9;
    f.p->ops->agent_canned(f.p, &w.c, &agent, list, 4, &count, &shared);
    CHECK_INT_EQ(w.fired, 0);
    wait_for(&f, &w);
    CHECK_INT_EQ(w.c.rc, 0);
    CHECK_INT_EQ(shared, 0); /* no --canned file */
    CHECK_INT_EQ(count, 1);
    if (count == 1) {
        CHECK_STR_EQ(list[0].id, added.id);
        CHECK_STR_EQ(list[0].content, "Hello there");
    }
    for (size_t i = 0; i < count && i < 4; i++)
        edge_canned_free(&list[i]);
    edge_canned_free(&added);
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
    UNIT_RUN(test_results_on_later_turns);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
