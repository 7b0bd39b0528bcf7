/* site_request.c - see site_request.h. */
#include "api/site_request.h"

#include "api/json_body.h"
#include "common/clock.h"

int edge_site_identity(edge_api_ctx *api, const edge_request *req, edge_response *res,
                       int agents_only, edge_identity *who)
{
    if (edge_auth_require(api->auth, req, res, edge_wall_ms() / 1000, who) < 0)
        return -1;
    if (!agents_only || who->is_agent)
        return 0;
    edge_response_error(res, 403, "agents_only", "Only agents may do this.");
    return -1;
}

cJSON *edge_site_json_request(edge_api_ctx *api, const edge_request *req, edge_response *res,
                              int agents_only, edge_identity *who)
{
    if (edge_site_identity(api, req, res, agents_only, who) < 0)
        return NULL;
    return edge_json_body(req, res);
}
