/* test_store_wrapup.c - dispositions and agents' own canned responses:
 * a disposition only by the contact's agent (others: ENOTFOUND), replaced
 * by a later one, deleted with its contact by retention; canned
 * responses per agent, oldest first, limits and the per-agent cap, and
 * nobody deletes another agent's. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

static void test_disposition(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant p, a;
    int r;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c, &p, &r), 0);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, c.id, "amy", "Amy", T0 + 1, &a), 0);
    char code[EDGE_STORE_TEXT_MAX] = "x";
    CHECK_INT_EQ(edge_store_disposition_get(t.st, c.id, "amy", code), 0);
    CHECK_STR_EQ(code, "");
    CHECK_INT_EQ(edge_store_disposition_set(t.st, c.id, "bob", "resolved", T0 + 2),
                 EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_disposition_set(t.st, "nope", "amy", "resolved", T0 + 2),
                 EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_disposition_set(t.st, c.id, "amy", "", T0 + 2), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_disposition_set(t.st, c.id, "amy", "resolved", T0 + 2), 0);
    CHECK_INT_EQ(edge_store_disposition_set(t.st, c.id, "amy", "escalated", T0 + 3), 0);
    CHECK_INT_EQ(edge_store_disposition_get(t.st, c.id, "amy", code), 0);
    CHECK_STR_EQ(code, "escalated");
    CHECK_INT_EQ(edge_store_disposition_get(t.st, c.id, "bob", code), EDGE_STORE_ENOTFOUND);
    /* Deleted with the contact. */
    CHECK_INT_EQ(edge_store_contact_end(t.st, c.id, "agent_ended", T0 + 4), 0);
    size_t purged = 0;
    CHECK_INT_EQ(edge_store_purge_ended(t.st, T0 + 5, 10, &purged), 0);
    CHECK_INT_EQ(purged, 1);
    sqlite3 *db = tk_raw(t.dir);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM dispositions"), 0);
    sqlite3_close(db);
    edge_contact_free(&c);
    tk_teardown(&t);
}

static void test_canned(void)
{
    tk t;
    tk_setup(&t);
    edge_canned c;
    CHECK_INT_EQ(edge_store_canned_add(t.st, "amy", "Hello", "Hi, how can I help?", 100, 2, T0, &c),
                 0);
    CHECK_STR_EQ(c.title, "Hello");
    CHECK_STR_EQ(c.content, "Hi, how can I help?");
    char first[EDGE_STORE_ID_MAX];
    memcpy(first, c.id, sizeof(first));
    edge_canned_free(&c);
    CHECK_INT_EQ(edge_store_canned_add(t.st, "amy", "Bye", "Goodbye!", 100, 2, T0 + 1, &c), 0);
    edge_canned_free(&c);
    CHECK_INT_EQ(edge_store_canned_add(t.st, "amy", "Third", "x", 100, 2, T0 + 2, &c),
                 EDGE_STORE_ECAP);
    CHECK_INT_EQ(c.content == NULL, 1);
    CHECK_INT_EQ(edge_store_canned_add(t.st, "amy", "Long", "12345", 4, 0, T0, &c),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_canned_add(t.st, "amy", "", "x", 4, 0, T0, &c), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_canned_add(t.st, "ben", "Mine", "Ben's", 100, 2, T0, &c), 0);
    edge_canned_free(&c);
    edge_canned list[4];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_canned_list(t.st, "amy", list, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_STR_EQ(list[0].title, "Hello");
        CHECK_STR_EQ(list[1].content, "Goodbye!");
    }
    for (size_t i = 0; i < n; i++)
        edge_canned_free(&list[i]);
    CHECK_INT_EQ(edge_store_canned_delete(t.st, "ben", first), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_canned_delete(t.st, "amy", first), 0);
    CHECK_INT_EQ(edge_store_canned_delete(t.st, "amy", first), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_canned_list(t.st, "amy", list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++)
        edge_canned_free(&list[i]);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_disposition);
    UNIT_RUN(test_canned);
    return UNIT_DONE();
}
