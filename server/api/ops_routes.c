/* ops_routes.c - /healthz for load balancers and /metrics for Prometheus. */
#include <llhttp.h>

#include "api/routes.h"
#include "events/hub.h"
#include "net/tls_certs.h"

static void handle_healthz(void *ctx, const edge_request *req, edge_response *res)
{
    static const char body[] = "{\"status\":\"ok\"}";
    edge_response_set_body(res, 200, "application/json", body, sizeof(body) - 1);
    edge_response_add_header(res, "Cache-Control", "no-store");
}

static void handle_metrics(void *ctx, const edge_request *req, edge_response *res)
{
    edge_app *app = ctx;
    edge_auth_stats auth = edge_auth_get_stats(app->auth);
    edge_provider_stats provider = {0};
    app->provider->ops->stats(app->provider, &provider);
    edge_metrics_sample sample = {
        .open_connections = app->server.conn_count,
        .accepted_connections = app->server.conn_accepted,
        .token_cache_hits = auth.cache_hits,
        .token_cache_misses = auth.cache_misses,
        .tokens_rejected = auth.rejected,
        .tokens_limited = auth.limited,
        .event_streams = edge_hub_stream_count(app->hub),
        .retention_purged = provider.retention_purged,
    };
    if (app->tls != NULL) {
        const edge_tls_stats *tls = edge_tls_stats_of(app->tls);
        sample.tls = 1;
        sample.tls_handshakes = tls->handshakes;
        sample.tls_resumed = tls->resumed;
        sample.tls_failures = tls->failures;
        sample.tls_reload_failures = tls->reload_failures;
    }
    edge_buf text = EDGE_BUF_INIT;
    edge_metrics_render(&app->metrics, &sample, &text);
    edge_response_set_body(res, 200, "text/plain; version=0.0.4; charset=utf-8", text.data,
                           text.len);
    edge_response_add_header(res, "Cache-Control", "no-store");
    edge_buf_free(&text);
}

void edge_routes_ops(edge_app *app)
{
    edge_router_add(&app->router, HTTP_GET, "/healthz", "healthz", handle_healthz, app);
    edge_router_add(&app->router, HTTP_GET, "/metrics", "metrics", handle_metrics, app);
}
