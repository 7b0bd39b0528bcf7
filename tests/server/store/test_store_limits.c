/* test_store_limits.c - the store's guard rails: rate-limit counters
 * (edge_store_limit_take: fixed windows, retry-after, keys apart, a clock
 * that goes back, a bounded table flooded with keys), one live call per
 * identity, a contact's message cap, what waiting customers were last told
 * of their place, the queues with waiting contacts, and personal queues
 * falling back to the default one. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

static void test_counter_window(void)
{
    tk t;
    tk_setup(&t);
    int64_t retry = -1;
    for (int i = 0; i < 3; i++) {
        CHECK_INT_EQ(edge_store_limit_take(t.st, "dials:alice", 3, 10000, T0 + i * 100, &retry), 0);
        CHECK_INT_EQ(retry, 0);
    }
    CHECK_INT_EQ(edge_store_limit_take(t.st, "dials:alice", 3, 10000, T0 + 2500, &retry),
                 EDGE_STORE_ELIMITED);
    CHECK_INT_EQ(retry, 7500); /* the window opened at T0 */
    CHECK_INT_EQ(edge_store_limit_take(t.st, "dials:alice", 3, 10000, T0 + 9999, &retry),
                 EDGE_STORE_ELIMITED);
    CHECK_INT_EQ(retry, 1);
    /* another key, or the same text under another limit, counts apart */
    CHECK_INT_EQ(edge_store_limit_take(t.st, "dials:bob", 3, 10000, T0 + 2500, &retry), 0);
    CHECK_INT_EQ(edge_store_limit_take(t.st, "messages:alice", 3, 10000, T0 + 2500, &retry), 0);
    /* the window passes: a new one opens with the next take */
    CHECK_INT_EQ(edge_store_limit_take(t.st, "dials:alice", 3, 10000, T0 + 10000, &retry), 0);
    CHECK_INT_EQ(edge_store_limit_take(t.st, "dials:alice", 3, 10000, T0 + 10001, &retry), 0);
    CHECK_INT_EQ(edge_store_limit_take(t.st, "dials:alice", 3, 10000, T0 + 10002, &retry), 0);
    CHECK_INT_EQ(edge_store_limit_take(t.st, "dials:alice", 3, 10000, T0 + 10003, &retry),
                 EDGE_STORE_ELIMITED);
    CHECK_INT_EQ(retry, 9997);
    /* a clock that went back more than a window starts a new one */
    CHECK_INT_EQ(edge_store_limit_take(t.st, "dials:alice", 3, 10000, T0 - 60000, &retry), 0);
    /* max 0: no limit, nothing counted */
    for (int i = 0; i < 100; i++)
        CHECK_INT_EQ(edge_store_limit_take(t.st, "free", 0, 0, T0, &retry), 0);
    tk_teardown(&t);
}

static void test_counter_arguments(void)
{
    tk t;
    tk_setup(&t);
    int64_t retry = 0;
    char long_key[EDGE_STORE_KEY_MAX + 1];
    memset(long_key, 'k', sizeof(long_key) - 1);
    long_key[sizeof(long_key) - 1] = '\0';
    CHECK_INT_EQ(edge_store_limit_take(t.st, long_key, 1, 1000, T0, &retry), EDGE_STORE_EINVAL);
    long_key[EDGE_STORE_KEY_MAX - 1] = '\0'; /* the longest key */
    CHECK_INT_EQ(edge_store_limit_take(t.st, long_key, 1, 1000, T0, &retry), 0);
    CHECK_INT_EQ(edge_store_limit_take(t.st, "", 1, 1000, T0, &retry), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_limit_take(t.st, NULL, 1, 1000, T0, &retry), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_limit_take(t.st, "k", 1, 0, T0, &retry), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_limit_take(t.st, "k", 1, 1000, T0, NULL), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_limit_take(NULL, "k", 1, 1000, T0, &retry), EDGE_STORE_EINVAL);
    tk_teardown(&t);
}

/* The table is bounded: flooding it with keys neither grows it nor breaks
 * counting of a key in use (at worst a counter starts again at 0, never a
 * refusal that was not earned). */
