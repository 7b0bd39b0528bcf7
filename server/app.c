/* app.c - wiring: config in, modules created, routes registered, requests
 * dispatched. The dispatcher is the one place where cross-cutting rules
 * apply to every answer (CORS, metrics, access log). */
#include "app.h"

#include <llhttp.h>
#include <stdio.h>
#include <string.h>

#include "api/routes.h"
#include "app_store.h"
#include "common/buf.h"
#include "common/clock.h"
#include "common/errbuf.h"
#include "store/store_async.h"
#include "events/hub.h"
#include "http/cors.h"
#include "http/https_redirect.h"
#include "net/tls_certs.h"
#include "provider/bridge.h"
#include "sip/sip_bridge.h"

#define EDGE_HEARTBEAT_MS 15000        /* SSE comments that keep proxies from timing out */
#define EDGE_STREAM_MAX_QUEUED 262144  /* unsent bytes before an SSE client is dropped */
#define EDGE_TICK_MS 1000              /* contact-center housekeeping interval */

static void answer_unrouted(edge_app *app, const edge_request *req, edge_response *res,
                            int path_matched, const char *allow)
{
    if (path_matched) {
        edge_response_error(res, 405, "method_not_allowed",
                            "This method is not allowed on this path.");
        edge_response_add_header(res, "Allow", allow);
        res->route = "method_not_allowed";
        return;
    }
    if (req->method == HTTP_OPTIONS) {
        edge_response_set_body(res, 204, NULL, "", 0);
        edge_response_add_header(res, "Allow", "GET, HEAD, POST, OPTIONS");
        res->route = "options";
        return;
    }
    edge_static_handle(app->statics, req, res, uv_now(app->loop));
    if (res->route == NULL)
        res->route = "static";
}

void edge_app_handle(void *ctx, const edge_request *req, edge_response *res)
{
    edge_app *app = ctx;
    if (req->https_redirect_port && edge_https_redirect(req, req->https_redirect_port, res))
        return;
    if (req->secure && app->cfg->hsts_s > 0)
        edge_response_add_headerf(res, "Strict-Transport-Security", "max-age=%lld",
                                  (long long)app->cfg->hsts_s);
    if (edge_cors_is_preflight(req)) {
        edge_cors_preflight(&app->cfg->allow_origins, req, res);
        return;
    }
    int path_matched = 0;
    char allow[64];
    const edge_route *rt = edge_router_find(&app->router, req, &path_matched, allow, sizeof(allow));
    if (rt) {
        rt->fn(rt->ctx, req, res);
        if (res->route == NULL)
            res->route = rt->name;
    } else {
        answer_unrouted(app, req, res, path_matched, allow);
    }
    edge_cors_decorate(&app->cfg->allow_origins, req, res);
}

static void on_request_done(void *ctx, const char *remote, const edge_request *req,
                            const edge_response *res, uint64_t duration_ns)
{
    edge_app *app = ctx;
    edge_metrics_observe(&app->metrics, res->route, res->status, duration_ns);
    edge_access_log_write(&app->log, remote, req, res, duration_ns);
}

/* The share of /metrics that only the app knows: the transport's
 * connections and TLS counters, the hub's open streams. */
static void sample_metrics(void *owner, edge_metrics_sample *out)
{
    edge_app *app = owner;
    out->open_connections = app->server.conn_count;
    out->accepted_connections = app->server.conn_accepted;
    out->event_streams = app->hub ? edge_hub_stream_count(app->hub) : 0;
    out->store_up = app->store_up;
    if (app->sip != NULL) {
        edge_sip_record_stats rec = edge_sip_bridge_record_stats(app->sip);
        out->recordings_made = rec.made;
        out->recordings_failed = rec.failed;
    }
    if (app->tls != NULL) {
        const edge_tls_stats *tls = edge_tls_stats_of(app->tls);
        out->tls = 1;
        out->tls_handshakes = tls->handshakes;
        out->tls_resumed = tls->resumed;
        out->tls_failures = tls->failures;
        out->tls_reload_failures = tls->reload_failures;
        out->tls_record_failures = tls->record_failures;
    }
}

/* Every route group, registered with the handlers' narrow context. */
static void register_routes(edge_app *app)
{
    app->api = (edge_api_ctx){
        .loop = app->loop,
        .cfg = app->cfg,
        .auth = app->auth,
        .provider = app->provider,
        .router = &app->router,
        .metrics = &app->metrics,
        .sample = sample_metrics,
        .owner = app,
    };
    edge_api_ctx *api = &app->api;
    edge_routes_ops(api);
    edge_routes_identity(api);
    edge_routes_chat(api);
    edge_routes_calls(api);
    edge_routes_video(api);
    edge_routes_rating(api);
    edge_routes_agent_stream(api);
    edge_routes_agent_notes(api);
    edge_routes_agent_wrapup(api);
    edge_routes_agent_transfer(api);
    edge_routes_agents(api);
    edge_routes_recordings(api);
    if (app->cfg->demo)
        edge_routes_demo(api);
}

