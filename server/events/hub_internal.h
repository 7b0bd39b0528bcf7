/* hub_internal.h - what the hub's two files share (events/ only).
 *
 * hub.c keeps the subscribers (streams, replay, heartbeats, presence);
 * hub_publish.c stores events through the asynchronous store and hands the
 * committed ones back to hub.c for delivery. */
#ifndef EDGE_HUB_INTERNAL_H
#define EDGE_HUB_INTERNAL_H

#include "events/hub.h"

/* How long the hub gives the store for one step (a page, a publish). */
#define EDGE__HUB_STORE_TIMEOUT_MS 5000

typedef struct edge__hub_pub edge__hub_pub;

/* The hub's store, options and the publishes in flight (owned by
 * hub_publish.c: a doubly linked list, cancelled by edge_hub_destroy). */
edge_store_async *edge__hub_store(const edge_hub *hub);
int edge__hub_live_from_feed(const edge_hub *hub);
edge__hub_pub **edge__hub_pubs(edge_hub *hub);

/* Write one committed event to participant_id's open streams on this node:
 * streams still replaying only note that they missed one; streams already
 * sent id skip it. A stream whose write fails closes (and is freed). */
void edge__hub_push_one(edge_hub *hub, const char *participant_id, const char *type,
                        const char *data_json, int64_t id);

/* Cancel every publish still in flight and free it (edge_hub_destroy). */
void edge__hub_cancel_pubs(edge_hub *hub);

#endif
