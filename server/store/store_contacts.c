/* store_contacts.c - SQLite backend: creating and reading contacts and
 * their participants.
 *
 * chat_start is the one subtle operation: "resume the open chat or create
 * one" is a read-then-write, so it runs under BEGIN IMMEDIATE (the write
 * lock is taken before the read, serialising every process that shares the
 * file), and the partial UNIQUE index contacts_one_open_chat backs the same
 * rule in the schema. The state changes of an existing contact live in
 * store_contact_state.c. */
#include "store/store_sqlite_internal.h"

#include <stdio.h>
#include <string.h>

static const char SQL_LOAD_CONTACT[] =
    "SELECT " EDGE__SQ_CONTACT_COLS " FROM contacts WHERE id = ?1";
static const char SQL_CONTACT_STATE[] = "SELECT state FROM contacts WHERE id = ?1";
static const char SQL_LOAD_PARTICIPANT[] =
    "SELECT " EDGE__SQ_PARTICIPANT_COLS " FROM participants WHERE id = ?1";
static const char SQL_OPEN_CHAT[] = "SELECT id FROM contacts"
                                    " WHERE customer_sub = ?1 AND kind = 'chat'"
                                    " AND state <> 'ended'";
/* The open chat and its customer in one statement: the resume fast path.
 * The columns are EDGE__SQ_CONTACT_COLS then EDGE__SQ_PARTICIPANT_COLS, in
 * their order, qualified because both tables have an id. A chat has one
 * customer; ordering by rowid (which the participants_by_contact index
 * yields for free) only keeps the answer deterministic. */
static const char SQL_RESUME_CHAT[] =
    "SELECT c.id, c.kind, c.state, c.queue, c.priority, c.customer_sub, c.customer_name,"
    " c.customer_email, c.agent_sub, COALESCE(c.previous_contact_id, ''), c.end_reason,"
    " c.created_ms, c.updated_ms, c.ended_ms, c.attributes_json, c.offered_to,"
    " p.away_since_ms, c.rating_score, c.rating_comment, p.id, p.contact_id, p.role, p.sub, "
    "p.display_name, p.joined_ms, p.left_ms"
    " FROM contacts AS c JOIN participants AS p ON p.contact_id = c.id"
    " WHERE c.customer_sub = ?1 AND c.kind = 'chat' AND c.state <> 'ended'"
    " AND p.role = 'customer' ORDER BY p.rowid LIMIT 1";
#define RESUME_PARTICIPANT_COL 19 /* the first participant column of SQL_RESUME_CHAT */
static const char SQL_PREVIOUS_CHAT[] = "SELECT id FROM contacts"
                                        " WHERE customer_sub = ?1 AND kind = 'chat'"
                                        " AND state = 'ended'"
                                        " ORDER BY ended_ms DESC, rowid DESC LIMIT 1";
static const char SQL_CUSTOMER_OF[] = "SELECT id FROM participants"
                                      " WHERE contact_id = ?1 AND role = 'customer'"
                                      " ORDER BY joined_ms, rowid LIMIT 1";
static const char SQL_INSERT_CONTACT[] =
    "INSERT INTO contacts (id, kind, state, queue, priority, customer_sub, customer_name,"
    " customer_email, previous_contact_id, to_number, attributes_json, created_ms, updated_ms)"
    " VALUES (?1, ?2, 'queued', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)";
/* A new customer has no event stream open yet: away since joining. */
static const char SQL_INSERT_PARTICIPANT[] =
    "INSERT INTO participants (id, contact_id, role, sub, display_name, joined_ms, away_since_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
static const char SQL_QUEUE_LIST[] = "SELECT " EDGE__SQ_CONTACT_COLS " FROM contacts"
                                     " WHERE queue = ?1 AND state IN ('queued', 'ringing')"
                                     " ORDER BY priority, created_ms, rowid LIMIT ?2";
