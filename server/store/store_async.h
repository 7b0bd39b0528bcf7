/* store_async.h - the state store as an asynchronous interface.
 *
 * store.h is synchronous: every operation answers before it returns, which
 * an embedded SQLite file can do and a shared store (Redis, reached over the
 * network) cannot without blocking the loop. This interface has the same
 * operations with the same argument structs and results, in the call shape
 * of the provider seam (provider/provider.h): the caller fills an
 * edge_store_call (done, opaque, now_ms, deadline_ms) and passes it with the
 * op's arguments and result pointers; the backend answers through
 * edge_store_call_done(c, rc). Two backends: the SQLite adapter below
 * (completes inside the start call) and Redis (store_redis/store_redis.h,
 * completes on a later loop turn).
 *
 * The contract, for every backend and op:
 * - Arguments are borrowed for the start call only: a backend that
 *   completes later copies what it needs before returning. Result pointers
 *   and c stay the caller's, valid until done fires or the caller cancels;
 *   results are written only just before done, with store.h's conventions
 *   (outputs empty after a failure, owned strings released with the
 *   matching *_free, list outputs released by the backend on failure).
 * - done fires exactly once per started op, unless cancelled; inside the
 *   start call or on a later loop turn, never from another thread.
 * - rc is 0 or a negative EDGE_STORE_E* code, plus EDGE_STORE_EUNAVAILABLE
 *   (the shared store cannot be reached: fails fast, a retry later may
 *   work; the API maps it to 503 store_unavailable) and
 *   EDGE_STORE_ETIMEDOUT (no answer by c->deadline_ms: the op may or may
 *   not have taken effect). Those two are the only codes store.h lacks.
 * - Cancel: edge_store_async_cancel(s, c) before done; afterwards the
 *   backend never touches c nor its results. A request already sent may
 *   still take effect.
 * - Every rule store.h states as atomic is atomic here across every node
 *   sharing the store (the SQLite adapter: one process, one transaction).
 * - An op a backend does not implement completes with EDGE_STORE_ENOTSUP
 *   (EDGE_STORE_ASYNC below). */
#ifndef EDGE_STORE_ASYNC_H
#define EDGE_STORE_ASYNC_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Errors of the asynchronous interface only, next to EDGE_STORE_E*. */
enum {
    EDGE_STORE_EUNAVAILABLE = -12, /* the shared store is unreachable (503 store_unavailable) */
    EDGE_STORE_ETIMEDOUT = -13,    /* no answer by the call's deadline */
    EDGE_STORE_ENOTSUP = -14       /* this backend does not implement the op */
};

/* message_send's event_json is called inside the start call, maybe before
 * the message's seq is known: then m->seq is a placeholder, a random
 * number in [EDGE_STORE_SEQ_PENDING_MIN, EDGE_STORE_SEQ_PENDING_MAX) drawn
 * for this message (so no one can put it in a message on purpose), and the
 * backend replaces its decimal digits in the returned text with the real
 * seq. The event data must print seq as a plain integer with every digit:
 * cJSON does for these, 15 digits (it prints "%1.15g" first and keeps it
 * when it reads back within a rounding error, so a 16-digit number may come
 * out as 6.92878799225096e+15, not even the same number). */
#define EDGE_STORE_SEQ_PENDING_MIN 100000000000000LL /* 15 digits */
#define EDGE_STORE_SEQ_PENDING_MAX 1000000000000000LL /* 16 digits: excluded */

typedef struct edge_store_async edge_store_async;
typedef struct edge_store_call edge_store_call;
typedef void (*edge_store_done_fn)(edge_store_call *c);

struct edge_store_call {
    /* the caller's, set before the start */
    edge_store_done_fn done; /* fires once with rc set, unless cancelled */
    void *opaque;            /* the caller's */
    int64_t now_ms;          /* the operation's time (wall clock, ms) */
    int64_t deadline_ms;     /* answer by then (same clock as now_ms) */
    /* the backend's */
    int rc;        /* 0 or a negative error, set by edge_store_call_done */
    void *backend; /* a backend's in-flight state for cancel, or NULL */
};

/* Complete c: c->backend = NULL, c->rc = rc, then c->done(c) (which may
 * free c). The backend must not touch c afterwards. */
void edge_store_call_done(edge_store_call *c, int rc);

/* The operations: each as in store.h (the same name without edge_store_),
 * now_ms taken from c. See store.h for what each does and answers. */
