/* store_sqlite_internal.h - shared between the files of the SQLite backend.
 *
 * The backend is one struct (edge__sq, embedding edge_store first so the
 * vtable dispatch can cast back) and a handful of helpers that every
 * operation uses the same way: statements come from a per-store cache keyed
 * by the address of their static SQL text, parameters are bound from a tiny
 * format string, and every operation ends through edge__sq_done or
 * edge__sq_end_tx, which reset the statements it used so no read snapshot
 * outlives the operation (a stale snapshot would hide other processes'
 * writes and make the next BEGIN IMMEDIATE fail with SQLITE_BUSY_SNAPSHOT).
 *
 * One edge_store is used by one thread at a time (the connection is opened
 * with SQLITE_OPEN_NOMUTEX); processes share the file, not the handle. */
#ifndef EDGE_STORE_SQLITE_INTERNAL_H
#define EDGE_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_backend.h"
#include "store/store_counters.h"
#include "store/store_open_chats.h"

#define EDGE__SQ_FILE "c2c.sqlite3"
#define EDGE__SQ_BUSY_MS 5000 /* how long a shared opening's writer waits for another
                                 process (an owned one waits only while opening) */

typedef struct edge__sq_slot {
    const char *sql;    /* key: the address of a static SQL string */
    sqlite3_stmt *stmt; /* owned; prepared on first use */
} edge__sq_slot;

/* Entries in the open-chat table: as many as the token cache holds
 * identities, about 1.6 MiB at most, touched only as it fills. */
#define EDGE__SQ_OPEN_CHATS 4096
/* Rate-limit counters kept (32 bytes each, 2 MiB): a few per active
 * identity and address; past that the counter whose window ends first is
 * forgotten. */
#define EDGE__SQ_COUNTERS 65536

typedef struct edge__sq {
    edge_store base; /* first: edge_store * and edge__sq * convert */
    sqlite3 *db;     /* owned */
    int schema_version;
    edge__sq_slot *slots; /* the statement cache, owned */
    size_t nslots, capslots;
    /* Who has an open chat (store_open_chats.h), owned. This connection's
     * writes drop entries through the update hook as they happen; other
     * processes' writes clear it, seen through PRAGMA data_version, read
     * at most once per millisecond of the callers' clock. */
    edge_open_chats *open_chats;
    int64_t foreign_checked_ms; /* when data_version was last read */
    int64_t foreign_version;    /* what it said then; -1 before the first read */
    /* Rate-limit counters (store_counters.h), owned: in memory, since one
     * process owns the file (--data). */
    edge__counters *counters;
} edge__sq;

static inline edge__sq *edge__sq_of(edge_store *st)
{
    return (edge__sq *)st;
}

/* ---- helpers (store_sqlite.c) ------------------------------------------ */

/* The EDGE_STORE_E* code for the connection's last error: EBUSY for a lock
 * held elsewhere, EFULL for a full disk, else EINTERNAL. */
int edge__sq_code(edge__sq *sq);
/* Log "store: what: <sqlite message>" on stderr; returns edge__sq_code. */
int edge__sq_fail(edge__sq *sq, const char *what);
/* The cached statement for sql (a static string: its address is the key),
 * reset and ready to bind, with the parameters bound from fmt: 't' a
 * const char * (NULL binds NULL; the text must outlive the step), 'l' an
 * int64_t, 'i' an int. NULL after logging on failure. */
sqlite3_stmt *edge__sq_query(edge__sq *sq, const char *sql, const char *fmt, ...);
/* Step once: 1 = a row, 0 = done; on failure a negative code: ECONFLICT for
 * a UNIQUE/PRIMARY KEY violation, ENOTFOUND for a FOREIGN KEY one (a
 * referenced row is missing), else EINTERNAL after logging. */
int edge__sq_step(edge__sq *sq, sqlite3_stmt *s);
/* Prepare, bind, run a statement that returns no rows. Returns the number
 * of rows it changed (>= 0), or a negative code as edge__sq_step. */
int edge__sq_run(edge__sq *sq, const char *sql, const char *fmt, ...);
/* Reset every statement still in use and return rc, so an operation can
 * end with `return edge__sq_done(sq, rc);`. */
