/* test_store_notes.c - agents' private notes: only the contact's agent adds
 * or reads them (others and unknown contacts: ENOTFOUND), open or ended;
 * content limits and the per-contact cap; oldest first; never in the
 * transcript; deleted with their contact by retention. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

/* A chat for alice accepted by amy; fills the contact id. */
static void accepted_chat(edge_store *st, const char *sub, char cid[EDGE_STORE_ID_MAX])
{
    edge_contact c;
    edge_participant p, a;
    int r;
    CHECK_INT_EQ(tk_chat(st, sub, NULL, T0, &c, &p, &r), 0);
    CHECK_INT_EQ(edge_store_contact_accept(st, c.id, "amy", "Amy", T0 + 1, &a), 0);
    memcpy(cid, c.id, EDGE_STORE_ID_MAX);
    edge_contact_free(&c);
}

static void test_notes_by_the_contacts_agent_only(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX];
    accepted_chat(t.st, "alice", cid);
    edge_note n;
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", "Amy", "VIP, be kind", 100, 0, T0 + 2, &n),
                 0);
    CHECK_STR_EQ(n.content, "VIP, be kind");
    CHECK_STR_EQ(n.author_name, "Amy");
    CHECK_STR_EQ(n.contact_id, cid);
    CHECK_INT_EQ(strlen(n.id), 32);
    CHECK_INT_EQ(n.created_ms, T0 + 2);
    edge_note_free(&n);
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", "Amy", "second", 100, 0, T0 + 3, &n), 0);
    edge_note_free(&n);
    /* Another agent, or no such contact: as if it did not exist. */
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "bob", "Bob", "mine?", 100, 0, T0, &n),
                 EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(n.content == NULL, 1);
    CHECK_INT_EQ(edge_store_note_add(t.st, "nope", "amy", "Amy", "x", 100, 0, T0, &n),
                 EDGE_STORE_ENOTFOUND);
    edge_note list[4];
    size_t count = 9;
    CHECK_INT_EQ(edge_store_notes(t.st, cid, "bob", list, 4, &count), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(count, 0);
    CHECK_INT_EQ(edge_store_notes(t.st, cid, "amy", list, 4, &count), 0);
    CHECK_INT_EQ(count, 2);
    if (count == 2) {
        CHECK_STR_EQ(list[0].content, "VIP, be kind");
        CHECK_STR_EQ(list[1].content, "second");
    }
    for (size_t i = 0; i < count; i++)
        edge_note_free(&list[i]);
    /* Never part of the transcript. */
    edge_message page[4];
    int more = 0;
    CHECK_INT_EQ(edge_store_transcript(t.st, cid, 0, page, 4, &count, &more), 0);
    CHECK_INT_EQ(count, 0);
    /* Ended contacts take notes too (wrap-up). */
    CHECK_INT_EQ(edge_store_contact_end(t.st, cid, "agent_ended", T0 + 5), 0);
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", "Amy", "after", 100, 0, T0 + 6, &n), 0);
    edge_note_free(&n);
    tk_teardown(&t);
}

static void test_note_limits(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX];
    accepted_chat(t.st, "alice", cid);
    edge_note n;
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", "Amy", "", 100, 0, T0, &n),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", "Amy", "12345", 4, 0, T0, &n),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "", "Amy", "x", 4, 0, T0, &n), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", NULL, "x", 4, 0, T0, &n), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", "Amy", "x", 4, 0, T0, NULL),
                 EDGE_STORE_EINVAL);
    for (int i = 0; i < 3; i++) {
        CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", "Amy", "x", 4, 3, T0, &n), 0);
        edge_note_free(&n);
    }
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", "Amy", "x", 4, 3, T0, &n), EDGE_STORE_ECAP);
    size_t count = 0;
    CHECK_INT_EQ(edge_store_notes(t.st, cid, "amy", NULL, 1, &count), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_notes(t.st, cid, "amy", NULL, 0, &count), 0);
    CHECK_INT_EQ(count, 0);
    tk_teardown(&t);
}

static void test_notes_go_with_their_contact(void)
{
    tk t;
    tk_setup(&t);
    char cid[EDGE_STORE_ID_MAX];
    accepted_chat(t.st, "alice", cid);
    edge_note n;
    CHECK_INT_EQ(edge_store_note_add(t.st, cid, "amy", "Amy", "gone soon", 100, 0, T0, &n), 0);
    edge_note_free(&n);
    CHECK_INT_EQ(edge_store_contact_end(t.st, cid, "agent_ended", T0 + 1), 0);
    size_t purged = 0;
    CHECK_INT_EQ(edge_store_purge_ended(t.st, T0 + 2, 10, &purged), 0);
    CHECK_INT_EQ(purged, 1);
    edge_store_close(t.st);
    t.st = NULL;
    sqlite3 *db = tk_raw(t.dir);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM notes"), 0);
    sqlite3_close(db);
    t.st = tk_open(t.dir);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_notes_by_the_contacts_agent_only);
    UNIT_RUN(test_note_limits);
    UNIT_RUN(test_notes_go_with_their_contact);
    return UNIT_DONE();
}
