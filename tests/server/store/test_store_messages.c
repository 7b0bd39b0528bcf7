/* test_store_messages.c - transcripts and event streams: seq numbering,
 * paging with after_seq/cap/more, content limits and types, messages after
 * the end, event ids that only grow, across a close and reopen too, and
 * events added in one transaction, all or none. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

/* A chat for alice accepted by amy: fills the contact id and both
 * participant ids. */
static void connected_chat(edge_store *st, char cid[EDGE_STORE_ID_MAX],
                           char cust[EDGE_STORE_ID_MAX], char agent[EDGE_STORE_ID_MAX])
{
    edge_contact c;
    edge_participant p, a;
    int r;
    CHECK_INT_EQ(tk_chat(st, "alice", NULL, T0, &c, &p, &r), 0);
    CHECK_INT_EQ(edge_store_contact_accept(st, c.id, "amy", "Amy", T0 + 1, &a), 0);
    memcpy(cid, c.id, EDGE_STORE_ID_MAX);
    memcpy(cust, p.id, EDGE_STORE_ID_MAX);
    memcpy(agent, a.id, EDGE_STORE_ID_MAX);
    edge_contact_free(&c);
}

static void free_all(edge_message *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        edge_message_free(&m[i]);
}

static void test_seq_increments(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX], cust[EDGE_STORE_ID_MAX], agent[EDGE_STORE_ID_MAX];
    connected_chat(t.st, cid, cust, agent);
    edge_message m;
    for (int i = 1; i <= 6; i++) {
        const char *from = i % 2 ? cust : agent;
        char text[32];
        snprintf(text, sizeof(text), "line %d", i);
        CHECK_INT_EQ(edge_store_message_add(t.st, from, i == 6 ? "text/markdown" : "text/plain",
                                            text, 100, T0 + 10 + i, &m),
                     0);
        CHECK_INT_EQ(m.seq, i);
        CHECK_STR_EQ(m.content, text);
        CHECK_STR_EQ(m.contact_id, cid);
        CHECK_STR_EQ(m.participant_id, from);
        CHECK_INT_EQ(m.role, i % 2 ? EDGE_ROLE_CUSTOMER : EDGE_ROLE_AGENT);
        CHECK_STR_EQ(m.display_name, i % 2 ? "Name alice" : "Amy");
        CHECK_INT_EQ(m.created_ms, T0 + 10 + i);
        CHECK_INT_EQ(strlen(m.id), 32);
        edge_message_free(&m);
    }
    edge_message page[8];
    size_t n = 0;
    int more = 1;
    CHECK_INT_EQ(edge_store_transcript(t.st, cid, 0, page, 8, &n, &more), 0);
    CHECK_INT_EQ(n, 6);
    CHECK_INT_EQ(more, 0);
    if (n == 6) {
        CHECK_STR_EQ(page[5].content_type, "text/markdown");
        CHECK_INT_EQ(page[1].role, EDGE_ROLE_AGENT);
        CHECK_STR_EQ(page[1].display_name, "Amy");
        CHECK_STR_EQ(page[3].content, "line 4");
    }
    free_all(page, n);
    tk_teardown(&t);
}

