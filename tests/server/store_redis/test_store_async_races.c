/* test_store_async_races.c - the races across two nodes on both backends
 * (store_async_kit.h): 16 starts of one identity give one chat, 12 redeems
 * of one code give one winner, two accepts give one winner, 8 sends with
 * one ClientToken store one message. Redis only: a
 * killed Redis answers EUNAVAILABLE fast and works again after a restart,
 * deadlines, cancel, close with an op in flight; and an op missing from a
 * backend's table answers ENOTSUP. */
#define _GNU_SOURCE
#include "server/store_redis/store_async_kit.h"

static void test_race_sixteen_starts(void)
{
    fx f;
    fx_open(&f);
    enum { N = 16 };
    waiter w[N];
    edge_contact c[N];
    edge_participant p[N];
    int resumed[N];
    edge_chat_start in = {.sub = "racer", .initial_message = "hi"};
    for (int i = 0; i < N; i++) {
        waiter_init(&f, &w[i]);
        EDGE_STORE_ASYNC(i % 2 ? f.b.s : f.a.s, chat_start, &w[i].c, &in, &c[i], &p[i],
                         &resumed[i]);
    }
    wait_all(&f, w, N);
    int created = 0;
    for (int i = 0; i < N; i++) {
        CHECK_INT_EQ(w[i].c.rc, 0);
        created += resumed[i] == 0;
        CHECK_STR_EQ(c[i].id, c[0].id);
        edge_contact_free(&c[i]);
    }
    CHECK_INT_EQ(created, 1);
    edge_message ms[4];
    size_t n = 0;
    int more;
    CHECK_INT_EQ(RUN(&f, &f.a, transcript, c[0].id, 0, ms, 4, &n, &more), 0);
    CHECK_INT_EQ(n, 1); /* the initial message once */
    for (size_t i = 0; i < n; i++)
        edge_message_free(&ms[i]);
    fx_close(&f);
}

static void test_race_twelve_redeems(void)
{
    fx f;
    fx_open(&f);
    edge_adhoc_route r, got[12];
    CHECK_INT_EQ(RUN(&f, &f.a, route_create, "agent-1", "g@example.test", "", T0 + 60000, &r), 0);
    waiter w[12];
    for (int i = 0; i < 12; i++) {
        waiter_init(&f, &w[i]);
        EDGE_STORE_ASYNC(i % 2 ? f.b.s : f.a.s, route_redeem, &w[i].c, r.route_id, "g@example.test",
                         "contact-x", &got[i]);
    }
    wait_all(&f, w, 12);
    int won = 0, lost = 0;
    for (int i = 0; i < 12; i++) {
        won += w[i].c.rc == 0;
        lost += w[i].c.rc == EDGE_STORE_ECONFLICT;
    }
    CHECK_INT_EQ(won, 1);
    CHECK_INT_EQ(lost, 11);
    fx_close(&f);
}

static void test_race_two_accepts(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p, ag[2];
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "gina", NULL, &c, &p, &resumed), 0);
    waiter w[2];
    waiter_init(&f, &w[0]);
    waiter_init(&f, &w[1]);
    EDGE_STORE_ASYNC(f.a.s, contact_accept, &w[0].c, c.id, "agent-a", "A", &ag[0]);
    EDGE_STORE_ASYNC(f.b.s, contact_accept, &w[1].c, c.id, "agent-b", "B", &ag[1]);
    wait_all(&f, w, 2);
    CHECK_INT_EQ((w[0].c.rc == 0) + (w[1].c.rc == 0), 1);
    CHECK_INT_EQ((w[0].c.rc == EDGE_STORE_ECONFLICT) + (w[1].c.rc == EDGE_STORE_ECONFLICT), 1);
    edge_participant list[4];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, participants_of, c.id, list, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    edge_contact_free(&c);
    fx_close(&f);
}

static void test_redis_down_then_back(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "hank", NULL, &c, &p, &resumed), 0);
    test_redis_kill(&server);
    uv_update_time(&f.loop);
    uint64_t t0 = uv_now(&f.loop);
    edge_open_chat oc;
    int rc = RUN(&f, &f.a, chat_open, "hank", &oc);
    uv_update_time(&f.loop);
    CHECK_INT_EQ(rc, EDGE_STORE_EUNAVAILABLE);
    CHECK(uv_now(&f.loop) - t0 < 1000); /* no hang */
    CHECK_INT_EQ(RUN(&f, &f.b, chat_open, "hank", &oc), EDGE_STORE_EUNAVAILABLE);
    CHECK_INT_EQ(test_redis_start(&server), 0);
    /* the connection comes back by itself (backoff up to 2 s) */
    uv_update_time(&f.loop);
    uint64_t end = uv_now(&f.loop) + 8000;
    do {
        uv_run(&f.loop, UV_RUN_NOWAIT);
        rc = RUN(&f, &f.a, chat_open, "hank", &oc);
        if (rc == EDGE_STORE_EUNAVAILABLE) {
            waiter idle; /* let the reconnect timer run */
            waiter_init(&f, &idle);
            uv_run(&f.loop, UV_RUN_ONCE);
        }
        uv_update_time(&f.loop);
    } while (rc == EDGE_STORE_EUNAVAILABLE && uv_now(&f.loop) < end);
    /* Redis here keeps no data across a kill (no AOF in tests) */
    CHECK_INT_EQ(rc, EDGE_STORE_ENOTFOUND);
    edge_contact c2;
    CHECK_INT_EQ(chat(&f, &f.a, "hank", NULL, &c2, &p, &resumed), 0);
    CHECK_INT_EQ(resumed, 0);
    edge_contact_free(&c);
    edge_contact_free(&c2);
    fx_close(&f);
}

