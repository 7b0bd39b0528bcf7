/* participant_auth.c - see participant_auth.h. */
#include "api/participant_auth.h"

#include "api/json_body.h"
#include "common/clock.h"

#include <string.h>
#include <strings.h>

/* 1 when the query string names a token parameter, whatever its value. */
static int token_in_url(const edge_request *req)
{
    char scratch[1];
    return edge_request_query_param(req, "token", scratch, sizeof(scratch)) != -1;
}

int edge_participant_from_request(edge_api_ctx *api, const edge_request *req, edge_response *res,
                                  edge_participant_use use, edge_participant *who)
{
    if (token_in_url(req)) {
        edge_response_error(res, 400, "token_in_url",
                            "Send the ParticipantToken in the X-Amz-Bearer or Authorization "
                            "header, never in the URL.");
        return -1;
    }
    const edge_header *h = edge_request_header(req, "X-Amz-Bearer");
    const char *token = h ? h->value : NULL;
    size_t len = h ? h->value_len : 0;
    if (token == NULL && (h = edge_request_header(req, "Authorization")) != NULL &&
        h->value_len > 7 && strncasecmp(h->value, "Bearer ", 7) == 0) {
        token = h->value + 7;
        len = h->value_len - 7;
    }
    if (token != NULL && api->provider->ops->participant_auth(api->provider, token, len, use,
                                                              edge_wall_ms(), who) == 0)
        return 0;
    edge_response_error(res, 401, token ? "invalid_participant_token" : "missing_participant_token",
                        token ? "The ParticipantToken is not valid."
                              : "This request needs a ParticipantToken (from startChatContact, "
                                "dial or agent/accept).");
    edge_response_add_header(res, "WWW-Authenticate", "Bearer realm=\"c2c-participant\"");
    return -1;
}

cJSON *edge_participant_json_request(edge_api_ctx *api, const edge_request *req, edge_response *res,
                                     edge_participant_use use, edge_participant *who)
{
    if (edge_participant_from_request(api, req, res, use, who) < 0)
        return NULL;
    return edge_json_body(req, res);
}
