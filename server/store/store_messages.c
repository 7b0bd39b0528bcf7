/* store_messages.c - SQLite backend: transcripts and event streams.
 *
 * A message's seq is its position in the contact's transcript (1, 2, 3...),
 * assigned as MAX(seq) + 1 inside BEGIN IMMEDIATE so two writers (two
 * processes, or customer and agent at once) never pick the same number;
 * UNIQUE (contact_id, seq) would reject it if they did. Events are one
 * INSERT each; AUTOINCREMENT keeps their ids strictly increasing for the
 * life of the file, so an SSE Last-Event-ID stays meaningful across
 * restarts. The sender's role and display name are joined in on read, not
 * copied into every message. A contact's message cap is checked against
 * the seq the next message would take, in the same transaction.
 *
 * Sending (edge__sq_message_send) is the message and its events in one
 * transaction, so either both are stored or neither is. A ClientToken is a
 * column with a UNIQUE index per participant: a retry finds the original
 * message before anything is written, and would hit the index if it did
 * not. */
#include "store/store_sqlite_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

static const char SQL_SENDER[] =
    "SELECT p.id, p.contact_id, p.role, p.sub, p.display_name, p.joined_ms, p.left_ms, c.state"
    " FROM participants p JOIN contacts c ON c.id = p.contact_id WHERE p.id = ?1";
static const char SQL_NEXT_SEQ[] =
    "SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE contact_id = ?1";
static const char SQL_INSERT_MESSAGE[] =
    "INSERT INTO messages (id, contact_id, participant_id, seq, content_type, content,"
    " created_ms, client_token) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_MESSAGE_BY_TOKEN[] =
    "SELECT m.id, m.contact_id, m.participant_id, p.role, p.display_name, m.content_type,"
    " m.content, m.seq, m.created_ms FROM messages m JOIN participants p"
    " ON p.id = m.participant_id WHERE m.participant_id = ?1 AND m.client_token = ?2";
static const char SQL_CONTACT_PARTICIPANTS[] =
    "SELECT id FROM participants WHERE contact_id = ?1"
    " ORDER BY role <> 'customer', joined_ms, rowid LIMIT ?2";
static const char SQL_TRANSCRIPT[] =
    "SELECT m.id, m.contact_id, m.participant_id, p.role, p.display_name, m.content_type,"
    " m.content, m.seq, m.created_ms FROM messages m JOIN participants p"
    " ON p.id = m.participant_id WHERE m.contact_id = ?1 AND m.seq > ?2"
    " ORDER BY m.seq LIMIT ?3";
static const char SQL_EVENT_ADD[] =
    "INSERT INTO events (participant_id, contact_id, type, data_json, created_ms)"
    " SELECT id, COALESCE(?2, contact_id), ?3, ?4, ?5 FROM participants WHERE id = ?1";
/* An agent's own feed is no participant: its events are stored as given. */
static const char SQL_FEED_EVENT_ADD[] =
    "INSERT INTO events (participant_id, contact_id, type, data_json, created_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_EVENTS_SINCE[] =
    "SELECT id, participant_id, contact_id, type, data_json, created_ms FROM events"
    " WHERE participant_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3";

/* ---- messages ---------------------------------------------------------- */

/* The sender and whether its contact has ended: 0, ENOTFOUND or EINTERNAL. */
static int load_sender(edge__sq *sq, const char *participant_id, edge_participant *from, int *ended)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_SENDER, "t", participant_id);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1) {
        edge__sq_read_participant(s, from);
        *ended =
            edge__sq_state_parse((const char *)sqlite3_column_text(s, 7)) == EDGE_CONTACT_ENDED;
    }
    sqlite3_reset(s);
    return rc == 1 ? 0 : rc == 0 ? EDGE_STORE_ENOTFOUND : rc;
}

static int next_seq(edge__sq *sq, const char *contact_id, int64_t *seq)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_NEXT_SEQ, "t", contact_id);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1)
        *seq = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == 1 ? 0 : rc == 0 ? edge__sq_fail(sq, "next seq: no row") : rc;
}

int edge__sq_message_insert(edge__sq *sq, const edge_participant *from, const char *content_type,
                            const char *content, const char *client_token, int64_t max_count,
                            int64_t now_ms, edge_message *out)
{
    memset(out, 0, sizeof(*out));
    char id[EDGE_STORE_ID_MAX];
    int64_t seq = 0;
    int rc = next_seq(sq, from->contact_id, &seq);
    if (rc != 0)
        return rc;
    if (max_count > 0 && seq > max_count)
        return EDGE_STORE_ECAP;
    if (edge__store_new_id(id) != 0)
        return EDGE_STORE_EINTERNAL;
    rc = edge__sq_run(sq, SQL_INSERT_MESSAGE, "tttlttlt", id, from->contact_id, from->id, seq,
                      content_type, content, now_ms, client_token);
    if (rc < 0)
        return rc;
    memcpy(out->id, id, sizeof(id));
    memcpy(out->contact_id, from->contact_id, sizeof(out->contact_id));
    memcpy(out->participant_id, from->id, sizeof(out->participant_id));
    out->role = from->role;
    memcpy(out->display_name, from->display_name, sizeof(out->display_name));
    snprintf(out->content_type, sizeof(out->content_type), "%s", content_type);
    out->content = edge_xstrdup(content);
    out->seq = seq;
    out->created_ms = now_ms;
    return 0;
}