typedef struct edge_store_async_ops {
    const char *name; /* "sqlite", "redis": for log lines */
    void (*close)(edge_store_async *s);
    void (*cancel)(edge_store_async *s, edge_store_call *c);

    void (*chat_start)(edge_store_async *s, edge_store_call *c, const edge_chat_start *in,
                       edge_contact *contact, edge_participant *customer, int *resumed);
    void (*chat_open)(edge_store_async *s, edge_store_call *c, const char *sub,
                      edge_open_chat *out);
    void (*call_start)(edge_store_async *s, edge_store_call *c, const edge_call_start *in,
                       edge_contact *contact, edge_participant *customer);
    void (*contact_get)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                        edge_contact *out);
    void (*contact_ring)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                         const char *agent_sub);
    void (*contact_accept)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                           const char *agent_sub, const char *agent_name, edge_participant *agent);
    void (*contact_requeue)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                            const char *agent_sub);
    void (*contact_end)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                        const char *reason);
    void (*queue_list)(edge_store_async *s, edge_store_call *c, const char *queue,
                       edge_contact *out, size_t cap, size_t *count);
    void (*queue_customers)(edge_store_async *s, edge_store_call *c, const char *queue,
                            edge_queue_entry *out, size_t cap, size_t *count);
    void (*queue_depth)(edge_store_async *s, edge_store_call *c, const char *queue, size_t *count);
    void (*queues_waiting)(edge_store_async *s, edge_store_call *c,
                           char (*out)[EDGE_STORE_TEXT_MAX], size_t cap, size_t *count);
    void (*queue_told)(edge_store_async *s, edge_store_call *c, const edge_queue_told *in,
                       size_t n);
    void (*queue_fallback)(edge_store_async *s, edge_store_call *c, const char *prefix,
                           int64_t created_before_ms, size_t *moved);
    void (*calls_waiting_since)(edge_store_async *s, edge_store_call *c, int64_t created_before_ms,
                                edge_contact *out, size_t cap, size_t *count);
    void (*call_next_queued)(edge_store_async *s, edge_store_call *c, const char *queue,
                             edge_contact *out);
    void (*calls_ringing_since)(edge_store_async *s, edge_store_call *c, int64_t rung_before_ms,
                                edge_contact *out, size_t cap, size_t *count);
    void (*agent_contacts)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                           edge_contact *out, size_t cap, size_t *count);

    void (*participant_get)(edge_store_async *s, edge_store_call *c, const char *participant_id,
                            edge_participant *out);
    void (*participants_of)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                            edge_participant *out, size_t cap, size_t *count);

    void (*message_add)(edge_store_async *s, edge_store_call *c, const char *participant_id,
                        const char *content_type, const char *content, size_t max_bytes,
                        int64_t max_count, edge_message *out);
    void (*message_send)(edge_store_async *s, edge_store_call *c, const edge_message_send *in,
                         edge_message *out, edge_event *events, size_t cap, size_t *count,
                         int *replayed);
    void (*transcript)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                       int64_t after_seq, edge_message *out, size_t cap, size_t *count, int *more);
    void (*note_add)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                     const char *agent_sub, const char *agent_name, const char *content,
                     size_t max_bytes, int64_t max_count, edge_note *out);
    void (*notes)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                  const char *agent_sub, edge_note *out, size_t cap, size_t *count);

    void (*events_add)(edge_store_async *s, edge_store_call *c, const edge_event_in *in, size_t n,
                       int64_t *ids);
    void (*events_since)(edge_store_async *s, edge_store_call *c, const char *participant_id,
                         int64_t after_id, edge_event *out, size_t cap, size_t *count);
    void (*events_last_id)(edge_store_async *s, edge_store_call *c, const char *participant_id,
                           int64_t *id);

    void (*agent_set_status)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                             const char *name, int available);
    void (*agents_available)(edge_store_async *s, edge_store_call *c, int *count);
    void (*agent_pick_idle)(edge_store_async *s, edge_store_call *c, const char *exclude_sub,
                            char out_sub[EDGE_STORE_TEXT_MAX]);
    /* The combined step: pick the agent edge_store_agent_pick_idle would
     * (available, nothing ringing them, no call in progress, idle longest,
     * not exclude_sub) AND ring contact_id for them (as
     * edge_store_contact_ring), atomically across nodes: two nodes ringing
     * two calls never pick the same agent. 0 with out_sub filled;
     * ENOTFOUND when nobody qualifies (nothing changes); ESTATE when the
     * contact is not queued, ENOTFOUND when it does not exist. */
    void (*agent_pick_ring)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                            const char *exclude_sub, char out_sub[EDGE_STORE_TEXT_MAX]);
    void (*agent_get)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                      edge_agent_row *out);
    void (*agent_open_contacts)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                                edge_contact *out, size_t cap, size_t *count);

    void (*purge_ended)(edge_store_async *s, edge_store_call *c, int64_t ended_before_ms,
                        size_t max_contacts, size_t *purged);
    void (*prune_unbound_events)(edge_store_async *s, edge_store_call *c, int64_t before_ms,
                                 size_t max, size_t *pruned);
    void (*agent_presence)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                           int streaming);
    void (*agents_away_since)(edge_store_async *s, edge_store_call *c, int64_t away_before_ms,
                              edge_agent_row *out, size_t cap, size_t *count);
    void (*agent_expire)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                         int64_t away_before_ms);
    void (*agents_listening)(edge_store_async *s, edge_store_call *c, edge_agent_row *out,
                             size_t cap, size_t *count);
    void (*participant_presence)(edge_store_async *s, edge_store_call *c,
                                 const char *participant_id, int streaming);
    void (*calls_caller_gone)(edge_store_async *s, edge_store_call *c, int64_t away_before_ms,
                              edge_contact *out, size_t cap, size_t *count);
    void (*presence_reset)(edge_store_async *s, edge_store_call *c);

    void (*route_create)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                         const char *attendee_email, const char *queue, int64_t expires_ms,
                         edge_adhoc_route *out);
    void (*route_redeem)(edge_store_async *s, edge_store_call *c, const char *route_id,
                         const char *email, const char *contact_id, edge_adhoc_route *out);

    void (*limit_take)(edge_store_async *s, edge_store_call *c, const char *key, uint32_t max,
                       int64_t window_ms, int64_t *retry_after_ms);

    /* Ratings, transfer, wrap-up and canned responses. */
    void (*contact_rate)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                         int score, const char *comment);
    void (*contact_transfer)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                             const char *from_agent_sub, const char *to_queue);
    void (*agents_available_list)(edge_store_async *s, edge_store_call *c, edge_agent_entry *out,
                                  size_t cap, size_t *count);
    void (*disposition_set)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                            const char *agent_sub, const char *code);
    void (*disposition_get)(edge_store_async *s, edge_store_call *c, const char *contact_id,
                            const char *agent_sub, char code[EDGE_STORE_TEXT_MAX]);
    void (*canned_add)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                       const char *title, const char *content, size_t max_bytes,
                       int64_t max_count, edge_canned *out);
    void (*canned_list)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                        edge_canned *out, size_t cap, size_t *count);
    void (*canned_delete)(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                          const char *id);
} edge_store_async_ops;

