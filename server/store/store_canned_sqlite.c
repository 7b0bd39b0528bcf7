/* store_canned_sqlite.c - SQLite backend: agents' own canned responses
 * (table canned, by agent). Adding one counts the agent's rows and
 * inserts in one transaction, so the cap holds against concurrent
 * writers; deleting is conditional on the owner, so nobody deletes
 * another agent's. */
#include "store/store_sqlite_internal.h"

#include <stdio.h>
#include <string.h>

#include "common/mem.h"

static const char SQL_CANNED_COUNT[] = "SELECT COUNT(*) FROM canned WHERE agent_sub = ?1";
static const char SQL_CANNED_INSERT[] =
    "INSERT INTO canned (id, agent_sub, title, content, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_CANNED_LIST[] = "SELECT id, title, content, created_ms FROM canned"
                                      " WHERE agent_sub = ?1 ORDER BY created_ms, rowid LIMIT ?2";
static const char SQL_CANNED_DELETE[] = "DELETE FROM canned WHERE id = ?1 AND agent_sub = ?2";

static int canned_count(edge__sq *sq, const char *agent_sub, int64_t *n)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_CANNED_COUNT, "t", agent_sub);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1)
        *n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == 1 ? 0 : rc == 0 ? edge__sq_fail(sq, "canned count: no row") : rc;
}

static int canned_add_locked(edge__sq *sq, const char *agent_sub, const char *title,
                             const char *content, int64_t max_count, int64_t now_ms,
                             edge_canned *out)
{
    int64_t n = 0;
    int rc = max_count > 0 ? canned_count(sq, agent_sub, &n) : 0;
    if (rc != 0)
        return rc;
    if (max_count > 0 && n >= max_count)
        return EDGE_STORE_ECAP;
    char id[EDGE_STORE_ID_MAX];
    if (edge__store_new_id(id) != 0)
        return EDGE_STORE_EINTERNAL;
    rc = edge__sq_run(sq, SQL_CANNED_INSERT, "ttttl", id, agent_sub, title, content, now_ms);
    if (rc < 0)
        return rc;
    memcpy(out->id, id, sizeof(id));
    snprintf(out->title, sizeof(out->title), "%s", title);
    out->content = edge_xstrdup(content);
    out->created_ms = now_ms;
    return 0;
}

int edge__sq_canned_add(edge_store *st, const char *agent_sub, const char *title,
                        const char *content, int64_t max_count, int64_t now_ms, edge_canned *out)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = canned_add_locked(sq, agent_sub, title, content, max_count, now_ms, out);
    return edge__sq_end_tx(sq, rc);
}

static void read_canned(sqlite3_stmt *s, void *elem)
{
    edge_canned *c = elem;
    memset(c, 0, sizeof(*c));
    edge__sq_text(s, 0, c->id, sizeof(c->id));
    edge__sq_text(s, 1, c->title, sizeof(c->title));
    c->content = edge__sq_dup(s, 2);
    if (c->content == NULL)
        c->content = edge_xstrdup(""); /* NOT NULL in the schema; never NULL here */
    c->created_ms = sqlite3_column_int64(s, 3);
}

static void free_canned(void *elem)
{
    edge_canned_free(elem);
}

int edge__sq_canned_list(edge_store *st, const char *agent_sub, edge_canned *out, size_t cap,
                         size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    if (cap == 0)
        return edge__sq_done(sq, 0);
    int64_t limit = cap >= (size_t)INT32_MAX ? -1 : (int64_t)cap;
    sqlite3_stmt *s = edge__sq_query(sq, SQL_CANNED_LIST, "tl", agent_sub, limit);
    int rc = s == NULL
                 ? EDGE_STORE_EINTERNAL
                 : edge__sq_rows(sq, s, out, sizeof(*out), cap, count, read_canned, free_canned);
    return edge__sq_done(sq, rc);
}

int edge__sq_canned_delete(edge_store *st, const char *agent_sub, const char *id)
{
    edge__sq *sq = edge__sq_of(st);
    int changed = edge__sq_run(sq, SQL_CANNED_DELETE, "tt", id, agent_sub);
    return edge__sq_done(sq, changed < 0 ? changed : changed == 0 ? EDGE_STORE_ENOTFOUND : 0);
}
