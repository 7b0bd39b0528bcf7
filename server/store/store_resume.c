/* store_resume.c - the SQLite backend's resume fast path: chat_open.
 *
 * "Does this sub have an open chat, and which?" is asked on every page
 * load of every signed-in visitor, and the answer rarely changes, so it
 * comes from the open-chat table (store_open_chats.h) when it can. The
 * table stays true this way:
 * - this connection's writes: SQLite's update hook reports every changed
 *   or deleted contacts row, inside the statement that changes it, and its
 *   entry is dropped there (a rolled-back change drops it for nothing; the
 *   next read fills it again). New rows need nothing: a sub with an open
 *   chat cannot get a second one, and a sub without one has no entry;
 * - other processes' writes: PRAGMA data_version changes with every commit
 *   of another connection (never with this one's), and reading it costs a
 *   read transaction, so it is read at most once per millisecond of the
 *   callers' clock, and any change clears the whole table. That bounds how
 *   stale an answer can be (EDGE_STORE_OPEN_CHAT_LAG_MS) without paying the
 *   transaction on every request;
 * - "no open chat" is never kept: that answer leads to a start, which runs
 *   under the write lock in edge__sq_chat_start anyway.
 * A miss reads the row with one statement and keeps it. */
#include "store/store_sqlite_internal.h"

#include <string.h>

static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
static const char SQL_OPEN_CHAT_IDS[] =
    "SELECT c.rowid, c.id, COALESCE(c.previous_contact_id, ''), p.id"
    " FROM contacts AS c JOIN participants AS p ON p.contact_id = c.id"
    " WHERE c.customer_sub = ?1 AND c.kind = 'chat' AND c.state <> 'ended'"
    " AND p.role = 'customer' ORDER BY p.rowid LIMIT 1";

void edge__sq_on_row_change(void *arg, int op, const char *db, const char *table,
                            sqlite3_int64 rowid)
{
    edge__sq *sq = arg;
    (void)db;
    if (op != SQLITE_INSERT && strcmp(table, "contacts") == 0)
        edge_open_chats_drop_contact(sq->open_chats, rowid);
}

/* Clear the table when another process has committed since the last look;
 * look at most once per millisecond of now_ms. 0, or EINTERNAL. */
static int notice_foreign_writes(edge__sq *sq, int64_t now_ms)
{
    if (now_ms == sq->foreign_checked_ms)
        return 0;
    sqlite3_stmt *s = edge__sq_query(sq, SQL_DATA_VERSION, "");
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    int64_t version = rc == 1 ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    if (rc != 1)
        return rc < 0 ? rc : edge__sq_fail(sq, "PRAGMA data_version gave no row");
    if (version != sq->foreign_version) {
        edge_open_chats_clear(sq->open_chats);
        sq->foreign_version = version;
    }
    sq->foreign_checked_ms = now_ms;
    return 0;
}

/* Read sub's open chat from the file and keep it: 0, ENOTFOUND or EINTERNAL. */
static int read_open_chat(edge__sq *sq, const char *sub, edge_open_chat *out)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_OPEN_CHAT_IDS, "t", sub);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1) {
        int64_t rowid = sqlite3_column_int64(s, 0);
        edge__sq_text(s, 1, out->contact_id, sizeof(out->contact_id));
        edge__sq_text(s, 2, out->previous_contact_id, sizeof(out->previous_contact_id));
        edge__sq_text(s, 3, out->participant_id, sizeof(out->participant_id));
        edge_open_chats_put(sq->open_chats, sub, rowid, out);
    }
    sqlite3_reset(s);
    return rc == 1 ? 0 : rc == 0 ? EDGE_STORE_ENOTFOUND : rc;
}

int edge__sq_chat_open(edge_store *st, const char *sub, int64_t now_ms, edge_open_chat *out)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = notice_foreign_writes(sq, now_ms);
    if (rc != 0)
        return rc;
    if (edge_open_chats_get(sq->open_chats, sub, out))
        return 0;
    return read_open_chat(sq, sub, out);
}
