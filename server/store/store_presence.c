/* store_presence.c - SQLite backend: who has an event stream open.
 *
 * agents.away_since_ms and participants.away_since_ms are 0 while the
 * agent or participant has a stream open, else the time the last one
 * closed. The hub reports the edges (first stream opened, last one
 * closed) through the provider; the provider's tick scans the two partial
 * indexes (agents_away, participants_away) for whoever has been away past
 * their grace, so the scans cost nothing while everyone is connected.
 * Taking an agent offline is conditional on the row still being away, so
 * a reconnect racing the tick wins. */
#include "store/store_sqlite_internal.h"

#include <string.h>

/* A row for an agent who opens the console before ever setting a status. */
static const char SQL_AGENT_STREAMING[] =
    "INSERT INTO agents (sub, name, available, updated_ms, away_since_ms)"
    " VALUES (?1, '', 0, ?2, 0) ON CONFLICT (sub) DO UPDATE SET away_since_ms = 0";
static const char SQL_AGENT_AWAY[] = "UPDATE agents SET away_since_ms = ?2 WHERE sub = ?1";
static const char SQL_AGENTS_AWAY[] =
    "SELECT sub, available, away_since_ms, away FROM agents"
    " WHERE available = 1 AND away_since_ms > 0 AND away_since_ms <= ?1"
    " ORDER BY away_since_ms, sub LIMIT ?2";
static const char SQL_AGENT_EXPIRE[] =
    "UPDATE agents SET available = 0, updated_ms = ?3"
    " WHERE sub = ?1 AND available = 1 AND away_since_ms > 0 AND away_since_ms <= ?2";
static const char SQL_AGENTS_LISTENING[] =
    "SELECT sub, available, away_since_ms, away FROM agents"
    " WHERE away_since_ms = 0 OR available = 1 ORDER BY sub LIMIT ?1";
static const char SQL_PARTICIPANT_PRESENCE[] =
    "UPDATE participants SET away_since_ms = ?2 WHERE id = ?1 AND left_ms = 0";
static const char SQL_PARTICIPANT_EXISTS[] = "SELECT 1 FROM participants WHERE id = ?1";
static const char SQL_CALLS_CALLER_GONE[] =
    "SELECT " EDGE__SQ_CONTACT_COLS " FROM contacts WHERE id IN ("
    " SELECT p.contact_id FROM participants AS p"
    " WHERE p.away_since_ms > 0 AND p.away_since_ms <= ?1 AND p.role = 'customer')"
    " AND kind = 'call' AND state <> 'ended'"
    " ORDER BY created_ms, rowid LIMIT ?2";
static const char SQL_RESET_AGENTS[] = "UPDATE agents SET away_since_ms = ?1"
                                       " WHERE away_since_ms = 0";
static const char SQL_RESET_CUSTOMERS[] =
    "UPDATE participants SET away_since_ms = ?1"
    " WHERE away_since_ms = 0 AND left_ms = 0 AND role = 'customer'";
static const char SQL_AGENT_GET[] =
    "SELECT sub, available, away_since_ms, away FROM agents WHERE sub = ?1";
static const char SQL_EVENTS_LAST_ID[] =
    "SELECT COALESCE(MAX(id), 0) FROM events WHERE participant_id = ?1";
static const char SQL_AGENT_OPEN_CONTACTS[] =
    "SELECT " EDGE__SQ_CONTACT_COLS " FROM contacts"
    " WHERE agent_sub = ?1 AND state = 'connected' ORDER BY created_ms, rowid LIMIT ?2";

static int64_t limit_of(size_t cap)
{
    return cap > (size_t)INT32_MAX ? -1 : (int64_t)cap;
}

static void read_agent_row(sqlite3_stmt *s, void *elem)
{
    edge_agent_row *a = elem;
    memset(a, 0, sizeof(*a));
    edge__sq_text(s, 0, a->sub, sizeof(a->sub));
    a->available = sqlite3_column_int(s, 1);
    a->away_since_ms = sqlite3_column_int64(s, 2);
    a->away = sqlite3_column_int(s, 3);
}

static void free_contact(void *elem)
{
    edge_contact_free(elem);
}

