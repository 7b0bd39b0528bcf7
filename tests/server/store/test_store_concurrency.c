/* test_store_concurrency.c - the atomic operations hold across PROCESSES
 * sharing one database file, as several edge servers on one host would:
 * forked children, released together by a start gun, race chat_start for
 * one identity, accept for one contact, redeem for one route, append to
 * one transcript, and even the first open (schema creation) of a new file. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

#define RACERS 8

typedef struct race_arg {
    char contact_id[EDGE_STORE_ID_MAX];
    char participant_id[2][EDGE_STORE_ID_MAX];
    char route_id[16];
} race_arg;

static void child_chat_start(edge_store *st, int index, void *arg, tk_result *out)
{
    edge_contact c;
    edge_participant p;
    int resumed = -1;
    out->rc = tk_chat(st, "alice", "hello", T0 + index, &c, &p, &resumed);
    out->flag = resumed;
    memcpy(out->id, c.id, sizeof(out->id));
    edge_contact_free(&c);
}

static void test_chat_start_race(void)
{
    char dir[64];
    tk_mkdtemp(dir);
    edge_store_close(tk_open(dir)); /* create the schema first */
    tk_result res[RACERS];
    CHECK_INT_EQ(tk_race(dir, RACERS, child_chat_start, NULL, res, 0), 0);
    int created = 0;
    for (int i = 0; i < RACERS; i++) {
        CHECK_INT_EQ(res[i].rc, 0);
        CHECK_STR_EQ(res[i].id, res[0].id);
        created += res[i].flag == 0;
    }
    CHECK_INT_EQ(created, 1);
    sqlite3 *db = tk_raw(dir);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM contacts WHERE customer_sub = 'alice'"
                                " AND state <> 'ended'"),
                 1);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM participants"), 1);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM messages"), 1);
    sqlite3_close(db);
    tk_rmtree(dir);
}

static void child_fresh_open(edge_store *st, int index, void *arg, tk_result *out)
{
    char sub[16];
    snprintf(sub, sizeof(sub), "user-%d", index);
    edge_contact c;
    edge_participant p;
    int resumed = -1;
    out->rc = tk_chat(st, sub, NULL, T0, &c, &p, &resumed);
    out->flag = edge_store_schema_version(st);
    edge_contact_free(&c);
}

/* Every child opens a brand-new file at once: the WAL switch and the
 * migration must each happen once, and every opener must succeed. */
static void test_fresh_open_race(void)
{
    char dir[64];
    tk_mkdtemp(dir);
    tk_result res[RACERS];
    CHECK_INT_EQ(tk_race(dir, RACERS, child_fresh_open, NULL, res, 1), 0);
    for (int i = 0; i < RACERS; i++) {
        CHECK_INT_EQ(res[i].rc, 0);
        CHECK_INT_EQ(res[i].flag, TK_SCHEMA_LATEST); /* the schema version every opener sees */
    }
    sqlite3 *db = tk_raw(dir);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM contacts"), RACERS);
    CHECK_INT_EQ(tk_raw_int(db, "PRAGMA user_version"), TK_SCHEMA_LATEST);
    sqlite3_close(db);
    tk_rmtree(dir);
}

static void child_accept(edge_store *st, int index, void *arg, tk_result *out)
{
    const race_arg *ra = arg;
    char agent[32];
    snprintf(agent, sizeof(agent), "agent-%d", index);
    edge_participant p;
    out->rc = edge_store_contact_accept(st, ra->contact_id, agent, agent, T0 + 10, &p);
    memcpy(out->id, p.id, sizeof(out->id));
}

static void test_accept_race(void)
{
    char dir[64];
    tk_mkdtemp(dir);
    race_arg ra;
    edge_store *st = tk_open(dir);
    edge_contact c;
    edge_participant p;
    int r;
    CHECK_INT_EQ(tk_chat(st, "alice", NULL, T0, &c, &p, &r), 0);
    memcpy(ra.contact_id, c.id, sizeof(ra.contact_id));
    edge_contact_free(&c);
    edge_store_close(st);

    tk_result res[RACERS];
    CHECK_INT_EQ(tk_race(dir, RACERS, child_accept, &ra, res, 0), 0);
    int winners = 0, winner = -1;
    for (int i = 0; i < RACERS; i++) {
        if (res[i].rc == 0) {
            winners++;
            winner = i;
        } else {
            CHECK_INT_EQ(res[i].rc, EDGE_STORE_ECONFLICT);
        }
    }
    CHECK_INT_EQ(winners, 1);
    st = tk_open(dir);
    CHECK_INT_EQ(edge_store_contact_get(st, ra.contact_id, &c), 0);
    char want[32];
    snprintf(want, sizeof(want), "agent-%d", winner);
    CHECK_STR_EQ(c.agent_sub, want);
    CHECK_INT_EQ(c.state, EDGE_CONTACT_CONNECTED);
    edge_contact_free(&c);
    edge_participant ps[RACERS + 1];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_participants_of(st, ra.contact_id, ps, RACERS + 1, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2 && winner >= 0)
        CHECK_STR_EQ(ps[1].id, res[winner].id);
    edge_store_close(st);
    tk_rmtree(dir);
}

