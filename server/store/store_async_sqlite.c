/* store_async_sqlite.c - the SQLite store behind the asynchronous
 * interface: each op runs the synchronous one (store.h, which validates
 * and keeps every rule in one transaction) and completes inside the start
 * call. One process on one thread runs them in turn, so the combined
 * agent_pick_ring (pick, then ring) has nothing in between. */
#include "store/store_async.h"

#include <stdlib.h>
#include <string.h>

typedef struct sqlite_async {
    edge_store_async base; /* first: the interface */
    edge_store *st;        /* borrowed */
} sqlite_async;

static edge_store *st_of(edge_store_async *s)
{
    return ((sqlite_async *)s)->st;
}

static void a_close(edge_store_async *s)
{
    free(s);
}

/* Ops complete before their start call returns: nothing to cancel. */
static void a_cancel(edge_store_async *s, edge_store_call *c) {}

static void a_chat_start(edge_store_async *s, edge_store_call *c, const edge_chat_start *in,
                         edge_contact *contact, edge_participant *customer, int *resumed)
{
    edge_store_call_done(
        c, edge_store_chat_start(st_of(s), in, c->now_ms, contact, customer, resumed));
}

static void a_chat_open(edge_store_async *s, edge_store_call *c, const char *sub,
                        edge_open_chat *out)
{
    edge_store_call_done(c, edge_store_chat_open(st_of(s), sub, c->now_ms, out));
}

static void a_call_start(edge_store_async *s, edge_store_call *c, const edge_call_start *in,
                         edge_contact *contact, edge_participant *customer)
{
    edge_store_call_done(c, edge_store_call_start(st_of(s), in, c->now_ms, contact, customer));
}

static void a_contact_get(edge_store_async *s, edge_store_call *c, const char *contact_id,
                          edge_contact *out)
{
    edge_store_call_done(c, edge_store_contact_get(st_of(s), contact_id, out));
}

static void a_contact_ring(edge_store_async *s, edge_store_call *c, const char *contact_id,
                           const char *agent_sub)
{
    edge_store_call_done(c, edge_store_contact_ring(st_of(s), contact_id, agent_sub, c->now_ms));
}

static void a_contact_accept(edge_store_async *s, edge_store_call *c, const char *contact_id,
                             const char *agent_sub, const char *agent_name, edge_participant *agent)
{
    edge_store_call_done(c, edge_store_contact_accept(st_of(s), contact_id, agent_sub, agent_name,
                                                      c->now_ms, agent));
}

static void a_contact_requeue(edge_store_async *s, edge_store_call *c, const char *contact_id,
                              const char *agent_sub)
{
    edge_store_call_done(c, edge_store_contact_requeue(st_of(s), contact_id, agent_sub, c->now_ms));
}

static void a_contact_end(edge_store_async *s, edge_store_call *c, const char *contact_id,
                          const char *reason)
{
    edge_store_call_done(c, edge_store_contact_end(st_of(s), contact_id, reason, c->now_ms));
}

static void a_queue_list(edge_store_async *s, edge_store_call *c, const char *queue,
                         edge_contact *out, size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_queue_list(st_of(s), queue, out, cap, count));
}

static void a_queue_customers(edge_store_async *s, edge_store_call *c, const char *queue,
                              edge_queue_entry *out, size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_queue_customers(st_of(s), queue, out, cap, count));
}

static void a_queue_depth(edge_store_async *s, edge_store_call *c, const char *queue, size_t *count)
{
    edge_store_call_done(c, edge_store_queue_depth(st_of(s), queue, count));
}

static void a_queues_waiting(edge_store_async *s, edge_store_call *c,
                             char (*out)[EDGE_STORE_TEXT_MAX], size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_queues_waiting(st_of(s), out, cap, count));
}

static void a_queue_told(edge_store_async *s, edge_store_call *c, const edge_queue_told *in,
                         size_t n)
{
    edge_store_call_done(c, edge_store_queue_told(st_of(s), in, n, c->now_ms));
}

static void a_queue_fallback(edge_store_async *s, edge_store_call *c, const char *prefix,
                             int64_t created_before_ms, size_t *moved)
{
    edge_store_call_done(
        c, edge_store_queue_fallback(st_of(s), prefix, created_before_ms, c->now_ms, moved));
}