int edge__sq_agent_presence(edge_store *st, const char *agent_sub, int streaming, int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = streaming ? edge__sq_run(sq, SQL_AGENT_STREAMING, "tl", agent_sub, now_ms)
                       : edge__sq_run(sq, SQL_AGENT_AWAY, "tl", agent_sub, now_ms);
    return edge__sq_done(sq, rc < 0 ? rc : 0);
}

int edge__sq_agents_away_since(edge_store *st, int64_t away_before_ms, edge_agent_row *out,
                               size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_AGENTS_AWAY, "ll", away_before_ms, limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    return edge__sq_done(sq,
                         edge__sq_rows(sq, s, out, sizeof(*out), cap, count, read_agent_row, NULL));
}

int edge__sq_agent_expire(edge_store *st, const char *agent_sub, int64_t away_before_ms,
                          int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int changed = edge__sq_run(sq, SQL_AGENT_EXPIRE, "tll", agent_sub, away_before_ms, now_ms);
    return edge__sq_done(sq, changed < 0 ? changed : changed == 0 ? EDGE_STORE_ESTATE : 0);
}

int edge__sq_agents_listening(edge_store *st, edge_agent_row *out, size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_AGENTS_LISTENING, "l", limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    return edge__sq_done(sq,
                         edge__sq_rows(sq, s, out, sizeof(*out), cap, count, read_agent_row, NULL));
}

int edge__sq_participant_presence(edge_store *st, const char *participant_id, int streaming,
                                  int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int changed = edge__sq_run(sq, SQL_PARTICIPANT_PRESENCE, "tl", participant_id,
                               streaming ? (int64_t)0 : now_ms);
    if (changed != 0)
        return edge__sq_done(sq, changed < 0 ? changed : 0);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_PARTICIPANT_EXISTS, "t", participant_id);
    int rc = s == NULL ? EDGE_STORE_EINTERNAL : edge__sq_step(sq, s);
    return edge__sq_done(sq, rc == 1 ? EDGE_STORE_ESTATE : rc == 0 ? EDGE_STORE_ENOTFOUND : rc);
}

int edge__sq_calls_caller_gone(edge_store *st, int64_t away_before_ms, edge_contact *out,
                               size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s =
        edge__sq_query(sq, SQL_CALLS_CALLER_GONE, "ll", away_before_ms, limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    return edge__sq_done(sq, edge__sq_rows(sq, s, out, sizeof(*out), cap, count,
                                           edge__sq_read_contact, free_contact));
}

int edge__sq_presence_reset(edge_store *st, int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = edge__sq_run(sq, SQL_RESET_AGENTS, "l", now_ms);
    if (rc >= 0)
        rc = edge__sq_run(sq, SQL_RESET_CUSTOMERS, "l", now_ms);
    return edge__sq_end_tx(sq, rc < 0 ? rc : 0);
}

int edge__sq_agent_open_contacts(edge_store *st, const char *agent_sub, edge_contact *out,
                                 size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_AGENT_OPEN_CONTACTS, "tl", agent_sub, limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    return edge__sq_done(sq, edge__sq_rows(sq, s, out, sizeof(*out), cap, count,
                                           edge__sq_read_contact, free_contact));
}

int edge__sq_agent_get(edge_store *st, const char *agent_sub, edge_agent_row *out)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_AGENT_GET, "t", agent_sub);
    int rc = s == NULL ? EDGE_STORE_EINTERNAL : edge__sq_step(sq, s);
    if (rc == 1)
        read_agent_row(s, out);
    return edge__sq_done(sq, rc == 1 ? 0 : rc == 0 ? EDGE_STORE_ENOTFOUND : rc);
}

int edge__sq_events_last_id(edge_store *st, const char *participant_id, int64_t *id)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_EVENTS_LAST_ID, "t", participant_id);
    int rc = s == NULL ? EDGE_STORE_EINTERNAL : edge__sq_step(sq, s);
    if (rc == 1)
        *id = sqlite3_column_int64(s, 0);
    return edge__sq_done(sq, rc == 1 ? 0 : rc == 0 ? edge__sq_fail(sq, "max: no row") : rc);
}
