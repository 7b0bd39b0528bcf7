/* router.h - maps method + path to a handler.
 *
 * Routes are matched in registration order: an exact path, or a prefix when
 * the registered path ends in '*'. When a path matches but no route allows
 * the method, the caller answers 405 with the Allow list the router built.
 * The router only chooses; it never writes responses itself. */
#ifndef EDGE_ROUTER_H
#define EDGE_ROUTER_H

#include <stddef.h>

#include "http/request.h"
#include "http/response.h"

typedef void (*edge_route_fn)(void *ctx, const edge_request *req, edge_response *res);

typedef struct edge_route {
    int method;        /* llhttp method; -1 = any */
    char *path;        /* owned; trailing '*' = prefix match */
    size_t path_len;   /* without the '*' */
    int prefix;
    const char *name;  /* static metrics label */
    edge_route_fn fn;
    void *ctx;
} edge_route;

typedef struct edge_router {
    edge_route *routes; /* owned array */
    size_t count, cap;
} edge_router;

void edge_router_init(edge_router *r);
void edge_router_free(edge_router *r);
/* Register a route. path is copied; name must be a static string. */
void edge_router_add(edge_router *r, int method, const char *path, const char *name,
                     edge_route_fn fn, void *ctx);
/* Find the route for req. Returns NULL when none matches; then *path_matched
 * says whether some route had the path (so 405, with allow filled as
 * "GET, HEAD, ..." into a caller buffer) rather than 404. */
const edge_route *edge_router_find(const edge_router *r, const edge_request *req,
                                   int *path_matched, char *allow, size_t allow_cap);

#endif
