/* store_redis_internal.h - what the Redis store's files share: the store
 * itself, its scripts, one in-flight op (a request), and reading replies.
 *
 * Every op is one script run: edge__rs_run sends EVALSHA with ARGV[1] the
 * key prefix and ARGV[2] the call's now_ms, then the op's own arguments
 * from ARGV[3]. Every script answers an array whose first element is an
 * integer rc (0 or a negative EDGE_STORE_E* code) followed by the op's
 * payload; the request's parse function turns that into the op's results.
 * A connection error becomes EDGE_STORE_EUNAVAILABLE, a missed deadline
 * EDGE_STORE_ETIMEDOUT, an error reply EDGE_STORE_EINTERNAL (logged). */
#ifndef EDGE_STORE_REDIS_INTERNAL_H
#define EDGE_STORE_REDIS_INTERNAL_H

#include <hiredis/hiredis.h>
#include <stddef.h>
#include <stdint.h>

#include "redis/redis_conn.h"
#include "store/store_async.h"

/* The scripts, one per op (store_redis_lua.c). */
typedef enum edge__rs_script {
    RS_CHAT_START,
    RS_CALL_START,
    RS_CONTACT_GET,
    RS_CONTACT_RING,
    RS_CONTACT_ACCEPT,
    RS_CONTACT_REQUEUE,
    RS_CONTACT_END,
    RS_QUEUE_LIST,
    RS_QUEUE_DEPTH,
    RS_PARTICIPANT_GET,
    RS_PARTICIPANTS_OF,
    RS_MESSAGE_SEND,
    RS_TRANSCRIPT,
    RS_EVENTS_ADD,
    RS_EVENTS_SINCE,
    RS_EVENTS_LAST_ID,
    RS_AGENT_SET_STATUS,
    RS_AGENTS_AVAILABLE,
    RS_AGENT_PICK,
    RS_AGENT_CONTACTS,
    RS_ROUTE_CREATE,
    RS_ROUTE_REDEEM,
    RS_LIMIT_TAKE,
    RS_QUEUE_CUSTOMERS,
    RS_QUEUES_WAITING,
    RS_QUEUE_TOLD,
    RS_QUEUE_FALLBACK,
    RS_CALLS_SCAN,
    RS_CALL_NEXT_QUEUED,
    RS_AGENT_GET,
    RS_AGENT_PRESENCE,
    RS_AGENTS_SCAN,
    RS_AGENT_EXPIRE,
    RS_PARTICIPANT_PRESENCE,
    RS_PRESENCE_RESET,
    RS_NOTE_ADD,
    RS_NOTES,
    RS_PURGE_ENDED,
    RS_PRUNE_UNBOUND,
    RS_DISPOSITION_SET,
    RS_DISPOSITION_GET,
    RS_CANNED_ADD,
    RS_CANNED_LIST,
    RS_CANNED_DELETE,
    RS_CONTACT_RATE,
    RS_AGENTS_AVAILABLE_LIST,
    RS_CONTACT_TRANSFER,
    RS_SCRIPT_COUNT
} edge__rs_script;

/* The Lua text of script i (prelude included), static. */
const char *edge__rs_lua(edge__rs_script i);

typedef struct edge__rs {
    edge_store_async base; /* first: the interface (base.ops = &ops) */
    edge_store_async_ops ops;
    edge_redis *conn;
    char prefix[64];
    char node[64]; /* this node's name in the presence sets */
    edge_redis_script scripts[RS_SCRIPT_COUNT];
} edge__rs;

typedef struct edge__rs_req edge__rs_req;
/* Turn a script's answer into results: code is its rc, reply the whole
 * array (element 0 is the rc). Returns the op's final rc; on a nonzero
 * return the outputs must be left empty. */
typedef int (*edge__rs_parse_fn)(edge__rs_req *q, int code, const redisReply *reply);