/* One customer per contact, so one row per waiting contact. */
static const char SQL_QUEUE_CUSTOMERS[] =
    "SELECT c.id, p.id, COALESCE(t.position, 0), COALESCE(t.wait_s, 0), COALESCE(t.told_ms, 0)"
    " FROM contacts AS c JOIN participants AS p"
    " ON p.contact_id = c.id AND p.role = 'customer'"
    " LEFT JOIN queue_told AS t ON t.contact_id = c.id"
    " WHERE c.queue = ?1 AND c.state IN ('queued', 'ringing')"
    " ORDER BY c.priority, c.created_ms, c.rowid LIMIT ?2";
static const char SQL_QUEUE_TOLD[] =
    "INSERT INTO queue_told (contact_id, position, wait_s, told_ms) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (contact_id) DO UPDATE SET position = excluded.position,"
    " wait_s = excluded.wait_s, told_ms = excluded.told_ms";
static const char SQL_QUEUES_WAITING[] = "SELECT DISTINCT queue FROM contacts"
                                         " WHERE state IN ('queued', 'ringing')"
                                         " ORDER BY queue LIMIT ?1";
/* ?2 is ?1 with its last byte raised by one: a range the queue index
 * answers, where LIKE would scan. */
static const char SQL_QUEUE_FALLBACK[] =
    "UPDATE contacts SET queue = '', updated_ms = ?4"
    " WHERE queue >= ?1 AND queue < ?2 AND state = 'queued' AND created_ms <= ?3";
static const char SQL_LIVE_CALLS[] = "SELECT COUNT(*) FROM contacts"
                                     " WHERE customer_sub = ?1 AND kind = 'call'"
                                     " AND state <> 'ended'";
static const char SQL_QUEUE_DEPTH[] = "SELECT COUNT(*) FROM contacts"
                                      " WHERE queue = ?1 AND state IN ('queued', 'ringing')";
static const char SQL_CALLS_WAITING[] = "SELECT " EDGE__SQ_CONTACT_COLS " FROM contacts"
                                        " WHERE kind = 'call' AND state IN ('queued', 'ringing')"
                                        " AND created_ms <= ?1"
                                        " ORDER BY created_ms, rowid LIMIT ?2";
/* Both use a v3 partial index: contacts_queued_calls, contacts_ringing_since. */
static const char SQL_NEXT_QUEUED_CALL[] = "SELECT " EDGE__SQ_CONTACT_COLS " FROM contacts"
                                           " WHERE kind = 'call' AND state = 'queued'"
                                           " AND queue = ?1"
                                           " ORDER BY priority, created_ms, rowid LIMIT 1";
static const char SQL_CALLS_RINGING[] = "SELECT " EDGE__SQ_CONTACT_COLS " FROM contacts"
                                        " WHERE state = 'ringing' AND updated_ms <= ?1"
                                        " ORDER BY updated_ms, rowid LIMIT ?2";
static const char SQL_AGENT_CONTACTS[] = "SELECT " EDGE__SQ_CONTACT_COLS " FROM contacts"
                                         " WHERE agent_sub = ?1"
                                         " ORDER BY created_ms DESC, rowid DESC LIMIT ?2";
static const char SQL_PARTICIPANTS_OF[] =
    "SELECT " EDGE__SQ_PARTICIPANT_COLS " FROM participants WHERE contact_id = ?1"
    " ORDER BY role <> 'customer', joined_ms, rowid LIMIT ?2";

/* A list's cap as a LIMIT (SQLite reads a negative LIMIT as "no limit"). */
static int64_t limit_of(size_t cap)
{
    return cap > (size_t)INT32_MAX ? -1 : (int64_t)cap;
}

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* ---- rows ----------------------------------------------------------------- */

