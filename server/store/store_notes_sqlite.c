/* store_notes_sqlite.c - SQLite backend: agents' private notes on a contact.
 *
 * Adding one is a transaction: whose contact it is (contacts.agent_sub),
 * how many notes it holds (the cap), then the INSERT, so the rule "only the
 * contact's agent" and the cap hold against concurrent writers. Notes sit
 * in their own table, never in messages or events: nothing that serves a
 * participant reads it. */
#include "store/store_sqlite_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

static const char SQL_CONTACT_AGENT[] = "SELECT agent_sub FROM contacts WHERE id = ?1";
static const char SQL_NOTE_COUNT[] = "SELECT COUNT(*) FROM notes WHERE contact_id = ?1";
static const char SQL_NOTE_INSERT[] =
    "INSERT INTO notes (id, contact_id, author_sub, author_name, content, created_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_NOTES[] =
    "SELECT id, contact_id, author_sub, author_name, content, created_ms FROM notes"
    " WHERE contact_id = ?1 ORDER BY created_ms, rowid LIMIT ?2";

int edge__sq_contact_of_agent(edge__sq *sq, const char *contact_id, const char *agent_sub)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_CONTACT_AGENT, "t", contact_id);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    int mine = rc == 1 && sqlite3_column_text(s, 0) != NULL &&
               strcmp((const char *)sqlite3_column_text(s, 0), agent_sub) == 0;
    sqlite3_reset(s);
    if (rc < 0)
        return rc;
    return mine ? 0 : EDGE_STORE_ENOTFOUND;
}

static int note_count(edge__sq *sq, const char *contact_id, int64_t *n)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_NOTE_COUNT, "t", contact_id);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1)
        *n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == 1 ? 0 : rc == 0 ? edge__sq_fail(sq, "note count: no row") : rc;
}

static int note_add_locked(edge__sq *sq, const char *contact_id, const char *agent_sub,
                           const char *agent_name, const char *content, int64_t max_count,
                           int64_t now_ms, edge_note *out)
{
    int rc = edge__sq_contact_of_agent(sq, contact_id, agent_sub);
    int64_t n = 0;
    if (rc == 0 && max_count > 0)
        rc = note_count(sq, contact_id, &n);
    if (rc != 0)
        return rc;
    if (max_count > 0 && n >= max_count)
        return EDGE_STORE_ECAP;
    char id[EDGE_STORE_ID_MAX];
    if (edge__store_new_id(id) != 0)
        return EDGE_STORE_EINTERNAL;
    rc = edge__sq_run(sq, SQL_NOTE_INSERT, "tttttl", id, contact_id, agent_sub, agent_name, content,
                      now_ms);
    if (rc < 0)
        return rc;
    memcpy(out->id, id, sizeof(id));
    snprintf(out->contact_id, sizeof(out->contact_id), "%s", contact_id);
    snprintf(out->author_sub, sizeof(out->author_sub), "%s", agent_sub);
    snprintf(out->author_name, sizeof(out->author_name), "%s", agent_name);
    out->content = edge_xstrdup(content);
    out->created_ms = now_ms;
    return 0;
}

int edge__sq_note_add(edge_store *st, const char *contact_id, const char *agent_sub,
                      const char *agent_name, const char *content, int64_t max_count,
                      int64_t now_ms, edge_note *out)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = note_add_locked(sq, contact_id, agent_sub, agent_name, content, max_count, now_ms, out);
    return edge__sq_end_tx(sq, rc);
}

static void read_note(sqlite3_stmt *s, void *elem)
{
    edge_note *n = elem;
    memset(n, 0, sizeof(*n));
    edge__sq_text(s, 0, n->id, sizeof(n->id));
    edge__sq_text(s, 1, n->contact_id, sizeof(n->contact_id));
    edge__sq_text(s, 2, n->author_sub, sizeof(n->author_sub));
    edge__sq_text(s, 3, n->author_name, sizeof(n->author_name));
    n->content = edge__sq_dup(s, 4);
    if (n->content == NULL)
        n->content = edge_xstrdup(""); /* NOT NULL in the schema; never NULL here */
    n->created_ms = sqlite3_column_int64(s, 5);
}

static void free_note(void *elem)
{
    edge_note_free(elem);
}

int edge__sq_notes(edge_store *st, const char *contact_id, const char *agent_sub, edge_note *out,
                   size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_contact_of_agent(sq, contact_id, agent_sub);
    if (rc == 0 && cap > 0) {
        int64_t limit = cap >= (size_t)INT32_MAX ? -1 : (int64_t)cap;
        sqlite3_stmt *s = edge__sq_query(sq, SQL_NOTES, "tl", contact_id, limit);
        rc = s == NULL ? EDGE_STORE_EINTERNAL
                       : edge__sq_rows(sq, s, out, sizeof(*out), cap, count, read_note, free_note);
    }
    return edge__sq_done(sq, rc);
}
