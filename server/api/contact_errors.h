/* contact_errors.h - the contact center's error codes as HTTP answers. */
#ifndef EDGE_CONTACT_ERRORS_H
#define EDGE_CONTACT_ERRORS_H

#include "http/response.h"
#include "ops/metrics.h"
#include "provider/provider.h"

/* Fill res for a negative EDGE_STORE_E* or EDGE_PROVIDER_E* code from a
 * provider. */
void edge_contact_error(edge_response *res, int code);

/* Like edge_contact_error, and for the abuse limits: EDGE_STORE_ELIMITED
 * is 429 rate_limited with Retry-After (limited->retry_after_s) and
 * EDGE_STORE_ECAP 409 contact_full, each counted in m
 * (c2c_rate_limited_total). */
void edge_contact_error_limited(edge_response *res, int code, const edge_limited *limited,
                                edge_metrics *m);

#endif