int edge__sq_done(edge__sq *sq, int rc);
/* BEGIN IMMEDIATE: take the write lock before reading, so a read-then-write
 * is atomic across processes (waits up to EDGE__SQ_BUSY_MS). */
int edge__sq_begin(edge__sq *sq);
/* End the transaction begun by edge__sq_begin: COMMIT when rc is 0, else
 * ROLLBACK. Returns rc, or EDGE_STORE_EINTERNAL when the commit failed. */
int edge__sq_end_tx(edge__sq *sq, int rc);

/* Copy column col as text into dst (cap bytes, always NUL-terminated; NULL
 * reads as ""). */
void edge__sq_text(sqlite3_stmt *s, int col, char *dst, size_t cap);
/* A malloc'd copy of column col, or NULL when it is NULL. */
char *edge__sq_dup(sqlite3_stmt *s, int col);

typedef void (*edge__sq_read_fn)(sqlite3_stmt *s, void *elem);
typedef void (*edge__sq_free_fn)(void *elem);
/* Step s to the end (or cap rows), reading each row into out[i] (elements
 * of size bytes) with read. On failure releases what was read with release
 * (may be NULL) and sets *count to 0. */
int edge__sq_rows(edge__sq *sq, sqlite3_stmt *s, void *out, size_t size, size_t cap, size_t *count,
                  edge__sq_read_fn read, edge__sq_free_fn release);

/* Enum <-> the words stored in the database (readable in the sqlite3 shell). */
const char *edge__sq_state_name(edge_contact_state state);
edge_contact_state edge__sq_state_parse(const char *word);
const char *edge__sq_role_name(edge_role role);
edge_role edge__sq_role_parse(const char *word);

/* ---- schema (store_schema.c) ------------------------------------------- */

/* Bring the schema to the newest version, one transaction per step; sets
 * sq->schema_version. Returns 0, or -1 with one line in err. */
int edge__sq_migrate(edge__sq *sq, char *err, size_t errlen);

/* ---- rows shared between files ------------------------------------------ */

/* Columns in the order edge__sq_read_contact expects. */
#define EDGE__SQ_CONTACT_COLS                                                                      \
    "id, kind, state, queue, priority, customer_sub, customer_name, customer_email,"               \
    " agent_sub, COALESCE(previous_contact_id, ''), end_reason, created_ms, updated_ms,"           \
    " ended_ms, attributes_json, offered_to,"                                                      \
    " (SELECT MIN(away_since_ms) FROM participants"                                                \
    " WHERE contact_id = contacts.id AND role = 'customer'),"                                      \
    " rating_score, rating_comment"
/* Columns in the order edge__sq_read_participant expects. */
#define EDGE__SQ_PARTICIPANT_COLS "id, contact_id, role, sub, display_name, joined_ms, left_ms"

void edge__sq_read_contact(sqlite3_stmt *s, void *elem);
void edge__sq_read_participant(sqlite3_stmt *s, void *elem);
/* Load one participant by id into *out: 0, ENOTFOUND or EINTERNAL. */
int edge__sq_load_participant(edge__sq *sq, const char *participant_id, edge_participant *out);
/* Load one contact by id into *out (attributes malloc'd): 0, ENOTFOUND or
 * EINTERNAL. */
int edge__sq_load_contact(edge__sq *sq, const char *contact_id, edge_contact *out);
/* The state of a contact: 0 with *state set, ENOTFOUND or EINTERNAL. Used
 * to tell why a conditional UPDATE changed nothing. */
int edge__sq_contact_state(edge__sq *sq, const char *contact_id, edge_contact_state *state);

/* ---- operations (one file per group) ------------------------------------ */

/* store_contacts.c */
int edge__sq_chat_open(edge_store *st, const char *sub, int64_t now_ms, edge_open_chat *out);
/* The update hook's half of the open-chat table: a changed or deleted
 * contacts row drops its entry. Registered at open. */
void edge__sq_on_row_change(void *sq, int op, const char *db, const char *table,
                            sqlite3_int64 rowid);
int edge__sq_chat_start(edge_store *st, const edge_chat_start *in, int64_t now_ms,
                        edge_contact *contact, edge_participant *customer, int *resumed);