static void a_calls_waiting_since(edge_store_async *s, edge_store_call *c,
                                  int64_t created_before_ms, edge_contact *out, size_t cap,
                                  size_t *count)
{
    edge_store_call_done(
        c, edge_store_calls_waiting_since(st_of(s), created_before_ms, out, cap, count));
}

static void a_call_next_queued(edge_store_async *s, edge_store_call *c, const char *queue,
                               edge_contact *out)
{
    edge_store_call_done(c, edge_store_call_next_queued(st_of(s), queue, out));
}

static void a_calls_ringing_since(edge_store_async *s, edge_store_call *c, int64_t rung_before_ms,
                                  edge_contact *out, size_t cap, size_t *count)
{
    edge_store_call_done(c,
                         edge_store_calls_ringing_since(st_of(s), rung_before_ms, out, cap, count));
}

static void a_agent_contacts(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                             edge_contact *out, size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_agent_contacts(st_of(s), agent_sub, out, cap, count));
}

static void a_participant_get(edge_store_async *s, edge_store_call *c, const char *participant_id,
                              edge_participant *out)
{
    edge_store_call_done(c, edge_store_participant_get(st_of(s), participant_id, out));
}

static void a_participants_of(edge_store_async *s, edge_store_call *c, const char *contact_id,
                              edge_participant *out, size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_participants_of(st_of(s), contact_id, out, cap, count));
}

static void a_message_add(edge_store_async *s, edge_store_call *c, const char *participant_id,
                          const char *content_type, const char *content, size_t max_bytes,
                          int64_t max_count, edge_message *out)
{
    edge_store_call_done(c, edge_store_message_add_capped(st_of(s), participant_id, content_type,
                                                          content, max_bytes, max_count, c->now_ms,
                                                          out));
}

static void a_message_send(edge_store_async *s, edge_store_call *c, const edge_message_send *in,
                           edge_message *out, edge_event *events, size_t cap, size_t *count,
                           int *replayed)
{
    edge_store_call_done(
        c, edge_store_message_send(st_of(s), in, c->now_ms, out, events, cap, count, replayed));
}

static void a_transcript(edge_store_async *s, edge_store_call *c, const char *contact_id,
                         int64_t after_seq, edge_message *out, size_t cap, size_t *count, int *more)
{
    edge_store_call_done(
        c, edge_store_transcript(st_of(s), contact_id, after_seq, out, cap, count, more));
}

static void a_note_add(edge_store_async *s, edge_store_call *c, const char *contact_id,
                       const char *agent_sub, const char *agent_name, const char *content,
                       size_t max_bytes, int64_t max_count, edge_note *out)
{
    edge_store_call_done(c, edge_store_note_add(st_of(s), contact_id, agent_sub, agent_name,
                                                content, max_bytes, max_count, c->now_ms, out));
}

static void a_notes(edge_store_async *s, edge_store_call *c, const char *contact_id,
                    const char *agent_sub, edge_note *out, size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_notes(st_of(s), contact_id, agent_sub, out, cap, count));
}

static void a_events_add(edge_store_async *s, edge_store_call *c, const edge_event_in *in, size_t n,
                         int64_t *ids)
{
    edge_store_call_done(c, edge_store_events_add(st_of(s), in, n, c->now_ms, ids));
}

static void a_events_since(edge_store_async *s, edge_store_call *c, const char *participant_id,
                           int64_t after_id, edge_event *out, size_t cap, size_t *count)
{
    edge_store_call_done(
        c, edge_store_events_since(st_of(s), participant_id, after_id, out, cap, count));
}

static void a_events_last_id(edge_store_async *s, edge_store_call *c, const char *participant_id,
                             int64_t *id)
{
    edge_store_call_done(c, edge_store_events_last_id(st_of(s), participant_id, id));
}

static void a_agent_set_status(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                               const char *name, int available)
{
    edge_store_call_done(
        c, edge_store_agent_set_status(st_of(s), agent_sub, name, available, c->now_ms));
}

static void a_agents_available(edge_store_async *s, edge_store_call *c, int *count)
{
    edge_store_call_done(c, edge_store_agents_available(st_of(s), count));
}

static void a_agent_pick_idle(edge_store_async *s, edge_store_call *c, const char *exclude_sub,
                              char out_sub[EDGE_STORE_TEXT_MAX])
{
    edge_store_call_done(c, edge_store_agent_pick_idle(st_of(s), exclude_sub, out_sub));
}

