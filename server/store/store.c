/* store.c - the public edge_store_* functions: validate, then dispatch.
 *
 * Every check that does not need the data (lengths, empty strings, content
 * types, NULL outputs) happens here, once, so every backend rejects the same
 * input with the same code and only has to store and load. Outputs are
 * emptied before the call and again after a failure, which is how "a failed
 * call leaves outputs empty" holds whatever the backend does. */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_backend.h"
#include "store/store_check.h"

#define EVENT_TYPE_MAX sizeof(((edge_event *)0)->type) /* including the NUL */

static int text_ok(const char *s, int required)
{
    return edge__store_text_ok(s, required);
}

static int id_ok(const char *s)
{
    return edge__store_id_ok(s);
}

static int list_ok(const void *out, size_t cap, size_t *count)
{
    return edge__store_list_ok(out, cap, count);
}

static int content_type_ok(const char *t)
{
    return edge__store_content_type_ok(t);
}

int edge__store_email_equal(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

/* ---- opening ------------------------------------------------------------ */

void edge_store_close(edge_store *st)
{
    if (st != NULL)
        st->ops->close(st);
}

int edge_store_schema_version(edge_store *st)
{
    return st == NULL ? EDGE_STORE_EINVAL : st->ops->schema_version(st);
}

/* ---- contacts ---------------------------------------------------------- */

static int chat_start_ok(const edge_chat_start *in)
{
    if (in == NULL || text_ok(in->sub, 1) || text_ok(in->name, 0) || text_ok(in->email, 0) ||
        text_ok(in->display_name, 0) || text_ok(in->queue, 0) ||
        (in->route_id != NULL && (in->route_id[0] == '\0' || strlen(in->route_id) >= 16)))
        return EDGE_STORE_EINVAL;
    return 0;
}

int edge_store_chat_start(edge_store *st, const edge_chat_start *in, int64_t now_ms,
                          edge_contact *contact, edge_participant *customer, int *resumed)
{
    if (contact == NULL || customer == NULL || resumed == NULL)
        return EDGE_STORE_EINVAL;
    memset(contact, 0, sizeof(*contact));
    memset(customer, 0, sizeof(*customer));
    *resumed = 0;
    if (st == NULL || chat_start_ok(in))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->chat_start(st, in, now_ms, contact, customer, resumed);
    if (rc != 0) {
        edge_contact_free(contact);
        memset(contact, 0, sizeof(*contact));
        memset(customer, 0, sizeof(*customer));
        *resumed = 0;
    }
    return rc;
}

int edge_store_chat_open(edge_store *st, const char *sub, int64_t now_ms, edge_open_chat *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || text_ok(sub, 1))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->chat_open(st, sub, now_ms, out);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

static int call_start_ok(const edge_call_start *in)
{
    if (in == NULL || text_ok(in->sub, 1) || text_ok(in->name, 0) || text_ok(in->email, 0) ||
        text_ok(in->queue, 0) || text_ok(in->to_number, 0))
        return EDGE_STORE_EINVAL;
    return 0;
}

int edge_store_call_start(edge_store *st, const edge_call_start *in, int64_t now_ms,
                          edge_contact *contact, edge_participant *customer)
{
    if (contact == NULL || customer == NULL)
        return EDGE_STORE_EINVAL;
    memset(contact, 0, sizeof(*contact));
    memset(customer, 0, sizeof(*customer));
    if (st == NULL || call_start_ok(in))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->call_start(st, in, now_ms, contact, customer);
    if (rc != 0) {
        edge_contact_free(contact);
        memset(contact, 0, sizeof(*contact));
        memset(customer, 0, sizeof(*customer));
    }
    return rc;
}

int edge_store_contact_get(edge_store *st, const char *contact_id, edge_contact *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || id_ok(contact_id))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->contact_get(st, contact_id, out);
    if (rc != 0) {
        edge_contact_free(out);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

void edge_contact_free(edge_contact *c)
{
    if (c == NULL)
        return;
    free(c->attributes_json);
    c->attributes_json = NULL;
    free(c->rating_comment);
    c->rating_comment = NULL;
}

int edge_store_contact_ring(edge_store *st, const char *contact_id, const char *agent_sub,
                            int64_t now_ms)
{
    if (st == NULL || id_ok(contact_id) || text_ok(agent_sub, 1))
        return EDGE_STORE_EINVAL;
    return st->ops->contact_ring(st, contact_id, agent_sub, now_ms);
}

int edge_store_contact_accept(edge_store *st, const char *contact_id, const char *agent_sub,
                              const char *agent_name, int64_t now_ms, edge_participant *agent)
{
    if (agent == NULL)
        return EDGE_STORE_EINVAL;
    memset(agent, 0, sizeof(*agent));
    if (st == NULL || id_ok(contact_id) || text_ok(agent_sub, 1) || text_ok(agent_name, 0))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->contact_accept(st, contact_id, agent_sub, agent_name, now_ms, agent);
    if (rc != 0)
        memset(agent, 0, sizeof(*agent));
    return rc;
}

int edge_store_contact_requeue(edge_store *st, const char *contact_id, const char *agent_sub,
                               int64_t now_ms)
{
    if (st == NULL || id_ok(contact_id) || (agent_sub != NULL && text_ok(agent_sub, 1)))
        return EDGE_STORE_EINVAL;
    return st->ops->contact_requeue(st, contact_id, agent_sub, now_ms);
}

int edge_store_contact_end(edge_store *st, const char *contact_id, const char *reason,
                           int64_t now_ms)
{
    if (st == NULL || id_ok(contact_id) || text_ok(reason, 0))
        return EDGE_STORE_EINVAL;
    return st->ops->contact_end(st, contact_id, reason, now_ms);
}

int edge_store_queue_list(edge_store *st, const char *queue, edge_contact *out, size_t cap,
                          size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL || text_ok(queue, 0))
        return EDGE_STORE_EINVAL;
    return st->ops->queue_list(st, queue, out, cap, count);
}

int edge_store_queue_customers(edge_store *st, const char *queue, edge_queue_entry *out, size_t cap,
                               size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL || text_ok(queue, 0))
        return EDGE_STORE_EINVAL;
    return st->ops->queue_customers(st, queue, out, cap, count);
}

