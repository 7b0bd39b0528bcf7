/* test_store_ringing.c - what offering calls needs from the store: picking
 * the agent idle longest who has nothing ringing and no call in progress
 * (and never the excluded one), the next queued call of a queue in service order, the calls ringing
 * since a time, a requeue bound to the agent it rings, offered_to on read,
 * and that each of these queries walks its schema v3 index. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

/* A queued call for sub at now in queue q with priority prio; id filled. */
static void call_in(edge_store *st, const char *sub, const char *q, int prio, int64_t now,
                    char id[EDGE_STORE_ID_MAX])
{
    edge_call_start in = {.sub = sub, .queue = q, .priority = prio, .to_number = "+4930123456"};
    edge_contact c;
    edge_participant p;
    CHECK_INT_EQ(edge_store_call_start(st, &in, now, &c, &p), 0);
    memcpy(id, c.id, EDGE_STORE_ID_MAX);
    edge_contact_free(&c);
}

/* The pick as a string ("" when nobody qualifies). */
static const char *pick(edge_store *st, const char *exclude, char out[EDGE_STORE_TEXT_MAX])
{
    int rc = edge_store_agent_pick_idle(st, exclude, out);
    CHECK(rc == 0 || rc == EDGE_STORE_ENOTFOUND);
    if (rc != 0)
        CHECK_STR_EQ(out, "");
    return out;
}

static void test_pick_idle(void)
{
    tk t;
    tk_setup(&t);
    char sub[EDGE_STORE_TEXT_MAX], a[EDGE_STORE_ID_MAX], b[EDGE_STORE_ID_MAX];
    CHECK_INT_EQ(edge_store_agent_pick_idle(t.st, NULL, sub), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "cat", "Cat", 1, T0 + 30), 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", "Amy", 1, T0 + 10), 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "ben", "Ben", 1, T0 + 20), 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "dot", "Dot", 0, T0), 0); /* offline */
    /* Idle longest first. */
    CHECK_STR_EQ(pick(t.st, NULL, sub), "amy");
    CHECK_STR_EQ(pick(t.st, "amy", sub), "ben");
    CHECK_STR_EQ(pick(t.st, "", sub), "amy");
    /* An agent with a contact ringing is skipped until the ring ends. */
    call_in(t.st, "c1", NULL, 0, T0, a);
    call_in(t.st, "c2", NULL, 0, T0 + 1, b);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, a, "amy", T0 + 40), 0);
    CHECK_STR_EQ(pick(t.st, NULL, sub), "ben");
    CHECK_INT_EQ(edge_store_contact_ring(t.st, b, "ben", T0 + 41), 0);
    CHECK_STR_EQ(pick(t.st, NULL, sub), "cat");
    CHECK_STR_EQ(pick(t.st, "cat", sub), "");
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, a, "amy", T0 + 42), 0);
    CHECK_STR_EQ(pick(t.st, NULL, sub), "amy");
    /* Ending a ringing call frees its agent; going offline takes one out. */
    CHECK_INT_EQ(edge_store_contact_end(t.st, b, "customer_hangup", T0 + 43), 0);
    CHECK_STR_EQ(pick(t.st, "amy", sub), "ben");
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", NULL, 0, T0 + 44), 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "ben", NULL, 0, T0 + 44), 0);
    CHECK_STR_EQ(pick(t.st, NULL, sub), "cat");
    /* Back available: now idle the shortest, so last in line. */
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", NULL, 1, T0 + 45), 0);
    CHECK_STR_EQ(pick(t.st, NULL, sub), "cat");
    CHECK_STR_EQ(pick(t.st, "cat", sub), "amy");
    tk_reopen(&t);
    CHECK_STR_EQ(pick(t.st, NULL, sub), "cat"); /* all of it in the store */
    /* An agent on a call is skipped until it ends; a chat does not count. */
    char chat_id[EDGE_STORE_ID_MAX], on_call[EDGE_STORE_ID_MAX];
    edge_contact chat;
    edge_participant customer, agent;
    int resumed;
    CHECK_INT_EQ(tk_chat(t.st, "c3", NULL, T0 + 46, &chat, &customer, &resumed), 0);
    memcpy(chat_id, chat.id, sizeof(chat_id));
    edge_contact_free(&chat);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, chat_id, "cat", "Cat", T0 + 47, &agent), 0);
    CHECK_STR_EQ(pick(t.st, NULL, sub), "cat");
    call_in(t.st, "c4", NULL, 0, T0 + 48, on_call);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, on_call, "cat", "Cat", T0 + 49, &agent), 0);
    CHECK_STR_EQ(pick(t.st, NULL, sub), "amy");
    CHECK_STR_EQ(pick(t.st, "amy", sub), "");
    CHECK_INT_EQ(edge_store_contact_end(t.st, on_call, "agent_hangup", T0 + 50), 0);
    CHECK_STR_EQ(pick(t.st, NULL, sub), "cat");
    /* Arguments. */
    char too_long[EDGE_STORE_TEXT_MAX + 1];
    memset(too_long, 'x', sizeof(too_long) - 1);
    too_long[sizeof(too_long) - 1] = '\0';
    CHECK_INT_EQ(edge_store_agent_pick_idle(t.st, too_long, sub), EDGE_STORE_EINVAL);
    CHECK_STR_EQ(sub, "");
    CHECK_INT_EQ(edge_store_agent_pick_idle(t.st, NULL, NULL), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_agent_pick_idle(NULL, NULL, sub), EDGE_STORE_EINVAL);
    tk_teardown(&t);
}

