/* hub.h - live events for participants: persisted first, then pushed.
 *
 * Every event (a message, typing, queue position, call state, DTMF,
 * signaling, the end of a contact) is first appended to the store, which
 * gives it its id, and only then written to the participant's open
 * Server-Sent Events streams on this node. A client that reconnects with
 * Last-Event-ID is replayed everything after that id from the store, then
 * continues live, so nothing is lost and nothing is sent twice. (With
 * several nodes, the shared store's pub/sub will carry the push part; the
 * replay rule stays the same.)
 *
 * Streams are owned by their connections (http/stream.h); the hub only
 * keeps a subscriber record per stream, dropped when the stream closes.
 * A feed (a participant id, or an agent's feed id) has at most
 * max_per_feed streams open: one more ends the oldest (terminating
 * chunk). The presence hook hears when a feed's first stream opens and
 * its last one closes, which is how the provider knows who is online.
 * Heartbeat comments keep proxies from closing idle streams; a client too
 * slow to take its events is disconnected by the transport's bound. */
#ifndef EDGE_HUB_H
#define EDGE_HUB_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "http/response.h"
#include "store/store.h"
#include "store/store_async.h"

typedef struct edge_hub edge_hub;

/* TEMPORARY on branch rcluster: the contract's signatures (issue 12) over
 * the synchronous hub, so that the node wiring (app.c) compiles before the
 * asynchronous hub of branch rhub lands. At merge take rhub's hub.h and
 * hub.c whole. Here the store must complete inside the start call (the
 * SQLite adapter). */
typedef struct edge_hub_options {
    uint64_t heartbeat_ms; /* interval of ": heartbeat" comments on every stream */
    size_t max_queued;     /* unsent bytes before a stream's client is dropped */
    size_t max_per_feed;   /* streams one feed may hold open (0 = no limit) */
    int live_from_feed;    /* 1: only edge_hub_deliver writes live events (a shared store) */
} edge_hub_options;

/* store (borrowed) holds the events; o is copied. */
edge_hub *edge_hub_create(uv_loop_t *loop, edge_store_async *store, const edge_hub_options *o);

/* An event committed by any node (the shared store's fan-out tail): to
 * this node's open streams of its feed. ev stays the caller's. */
void edge_hub_deliver(edge_hub *hub, const edge_event *ev);

/* The shared store went away: end every open stream (its client
 * reconnects with Last-Event-ID). */
void edge_hub_store_lost(edge_hub *hub);

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
/* Close the hub's timers; the hub is freed in their close callbacks
 * (presence reports still pending are dropped: the next start marks
 * everyone away). Call after the server has stopped (no streams are open
 * any more). */
void edge_hub_destroy(edge_hub *hub);

/* Persist an event and deliver it to participant_id's open streams.
 * data_json is one JSON value. Returns 0 with *id set (id may be NULL), or
 * a negative EDGE_STORE_E* code (nothing was delivered). */
int edge_hub_publish(edge_hub *hub, const char *participant_id, const char *contact_id,
                     const char *type, const char *data_json, int64_t now_ms, int64_t *id);

/* Persist n events in one transaction (all or none, edge_store_events_add),
 * then deliver each to its participant's open streams. 0, or a negative
 * EDGE_STORE_E* code (nothing was delivered). */
int edge_hub_publish_many(edge_hub *hub, const edge_event_in *events, size_t n, int64_t now_ms);

/* Deliver n events that the store has already committed (e.g. by
 * edge_store_message_send, which stores a message and its events in one
 * transaction) to their participants' open streams. Nothing is stored;
 * events stay the caller's. */
void edge_hub_push(edge_hub *hub, const edge_event *events, size_t n);

/* Answer res with feed->id's event stream: the events after
 * last_event_id (0 = all) from the store, then live ones. The strings in
 * feed are copied. */
void edge_hub_serve(edge_hub *hub, const edge_hub_feed *feed, int64_t last_event_id,
                    edge_response *res);

/* Open streams right now (for metrics and tests). */
size_t edge_hub_stream_count(const edge_hub *hub);

#endif
