/* store_redis.h - the state store on Redis, shared by every edge node.
 *
 * The Redis backend of the asynchronous store interface
 * (store/store_async.h): every op is one EVALSHA of a Lua script on one
 * self-healing connection (redis/redis_conn.h), so each rule store.h
 * calls atomic (one open chat per identity, one winner of an accept, one
 * redeem of a reference code, picking an idle agent and ringing them, the
 * message cap, ClientToken idempotency, rate-limit windows) holds across
 * nodes, and each op costs one round trip. Events go to the streams of
 * redis/redis_feed.h (same keys, same id counter), so a node's feed tail
 * and replay read what this store writes. Data model and reasoning:
 * docs/architecture.md, "The Redis store".
 *
 * Ops complete on a later loop turn (or inside the start call with
 * EDGE_STORE_EUNAVAILABLE when Redis is down, or EDGE_STORE_ETIMEDOUT when
 * the deadline has already passed). The server runs on it with
 * --store redis://HOST:PORT[/DB] (server/app_store.c). */
#ifndef EDGE_STORE_REDIS_H
#define EDGE_STORE_REDIS_H

#include <uv.h>

#include "redis/redis_conn.h"
#include "redis/redis_url.h"
#include "store/store_async.h"

typedef struct edge_store_redis_options {
    const char *prefix;           /* key prefix, copied (default "c2c:", as redis_feed's) */
    const char *node; /* this node's name, unique among the nodes and the same across its
                         restarts (presence is counted per node), copied, at most 63 bytes
                         (default "node") */
    edge_redis_state_fn on_state; /* the connection's up/down, may be NULL */
    void *state_opaque;
} edge_store_redis_options;

/* Start the store on loop, connecting to addr (options may be NULL). The
 * result is closed with edge_store_async_close: ops in flight complete with
 * EDGE_STORE_EUNAVAILABLE. NULL when out of memory. */
edge_store_async *edge_store_redis_open(uv_loop_t *loop, const edge_redis_addr *addr,
                                        const edge_store_redis_options *options);

#endif