int edge_store_queues_waiting(edge_store *st, char (*out)[EDGE_STORE_TEXT_MAX], size_t cap,
                              size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL)
        return EDGE_STORE_EINVAL;
    return st->ops->queues_waiting(st, out, cap, count);
}

int edge_store_queue_told(edge_store *st, const edge_queue_told *in, size_t n, int64_t now_ms)
{
    if (st == NULL || (n > 0 && in == NULL))
        return EDGE_STORE_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (id_ok(in[i].contact_id) || in[i].position < 1 || in[i].wait_s < 0)
            return EDGE_STORE_EINVAL;
    return n == 0 ? 0 : st->ops->queue_told(st, in, n, now_ms);
}

int edge_store_queue_fallback(edge_store *st, const char *prefix, int64_t created_before_ms,
                              int64_t now_ms, size_t *moved)
{
    size_t ignored = 0;
    if (moved == NULL)
        moved = &ignored;
    *moved = 0;
    if (st == NULL || text_ok(prefix, 1))
        return EDGE_STORE_EINVAL;
    return st->ops->queue_fallback(st, prefix, created_before_ms, now_ms, moved);
}

int edge_store_calls_waiting_since(edge_store *st, int64_t created_before_ms, edge_contact *out,
                                   size_t cap, size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL)
        return EDGE_STORE_EINVAL;
    return st->ops->calls_waiting_since(st, created_before_ms, out, cap, count);
}

int edge_store_call_next_queued(edge_store *st, const char *queue, edge_contact *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || text_ok(queue, 0))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->call_next_queued(st, queue, out);
    if (rc != 0) {
        edge_contact_free(out);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

int edge_store_calls_ringing_since(edge_store *st, int64_t rung_before_ms, edge_contact *out,
                                   size_t cap, size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL)
        return EDGE_STORE_EINVAL;
    return st->ops->calls_ringing_since(st, rung_before_ms, out, cap, count);
}

