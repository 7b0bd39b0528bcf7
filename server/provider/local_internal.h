/* local_internal.h - shared by the local provider's files (not a public API). */
#ifndef EDGE_LOCAL_INTERNAL_H
#define EDGE_LOCAL_INTERNAL_H

#include "events/hub.h"
#include "provider/provider.h"

#define EDGE_LOCAL_MAX_MESSAGE_BYTES 8192 /* one chat message */

typedef struct edge_local_provider {
    edge_provider base; /* first: the routes see only this */
    struct edge_store_async *astore; /* borrowed: the same state, asynchronously */
    struct edge__local_op *ops;      /* the chains in flight (local_op.h) */
    edge_hub *hub;      /* borrowed */
    const edge_ptoken_key *key; /* borrowed */
    int64_t no_agent_timeout_ms; /* waiting calls end after this; 0 = never */
    int64_t ring_timeout_ms;     /* an unanswered ring is taken back after this; 0 = never */
    int64_t retention_ms;        /* ended contacts are deleted after this; 0 = never */
    uint64_t retention_purged;   /* contacts deleted so far (c2c_retention_purged_total) */
    int64_t transcript_grace_ms; /* a customer's token outlives the contact this long */
    edge_provider_limits limits; /* the abuse limits (local_limits.c) */
    int64_t agent_away_ms;       /* streamless available agents go offline; 0 = never */
    int64_t caller_gone_ms;      /* calls whose caller has no stream end; 0 = never */
    const edge_agent_lists *lists; /* borrowed (settings) or &own_lists */
    edge_agent_lists own_lists;    /* the built-in ones when settings gave none */
    struct edge_call_bridge *bridge; /* borrowed or NULL: calls it claims (provider/bridge.h) */
    int tick_jobs; /* the tick's jobs still running: a tick skips while any is */
} edge_local_provider;

#define EDGE_LOCAL_PERSONAL_PREFIX "agent:" /* personal queues: "agent:<hex>" */
#define EDGE_LOCAL_LIVE_CALL_RETRY_S 5      /* Retry-After while a call is live */

static inline edge_local_provider *edge__local(edge_provider *p)
{
    return (edge_local_provider *)p;
}

/* Who of a contact's participants an event goes to (local_publish.c):
 * everyone (pass NULL), or everyone but skip_id and/or but skip_role's
 * side. */
typedef struct edge__local_audience {
    const char *skip_id;  /* NULL = nobody skipped by id */
    edge_role skip_role;  /* the side skipped, when skip_role_set */
    int skip_role_set;
} edge__local_audience;

/* A copy of src's fixed fields for a job to keep: the owned texts
 * (attributes, rating comment) are left NULL, so there is nothing to
 * free. */
static inline void edge__local_contact_keep(edge_contact *dst, const edge_contact *src)
{
    *dst = *src;
    dst->attributes_json = NULL;
    dst->rating_comment = NULL;
}

/* The jobs below (local_op.h: chains with no provider call) run the
 * consequences of a change already committed; nobody waits for them and
 * an error is logged. Their arguments are copied. */

/* Job: publish one event to the participants of contact_id that `to`
 * reaches (NULL: all), all in one store transaction. */
void edge__local_publish(edge_local_provider *lp, const char *contact_id,
                         const edge__local_audience *to, const char *type, const char *data_json,
                         int64_t now_ms);

/* Job: what follows a successful store contact_end (local_end.c): the
 * offer a ringing call made withdrawn, the contact re-read and its new
 * state told to everyone, the queue moved up when it was waiting, and a
 * call's agent offered the next call. before is the contact as read
 * before the end (its state decides what follows). */
void edge__local_ended(edge_local_provider *lp, const edge_contact *before, int64_t now_ms);
/* Job: the store's contact_end for reason, then edge__local_ended; a
 * contact that had ended already (ESTATE) is left alone. Provider ops
 * that answer the end's outcome run contact_end as their own step and
 * then call edge__local_ended. */
void edge__local_end(edge_local_provider *lp, const edge_contact *before, const char *reason,
                     int64_t now_ms);

/* Job: publish {ContactId, State, Reason?} ("contact.state") to every
 * participant of the contact, and its agent side
 * (edge__local_tell_agent_state). */