static void test_transcript_paging(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX], cust[EDGE_STORE_ID_MAX], agent[EDGE_STORE_ID_MAX];
    connected_chat(t.st, cid, cust, agent);
    edge_message m;
    for (int i = 0; i < 7; i++) {
        CHECK_INT_EQ(edge_store_message_add(t.st, cust, "text/plain", "x", 10, T0, &m), 0);
        edge_message_free(&m);
    }
    edge_message page[3];
    size_t n = 0;
    int more = 0;
    CHECK_INT_EQ(edge_store_transcript(t.st, cid, 0, page, 3, &n, &more), 0);
    CHECK_INT_EQ(n, 3);
    CHECK_INT_EQ(more, 1);
    CHECK_INT_EQ(page[0].seq, 1);
    CHECK_INT_EQ(page[2].seq, 3);
    free_all(page, n);
    CHECK_INT_EQ(edge_store_transcript(t.st, cid, 3, page, 3, &n, &more), 0);
    CHECK_INT_EQ(n, 3);
    CHECK_INT_EQ(more, 1);
    CHECK_INT_EQ(page[0].seq, 4);
    free_all(page, n);
    CHECK_INT_EQ(edge_store_transcript(t.st, cid, 6, page, 3, &n, &more), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(more, 0);
    CHECK_INT_EQ(page[0].seq, 7);
    free_all(page, n);
    CHECK_INT_EQ(edge_store_transcript(t.st, cid, 4, page, 3, &n, &more), 0);
    CHECK_INT_EQ(n, 3); /* exactly the rest: no more */
    CHECK_INT_EQ(more, 0);
    free_all(page, n);
    CHECK_INT_EQ(edge_store_transcript(t.st, cid, 7, page, 3, &n, &more), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(more, 0);
    CHECK_INT_EQ(edge_store_transcript(t.st, cid, 0, NULL, 0, &n, &more), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(more, 1);
    CHECK_INT_EQ(edge_store_transcript(t.st, "nope", 0, page, 3, &n, &more), EDGE_STORE_ENOTFOUND);
    tk_teardown(&t);
}

static void test_message_validation(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX], cust[EDGE_STORE_ID_MAX], agent[EDGE_STORE_ID_MAX];
    connected_chat(t.st, cid, cust, agent);
    edge_message m;
    CHECK_INT_EQ(edge_store_message_add(t.st, cust, "text/plain", "0123456789", 10, T0, &m), 0);
    CHECK_INT_EQ(m.seq, 1);
    edge_message_free(&m);
    CHECK_INT_EQ(edge_store_message_add(t.st, cust, "text/plain", "0123456789a", 10, T0, &m),
                 EDGE_STORE_EINVAL);
    CHECK(m.content == NULL);
    CHECK_INT_EQ(m.seq, 0);
    CHECK_INT_EQ(edge_store_message_add(t.st, cust, "text/plain", "", 10, T0, &m),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_message_add(t.st, cust, "text/plain", NULL, 10, T0, &m),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_message_add(t.st, cust, "text/html", "<b>x</b>", 100, T0, &m),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_message_add(t.st, cust, "Text/Plain", "x", 100, T0, &m),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_message_add(t.st, cust, NULL, "x", 100, T0, &m), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_message_add(t.st, "nope", "text/plain", "x", 100, T0, &m),
                 EDGE_STORE_ENOTFOUND);
    /* None of the failures used a seq. */
    CHECK_INT_EQ(edge_store_message_add(t.st, agent, "text/markdown", "**ok**", 100, T0, &m), 0);
    CHECK_INT_EQ(m.seq, 2);
    edge_message_free(&m);
    tk_teardown(&t);
}

static void test_message_after_end(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX], cust[EDGE_STORE_ID_MAX], agent[EDGE_STORE_ID_MAX];
    connected_chat(t.st, cid, cust, agent);
    edge_message m;
    CHECK_INT_EQ(edge_store_message_add(t.st, cust, "text/plain", "bye", 100, T0, &m), 0);
    edge_message_free(&m);
    CHECK_INT_EQ(edge_store_contact_end(t.st, cid, "done", T0 + 5), 0);
    CHECK_INT_EQ(edge_store_message_add(t.st, cust, "text/plain", "late", 100, T0 + 6, &m),
                 EDGE_STORE_ESTATE);
    CHECK_INT_EQ(edge_store_message_add(t.st, agent, "text/plain", "late", 100, T0 + 6, &m),
                 EDGE_STORE_ESTATE);
    edge_message page[4];
    size_t n = 0;
    int more = 0;
    CHECK_INT_EQ(edge_store_transcript(t.st, cid, 0, page, 4, &n, &more), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_STR_EQ(page[0].content, "bye");
    free_all(page, n);
    tk_teardown(&t);
}

static void test_events(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX], cust[EDGE_STORE_ID_MAX], agent[EDGE_STORE_ID_MAX];
    connected_chat(t.st, cid, cust, agent);
    int64_t ids[6], last = 0;
    for (int i = 0; i < 6; i++) {
        char data[32];
        snprintf(data, sizeof(data), "{\"n\":%d}", i);
        const char *to = i % 3 == 2 ? agent : cust; /* 4 for the customer, 2 for the agent */
        CHECK_INT_EQ(edge_store_event_add(t.st, to, cid, "message", data, T0 + i, &ids[i]), 0);
        CHECK(ids[i] > last);
        last = ids[i];
    }
    edge_event ev[3];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_events_since(t.st, cust, 0, ev, 3, &n), 0);
    CHECK_INT_EQ(n, 3);
    if (n == 3) {
        CHECK_INT_EQ(ev[0].id, ids[0]);
        CHECK_INT_EQ(ev[2].id, ids[3]);
        CHECK_STR_EQ(ev[0].data_json, "{\"n\":0}");
        CHECK_STR_EQ(ev[0].type, "message");
        CHECK_STR_EQ(ev[0].participant_id, cust);
        CHECK_STR_EQ(ev[0].contact_id, cid);
        CHECK_INT_EQ(ev[1].created_ms, T0 + 1);
    }
    int64_t resume = n ? ev[n - 1].id : 0;
    for (size_t i = 0; i < n; i++)
        edge_event_free(&ev[i]);
    CHECK_INT_EQ(edge_store_events_since(t.st, cust, resume, ev, 3, &n), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_INT_EQ(ev[0].id, ids[4]);
    for (size_t i = 0; i < n; i++)
        edge_event_free(&ev[i]);
    CHECK_INT_EQ(edge_store_events_since(t.st, cust, ids[5], ev, 3, &n), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(edge_store_events_since(t.st, agent, 0, ev, 3, &n), 0);
    CHECK_INT_EQ(n, 2);
    for (size_t i = 0; i < n; i++)
        edge_event_free(&ev[i]);
    /* NULL contact_id means the participant's own contact; NULL data stays NULL. */
    int64_t id = 0;
    CHECK_INT_EQ(edge_store_event_add(t.st, agent, NULL, "typing", NULL, T0, &id), 0);
    CHECK_INT_EQ(edge_store_events_since(t.st, agent, ids[5], ev, 3, &n), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1) {
        CHECK_STR_EQ(ev[0].contact_id, cid);
        CHECK(ev[0].data_json == NULL);
        edge_event_free(&ev[0]);
    }
    CHECK_INT_EQ(edge_store_events_since(t.st, "nope", 0, ev, 3, &n), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_event_add(t.st, "nope", cid, "typing", NULL, T0, &id),
                 EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_event_add(t.st, cust, cid, "", NULL, T0, &id), EDGE_STORE_EINVAL);
    char long_type[80];
    memset(long_type, 't', sizeof(long_type) - 1);
    long_type[sizeof(long_type) - 1] = '\0';
    CHECK_INT_EQ(edge_store_event_add(t.st, cust, cid, long_type, NULL, T0, &id),
                 EDGE_STORE_EINVAL);
    tk_teardown(&t);
}

/* Event ids survive restarts and are never reused, even when the newest
 * event row is deleted behind the store's back. */
static void test_event_ids_across_reopen(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX], cust[EDGE_STORE_ID_MAX], agent[EDGE_STORE_ID_MAX];
    connected_chat(t.st, cid, cust, agent);
    int64_t a = 0, b = 0, c = 0;
    CHECK_INT_EQ(edge_store_event_add(t.st, cust, cid, "queue", "{}", T0, &a), 0);
    CHECK_INT_EQ(edge_store_event_add(t.st, cust, cid, "queue", "{}", T0, &b), 0);
    tk_reopen(&t);
    sqlite3 *db = tk_raw(t.dir);
    char sql[64];
    snprintf(sql, sizeof(sql), "DELETE FROM events WHERE id = %lld", (long long)b);
    CHECK_INT_EQ(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    tk_reopen(&t);
    CHECK_INT_EQ(edge_store_event_add(t.st, cust, cid, "queue", "{}", T0, &c), 0);
    CHECK(a < b);
    CHECK(c > b);
    edge_event ev[4];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_events_since(t.st, cust, 0, ev, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_INT_EQ(ev[0].id, a);
        CHECK_INT_EQ(ev[1].id, c);
    }
    for (size_t i = 0; i < n; i++)
        edge_event_free(&ev[i]);
    tk_teardown(&t);
}

/* Several events in one transaction: ids in the order given, and all or
 * none (an unknown participant in the middle leaves nothing behind). */
static void test_events_add_batch(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX], cust[EDGE_STORE_ID_MAX], agent[EDGE_STORE_ID_MAX];
    connected_chat(t.st, cid, cust, agent);
    edge_event_in in[3] = {
        {cust, cid, "queue", "{\"Position\":1}"},
        {agent, cid, "queue", "{\"Position\":2}"},
        {cust, NULL, "typing", NULL},
    };
    int64_t ids[3];
    CHECK_INT_EQ(edge_store_events_add(t.st, in, 3, T0, ids), 0);
    CHECK(ids[0] > 0 && ids[0] < ids[1] && ids[1] < ids[2]);
    edge_event ev[4];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_events_since(t.st, cust, 0, ev, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_INT_EQ(ev[0].id, ids[0]);
        CHECK_STR_EQ(ev[0].data_json, "{\"Position\":1}");
        CHECK_INT_EQ(ev[1].id, ids[2]);
        CHECK_STR_EQ(ev[1].type, "typing");
    }
    for (size_t i = 0; i < n; i++)
        edge_event_free(&ev[i]);

    edge_event_in bad[3] = {
        {cust, cid, "queue", "{}"},
        {"no-such-participant", cid, "queue", "{}"},
        {agent, cid, "queue", "{}"},
    };
    CHECK_INT_EQ(edge_store_events_add(t.st, bad, 3, T0, ids), EDGE_STORE_ENOTFOUND);
    CHECK(ids[0] == 0 && ids[1] == 0 && ids[2] == 0);
    CHECK_INT_EQ(edge_store_events_since(t.st, cust, ids[2], ev, 4, &n), 0);
    CHECK_INT_EQ(n, 2); /* still the two from before */
    for (size_t i = 0; i < n; i++)
        edge_event_free(&ev[i]);
    bad[1].participant_id = ""; /* invalid input: refused before anything is written */
    CHECK_INT_EQ(edge_store_events_add(t.st, bad, 3, T0, ids), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_events_add(t.st, bad, 0, T0, ids), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_events_add(t.st, NULL, 1, T0, ids), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_events_add(t.st, in, 1, T0, NULL), EDGE_STORE_EINVAL);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_events_add_batch);
    UNIT_RUN(test_seq_increments);
    UNIT_RUN(test_transcript_paging);
    UNIT_RUN(test_message_validation);
    UNIT_RUN(test_message_after_end);
    UNIT_RUN(test_events);
    UNIT_RUN(test_event_ids_across_reopen);
    return UNIT_DONE();
}