void edge__sq_read_contact(sqlite3_stmt *s, void *elem)
{
    edge_contact *c = elem;
    memset(c, 0, sizeof(*c));
    edge__sq_text(s, 0, c->id, sizeof(c->id));
    const char *kind = (const char *)sqlite3_column_text(s, 1);
    c->kind = kind != NULL && strcmp(kind, "call") == 0 ? EDGE_CONTACT_CALL : EDGE_CONTACT_CHAT;
    c->state = edge__sq_state_parse((const char *)sqlite3_column_text(s, 2));
    edge__sq_text(s, 3, c->queue, sizeof(c->queue));
    c->priority = sqlite3_column_int(s, 4);
    edge__sq_text(s, 5, c->customer_sub, sizeof(c->customer_sub));
    edge__sq_text(s, 6, c->customer_name, sizeof(c->customer_name));
    edge__sq_text(s, 7, c->customer_email, sizeof(c->customer_email));
    edge__sq_text(s, 8, c->agent_sub, sizeof(c->agent_sub));
    edge__sq_text(s, 9, c->previous_contact_id, sizeof(c->previous_contact_id));
    edge__sq_text(s, 10, c->end_reason, sizeof(c->end_reason));
    c->created_ms = sqlite3_column_int64(s, 11);
    c->updated_ms = sqlite3_column_int64(s, 12);
    c->ended_ms = sqlite3_column_int64(s, 13);
    c->attributes_json = edge__sq_dup(s, 14);
    edge__sq_text(s, 15, c->offered_to, sizeof(c->offered_to));
    c->customer_away_ms = sqlite3_column_int64(s, 16);
    c->rating_score = sqlite3_column_int(s, 17);
    c->rating_comment = edge__sq_dup(s, 18);
}

/* EDGE__SQ_PARTICIPANT_COLS starting at column first. */
static void read_participant_at(sqlite3_stmt *s, int first, edge_participant *p)
{
    memset(p, 0, sizeof(*p));
    edge__sq_text(s, first, p->id, sizeof(p->id));
    edge__sq_text(s, first + 1, p->contact_id, sizeof(p->contact_id));
    p->role = edge__sq_role_parse((const char *)sqlite3_column_text(s, first + 2));
    edge__sq_text(s, first + 3, p->sub, sizeof(p->sub));
    edge__sq_text(s, first + 4, p->display_name, sizeof(p->display_name));
    p->joined_ms = sqlite3_column_int64(s, first + 5);
    p->left_ms = sqlite3_column_int64(s, first + 6);
}

void edge__sq_read_participant(sqlite3_stmt *s, void *elem)
{
    read_participant_at(s, 0, elem);
}

static void free_contact(void *elem)
{
    edge_contact_free(elem);
}

/* Step a one-row query: 0 after read filled elem, ENOTFOUND when there is
 * no row, or a step error. */
static int load_one(edge__sq *sq, sqlite3_stmt *s, void *elem, edge__sq_read_fn read)
{
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1)
        read(s, elem);
    sqlite3_reset(s);
    return rc == 1 ? 0 : rc == 0 ? EDGE_STORE_ENOTFOUND : rc;
}

static void read_id(sqlite3_stmt *s, void *elem)
{
    edge__sq_text(s, 0, elem, EDGE_STORE_ID_MAX);
}

int edge__sq_load_contact(edge__sq *sq, const char *contact_id, edge_contact *out)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_LOAD_CONTACT, "t", contact_id);
    return load_one(sq, s, out, edge__sq_read_contact);
}

int edge__sq_load_participant(edge__sq *sq, const char *participant_id, edge_participant *out)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_LOAD_PARTICIPANT, "t", participant_id);
    return load_one(sq, s, out, edge__sq_read_participant);
}

static void read_state(sqlite3_stmt *s, void *elem)
{
    *(edge_contact_state *)elem = edge__sq_state_parse((const char *)sqlite3_column_text(s, 0));
}

int edge__sq_contact_state(edge__sq *sq, const char *contact_id, edge_contact_state *state)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_CONTACT_STATE, "t", contact_id);
    return load_one(sq, s, state, read_state);
}

/* ---- creating --------------------------------------------------------- */

/* What chat_start and call_start have in common. */
typedef struct new_contact {
    const char *kind; /* "chat" or "call" */
    const char *sub, *name, *email, *display_name, *queue, *attributes_json, *to_number;
    int priority;         /* 0 = default */
    const char *previous; /* previous_contact_id, NULL when none */
} new_contact;

/* Insert a queued contact and its customer participant and load both back.
 * Runs inside the caller's transaction. */
