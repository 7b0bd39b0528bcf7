/* store_wrapup_sqlite.c - SQLite backend: dispositions, one row per contact
 * (table dispositions, deleted with the contact by its foreign key).
 * Setting one is a transaction: whose contact it is, then the upsert, so
 * "only the contact's agent" holds against concurrent writers. */
#include "store/store_sqlite_internal.h"

static const char SQL_DISPOSITION_SET[] =
    "INSERT INTO dispositions (contact_id, code, agent_sub, created_ms) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (contact_id) DO UPDATE SET code = excluded.code,"
    " agent_sub = excluded.agent_sub, created_ms = excluded.created_ms";
static const char SQL_DISPOSITION_GET[] = "SELECT code FROM dispositions WHERE contact_id = ?1";

int edge__sq_disposition_set(edge_store *st, const char *contact_id, const char *agent_sub,
                             const char *code, int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = edge__sq_contact_of_agent(sq, contact_id, agent_sub);
    if (rc == 0) {
        int changed =
            edge__sq_run(sq, SQL_DISPOSITION_SET, "tttl", contact_id, code, agent_sub, now_ms);
        rc = changed < 0 ? changed : 0;
    }
    return edge__sq_end_tx(sq, rc);
}

int edge__sq_disposition_get(edge_store *st, const char *contact_id, const char *agent_sub,
                             char code[EDGE_STORE_TEXT_MAX])
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_contact_of_agent(sq, contact_id, agent_sub);
    if (rc == 0) {
        sqlite3_stmt *s = edge__sq_query(sq, SQL_DISPOSITION_GET, "t", contact_id);
        rc = s == NULL ? EDGE_STORE_EINTERNAL : edge__sq_step(sq, s);
        if (rc == 1)
            edge__sq_text(s, 0, code, EDGE_STORE_TEXT_MAX);
        rc = rc < 0 ? rc : 0;
    }
    return edge__sq_done(sq, rc);
}
