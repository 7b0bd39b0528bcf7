/* store_contact_state.c - SQLite backend: a contact's life after creation,
 * queued -> ringing -> connected -> ended.
 *
 * Transitions that touch one row are a single conditional UPDATE ("... WHERE
 * state = 'queued'"), atomic on its own; when it changes nothing, a second
 * read only explains why (ENOTFOUND or ESTATE). accept and end touch two
 * tables, so they run under BEGIN IMMEDIATE: of several agents racing to
 * accept, the first to take the write lock connects and the rest read the
 * new state and get ECONFLICT. */
#include "store/store_sqlite_internal.h"

#include <string.h>

static const char SQL_RING[] = "UPDATE contacts SET state = 'ringing', offered_to = ?2,"
                               " updated_ms = ?3 WHERE id = ?1 AND state = 'queued'";
static const char SQL_REQUEUE[] = "UPDATE contacts SET state = 'queued', offered_to = '',"
                                  " updated_ms = ?2 WHERE id = ?1 AND state = 'ringing'"
                                  " AND (?3 IS NULL OR offered_to = ?3)";
static const char SQL_ACCEPT_CHECK[] = "SELECT state, offered_to FROM contacts WHERE id = ?1";
static const char SQL_CONNECT[] = "UPDATE contacts SET state = 'connected', agent_sub = ?2,"
                                  " offered_to = '', updated_ms = ?3 WHERE id = ?1";
static const char SQL_ADD_AGENT[] =
    "INSERT INTO participants (id, contact_id, role, sub, display_name, joined_ms)"
    " VALUES (?1, ?2, 'agent', ?3, ?4, ?5)";
static const char SQL_END[] = "UPDATE contacts SET state = 'ended', end_reason = ?2,"
                              " ended_ms = ?3, updated_ms = ?3, offered_to = ''"
                              " WHERE id = ?1 AND state <> 'ended'";
static const char SQL_LEAVE_ALL[] = "UPDATE participants SET left_ms = ?2, away_since_ms = 0"
                                    " WHERE contact_id = ?1 AND left_ms = 0";

/* After a conditional UPDATE changed nothing: ENOTFOUND when the contact
 * does not exist, else ESTATE (it is in the wrong state). */
static int why_not(edge__sq *sq, const char *contact_id)
{
    edge_contact_state state;
    int rc = edge__sq_contact_state(sq, contact_id, &state);
    return rc != 0 ? rc : EDGE_STORE_ESTATE;
}

/* The result of a one-row conditional UPDATE as a store code. */
static int transition(edge__sq *sq, const char *contact_id, int changed)
{
    if (changed < 0)
        return changed;
    return changed > 0 ? 0 : why_not(sq, contact_id);
}

int edge__sq_contact_ring(edge_store *st, const char *contact_id, const char *agent_sub,
                          int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int changed = edge__sq_run(sq, SQL_RING, "ttl", contact_id, agent_sub, now_ms);
    return edge__sq_done(sq, transition(sq, contact_id, changed));
}

/* Why a requeue for agent_sub changed nothing: ENOTFOUND, ESTATE when
 * ended, else ECONFLICT (queued, connected or ringing someone else). */
static int why_not_offered(edge__sq *sq, const char *contact_id)
{
    edge_contact_state state;
    int rc = edge__sq_contact_state(sq, contact_id, &state);
    if (rc != 0)
        return rc;
    return state == EDGE_CONTACT_ENDED ? EDGE_STORE_ESTATE : EDGE_STORE_ECONFLICT;
}

int edge__sq_contact_requeue(edge_store *st, const char *contact_id, const char *agent_sub,
                             int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int changed = edge__sq_run(sq, SQL_REQUEUE, "tlt", contact_id, now_ms, agent_sub);
    if (changed == 0 && agent_sub != NULL)
        return edge__sq_done(sq, why_not_offered(sq, contact_id));
    return edge__sq_done(sq, transition(sq, contact_id, changed));
}

/* May agent_sub accept the contact? 0 when queued, or ringing for this
 * agent; ECONFLICT when another agent has or is being offered it; ESTATE
 * when ended; ENOTFOUND. */
static int accept_check(edge__sq *sq, const char *contact_id, const char *agent_sub)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_ACCEPT_CHECK, "t", contact_id);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc != 1)
        return rc == 0 ? EDGE_STORE_ENOTFOUND : rc;
    edge_contact_state state = edge__sq_state_parse((const char *)sqlite3_column_text(s, 0));
    const char *offered = (const char *)sqlite3_column_text(s, 1);
    if (state == EDGE_CONTACT_ENDED)
        rc = EDGE_STORE_ESTATE;
    else if (state == EDGE_CONTACT_CONNECTED)
        rc = EDGE_STORE_ECONFLICT;
    else if (state == EDGE_CONTACT_RINGING && strcmp(offered ? offered : "", agent_sub) != 0)
        rc = EDGE_STORE_ECONFLICT;
    else
        rc = 0;
    sqlite3_reset(s);
    return rc;
}

static int accept_locked(edge__sq *sq, const char *contact_id, const char *agent_sub,
                         const char *agent_name, int64_t now_ms, edge_participant *agent)
{
    char pid[EDGE_STORE_ID_MAX];
    int rc = accept_check(sq, contact_id, agent_sub);
    if (rc != 0)
        return rc;
    if (edge__store_new_id(pid) != 0)
        return EDGE_STORE_EINTERNAL;
    rc = edge__sq_run(sq, SQL_CONNECT, "ttl", contact_id, agent_sub, now_ms);
    if (rc >= 0)
        rc = edge__sq_run(sq, SQL_ADD_AGENT, "ttttl", pid, contact_id, agent_sub,
                          agent_name != NULL ? agent_name : "", now_ms);
    return rc < 0 ? rc : edge__sq_load_participant(sq, pid, agent);
}

int edge__sq_contact_accept(edge_store *st, const char *contact_id, const char *agent_sub,
                            const char *agent_name, int64_t now_ms, edge_participant *agent)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = accept_locked(sq, contact_id, agent_sub, agent_name, now_ms, agent);
    return edge__sq_end_tx(sq, rc);
}

static int end_locked(edge__sq *sq, const char *contact_id, const char *reason, int64_t now_ms)
{
    int rc = edge__sq_run(sq, SQL_END, "ttl", contact_id, reason != NULL ? reason : "", now_ms);
    rc = transition(sq, contact_id, rc);
    if (rc != 0)
        return rc;
    rc = edge__sq_run(sq, SQL_LEAVE_ALL, "tl", contact_id, now_ms);
    return rc < 0 ? rc : 0;
}

int edge__sq_contact_end(edge_store *st, const char *contact_id, const char *reason, int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    return edge__sq_end_tx(sq, end_locked(sq, contact_id, reason, now_ms));
}