static int create_contact(edge__sq *sq, const new_contact *nc, int64_t now_ms,
                          edge_contact *contact, edge_participant *customer)
{
    char cid[EDGE_STORE_ID_MAX], pid[EDGE_STORE_ID_MAX];
    if (edge__store_new_id(cid) != 0 || edge__store_new_id(pid) != 0)
        return EDGE_STORE_EINTERNAL;
    int priority = nc->priority != 0 ? nc->priority : EDGE__DEFAULT_PRIORITY;
    int rc = edge__sq_run(sq, SQL_INSERT_CONTACT, "tttittttttl", cid, nc->kind, or_empty(nc->queue),
                          priority, nc->sub, or_empty(nc->name), or_empty(nc->email), nc->previous,
                          nc->to_number, nc->attributes_json, now_ms);
    if (rc < 0)
        return rc;
    rc = edge__sq_run(sq, SQL_INSERT_PARTICIPANT, "tttttl", pid, cid, "customer", nc->sub,
                      or_empty(nc->display_name), now_ms);
    if (rc < 0)
        return rc;
    rc = edge__sq_load_contact(sq, cid, contact);
    return rc != 0 ? rc : edge__sq_load_participant(sq, pid, customer);
}

/* Find a row's id with a one-parameter query: 1 found, 0 none, or < 0. */
static int find_id(edge__sq *sq, const char *sql, const char *arg, char id[EDGE_STORE_ID_MAX])
{
    id[0] = '\0';
    int rc = load_one(sq, edge__sq_query(sq, sql, "t", arg), id, read_id);
    return rc == 0 ? 1 : rc == EDGE_STORE_ENOTFOUND ? 0 : rc;
}

/* Describe sub's open chat. */
static int resume_chat(edge__sq *sq, const char *contact_id, edge_contact *contact,
                       edge_participant *customer)
{
    char pid[EDGE_STORE_ID_MAX];
    int rc = find_id(sq, SQL_CUSTOMER_OF, contact_id, pid);
    if (rc <= 0)
        return rc == 0 ? edge__sq_fail(sq, "open chat without a customer") : rc;
    rc = edge__sq_load_contact(sq, contact_id, contact);
    return rc != 0 ? rc : edge__sq_load_participant(sq, pid, customer);
}

static int chat_start_locked(edge__sq *sq, const edge_chat_start *in, int64_t now_ms,
                             edge_contact *contact, edge_participant *customer, int *resumed)
{
    char open_id[EDGE_STORE_ID_MAX], prev_id[EDGE_STORE_ID_MAX];
    int rc = find_id(sq, SQL_OPEN_CHAT, in->sub, open_id);
    if (rc != 0) {
        *resumed = rc == 1;
        return rc == 1 ? resume_chat(sq, open_id, contact, customer) : rc;
    }
    edge_adhoc_route route;
    if (in->route_id != NULL) { /* an agent's reference code: its queue, first in line */
        rc = edge__sq_route_claim(sq, in->route_id, in->email, now_ms, &route);
        if (rc != 0)
            return rc;
    }
    rc = find_id(sq, SQL_PREVIOUS_CHAT, in->sub, prev_id);
    if (rc < 0)
        return rc;
    new_contact nc = {
        .kind = "chat",
        .sub = in->sub,
        .name = in->name,
        .email = in->email,
        .display_name = in->display_name != NULL ? in->display_name : in->name,
        .queue = in->route_id != NULL ? route.queue : in->queue,
        .attributes_json = in->attributes_json,
        .priority = in->route_id != NULL ? EDGE_STORE_ROUTE_PRIORITY : in->priority,
        .previous = rc == 1 ? prev_id : NULL,
    };
    rc = create_contact(sq, &nc, now_ms, contact, customer);
    if (rc == 0 && in->route_id != NULL) {
        rc = edge__sq_route_mark_used(sq, &route, now_ms, contact->id);
        snprintf(contact->route_agent_name, sizeof(contact->route_agent_name), "%s",
                 route.agent_name);
    }
    if (rc == 0 && in->initial_message != NULL && in->initial_message[0] != '\0') {
        edge_message m;
        rc = edge__sq_message_insert(sq, customer, "text/plain", in->initial_message, NULL, 0,
                                     now_ms, &m);
        edge_message_free(&m);
    }
    return rc;
}

