/* cors.c - origin allow-list checks and CORS headers (see cors.h). */
#include "http/cors.h"

#include <llhttp.h>
#include <string.h>

#define EDGE_CORS_METHODS "GET, HEAD, POST, DELETE, OPTIONS"
#define EDGE_CORS_HEADERS "Authorization, Content-Type, Last-Event-ID, X-Amz-Bearer"

int edge_cors_is_preflight(const edge_request *req)
{
    return req->method == HTTP_OPTIONS &&
           edge_request_header(req, "Access-Control-Request-Method") != NULL;
}

static int wildcard(const edge_str_list *origins)
{
    for (size_t i = 0; i < origins->count; i++)
        if (strcmp(origins->items[i], "*") == 0)
            return 1;
    return 0;
}

static int listed(const edge_str_list *origins, const char *origin)
{
    for (size_t i = 0; i < origins->count; i++)
        if (strcmp(origins->items[i], origin) == 0)
            return 1;
    return 0;
}

/* The Access-Control-Allow-Origin value for req, or NULL for none. */
static const char *allowed_origin(const edge_str_list *origins, const edge_request *req)
{
    const edge_header *o = edge_request_header(req, "Origin");
    if (o == NULL)
        return NULL;
    if (wildcard(origins))
        return "*";
    return listed(origins, o->value) ? o->value : NULL;
}

void edge_cors_preflight(const edge_str_list *origins, const edge_request *req,
                         edge_response *res)
{
    edge_response_set_body(res, 204, NULL, "", 0);
    res->route = "preflight";
    const char *allow = allowed_origin(origins, req);
    if (!wildcard(origins))
        edge_response_add_header(res, "Vary", "Origin");
    if (allow == NULL)
        return;
    edge_response_add_header(res, "Access-Control-Allow-Origin", allow);
    edge_response_add_header(res, "Access-Control-Allow-Methods", EDGE_CORS_METHODS);
    edge_response_add_header(res, "Access-Control-Allow-Headers", EDGE_CORS_HEADERS);
    edge_response_add_header(res, "Access-Control-Max-Age", "600");
}

void edge_cors_decorate(const edge_str_list *origins, const edge_request *req,
                        edge_response *res)
{
    if (origins->count == 0)
        return;
    if (!wildcard(origins))
        edge_response_add_header(res, "Vary", "Origin");
    const char *allow = allowed_origin(origins, req);
    if (allow)
        edge_response_add_header(res, "Access-Control-Allow-Origin", allow);
}