static void a_agent_pick_ring(edge_store_async *s, edge_store_call *c, const char *contact_id,
                              const char *exclude_sub, char out_sub[EDGE_STORE_TEXT_MAX])
{
    out_sub[0] = '\0';
    edge_contact contact;
    int rc = edge_store_contact_get(st_of(s), contact_id, &contact);
    edge_contact_free(&contact);
    if (rc == 0 && contact.state != EDGE_CONTACT_QUEUED)
        rc = EDGE_STORE_ESTATE; /* as contact_ring would answer, before picking anyone */
    if (rc == 0)
        rc = edge_store_agent_pick_idle(st_of(s), exclude_sub, out_sub);
    if (rc == 0)
        rc = edge_store_contact_ring(st_of(s), contact_id, out_sub, c->now_ms);
    if (rc != 0)
        out_sub[0] = '\0';
    edge_store_call_done(c, rc);
}

static void a_agent_get(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                        edge_agent_row *out)
{
    edge_store_call_done(c, edge_store_agent_get(st_of(s), agent_sub, out));
}

static void a_agent_open_contacts(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                                  edge_contact *out, size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_agent_open_contacts(st_of(s), agent_sub, out, cap, count));
}

static void a_purge_ended(edge_store_async *s, edge_store_call *c, int64_t ended_before_ms,
                          size_t max_contacts, size_t *purged)
{
    edge_store_call_done(c,
                         edge_store_purge_ended(st_of(s), ended_before_ms, max_contacts, purged));
}

static void a_prune_unbound_events(edge_store_async *s, edge_store_call *c, int64_t before_ms,
                                   size_t max, size_t *pruned)
{
    edge_store_call_done(c, edge_store_prune_unbound_events(st_of(s), before_ms, max, pruned));
}

static void a_agent_presence(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                             int streaming)
{
    edge_store_call_done(c, edge_store_agent_presence(st_of(s), agent_sub, streaming, c->now_ms));
}

static void a_agents_away_since(edge_store_async *s, edge_store_call *c, int64_t away_before_ms,
                                edge_agent_row *out, size_t cap, size_t *count)
{
    edge_store_call_done(c,
                         edge_store_agents_away_since(st_of(s), away_before_ms, out, cap, count));
}

static void a_agent_expire(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                           int64_t away_before_ms)
{
    edge_store_call_done(c,
                         edge_store_agent_expire(st_of(s), agent_sub, away_before_ms, c->now_ms));
}

static void a_agents_listening(edge_store_async *s, edge_store_call *c, edge_agent_row *out,
                               size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_agents_listening(st_of(s), out, cap, count));
}

static void a_participant_presence(edge_store_async *s, edge_store_call *c,
                                   const char *participant_id, int streaming)
{
    edge_store_call_done(
        c, edge_store_participant_presence(st_of(s), participant_id, streaming, c->now_ms));
}

static void a_calls_caller_gone(edge_store_async *s, edge_store_call *c, int64_t away_before_ms,
                                edge_contact *out, size_t cap, size_t *count)
{
    edge_store_call_done(c,
                         edge_store_calls_caller_gone(st_of(s), away_before_ms, out, cap, count));
}

static void a_presence_reset(edge_store_async *s, edge_store_call *c)
{
    edge_store_call_done(c, edge_store_presence_reset(st_of(s), c->now_ms));
}

static void a_route_create(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                           const char *attendee_email, const char *queue, int64_t expires_ms,
                           edge_adhoc_route *out)
{
    edge_store_call_done(c, edge_store_route_create(st_of(s), agent_sub, attendee_email, queue,
                                                    c->now_ms, expires_ms, out));
}

static void a_route_redeem(edge_store_async *s, edge_store_call *c, const char *route_id,
                           const char *email, const char *contact_id, edge_adhoc_route *out)
{
    edge_store_call_done(
        c, edge_store_route_redeem(st_of(s), route_id, email, contact_id, c->now_ms, out));
}

static void a_limit_take(edge_store_async *s, edge_store_call *c, const char *key, uint32_t max,
                         int64_t window_ms, int64_t *retry_after_ms)
{
    edge_store_call_done(
        c, edge_store_limit_take(st_of(s), key, max, window_ms, c->now_ms, retry_after_ms));
}

static void a_contact_rate(edge_store_async *s, edge_store_call *c, const char *contact_id,
                           int score, const char *comment)
{
    edge_store_call_done(
        c, edge_store_contact_rate(st_of(s), contact_id, score, comment, c->now_ms));
}