int edge__sq_call_start(edge_store *st, const edge_call_start *in, int64_t now_ms,
                        edge_contact *contact, edge_participant *customer);
int edge__sq_contact_get(edge_store *st, const char *contact_id, edge_contact *out);
/* Inside a transaction: check that route_id can be redeemed by email now
 * (ENOTFOUND, EMISMATCH, ECONFLICT used, EEXPIRED, in that order) and load
 * it into *out; edge__sq_route_mark_used then spends it. */
int edge__sq_route_claim(edge__sq *sq, const char *route_id, const char *email, int64_t now_ms,
                         edge_adhoc_route *out);
int edge__sq_route_mark_used(edge__sq *sq, edge_adhoc_route *r, int64_t now_ms,
                             const char *contact_id);

int edge__sq_queue_list(edge_store *st, const char *queue, edge_contact *out, size_t cap,
                        size_t *count);
int edge__sq_queue_customers(edge_store *st, const char *queue, edge_queue_entry *out, size_t cap,
                             size_t *count);
int edge__sq_queue_depth(edge_store *st, const char *queue, size_t *count);
int edge__sq_queues_waiting(edge_store *st, char (*out)[EDGE_STORE_TEXT_MAX], size_t cap,
                            size_t *count);
int edge__sq_queue_told(edge_store *st, const edge_queue_told *in, size_t n, int64_t now_ms);
int edge__sq_queue_fallback(edge_store *st, const char *prefix, int64_t created_before_ms,
                            int64_t now_ms, size_t *moved);
int edge__sq_calls_waiting_since(edge_store *st, int64_t created_before_ms, edge_contact *out,
                                 size_t cap, size_t *count);
int edge__sq_call_next_queued(edge_store *st, const char *queue, edge_contact *out);
int edge__sq_calls_ringing_since(edge_store *st, int64_t rung_before_ms, edge_contact *out,
                                 size_t cap, size_t *count);
int edge__sq_agent_contacts(edge_store *st, const char *agent_sub, edge_contact *out, size_t cap,
                            size_t *count);
int edge__sq_participant_get(edge_store *st, const char *participant_id, edge_participant *out);
int edge__sq_participants_of(edge_store *st, const char *contact_id, edge_participant *out,
                             size_t cap, size_t *count);

/* store_contact_state.c */
int edge__sq_contact_ring(edge_store *st, const char *contact_id, const char *agent_sub,
                          int64_t now_ms);
int edge__sq_contact_accept(edge_store *st, const char *contact_id, const char *agent_sub,
                            const char *agent_name, int64_t now_ms, edge_participant *agent);
int edge__sq_contact_requeue(edge_store *st, const char *contact_id, const char *agent_sub,
                             int64_t now_ms);
int edge__sq_contact_end(edge_store *st, const char *contact_id, const char *reason,
                         int64_t now_ms);

/* store_messages.c */
int edge__sq_message_add(edge_store *st, const char *participant_id, const char *content_type,
                         const char *content, int64_t max_count, int64_t now_ms, edge_message *out);
int edge__sq_transcript(edge_store *st, const char *contact_id, int64_t after_seq,
                        edge_message *out, size_t cap, size_t *count, int *more);
/* store_notes_sqlite.c */
int edge__sq_note_add(edge_store *st, const char *contact_id, const char *agent_sub,
                      const char *agent_name, const char *content, int64_t max_count,
                      int64_t now_ms, edge_note *out);
int edge__sq_notes(edge_store *st, const char *contact_id, const char *agent_sub, edge_note *out,
                   size_t cap, size_t *count);
/* 0 when contact_id is agent_sub's contact (contacts.agent_sub);
 * ENOTFOUND when it is not or does not exist; EINTERNAL. */
int edge__sq_contact_of_agent(edge__sq *sq, const char *contact_id, const char *agent_sub);
/* store_transfer_sqlite.c */
int edge__sq_contact_transfer(edge_store *st, const char *contact_id, const char *from_agent_sub,
                              const char *to_queue, int64_t now_ms);
int edge__sq_agents_available_list(edge_store *st, edge_agent_entry *out, size_t cap,
                                   size_t *count);