static int message_add_locked(edge__sq *sq, const char *participant_id, const char *content_type,
                              const char *content, const char *client_token, int64_t max_count,
                              int64_t now_ms, edge_message *out)
{
    edge_participant from;
    int ended = 0;
    int rc = load_sender(sq, participant_id, &from, &ended);
    if (rc != 0)
        return rc;
    if (ended)
        return EDGE_STORE_ESTATE;
    return edge__sq_message_insert(sq, &from, content_type, content, client_token, max_count,
                                   now_ms, out);
}

int edge__sq_message_add(edge_store *st, const char *participant_id, const char *content_type,
                         const char *content, int64_t max_count, int64_t now_ms, edge_message *out)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = message_add_locked(sq, participant_id, content_type, content, NULL, max_count, now_ms,
                            out);
    return edge__sq_end_tx(sq, rc);
}

static void read_message(sqlite3_stmt *s, void *elem)
{
    edge_message *m = elem;
    memset(m, 0, sizeof(*m));
    edge__sq_text(s, 0, m->id, sizeof(m->id));
    edge__sq_text(s, 1, m->contact_id, sizeof(m->contact_id));
    edge__sq_text(s, 2, m->participant_id, sizeof(m->participant_id));
    m->role = edge__sq_role_parse((const char *)sqlite3_column_text(s, 3));
    edge__sq_text(s, 4, m->display_name, sizeof(m->display_name));
    edge__sq_text(s, 5, m->content_type, sizeof(m->content_type));
    m->content = edge__sq_dup(s, 6);
    if (m->content == NULL)
        m->content = edge_xstrdup(""); /* NOT NULL in the schema; never NULL here */
    m->seq = sqlite3_column_int64(s, 7);
    m->created_ms = sqlite3_column_int64(s, 8);
}

static void free_message(void *elem)
{
    edge_message_free(elem);
}

int edge__sq_transcript(edge_store *st, const char *contact_id, int64_t after_seq,
                        edge_message *out, size_t cap, size_t *count, int *more)
{
    edge__sq *sq = edge__sq_of(st);
    /* One row past the page tells whether there is more. */
    int64_t limit = cap >= (size_t)INT32_MAX ? -1 : (int64_t)cap + 1;
    sqlite3_stmt *s = edge__sq_query(sq, SQL_TRANSCRIPT, "tll", contact_id, after_seq, limit);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_rows(sq, s, out, sizeof(*out), cap, count, read_message, free_message);
    if (rc == 0 && *count == cap) {
        /* Only after a full page: stepping a finished statement restarts it. */
        rc = edge__sq_step(sq, s);
        *more = rc == 1;
        rc = rc < 0 ? rc : 0;
    }
    if (rc == 0 && *count == 0) {
        edge_contact_state state; /* an empty page of no contact is ENOTFOUND */
        rc = edge__sq_contact_state(sq, contact_id, &state);
    }
    if (rc != 0) {
        for (size_t i = 0; i < *count; i++)
            edge_message_free(&out[i]);
        *count = 0;
        *more = 0;
    }
    return edge__sq_done(sq, rc);
}

/* ---- events ------------------------------------------------------------ */

/* Insert one event: 0 with *id, ENOTFOUND for no such participant, or an
 * error. */
static int insert_event(edge__sq *sq, const edge_event_in *e, int64_t now_ms, int64_t *id)
{
    int feed = strncmp(e->participant_id, EDGE_STORE_FEED_PREFIX,
                       strlen(EDGE_STORE_FEED_PREFIX)) == 0;
    int rc = edge__sq_run(sq, feed ? SQL_FEED_EVENT_ADD : SQL_EVENT_ADD, "ttttl",
                          e->participant_id, e->contact_id, e->type, e->data_json, now_ms);
    if (rc == 0)
        return EDGE_STORE_ENOTFOUND; /* no such participant: nothing inserted */
    if (rc < 0)
        return rc;
    *id = (int64_t)sqlite3_last_insert_rowid(sq->db);
    return 0;
}

/* One event commits on its own; several share one transaction. */
int edge__sq_events_add(edge_store *st, const edge_event_in *in, size_t n, int64_t now_ms,
                        int64_t *ids)
{
    edge__sq *sq = edge__sq_of(st);
    if (n == 1)
        return edge__sq_done(sq, insert_event(sq, &in[0], now_ms, &ids[0]));
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = insert_event(sq, &in[i], now_ms, &ids[i]);
    return edge__sq_end_tx(sq, rc);
}

