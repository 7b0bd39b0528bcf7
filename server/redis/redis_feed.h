/* redis_feed.h - participant event feeds in Redis, shared by every node.
 *
 * The multi-node form of the hub's storage (events/hub.h): each feed (a
 * participant id, or an agent's feed id) is a Redis Stream
 * `<prefix>feed:<feed id>` whose entry ids are `<n>-0`, n taken from one
 * counter `<prefix>seq` (INCR), so event ids stay plain growing integers
 * across nodes, exactly like the SQLite store's, and a Last-Event-ID from
 * one node means the same on any other. A batch is published by one Lua
 * script, all or none: each event is appended to its feed and to the
 * fan-out stream `<prefix>fanout` (capped near fanout_max entries).
 *
 * Every node tails the fan-out stream on a connection of its own (XREAD
 * BLOCK), so pushing an event to the streams a node holds costs one read
 * per batch of events for the whole node, not a round trip per event per
 * stream; after a reconnect it resumes from the last fan-out entry it saw,
 * so a blip loses nothing the cap still holds. Replay after a
 * Last-Event-ID reads the feed's own stream (XRANGE with an exclusive
 * start). The caller merges the two by id: subscribe first, replay, then
 * drop live events at or below the last replayed id.
 *
 * All calls are asynchronous on the loop (redis_conn.h): each completes
 * exactly once through its callback, unless cancelled. */
#ifndef EDGE_REDIS_FEED_H
#define EDGE_REDIS_FEED_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "redis/redis_conn.h"

typedef struct edge_redis_feed edge_redis_feed;

/* The Lua function that appends one event, for scripts of other layers
 * that must publish events in the same atomic step as their own writes
 * (the Redis store's message_send): feed_append(seq key, fan-out key,
 * fan-out cap, feed key, feed id, contact id, type, data, at)
 * returns the new id. */
#define EDGE_REDIS_FEED_APPEND_LUA                                                                 \
    "local function feed_append(seq, fanout, cap, fkey, feed, c, t, d, at)\n"                      \
    "  local id = redis.call('INCR', seq)\n"                                                       \
    "  redis.call('XADD', fkey, id .. '-0', 'c', c, 't', t, 'd', d, 'at', at)\n"                   \
    "  redis.call('XADD', fanout, 'MAXLEN', '~', cap, '*', 'i', id, 'f', feed,\n"                  \
    "             'c', c, 't', t, 'd', d, 'at', at)\n"                                             \
    "  return id\n"                                                                                \
    "end\n"

/* An event as it is published (strings borrowed for the call). */
typedef struct edge_redis_event_in {
    const char *feed_id;
    const char *contact_id; /* may be "" */
    const char *type;
    const char *data_json;
} edge_redis_event_in;

/* An event as read back (strings valid during the callback only). */
typedef struct edge_redis_event {
    int64_t id;
    const char *feed_id;
    const char *contact_id;
    const char *type;
    const char *data_json;
    int64_t created_ms;
} edge_redis_event;

/* Every event published by any node, in fan-out order, on the loop. */
typedef void (*edge_redis_live_fn)(void *ctx, const edge_redis_event *ev);

typedef struct edge_redis_feed_options {
    const char *prefix;      /* key prefix (default "c2c:"), copied */
    unsigned fanout_max;     /* approximate cap of the fan-out stream (default 100000) */
    unsigned block_ms;       /* XREAD BLOCK of the tail (default 1000) */
    edge_redis_live_fn live; /* NULL: this node does not tail */
    void *live_ctx;
    edge_redis_state_fn on_state; /* the command connection's up/down */
    void *state_opaque;
} edge_redis_feed_options;

/* Open the feeds on two connections to addr (commands, tail). NULL when
 * out of memory. */
edge_redis_feed *edge_redis_feed_open(uv_loop_t *loop, const edge_redis_addr *addr,
                                      const edge_redis_feed_options *options);

/* Close both connections; calls in flight complete with EDGE_REDIS_EDOWN;
 * no live event is delivered after it returns. */
void edge_redis_feed_close(edge_redis_feed *f);

/* ---- publishing ---- */
typedef struct edge_redis_publish edge_redis_publish;
/* rc 0: ids[0..n) hold the new ids (the caller's array given at start). */
typedef void (*edge_redis_publish_fn)(edge_redis_publish *call, int rc);
struct edge_redis_publish {
    edge_redis_publish_fn done; /* the caller's */
    void *opaque;               /* the caller's */
    int64_t *ids;               /* the caller's: n of them, written before done */
    size_t n;
    edge_redis_cmd cmd; /* the feed's */
};

/* Append n (1..256) events at now_ms, all or none; done fires once (maybe
 * inside, with EDGE_REDIS_EDOWN when Redis is down). 0, or
 * EDGE_REDIS_EINVAL / ENOMEM without firing. */
int edge_redis_feed_publish(edge_redis_feed *f, edge_redis_publish *call,
                            const edge_redis_event_in *events, size_t n, int64_t now_ms,
                            unsigned timeout_ms);
void edge_redis_feed_publish_cancel(edge_redis_feed *f, edge_redis_publish *call);

/* ---- replay ---- */
typedef struct edge_redis_replay edge_redis_replay;
/* Each event in ascending order, then done with rc (0: *more says whether
 * events beyond cap remain). */
typedef void (*edge_redis_replay_event_fn)(edge_redis_replay *call, const edge_redis_event *ev);
typedef void (*edge_redis_replay_fn)(edge_redis_replay *call, int rc, int more);
struct edge_redis_replay {
    edge_redis_replay_event_fn event; /* the caller's */
    edge_redis_replay_fn done;        /* the caller's */
    void *opaque;                     /* the caller's */
    char feed_id[128];                /* the feed's */
    edge_redis_cmd cmd;               /* the feed's */
};

/* Events of feed_id with id > after_id, at most cap (1..1000). */
int edge_redis_feed_replay(edge_redis_feed *f, edge_redis_replay *call, const char *feed_id,
                           int64_t after_id, unsigned cap, unsigned timeout_ms);
void edge_redis_feed_replay_cancel(edge_redis_feed *f, edge_redis_replay *call);

#endif