void edge__local_publish_state(edge_local_provider *lp, const edge_contact *c, int64_t now_ms);
/* Job: read the contact, then edge__local_publish_state. */
void edge__local_announce(edge_local_provider *lp, const char *contact_id, int64_t now_ms);

/* Provider op (local_publish.c): one event from `from` to every other
 * participant of its contact; completes c with 0, ESTATE once from has
 * left (ending a contact marks everyone left), or, when need_reach,
 * EDGE_PROVIDER_ENOTCONNECTED while nobody else is there. */
void edge__local_a_relay(edge_local_provider *lp, edge_provider_call *c,
                         const edge_participant *from, const char *type, const char *data_json,
                         int need_reach);

/* Job: tell the customers waiting in queue (the first 200) whose
 * position or estimated wait changed since they were last told their
 * position, the depth and the estimate ("queue" events, in one
 * transaction), but nobody more than once a second: a change held back
 * for that is sent by edge__local_push_held (local_queue.c); then
 * "queue.changed" to the agents watching it. */
void edge__local_push_queue(edge_local_provider *lp, const char *queue, int64_t now_ms);
/* Job, the tick's half: push every queue where contacts wait (customers
 * only), so changes held back by the once-a-second rule arrive. Counted
 * in lp->tick_jobs while it runs, as every job the tick starts. */
void edge__local_push_held(edge_local_provider *lp, int64_t now_ms);

/* Fill *limited for limit with retry_after_ms rounded up to whole seconds,
 * at least 1; returns EDGE_STORE_ELIMITED. */
int edge__local_limited(edge_limited *limited, const char *limit, int64_t retry_after_ms);

/* The chat operations (local_chat.c): the provider ops on the
 * asynchronous store (chat_leave: chat_disconnect once no bridge claims
 * it). */
void edge__local_a_chat_start(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                              const edge_chat_request *req, edge_chat_started *out);
void edge__local_a_chat_resume(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                               edge_chat_started *out);
void edge__local_a_chat_send(edge_provider *p, edge_provider_call *c, const edge_participant *from,
                             const char *content_type, const char *content,
                             const char *client_token, edge_message *out);
void edge__local_a_chat_leave(edge_provider *p, edge_provider_call *c, const edge_participant *who);
void edge__local_a_chat_signal(edge_provider *p, edge_provider_call *c,
                               const edge_participant *from, const char *type,
                               const char *message_id);

/* The call operations (local_calls.c). */
void edge__local_a_call_start(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                              const edge_call_request *req, edge_call_started *out);
void edge__local_a_call_digits(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                               const char *contact_id, const char *digits);
void edge__local_a_call_end(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                            const char *contact_id);
void edge__local_a_call_signal(edge_provider *p, edge_provider_call *c,
                               const edge_participant *from, const char *type,
                               const char *payload_json);

/* Video escalation (local_video.c), a provider op. */
void edge__local_a_video(edge_provider *p, edge_provider_call *c, const edge_participant *from,
                         edge_video_action action, int screen_share);

/* The tick (local_timeouts.c): starts its jobs (calls that waited past
 * the no-agent timeout end, rings past the ring timeout are taken back,
 * personal queues fall back, held-back positions are sent, presence, one
 * batch of retention) and returns 0. A tick while the last one's jobs
 * still run does nothing: two never overlap. */
int edge__local_tick(edge_provider *p, int64_t now_ms);

/* Job, push routing for calls (local_ringing.c): ring queued calls of the
 * default queue, oldest in service order first, at idle available agents,
 * idle longest first, never at exclude_sub (NULL = anyone), until either
 * runs out (the store's agent_pick_ring, atomic across nodes); each caller
 * gets contact.state RINGING. */
void edge__local_offer_calls(edge_local_provider *lp, const char *exclude_sub, int64_t now_ms);
/* Job, the tick's: take back calls that have rung past the ring timeout:
 * each rings the next idle agent (not the one who missed it) or waits
 * queued again. Counted in lp->tick_jobs. */
void edge__local_ring_timeouts(edge_local_provider *lp, int64_t now_ms);
/* An agent turns down the call ringing them (provider op agent_reject). */
void edge__local_a_agent_reject(edge_provider *p, edge_provider_call *c,
                                const edge_identity *agent, const char *contact_id);