int edge_store_queue_depth(edge_store *st, const char *queue, size_t *count)
{
    if (list_ok(NULL, 0, count) || st == NULL || text_ok(queue, 0))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->queue_depth(st, queue, count);
    if (rc != 0)
        *count = 0;
    return rc;
}

int edge_store_agent_contacts(edge_store *st, const char *agent_sub, edge_contact *out, size_t cap,
                              size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL || text_ok(agent_sub, 1))
        return EDGE_STORE_EINVAL;
    return st->ops->agent_contacts(st, agent_sub, out, cap, count);
}

/* ---- participants ------------------------------------------------------ */

int edge_store_participant_get(edge_store *st, const char *participant_id, edge_participant *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || id_ok(participant_id))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->participant_get(st, participant_id, out);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

int edge_store_participants_of(edge_store *st, const char *contact_id, edge_participant *out,
                               size_t cap, size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL || id_ok(contact_id))
        return EDGE_STORE_EINVAL;
    return st->ops->participants_of(st, contact_id, out, cap, count);
}

/* ---- messages ---------------------------------------------------------- */

int edge_store_message_add(edge_store *st, const char *participant_id, const char *content_type,
                           const char *content, size_t max_bytes, int64_t now_ms, edge_message *out)
{
    return edge_store_message_add_capped(st, participant_id, content_type, content, max_bytes, 0,
                                         now_ms, out);
}

