/* store_sqlite.c - the SQLite backend's frame: open, pragmas, the vtable,
 * the statement cache and the small helpers every operation shares.
 *
 * Durability: journal_mode=WAL with synchronous=NORMAL. A commit appends to
 * the WAL with write(2) before sqlite3_step returns, so once an operation
 * has returned 0 its data is in the kernel's page cache and survives the
 * process being killed (kill -9, a crash) and a restart; only an OS crash
 * or power loss can drop the last few commits (never corrupt the file).
 * FULL would close that gap at the price of an fsync per commit, and since
 * the store is called on the event-loop thread that fsync would stall every
 * connection; NORMAL is the chosen trade. WAL also lets readers run while
 * another process writes.
 *
 * Locks: the server owns its file (store/data_lock.h) and opens it with
 * edge_store_open_sqlite_owned, which sets busy_timeout to 0 once open: a
 * write that meets a foreign lock fails at once with EDGE_STORE_EBUSY
 * instead of stalling the loop. The shared opening (tests, tools) keeps a
 * busy_timeout so several processes on one file wait their turn. A full
 * disk is EDGE_STORE_EFULL; both roll the transaction back whole.
 *
 * Damage: every opening runs PRAGMA quick_check first and refuses a file
 * that fails it (or that SQLite cannot read as a database at all), so a
 * corrupt file stops the start instead of answering from broken pages. */
#include "store/store_sqlite_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/errbuf.h"
#include "common/mem.h"

int edge__sq_code(edge__sq *sq)
{
    int ext = sqlite3_extended_errcode(sq->db);
    int primary = ext & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return EDGE_STORE_EBUSY;
    if (primary == SQLITE_FULL ||
        (primary == SQLITE_IOERR && sqlite3_system_errno(sq->db) == ENOSPC))
        return EDGE_STORE_EFULL;
    return EDGE_STORE_EINTERNAL;
}

int edge__sq_fail(edge__sq *sq, const char *what)
{
    fprintf(stderr, "c2c-edge: store: %s: %s (%d)\n", what, sqlite3_errmsg(sq->db),
            sqlite3_extended_errcode(sq->db));
    return edge__sq_code(sq);
}

/* ---- statement cache ----------------------------------------------------- */

/* The cached statement for sql, prepared on first use; NULL after logging. */
static sqlite3_stmt *cached_stmt(edge__sq *sq, const char *sql)
{
    for (size_t i = 0; i < sq->nslots; i++)
        if (sq->slots[i].sql == sql)
            return sq->slots[i].stmt;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(sq->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        edge__sq_fail(sq, "prepare");
        fprintf(stderr, "c2c-edge: store: the statement was: %s\n", sql);
        return NULL;
    }
    if (sq->nslots == sq->capslots) {
        sq->capslots = sq->capslots ? 2 * sq->capslots : 32;
        sq->slots = edge_xrealloc(sq->slots, sq->capslots * sizeof(sq->slots[0]));
    }
    sq->slots[sq->nslots].sql = sql;
    sq->slots[sq->nslots].stmt = s;
    sq->nslots++;
    return s;
}

static int bind_args(edge__sq *sq, sqlite3_stmt *s, const char *fmt, va_list ap)
{
    for (int i = 0; fmt[i] != '\0'; i++) {
        int rc;
        if (fmt[i] == 't') {
            const char *t = va_arg(ap, const char *);
            rc =
                t ? sqlite3_bind_text(s, i + 1, t, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i + 1);
        } else if (fmt[i] == 'l') {
            rc = sqlite3_bind_int64(s, i + 1, (sqlite3_int64)va_arg(ap, int64_t));
        } else if (fmt[i] == 'i') {
            rc = sqlite3_bind_int(s, i + 1, va_arg(ap, int));
        } else {
            fprintf(stderr, "c2c-edge: store: bad bind format '%c'\n", fmt[i]);
            return EDGE_STORE_EINTERNAL;
        }
        if (rc != SQLITE_OK)
            return edge__sq_fail(sq, "bind");
    }
    return 0;
}

static sqlite3_stmt *vquery(edge__sq *sq, const char *sql, const char *fmt, va_list ap)
{
    sqlite3_stmt *s = cached_stmt(sq, sql);
    if (s == NULL)
        return NULL;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return bind_args(sq, s, fmt, ap) == 0 ? s : NULL;
}

sqlite3_stmt *edge__sq_query(edge__sq *sq, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *s = vquery(sq, sql, fmt, ap);
    va_end(ap);
    return s;
}

int edge__sq_step(edge__sq *sq, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    int ext = sqlite3_extended_errcode(sq->db);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return EDGE_STORE_ECONFLICT;
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
        return EDGE_STORE_ENOTFOUND;
    return edge__sq_fail(sq, "step");
}