static void test_counter_flood(void)
{
    tk t;
    tk_setup(&t);
    int64_t retry = 0;
    char key[32];
    for (int i = 0; i < 200000; i++) {
        snprintf(key, sizeof(key), "flood:%d", i);
        CHECK_INT_EQ(edge_store_limit_take(t.st, key, 1, 60000, T0, &retry), 0);
    }
    CHECK_INT_EQ(edge_store_limit_take(t.st, "flood:fresh", 1, 60000, T0, &retry), 0);
    CHECK_INT_EQ(edge_store_limit_take(t.st, "flood:fresh", 1, 60000, T0, &retry),
                 EDGE_STORE_ELIMITED);
    tk_teardown(&t);
}

static int call(edge_store *st, const char *sub, int max_live, int64_t now, char *cid)
{
    edge_call_start in = {.sub = sub, .to_number = "+15555550100", .max_live = max_live};
    edge_contact c;
    edge_participant p;
    int rc = edge_store_call_start(st, &in, now, &c, &p);
    if (cid != NULL)
        snprintf(cid, EDGE_STORE_ID_MAX, "%s", c.id);
    edge_contact_free(&c);
    return rc;
}

static void test_one_live_call(void)
{
    tk t;
    tk_setup(&t);
    char first[EDGE_STORE_ID_MAX], second[EDGE_STORE_ID_MAX];
    CHECK_INT_EQ(call(t.st, "alice", 1, T0, first), 0);
    CHECK_INT_EQ(call(t.st, "alice", 1, T0 + 1, NULL), EDGE_STORE_ELIMITED);
    CHECK_INT_EQ(call(t.st, "bob", 1, T0 + 1, NULL), 0);     /* per identity */
    CHECK_INT_EQ(call(t.st, "alice", 0, T0 + 2, second), 0); /* 0: no limit */
    CHECK_INT_EQ(call(t.st, "alice", 2, T0 + 3, NULL), EDGE_STORE_ELIMITED);
    CHECK_INT_EQ(edge_store_contact_end(t.st, first, "customer_hangup", T0 + 4), 0);
    CHECK_INT_EQ(call(t.st, "alice", 1, T0 + 5, NULL), EDGE_STORE_ELIMITED); /* second lives */
    CHECK_INT_EQ(edge_store_contact_end(t.st, second, "customer_hangup", T0 + 6), 0);
    CHECK_INT_EQ(call(t.st, "alice", 1, T0 + 7, NULL), 0);
    /* a chat is no call */
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(tk_chat(t.st, "carol", NULL, T0, &c, &p, &resumed), 0);
    edge_contact_free(&c);
    CHECK_INT_EQ(call(t.st, "carol", 1, T0 + 1, NULL), 0);
    tk_teardown(&t);
}

static void test_message_cap(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c, c2;
    edge_participant p, p2;
    edge_message m;
    int resumed;
    CHECK_INT_EQ(tk_chat(t.st, "alice", "hi", T0, &c, &p, &resumed), 0); /* counts: 1 */
    CHECK_INT_EQ(tk_chat(t.st, "bob", NULL, T0, &c2, &p2, &resumed), 0);
    for (int i = 0; i < 2; i++) {
        CHECK_INT_EQ(edge_store_message_add_capped(t.st, p.id, "text/plain", "x", 10, 3, T0, &m),
                     0);
        edge_message_free(&m);
    }
    CHECK_INT_EQ(edge_store_message_add_capped(t.st, p.id, "text/plain", "x", 10, 3, T0, &m),
                 EDGE_STORE_ECAP);
    CHECK_STR_EQ(m.id, ""); /* nothing came out */
    CHECK_INT_EQ(edge_store_message_add_capped(t.st, p2.id, "text/plain", "x", 10, 3, T0, &m), 0);
    edge_message_free(&m);
    CHECK_INT_EQ(edge_store_message_add(t.st, p.id, "text/plain", "x", 10, T0, &m), 0); /* no cap */
    edge_message_free(&m);
    CHECK_INT_EQ(edge_store_message_add_capped(t.st, p.id, "text/plain", "x", 10, -1, T0, &m),
                 EDGE_STORE_EINVAL);
    edge_contact_free(&c);
    edge_contact_free(&c2);
    tk_teardown(&t);
}