/* A backend embeds this as its first member; ops is its static table. An
 * op it does not implement is NULL there. */
struct edge_store_async {
    const edge_store_async_ops *ops; /* never NULL */
};

/* Start op on s: EDGE_STORE_ASYNC(s, chat_start, c, in, contact, customer,
 * resumed), c first. A NULL op completes c at once with
 * EDGE_STORE_ENOTSUP. */
#define EDGE__STORE_FIRST(x, ...) x
#define EDGE_STORE_ASYNC(s, op, ...)                                                               \
    ((s)->ops->op != NULL                                                                          \
         ? (s)->ops->op((s), __VA_ARGS__)                                                          \
         : edge_store_call_done(EDGE__STORE_FIRST(__VA_ARGS__, 0), EDGE_STORE_ENOTSUP))

/* Forget an op started on s that has not completed: done never fires. */
void edge_store_async_cancel(edge_store_async *s, edge_store_call *c);

/* Close s; ops in flight complete with EDGE_STORE_EUNAVAILABLE first (a
 * backend that completes later) or have all completed (SQLite). */
void edge_store_async_close(edge_store_async *s);

/* The SQLite adapter: runs each op on sync (borrowed; the caller closes it
 * after the adapter) and completes it inside the start call. The combined
 * agent_pick_ring is pick_idle then contact_ring, atomic because one
 * process runs both on one thread with nothing in between. NULL when out
 * of memory. */
edge_store_async *edge_store_async_sqlite(edge_store *sync);

#endif
