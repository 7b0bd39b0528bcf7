/* cors.h - Cross-Origin Resource Sharing for the API.
 *
 * The allow list comes from --allow-origin. An origin that is not on it gets
 * no CORS headers at all, so the browser blocks the page from reading the
 * answer. "*" allows every origin, but only when configured explicitly.
 * Tokens travel in the Authorization header, never in cookies, so
 * credentials mode is not needed. */
#ifndef EDGE_CORS_H
#define EDGE_CORS_H

#include "config/config.h"
#include "http/request.h"
#include "http/response.h"

/* True for an OPTIONS request carrying Access-Control-Request-Method. */
int edge_cors_is_preflight(const edge_request *req);

/* Answer a preflight: 204 with the allowed methods and headers when the
 * origin is allowed, 204 without CORS headers otherwise. */
void edge_cors_preflight(const edge_str_list *origins, const edge_request *req,
                         edge_response *res);

/* Add Access-Control-Allow-Origin (and Vary: Origin) to an ordinary answer. */
void edge_cors_decorate(const edge_str_list *origins, const edge_request *req,
                        edge_response *res);

#endif
