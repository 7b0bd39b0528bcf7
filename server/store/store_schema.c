/* store_schema.c - the SQLite schema and its migrations.
 *
 * The schema version is PRAGMA user_version. migrations[i] takes the
 * database from version i to i + 1; each step runs in its own BEGIN
 * IMMEDIATE transaction that re-reads the version first, so several
 * processes opening one file at once apply every step exactly once, and
 * opening an up-to-date file changes nothing. A file newer than this build
 * is refused rather than guessed at. Append new steps; never edit old ones.
 *
 * Layout choices: states, kinds and roles are stored as words so the file
 * reads well in the sqlite3 shell; tables are STRICT so a wrong type is an
 * error, not a silent conversion. The rules that must hold even against a
 * buggy caller or a second process are constraints, not code: one open chat
 * per identity (a partial UNIQUE index), one seq per message position
 * (UNIQUE (contact_id, seq)), event ids never reused (AUTOINCREMENT). */
#include "store/store_sqlite_internal.h"

#include <stdio.h>

#include "common/errbuf.h"

static const char schema_v1[] =
    "CREATE TABLE contacts ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('chat', 'call')),"
    " state TEXT NOT NULL CHECK (state IN ('queued', 'ringing', 'connected', 'ended')),"
    " queue TEXT NOT NULL DEFAULT '',"
    " priority INTEGER NOT NULL,"
    " customer_sub TEXT NOT NULL,"
    " customer_name TEXT NOT NULL DEFAULT '',"
    " customer_email TEXT NOT NULL DEFAULT '',"
    " offered_to TEXT NOT NULL DEFAULT ''," /* the agent a ringing contact is offered to */
    " agent_sub TEXT NOT NULL DEFAULT '',"  /* the agent who accepted */
    " previous_contact_id TEXT REFERENCES contacts(id),"
    " end_reason TEXT NOT NULL DEFAULT '',"
    " to_number TEXT," /* calls: the dialled E.164 number */
    " attributes_json TEXT,"
    " created_ms INTEGER NOT NULL,"
    " updated_ms INTEGER NOT NULL,"
    " ended_ms INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "CREATE UNIQUE INDEX contacts_one_open_chat ON contacts(customer_sub)"
    " WHERE kind = 'chat' AND state <> 'ended';"
    "CREATE INDEX contacts_waiting ON contacts(queue, priority, created_ms)"
    " WHERE state IN ('queued', 'ringing');"
    "CREATE INDEX contacts_by_agent ON contacts(agent_sub, created_ms) WHERE agent_sub <> '';"
    "CREATE INDEX contacts_by_customer ON contacts(customer_sub, ended_ms);"
    "CREATE TABLE participants ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " contact_id TEXT NOT NULL REFERENCES contacts(id),"
    " role TEXT NOT NULL CHECK (role IN ('customer', 'agent')),"
    " sub TEXT NOT NULL,"
    " display_name TEXT NOT NULL DEFAULT '',"
    " joined_ms INTEGER NOT NULL,"
    " left_ms INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "CREATE INDEX participants_by_contact ON participants(contact_id);"
    "CREATE TABLE messages ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " contact_id TEXT NOT NULL REFERENCES contacts(id),"
    " participant_id TEXT NOT NULL REFERENCES participants(id),"
    " seq INTEGER NOT NULL CHECK (seq > 0),"
    " content_type TEXT NOT NULL CHECK (content_type IN ('text/plain', 'text/markdown')),"
    " content TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL,"
    " UNIQUE (contact_id, seq)"
    ") STRICT;"
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " participant_id TEXT NOT NULL REFERENCES participants(id),"
    " contact_id TEXT NOT NULL REFERENCES contacts(id),"
    " type TEXT NOT NULL,"
    " data_json TEXT,"
    " created_ms INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX events_by_participant ON events(participant_id, id);"
    "CREATE TABLE agents ("
    " sub TEXT PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL DEFAULT '',"
    " available INTEGER NOT NULL CHECK (available IN (0, 1)),"
    " updated_ms INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE adhoc_routes ("
    " route_id TEXT PRIMARY KEY NOT NULL,"
    " agent_sub TEXT NOT NULL,"
    " attendee_email TEXT NOT NULL,"
    " queue TEXT NOT NULL DEFAULT '',"
    " created_ms INTEGER NOT NULL,"
    " expires_ms INTEGER NOT NULL,"
    " used_ms INTEGER NOT NULL DEFAULT 0,"
    " used_by_contact TEXT" /* NULL until redeemed: the mark of a used route */
    ") STRICT;";

