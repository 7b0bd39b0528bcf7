/* identity_routes.c - GET {api-prefix}me: who the presented token says you are.
 *
 * The smallest authenticated route: the widget uses it to show who is signed
 * in, and site owners use it to check that their tokens verify against the
 * edge's keys, issuer and audience before wiring up the widget. */
#include <cjson/cJSON.h>
#include <llhttp.h>
#include <time.h>

#include "api/routes.h"
#include "api/site_request.h"

static void handle_me(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity id;
    if (edge_site_identity(api, req, res, 0, &id) < 0)
        return;
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "sub", id.sub);
    cJSON_AddStringToObject(obj, "email", id.email);
    cJSON_AddStringToObject(obj, "name", id.name);
    cJSON_AddStringToObject(obj, "role", id.is_agent ? "agent" : "customer");
    cJSON_AddNumberToObject(obj, "expiresAt", (double)id.exp);
    edge_response_api_json(res, 200, obj);
}

void edge_routes_identity(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_GET, "me", "me", handle_me);
}