/* Resume without taking the write lock: most starts are resumes (a page
 * load, a second device), and BEGIN IMMEDIATE would queue each of them
 * behind every writer of every process and cost a transaction. One
 * statement reads the open chat and its customer from one snapshot, so
 * the answer is the one the locked path would have given at that moment.
 * 1 when resumed, 0 when there is no open chat, or a negative code. */
static int resume_unlocked(edge__sq *sq, const char *sub, edge_contact *contact,
                           edge_participant *customer)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_RESUME_CHAT, "t", sub);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1) {
        edge__sq_read_contact(s, contact);
        read_participant_at(s, RESUME_PARTICIPANT_COL, customer);
    }
    sqlite3_reset(s);
    return rc;
}

int edge__sq_chat_start(edge_store *st, const edge_chat_start *in, int64_t now_ms,
                        edge_contact *contact, edge_participant *customer, int *resumed)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = resume_unlocked(sq, in->sub, contact, customer);
    if (rc != 0) {
        *resumed = rc == 1;
        return rc == 1 ? 0 : rc;
    }
    rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = chat_start_locked(sq, in, now_ms, contact, customer, resumed);
    return edge__sq_end_tx(sq, rc);
}

/* Inside the call's transaction: 0 while sub has fewer than max calls that
 * have not ended, else ELIMITED. */
static int live_calls_below(edge__sq *sq, const char *sub, int max)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_LIVE_CALLS, "t", sub);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    int64_t live = rc == 1 ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (rc != 1)
        return rc < 0 ? rc : edge__sq_fail(sq, "live calls: no row");
    return live >= max ? EDGE_STORE_ELIMITED : 0;
}

int edge__sq_call_start(edge_store *st, const edge_call_start *in, int64_t now_ms,
                        edge_contact *contact, edge_participant *customer)
{
    edge__sq *sq = edge__sq_of(st);
    new_contact nc = {
        .kind = "call",
        .sub = in->sub,
        .name = in->name,
        .email = in->email,
        .display_name = in->name,
        .queue = in->queue,
        .attributes_json = in->attributes_json,
        .to_number = in->to_number,
        .priority = in->priority,
        .previous = NULL,
    };
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    if (in->max_live > 0)
        rc = live_calls_below(sq, in->sub, in->max_live);
    if (rc == 0)
        rc = create_contact(sq, &nc, now_ms, contact, customer);
    return edge__sq_end_tx(sq, rc);
}

/* ---- reading ------------------------------------------------------------ */

int edge__sq_contact_get(edge_store *st, const char *contact_id, edge_contact *out)
{
    edge__sq *sq = edge__sq_of(st);
    return edge__sq_done(sq, edge__sq_load_contact(sq, contact_id, out));
}

int edge__sq_queue_list(edge_store *st, const char *queue, edge_contact *out, size_t cap,
                        size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_QUEUE_LIST, "tl", or_empty(queue), limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc =
        edge__sq_rows(sq, s, out, sizeof(*out), cap, count, edge__sq_read_contact, free_contact);
    return edge__sq_done(sq, rc);
}

static void read_queue_entry(sqlite3_stmt *s, void *elem)
{
    edge_queue_entry *e = elem;
    edge__sq_text(s, 0, e->contact_id, sizeof(e->contact_id));
    edge__sq_text(s, 1, e->customer_id, sizeof(e->customer_id));
    e->told_position = sqlite3_column_int64(s, 2);
    e->told_wait_s = sqlite3_column_int64(s, 3);
    e->told_ms = sqlite3_column_int64(s, 4);
}

int edge__sq_queue_customers(edge_store *st, const char *queue, edge_queue_entry *out, size_t cap,
                             size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_QUEUE_CUSTOMERS, "tl", or_empty(queue), limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_rows(sq, s, out, sizeof(*out), cap, count, read_queue_entry, NULL);
    return edge__sq_done(sq, rc);
}

static void read_queue_name(sqlite3_stmt *s, void *elem)
{
    edge__sq_text(s, 0, elem, EDGE_STORE_TEXT_MAX);
}

