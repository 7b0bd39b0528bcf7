/* ops_routes.c - /healthz for load balancers and /metrics for Prometheus. */
#include <llhttp.h>
#include <stdlib.h>

#include "api/routes.h"
#include "common/mem.h"
#include "http/deferred.h"

/* GET /healthz answers through a deferred response (http/deferred.h)
 * completed on the next loop turn by a 0 ms timer. It waits for nothing: it
 * does so on purpose, so that every integration test (each one polls
 * /healthz until the server is up) and every load balancer probe runs the
 * deferred path end to end, until routes answer from an asynchronous
 * provider. */
typedef struct healthz_turn {
    uv_timer_t timer; /* first: the close callback frees the turn through it */
    edge_deferred *d;
} healthz_turn;

static void healthz_closed(uv_handle_t *h)
{
    free(h->data);
}

static void healthz_answer(uv_timer_t *t)
{
    static const char body[] = "{\"status\":\"ok\"}";
    healthz_turn *turn = t->data;
    edge_response *res = edge_deferred_response(turn->d);
    edge_response_set_body(res, 200, "application/json", body, sizeof(body) - 1);
    edge_response_add_header(res, "Cache-Control", "no-store");
    edge_response_complete(turn->d); /* d belongs to the transport from here */
    uv_close((uv_handle_t *)t, healthz_closed);
}

/* The client left (or the server gave up) before the next turn. */
static void healthz_cancelled(edge_deferred *d, void *opaque)
{
    healthz_turn *turn = opaque;
    uv_close((uv_handle_t *)&turn->timer, healthz_closed); /* stops it too */
}

static void handle_healthz(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    healthz_turn *turn = edge_xcalloc(1, sizeof(*turn));
    uv_timer_init(api->loop, &turn->timer);
    turn->timer.data = turn;
    turn->d = edge_response_defer(res, 0, healthz_cancelled, turn);
    uv_timer_start(&turn->timer, healthz_answer, 0, 0);
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