int edge_store_message_add_capped(edge_store *st, const char *participant_id,
                                  const char *content_type, const char *content, size_t max_bytes,
                                  int64_t max_count, int64_t now_ms, edge_message *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || id_ok(participant_id) || content_type_ok(content_type) || content == NULL)
        return EDGE_STORE_EINVAL;
    size_t len = strlen(content);
    if (len == 0 || len > max_bytes || max_count < 0)
        return EDGE_STORE_EINVAL;
    int rc =
        st->ops->message_add(st, participant_id, content_type, content, max_count, now_ms, out);
    if (rc != 0) {
        edge_message_free(out);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

static int message_send_ok(const edge_message_send *in)
{
    return edge__store_message_send_ok(in);
}

int edge_store_message_send(edge_store *st, const edge_message_send *in, int64_t now_ms,
                            edge_message *out, edge_event *events, size_t cap, size_t *count,
                            int *replayed)
{
    if (out == NULL || replayed == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    *replayed = 0;
    if (list_ok(events, cap, count) || st == NULL || message_send_ok(in))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->message_send(st, in, now_ms, out, events, cap, count, replayed);
    if (rc != 0) {
        edge_message_free(out);
        memset(out, 0, sizeof(*out));
        *replayed = 0;
    }
    return rc;
}

int edge_store_transcript(edge_store *st, const char *contact_id, int64_t after_seq,
                          edge_message *out, size_t cap, size_t *count, int *more)
{
    if (more == NULL)
        return EDGE_STORE_EINVAL;
    *more = 0;
    if (list_ok(out, cap, count) || st == NULL || id_ok(contact_id))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->transcript(st, contact_id, after_seq, out, cap, count, more);
    if (rc != 0)
        *more = 0;
    return rc;
}

void edge_message_free(edge_message *m)
{
    if (m == NULL)
        return;
    free(m->content);
    m->content = NULL;
}

/* ---- events ------------------------------------------------------------ */

static int event_ok(const edge_event_in *e)
{
    return edge__store_event_ok(e);
}

int edge_store_events_add(edge_store *st, const edge_event_in *in, size_t n, int64_t now_ms,
                          int64_t *ids)
{
    if (ids != NULL)
        memset(ids, 0, n * sizeof(*ids));
    if (st == NULL || in == NULL || ids == NULL || n == 0)
        return EDGE_STORE_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (event_ok(&in[i]))
            return EDGE_STORE_EINVAL;
    int rc = st->ops->events_add(st, in, n, now_ms, ids);
    if (rc != 0)
        memset(ids, 0, n * sizeof(*ids));
    return rc;
}

int edge_store_event_add(edge_store *st, const char *participant_id, const char *contact_id,
                         const char *type, const char *data_json, int64_t now_ms, int64_t *id)
{
    edge_event_in one = {participant_id, contact_id, type, data_json};
    int64_t got = 0;
    int rc = edge_store_events_add(st, &one, 1, now_ms, &got);
    if (id != NULL)
        *id = got;
    return rc;
}

int edge_store_events_since(edge_store *st, const char *participant_id, int64_t after_id,
                            edge_event *out, size_t cap, size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL || id_ok(participant_id))
        return EDGE_STORE_EINVAL;
    return st->ops->events_since(st, participant_id, after_id, out, cap, count);
}

void edge_event_free(edge_event *e)
{
    if (e == NULL)
        return;
    free(e->data_json);
    e->data_json = NULL;
}

/* ---- retention --------------------------------------------------------- */

int edge_store_purge_ended(edge_store *st, int64_t ended_before_ms, size_t max_contacts,
                           size_t *purged)
{
    if (purged == NULL)
        return EDGE_STORE_EINVAL;
    *purged = 0;
    if (st == NULL || max_contacts == 0 || max_contacts > EDGE_STORE_PURGE_MAX)
        return EDGE_STORE_EINVAL;
    return st->ops->purge_ended(st, ended_before_ms, max_contacts, purged);
}

int edge_store_prune_unbound_events(edge_store *st, int64_t before_ms, size_t max, size_t *pruned)
{
    if (pruned == NULL)
        return EDGE_STORE_EINVAL;
    *pruned = 0;
    if (st == NULL || max == 0 || max > EDGE_STORE_PURGE_MAX)
        return EDGE_STORE_EINVAL;
    return st->ops->prune_unbound_events(st, before_ms, max, pruned);
}

/* ---- agents ------------------------------------------------------------ */

int edge_store_agent_set_status(edge_store *st, const char *agent_sub, const char *name,
                                int status, int64_t now_ms)
{
    if (st == NULL || text_ok(agent_sub, 1) || text_ok(name, 0) || status < EDGE_AGENT_OFFLINE ||
        status > EDGE_AGENT_AWAY)
        return EDGE_STORE_EINVAL;
    return st->ops->agent_set_status(st, agent_sub, name, status, now_ms);
}

int edge_store_agents_available(edge_store *st, int *count)
{
    if (count == NULL)
        return EDGE_STORE_EINVAL;
    *count = 0;
    if (st == NULL)
        return EDGE_STORE_EINVAL;
    int rc = st->ops->agents_available(st, count);
    if (rc != 0)
        *count = 0;
    return rc;
}

int edge_store_agent_pick_idle(edge_store *st, const char *exclude_sub,
                               char out_sub[EDGE_STORE_TEXT_MAX])
{
    if (out_sub == NULL)
        return EDGE_STORE_EINVAL;
    out_sub[0] = '\0';
    if (st == NULL || text_ok(exclude_sub, 0))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->agent_pick_idle(st, exclude_sub, out_sub);
    if (rc != 0)
        out_sub[0] = '\0';
    return rc;
}

/* ---- presence ---------------------------------------------------------- */

int edge_store_agent_presence(edge_store *st, const char *agent_sub, int streaming, int64_t now_ms)
{
    if (st == NULL || text_ok(agent_sub, 1))
        return EDGE_STORE_EINVAL;
    return st->ops->agent_presence(st, agent_sub, streaming != 0, now_ms);
}

int edge_store_agents_away_since(edge_store *st, int64_t away_before_ms, edge_agent_row *out,
                                 size_t cap, size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL)
        return EDGE_STORE_EINVAL;
    return st->ops->agents_away_since(st, away_before_ms, out, cap, count);
}