int edge__sq_queues_waiting(edge_store *st, char (*out)[EDGE_STORE_TEXT_MAX], size_t cap,
                            size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_QUEUES_WAITING, "l", limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_rows(sq, s, out, sizeof(*out), cap, count, read_queue_name, NULL);
    return edge__sq_done(sq, rc);
}

int edge__sq_queue_told(edge_store *st, const edge_queue_told *in, size_t n, int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = edge__sq_run(sq, SQL_QUEUE_TOLD, "tlll", in[i].contact_id, in[i].position,
                          in[i].wait_s, now_ms);
        rc = rc == 0 ? EDGE_STORE_ENOTFOUND : rc < 0 ? rc : 0;
    }
    return edge__sq_end_tx(sq, rc);
}

int edge__sq_queue_fallback(edge_store *st, const char *prefix, int64_t created_before_ms,
                            int64_t now_ms, size_t *moved)
{
    edge__sq *sq = edge__sq_of(st);
    char upper[EDGE_STORE_TEXT_MAX];
    size_t n = strlen(prefix);
    memcpy(upper, prefix, n + 1);
    if ((unsigned char)upper[n - 1] == 0xff) /* no byte above: an open-ended range */
        return edge__sq_fail(sq, "queue fallback: prefix ends in 0xff");
    upper[n - 1] = (char)((unsigned char)upper[n - 1] + 1);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = edge__sq_run(sq, SQL_QUEUE_FALLBACK, "ttll", prefix, upper, created_before_ms, now_ms);
    if (rc >= 0) {
        *moved = (size_t)rc;
        rc = 0;
    }
    return edge__sq_end_tx(sq, rc);
}

int edge__sq_calls_waiting_since(edge_store *st, int64_t created_before_ms, edge_contact *out,
                                 size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_CALLS_WAITING, "ll", created_before_ms, limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_rows(sq, s, out, sizeof(*out), cap, count, edge__sq_read_contact,
                           free_contact);
    return edge__sq_done(sq, rc);
}

int edge__sq_call_next_queued(edge_store *st, const char *queue, edge_contact *out)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_NEXT_QUEUED_CALL, "t", or_empty(queue));
    return edge__sq_done(sq, load_one(sq, s, out, edge__sq_read_contact));
}

int edge__sq_calls_ringing_since(edge_store *st, int64_t rung_before_ms, edge_contact *out,
                                 size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_CALLS_RINGING, "ll", rung_before_ms, limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc =
        edge__sq_rows(sq, s, out, sizeof(*out), cap, count, edge__sq_read_contact, free_contact);
    return edge__sq_done(sq, rc);
}

int edge__sq_queue_depth(edge_store *st, const char *queue, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_QUEUE_DEPTH, "t", or_empty(queue));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1)
        *count = (size_t)sqlite3_column_int64(s, 0);
    return edge__sq_done(sq, rc == 1 ? 0 : rc == 0 ? edge__sq_fail(sq, "count: no row") : rc);
}

int edge__sq_agent_contacts(edge_store *st, const char *agent_sub, edge_contact *out, size_t cap,
                            size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_AGENT_CONTACTS, "tl", agent_sub, limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc =
        edge__sq_rows(sq, s, out, sizeof(*out), cap, count, edge__sq_read_contact, free_contact);
    return edge__sq_done(sq, rc);
}

int edge__sq_participant_get(edge_store *st, const char *participant_id, edge_participant *out)
{
    edge__sq *sq = edge__sq_of(st);
    return edge__sq_done(sq, edge__sq_load_participant(sq, participant_id, out));
}

int edge__sq_participants_of(edge_store *st, const char *contact_id, edge_participant *out,
                             size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    sqlite3_stmt *s = edge__sq_query(sq, SQL_PARTICIPANTS_OF, "tl", contact_id, limit_of(cap));
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_rows(sq, s, out, sizeof(*out), cap, count, edge__sq_read_participant, NULL);
    if (rc == 0 && *count == 0) {
        /* Every contact has its customer: no rows means no such contact
         * (or cap 0, where the answer is the contact's existence). */
        edge_contact_state state;
        rc = edge__sq_contact_state(sq, contact_id, &state);
    }
    return edge__sq_done(sq, rc);
}
