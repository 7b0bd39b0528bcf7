/* test_store_presence.c - what presence and liveness need from the store:
 * away_since_ms set and cleared for agents and customers, the grace scans
 * (agents away, callers gone), taking an agent offline only while still
 * away (a reconnect wins), the reset at start, the agents listening,
 * an agent's open contacts and row, events of an agent's feed (no
 * participant row) and its newest id, and the v5 migration keeping every event id and the sequence. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

static size_t away_agents(edge_store *st, int64_t before, char first[EDGE_STORE_TEXT_MAX])
{
    edge_agent_row rows[8];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_agents_away_since(st, before, rows, 8, &n), 0);
    snprintf(first, EDGE_STORE_TEXT_MAX, "%s", n > 0 ? rows[0].sub : "");
    return n;
}

static void test_agent_presence_and_expire(void)
{
    tk t;
    tk_setup(&t);
    char sub[EDGE_STORE_TEXT_MAX];
    int avail = 0;
    /* Available without a stream: away from the status change. */
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", "Amy", 1, T0), 0);
    CHECK_INT_EQ(away_agents(t.st, T0 - 1, sub), 0);
    CHECK_INT_EQ(away_agents(t.st, T0, sub), 1);
    CHECK_STR_EQ(sub, "amy");
    /* A stream opens: present; expiring now changes nothing. */
    CHECK_INT_EQ(edge_store_agent_presence(t.st, "amy", 1, T0 + 1), 0);
    CHECK_INT_EQ(away_agents(t.st, T0 + 100, sub), 0);
    CHECK_INT_EQ(edge_store_agent_expire(t.st, "amy", T0 + 100, T0 + 100), EDGE_STORE_ESTATE);
    /* The last stream closes: away from then, offline only past it. */
    CHECK_INT_EQ(edge_store_agent_presence(t.st, "amy", 0, T0 + 5), 0);
    CHECK_INT_EQ(edge_store_agent_expire(t.st, "amy", T0 + 4, T0 + 10), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(edge_store_agents_available(t.st, &avail), 0);
    CHECK_INT_EQ(avail, 1);
    CHECK_INT_EQ(edge_store_agent_expire(t.st, "amy", T0 + 5, T0 + 10), 0);
    CHECK_INT_EQ(edge_store_agents_available(t.st, &avail), 0);
    CHECK_INT_EQ(avail, 0);
    CHECK_INT_EQ(away_agents(t.st, T0 + 100, sub), 0); /* offline agents are not scanned */
    /* Available again with no stream: the grace starts over. */
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", "Amy", 1, T0 + 50), 0);
    CHECK_INT_EQ(away_agents(t.st, T0 + 49, sub), 0);
    CHECK_INT_EQ(away_agents(t.st, T0 + 50, sub), 1);
    /* A console opened before any status makes an offline row. */
    CHECK_INT_EQ(edge_store_agent_presence(t.st, "ben", 1, T0), 0);
    edge_agent_row rows[8];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_agents_listening(t.st, rows, 8, &n), 0);
    CHECK_INT_EQ(n, 2); /* amy available (in her grace), ben streaming */
    CHECK_STR_EQ(rows[0].sub, "amy");
    CHECK_STR_EQ(rows[1].sub, "ben");
    CHECK_INT_EQ(rows[1].available, 0);
    CHECK_INT_EQ(edge_store_agent_presence(t.st, "ben", 0, T0 + 1), 0);
    CHECK_INT_EQ(edge_store_agents_listening(t.st, rows, 8, &n), 0);
    CHECK_INT_EQ(n, 1);
    tk_teardown(&t);
}

static size_t gone_calls(edge_store *st, int64_t before, char first[EDGE_STORE_ID_MAX])
{
    edge_contact c[8];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_calls_caller_gone(st, before, c, 8, &n), 0);
    snprintf(first, EDGE_STORE_ID_MAX, "%s", n > 0 ? c[0].id : "");
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&c[i]);
    return n;
}