static void test_redis_deadline_and_cancel(void)
{
    fx f;
    fx_open(&f);
    waiter w;
    edge_open_chat oc;
    waiter_init(&f, &w);
    w.c.deadline_ms = w.c.now_ms; /* already due */
    EDGE_STORE_ASYNC(f.a.s, chat_open, &w.c, "ivy", &oc);
    CHECK_INT_EQ(w.fired, 1);
    CHECK_INT_EQ(w.c.rc, EDGE_STORE_ETIMEDOUT);
    waiter_init(&f, &w);
    EDGE_STORE_ASYNC(f.a.s, chat_open, &w.c, "ivy", &oc);
    CHECK_INT_EQ(w.fired, 0); /* later, on the loop */
    edge_store_async_cancel(f.a.s, &w.c);
    waiter probe;
    waiter_init(&f, &probe);
    EDGE_STORE_ASYNC(f.a.s, chat_open, &probe.c, "ivy", &oc);
    wait_all(&f, &probe, 1); /* the cancelled one's reply came before this one's */
    CHECK_INT_EQ(w.fired, 0);
    /* closing a store with an op in flight completes it first */
    node extra = {0};
    node_open(&f, &extra);
    waiter_init(&f, &w);
    EDGE_STORE_ASYNC(extra.s, chat_open, &w.c, "ivy", &oc);
    edge_store_async_close(extra.s);
    CHECK_INT_EQ(w.fired, 1);
    CHECK_INT_EQ(w.c.rc, EDGE_STORE_EUNAVAILABLE);
    fx_close(&f);
}

/* An op missing from a backend's table answers ENOTSUP at once. */
static void test_missing_op(void)
{
    static const edge_store_async_ops none = {.name = "none"};
    edge_store_async fake = {&none};
    waiter w;
    memset(&w, 0, sizeof(w));
    w.c.done = on_done;
    edge_open_chat oc;
    EDGE_STORE_ASYNC(&fake, chat_open, &w.c, "x", &oc);
    CHECK_INT_EQ(w.fired, 1);
    CHECK_INT_EQ(w.c.rc, EDGE_STORE_ENOTSUP);
    EDGE_STORE_ASYNC(&fake, presence_reset, &w.c);
    CHECK_INT_EQ(w.fired, 2);
}

static void test_race_client_token(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "tok", NULL, &c, &p, &resumed), 0);
    enum { N = 8 };
    waiter w[N];
    edge_message m[N];
    edge_event ev[N][4];
    size_t count[N];
    int replayed[N];
    edge_message_send in = {.participant_id = p.id,
                            .content_type = "text/plain",
                            .content = "once",
                            .max_bytes = 100,
                            .client_token = "same-token",
                            .event_type = "message",
                            .event_json = event_json};
    for (int i = 0; i < N; i++) {
        waiter_init(&f, &w[i]);
        EDGE_STORE_ASYNC(i % 2 ? f.b.s : f.a.s, message_send, &w[i].c, &in, &m[i], ev[i], 4,
                         &count[i], &replayed[i]);
    }
    wait_all(&f, w, N);
    int stored = 0;
    for (int i = 0; i < N; i++) {
        CHECK_INT_EQ(w[i].c.rc, 0);
        stored += replayed[i] == 0;
        CHECK_STR_EQ(m[i].id, m[0].id);
        free_events(ev[i], count[i]);
        edge_message_free(&m[i]);
    }
    CHECK_INT_EQ(stored, 1);
    edge_message page[4];
    size_t n = 0;
    int more;
    CHECK_INT_EQ(RUN(&f, &f.a, transcript, c.id, 0, page, 4, &n, &more), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++)
        edge_message_free(&page[i]);
    edge_contact_free(&c);
    fx_close(&f);
}

int main(void)
{
    if (kit_start() != 0)
        return 1;
    RUN_BOTH(test_race_sixteen_starts);
    RUN_BOTH(test_race_twelve_redeems);
    RUN_BOTH(test_race_two_accepts);
    RUN_BOTH(test_race_client_token);
    mode = BACKEND_REDIS;
    UNIT_RUN(test_redis_down_then_back);
    UNIT_RUN(test_redis_deadline_and_cancel);
    UNIT_RUN(test_missing_op);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
