/* router.c - first-match routing over a small table (see router.h). */
#include "http/router.h"

#include <llhttp.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

void edge_router_init(edge_router *r)
{
    memset(r, 0, sizeof(*r));
}

void edge_router_free(edge_router *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->routes[i].path);
    free(r->routes);
    memset(r, 0, sizeof(*r));
}

void edge_router_add(edge_router *r, int method, const char *path, const char *name,
                     edge_route_fn fn, void *ctx)
{
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->routes = edge_xrealloc(r->routes, r->cap * sizeof(edge_route));
    }
    edge_route *rt = &r->routes[r->count++];
    size_t len = strlen(path);
    rt->prefix = len > 0 && path[len - 1] == '*';
    rt->path_len = rt->prefix ? len - 1 : len;
    rt->path = edge_xstrndup(path, rt->path_len);
    rt->method = method;
    rt->name = name;
    rt->fn = fn;
    rt->ctx = ctx;
}

static int path_matches(const edge_route *rt, const edge_request *req)
{
    if (rt->prefix)
        return req->path_len >= rt->path_len && memcmp(req->path, rt->path, rt->path_len) == 0;
    return req->path_len == rt->path_len && memcmp(req->path, rt->path, rt->path_len) == 0;
}

static int method_matches(int route_method, int req_method)
{
    if (route_method < 0 || route_method == req_method)
        return 1;
    return route_method == HTTP_GET && req_method == HTTP_HEAD; /* HEAD is GET without a body */
}

static void add_allow(char *allow, size_t cap, const char *name)
{
    if (strstr(allow, name) != NULL)
        return;
    size_t used = strlen(allow);
    if (used + strlen(name) + 3 >= cap)
        return;
    if (used)
        strcat(allow, ", ");
    strcat(allow, name);
}

const edge_route *edge_router_find(const edge_router *r, const edge_request *req,
                                   int *path_matched, char *allow, size_t allow_cap)
{
    *path_matched = 0;
    if (allow_cap)
        allow[0] = '\0';
    for (size_t i = 0; i < r->count; i++) {
        const edge_route *rt = &r->routes[i];
        if (!path_matches(rt, req))
            continue;
        if (method_matches(rt->method, req->method))
            return rt;
        *path_matched = 1;
        if (rt->method >= 0) {
            add_allow(allow, allow_cap, llhttp_method_name((llhttp_method_t)rt->method));
            if (rt->method == HTTP_GET)
                add_allow(allow, allow_cap, "HEAD");
        }
    }
    return NULL;
}
