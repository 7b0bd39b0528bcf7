/* participant_auth.h - the ParticipantToken of a participant's request
 * (chat, calls, video, rating, events): where it is read from, and the
 * answers when it is missing or refused. The provider checks it
 * (participant_auth, asynchronous); api/api_op.h runs that check before
 * the request's own op (edge_api_participant_op). */
#ifndef EDGE_PARTICIPANT_AUTH_H
#define EDGE_PARTICIPANT_AUTH_H

#include <stddef.h>

#include "http/request.h"
#include "http/response.h"

/* The ParticipantToken from X-Amz-Bearer (Amazon Connect's header) or
 * Authorization: Bearer, never from the URL. Returns 0 with *token
 * (pointing into req) and *len, or -1 after filling res: 400 token_in_url
 * when the query has a token parameter (a credential in a URL ends up in
 * logs and histories; it is refused even beside a header so the client
 * gets fixed, and never used), 401 missing_participant_token. */
int edge_participant_token(const edge_request *req, edge_response *res, const char **token,
                           size_t *len);

/* Fill res for a participant_auth that failed with rc: the store or the
 * deadline failing (EDGE_STORE_EUNAVAILABLE, EDGE_STORE_ETIMEDOUT,
 * EDGE_PROVIDER_ETIMEDOUT) as every op answers them (503 / 504), anything
 * else 401 invalid_participant_token (also a token that has expired with
 * its contact). */
void edge_participant_auth_error(edge_response *res, int rc);

#endif
