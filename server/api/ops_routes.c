/* ops_routes.c - /healthz for load balancers and /metrics for Prometheus. */
#include <llhttp.h>

#include "api/routes.h"

static void handle_healthz(void *ctx, const edge_request *req, edge_response *res)
{
    static const char body[] = "{\"status\":\"ok\"}";
    edge_response_set_body(res, 200, "application/json", body, sizeof(body) - 1);
    edge_response_add_header(res, "Cache-Control", "no-store");
}

static void handle_metrics(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_auth_stats auth = edge_auth_get_stats(api->auth);
    edge_provider_stats provider = {0};
    api->provider->ops->stats(api->provider, &provider);
    edge_metrics_sample sample = {0};
    if (api->sample != NULL)
        api->sample(api->owner, &sample); /* connections, TLS, event streams */
    sample.token_cache_hits = auth.cache_hits;
    sample.token_cache_misses = auth.cache_misses;
    sample.tokens_rejected = auth.rejected;
    sample.tokens_limited = auth.limited;
    sample.retention_purged = provider.retention_purged;
    edge_buf text = EDGE_BUF_INIT;
    edge_metrics_render(api->metrics, &sample, &text);
    edge_response_set_body(res, 200, "text/plain; version=0.0.4; charset=utf-8", text.data,
                           text.len);
    edge_response_add_header(res, "Cache-Control", "no-store");
    edge_buf_free(&text);
}

void edge_routes_ops(edge_api_ctx *api)
{
    edge_router_add(api->router, HTTP_GET, "/healthz", "healthz", handle_healthz, api);
    edge_router_add(api->router, HTTP_GET, "/metrics", "metrics", handle_metrics, api);
}
