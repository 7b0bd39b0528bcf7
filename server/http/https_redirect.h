/* https_redirect.h - the answers of the --redirect-http listener.
 *
 * Plain HTTP arriving there is sent to the same host and target over https
 * with 308 (method and body are kept), except /healthz, which a load
 * balancer may probe over plain HTTP. */
#ifndef EDGE_HTTPS_REDIRECT_H
#define EDGE_HTTPS_REDIRECT_H

#include "http/request.h"
#include "http/response.h"

/* Answer req (which arrived on the redirect listener) into res: 308 with
 * Location https://HOST[:port]TARGET, where HOST is the Host header without
 * its port and port is left out when it is 443. A missing or malformed Host
 * gets 400 bad_host. Returns 1 when res was filled, 0 when the request is
 * for /healthz and should be served normally. */
int edge_https_redirect(const edge_request *req, int https_port, edge_response *res);

#endif