static void child_redeem(edge_store *st, int index, void *arg, tk_result *out)
{
    const race_arg *ra = arg;
    char contact[32];
    snprintf(contact, sizeof(contact), "contact-%d", index);
    edge_adhoc_route r;
    out->rc = edge_store_route_redeem(st, ra->route_id, "Guest@Example.test", contact, T0 + 5, &r);
}

static void test_redeem_race(void)
{
    char dir[64];
    tk_mkdtemp(dir);
    race_arg ra;
    edge_store *st = tk_open(dir);
    edge_adhoc_route r;
    CHECK_INT_EQ(edge_store_route_create(st, "amy", "guest@example.test", "", T0, T0 + 60000, &r),
                 0);
    memcpy(ra.route_id, r.route_id, sizeof(ra.route_id));
    edge_store_close(st);

    tk_result res[RACERS];
    CHECK_INT_EQ(tk_race(dir, RACERS, child_redeem, &ra, res, 0), 0);
    int winners = 0, winner = -1;
    for (int i = 0; i < RACERS; i++) {
        if (res[i].rc == 0) {
            winners++;
            winner = i;
        } else {
            CHECK_INT_EQ(res[i].rc, EDGE_STORE_ECONFLICT);
        }
    }
    CHECK_INT_EQ(winners, 1);
    sqlite3 *db = tk_raw(dir);
    char sql[128];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM adhoc_routes WHERE used_by_contact = 'contact-%d'", winner);
    CHECK_INT_EQ(tk_raw_int(db, sql), 1);
    sqlite3_close(db);
    tk_rmtree(dir);
}

#define PER_CHILD 25

static void child_append(edge_store *st, int index, void *arg, tk_result *out)
{
    const race_arg *ra = arg;
    for (int i = 0; i < PER_CHILD; i++) {
        char text[32];
        edge_message m;
        snprintf(text, sizeof(text), "%d:%d", index, i);
        int rc = edge_store_message_add(st, ra->participant_id[index % 2], "text/plain", text, 64,
                                        T0 + i, &m);
        edge_message_free(&m);
        if (rc != 0) {
            out->rc = rc;
            return;
        }
    }
}

/* Writers in several processes interleave on one transcript: seqs stay
 * 1..N with no gap and no duplicate. */
static void test_append_race(void)
{
    char dir[64];
    tk_mkdtemp(dir);
    race_arg ra;
    edge_store *st = tk_open(dir);
    edge_contact c;
    edge_participant p, a;
    int r;
    CHECK_INT_EQ(tk_chat(st, "alice", NULL, T0, &c, &p, &r), 0);
    CHECK_INT_EQ(edge_store_contact_accept(st, c.id, "amy", "Amy", T0, &a), 0);
    memcpy(ra.contact_id, c.id, sizeof(ra.contact_id));
    memcpy(ra.participant_id[0], p.id, sizeof(ra.participant_id[0]));
    memcpy(ra.participant_id[1], a.id, sizeof(ra.participant_id[1]));
    edge_contact_free(&c);
    edge_store_close(st);

    tk_result res[RACERS];
    CHECK_INT_EQ(tk_race(dir, RACERS, child_append, &ra, res, 0), 0);
    for (int i = 0; i < RACERS; i++)
        CHECK_INT_EQ(res[i].rc, 0);
    sqlite3 *db = tk_raw(dir);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM messages"), RACERS * PER_CHILD);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(DISTINCT seq) FROM messages"), RACERS * PER_CHILD);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT MIN(seq) FROM messages"), 1);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT MAX(seq) FROM messages"), RACERS * PER_CHILD);
    sqlite3_close(db);
    tk_rmtree(dir);
}

int main(void)
{
    UNIT_RUN(test_chat_start_race);
    UNIT_RUN(test_fresh_open_race);
    UNIT_RUN(test_accept_race);
    UNIT_RUN(test_redeem_race);
    UNIT_RUN(test_append_race);
    return UNIT_DONE();
}
