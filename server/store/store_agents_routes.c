/* store_agents_routes.c - SQLite backend: agent availability and ad-hoc
 * routes (the 8-digit codes an agent hands to one attendee).
 *
 * A route id is short enough to type, so it is only unique among live
 * routes: creation draws random ids until one is free, reusing the id of a
 * used or expired route by replacing that row. Redeeming is a
 * read-check-write under BEGIN IMMEDIATE, so of two processes redeeming
 * one route exactly one succeeds, and the checks report in the order the
 * contract gives (unknown, used, expired, wrong email). */
#include "store/store_sqlite_internal.h"

#include <stdio.h>
#include <string.h>

#define ROUTE_ID_TRIES 32 /* with 10^8 ids, needing more means the table is full */

/* An agent with no stream open who becomes available is away from now:
 * the presence grace starts over (a new row has no stream yet either). */
static const char SQL_AGENT_STATUS[] =
    "INSERT INTO agents (sub, name, available, updated_ms, away_since_ms, away)"
    " VALUES (?1, COALESCE(?2, ''), ?3, ?4, ?4, ?5)"
    " ON CONFLICT (sub) DO UPDATE SET name = COALESCE(?2, name),"
    " available = excluded.available, away = excluded.away, updated_ms = excluded.updated_ms,"
    " away_since_ms = CASE WHEN agents.away_since_ms > 0 AND excluded.available = 1"
    " THEN excluded.updated_ms ELSE agents.away_since_ms END";
static const char SQL_AGENTS_AVAILABLE[] = "SELECT COUNT(*) FROM agents WHERE available = 1";
/* Walks agents_idle (oldest status change first) and probes
 * contacts_ringing_by_agent once per candidate. */
static const char SQL_AGENT_PICK_IDLE[] =
    "SELECT sub FROM agents WHERE available = 1 AND sub <> ?1"
    " AND NOT EXISTS (SELECT 1 FROM contacts WHERE state = 'ringing' AND offered_to = agents.sub)"
    " AND NOT EXISTS (SELECT 1 FROM contacts WHERE kind = 'call' AND state = 'connected'"
    " AND agent_sub = agents.sub)"
    " ORDER BY updated_ms, sub LIMIT 1";
static const char SQL_ROUTE_LIVE[] = "SELECT used_by_contact IS NULL AND expires_ms > ?2"
                                     " FROM adhoc_routes WHERE route_id = ?1";
static const char SQL_ROUTE_DELETE[] = "DELETE FROM adhoc_routes WHERE route_id = ?1";
static const char SQL_ROUTE_INSERT[] =
    "INSERT INTO adhoc_routes (route_id, agent_sub, attendee_email, queue, created_ms,"
    " expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_ROUTE_LOAD[] =
    "SELECT route_id, agent_sub, attendee_email, queue, created_ms, expires_ms, used_ms,"
    " used_by_contact, (SELECT name FROM agents WHERE agents.sub = adhoc_routes.agent_sub)"
    " FROM adhoc_routes WHERE route_id = ?1";
static const char SQL_ROUTE_USE[] = "UPDATE adhoc_routes SET used_ms = ?2, used_by_contact = ?3"
                                    " WHERE route_id = ?1";

/* ---- agents ------------------------------------------------------------ */

int edge__sq_agent_set_status(edge_store *st, const char *agent_sub, const char *name,
                              int status, int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_run(sq, SQL_AGENT_STATUS, "ttili", agent_sub, name,
                          status == EDGE_AGENT_AVAILABLE, now_ms, status == EDGE_AGENT_AWAY);
    return edge__sq_done(sq, rc < 0 ? rc : 0);
}

int edge__sq_agents_available(edge_store *st, int *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_AGENTS_AVAILABLE, "");
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1)
        *count = sqlite3_column_int(s, 0);
    return edge__sq_done(sq, rc == 1 ? 0 : rc == 0 ? edge__sq_fail(sq, "count: no row") : rc);
}

int edge__sq_agent_pick_idle(edge_store *st, const char *exclude_sub,
                             char out_sub[EDGE_STORE_TEXT_MAX])
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s =
        edge__sq_query(sq, SQL_AGENT_PICK_IDLE, "t", exclude_sub != NULL ? exclude_sub : "");
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1)
        edge__sq_text(s, 0, out_sub, EDGE_STORE_TEXT_MAX);
    return edge__sq_done(sq, rc == 1 ? 0 : rc == 0 ? EDGE_STORE_ENOTFOUND : rc);
}

/* ---- routes ------------------------------------------------------------- */