static void on_tick(uv_timer_t *t)
{
    edge_app *app = t->data;
    if (app->provider->ops->tick(app->provider, edge_wall_ms()) != 0)
        fprintf(stderr, "c2c-edge: contact-center housekeeping failed; retrying next tick\n");
}

static void close_tick(edge_app *app)
{
    if (app->tick_open && !uv_is_closing((uv_handle_t *)&app->tick))
        uv_close((uv_handle_t *)&app->tick, NULL); /* embedded in app: nothing to free */
}

#define EDGE_DAY_MS (86400LL * 1000)

/* The SIP bridge, when --sip-gateway is given: hooked into the local
 * provider, it takes the dials to --sip-route numbers. */
static int start_sip_bridge(edge_app *app, char *err, size_t errlen)
{
    const edge_config *cfg = app->cfg;
    if (cfg->sip_gateway == NULL)
        return 0;
    edge_sip_settings sip = {
        .gateway_url = cfg->sip_gateway,
        .routes = (const char *const *)cfg->sip_routes.items,
        .n_routes = cfg->sip_routes.count,
        .from = cfg->sip_from,
        .answer_timeout_ms = cfg->sip_answer_timeout_s * 1000,
    };
    if (edge_sip_dtmf_parse(cfg->sip_dtmf, &sip.dtmf) != 0) /* the config checked it */
        return edge_errf(err, errlen, "--sip-dtmf: expected auto, rfc4733 or info");
    if (cfg->record_calls) {
        sip.recorder = edge_sip_recorder_create(
            app->loop, cfg->data_dir, (int64_t)cfg->retention_days * EDGE_DAY_MS, err, errlen);
        if (sip.recorder == NULL)
            return -1;
    }
    app->sip = edge_sip_bridge_create(app->loop, app->provider, &sip);
    if (app->sip == NULL)
        return edge_errf(err, errlen, "--sip-gateway: expected http://HOST:PORT/PATH with "
                              "HOST an IP address or localhost");
    edge_provider_local_set_bridge(app->provider, edge_sip_bridge_hook(app->sip));
    return 0;
}

/* The contact center: the state store first (SQLite: the --data lock
 * before anything in the directory is touched, then the database opened as
 * its only writer; Redis: reachable, or the start fails), then participant
 * key, event hub (with a shared store it takes its live events from the
 * fan-out tail, which every node's events come through), provider. */
static int start_contact_center(edge_app *app, char *err, size_t errlen)
{
    if (edge__app_store_open(app, err, errlen) != 0)
        return -1;
    if (edge_ptoken_key_load(&app->ptoken_key, app->cfg->data_dir, err, errlen) != 0)
        return -1;
    if (edge_agent_lists_load(&app->agent_lists, app->cfg->canned_file,
                              app->cfg->dispositions_file, err, errlen) != 0)
        return -1;
    edge_hub_options hub = {
        .heartbeat_ms = EDGE_HEARTBEAT_MS,
        .max_queued = EDGE_STREAM_MAX_QUEUED,
        .max_per_feed = app->cfg->max_streams_per_participant,
        .live_from_feed = edge__app_store_shared(app),
    };
    app->hub = edge_hub_create(app->loop, app->astore, &hub);
    if (edge__app_store_tail(app, err, errlen) != 0)
        return -1;
    edge_local_settings local = {
        .no_agent_timeout_ms = app->cfg->no_agent_timeout_s * 1000,
        .ring_timeout_ms = app->cfg->ring_timeout_s * 1000,
        .agent_away_ms = app->cfg->agent_away_s * 1000,
        .caller_gone_ms = app->cfg->caller_gone_s * 1000,
        .retention_ms = (int64_t)app->cfg->retention_days * EDGE_DAY_MS,
        .transcript_grace_ms = app->cfg->transcript_grace_s * 1000,
        .limits =
            {
                .dials = app->cfg->limit_dials,
                .messages = app->cfg->limit_messages,
                .redeems = app->cfg->limit_redeems,
                .max_live_calls = 1,
                .max_messages_per_contact = app->cfg->max_messages_per_contact,
                .personal_queue_ms = app->cfg->personal_queue_s * 1000,
            },
        .lists = &app->agent_lists,
    };
    app->provider =
        edge_provider_local_create(app->astore, app->hub, &app->ptoken_key, &local, edge_wall_ms());
    if (start_sip_bridge(app, err, errlen) != 0)
        return -1;
    uv_timer_init(app->loop, &app->tick);
    app->tick.data = app;
    app->tick_open = 1;
    uv_timer_start(&app->tick, on_tick, EDGE_TICK_MS, EDGE_TICK_MS);
    uv_unref((uv_handle_t *)&app->tick); /* housekeeping alone keeps nothing alive */
    return 0;
}

