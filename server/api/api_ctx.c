/* api_ctx.c - route registration through the handlers' narrow context. */
#include "api/api_ctx.h"

#include "common/buf.h"

void edge_api_route(edge_api_ctx *api, int method, const char *path, const char *name,
                    edge_route_fn fn)
{
    edge_buf full = EDGE_BUF_INIT;
    edge_buf_appendf(&full, "%s%s", api->cfg->api_prefix, path);
    edge_router_add(api->router, method, full.data, name, fn, api);
    edge_buf_free(&full);
}