static void test_call_next_queued(void)
{
    tk t;
    tk_setup(&t);
    char a[EDGE_STORE_ID_MAX], b[EDGE_STORE_ID_MAX], c[EDGE_STORE_ID_MAX], s[EDGE_STORE_ID_MAX];
    edge_contact next, chat;
    edge_participant p;
    int r;
    CHECK_INT_EQ(edge_store_call_next_queued(t.st, "", &next), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(tk_chat(t.st, "chatty", NULL, T0 - 100, &chat, &p, &r), 0); /* chats are pulled */
    call_in(t.st, "a", NULL, 5, T0 + 1, a);
    call_in(t.st, "b", NULL, 5, T0 + 0, b); /* older */
    call_in(t.st, "c", NULL, 1, T0 + 2, c); /* urgent */
    call_in(t.st, "s", "sales", 1, T0, s);
    CHECK_INT_EQ(edge_store_call_next_queued(t.st, "", &next), 0);
    CHECK_STR_EQ(next.id, c);
    CHECK_INT_EQ(next.kind, EDGE_CONTACT_CALL);
    CHECK_INT_EQ(next.state, EDGE_CONTACT_QUEUED);
    CHECK_STR_EQ(next.offered_to, "");
    edge_contact_free(&next);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, c, "amy", T0 + 3), 0); /* ringing: not next */
    CHECK_INT_EQ(edge_store_call_next_queued(t.st, NULL, &next), 0);
    CHECK_STR_EQ(next.id, b);
    edge_contact_free(&next);
    CHECK_INT_EQ(edge_store_call_next_queued(t.st, "sales", &next), 0);
    CHECK_STR_EQ(next.id, s);
    edge_contact_free(&next);
    CHECK_INT_EQ(edge_store_call_next_queued(t.st, "support", &next), EDGE_STORE_ENOTFOUND);
    CHECK_STR_EQ(next.id, "");
    CHECK_INT_EQ(edge_store_call_next_queued(t.st, "", NULL), EDGE_STORE_EINVAL);
    edge_contact_free(&chat);
    tk_teardown(&t);
}

/* The ring is visible on read, starts updated_ms, and the timeout scan
 * finds it; a requeue for the wrong agent changes nothing. */
