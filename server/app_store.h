/* app_store.h - which state store the app runs on, and the wiring a shared
 * store needs.
 *
 * Without --store the state lives in SQLite in --data, owned by this one
 * process (the --data lock, then the database opened as its only writer,
 * behind the asynchronous interface). With --store redis://HOST:PORT[/DB]
 * several nodes share one Redis: no SQLite, no --data lock (the nodes may
 * share the directory for its key files), the Redis backend of the
 * asynchronous store, and a fan-out tail (redis/redis_feed.h) that hands
 * every node's events to this node's hub (events/hub.h, live_from_feed).
 * Internal to the app (server/app.c); not a layer of its own. */
#ifndef EDGE_APP_STORE_H
#define EDGE_APP_STORE_H

#include <stddef.h>

#include "app.h"

/* How long the start waits for Redis to answer a PING before giving up
 * (exit 2): the loop runs until then, nothing is served yet. */
#define EDGE_APP_STORE_PROBE_MS 2000

/* Open app->astore (and app->store for SQLite) as app->cfg says. Redis:
 * the URL is parsed, a PING must be answered within
 * EDGE_APP_STORE_PROBE_MS (the loop runs meanwhile), then the store is
 * opened with app_store's state hook (c2c_store_up; a lost connection ends
 * the hub's streams). Returns 0, or -1 with one line in err. */
int edge__app_store_open(edge_app *app, char *err, size_t errlen);

/* With a shared store, open the fan-out tail that delivers every node's
 * events to app->hub (call once the hub exists); nothing for SQLite.
 * Returns 0, or -1 with one line in err. */
int edge__app_store_tail(edge_app *app, char *err, size_t errlen);

/* Is the shared store in use (the hub takes its live events from the
 * tail, the provider shares its state with other nodes)? */
int edge__app_store_shared(const edge_app *app);

/* With a shared store, once the server has stopped (no connection is
 * left): close the tail (no event reaches the hub after this), destroy the
 * provider (its jobs are cancelled) and close the store, so that the loop
 * has nothing of theirs left and returns. Nothing for SQLite (closed by
 * edge_app_free after the loop). Safe to call twice. */
void edge__app_store_stop(edge_app *app);

#endif
