/* participant_auth.h - the ParticipantToken check, shared by every route
 * group whose requests a contact's participant makes (chat, calls). */
#ifndef EDGE_PARTICIPANT_AUTH_H
#define EDGE_PARTICIPANT_AUTH_H

#include "api/api_ctx.h"
#include "http/request.h"
#include "http/response.h"
#include "provider/provider.h"
#include "store/store.h"

/* The ParticipantToken from X-Amz-Bearer (Amazon Connect's header) or
 * Authorization: Bearer, never from the URL, checked by the provider for
 * use (live, or reading the transcript) at the current time. Returns 0
 * and *who, or -1 after filling res: 400 token_in_url when the query has
 * a token parameter (a credential in a URL ends up in logs and histories;
 * it is refused even beside a header so the client gets fixed, and never
 * used), 401 missing_participant_token / invalid_participant_token (also
 * for a token that has expired with its contact). */
int edge_participant_from_request(edge_api_ctx *api, const edge_request *req, edge_response *res,
                                  edge_participant_use use, edge_participant *who);

/* edge_participant_from_request, then the JSON body. Returns the body
 * (the caller deletes it) or NULL after filling res. */
struct cJSON *edge_participant_json_request(edge_api_ctx *api, const edge_request *req,
                                            edge_response *res, edge_participant_use use,
                                            edge_participant *who);

#endif
