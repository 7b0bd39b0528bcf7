/* local_internal.h - shared by the local provider's files (not a public API). */
#ifndef EDGE_LOCAL_INTERNAL_H
#define EDGE_LOCAL_INTERNAL_H

#include "events/hub.h"
#include "provider/provider.h"

#define EDGE_LOCAL_MAX_MESSAGE_BYTES 8192 /* one chat message */

typedef struct edge_local_provider {
    edge_provider base; /* first: the routes see only this */
    edge_store *store;  /* borrowed */
    edge_hub *hub;      /* borrowed */
    const edge_ptoken_key *key; /* borrowed */
    int64_t no_agent_timeout_ms; /* waiting calls end after this; 0 = never */
    int64_t ring_timeout_ms;     /* an unanswered ring is taken back after this; 0 = never */
    int64_t retention_ms;        /* ended contacts are deleted after this; 0 = never */
    uint64_t retention_purged;   /* contacts deleted so far (c2c_retention_purged_total) */
    int64_t transcript_grace_ms; /* a customer's token outlives the contact this long */
    edge_provider_limits limits; /* the abuse limits (local_limits.c) */
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

/* Publish one event to the participants of contact_id that `to` reaches,
 * all in one store transaction. *reached (may be NULL) is how many got it.
 * Returns 0 or the store's error (then nobody got it). */
int edge__local_publish(edge_local_provider *lp, const char *contact_id,
                        const edge__local_audience *to, const char *type, const char *data_json,
                        int64_t now_ms, size_t *reached);

/* Publish {ContactId, State, Reason?} ("contact.state") to every
 * participant of the contact. */
int edge__local_publish_state(edge_local_provider *lp, const edge_contact *c, int64_t now_ms);

/* Relay one event from `from` to every other participant of its contact.
 * ESTATE once from has left (ending a contact marks everyone left),
 * EDGE_PROVIDER_ENOTCONNECTED while nobody else is there. */
int edge__local_relay(edge_local_provider *lp, const edge_participant *from, const char *type,
                      const char *data_json, int64_t now_ms);

/* Tell the customers waiting in queue (the first 200) whose position or
 * estimated wait changed since they were last told their position, the
 * depth and the estimate ("queue" events, in one transaction), but nobody
 * more than once a second: a change held back for that is sent by
 * edge__local_push_held (local_queue.c). */
int edge__local_push_queue(edge_local_provider *lp, const char *queue, int64_t now_ms);
/* The tick's half: push every queue where contacts wait, so changes held
 * back by the once-a-second rule arrive. */
int edge__local_push_held(edge_local_provider *lp, int64_t now_ms);

/* The tick's scans (local_queue.c): list the contacts due before
 * before_ms (a store query such as edge_store_calls_waiting_since) and act
 * on each, a bounded batch per tick. Returns 0 or the first error. */
typedef int (*edge__local_due_list_fn)(edge_store *st, int64_t before_ms, edge_contact *out,
                                       size_t cap, size_t *count);
typedef int (*edge__local_due_fn)(edge_local_provider *lp, const edge_contact *c, int64_t now_ms);
int edge__local_handle_due(edge_local_provider *lp, edge__local_due_list_fn list,
                           int64_t before_ms, edge__local_due_fn act, int64_t now_ms);

/* Take one unit of rate for the counter "<limit>:<id>" (local_limits.c):
 * 0, or ELIMITED with *limited (limit, retry-after) filled, or a store
 * error. A rate with max 0 always allows. */
int edge__local_limit_take(edge_local_provider *lp, const char *limit, const char *id,
                           const edge_rate *rate, int64_t now_ms, edge_limited *limited);
/* Fill *limited for limit with retry_after_ms rounded up to whole seconds,
 * at least 1; returns EDGE_STORE_ELIMITED. */
int edge__local_limited(edge_limited *limited, const char *limit, int64_t retry_after_ms);

/* The chat operations (local_chat.c). */
int edge__local_chat_start(edge_provider *p, const edge_identity *who, const edge_chat_request *req,
                           int64_t now_ms, edge_chat_started *out, edge_limited *limited);
int edge__local_chat_resume(edge_provider *p, const edge_identity *who, int64_t now_ms,
                            edge_chat_started *out);
int edge__local_chat_send(edge_provider *p, const edge_participant *from, const char *content_type,
                          const char *content, const char *client_token, int64_t now_ms,
                          edge_message *out, edge_limited *limited);
int edge__local_chat_signal(edge_provider *p, const edge_participant *from, const char *type,
                            const char *message_id, int64_t now_ms);
int edge__local_chat_transcript(edge_provider *p, const edge_participant *who, int64_t after_seq,
                                edge_message *out, size_t cap, size_t *count, int *more);
int edge__local_chat_disconnect(edge_provider *p, const edge_participant *who, int64_t now_ms);

/* The call operations (local_calls.c). */
int edge__local_call_start(edge_provider *p, const edge_identity *who, const edge_call_request *req,
                           int64_t now_ms, edge_call_started *out, edge_limited *limited);
int edge__local_call_digits(edge_provider *p, const edge_identity *who, const char *contact_id,
                            const char *digits, int64_t now_ms);
int edge__local_call_end(edge_provider *p, const edge_identity *who, const char *contact_id,
                         int64_t now_ms);
int edge__local_call_signal(edge_provider *p, const edge_participant *from, const char *type,
                            const char *payload_json, int64_t now_ms);

/* Video escalation (local_video.c). */
int edge__local_video(edge_provider *p, const edge_participant *from, edge_video_action action,
                      int screen_share, int64_t now_ms);

/* End calls that waited past the no-agent timeout, take back rings past
 * the ring timeout, then delete one batch of contacts past retention
 * (local_timeouts.c). */
int edge__local_tick(edge_provider *p, int64_t now_ms);

/* Push routing for calls (local_ringing.c). Ring queued calls of the
 * default queue, oldest in service order first, at idle available agents,
 * idle longest first, never at exclude_sub (NULL = anyone), until either
 * runs out; each caller gets contact.state RINGING. */
int edge__local_offer_calls(edge_local_provider *lp, const char *exclude_sub, int64_t now_ms);
/* Take back calls that have rung past the ring timeout: each rings the
 * next idle agent (not the one who missed it) or waits queued again. */
int edge__local_ring_timeouts(edge_local_provider *lp, int64_t now_ms);
/* An agent turns down the call ringing them (provider op agent_reject). */
int edge__local_agent_reject(edge_provider *p, const edge_identity *agent, const char *contact_id,
                             int64_t now_ms);

/* The agent operations (local_agents.c). */
int edge__local_agent_set_status(edge_provider *p, const edge_identity *agent, int available,
                                 int64_t now_ms);
int edge__local_agent_queue(edge_provider *p, const edge_identity *agent, const char *queue,
                            edge_contact *out, size_t cap, size_t *count);
int edge__local_adhoc_create(edge_provider *p, const edge_identity *agent,
                             const char *attendee_email, int to_agent_queue, int64_t now_ms,
                             int64_t ttl_s, edge_adhoc_route *out);
int edge__local_agent_accept(edge_provider *p, const edge_identity *agent, const char *contact_id,
                             int64_t now_ms, edge_joined *out);
int edge__local_agent_end(edge_provider *p, const edge_identity *agent, const char *contact_id,
                          int64_t now_ms);
int edge__local_agent_history(edge_provider *p, const edge_identity *agent, edge_contact *out,
                              size_t cap, size_t *count);
int edge__local_availability(edge_provider *p, const char *queue, edge_availability *out);

#endif
