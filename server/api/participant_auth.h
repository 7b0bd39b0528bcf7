/* participant_auth.h - the ParticipantToken check, shared by every route
 * group whose requests a contact's participant makes (chat, calls). */
#ifndef EDGE_PARTICIPANT_AUTH_H
#define EDGE_PARTICIPANT_AUTH_H

#include "app.h"
#include "http/request.h"
#include "http/response.h"
#include "store/store.h"

/* The ParticipantToken from X-Amz-Bearer (Amazon Connect's header),
 * Authorization: Bearer, or (when allow_query, for EventSource, which
 * cannot set headers) ?token=. Returns 0 and *who, or -1 after filling res
 * with 401 missing_participant_token / invalid_participant_token. */
int edge_participant_from_request(edge_app *app, const edge_request *req, edge_response *res,
                                  int allow_query, edge_participant *who);

/* edge_participant_from_request (headers only), then the JSON body.
 * Returns the body (the caller deletes it) or NULL after filling res. */
struct cJSON *edge_participant_json_request(edge_app *app, const edge_request *req,
                                            edge_response *res, edge_participant *who);

#endif