static void test_ringing_since_and_requeue(void)
{
    tk t;
    tk_setup(&t);
    char a[EDGE_STORE_ID_MAX], b[EDGE_STORE_ID_MAX];
    edge_contact got, list[4];
    size_t n = 9;
    call_in(t.st, "a", NULL, 0, T0, a);
    call_in(t.st, "b", NULL, 0, T0, b);
    CHECK_INT_EQ(edge_store_calls_ringing_since(t.st, T0 + 100000, list, 4, &n), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, a, "amy", T0 + 2000), 0);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, b, "ben", T0 + 1000), 0);
    CHECK_INT_EQ(edge_store_contact_get(t.st, a, &got), 0);
    CHECK_STR_EQ(got.offered_to, "amy");
    CHECK_INT_EQ(got.updated_ms, T0 + 2000);
    edge_contact_free(&got);
    CHECK_INT_EQ(edge_store_calls_ringing_since(t.st, T0 + 1500, list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_STR_EQ(list[0].id, b);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    CHECK_INT_EQ(edge_store_calls_ringing_since(t.st, T0 + 2000, list, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) { /* longest ringing first */
        CHECK_STR_EQ(list[0].id, b);
        CHECK_STR_EQ(list[1].id, a);
    }
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    /* Bound to the agent it rings. */
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, a, "ben", T0 + 3000), EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, a, "amy", T0 + 3000), 0);
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, a, "amy", T0 + 3001), EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(edge_store_contact_get(t.st, a, &got), 0);
    CHECK_INT_EQ(got.state, EDGE_CONTACT_QUEUED);
    CHECK_STR_EQ(got.offered_to, "");
    CHECK_INT_EQ(got.updated_ms, T0 + 3000);
    edge_contact_free(&got);
    CHECK_INT_EQ(edge_store_contact_end(t.st, b, "customer_hangup", T0 + 3002), 0);
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, b, "ben", T0 + 3003), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, "nope", "ben", T0), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, a, "", T0), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_calls_ringing_since(t.st, T0 + 100000, list, 4, &n), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(edge_store_calls_ringing_since(t.st, T0, NULL, 1, &n), EDGE_STORE_EINVAL);
    tk_teardown(&t);
}

/* 1 when SQLite's plan for sql mentions index (as "USING ... INDEX name"). */
static int plan_uses(sqlite3 *db, const char *sql, const char *index)
{
    char explain[1024];
    sqlite3_stmt *s = NULL;
    int found = 0;
    snprintf(explain, sizeof(explain), "EXPLAIN QUERY PLAN %s", sql);
    if (sqlite3_prepare_v2(db, explain, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "explain failed: %s: %s\n", sql, sqlite3_errmsg(db));
        return 0;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *detail = (const char *)sqlite3_column_text(s, 3);
        if (detail != NULL && strstr(detail, "INDEX") && strstr(detail, index))
            found = 1;
    }
    sqlite3_finalize(s);
    return found;
}

/* The queries of the offer path are index walks, not table scans (the
 * SQL here repeats the backend's WHERE clauses). */
static void test_offer_queries_are_indexed(void)
{
    tk t;
    tk_setup(&t);
    sqlite3 *db = tk_raw(t.dir);
    static const char pick_sql[] =
        "SELECT sub FROM agents WHERE available = 1 AND sub <> 'x' AND NOT EXISTS"
        " (SELECT 1 FROM contacts WHERE state = 'ringing' AND offered_to = agents.sub)"
        " AND NOT EXISTS (SELECT 1 FROM contacts WHERE kind = 'call' AND state = 'connected'"
        " AND agent_sub = agents.sub)"
        " ORDER BY updated_ms, sub LIMIT 1";
    CHECK(plan_uses(db, pick_sql, "agents_idle"));
    CHECK(plan_uses(db, pick_sql, "contacts_ringing_by_agent"));
    CHECK(plan_uses(db, pick_sql, "contacts_call_in_progress"));
    CHECK(plan_uses(db,
                    "SELECT id FROM contacts WHERE kind = 'call' AND state = 'queued'"
                    " AND queue = '' ORDER BY priority, created_ms, rowid LIMIT 1",
                    "contacts_queued_calls"));
    CHECK(plan_uses(db,
                    "SELECT id FROM contacts WHERE state = 'ringing' AND updated_ms <= 5"
                    " ORDER BY updated_ms, rowid LIMIT 64",
                    "contacts_ringing_since"));
    sqlite3_close(db);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_pick_idle);
    UNIT_RUN(test_call_next_queued);
    UNIT_RUN(test_ringing_since_and_requeue);
    UNIT_RUN(test_offer_queries_are_indexed);
    return UNIT_DONE();
}