#define EDGE__RS_OUTS 6
struct edge__rs_req {
    edge_redis_cmd cmd; /* the connection's */
    edge__rs *rs;
    edge_store_call *call;    /* the caller's */
    edge__rs_parse_fn parse;  /* NULL: the rc alone */
    void *out[EDGE__RS_OUTS]; /* the op's result pointers */
    size_t cap;               /* a list op's capacity */
    char *own[2];             /* owned copies the op needs until done, or NULL */
    size_t own_count;         /* a count for an op whose caller has none (one row) */
};

/* A request for op call c, or NULL after completing c with
 * EDGE_STORE_EINTERNAL (out of memory). */
edge__rs_req *edge__rs_req_new(edge__rs *rs, edge_store_call *c, edge__rs_parse_fn parse);

/* Free q and what it owns (without completing anything). */
void edge__rs_req_free(edge__rs_req *q);

/* Run script with args argv[0..argc) (after the prefix and now), lengths
 * NULL = strlen. Completes q's call exactly once (maybe inside) and frees
 * q; argv is copied before it returns. */
void edge__rs_run(edge__rs_req *q, edge__rs_script script, int argc, const char **argv,
                  const size_t *lens);

/* GET <prefix>key (a key name of at most ~190 bytes) without a script:
 * parse (not NULL) reads the string reply, called with code 0; a missing
 * key completes q's call with ENOTFOUND. Completes exactly once, frees q.
 * For a read that needs no consistency beyond one key (chat_open). */
void edge__rs_get(edge__rs_req *q, const char *key);

/* ---- reading replies ---- */

/* Element i of an array reply as a string ("" when absent or not one). */
const char *edge__rs_str(const redisReply *r, size_t i);
/* Element i as an integer (an integer reply or a decimal string), else 0. */
int64_t edge__rs_int(const redisReply *r, size_t i);
/* Element i, when r is an array that has it, else NULL. */
const redisReply *edge__rs_at(const redisReply *r, size_t i);

/* A contact from HGETALL pairs: 0 or EDGE_STORE_EINTERNAL (out empty). */
int edge__rs_contact(const redisReply *pairs, edge_contact *out);
/* A participant from HGETALL pairs: 0, or ENOTFOUND when empty. */
int edge__rs_participant(const redisReply *pairs, edge_participant *out);
/* A list of contacts from an array of HGETALL answers into out (at most
 * cap), *count filled; on failure none is left. */
int edge__rs_contacts(const redisReply *list, edge_contact *out, size_t cap, size_t *count);

/* Run a script whose answer parse reads into out[0..cap) and *count
 * (q->out[0], q->out[1], q->cap); cap 0 completes c at once with 0 and
 * nothing read. Completes c. */
void edge__rs_run_list(edge__rs *rs, edge_store_call *c, edge__rs_script script,
                       edge__rs_parse_fn parse, int argc, const char **argv, void *out, size_t cap,
                       size_t *count);
/* Run a script answering {0, [contact pairs...]} into out (cap > 0, else
 * done at once with 0 and nothing read); completes c. */
void edge__rs_run_contacts(edge__rs *rs, edge_store_call *c, edge__rs_script script, int argc,
                           const char **argv, edge_contact *out, size_t cap, size_t *count);
/* A parse for {0, n} into the size_t at out[0]. */
int edge__rs_parse_size(edge__rs_req *q, int code, const redisReply *r);

/* The validation store.c does, shared (store/store_check.h). */
#include "store/store_check.h"

/* Ops by file (each fills its part of the table). */
void edge__rs_contact_ops(edge_store_async_ops *ops);
void edge__rs_chat_ops(edge_store_async_ops *ops);
void edge__rs_agent_ops(edge_store_async_ops *ops);
void edge__rs_queue_ops(edge_store_async_ops *ops);
void edge__rs_presence_ops(edge_store_async_ops *ops);
void edge__rs_wrapup_ops(edge_store_async_ops *ops);
void edge__rs_canned_ops(edge_store_async_ops *ops);
void edge__rs_rating_ops(edge_store_async_ops *ops);
void edge__rs_transfer_ops(edge_store_async_ops *ops);
void edge__rs_retention_ops(edge_store_async_ops *ops);

#endif
