/* hub.h - live events for participants: persisted first, then pushed.
 *
 * Every event (a message, typing, queue position, call state, DTMF,
 * signaling, the end of a contact) is first appended to the store, which
 * gives it its id, and only then written to the participant's open
 * Server-Sent Events streams. A client that reconnects with Last-Event-ID
 * (to this node or any other sharing the store) is replayed everything
 * after that id from the store, then continues live, so nothing is lost
 * and nothing is sent twice.
 *
 * The hub runs on the asynchronous store (store/store_async.h): publishing
 * starts events_add and returns; the events are delivered when the store
 * has committed them. Two delivery modes (edge_hub_options.live_from_feed):
 * - 0 (one node, SQLite): the hub delivers each committed event itself.
 * - 1 (several nodes, Redis): the hub delivers nothing it publishes; every
 *   node tails the shared fan-out stream and hands each event to
 *   edge_hub_deliver, so an event published on node A reaches streams held
 *   by node C, and by A itself, the same way.
 *
 * Streams are owned by their connections (http/stream.h); the hub only
 * keeps a small subscriber record per stream (no replay buffer while the
 * stream is idle), dropped when the stream closes. A feed (a participant
 * id, or an agent's feed id) has at most max_per_feed streams open: one
 * more ends the oldest (terminating chunk). The presence hook hears when a
 * feed's first stream opens and its last one closes, which is how the
 * provider knows who is online. Heartbeat comments keep proxies from
 * closing idle streams; a client too slow to take its events is
 * disconnected by the transport's bound. */
#ifndef EDGE_HUB_H
#define EDGE_HUB_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "http/response.h"
#include "store/store_async.h"

typedef struct edge_hub edge_hub;

typedef struct edge_hub_options {
    uint64_t heartbeat_ms; /* interval of ": heartbeat" comments on every stream */
    size_t max_queued;     /* a stream's bound of unsent bytes (http/stream.h) */
    size_t max_per_feed;   /* streams one feed may hold open (0 = no limit) */
    int live_from_feed;    /* 1: only edge_hub_deliver writes live events (see above) */
} edge_hub_options;

/* A hub on store (borrowed: it must outlive the hub, or be closed after
 * edge_hub_destroy). Options are copied. Never NULL (out of memory
 * aborts). */
edge_hub *edge_hub_create(uv_loop_t *loop, edge_store_async *store, const edge_hub_options *o);

/* Called when the first stream of a feed served with a tag opens
 * (streaming = 1) and when its last one closes (0), with the tag given to
 * edge_hub_serve and the wall-clock time. It may publish events. */
typedef void (*edge_hub_presence_fn)(void *ctx, const char *feed_id, const char *tag, int streaming,
                                     int64_t now_ms);
/* Install the presence hook (one; ctx borrowed). */
void edge_hub_on_presence(edge_hub *hub, edge_hub_presence_fn fn, void *ctx);

/* Whose stream edge_hub_serve opens. */
typedef struct edge_hub_feed {
    const char *id;  /* the events' participant id (a participant's, or an agent's feed) */
    const char *tag; /* NULL = no presence reports; else up to EDGE_STORE_TEXT_MAX bytes */
} edge_hub_feed;

/* Close the hub's timers and cancel the publishes still in flight (their
 * events may or may not be stored; nothing is delivered); the hub is freed
 * in the timers' close callbacks (presence reports still pending are
 * dropped: the next start marks everyone away). Call after the server has
 * stopped (no streams are open any more). */
void edge_hub_destroy(edge_hub *hub);

/* Store an event, then deliver it to participant_id's open streams (see
 * the delivery modes above). The arguments are copied. Returns 0 when
 * started (a failure known later is logged, and nothing is delivered), or
 * a negative EDGE_STORE_E* code when the store answered at once with an
 * error (the SQLite store always answers at once). *id (id may be NULL) is
 * the event's id when the store answered at once, else 0. */
int edge_hub_publish(edge_hub *hub, const char *participant_id, const char *contact_id,
                     const char *type, const char *data_json, int64_t now_ms, int64_t *id);

/* Store n events in one step (all or none, events_add), then deliver each
 * to its participant's open streams. Copies the events; 0 when started (or
 * n == 0), or a negative EDGE_STORE_E* code known at once, as
 * edge_hub_publish. */
int edge_hub_publish_many(edge_hub *hub, const edge_event_in *events, size_t n, int64_t now_ms);

/* Deliver n events that the store has already committed (e.g. by
 * message_send, which stores a message and its events in one step) to
 * their participants' open streams; nothing when live_from_feed (the feed
 * tail delivers them). Nothing is stored; events stay the caller's. */
void edge_hub_push(edge_hub *hub, const edge_event *events, size_t n);

/* Deliver one committed event from the shared fan-out tail (every node's
 * tail hands every event here) to its participant's open streams on this
 * node. Streams still replaying skip it and read it from the store;
 * streams already sent it (replayed) drop it. ev stays the caller's. */
void edge_hub_deliver(edge_hub *hub, const edge_event *ev);

/* The shared store was lost: end every open stream (terminating chunk), so
 * that the clients reconnect with Last-Event-ID, to be replayed what they
 * missed once the store is back. Replay pages in flight are cancelled. */
void edge_hub_store_lost(edge_hub *hub);

/* Answer res with feed->id's event stream: the events after
 * last_event_id (0 = all) from the store, then live ones. The strings in
 * feed are copied. When the store is unreachable at once (the first replay
 * page fails with EDGE_STORE_EUNAVAILABLE or ETIMEDOUT before the response
 * has started), res is 503 store_unavailable with Retry-After: 1; when it
 * fails later, the stream is ended (the client reconnects). */
void edge_hub_serve(edge_hub *hub, const edge_hub_feed *feed, int64_t last_event_id,
                    edge_response *res);

/* Open streams right now (for metrics and tests). */
size_t edge_hub_stream_count(const edge_hub *hub);

#endif