int edge_store_agent_expire(edge_store *st, const char *agent_sub, int64_t away_before_ms,
                            int64_t now_ms)
{
    if (st == NULL || text_ok(agent_sub, 1))
        return EDGE_STORE_EINVAL;
    return st->ops->agent_expire(st, agent_sub, away_before_ms, now_ms);
}

int edge_store_agents_listening(edge_store *st, edge_agent_row *out, size_t cap, size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL)
        return EDGE_STORE_EINVAL;
    return st->ops->agents_listening(st, out, cap, count);
}

int edge_store_participant_presence(edge_store *st, const char *participant_id, int streaming,
                                    int64_t now_ms)
{
    if (st == NULL || id_ok(participant_id))
        return EDGE_STORE_EINVAL;
    return st->ops->participant_presence(st, participant_id, streaming != 0, now_ms);
}

int edge_store_calls_caller_gone(edge_store *st, int64_t away_before_ms, edge_contact *out,
                                 size_t cap, size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL)
        return EDGE_STORE_EINVAL;
    return st->ops->calls_caller_gone(st, away_before_ms, out, cap, count);
}

int edge_store_presence_reset(edge_store *st, int64_t now_ms)
{
    return st == NULL ? EDGE_STORE_EINVAL : st->ops->presence_reset(st, now_ms);
}

int edge_store_agent_get(edge_store *st, const char *agent_sub, edge_agent_row *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || text_ok(agent_sub, 1))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->agent_get(st, agent_sub, out);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

int edge_store_events_last_id(edge_store *st, const char *participant_id, int64_t *id)
{
    if (id == NULL)
        return EDGE_STORE_EINVAL;
    *id = 0;
    if (st == NULL || id_ok(participant_id))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->events_last_id(st, participant_id, id);
    if (rc != 0)
        *id = 0;
    return rc;
}

int edge_store_agent_open_contacts(edge_store *st, const char *agent_sub, edge_contact *out,
                                   size_t cap, size_t *count)
{
    if (list_ok(out, cap, count) || st == NULL || text_ok(agent_sub, 1))
        return EDGE_STORE_EINVAL;
    return st->ops->agent_open_contacts(st, agent_sub, out, cap, count);
}

/* ---- ad-hoc routes ----------------------------------------------------- */

int edge_store_route_create(edge_store *st, const char *agent_sub, const char *attendee_email,
                            const char *queue, int64_t now_ms, int64_t expires_ms,
                            edge_adhoc_route *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || text_ok(agent_sub, 1) || text_ok(attendee_email, 1) || text_ok(queue, 0) ||
        expires_ms <= now_ms)
        return EDGE_STORE_EINVAL;
    int rc = st->ops->route_create(st, agent_sub, attendee_email, queue, now_ms, expires_ms, out);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

int edge_store_route_redeem(edge_store *st, const char *route_id, const char *email,
                            const char *contact_id, int64_t now_ms, edge_adhoc_route *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || route_id == NULL || route_id[0] == '\0' ||
        strnlen(route_id, sizeof(out->route_id)) >= sizeof(out->route_id) || text_ok(email, 1) ||
        id_ok(contact_id))
        return EDGE_STORE_EINVAL;
    int rc = st->ops->route_redeem(st, route_id, email, contact_id, now_ms, out);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

/* ---- rate limits -------------------------------------------------------- */

int edge_store_limit_take(edge_store *st, const char *key, uint32_t max, int64_t window_ms,
                          int64_t now_ms, int64_t *retry_after_ms)
{
    if (retry_after_ms == NULL)
        return EDGE_STORE_EINVAL;
    *retry_after_ms = 0;
    if (st == NULL || key == NULL || key[0] == '\0' ||
        strnlen(key, EDGE_STORE_KEY_MAX) >= EDGE_STORE_KEY_MAX || (max > 0 && window_ms <= 0))
        return EDGE_STORE_EINVAL;
    if (max == 0)
        return 0;
    return st->ops->limit_take(st, key, max, window_ms, now_ms, retry_after_ms);
}
