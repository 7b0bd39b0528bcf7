/* test_store_resume.c - edge_store_chat_open, the resume fast path: it
 * finds the open chat, sees this connection's writes at once (the update
 * hook), another connection's once the clock has moved on by
 * EDGE_STORE_OPEN_CHAT_LAG_MS (PRAGMA data_version), and never remembers
 * "no open chat". */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

static void test_found_then_ended_here(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c, &p, &resumed), 0);
    edge_open_chat o;
    for (int i = 0; i < 2; i++) { /* read, then from the table */
        CHECK_INT_EQ(edge_store_chat_open(t.st, "alice", T0, &o), 0);
        CHECK_STR_EQ(o.contact_id, c.id);
        CHECK_STR_EQ(o.participant_id, p.id);
        CHECK_STR_EQ(o.previous_contact_id, "");
    }
    /* Accepting changes the row but not the answer. */
    edge_participant agent;
    CHECK_INT_EQ(edge_store_contact_accept(t.st, c.id, "agent-1", "Ann", T0, &agent), 0);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "alice", T0, &o), 0);
    CHECK_STR_EQ(o.contact_id, c.id);
    /* Ended by this connection: gone in the same millisecond. */
    CHECK_INT_EQ(edge_store_contact_end(t.st, c.id, "CUSTOMER_DISCONNECT", T0), 0);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "alice", T0, &o), EDGE_STORE_ENOTFOUND);
    CHECK_STR_EQ(o.contact_id, "");
    /* The next chat, linked to the last one. */
    edge_contact c2;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c2, &p, &resumed), 0);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "alice", T0, &o), 0);
    CHECK_STR_EQ(o.contact_id, c2.id);
    CHECK_STR_EQ(o.previous_contact_id, c.id);
    edge_contact_free(&c);
    edge_contact_free(&c2);
    tk_teardown(&t);
}

static void test_none_and_invalid(void)
{
    tk t;
    tk_setup(&t);
    edge_open_chat o;
    CHECK_INT_EQ(edge_store_chat_open(t.st, "nobody", T0, &o), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "", T0, &o), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_chat_open(t.st, NULL, T0, &o), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "nobody", T0, NULL), EDGE_STORE_EINVAL);
    char long_sub[EDGE_STORE_TEXT_MAX + 1];
    memset(long_sub, 's', sizeof(long_sub) - 1);
    long_sub[sizeof(long_sub) - 1] = '\0';
    CHECK_INT_EQ(edge_store_chat_open(t.st, long_sub, T0, &o), EDGE_STORE_EINVAL);
    /* A call is not a chat. */
    edge_call_start call = {.sub = "caller", .to_number = "+15551234567"};
    edge_contact c;
    edge_participant p;
    CHECK_INT_EQ(edge_store_call_start(t.st, &call, T0, &c, &p), 0);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "caller", T0, &o), EDGE_STORE_ENOTFOUND);
    edge_contact_free(&c);
    tk_teardown(&t);
}

/* Another connection (another process, as far as SQLite can tell) ends the
 * chat: within the same millisecond the table may still answer; a
 * millisecond later the answer is read again. */
static void test_other_connection_end(void)
{
    tk t;
    tk_setup(&t);
    edge_store *other = tk_open(t.dir);
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(tk_chat(t.st, "bob", NULL, T0, &c, &p, &resumed), 0);
    edge_open_chat o;
    CHECK_INT_EQ(edge_store_chat_open(t.st, "bob", T0, &o), 0);
    CHECK_INT_EQ(edge_store_contact_end(other, c.id, "AGENT_DISCONNECT", T0), 0);
    /* The same millisecond: the lag the contract allows, from the table. */
    CHECK_INT_EQ(edge_store_chat_open(t.st, "bob", T0, &o), 0);
    CHECK_STR_EQ(o.contact_id, c.id);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "bob", T0 + EDGE_STORE_OPEN_CHAT_LAG_MS, &o),
                 EDGE_STORE_ENOTFOUND);
    /* A clock that went back is a new millisecond too. */
    CHECK_INT_EQ(tk_chat(t.st, "bob", NULL, T0, &c, &p, &resumed), 0);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "bob", T0 - 5, &o), 0);
    CHECK_INT_EQ(edge_store_contact_end(other, c.id, "AGENT_DISCONNECT", T0), 0);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "bob", T0 - 6, &o), EDGE_STORE_ENOTFOUND);
    edge_contact_free(&c);
    edge_store_close(other);
    tk_teardown(&t);
}

/* "No open chat" is never remembered: a chat another connection opens is
 * found at once, in the same millisecond. */
static void test_other_connection_start(void)
{
    tk t;
    tk_setup(&t);
    edge_store *other = tk_open(t.dir);
    edge_open_chat o;
    CHECK_INT_EQ(edge_store_chat_open(t.st, "carol", T0, &o), EDGE_STORE_ENOTFOUND);
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(tk_chat(other, "carol", NULL, T0, &c, &p, &resumed), 0);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "carol", T0, &o), 0);
    CHECK_STR_EQ(o.contact_id, c.id);
    CHECK_STR_EQ(o.participant_id, p.id);
    edge_contact_free(&c);
    edge_store_close(other);
    tk_teardown(&t);
}

/* A raw UPDATE on this store's own file through another handle, and a
 * rolled-back end through this one: neither leaves a wrong answer. */
static void test_raw_update_and_rollback(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(tk_chat(t.st, "dan", NULL, T0, &c, &p, &resumed), 0);
    edge_open_chat o;
    CHECK_INT_EQ(edge_store_chat_open(t.st, "dan", T0, &o), 0);
    sqlite3 *raw = tk_raw(t.dir);
    CHECK_INT_EQ(sqlite3_exec(raw, "UPDATE contacts SET state = 'ended', ended_ms = 1", NULL, NULL,
                              NULL),
                 SQLITE_OK);
    sqlite3_close(raw);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "dan", T0 + 1, &o), EDGE_STORE_ENOTFOUND);
    /* Ending an ended contact fails and changes nothing. */
    CHECK_INT_EQ(edge_store_contact_end(t.st, c.id, "AGAIN", T0 + 1), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(edge_store_chat_open(t.st, "dan", T0 + 1, &o), EDGE_STORE_ENOTFOUND);
    edge_contact_free(&c);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_found_then_ended_here);
    UNIT_RUN(test_none_and_invalid);
    UNIT_RUN(test_other_connection_end);
    UNIT_RUN(test_other_connection_start);
    UNIT_RUN(test_raw_update_and_rollback);
    return UNIT_DONE();
}