int edge__sq_run(edge__sq *sq, const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *s = vquery(sq, sql, fmt, ap);
    va_end(ap);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    sqlite3_reset(s);
    if (rc < 0)
        return rc;
    return sqlite3_changes(sq->db);
}

int edge__sq_done(edge__sq *sq, int rc)
{
    for (size_t i = 0; i < sq->nslots; i++)
        if (sqlite3_stmt_busy(sq->slots[i].stmt))
            sqlite3_reset(sq->slots[i].stmt);
    return rc;
}

/* ---- transactions ------------------------------------------------------- */

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

int edge__sq_begin(edge__sq *sq)
{
    edge__sq_done(sq, 0);
    int rc = edge__sq_run(sq, SQL_BEGIN, "");
    return rc < 0 ? rc : 0;
}

int edge__sq_end_tx(edge__sq *sq, int rc)
{
    edge__sq_done(sq, 0);
    if (rc == 0) {
        int c = edge__sq_run(sq, SQL_COMMIT, "");
        if (c >= 0)
            return 0;
        /* step already logged and classified the failure (EBUSY, EFULL,
         * EINTERNAL); a deferred constraint is a bug worth a line too. */
        rc = c == EDGE_STORE_ECONFLICT || c == EDGE_STORE_ENOTFOUND ? edge__sq_fail(sq, "commit")
                                                                    : c;
    }
    /* A failed statement or COMMIT may already have rolled back. */
    if (!sqlite3_get_autocommit(sq->db) && edge__sq_run(sq, SQL_ROLLBACK, "") < 0)
        edge__sq_fail(sq, "rollback");
    return rc;
}

/* ---- rows ----------------------------------------------------------------- */

void edge__sq_text(sqlite3_stmt *s, int col, char *dst, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(s, col) : 0;
    if (n >= cap)
        n = cap - 1; /* every caller passes cap > 0 */
    if (n > 0)
        memcpy(dst, t, n);
    dst[n] = '\0';
}

char *edge__sq_dup(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    if (t == NULL)
        return NULL;
    return edge_xstrndup((const char *)t, (size_t)sqlite3_column_bytes(s, col));
}

int edge__sq_rows(edge__sq *sq, sqlite3_stmt *s, void *out, size_t size, size_t cap, size_t *count,
                  edge__sq_read_fn read, edge__sq_free_fn release)
{
    size_t n = 0;
    int rc = 0;
    while (n < cap && (rc = edge__sq_step(sq, s)) == 1) {
        read(s, (char *)out + n * size);
        n++;
    }
    if (rc < 0) {
        for (size_t i = 0; release != NULL && i < n; i++)
            release((char *)out + i * size);
        if (n > 0)
            memset(out, 0, n * size);
        n = 0;
    }
    *count = n;
    return rc < 0 ? rc : 0;
}

/* ---- enum words --------------------------------------------------------- */

static const char *const state_words[] = {"queued", "ringing", "connected", "ended"};

const char *edge__sq_state_name(edge_contact_state state)
{
    return (unsigned)state < 4 ? state_words[state] : "ended";
}

edge_contact_state edge__sq_state_parse(const char *word)
{
    for (int i = 0; i < 4; i++)
        if (word != NULL && strcmp(word, state_words[i]) == 0)
            return (edge_contact_state)i;
    return EDGE_CONTACT_ENDED; /* the schema's CHECK makes this unreachable */
}

const char *edge__sq_role_name(edge_role role)
{
    return role == EDGE_ROLE_AGENT ? "agent" : "customer";
}

edge_role edge__sq_role_parse(const char *word)
{
    return word != NULL && strcmp(word, "agent") == 0 ? EDGE_ROLE_AGENT : EDGE_ROLE_CUSTOMER;
}

/* ---- open and close ------------------------------------------------------ */

static void sqlite_close(edge_store *st)
{
    edge__sq *sq = edge__sq_of(st);
    for (size_t i = 0; i < sq->nslots; i++)
        sqlite3_finalize(sq->slots[i].stmt);
    free(sq->slots);
    if (sq->db != NULL && sqlite3_close(sq->db) != SQLITE_OK)
        edge__sq_fail(sq, "close");
    edge_open_chats_free(sq->open_chats);
    edge__counters_free(sq->counters);
    free(sq);
}

static int sqlite_schema_version(edge_store *st)
{
    return edge__sq_of(st)->schema_version;
}

/* Rate-limit counters are kept in memory: one process owns --data. */
int edge__sq_limit_take(edge_store *st, const char *key, uint32_t max, int64_t window_ms,
                        int64_t now_ms, int64_t *retry_after_ms)
{
    return edge__counters_take(edge__sq_of(st)->counters, key, max, window_ms, now_ms,
                               retry_after_ms);
}