/* Version 2: the no-agent timeout scans waiting calls by age once a second;
 * this keeps that scan off the ever-growing contact history. */
static const char schema_v2[] =
    "CREATE INDEX contacts_waiting_calls ON contacts(created_ms)"
    " WHERE kind = 'call' AND state IN ('queued', 'ringing');";

/* Version 3: ringing. Offering a call picks the oldest queued call of a
 * queue and the agent idle longest who has nothing ringing; the ring
 * timeout scans ringing calls by when they started ringing. Each of those
 * is one lookup in a small partial index. */
static const char schema_v3[] =
    "CREATE INDEX contacts_queued_calls ON contacts(queue, priority, created_ms)"
    " WHERE kind = 'call' AND state = 'queued';"
    "CREATE INDEX contacts_ringing_by_agent ON contacts(offered_to) WHERE state = 'ringing';"
    "CREATE INDEX contacts_ringing_since ON contacts(updated_ms) WHERE state = 'ringing';"
    "CREATE INDEX agents_idle ON agents(updated_ms) WHERE available = 1;";

/* Version 4: an agent on a call is not offered another; this finds the
 * agent's call in progress without walking the agent's whole history. */
static const char schema_v4[] =
    "CREATE INDEX contacts_call_in_progress ON contacts(agent_sub)"
    " WHERE kind = 'call' AND state = 'connected';";

/* Version 5: the guard rails.
 * - messages.client_token is Amazon Connect's ClientToken, unique per
 *   sender, so a retried send finds its original.
 * - Retention deletes ended contacts oldest first and expired routes, and
 *   clears the previous_contact_id links that point at a deleted contact:
 *   each of those is an index walk, not a scan of the history.
 * - queue_told: what each waiting customer was last told of their place in
 *   line, so a queue change tells only those whose place changed, at most
 *   once a second; and the index behind "one live call per identity".
 * - Presence and liveness: agents' own event streams store their events
 *   under a pseudo participant id (not a participants row), so the events
 *   table is rebuilt without that foreign key, keeping every id and the
 *   AUTOINCREMENT high-water mark. away_since_ms (0 = an event stream is
 *   open) is when an agent's, or a customer's, last stream closed: the
 *   tick ends an agent's availability or a caller's call past a grace from
 *   it. Retention deletes a contact's events from every feed
 *   (events_by_contact); feed events about no contact (queue changes,
 *   status) are pruned by age (events_unbound). */
static const char schema_v5[] =
    "ALTER TABLE messages ADD COLUMN client_token TEXT;"
    "CREATE UNIQUE INDEX messages_client_token ON messages(participant_id, client_token)"
    " WHERE client_token IS NOT NULL;"
    "CREATE INDEX contacts_ended ON contacts(ended_ms) WHERE state = 'ended';"
    "CREATE INDEX contacts_by_previous ON contacts(previous_contact_id)"
    " WHERE previous_contact_id IS NOT NULL;"
    "CREATE INDEX adhoc_routes_by_expiry ON adhoc_routes(expires_ms);"
    "CREATE TABLE queue_told ("
    " contact_id TEXT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,"
    " position INTEGER NOT NULL, wait_s INTEGER NOT NULL, told_ms INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "CREATE INDEX contacts_live_calls ON contacts(customer_sub)"
    " WHERE kind = 'call' AND state <> 'ended';"
    "CREATE TABLE events_v5 ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " participant_id TEXT NOT NULL," /* a participant's id, or an agent's feed id */
    " contact_id TEXT REFERENCES contacts(id)," /* NULL: about a queue, not a contact */
    " type TEXT NOT NULL,"
    " data_json TEXT,"
    " created_ms INTEGER NOT NULL"
    ") STRICT;"
    "INSERT INTO sqlite_sequence (name, seq)"
    " SELECT 'events_v5', seq FROM sqlite_sequence WHERE name = 'events';"
    "INSERT INTO events_v5 SELECT id, participant_id, contact_id, type, data_json, created_ms"
    " FROM events;"
    "DROP TABLE events;"
    "ALTER TABLE events_v5 RENAME TO events;"
    "CREATE INDEX events_by_participant ON events(participant_id, id);"
    "ALTER TABLE agents ADD COLUMN away_since_ms INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE participants ADD COLUMN away_since_ms INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX agents_away ON agents(away_since_ms) WHERE available = 1 AND away_since_ms > 0;"
    "CREATE INDEX participants_away ON participants(away_since_ms) WHERE away_since_ms > 0;"
    "CREATE INDEX events_by_contact ON events(contact_id) WHERE contact_id IS NOT NULL;"
    "CREATE INDEX events_unbound ON events(created_ms) WHERE contact_id IS NULL;";

