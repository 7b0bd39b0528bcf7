/* store_transfer_sqlite.c - SQLite backend: a connected contact handed
 * back to a queue by its agent (one transaction: the contact's
 * conditional UPDATE, then the agent's participant leaves), and the list
 * of available agents to hand one to. */
#include "store/store_sqlite_internal.h"

#include <string.h>

static const char SQL_TRANSFER[] =
    "UPDATE contacts SET state = 'queued', queue = ?3, agent_sub = '', offered_to = '',"
    " updated_ms = ?4 WHERE id = ?1 AND agent_sub = ?2 AND state = 'connected'";
static const char SQL_AGENT_LEAVES[] =
    "UPDATE participants SET left_ms = ?3, away_since_ms = 0"
    " WHERE contact_id = ?1 AND role = 'agent' AND sub = ?2 AND left_ms = 0";
static const char SQL_AVAILABLE_LIST[] =
    "SELECT sub, name FROM agents WHERE available = 1 ORDER BY name, sub LIMIT ?1";

static int transfer_locked(edge__sq *sq, const char *contact_id, const char *from_agent_sub,
                           const char *to_queue, int64_t now_ms)
{
    int changed =
        edge__sq_run(sq, SQL_TRANSFER, "tttl", contact_id, from_agent_sub, to_queue, now_ms);
    if (changed < 0)
        return changed;
    if (changed == 0) {
        int rc = edge__sq_contact_of_agent(sq, contact_id, from_agent_sub);
        return rc != 0 ? rc : EDGE_STORE_ESTATE;
    }
    int left = edge__sq_run(sq, SQL_AGENT_LEAVES, "ttl", contact_id, from_agent_sub, now_ms);
    return left < 0 ? left : 0;
}

int edge__sq_contact_transfer(edge_store *st, const char *contact_id, const char *from_agent_sub,
                              const char *to_queue, int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = transfer_locked(sq, contact_id, from_agent_sub, to_queue, now_ms);
    return edge__sq_end_tx(sq, rc);
}

static void read_entry(sqlite3_stmt *s, void *elem)
{
    edge_agent_entry *a = elem;
    memset(a, 0, sizeof(*a));
    edge__sq_text(s, 0, a->sub, sizeof(a->sub));
    edge__sq_text(s, 1, a->name, sizeof(a->name));
}

int edge__sq_agents_available_list(edge_store *st, edge_agent_entry *out, size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    if (cap == 0)
        return edge__sq_done(sq, 0);
    int64_t limit = cap >= (size_t)INT32_MAX ? -1 : (int64_t)cap;
    sqlite3_stmt *s = edge__sq_query(sq, SQL_AVAILABLE_LIST, "l", limit);
    int rc = s == NULL ? EDGE_STORE_EINTERNAL
                       : edge__sq_rows(sq, s, out, sizeof(*out), cap, count, read_entry, NULL);
    return edge__sq_done(sq, rc);
}