static void read_event(sqlite3_stmt *s, void *elem)
{
    edge_event *e = elem;
    memset(e, 0, sizeof(*e));
    e->id = sqlite3_column_int64(s, 0);
    edge__sq_text(s, 1, e->participant_id, sizeof(e->participant_id));
    edge__sq_text(s, 2, e->contact_id, sizeof(e->contact_id));
    edge__sq_text(s, 3, e->type, sizeof(e->type));
    e->data_json = edge__sq_dup(s, 4);
    e->created_ms = sqlite3_column_int64(s, 5);
}

static void free_event(void *elem)
{
    edge_event_free(elem);
}

int edge__sq_events_since(edge_store *st, const char *participant_id, int64_t after_id,
                          edge_event *out, size_t cap, size_t *count)
{
    edge__sq *sq = edge__sq_of(st);
    int64_t limit = cap > (size_t)INT32_MAX ? -1 : (int64_t)cap;
    sqlite3_stmt *s = edge__sq_query(sq, SQL_EVENTS_SINCE, "tll", participant_id, after_id, limit);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_rows(sq, s, out, sizeof(*out), cap, count, read_event, free_event);
    int feed = strncmp(participant_id, EDGE_STORE_FEED_PREFIX, strlen(EDGE_STORE_FEED_PREFIX)) == 0;
    if (rc == 0 && *count == 0 && !feed) {
        edge_participant p; /* nothing new, or no such participant? */
        rc = edge__sq_load_participant(sq, participant_id, &p);
    }
    return edge__sq_done(sq, rc);
}

/* ---- sending: the message and its events, one transaction --------------- */

/* The message this participant already sent with this ClientToken: 1 with
 * *out filled, 0 when there is none, or a negative code. */
static int find_by_token(edge__sq *sq, const char *participant_id, const char *client_token,
                         edge_message *out)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_MESSAGE_BY_TOKEN, "tt", participant_id, client_token);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = edge__sq_step(sq, s);
    if (rc == 1)
        read_message(s, out);
    sqlite3_reset(s);
    return rc;
}

/* One event per participant of m's contact, up to cap, all carrying
 * data_json: stored, and copied into events[] (data_json duplicated). */
static int insert_fanout(edge__sq *sq, const edge_message *m, const char *type,
                         const char *data_json, int64_t now_ms, edge_event *events, size_t cap,
                         size_t *count)
{
    if (cap == 0)
        return 0; /* nobody to tell */
    char (*ids)[EDGE_STORE_ID_MAX] = edge_xcalloc(cap, sizeof(*ids));
    size_t n = 0;
    int64_t limit = cap > (size_t)INT32_MAX ? -1 : (int64_t)cap;
    sqlite3_stmt *s = edge__sq_query(sq, SQL_CONTACT_PARTICIPANTS, "tl", m->contact_id, limit);
    int rc = s ? 0 : EDGE_STORE_EINTERNAL;
    while (rc == 0 && n < cap && (rc = edge__sq_step(sq, s)) == 1) {
        edge__sq_text(s, 0, ids[n++], EDGE_STORE_ID_MAX);
        rc = 0;
    }
    if (s != NULL)
        sqlite3_reset(s);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        edge_event_in e = {ids[i], m->contact_id, type, data_json};
        edge_event *out = &events[i];
        rc = insert_event(sq, &e, now_ms, &out->id);
        memcpy(out->participant_id, ids[i], EDGE_STORE_ID_MAX);
        memcpy(out->contact_id, m->contact_id, sizeof(out->contact_id));
        snprintf(out->type, sizeof(out->type), "%s", type);
        out->data_json = edge_xstrdup(data_json);
        out->created_ms = now_ms;
        *count = i + 1;
    }
    free(ids);
    return rc;
}

static int message_send_locked(edge__sq *sq, const edge_message_send *in, int64_t now_ms,
                               edge_message *out, edge_event *events, size_t cap, size_t *count,
                               int *replayed)
{
    if (in->client_token != NULL) {
        int found = find_by_token(sq, in->participant_id, in->client_token, out);
        if (found != 0) {
            *replayed = found == 1;
            return found == 1 ? 0 : found;
        }
    }
    int rc = message_add_locked(sq, in->participant_id, in->content_type, in->content,
                                in->client_token, in->max_count, now_ms, out);
    if (rc != 0)
        return rc;
    char *data = in->event_json(out, in->ctx);
    if (data == NULL) {
        fprintf(stderr, "c2c-edge: store: a message's event data could not be built\n");
        return EDGE_STORE_EINTERNAL;
    }
    rc = insert_fanout(sq, out, in->event_type, data, now_ms, events, cap, count);
    free(data);
    return rc;
}

int edge__sq_message_send(edge_store *st, const edge_message_send *in, int64_t now_ms,
                          edge_message *out, edge_event *events, size_t cap, size_t *count,
                          int *replayed)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = message_send_locked(sq, in, now_ms, out, events, cap, count, replayed);
    rc = edge__sq_end_tx(sq, rc);
    if (rc != 0) {
        for (size_t i = 0; i < *count; i++)
            edge_event_free(&events[i]);
        if (*count > 0)
            memset(events, 0, *count * sizeof(*events));
        *count = 0;
    }
    return rc;
}