static const edge__store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .schema_version = sqlite_schema_version,
    .chat_open = edge__sq_chat_open,
    .chat_start = edge__sq_chat_start,
    .call_start = edge__sq_call_start,
    .contact_get = edge__sq_contact_get,
    .contact_ring = edge__sq_contact_ring,
    .contact_accept = edge__sq_contact_accept,
    .contact_requeue = edge__sq_contact_requeue,
    .contact_end = edge__sq_contact_end,
    .queue_list = edge__sq_queue_list,
    .queue_customers = edge__sq_queue_customers,
    .queue_depth = edge__sq_queue_depth,
    .queues_waiting = edge__sq_queues_waiting,
    .queue_told = edge__sq_queue_told,
    .queue_fallback = edge__sq_queue_fallback,
    .calls_waiting_since = edge__sq_calls_waiting_since,
    .call_next_queued = edge__sq_call_next_queued,
    .calls_ringing_since = edge__sq_calls_ringing_since,
    .agent_contacts = edge__sq_agent_contacts,
    .participant_get = edge__sq_participant_get,
    .participants_of = edge__sq_participants_of,
    .message_add = edge__sq_message_add,
    .message_send = edge__sq_message_send,
    .transcript = edge__sq_transcript,
    .note_add = edge__sq_note_add,
    .notes = edge__sq_notes,
    .contact_transfer = edge__sq_contact_transfer,
    .agents_available_list = edge__sq_agents_available_list,
    .disposition_set = edge__sq_disposition_set,
    .disposition_get = edge__sq_disposition_get,
    .canned_add = edge__sq_canned_add,
    .canned_list = edge__sq_canned_list,
    .canned_delete = edge__sq_canned_delete,
    .contact_rate = edge__sq_contact_rate,
    .events_add = edge__sq_events_add,
    .events_since = edge__sq_events_since,
    .agent_set_status = edge__sq_agent_set_status,
    .agents_available = edge__sq_agents_available,
    .agent_pick_idle = edge__sq_agent_pick_idle,
    .purge_ended = edge__sq_purge_ended,
    .prune_unbound_events = edge__sq_prune_unbound_events,
    .agent_presence = edge__sq_agent_presence,
    .agents_away_since = edge__sq_agents_away_since,
    .agent_expire = edge__sq_agent_expire,
    .agents_listening = edge__sq_agents_listening,
    .participant_presence = edge__sq_participant_presence,
    .calls_caller_gone = edge__sq_calls_caller_gone,
    .presence_reset = edge__sq_presence_reset,
    .agent_get = edge__sq_agent_get,
    .events_last_id = edge__sq_events_last_id,
    .agent_open_contacts = edge__sq_agent_open_contacts,
    .route_create = edge__sq_route_create,
    .route_redeem = edge__sq_route_redeem,
    .limit_take = edge__sq_limit_take,
};

/* mkdir -p dir, private to the server's user (the store holds transcripts). */
static int make_dirs(const char *dir, char *err, size_t errlen)
{
    char *path = edge_xstrdup(dir);
    int rc = 0;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            rc = edge_errf(err, errlen, "store: cannot create %s: %s", path, strerror(errno));
            break;
        }
        *p = c;
        if (c == '\0')
            break;
    }
    free(path);
    return rc;
}

/* Run one PRAGMA and copy the first column of its row (if any) into out.
 * Returns the SQLite result code (SQLITE_OK on success). */
static int pragma(edge__sq *sq, const char *sql, char *out, size_t outlen)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(sq->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW && out != NULL)
            edge__sq_text(s, 0, out, outlen);
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(s);
    return rc;
}

/* Switch a new file to WAL. That takes an exclusive lock, and SQLite does
 * not call the busy handler for it, so when several processes open a new
 * file at once the losers get SQLITE_BUSY at once: retry them here for as
 * long as busy_timeout would have waited. Once the file is in WAL mode
 * (which is persistent) this is a no-op that never waits. */
static int switch_to_wal(edge__sq *sq, char *mode, size_t modelen)
{
    const int step_ms = 10;
    int rc = SQLITE_BUSY;
    for (int waited = 0; waited <= EDGE__SQ_BUSY_MS; waited += step_ms) {
        mode[0] = '\0';
        rc = pragma(sq, "PRAGMA journal_mode=WAL", mode, modelen);
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            break;
        sqlite3_sleep(step_ms);
    }
    return rc == SQLITE_OK && strcmp(mode, "wal") == 0 ? 0 : -1;
}