/* Read a route row; *used is 1 when it has been redeemed. */
static int load_route(edge__sq *sq, const char *route_id, edge_adhoc_route *out, int *used)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_ROUTE_LOAD, "t", route_id);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1) {
        memset(out, 0, sizeof(*out));
        edge__sq_text(s, 0, out->route_id, sizeof(out->route_id));
        edge__sq_text(s, 1, out->agent_sub, sizeof(out->agent_sub));
        edge__sq_text(s, 2, out->attendee_email, sizeof(out->attendee_email));
        edge__sq_text(s, 3, out->queue, sizeof(out->queue));
        out->created_ms = sqlite3_column_int64(s, 4);
        out->expires_ms = sqlite3_column_int64(s, 5);
        out->used_ms = sqlite3_column_int64(s, 6);
        *used = sqlite3_column_type(s, 7) != SQLITE_NULL;
        edge__sq_text(s, 7, out->used_by_contact, sizeof(out->used_by_contact));
        edge__sq_text(s, 8, out->agent_name, sizeof(out->agent_name));
    }
    sqlite3_reset(s);
    return rc == 1 ? 0 : rc == 0 ? EDGE_STORE_ENOTFOUND : rc;
}

/* Is route_id free to issue at now_ms? 1 free (a dead row with it has been
 * removed), 0 taken by a live route, or < 0. */
static int claim_route_id(edge__sq *sq, const char *route_id, int64_t now_ms)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_ROUTE_LIVE, "tl", route_id, now_ms);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    int live = rc == 1 && sqlite3_column_int(s, 0) != 0;
    sqlite3_reset(s);
    if (rc <= 0)
        return rc == 0 ? 1 : rc;
    if (live)
        return 0;
    rc = edge__sq_run(sq, SQL_ROUTE_DELETE, "t", route_id);
    return rc < 0 ? rc : 1;
}

static int route_create_locked(edge__sq *sq, const char *agent_sub, const char *attendee_email,
                               const char *queue, int64_t now_ms, int64_t expires_ms,
                               edge_adhoc_route *out)
{
    char id[16];
    for (int i = 0; i < ROUTE_ID_TRIES; i++) {
        if (edge__store_new_route_id(id) != 0)
            return EDGE_STORE_EINTERNAL;
        int rc = claim_route_id(sq, id, now_ms);
        if (rc < 0)
            return rc;
        if (rc == 0)
            continue;
        rc = edge__sq_run(sq, SQL_ROUTE_INSERT, "ttttll", id, agent_sub, attendee_email,
                          queue != NULL ? queue : "", now_ms, expires_ms);
        if (rc < 0)
            return rc;
        int used;
        return load_route(sq, id, out, &used);
    }
    fprintf(stderr, "c2c-edge: store: no free route id after %d tries\n", ROUTE_ID_TRIES);
    return EDGE_STORE_EINTERNAL;
}

int edge__sq_route_create(edge_store *st, const char *agent_sub, const char *attendee_email,
                          const char *queue, int64_t now_ms, int64_t expires_ms,
                          edge_adhoc_route *out)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = route_create_locked(sq, agent_sub, attendee_email, queue, now_ms, expires_ms, out);
    return edge__sq_end_tx(sq, rc);
}

int edge__sq_route_claim(edge__sq *sq, const char *route_id, const char *email, int64_t now_ms,
                         edge_adhoc_route *out)
{
    int used = 0;
    int rc = load_route(sq, route_id, out, &used);
    if (rc != 0)
        return rc;
    if (!edge__store_email_equal(out->attendee_email, email))
        return EDGE_STORE_EMISMATCH; /* first: only its email learns more */
    if (used)
        return EDGE_STORE_ECONFLICT;
    if (now_ms >= out->expires_ms)
        return EDGE_STORE_EEXPIRED;
    return 0;
}

int edge__sq_route_mark_used(edge__sq *sq, edge_adhoc_route *r, int64_t now_ms,
                             const char *contact_id)
{
    int rc = edge__sq_run(sq, SQL_ROUTE_USE, "tlt", r->route_id, now_ms, contact_id);
    if (rc < 0)
        return rc;
    r->used_ms = now_ms;
    snprintf(r->used_by_contact, sizeof(r->used_by_contact), "%s", contact_id);
    return 0;
}

static int route_redeem_locked(edge__sq *sq, const char *route_id, const char *email,
                               const char *contact_id, int64_t now_ms, edge_adhoc_route *out)
{
    edge_adhoc_route r;
    int rc = edge__sq_route_claim(sq, route_id, email, now_ms, &r);
    if (rc == 0)
        rc = edge__sq_route_mark_used(sq, &r, now_ms, contact_id);
    if (rc == 0)
        *out = r;
    return rc;
}

int edge__sq_route_redeem(edge_store *st, const char *route_id, const char *email,
                          const char *contact_id, int64_t now_ms, edge_adhoc_route *out)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = route_redeem_locked(sq, route_id, email, contact_id, now_ms, out);
    return edge__sq_end_tx(sq, rc);
}
