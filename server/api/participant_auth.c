/* participant_auth.c - see participant_auth.h. */
#include "api/participant_auth.h"

#include <strings.h>

#include "api/contact_errors.h"
#include "store/store_async.h"

/* 1 when the query string names a token parameter, whatever its value. */
static int token_in_url(const edge_request *req)
{
    char scratch[1];
    return edge_request_query_param(req, "token", scratch, sizeof(scratch)) != -1;
}

static void unauthorized(edge_response *res, const char *code, const char *message)
{
    edge_response_error(res, 401, code, message);
    edge_response_add_header(res, "WWW-Authenticate", "Bearer realm=\"c2c-participant\"");
}

int edge_participant_token(const edge_request *req, edge_response *res, const char **token,
                           size_t *len)
{
    if (token_in_url(req)) {
        edge_response_error(res, 400, "token_in_url",
                            "Send the ParticipantToken in the X-Amz-Bearer or Authorization "
                            "header, never in the URL.");
        return -1;
    }
    const edge_header *h = edge_request_header(req, "X-Amz-Bearer");
    if (h != NULL) {
        *token = h->value;
        *len = h->value_len;
        return 0;
    }
    h = edge_request_header(req, "Authorization");
    if (h != NULL && h->value_len > 7 && strncasecmp(h->value, "Bearer ", 7) == 0) {
        *token = h->value + 7;
        *len = h->value_len - 7;
        return 0;
    }
    unauthorized(res, "missing_participant_token",
                 "This request needs a ParticipantToken (from startChatContact, dial or "
                 "agent/accept).");
    return -1;
}

void edge_participant_auth_error(edge_response *res, int rc)
{
    if (rc == EDGE_STORE_EUNAVAILABLE || rc == EDGE_STORE_ETIMEDOUT ||
        rc == EDGE_PROVIDER_ETIMEDOUT)
        edge_contact_error(res, rc);
    else
        unauthorized(res, "invalid_participant_token", "The ParticipantToken is not valid.");
}
