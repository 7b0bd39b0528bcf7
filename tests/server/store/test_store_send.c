/* test_store_send.c - a message and its events are one transaction:
 * edge_store_message_send stores both or neither (a failing event builder,
 * an ended contact, a foreign write lock, bad input), ClientToken retries
 * answer the original message and store nothing (also after a reopen, and
 * per participant), and the owned opening never waits for a lock: it says
 * EBUSY at once while reads go on. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

#include <time.h>

typedef struct chat3 {
    char cid[EDGE_STORE_ID_MAX], cust[EDGE_STORE_ID_MAX], agent[EDGE_STORE_ID_MAX];
} chat3;

static void connected_chat(edge_store *st, const char *sub, chat3 *c3)
{
    edge_contact c;
    edge_participant p, a;
    int r;
    CHECK_INT_EQ(tk_chat(st, sub, NULL, T0, &c, &p, &r), 0);
    CHECK_INT_EQ(edge_store_contact_accept(st, c.id, "amy", "Amy", T0 + 1, &a), 0);
    memcpy(c3->cid, c.id, EDGE_STORE_ID_MAX);
    memcpy(c3->cust, p.id, EDGE_STORE_ID_MAX);
    memcpy(c3->agent, a.id, EDGE_STORE_ID_MAX);
    edge_contact_free(&c);
}

/* The event data: "<id>/<seq>", so the test sees it was built from the
 * stored message. ctx counts the calls. */
static char *data_of(const edge_message *m, void *ctx)
{
    (*(int *)ctx)++;
    char text[80];
    snprintf(text, sizeof(text), "\"%s/%lld\"", m->id, (long long)m->seq);
    return strdup(text);
}

static char *no_data(const edge_message *m, void *ctx)
{
    (*(int *)ctx)++;
    return NULL;
}

static edge_message_send send_in(const char *from, const char *content, const char *token,
                                 int *calls)
{
    edge_message_send in = {.participant_id = from,
                            .content_type = "text/plain",
                            .content = content,
                            .max_bytes = 100,
                            .client_token = token,
                            .event_type = "message",
                            .event_json = data_of,
                            .ctx = calls};
    return in;
}

static void free_events(edge_event *ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        edge_event_free(&ev[i]);
}

static long long count(const char *dir, const char *sql)
{
    sqlite3 *db = tk_raw(dir);
    long long n = tk_raw_int(db, sql);
    sqlite3_close(db);
    return n;
}

static void test_send_stores_message_and_events(void)
{
    tk t;
    tk_setup(&t);
    chat3 c;
    connected_chat(t.st, "alice", &c);
    int calls = 0, replayed = -1;
    edge_message_send in = send_in(c.cust, "hello", NULL, &calls);
    edge_message m;
    edge_event ev[4];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 5, &m, ev, 4, &n, &replayed), 0);
    CHECK_INT_EQ(replayed, 0);
    CHECK_INT_EQ(calls, 1);
    CHECK_INT_EQ(m.seq, 1);
    CHECK_STR_EQ(m.content, "hello");
    CHECK_INT_EQ(n, 2); /* customer first, then the agent; the sender is told too */
    char want[80];
    snprintf(want, sizeof(want), "\"%s/1\"", m.id);
    for (size_t i = 0; i < n; i++) {
        CHECK(ev[i].id > 0);
        CHECK_STR_EQ(ev[i].type, "message");
        CHECK_STR_EQ(ev[i].data_json, want);
        CHECK_STR_EQ(ev[i].contact_id, c.cid);
        CHECK_INT_EQ(ev[i].created_ms, T0 + 5);
    }
    CHECK_STR_EQ(ev[0].participant_id, c.cust);
    CHECK_STR_EQ(ev[1].participant_id, c.agent);
    CHECK(ev[1].id > ev[0].id);
    /* what was returned is what is stored */
    edge_event got[4];
    size_t k = 0;
    CHECK_INT_EQ(edge_store_events_since(t.st, c.agent, 0, got, 4, &k), 0);
    CHECK_INT_EQ(k, 1);
    CHECK_INT_EQ(got[0].id, ev[1].id);
    CHECK_STR_EQ(got[0].data_json, want);
    free_events(got, k);
    free_events(ev, n);
    edge_message_free(&m);
    /* cap 0: stored, nobody told */
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 6, &m, NULL, 0, &n, &replayed), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(m.seq, 2);
    edge_message_free(&m);
    /* cap bounds the participants told */
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 6, &m, ev, 1, &n, &replayed), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(ev[0].participant_id, c.cust);
    free_events(ev, n);
    edge_message_free(&m);
    tk_teardown(&t);
}