static void test_queue_told(void)
{
    tk t;
    tk_setup(&t);
    edge_contact a, b;
    edge_participant pa, pb;
    int resumed;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &a, &pa, &resumed), 0);
    CHECK_INT_EQ(tk_chat(t.st, "bob", NULL, T0 + 1, &b, &pb, &resumed), 0);
    edge_queue_entry w[4];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_queue_customers(t.st, "", w, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(w[0].told_position + w[0].told_wait_s + w[0].told_ms, 0); /* never told */
    edge_queue_told told[2] = {{a.id, 1, 120}, {b.id, 2, 240}};
    CHECK_INT_EQ(edge_store_queue_told(t.st, told, 2, T0 + 5), 0);
    edge_queue_told again = {b.id, 1, 120};
    CHECK_INT_EQ(edge_store_queue_told(t.st, &again, 1, T0 + 9), 0);
    CHECK_INT_EQ(edge_store_queue_customers(t.st, "", w, 4, &n), 0);
    CHECK_STR_EQ(w[0].contact_id, a.id);
    CHECK_INT_EQ(w[0].told_position, 1);
    CHECK_INT_EQ(w[0].told_wait_s, 120);
    CHECK_INT_EQ(w[0].told_ms, T0 + 5);
    CHECK_INT_EQ(w[1].told_position, 1);
    CHECK_INT_EQ(w[1].told_ms, T0 + 9);
    edge_queue_told bad = {"no-such-contact", 1, 0};
    CHECK_INT_EQ(edge_store_queue_told(t.st, &bad, 1, T0), EDGE_STORE_ENOTFOUND);
    bad.contact_id = a.id;
    bad.position = 0;
    CHECK_INT_EQ(edge_store_queue_told(t.st, &bad, 1, T0), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_queue_told(t.st, NULL, 0, T0), 0);
    edge_contact_free(&a);
    edge_contact_free(&b);
    tk_teardown(&t);
}

static void chat_in(edge_store *st, const char *sub, const char *queue, int priority, int64_t now)
{
    edge_chat_start in = {.sub = sub, .queue = queue, .priority = priority};
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(edge_store_chat_start(st, &in, now, &c, &p, &resumed), 0);
    edge_contact_free(&c);
}

static void test_queues_waiting_and_fallback(void)
{
    tk t;
    tk_setup(&t);
    chat_in(t.st, "a", "agent:aaaa", 1, T0);
    chat_in(t.st, "b", "agent:bbbb", 1, T0 + 5000);
    chat_in(t.st, "c", "", 5, T0);
    chat_in(t.st, "d", "agents", 5, T0); /* not a personal queue: "agent:" is the prefix */
    char names[8][EDGE_STORE_TEXT_MAX];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_queues_waiting(t.st, names, 8, &n), 0);
    CHECK_INT_EQ(n, 4);
    CHECK_STR_EQ(names[0], "");
    CHECK_STR_EQ(names[1], "agent:aaaa");
    CHECK_STR_EQ(names[2], "agent:bbbb");
    CHECK_STR_EQ(names[3], "agents");
    size_t moved = 99;
    CHECK_INT_EQ(edge_store_queue_fallback(t.st, "agent:", T0 + 1000, T0 + 2000, &moved), 0);
    CHECK_INT_EQ(moved, 1); /* only a's waited long enough */
    edge_contact q[4];
    CHECK_INT_EQ(edge_store_queue_list(t.st, "", q, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(q[0].customer_sub, "a"); /* priority kept: first in line */
    CHECK_INT_EQ(q[0].priority, 1);
    CHECK_STR_EQ(q[1].customer_sub, "c");
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&q[i]);
    CHECK_INT_EQ(edge_store_queue_depth(t.st, "agent:aaaa", &n), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(edge_store_queue_depth(t.st, "agents", &n), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(edge_store_queue_fallback(t.st, "agent:", T0 + 9000, T0 + 9000, NULL), 0);
    CHECK_INT_EQ(edge_store_queue_depth(t.st, "", &n), 0);
    CHECK_INT_EQ(n, 3);
    CHECK_INT_EQ(edge_store_queue_fallback(t.st, "", T0, T0, NULL), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_queues_waiting(t.st, names, 1, &n), 0); /* cap respected */
    CHECK_INT_EQ(n, 1);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_counter_window);
    UNIT_RUN(test_counter_arguments);
    UNIT_RUN(test_counter_flood);
    UNIT_RUN(test_one_live_call);
    UNIT_RUN(test_message_cap);
    UNIT_RUN(test_queue_told);
    UNIT_RUN(test_queues_waiting_and_fallback);
    return UNIT_DONE();
}
