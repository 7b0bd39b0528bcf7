/* app_store.c - the app's state store: SQLite in --data for one node, or
 * Redis shared by several (see app_store.h). */
#include "app_store.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/errbuf.h"
#include "events/hub.h"
#include "redis/redis_conn.h"
#include "redis/redis_feed.h"
#include "redis/redis_url.h"
#include "store/store_async.h"
#include "store_redis/store_redis.h"

/* ---- SQLite: one node owns --data ------------------------------------- */

static int open_sqlite(edge_app *app, char *err, size_t errlen)
{
    if (edge_data_lock_take(&app->data_lock, app->cfg->data_dir, err, errlen) != 0)
        return -1;
    app->store = edge_store_open_sqlite_owned(app->cfg->data_dir, err, errlen);
    if (app->store == NULL)
        return -1;
    app->astore = edge_store_async_sqlite(app->store);
    if (app->astore == NULL)
        return edge_errf(err, errlen, "out of memory");
    app->store_up = 1; /* a file in --data: up as long as the process is */
    return 0;
}

/* ---- Redis: is anybody there? ------------------------------------------ */

typedef struct store_probe {
    edge_redis_cmd cmd;
    int done;
    int rc;
} store_probe;

static void probe_done(edge_redis_cmd *cmd, int rc, const redisReply *reply)
{
    store_probe *probe = cmd->opaque;
    probe->done = 1;
    probe->rc = rc;
}

/* PING on a connection of its own, running the loop until the answer or
 * EDGE_APP_STORE_PROBE_MS (the command's deadline, which also bounds the
 * connect). Nothing is served yet, so running the loop here holds up no
 * one. 0 when Redis answered. */
static int probe_redis(uv_loop_t *loop, const edge_redis_addr *addr)
{
    edge_redis_options o = {
        .connect_timeout_ms = EDGE_APP_STORE_PROBE_MS,
        .reconnect_min_ms = 100,
        .reconnect_max_ms = 500,
    };
    edge_redis *r = edge_redis_open(loop, addr, &o, NULL, 0);
    if (r == NULL)
        return -1;
    store_probe probe = {.cmd = {.done = probe_done}};
    probe.cmd.opaque = &probe;
    const char *argv[] = {"PING"};
    if (edge_redis_send(r, &probe.cmd, EDGE_APP_STORE_PROBE_MS, 1, argv, NULL) != 0) {
        edge_redis_close(r);
        return -1;
    }
    while (!probe.done && uv_run(loop, UV_RUN_ONCE) != 0)
        ;
    if (!probe.done)
        edge_redis_cancel(r, &probe.cmd);
    edge_redis_close(r); /* its memory goes on a later turn of the loop */
    return probe.done && probe.rc == 0 ? 0 : -1;
}

/* The shared store's connection came or went. Going: every stream on this
 * node ends, so its client reconnects (EventSource does, with
 * Last-Event-ID) and is answered 503 store_unavailable until Redis is
 * back, then replayed what it missed. */
static void on_store_state(void *opaque, int up)
{
    edge_app *app = opaque;
    app->store_up = up;
    fprintf(stderr, "c2c-edge: the shared store (Redis) is %s\n", up ? "up" : "down");
    if (!up && app->hub != NULL)
        edge_hub_store_lost(app->hub);
}

/* --node-name, else "<host name>:<first --listen port>" (a host name too
 * long is cut: the name only has to tell this host's nodes apart). */
static void node_name(const edge_app *app, char *out, size_t cap)
{
    if (app->cfg->node_name != NULL) {
        snprintf(out, cap, "%s", app->cfg->node_name);
        return;
    }
    char host[48] = "";
    if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
        snprintf(host, sizeof(host), "node");
    host[sizeof(host) - 1] = '\0';
    snprintf(out, cap, "%s:%d", host, app->cfg->listen_port);
}

static int open_redis(edge_app *app, char *err, size_t errlen)
{
    const char *url = app->cfg->store_url;
    char why[160];
    if (edge_redis_url_parse(url, &app->redis_addr, why, sizeof(why)) != 0)
        return edge_errf(err, errlen, "--store %s: %s", url, why);
    if (probe_redis(app->loop, &app->redis_addr) != 0)
        return edge_errf(err, errlen, "--store %s: Redis did not answer a PING within %d ms", url,
                         EDGE_APP_STORE_PROBE_MS);
    char node[64];
    node_name(app, node, sizeof(node));
    edge_store_redis_options o = {.on_state = on_store_state, .state_opaque = app, .node = node};
    app->astore = edge_store_redis_open(app->loop, &app->redis_addr, &o);
    if (app->astore == NULL)
        return edge_errf(err, errlen, "out of memory");
    app->shared_store = 1;
    return 0;
}

int edge__app_store_open(edge_app *app, char *err, size_t errlen)
{
    if (app->cfg->store_url == NULL)
        return open_sqlite(app, err, errlen);
    return open_redis(app, err, errlen);
}

int edge__app_store_shared(const edge_app *app)
{
    return app->shared_store;
}

/* ---- the fan-out tail ---------------------------------------------------- */

/* One event published by any node: to this node's streams of its feed. */
static void on_feed_event(void *ctx, const edge_redis_event *rev)
{
    edge_app *app = ctx;
    if (app->hub == NULL)
        return;
    edge_event ev = {.id = rev->id, .created_ms = rev->created_ms};
    if (strlen(rev->feed_id) >= sizeof(ev.participant_id) ||
        strlen(rev->contact_id) >= sizeof(ev.contact_id) || strlen(rev->type) >= sizeof(ev.type))
        return; /* not a feed this server made: no stream can be waiting for it */
    memcpy(ev.participant_id, rev->feed_id, strlen(rev->feed_id) + 1);
    memcpy(ev.contact_id, rev->contact_id, strlen(rev->contact_id) + 1);
    memcpy(ev.type, rev->type, strlen(rev->type) + 1);
    ev.data_json = (char *)rev->data_json; /* borrowed for the call: the hub copies */
    edge_hub_deliver(app->hub, &ev);
}

int edge__app_store_tail(edge_app *app, char *err, size_t errlen)
{
    if (!app->shared_store)
        return 0;
    edge_redis_feed_options o = {.live = on_feed_event, .live_ctx = app};
    app->feed = edge_redis_feed_open(app->loop, &app->redis_addr, &o);
    if (app->feed == NULL)
        return edge_errf(err, errlen, "out of memory");
    return 0;
}

void edge__app_store_stop(edge_app *app)
{
    if (!app->shared_store)
        return;
    if (app->feed != NULL)
        edge_redis_feed_close(app->feed);
    app->feed = NULL;
    if (app->provider != NULL)
        app->provider->ops->destroy(app->provider); /* cancels its ops and jobs */
    app->provider = NULL;
    edge_store_async_close(app->astore); /* what is still in flight ends EUNAVAILABLE */
    app->astore = NULL;
}
