/* site_request.h - the start of every route called with a site login token.
 *
 * Such routes all begin the same way: verify the token (and, for agent
 * routes, that it is an agent's), then read the JSON body. Doing it in one
 * place keeps the order of checks, and so the error a client sees first,
 * the same on every route: 401, then 403, then 400/415. */
#ifndef EDGE_SITE_REQUEST_H
#define EDGE_SITE_REQUEST_H

#include <cjson/cJSON.h>

#include "api/api_ctx.h"

/* Verify the site token into *who; with agents_only, refuse non-agents
 * (403 agents_only). Returns 0, or -1 after filling res. */
int edge_site_identity(edge_api_ctx *api, const edge_request *req, edge_response *res,
                       int agents_only, edge_identity *who);

/* edge_site_identity, then the JSON body. Returns the body (the caller
 * deletes it) or NULL after filling res. */
cJSON *edge_site_json_request(edge_api_ctx *api, const edge_request *req, edge_response *res,
                              int agents_only, edge_identity *who);

#endif