static int apply_pragmas(edge__sq *sq, char *err, size_t errlen)
{
    char mode[16] = "", fk[8] = "";
    if (switch_to_wal(sq, mode, sizeof(mode)) != 0)
        return edge_errf(err, errlen, "store: cannot switch to WAL (journal_mode=%s): %s", mode,
                         sqlite3_errmsg(sq->db));
    if (pragma(sq, "PRAGMA synchronous=NORMAL", NULL, 0) != SQLITE_OK ||
        pragma(sq, "PRAGMA foreign_keys=ON", NULL, 0) != SQLITE_OK ||
        /* retention deletes transcripts for privacy: zero what it frees */
        pragma(sq, "PRAGMA secure_delete=ON", NULL, 0) != SQLITE_OK ||
        pragma(sq, "PRAGMA foreign_keys", fk, sizeof(fk)) != SQLITE_OK || strcmp(fk, "1") != 0)
        return edge_errf(err, errlen, "store: pragmas: %s", sqlite3_errmsg(sq->db));
    return 0;
}

/* 1 when the last error says the file is not a sound database. */
static int damaged(edge__sq *sq)
{
    int primary = sqlite3_extended_errcode(sq->db) & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

static int corrupt(const char *path, const char *why, char *err, size_t errlen)
{
    return edge_errf(err, errlen,
                     "store: %s is corrupt (%s); restore it from a backup, or move it (and its "
                     "-wal and -shm files) away to start with an empty store",
                     path, why);
}

/* PRAGMA quick_check: every page of every table and index is well formed
 * (it skips only the index-versus-table comparison of integrity_check).
 * Its first row is "ok" for a sound file, else the first problem. */
static int check_file(edge__sq *sq, const char *path, char *err, size_t errlen)
{
    char first[160] = "";
    int rc = pragma(sq, "PRAGMA quick_check(1)", first, sizeof(first));
    if (rc == SQLITE_OK && strcmp(first, "ok") == 0)
        return 0;
    if (rc == SQLITE_OK || damaged(sq)) {
        for (char *c = first; *c; c++)
            if (*c == '\n' || *c == '\r')
                *c = ' '; /* the error is one line */
        return corrupt(path, rc == SQLITE_OK ? first : sqlite3_errmsg(sq->db), err, errlen);
    }
    return edge_errf(err, errlen, "store: cannot check %s: %s", path, sqlite3_errmsg(sq->db));
}

/* The steps of an opening after sqlite3_open_v2: check, WAL, pragmas,
 * schema. Returns 0 or -1 with one line in err. */
static int prepare_file(edge__sq *sq, const char *path, char *err, size_t errlen)
{
    if (check_file(sq, path, err, errlen) != 0)
        return -1;
    if (apply_pragmas(sq, err, errlen) == 0 && edge__sq_migrate(sq, err, errlen) == 0)
        return 0;
    if (damaged(sq))
        corrupt(path, sqlite3_errmsg(sq->db), err, errlen);
    return -1;
}

static edge_store *open_sqlite(const char *dir, int busy_ms, char *err, size_t errlen)
{
    if (dir == NULL || dir[0] == '\0') {
        edge_errf(err, errlen, "store: no data directory");
        return NULL;
    }
    if (make_dirs(dir, err, errlen) != 0)
        return NULL;
    size_t pathlen = strlen(dir) + sizeof("/" EDGE__SQ_FILE);
    char *path = edge_xmalloc(pathlen);
    snprintf(path, pathlen, "%s/%s", dir, EDGE__SQ_FILE);
    /* SQLite's allocation statistics take a global mutex around every
     * malloc, a measurable part of a short query; nothing here reads them.
     * Only possible before SQLite initializes: a second open gets
     * SQLITE_MISUSE, which changes nothing, and is ignored. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    edge__sq *sq = edge_xcalloc(1, sizeof(*sq));
    sq->base.ops = &sqlite_ops;
    sq->open_chats = edge_open_chats_new(EDGE__SQ_OPEN_CHATS);
    sq->counters = edge__counters_new(EDGE__SQ_COUNTERS);
    sq->foreign_version = -1;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &sq->db, flags, NULL);
    if (rc != SQLITE_OK) {
        edge_errf(err, errlen, "store: cannot open %s: %s", path,
                  sq->db ? sqlite3_errmsg(sq->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(sq->db, 1);
    sqlite3_update_hook(sq->db, edge__sq_on_row_change, sq);
    /* Before the first statement: even the WAL switch may meet a lock. */
    sqlite3_busy_timeout(sq->db, EDGE__SQ_BUSY_MS);
    if (prepare_file(sq, path, err, errlen) != 0)
        goto fail;
    sqlite3_busy_timeout(sq->db, busy_ms);
    free(path);
    return &sq->base;
fail:
    free(path);
    sqlite_close(&sq->base);
    return NULL;
}

edge_store *edge_store_open_sqlite(const char *dir, char *err, size_t errlen)
{
    return open_sqlite(dir, EDGE__SQ_BUSY_MS, err, errlen);
}

edge_store *edge_store_open_sqlite_owned(const char *dir, char *err, size_t errlen)
{
    return open_sqlite(dir, 0, err, errlen);
}