static void a_contact_transfer(edge_store_async *s, edge_store_call *c, const char *contact_id,
                               const char *from_agent_sub, const char *to_queue)
{
    edge_store_call_done(c, edge_store_contact_transfer(st_of(s), contact_id, from_agent_sub,
                                                        to_queue, c->now_ms));
}

static void a_agents_available_list(edge_store_async *s, edge_store_call *c,
                                    edge_agent_entry *out, size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_agents_available_list(st_of(s), out, cap, count));
}

static void a_disposition_set(edge_store_async *s, edge_store_call *c, const char *contact_id,
                              const char *agent_sub, const char *code)
{
    edge_store_call_done(
        c, edge_store_disposition_set(st_of(s), contact_id, agent_sub, code, c->now_ms));
}

static void a_disposition_get(edge_store_async *s, edge_store_call *c, const char *contact_id,
                              const char *agent_sub, char code[EDGE_STORE_TEXT_MAX])
{
    edge_store_call_done(c, edge_store_disposition_get(st_of(s), contact_id, agent_sub, code));
}

static void a_canned_add(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                         const char *title, const char *content, size_t max_bytes,
                         int64_t max_count, edge_canned *out)
{
    edge_store_call_done(c, edge_store_canned_add(st_of(s), agent_sub, title, content, max_bytes,
                                                  max_count, c->now_ms, out));
}

static void a_canned_list(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                          edge_canned *out, size_t cap, size_t *count)
{
    edge_store_call_done(c, edge_store_canned_list(st_of(s), agent_sub, out, cap, count));
}

static void a_canned_delete(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                            const char *id)
{
    edge_store_call_done(c, edge_store_canned_delete(st_of(s), agent_sub, id));
}

static const edge_store_async_ops SQLITE_ASYNC_OPS = {
    .name = "sqlite",
    .close = a_close,
    .cancel = a_cancel,

    .chat_start = a_chat_start,

    .chat_open = a_chat_open,

    .call_start = a_call_start,

    .contact_get = a_contact_get,

    .contact_ring = a_contact_ring,

    .contact_accept = a_contact_accept,

    .contact_requeue = a_contact_requeue,

    .contact_end = a_contact_end,

    .queue_list = a_queue_list,

    .queue_customers = a_queue_customers,

    .queue_depth = a_queue_depth,

    .queues_waiting = a_queues_waiting,

    .queue_told = a_queue_told,

    .queue_fallback = a_queue_fallback,

    .calls_waiting_since = a_calls_waiting_since,

    .call_next_queued = a_call_next_queued,

    .calls_ringing_since = a_calls_ringing_since,

    .agent_contacts = a_agent_contacts,

    .participant_get = a_participant_get,

    .participants_of = a_participants_of,

    .message_add = a_message_add,

    .message_send = a_message_send,

    .transcript = a_transcript,

    .note_add = a_note_add,

    .notes = a_notes,

    .events_add = a_events_add,

    .events_since = a_events_since,

    .events_last_id = a_events_last_id,

    .agent_set_status = a_agent_set_status,

    .agents_available = a_agents_available,

    .agent_pick_idle = a_agent_pick_idle,

    .agent_pick_ring = a_agent_pick_ring,

    .agent_get = a_agent_get,

    .agent_open_contacts = a_agent_open_contacts,

    .purge_ended = a_purge_ended,

    .prune_unbound_events = a_prune_unbound_events,

    .agent_presence = a_agent_presence,

    .agents_away_since = a_agents_away_since,

    .agent_expire = a_agent_expire,

    .agents_listening = a_agents_listening,

    .participant_presence = a_participant_presence,

    .calls_caller_gone = a_calls_caller_gone,

    .presence_reset = a_presence_reset,

    .route_create = a_route_create,

    .route_redeem = a_route_redeem,

    .limit_take = a_limit_take,
    .contact_rate = a_contact_rate,
    .contact_transfer = a_contact_transfer,
    .agents_available_list = a_agents_available_list,
    .disposition_set = a_disposition_set,
    .disposition_get = a_disposition_get,
    .canned_add = a_canned_add,
    .canned_list = a_canned_list,
    .canned_delete = a_canned_delete,

};

edge_store_async *edge_store_async_sqlite(edge_store *sync)
{
    sqlite_async *a = calloc(1, sizeof(*a));
    if (a == NULL)
        return NULL;
    a->base.ops = &SQLITE_ASYNC_OPS;
    a->st = sync;
    return &a->base;
}
