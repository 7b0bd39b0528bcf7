/* test_store_retention.c - edge_store_purge_ended with explicit times:
 * only contacts that ended before the cutoff go, oldest first and at most
 * a batch at a time, with their messages, events and participants; open
 * contacts and newer ended ones stay whole; a newer chat that linked to a
 * purged one forgets the link; expired routes go, live ones stay. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

#define DAY 86400000LL

/* A chat for sub with one message and one event, ended at ended_ms (0:
 * left open). Fills the contact id. */
static void chat_at(edge_store *st, const char *sub, int64_t created_ms, int64_t ended_ms,
                    char cid[EDGE_STORE_ID_MAX])
{
    edge_contact c;
    edge_participant p;
    int r;
    CHECK_INT_EQ(tk_chat(st, sub, "hello", created_ms, &c, &p, &r), 0);
    CHECK_INT_EQ(r, 0);
    int64_t id = 0;
    CHECK_INT_EQ(edge_store_event_add(st, p.id, c.id, "queue", "{}", created_ms, &id), 0);
    if (ended_ms)
        CHECK_INT_EQ(edge_store_contact_end(st, c.id, "done", ended_ms), 0);
    memcpy(cid, c.id, EDGE_STORE_ID_MAX);
    edge_contact_free(&c);
}

static long long rows(sqlite3 *db, const char *table, const char *cid)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE contact_id = '%s'", table, cid);
    return tk_raw_int(db, sql);
}

static void test_purge_ended_before_cutoff(void)
{
    tk t;
    tk_setup(&t);
    char old1[EDGE_STORE_ID_MAX], old2[EDGE_STORE_ID_MAX], recent[EDGE_STORE_ID_MAX],
        open[EDGE_STORE_ID_MAX], bob_old[EDGE_STORE_ID_MAX], bob_new[EDGE_STORE_ID_MAX];
    int64_t now = T0 + 100 * DAY;
    chat_at(t.st, "a1", T0, now - 40 * DAY, old1);
    chat_at(t.st, "a2", T0, now - 31 * DAY, old2);
    chat_at(t.st, "a3", T0, now - 29 * DAY, recent);
    chat_at(t.st, "a4", T0, 0, open); /* created long ago, never ended */
    chat_at(t.st, "bob", T0, now - 35 * DAY, bob_old);
    chat_at(t.st, "bob", now - DAY, 0, bob_new); /* links to bob_old */
    edge_contact c;
    CHECK_INT_EQ(edge_store_contact_get(t.st, bob_new, &c), 0);
    CHECK_STR_EQ(c.previous_contact_id, bob_old);
    edge_contact_free(&c);
    edge_adhoc_route expired, live;
    CHECK_INT_EQ(edge_store_route_create(t.st, "amy", "x@example.test", "", T0, T0 + 900000,
                                         &expired),
                 0);
    CHECK_INT_EQ(edge_store_route_create(t.st, "amy", "y@example.test", "", now, now + 900000,
                                         &live),
                 0);

    int64_t cutoff = now - 30 * DAY;
    size_t purged = 0;
    /* a batch of 2: the two oldest (old1, then bob_old), not old2 */
    CHECK_INT_EQ(edge_store_purge_ended(t.st, cutoff, 2, &purged), 0);
    CHECK_INT_EQ(purged, 2);
    CHECK_INT_EQ(edge_store_contact_get(t.st, old1, &c), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_contact_get(t.st, bob_old, &c), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_contact_get(t.st, old2, &c), 0);
    edge_contact_free(&c);
    CHECK_INT_EQ(edge_store_contact_get(t.st, bob_new, &c), 0);
    CHECK_STR_EQ(c.previous_contact_id, ""); /* the link went with the contact */
    edge_contact_free(&c);
    /* the rest of what is due, then nothing */
    CHECK_INT_EQ(edge_store_purge_ended(t.st, cutoff, 100, &purged), 0);
    CHECK_INT_EQ(purged, 1);
    CHECK_INT_EQ(edge_store_purge_ended(t.st, cutoff, 100, &purged), 0);
    CHECK_INT_EQ(purged, 0);

    sqlite3 *db = tk_raw(t.dir);
    const char *gone[] = {old1, old2, bob_old};
    for (int i = 0; i < 3; i++) {
        CHECK_INT_EQ(rows(db, "messages", gone[i]), 0);
        CHECK_INT_EQ(rows(db, "events", gone[i]), 0);
        CHECK_INT_EQ(rows(db, "participants", gone[i]), 0);
    }
    const char *kept[] = {recent, open, bob_new};
    for (int i = 0; i < 3; i++) {
        CHECK_INT_EQ(rows(db, "messages", kept[i]), 1);
        CHECK_INT_EQ(rows(db, "events", kept[i]), 1);
        CHECK_INT_EQ(rows(db, "participants", kept[i]), 1);
    }
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM contacts"), 3);
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM adhoc_routes WHERE route_id = '%s'",
             expired.route_id);
    CHECK_INT_EQ(tk_raw_int(db, sql), 0);
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM adhoc_routes WHERE route_id = '%s'",
             live.route_id);
    CHECK_INT_EQ(tk_raw_int(db, sql), 1);
    sqlite3_stmt *fk = NULL; /* no rows: nothing points at a deleted row */
    CHECK_INT_EQ(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &fk, NULL), SQLITE_OK);
    CHECK_INT_EQ(sqlite3_step(fk), SQLITE_DONE);
    sqlite3_finalize(fk);
    sqlite3_close(db);

    /* the open-chat answers are unaffected */
    edge_open_chat oc;
    CHECK_INT_EQ(edge_store_chat_open(t.st, "a4", now, &oc), 0);
    CHECK_STR_EQ(oc.contact_id, open);
    CHECK_INT_EQ(edge_store_purge_ended(t.st, cutoff, 0, &purged), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_purge_ended(t.st, cutoff, EDGE_STORE_PURGE_MAX + 1, &purged),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_purge_ended(t.st, cutoff, EDGE_STORE_PURGE_MAX, &purged), 0);
    CHECK_INT_EQ(edge_store_purge_ended(NULL, cutoff, 1, &purged), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_purge_ended(t.st, cutoff, 1, NULL), EDGE_STORE_EINVAL);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_purge_ended_before_cutoff);
    return UNIT_DONE();
}