static void test_caller_gone(void)
{
    tk t;
    tk_setup(&t);
    edge_call_start in = {.sub = "carl", .to_number = "+4930123456"};
    edge_contact c, got;
    edge_participant p;
    char id[EDGE_STORE_ID_MAX];
    CHECK_INT_EQ(edge_store_call_start(t.st, &in, T0, &c, &p), 0);
    CHECK_INT_EQ(c.customer_away_ms, T0); /* no stream yet */
    CHECK_INT_EQ(gone_calls(t.st, T0, id), 1);
    CHECK_STR_EQ(id, c.id);
    CHECK_INT_EQ(edge_store_participant_presence(t.st, p.id, 1, T0 + 1), 0);
    CHECK_INT_EQ(edge_store_contact_get(t.st, c.id, &got), 0);
    CHECK_INT_EQ(got.customer_away_ms, 0);
    edge_contact_free(&got);
    CHECK_INT_EQ(gone_calls(t.st, T0 + 100, id), 0);
    CHECK_INT_EQ(edge_store_participant_presence(t.st, p.id, 0, T0 + 10), 0);
    CHECK_INT_EQ(gone_calls(t.st, T0 + 9, id), 0);
    CHECK_INT_EQ(gone_calls(t.st, T0 + 10, id), 1);
    /* Chats are never "gone" calls, whatever their customer does. */
    edge_contact chat;
    edge_participant cp;
    int resumed = 0;
    CHECK_INT_EQ(tk_chat(t.st, "cora", NULL, T0, &chat, &cp, &resumed), 0);
    CHECK_INT_EQ(gone_calls(t.st, T0 + 100, id), 1);
    /* Ended: not listed, presence no longer recorded. */
    CHECK_INT_EQ(edge_store_contact_end(t.st, c.id, "caller_gone", T0 + 20), 0);
    CHECK_INT_EQ(gone_calls(t.st, T0 + 100, id), 0);
    CHECK_INT_EQ(edge_store_participant_presence(t.st, p.id, 1, T0 + 21), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(edge_store_participant_presence(t.st, "nobody", 1, T0), EDGE_STORE_ENOTFOUND);
    edge_contact_free(&c);
    edge_contact_free(&chat);
    tk_teardown(&t);
}

static void test_reset_and_open_contacts(void)
{
    tk t;
    tk_setup(&t);
    edge_contact chat, open[4];
    edge_participant cp, agent;
    int resumed = 0;
    size_t n = 0;
    char sub[EDGE_STORE_TEXT_MAX];
    CHECK_INT_EQ(tk_chat(t.st, "cora", NULL, T0, &chat, &cp, &resumed), 0);
    CHECK_INT_EQ(edge_store_participant_presence(t.st, cp.id, 1, T0), 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", "Amy", 1, T0), 0);
    CHECK_INT_EQ(edge_store_agent_presence(t.st, "amy", 1, T0), 0);
    CHECK_INT_EQ(edge_store_agent_open_contacts(t.st, "amy", open, 4, &n), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, chat.id, "amy", "Amy", T0 + 1, &agent), 0);
    CHECK_INT_EQ(edge_store_agent_open_contacts(t.st, "amy", open, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(open[0].id, chat.id);
    CHECK_INT_EQ(open[0].customer_away_ms, 0);
    edge_contact_free(&open[0]);
    /* A restart: nobody has a stream open any more. */
    CHECK_INT_EQ(edge_store_presence_reset(t.st, T0 + 7), 0);
    CHECK_INT_EQ(away_agents(t.st, T0 + 7, sub), 1);
    CHECK_INT_EQ(edge_store_agent_open_contacts(t.st, "amy", open, 4, &n), 0);
    CHECK_INT_EQ(open[0].customer_away_ms, T0 + 7);
    edge_contact_free(&open[0]);
    CHECK_INT_EQ(edge_store_contact_end(t.st, chat.id, "done", T0 + 8), 0);
    CHECK_INT_EQ(edge_store_agent_open_contacts(t.st, "amy", open, 4, &n), 0);
    CHECK_INT_EQ(n, 0);
    edge_contact_free(&chat);
    tk_teardown(&t);
}

static void test_feed_events(void)
{
    tk t;
    tk_setup(&t);
    edge_event ev[4];
    size_t n = 7;
    int64_t id = 0;
    CHECK_INT_EQ(edge_store_events_since(t.st, "a:feed", 0, ev, 4, &n), 0); /* empty, not 404 */
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(edge_store_event_add(t.st, "a:feed", NULL, "queue.changed", "{}", T0, &id), 0);
    CHECK(id > 0);
    CHECK_INT_EQ(edge_store_events_since(t.st, "a:feed", 0, ev, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(ev[0].type, "queue.changed");
    CHECK_STR_EQ(ev[0].contact_id, "");
    edge_event_free(&ev[0]);
    int64_t last = 0;
    CHECK_INT_EQ(edge_store_events_last_id(t.st, "a:feed", &last), 0);
    CHECK_INT_EQ(last, id);
    CHECK_INT_EQ(edge_store_events_last_id(t.st, "a:other", &last), 0);
    CHECK_INT_EQ(last, 0);
    edge_agent_row row;
    CHECK_INT_EQ(edge_store_agent_get(t.st, "amy", &row), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", "Amy", 1, T0), 0);
    CHECK_INT_EQ(edge_store_agent_get(t.st, "amy", &row), 0);
    CHECK_STR_EQ(row.sub, "amy");
    CHECK_INT_EQ(row.available, 1);
    CHECK_INT_EQ(row.away_since_ms, T0);
    /* Participants still need a row. */
    CHECK_INT_EQ(edge_store_event_add(t.st, "nobody", NULL, "typing", "{}", T0, &id),
                 EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_events_since(t.st, "nobody", 0, ev, 4, &n), EDGE_STORE_ENOTFOUND);
    tk_teardown(&t);
}

/* A file at version 4 (events with the participant reference, no
 * away_since_ms) with events 1..3 whose sequence stood at 10 migrates to
 * 5 keeping the ids, and the next event is 11. */
static void test_migration_keeps_event_ids(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant p;
    int resumed = 0;
    int64_t id = 0;
    CHECK_INT_EQ(tk_chat(t.st, "cora", NULL, T0, &c, &p, &resumed), 0);
    for (int i = 0; i < 3; i++)
        CHECK_INT_EQ(edge_store_event_add(t.st, p.id, c.id, "typing", "{}", T0, &id), 0);
    edge_store_close(t.st);
    sqlite3 *db = tk_raw(t.dir);
    const char *back_to_v4 =
        "ALTER TABLE contacts DROP COLUMN rating_score;" /* version 8 */
        "ALTER TABLE contacts DROP COLUMN rating_comment;"
        "ALTER TABLE contacts DROP COLUMN rated_ms;"
        "DROP TABLE canned; DROP TABLE dispositions; ALTER TABLE agents DROP COLUMN away;" /* 7 */
        "DROP TABLE notes;" /* version 6 */
        "DROP INDEX agents_away; DROP INDEX participants_away;"
        "DROP INDEX messages_client_token; ALTER TABLE messages DROP COLUMN client_token;"
        "DROP INDEX contacts_ended; DROP INDEX contacts_by_previous;"
        "DROP INDEX adhoc_routes_by_expiry; DROP INDEX contacts_live_calls;"
        "DROP TABLE queue_told; DROP INDEX events_by_contact; DROP INDEX events_unbound;"
        "ALTER TABLE agents DROP COLUMN away_since_ms;"
        "ALTER TABLE participants DROP COLUMN away_since_ms;"
        "CREATE TABLE events_v4 (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " participant_id TEXT NOT NULL REFERENCES participants(id),"
        " contact_id TEXT NOT NULL REFERENCES contacts(id), type TEXT NOT NULL,"
        " data_json TEXT, created_ms INTEGER NOT NULL) STRICT;"
        "INSERT INTO events_v4 SELECT * FROM events; DROP TABLE events;"
        "ALTER TABLE events_v4 RENAME TO events;"
        "CREATE INDEX events_by_participant ON events(participant_id, id);"
        "UPDATE sqlite_sequence SET seq = 10 WHERE name = 'events';"
        "PRAGMA user_version = 4;";
    CHECK_INT_EQ(sqlite3_exec(db, back_to_v4, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    t.st = tk_open(t.dir);
    CHECK_INT_EQ(edge_store_schema_version(t.st), TK_SCHEMA_LATEST);
    edge_event ev[4];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_events_since(t.st, p.id, 0, ev, 4, &n), 0);
    CHECK_INT_EQ(n, 3);
    for (size_t i = 0; i < n; i++) {
        CHECK_INT_EQ(ev[i].id, (int64_t)i + 1);
        edge_event_free(&ev[i]);
    }
    CHECK_INT_EQ(edge_store_event_add(t.st, p.id, c.id, "typing", "{}", T0, &id), 0);
    CHECK_INT_EQ(id, 11);
    CHECK_INT_EQ(edge_store_participant_presence(t.st, p.id, 0, T0 + 1), 0);
    edge_contact_free(&c);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_agent_presence_and_expire);
    UNIT_RUN(test_caller_gone);
    UNIT_RUN(test_reset_and_open_contacts);
    UNIT_RUN(test_feed_events);
    UNIT_RUN(test_migration_keeps_event_ids);
    return UNIT_DONE();
}