int edge_app_init(edge_app *app, uv_loop_t *loop, const edge_config *cfg, char *err,
                  size_t errlen)
{
    memset(app, 0, sizeof(*app));
    app->data_lock.fd = -1;
    app->loop = loop;
    app->cfg = cfg;
    edge_metrics_init(&app->metrics);
    edge_router_init(&app->router);
    edge_access_log_init(&app->log, loop, 2, 1);
    app->auth = edge_auth_create(loop, cfg, err, errlen);
    if (app->auth == NULL)
        return -1;
    app->statics = edge_static_create(cfg);
    if (start_contact_center(app, err, errlen) != 0)
        return -1;
    register_routes(app);
    return 0;
}

int edge_app_start(edge_app *app, uv_loop_t *loop, const edge_config *cfg, char *err,
                   size_t errlen)
{
    if (edge_app_init(app, loop, cfg, err, errlen) != 0)
        return -1;
    if (cfg->tls_certs.count > 0) {
        app->tls = edge_tls_create(loop, cfg, err, errlen);
        if (app->tls == NULL)
            return -1;
    }
    edge_server_hooks hooks = {edge_app_handle, on_request_done, app, app->tls};
    if (edge_server_start(&app->server, loop, cfg, &hooks, err, errlen) < 0)
        return -1;
    return 0;
}

static void on_server_stopped(edge_server *s)
{
    edge_app *app = (edge_app *)((char *)s - offsetof(edge_app, server));
    edge_auth_destroy(app->auth);
    app->auth = NULL;
    edge_tls_destroy(app->tls); /* no connection holds its certificates any more */
    app->tls = NULL;
    close_tick(app);
    if (app->sip) /* its calls end while the hub can still tell their callers */
        edge_sip_bridge_shutdown(app->sip);
    edge__app_store_stop(app); /* Redis: its connections would keep the loop running */
    edge_hub_destroy(app->hub); /* no streams are left: their connections are closed */
    app->hub = NULL;
    edge_access_log_close(&app->log);
    if (app->on_stopped)
        app->on_stopped(app);
}

void edge_app_stop(edge_app *app, void (*on_stopped)(edge_app *app))
{
    app->on_stopped = on_stopped;
    edge_server_shutdown(&app->server, on_server_stopped);
}

void edge_app_abort(edge_app *app)
{
    edge_server_abort(&app->server);
    if (app->auth) {
        edge_auth_destroy(app->auth);
        app->auth = NULL;
    }
    edge_tls_destroy(app->tls);
    app->tls = NULL;
    close_tick(app);
    if (app->sip)
        edge_sip_bridge_shutdown(app->sip);
    edge__app_store_stop(app);
    edge_hub_destroy(app->hub);
    app->hub = NULL;
    edge_access_log_close(&app->log);
}

void edge_app_reload(edge_app *app)
{
    char err[320];
    if (edge_auth_reload(app->auth, err, sizeof(err)) < 0)
        fprintf(stderr, "c2c-edge: key reload failed, keeping the old keys: %s\n", err);
    else
        fprintf(stderr, "c2c-edge: keys reloaded\n");
    if (app->tls == NULL)
        return;
    if (edge_tls_reload(app->tls, err, sizeof(err)) < 0)
        fprintf(stderr, "c2c-edge: certificate reload failed, keeping the old certificates: %s\n",
                err);
    else
        fprintf(stderr, "c2c-edge: certificates reloaded\n");
}

void edge_app_free(edge_app *app)
{
    if (app->provider)
        app->provider->ops->destroy(app->provider);
    app->provider = NULL;
    edge_agent_lists_free(&app->agent_lists);
    edge_sip_bridge_free(app->sip); /* after the provider that borrowed it */
    app->sip = NULL;
    edge_store_async_close(app->astore); /* before the store it runs on */
    app->astore = NULL;
    edge_store_close(app->store);
    app->store = NULL;
    edge_data_lock_release(&app->data_lock); /* after the store: it was the owner's */
    edge_static_destroy(app->statics);
    app->statics = NULL;
    edge_router_free(&app->router);
    edge_metrics_free(&app->metrics);
}
