/* redis_timers.h - due-times that any node can claim, exactly once.
 *
 * Ringing, ring timeouts, no-agent timeouts and presence graces must fire
 * even when the node that set them is gone. Each timer is a member of one
 * sorted set `<prefix>due` scored by its due time (wall clock, ms): setting
 * one is ZADD (a later set of the same name moves it), cancelling ZREM.
 * Every node polls (its tick) with one script that takes the members due at
 * now, at most max, and removes them in the same step, so each due timer
 * goes to exactly one node; that node then acts on it. A node that dies
 * after claiming loses those firings: callers whose work must survive that
 * re-arm the timer before acting (set a retry due-time, then cancel it when
 * done), which makes the step at-least-once instead.
 *
 * Names are the caller's ("ring:<contact id>", ...), at most 200 bytes. All
 * calls are asynchronous (redis_conn.h): each completes exactly once
 * through its callback unless cancelled. */
#ifndef EDGE_REDIS_TIMERS_H
#define EDGE_REDIS_TIMERS_H

#include <stddef.h>
#include <stdint.h>

#include "redis/redis_conn.h"

typedef struct edge_redis_timers edge_redis_timers;

/* Fill *s with the claiming script; register it with the connection
 * (edge_redis_open's scripts) and keep it alive as long as both. */
void edge_redis_timers_script_init(edge_redis_script *s);

/* Timers on connection r (borrowed) with the registered claim script
 * (borrowed). prefix is copied (NULL: "c2c:"). NULL when out of memory. */
edge_redis_timers *edge_redis_timers_create(edge_redis *r, const edge_redis_script *claim,
                                            const char *prefix);
/* Free t; calls in flight must have completed or been cancelled. */
void edge_redis_timers_destroy(edge_redis_timers *t);

/* Set (or move) timer name to fire at due_ms; or cancel it. cmd->done
 * gets the rc (0, or a connection error). */
int edge_redis_timer_set(edge_redis_timers *t, edge_redis_cmd *cmd, const char *name,
                         int64_t due_ms, unsigned timeout_ms);
int edge_redis_timer_cancel(edge_redis_timers *t, edge_redis_cmd *cmd, const char *name,
                            unsigned timeout_ms);

/* Claim the timers due at now_ms (at most max, 1..1000, earliest first):
 * each name given to claimed once, in order, then done with rc. A name
 * claimed here is claimed by no other node. */
typedef struct edge_redis_claim edge_redis_claim;
struct edge_redis_claim {
    void (*claimed)(edge_redis_claim *c, const char *name, int64_t due_ms); /* the caller's */
    void (*done)(edge_redis_claim *c, int rc);                              /* the caller's */
    void *opaque;                                                           /* the caller's */
    edge_redis_cmd cmd;                                                     /* the timers' */
};
int edge_redis_timers_claim(edge_redis_timers *t, edge_redis_claim *c, int64_t now_ms, unsigned max,
                            unsigned timeout_ms);

#endif