/* Version 6: agents' private notes on a contact (agent/notes). Only agents
 * read them: they are neither messages nor events, so no transcript or
 * participant stream can carry them. Deleted with their contact (retention
 * deletes ended contacts). */
static const char schema_v6[] =
    "CREATE TABLE notes ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " author_sub TEXT NOT NULL,"
    " author_name TEXT NOT NULL,"
    " content TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX notes_by_contact ON notes(contact_id, created_ms);";

/* Version 7: the agent console's wrap-up and status. agents.away: an agent
 * who is Away (signed in, watching, offered nothing; available is 0).
 * dispositions: the code an agent closed a contact with, one per contact,
 * deleted with it. canned: an agent's own canned responses (the shared
 * ones come from --canned FILE, not the store). */
static const char schema_v7[] =
    "ALTER TABLE agents ADD COLUMN away INTEGER NOT NULL DEFAULT 0 CHECK (away IN (0, 1));"
    "CREATE TABLE dispositions ("
    " contact_id TEXT PRIMARY KEY NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
    " code TEXT NOT NULL,"
    " agent_sub TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE canned ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " agent_sub TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " content TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX canned_by_agent ON canned(agent_sub, created_ms);";
/* Version 8: the customer's rating of a contact (participant/rating): a
 * score 1..5 (0 = not rated) and an optional comment, once per contact,
 * kept on the contact row so every contact read carries it. */
static const char schema_v8[] =
    "ALTER TABLE contacts ADD COLUMN rating_score INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE contacts ADD COLUMN rating_comment TEXT;"
    "ALTER TABLE contacts ADD COLUMN rated_ms INTEGER NOT NULL DEFAULT 0;";

static const char *const migrations[] = {
    schema_v1, /* 0 -> 1 */
    schema_v2, /* 1 -> 2 */
    schema_v3, /* 2 -> 3 */
    schema_v4, /* 3 -> 4 */
    schema_v5, /* 4 -> 5 */
    schema_v6, /* 5 -> 6 */
    schema_v7, /* 6 -> 7 */
    schema_v8, /* 7 -> 8 */
};

#define SCHEMA_LATEST ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int read_version(edge__sq *sq, int *version)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(sq->db, "PRAGMA user_version", -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *version = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? 0 : -1;
}

static int exec(edge__sq *sq, const char *sql)
{
    return sqlite3_exec(sq->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int too_new(int version, char *err, size_t errlen)
{
    return edge_errf(err, errlen,
                     "store: the database is at schema version %d, newer than this build's %d",
                     version, SCHEMA_LATEST);
}

/* One transaction: apply the step the file needs next, if any. Sets *at to
 * the version the file is at afterwards. */
static int migrate_step(edge__sq *sq, int *at, char *err, size_t errlen)
{
    int version = 0;
    char set[48];
    if (exec(sq, "BEGIN IMMEDIATE") != 0)
        return edge_errf(err, errlen, "store: begin migration: %s", sqlite3_errmsg(sq->db));
    if (read_version(sq, &version) != 0)
        goto fail;
    if (version > SCHEMA_LATEST) {
        exec(sq, "ROLLBACK");
        return too_new(version, err, errlen);
    }
    if (version < SCHEMA_LATEST) {
        snprintf(set, sizeof(set), "PRAGMA user_version=%d", version + 1);
        if (exec(sq, migrations[version]) != 0 || exec(sq, set) != 0)
            goto fail;
        version++;
    }
    if (exec(sq, "COMMIT") != 0)
        goto fail;
    *at = version;
    return 0;
fail:
    edge_errf(err, errlen, "store: migration to version %d: %s", version + 1,
              sqlite3_errmsg(sq->db));
    if (!sqlite3_get_autocommit(sq->db))
        exec(sq, "ROLLBACK");
    return -1;
}

int edge__sq_migrate(edge__sq *sq, char *err, size_t errlen)
{
    int version = 0;
    if (read_version(sq, &version) != 0)
        return edge_errf(err, errlen, "store: read schema version: %s", sqlite3_errmsg(sq->db));
    if (version > SCHEMA_LATEST)
        return too_new(version, err, errlen);
    while (version < SCHEMA_LATEST)
        if (migrate_step(sq, &version, err, errlen) != 0)
            return -1;
    sq->schema_version = version;
    return 0;
}
