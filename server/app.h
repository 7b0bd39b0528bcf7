/* app.h - the edge application: everything one running server owns.
 *
 * main.c builds exactly one edge_app, so nothing in the server is
 * process-global. Route handlers do not see it: they get the app's narrow
 * edge_api_ctx (api/api_ctx.h: config, auth, provider, router, metrics). */
#ifndef EDGE_APP_H
#define EDGE_APP_H

#include <uv.h>

#include "api/api_ctx.h"
#include "auth/auth.h"
#include "auth/participant_token.h"
#include "config/config.h"
#include "http/router.h"
#include "net/server.h"
#include "ops/access_log.h"
#include "ops/metrics.h"
#include "provider/provider.h"
#include "redis/redis_url.h"
#include "static/static_handler.h"
#include "store/data_lock.h"
#include "store/store.h"

struct edge_hub;
struct edge_sip_bridge;
struct edge_redis_feed;

typedef struct edge_app {
    uv_loop_t *loop;
    const edge_config *cfg; /* borrowed from main */
    edge_server server;
    edge_auth *auth;        /* owned */
    struct edge_tls *tls;   /* owned; NULL without --tls-cert */
    edge_static *statics;   /* owned */
    edge_metrics metrics;
    edge_access_log log;
    edge_router router;
    edge_data_lock data_lock;   /* SQLite: held for the app's life: this process owns --data */
    edge_store *store;          /* owned: all contact-center state (SQLite); NULL with Redis */
    struct edge_store_async *astore; /* owned: the store behind the asynchronous interface */
    int shared_store;           /* --store redis://: state shared with other nodes */
    int store_up;               /* the store answers (c2c_store_up); Redis: connected */
    edge_redis_addr redis_addr; /* --store's address, when shared_store */
    struct edge_redis_feed *feed; /* owned or NULL: the fan-out tail (shared store only) */
    edge_ptoken_key ptoken_key; /* secret for ParticipantTokens */
    edge_agent_lists agent_lists; /* --dispositions and --canned, lent to the provider */
    struct edge_hub *hub;       /* owned: live events */
    edge_provider *provider;    /* owned: the contact center (local) */
    struct edge_sip_bridge *sip; /* owned or NULL: calls to --sip-route numbers (sip/) */
    edge_api_ctx api;           /* what route handlers get (points into this app) */
    uv_timer_t tick;            /* calls the provider's housekeeping once a second */
    int tick_open;              /* the tick timer needs closing */
    void (*on_stopped)(struct edge_app *app);
} edge_app;

/* Load keys, open the file cache, register routes and start listening.
 * Returns 0, or -1 with one line in err (then edge_app_free cleans up). */
int edge_app_start(edge_app *app, uv_loop_t *loop, const edge_config *cfg, char *err,
                   size_t errlen);

/* Everything edge_app_start does except listening: keys, file cache,
 * contact center and routes. For tests and fuzzers (tests/fuzz/) that hand
 * requests to edge_app_handle without sockets. Returns 0, or -1 with one
 * line in err. Either way the app is torn down like a failed start:
 * edge_app_abort, run the loop until it returns, edge_app_free. */
int edge_app_init(edge_app *app, uv_loop_t *loop, const edge_config *cfg, char *err,
                  size_t errlen);

/* After a failed edge_app_start: close every handle it opened. The caller
 * then runs the loop until it returns, and calls edge_app_free. */
void edge_app_abort(edge_app *app);

/* Graceful stop (SIGTERM/SIGINT); on_stopped fires when every connection and
 * handle the app owns has closed, after which uv_run returns. */
void edge_app_stop(edge_app *app, void (*on_stopped)(edge_app *app));

/* SIGHUP: reload the JWKS file and the TLS certificates. Logs the outcome
 * on stderr; whatever fails to load keeps its old version in force. */
void edge_app_reload(edge_app *app);

/* Free what is left after the loop has ended. */
void edge_app_free(edge_app *app);

/* The request dispatcher: CORS preflight, routes, then static files. */
void edge_app_handle(void *app, const edge_request *req, edge_response *res);

#endif