/* The agents' own event feeds (local_agent_feed.c). An agent's feed id
 * ("a:" and 32 hex digits of SHA-256 of the sub) is the participant id
 * its events are stored under; no participant has such an id. */
#define EDGE__LOCAL_FEED_ID_MAX 36
void edge__local_agent_feed_id(const char *agent_sub, char out[EDGE__LOCAL_FEED_ID_MAX]);
/* "agent:<hex>": the agent's personal queue (reference codes). */
void edge__local_personal_queue(const char *agent_sub, char *out, size_t cap);
/* 1 when queue is another agent's personal queue (not agent_sub's own). */
int edge__local_someone_elses(const char *agent_sub, const char *queue);
/* One event (data_json: a JSON object text) to one agent's feed. */
void edge__local_tell_agent(edge_local_provider *lp, const char *agent_sub, const char *contact_id,
                           const char *type, const char *data_json, int64_t now_ms);
/* Job: one event to every agent who may be watching queue (streaming or
 * available; another agent's personal queue is nobody else's business),
 * in one transaction. contact_id may be NULL. */
void edge__local_tell_agents(edge_local_provider *lp, const char *queue, const char *contact_id,
                            const char *type, const char *data_json, int64_t now_ms);
/* "queue.changed" {Queue} to the agents watching it. */
void edge__local_tell_queue_changed(edge_local_provider *lp, const char *queue, int64_t now_ms);
/* The agent side of a contact's new state: RINGING "offer" to the agent
 * it rings, CONNECTED "contact.assigned" and ENDED "contact.ended" to its
 * agent (called by edge__local_publish_state). */
void edge__local_tell_agent_state(edge_local_provider *lp, const edge_contact *c, int64_t now_ms);
/* "offer.withdrawn" {ContactId, Reason} to the agent a call rang. */
void edge__local_withdraw_offer(edge_local_provider *lp, const char *contact_id,
                               const char *agent_sub, const char *reason, int64_t now_ms);
/* The agent's stream and restore (provider ops). */
void edge__local_agent_events_serve(edge_provider *p, const edge_identity *agent,
                                    int64_t last_event_id, edge_response *res);
/* The console's restore (local_console.c), a provider op. */
void edge__local_a_agent_contacts(edge_provider *p, edge_provider_call *c,
                                  const edge_identity *agent, edge_agent_console *console,
                                  edge_agent_contact *out, size_t cap, size_t *count);
/* "agent.status" {Status, Reason?} to the agent's own feed: every console
 * of theirs follows a change made on another device or by the server. */
void edge__local_tell_agent_status(edge_local_provider *lp, const char *agent_sub, int status,
                                  const char *reason, int64_t now_ms);
/* An agent status's word in the API: "available", "away" or "offline". */
const char *edge__local_status_name(int status);
/* The customer's rating of a contact (local_rating.c). */
void edge__local_a_chat_rate(edge_provider *p, edge_provider_call *c, const edge_participant *who,
                             int score, const char *comment);
/* Agents' private notes (local_notes.c): the provider ops, and
 * "contact.note" {ContactId, NoteId} to the author's own feed. Best effort:
 * the note is stored whatever happens there, and a console that missed the
 * event still gets the note when it next loads the contact's notes. */
void edge__local_tell_note(edge_local_provider *lp, const edge_note *n, int64_t now_ms);
void edge__local_a_agent_note_add(edge_provider *p, edge_provider_call *c,
                                  const edge_identity *agent, const char *contact_id,
                                  const char *content, edge_note *out);
void edge__local_a_agent_notes(edge_provider *p, edge_provider_call *c,
                               const edge_identity *agent, const char *contact_id,
                               edge_note *out, size_t cap, size_t *count);

/* Presence (local_presence.c): the hub's hook (tag "A<sub>" for an agent's
 * feed, "C" for a customer's participant stream), and the tick's part:
 * agents away past their grace go offline (a call ringing them moves on),
 * calls whose caller is gone past theirs end ("caller_gone"); jobs,
 * counted in lp->tick_jobs. */
void edge__local_on_presence(void *ctx, const char *feed_id, const char *tag, int streaming,
                             int64_t now_ms);