/* store_wrapup_sqlite.c */
int edge__sq_disposition_set(edge_store *st, const char *contact_id, const char *agent_sub,
                             const char *code, int64_t now_ms);
int edge__sq_disposition_get(edge_store *st, const char *contact_id, const char *agent_sub,
                             char code[EDGE_STORE_TEXT_MAX]);
/* store_canned_sqlite.c */
int edge__sq_canned_add(edge_store *st, const char *agent_sub, const char *title,
                        const char *content, int64_t max_count, int64_t now_ms, edge_canned *out);
int edge__sq_canned_list(edge_store *st, const char *agent_sub, edge_canned *out, size_t cap,
                         size_t *count);
int edge__sq_canned_delete(edge_store *st, const char *agent_sub, const char *id);
/* store_ratings_sqlite.c */
int edge__sq_contact_rate(edge_store *st, const char *contact_id, int score, const char *comment,
                          int64_t now_ms);
int edge__sq_events_add(edge_store *st, const edge_event_in *in, size_t n, int64_t now_ms,
                        int64_t *ids);
int edge__sq_events_since(edge_store *st, const char *participant_id, int64_t after_id,
                          edge_event *out, size_t cap, size_t *count);
int edge__sq_message_send(edge_store *st, const edge_message_send *in, int64_t now_ms,
                          edge_message *out, edge_event *events, size_t cap, size_t *count,
                          int *replayed);
/* Append a message inside an open transaction (chat_start's initial message
 * uses it too); client_token NULL or the sender's idempotency token;
 * max_count > 0 caps the transcript's length (ECAP past it). */
int edge__sq_message_insert(edge__sq *sq, const edge_participant *from, const char *content_type,
                            const char *content, const char *client_token, int64_t max_count,
                            int64_t now_ms, edge_message *out);

/* store_retention.c */
int edge__sq_purge_ended(edge_store *st, int64_t ended_before_ms, size_t max_contacts,
                         size_t *purged);
int edge__sq_prune_unbound_events(edge_store *st, int64_t before_ms, size_t max, size_t *pruned);

/* store_agents_routes.c */
int edge__sq_agent_set_status(edge_store *st, const char *agent_sub, const char *name,
                              int status, int64_t now_ms);
int edge__sq_agents_available(edge_store *st, int *count);
int edge__sq_agent_pick_idle(edge_store *st, const char *exclude_sub,
                             char out_sub[EDGE_STORE_TEXT_MAX]);
int edge__sq_route_create(edge_store *st, const char *agent_sub, const char *attendee_email,
                          const char *queue, int64_t now_ms, int64_t expires_ms,
                          edge_adhoc_route *out);
int edge__sq_route_redeem(edge_store *st, const char *route_id, const char *email,
                          const char *contact_id, int64_t now_ms, edge_adhoc_route *out);

/* store_sqlite.c: the counters live in memory (store_counters.h) */
int edge__sq_limit_take(edge_store *st, const char *key, uint32_t max, int64_t window_ms,
                        int64_t now_ms, int64_t *retry_after_ms);

/* store_presence.c */
int edge__sq_agent_presence(edge_store *st, const char *agent_sub, int streaming, int64_t now_ms);
int edge__sq_agents_away_since(edge_store *st, int64_t away_before_ms, edge_agent_row *out,
                               size_t cap, size_t *count);
int edge__sq_agent_expire(edge_store *st, const char *agent_sub, int64_t away_before_ms,
                          int64_t now_ms);
int edge__sq_agents_listening(edge_store *st, edge_agent_row *out, size_t cap, size_t *count);
int edge__sq_participant_presence(edge_store *st, const char *participant_id, int streaming,
                                  int64_t now_ms);
int edge__sq_calls_caller_gone(edge_store *st, int64_t away_before_ms, edge_contact *out,
                               size_t cap, size_t *count);
int edge__sq_presence_reset(edge_store *st, int64_t now_ms);
int edge__sq_agent_get(edge_store *st, const char *agent_sub, edge_agent_row *out);
int edge__sq_events_last_id(edge_store *st, const char *participant_id, int64_t *id);
int edge__sq_agent_open_contacts(edge_store *st, const char *agent_sub, edge_contact *out,
                                 size_t cap, size_t *count);

#endif
