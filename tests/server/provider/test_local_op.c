/* test_local_op.c - the local provider's ops as chains of asynchronous
 * store steps (provider/local_op.h) on a store that answers on later loop
 * turns: the Redis backend on a real redis-server. An op is pending after
 * its start call and completes once the chain has run; a cancel at any
 * point of the chain means no callback, ever; destroying the provider
 * with chains in flight cancels them; results are written for the caller
 * when done fires; participant_auth reads the participant and its contact
 * on later turns and answers EUNAVAILABLE once the store is gone; the SIP
 * bridge's hooks (provider/bridge.h) answer on later turns too. ASan
 * proves nothing leaks and nothing is touched after a cancel. (The provider still publishes
 * through the synchronous store, a SQLite one here.) */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "events/hub.h"
#include "provider/bridge.h"
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
    edge_store_async *async_sync; /* the hub's: sync behind the asynchronous interface */
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
    f->async_sync = edge_store_async_sqlite(f->sync);
    edge_hub_options ho = {.heartbeat_ms = 15000, .max_queued = 64};
    f->hub = edge_hub_create(&f->loop, f->async_sync, &ho);
    memset(&f->key, 7, sizeof(f->key));
    edge_local_settings settings;
    memset(&settings, 0, sizeof(settings));
    f->p = edge_provider_local_create(f->redis, f->hub, &f->key, &settings, T0);
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
    edge_store_async_close(f->async_sync);
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

/* The SIP bridge's hooks on a store that answers later: the dial rate
 * (the second dial of a 1-per-minute rate is refused, with the limit
 * named), the call's creation (out and far_id written when done fires,
 * not before), "has it ended?" before and after the end job, and a
 * creation cancelled in flight never calls back. */
static void test_bridge_hooks(void)
{
    fx f;
    fx_open(&f);
    f.p->ops->destroy(f.p);
    edge_local_settings settings;
    memset(&settings, 0, sizeof(settings));
    settings.limits.dials = (edge_rate){.max = 1, .window_ms = 60000};
    f.p = edge_provider_local_create(f.redis, f.hub, &f.key, &settings, T0);
    edge_identity who;
    memset(&who, 0, sizeof(who));
    strcpy(who.sub, "caller-1");
    strcpy(who.name, "Cal");

    waiter w;
    waiter_init(&w);
    edge_local_bridge_admit(f.p, &w.c, &who);
    CHECK_INT_EQ(w.fired, 0);
    wait_for(&f, &w);
    CHECK_INT_EQ(w.c.rc, 0);
    waiter_init(&w);
    edge_local_bridge_admit(f.p, &w.c, &who);
    wait_for(&f, &w);
    CHECK_INT_EQ(w.c.rc, EDGE_STORE_ELIMITED);
    CHECK(w.c.limited.limit != NULL && strcmp(w.c.limited.limit, "dials") == 0);

    edge_call_request req = {"+15555550100", "", NULL};
    edge_call_started out;
    char far_id[EDGE_STORE_ID_MAX] = "";
    waiter_init(&w);
    edge_local_bridge_create(f.p, &w.c, &who, &req, "SIP", &out, far_id);
    CHECK_INT_EQ(w.fired, 0);
    CHECK_STR_EQ(far_id, ""); /* written just before done */
    wait_for(&f, &w);
    CHECK_INT_EQ(w.c.rc, 0);
    CHECK_STR_EQ(out.bridge, "SIP");
    CHECK(out.contact_id[0] != '\0' && out.participant_token[0] != '\0' && far_id[0] != '\0');

    int ended = -1;
    waiter_init(&w);
    edge_local_bridge_ended(f.p, &w.c, out.contact_id, &ended);
    wait_for(&f, &w);
    CHECK_INT_EQ(w.c.rc, 0);
    CHECK_INT_EQ(ended, 0);
    edge_local_bridge_end(f.p, out.contact_id, "far_end_hangup", "SIP", 0, T0); /* a job */
    waiter_init(&w);
    edge_local_bridge_ended(f.p, &w.c, out.contact_id, &ended); /* answered after the job's */
    wait_for(&f, &w);
    CHECK_INT_EQ(w.c.rc, 0);
    CHECK_INT_EQ(ended, 1);

    edge_call_started out2;
    char far2[EDGE_STORE_ID_MAX] = "";
    waiter_init(&w);
    edge_local_bridge_create(f.p, &w.c, &who, &req, "SIP", &out2, far2);
    uv_run(&f.loop, UV_RUN_ONCE);
    edge_local_bridge_cancel(f.p, &w.c);
    for (int i = 0; i < 20; i++)
        uv_run(&f.loop, UV_RUN_NOWAIT);
    CHECK_INT_EQ(w.fired, 0);
    CHECK_STR_EQ(far2, "");
    fx_close(&f);
}