void edge__local_presence_tick(edge_local_provider *lp, int64_t now_ms);
/* Job: take back a call that rings call->offered_to (local_ringing.c): it
 * rings the next idle agent or waits queued again; the agent is told
 * ("offer.withdrawn" with reason). A call answered, hung up or re-offered
 * meanwhile is left alone. */
void edge__local_take_back(edge_local_provider *lp, const edge_contact *call, const char *reason,
                           int64_t now_ms);

/* The agent operations (local_agents.c): provider ops on the
 * asynchronous store. */
void edge__local_a_agent_set_status(edge_provider *p, edge_provider_call *c,
                                    const edge_identity *agent, int status);
void edge__local_a_adhoc_create(edge_provider *p, edge_provider_call *c,
                                const edge_identity *agent, const char *attendee_email,
                                int to_agent_queue, int64_t ttl_s, edge_adhoc_route *out);
void edge__local_a_agent_accept(edge_provider *p, edge_provider_call *c,
                                const edge_identity *agent, const char *contact_id,
                                edge_joined *out);
void edge__local_a_agent_end(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                             const char *contact_id);

/* Wrap-up and canned responses (local_wrapup.c): the provider ops. */
void edge__local_a_agent_wrapup(edge_provider *p, edge_provider_call *c,
                                const edge_identity *agent, const char *contact_id,
                                const char *disposition, const char *note);
void edge__local_a_agent_disposition(edge_provider *p, edge_provider_call *c,
                                     const edge_identity *agent, const char *contact_id,
                                     char code[EDGE_STORE_TEXT_MAX]);
void edge__local_a_agent_dispositions(edge_provider *p, edge_provider_call *c,
                                      const edge_identity *agent, const edge_disposition **list,
                                      size_t *count);
void edge__local_a_agent_canned(edge_provider *p, edge_provider_call *c,
                                const edge_identity *agent, edge_canned *out, size_t cap,
                                size_t *count, size_t *shared);
void edge__local_a_agent_canned_add(edge_provider *p, edge_provider_call *c,
                                    const edge_identity *agent, const char *title,
                                    const char *content, edge_canned *out);
void edge__local_a_agent_canned_delete(edge_provider *p, edge_provider_call *c,
                                       const edge_identity *agent, const char *id);

/* The read-only ops (local_reads.c): the provider ops. */
void edge__local_a_chat_transcript(edge_provider *p, edge_provider_call *c,
                                   const edge_participant *who, int64_t after_seq,
                                   edge_message *out, size_t cap, size_t *count, int *more);
void edge__local_a_agent_transcript(edge_provider *p, edge_provider_call *c,
                                    const edge_identity *agent, const char *contact_id,
                                    int64_t after_seq, edge_message *out, size_t cap,
                                    size_t *count, int *more);
void edge__local_a_agent_history(edge_provider *p, edge_provider_call *c,
                                 const edge_identity *agent, edge_contact *out, size_t cap,
                                 size_t *count);
void edge__local_a_agent_queue(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                               const char *queue, edge_contact *out, size_t cap, size_t *count);
void edge__local_a_availability(edge_provider *p, edge_provider_call *c, const char *queue,
                                edge_availability *out);

/* Transfer (local_transfer.c): the provider ops. */
void edge__local_a_agent_transfer(edge_provider *p, edge_provider_call *c,
                                  const edge_identity *agent, const char *contact_id,
                                  const char *to_queue, const char *to_agent_sub);
void edge__local_a_agent_transfer_targets(edge_provider *p, edge_provider_call *c,
                                          const edge_identity *agent, edge_agent_entry *agents,
                                          size_t cap, size_t *count,
                                          char (*queues)[EDGE_STORE_TEXT_MAX], size_t qcap,
                                          size_t *qcount);

/* The ops table (local_async.c) and the parts of it in local.c. */
extern const edge_provider_ops edge__local_ops;
void edge__local_participant_auth(edge_provider *p, edge_provider_call *c, const char *token,
                                  size_t len, edge_participant_use use, edge_participant *out);
void edge__local_events_serve(edge_provider *p, const edge_participant *who,
                              int64_t last_event_id, edge_response *res);
void edge__local_stats(edge_provider *p, edge_provider_stats *out);
void edge__local_destroy(edge_provider *p);

#endif
