/* store_backend.h - what a store backend implements, and what store.c gives it.
 *
 * store.h is the public face; this header is the seam behind it. A backend
 * (SQLite today, Redis later) embeds struct edge_store as its first member
 * and points ops at a static table of functions, one per public operation,
 * with the same arguments. store.c validates every argument (lengths,
 * content types, NULLs) and empties the outputs before it dispatches, so a
 * backend only stores and loads: it may assume valid input, and must on
 * failure release anything it put into an output array (store.c clears
 * single output structs itself). Like the Redis ConnectionType table, the
 * struct is data only, so a second backend is one more table. */
#ifndef EDGE_STORE_BACKEND_H
#define EDGE_STORE_BACKEND_H

#include "store/store.h"

#define EDGE__ROUTE_ID_DIGITS 8
#define EDGE__DEFAULT_PRIORITY 5 /* what priority 0 means */

typedef struct edge__store_ops {
    const char *name; /* "sqlite", for log lines */
    void (*close)(edge_store *st);
    int (*schema_version)(edge_store *st);

    int (*chat_start)(edge_store *st, const edge_chat_start *in, int64_t now_ms,
                      edge_contact *contact, edge_participant *customer, int *resumed);
    int (*chat_open)(edge_store *st, const char *sub, int64_t now_ms, edge_open_chat *out);
    int (*call_start)(edge_store *st, const edge_call_start *in, int64_t now_ms,
                      edge_contact *contact, edge_participant *customer);
    int (*contact_get)(edge_store *st, const char *contact_id, edge_contact *out);
    int (*contact_ring)(edge_store *st, const char *contact_id, const char *agent_sub,
                        int64_t now_ms);
    int (*contact_accept)(edge_store *st, const char *contact_id, const char *agent_sub,
                          const char *agent_name, int64_t now_ms, edge_participant *agent);
    int (*contact_requeue)(edge_store *st, const char *contact_id, const char *agent_sub,
                           int64_t now_ms);
    int (*contact_end)(edge_store *st, const char *contact_id, const char *reason, int64_t now_ms);
    int (*queue_list)(edge_store *st, const char *queue, edge_contact *out, size_t cap,
                      size_t *count);
    int (*queue_customers)(edge_store *st, const char *queue, edge_queue_entry *out, size_t cap,
                           size_t *count);
    int (*queue_depth)(edge_store *st, const char *queue, size_t *count);
    int (*queues_waiting)(edge_store *st, char (*out)[EDGE_STORE_TEXT_MAX], size_t cap,
                          size_t *count);
    int (*queue_told)(edge_store *st, const edge_queue_told *in, size_t n, int64_t now_ms);
    int (*queue_fallback)(edge_store *st, const char *prefix, int64_t created_before_ms,
                          int64_t now_ms, size_t *moved);
    int (*calls_waiting_since)(edge_store *st, int64_t created_before_ms, edge_contact *out,
                               size_t cap, size_t *count);
    int (*call_next_queued)(edge_store *st, const char *queue, edge_contact *out);
    int (*calls_ringing_since)(edge_store *st, int64_t rung_before_ms, edge_contact *out,
                               size_t cap, size_t *count);
    int (*agent_contacts)(edge_store *st, const char *agent_sub, edge_contact *out, size_t cap,
                          size_t *count);

    int (*participant_get)(edge_store *st, const char *participant_id, edge_participant *out);
    int (*participants_of)(edge_store *st, const char *contact_id, edge_participant *out,
                           size_t cap, size_t *count);

    int (*message_add)(edge_store *st, const char *participant_id, const char *content_type,
                       const char *content, int64_t max_count, int64_t now_ms, edge_message *out);
    int (*message_send)(edge_store *st, const edge_message_send *in, int64_t now_ms,
                        edge_message *out, edge_event *events, size_t cap, size_t *count,
                        int *replayed);
    int (*transcript)(edge_store *st, const char *contact_id, int64_t after_seq, edge_message *out,
                      size_t cap, size_t *count, int *more);
    int (*note_add)(edge_store *st, const char *contact_id, const char *agent_sub,
                    const char *agent_name, const char *content, int64_t max_count,
                    int64_t now_ms, edge_note *out);
    int (*notes)(edge_store *st, const char *contact_id, const char *agent_sub, edge_note *out,
                 size_t cap, size_t *count);

    int (*contact_transfer)(edge_store *st, const char *contact_id, const char *from_agent_sub,
                            const char *to_queue, int64_t now_ms);
    int (*agents_available_list)(edge_store *st, edge_agent_entry *out, size_t cap,
                                 size_t *count);
    int (*disposition_set)(edge_store *st, const char *contact_id, const char *agent_sub,
                           const char *code, int64_t now_ms);
    int (*disposition_get)(edge_store *st, const char *contact_id, const char *agent_sub,
                           char code[EDGE_STORE_TEXT_MAX]);
    int (*canned_add)(edge_store *st, const char *agent_sub, const char *title,
                      const char *content, int64_t max_count, int64_t now_ms, edge_canned *out);
    int (*canned_list)(edge_store *st, const char *agent_sub, edge_canned *out, size_t cap,
                       size_t *count);
    int (*canned_delete)(edge_store *st, const char *agent_sub, const char *id);
    int (*contact_rate)(edge_store *st, const char *contact_id, int score, const char *comment,
                        int64_t now_ms);

    int (*events_add)(edge_store *st, const edge_event_in *in, size_t n, int64_t now_ms,
                      int64_t *ids);
    int (*events_since)(edge_store *st, const char *participant_id, int64_t after_id,
                        edge_event *out, size_t cap, size_t *count);

    int (*agent_set_status)(edge_store *st, const char *agent_sub, const char *name, int status,
                            int64_t now_ms);
    int (*agents_available)(edge_store *st, int *count);
    int (*agent_pick_idle)(edge_store *st, const char *exclude_sub,
                           char out_sub[EDGE_STORE_TEXT_MAX]);

    int (*purge_ended)(edge_store *st, int64_t ended_before_ms, size_t max_contacts,
                       size_t *purged);
    int (*prune_unbound_events)(edge_store *st, int64_t before_ms, size_t max, size_t *pruned);
    int (*agent_presence)(edge_store *st, const char *agent_sub, int streaming, int64_t now_ms);
    int (*agents_away_since)(edge_store *st, int64_t away_before_ms, edge_agent_row *out,
                             size_t cap, size_t *count);
    int (*agent_expire)(edge_store *st, const char *agent_sub, int64_t away_before_ms,
                        int64_t now_ms);
    int (*agents_listening)(edge_store *st, edge_agent_row *out, size_t cap, size_t *count);
    int (*participant_presence)(edge_store *st, const char *participant_id, int streaming,
                                int64_t now_ms);
    int (*calls_caller_gone)(edge_store *st, int64_t away_before_ms, edge_contact *out,
                             size_t cap, size_t *count);
    int (*presence_reset)(edge_store *st, int64_t now_ms);
    int (*agent_get)(edge_store *st, const char *agent_sub, edge_agent_row *out);
    int (*events_last_id)(edge_store *st, const char *participant_id, int64_t *id);
    int (*agent_open_contacts)(edge_store *st, const char *agent_sub, edge_contact *out,
                               size_t cap, size_t *count);

    int (*route_create)(edge_store *st, const char *agent_sub, const char *attendee_email,
                        const char *queue, int64_t now_ms, int64_t expires_ms,
                        edge_adhoc_route *out);
    int (*route_redeem)(edge_store *st, const char *route_id, const char *email,
                        const char *contact_id, int64_t now_ms, edge_adhoc_route *out);

    int (*limit_take)(edge_store *st, const char *key, uint32_t max, int64_t window_ms,
                      int64_t now_ms, int64_t *retry_after_ms);
} edge__store_ops;

struct edge_store {
    const edge__store_ops *ops; /* never NULL; the backend's static table */
};

/* A fresh random id: 32 lowercase hex digits (128 bits from getrandom(2)).
 * Returns 0, or EDGE_STORE_EINTERNAL after logging why. */
int edge__store_new_id(char out[EDGE_STORE_ID_MAX]);
/* A fresh random route id: EDGE__ROUTE_ID_DIGITS decimal digits, leading
 * zeros kept, uniformly distributed. Returns 0 or EDGE_STORE_EINTERNAL. */
int edge__store_new_route_id(char out[16]);
/* 1 when a and b are equal ignoring ASCII case (emails), else 0. */
int edge__store_email_equal(const char *a, const char *b);

#endif