/* A store op's answer, waited for on the loop. */
typedef struct store_waiter {
    edge_store_call c; /* first */
    int fired;
} store_waiter;

static void on_store_done(edge_store_call *c)
{
    ((store_waiter *)c)->fired = 1;
}

static int store_wait(fx *f, store_waiter *w)
{
    uv_update_time(&f->loop);
    test_redis_run_until(&f->loop, &w->fired, 5000);
    return w->fired ? w->c.rc : -999;
}

static void store_waiter_init(store_waiter *w)
{
    memset(w, 0, sizeof(*w));
    w->c.done = on_store_done;
    w->c.now_ms = T0;
    w->c.deadline_ms = T0 + 5000;
}

/* participant_auth on token at T0: the call's rc after it completed (-999
 * when it did not), *inline whether it completed inside the start call. */
static int auth(fx *f, const char *token, edge_participant *who, int *inline_done)
{
    waiter w;
    waiter_init(&w);
    memset(who, 0, sizeof(*who));
    f->p->ops->participant_auth(f->p, &w.c, token, strlen(token), EDGE_PARTICIPANT_LIVE, who);
    *inline_done = w.fired;
    wait_for(f, &w);
    return w.fired == 1 ? w.c.rc : -999;
}

/* The token of a chat's customer, checked against the store on later
 * turns: good while the chat is open, refused once it ended (no transcript
 * grace here) or for a participant the store does not hold (purged); a
 * forged token is refused before any store op. Last, the store goes away:
 * EUNAVAILABLE (the route's 503). Leaves redis-server killed. */
static void test_participant_auth(void)
{
    fx f;
    fx_open(&f);
    store_waiter sw;
    store_waiter_init(&sw);
    edge_chat_start in = {.sub = "cust-1", .name = "Carol", .email = "c@example.com",
                          .display_name = "Carol"};
    edge_contact contact;
    edge_participant customer, who;
    int resumed = 0, inline_done = 0;
    EDGE_STORE_ASYNC(f.redis, chat_start, &sw.c, &in, &contact, &customer, &resumed);
    CHECK_INT_EQ(store_wait(&f, &sw), 0);
    char token[EDGE_PTOKEN_MAX], ghost[EDGE_PTOKEN_MAX];
    CHECK_INT_EQ(edge_ptoken_make(&f.key, customer.id, token, sizeof(token)), 0);
    CHECK_INT_EQ(edge_ptoken_make(&f.key, "p-never-stored", ghost, sizeof(ghost)), 0);

    CHECK_INT_EQ(auth(&f, token, &who, &inline_done), 0);
    CHECK_INT_EQ(inline_done, 0); /* two store steps, answered later */
    CHECK_STR_EQ(who.id, customer.id);
    CHECK_STR_EQ(who.contact_id, contact.id);

    CHECK_INT_EQ(auth(&f, "forged.token", &who, &inline_done), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(inline_done, 1); /* the HMAC, before any store op */
    CHECK_INT_EQ(auth(&f, ghost, &who, &inline_done), EDGE_STORE_ENOTFOUND);
    CHECK_STR_EQ(who.id, ""); /* nothing written on a refusal */

    store_waiter_init(&sw);
    EDGE_STORE_ASYNC(f.redis, contact_end, &sw.c, contact.id, "customer_left");
    CHECK_INT_EQ(store_wait(&f, &sw), 0);
    CHECK_INT_EQ(auth(&f, token, &who, &inline_done), EDGE_STORE_ENOTFOUND);
    CHECK_STR_EQ(who.id, "");

    test_redis_kill(&server);
    CHECK_INT_EQ(auth(&f, token, &who, &inline_done), EDGE_STORE_EUNAVAILABLE);
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
    UNIT_RUN(test_results_on_later_turns);
    UNIT_RUN(test_bridge_hooks);
    UNIT_RUN(test_participant_auth); /* last: kills redis-server */
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