/* Nothing of a failed send is stored: not the message, not an event. */
static void test_send_all_or_nothing(void)
{
    tk t;
    tk_setup(&t);
    chat3 c;
    connected_chat(t.st, "alice", &c);
    int calls = 0, replayed = -1;
    edge_message_send in = send_in(c.cust, "lost", "tok-1", &calls);
    in.event_json = no_data;
    edge_message m;
    edge_event ev[4];
    size_t n = 9;
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 5, &m, ev, 4, &n, &replayed),
                 EDGE_STORE_EINTERNAL);
    CHECK_INT_EQ(calls, 1);
    CHECK_INT_EQ(n, 0);
    CHECK(m.content == NULL && m.id[0] == '\0');
    CHECK_INT_EQ(count(t.dir, "SELECT COUNT(*) FROM messages"), 0);
    CHECK_INT_EQ(count(t.dir, "SELECT COUNT(*) FROM events"), 0);
    /* the token was not spent: the retry stores the message for real */
    in.event_json = data_of;
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 6, &m, ev, 4, &n, &replayed), 0);
    CHECK_INT_EQ(replayed, 0);
    CHECK_INT_EQ(m.seq, 1);
    free_events(ev, n);
    edge_message_free(&m);
    /* bad input and an ended contact store nothing either */
    edge_message_send bad = send_in(c.cust, "", NULL, &calls);
    CHECK_INT_EQ(edge_store_message_send(t.st, &bad, T0, &m, ev, 4, &n, &replayed),
                 EDGE_STORE_EINVAL);
    char longtok[EDGE_STORE_CLIENT_TOKEN_MAX + 2];
    memset(longtok, 'x', sizeof(longtok) - 1);
    longtok[sizeof(longtok) - 1] = '\0';
    bad = send_in(c.cust, "x", longtok, &calls);
    CHECK_INT_EQ(edge_store_message_send(t.st, &bad, T0, &m, ev, 4, &n, &replayed),
                 EDGE_STORE_EINVAL);
    longtok[EDGE_STORE_CLIENT_TOKEN_MAX] = '\0'; /* exactly the limit is fine */
    CHECK_INT_EQ(edge_store_message_send(t.st, &bad, T0, &m, ev, 4, &n, &replayed), 0);
    free_events(ev, n);
    edge_message_free(&m);
    bad = send_in(c.cust, "x", "", &calls);
    CHECK_INT_EQ(edge_store_message_send(t.st, &bad, T0, &m, ev, 4, &n, &replayed),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_contact_end(t.st, c.cid, "done", T0 + 7), 0);
    long long events_before = count(t.dir, "SELECT COUNT(*) FROM events");
    edge_message_send late = send_in(c.agent, "too late", "tok-2", &calls);
    CHECK_INT_EQ(edge_store_message_send(t.st, &late, T0 + 8, &m, ev, 4, &n, &replayed),
                 EDGE_STORE_ESTATE);
    CHECK_INT_EQ(count(t.dir, "SELECT COUNT(*) FROM messages"), 2);
    CHECK_INT_EQ(count(t.dir, "SELECT COUNT(*) FROM events"), events_before);
    tk_teardown(&t);
}

static void test_client_token_replays(void)
{
    tk t;
    tk_setup(&t);
    chat3 c;
    connected_chat(t.st, "alice", &c);
    int calls = 0, replayed = -1;
    edge_message_send in = send_in(c.cust, "once", "retry-me", &calls);
    edge_message first, again;
    edge_event ev[4];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 5, &first, ev, 4, &n, &replayed), 0);
    free_events(ev, n);
    /* the retry (even with other content) answers the original */
    in.content = "once, resent";
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 9, &again, ev, 4, &n, &replayed), 0);
    CHECK_INT_EQ(replayed, 1);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(calls, 1);
    CHECK_STR_EQ(again.id, first.id);
    CHECK_INT_EQ(again.seq, first.seq);
    CHECK_INT_EQ(again.created_ms, T0 + 5);
    CHECK_STR_EQ(again.content, "once");
    CHECK_STR_EQ(again.display_name, "Name alice");
    edge_message_free(&again);
    /* the same token from the other participant is another message */
    edge_message_send other = send_in(c.agent, "agent's", "retry-me", &calls);
    CHECK_INT_EQ(edge_store_message_send(t.st, &other, T0 + 10, &again, ev, 4, &n, &replayed),
                 0);
    CHECK_INT_EQ(replayed, 0);
    CHECK_INT_EQ(again.seq, 2);
    free_events(ev, n);
    edge_message_free(&again);
    /* across a restart, and after the contact has ended */
    CHECK_INT_EQ(edge_store_contact_end(t.st, c.cid, "done", T0 + 11), 0);
    tk_reopen(&t);
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 20, &again, ev, 4, &n, &replayed), 0);
    CHECK_INT_EQ(replayed, 1);
    CHECK_STR_EQ(again.id, first.id);
    edge_message_free(&again);
    edge_message_free(&first);
    CHECK_INT_EQ(count(t.dir, "SELECT COUNT(*) FROM messages"), 2);
    tk_teardown(&t);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The owned opening fails writes at once while another process (here a
 * second connection) holds the write lock; reads go on; the store works
 * again once the lock is gone. */
static void test_owned_store_never_waits(void)
{
    tk t;
    tk_mkdtemp(t.dir);
    char err[256] = "";
    t.st = edge_store_open_sqlite_owned(t.dir, err, sizeof(err));
    CHECK(t.st != NULL);
    chat3 c;
    connected_chat(t.st, "alice", &c);
    sqlite3 *other = tk_raw(t.dir);
    CHECK_INT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    int calls = 0, replayed = -1;
    edge_message_send in = send_in(c.cust, "blocked", "tok", &calls);
    edge_message m;
    edge_event ev[4];
    size_t n = 0;
    double t0 = now_s();
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 5, &m, ev, 4, &n, &replayed),
                 EDGE_STORE_EBUSY);
    CHECK(now_s() - t0 < 2.0); /* generous: the shared opening would wait 5 s */
    size_t purged = 9;
    CHECK_INT_EQ(edge_store_purge_ended(t.st, T0 + 100, 10, &purged), EDGE_STORE_EBUSY);
    CHECK_INT_EQ(purged, 0);
    edge_message page[4];
    int more = 0;
    CHECK_INT_EQ(edge_store_transcript(t.st, c.cid, 0, page, 4, &n, &more), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    CHECK_INT_EQ(edge_store_message_send(t.st, &in, T0 + 6, &m, ev, 4, &n, &replayed), 0);
    CHECK_INT_EQ(replayed, 0);
    free_events(ev, n);
    edge_message_free(&m);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_send_stores_message_and_events);
    UNIT_RUN(test_send_all_or_nothing);
    UNIT_RUN(test_client_token_replays);
    UNIT_RUN(test_owned_store_never_waits);
    return UNIT_DONE();
}
