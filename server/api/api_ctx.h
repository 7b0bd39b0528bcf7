/* api_ctx.h - the narrow context every route handler receives.
 *
 * Handlers get what they use and nothing more: configuration, the token
 * checker, the contact-center provider, the router (to register), the
 * metrics and the loop (for answers finished on a later turn, see
 * http/deferred.h). The app (app.c) owns the context and everything it
 * points to; api/ never sees the app, the transport or the store's owner,
 * so app.c and api/ form no circle (app.c includes api/, never the reverse;
 * the build enforces it: tests/layers/api_includes_app.c). */
#ifndef EDGE_API_CTX_H
#define EDGE_API_CTX_H

#include <uv.h>

#include "auth/auth.h"
#include "config/config.h"
#include "http/router.h"
#include "ops/metrics.h"
#include "provider/provider.h"

typedef struct edge_api_ctx {
    uv_loop_t *loop;         /* the server's loop */
    const edge_config *cfg;  /* borrowed */
    edge_auth *auth;         /* borrowed */
    edge_provider *provider; /* borrowed */
    edge_router *router;     /* borrowed: routes are added here at start */
    edge_metrics *metrics;   /* borrowed */
    uint32_t op_timeout_ms;  /* a provider operation's deadline (api/api_op.h); 0: 10 s */
    /* Fills what only the owner knows in a metrics sample (connections,
     * TLS, open event streams); may leave fields at 0. Set by the app. */
    void (*sample)(void *owner, edge_metrics_sample *out);
    void *owner;
} edge_api_ctx;

/* Register fn at the API prefix plus path (e.g. "me") with api as the
 * handler's context. The router copies the path; name is a static string
 * (the metrics label). */
void edge_api_route(edge_api_ctx *api, int method, const char *path, const char *name,
                    edge_route_fn fn);

#endif
