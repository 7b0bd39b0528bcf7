/* contact_errors.c - one mapping from contact-center errors to HTTP, so every
 * route answers the same failure the same way. */
#include "api/contact_errors.h"

#include <stdio.h>
#include <string.h>

#include "provider/provider.h"
#include "store/store.h"
#include "store/store_async.h"

void edge_contact_error(edge_response *res, int code)
{
    switch (code) {
    case EDGE_STORE_ENOTFOUND:
        edge_response_error(res, 404, "not_found", "No such contact, participant or route.");
        return;
    case EDGE_STORE_ECONFLICT:
        edge_response_error(res, 409, "conflict", "Someone else got there first.");
        return;
    case EDGE_STORE_ESTATE:
        edge_response_error(res, 409, "contact_ended", "The contact has already ended.");
        return;
    case EDGE_STORE_EEXPIRED:
        edge_response_error(res, 410, "route_expired", "The reference code has expired.");
        return;
    case EDGE_STORE_EMISMATCH:
        edge_response_error(res, 403, "route_email_mismatch",
                            "The reference code was issued for another email address.");
        return;
    case EDGE_STORE_EINVAL:
        edge_response_error(res, 400, "bad_request", "A value is empty or too long.");
        return;
    case EDGE_STORE_EBUSY:
        edge_response_error(res, 503, "store_busy",
                            "The database is locked by another program; nothing was changed. "
                            "Try again.");
        edge_response_add_header(res, "Retry-After", "1");
        return;
    case EDGE_STORE_EFULL:
        edge_response_error(res, 507, "storage_full",
                            "The server's disk is full; nothing was stored.");
        return;
    case EDGE_PROVIDER_EFORBIDDEN:
        edge_response_error(res, 403, "forbidden",
                            "Only the contact's customer or its agent may do this.");
        return;
    case EDGE_STORE_ELIMITED:
        edge_response_error(res, 429, "rate_limited", "Too many requests; try again later.");
        edge_response_add_header(res, "Retry-After", "1");
        return;
    case EDGE_STORE_ECAP:
        edge_response_error(res, 409, "contact_full",
                            "This contact takes no more messages; start a new one.");
        return;
    case EDGE_PROVIDER_ENOTCONNECTED:
        edge_response_error(res, 409, "call_not_connected", "No agent has joined the call yet.");
        return;
    case EDGE_PROVIDER_ETIMEDOUT:
        edge_response_error(res, 504, "upstream_timeout",
                            "The contact center did not answer in time.");
        return;
    case EDGE_STORE_EUNAVAILABLE:
        edge_response_error(res, 503, "store_unavailable",
                            "The contact center's store cannot be reached; try again shortly.");
        edge_response_add_header(res, "Retry-After", "1");
        return;
    case EDGE_STORE_ETIMEDOUT:
        edge_response_error(res, 504, "upstream_timeout",
                            "The contact center's store did not answer in time; the change may "
                            "or may not have been made.");
        return;
    case EDGE_PROVIDER_EGATEWAY:
        edge_response_error(res, 503, "gateway_unavailable",
                            "The telephone gateway is not reachable; nothing was created. Try "
                            "again later.");
        edge_response_add_header(res, "Retry-After", "5");
        return;
    default:
        edge_response_error(res, 500, "internal", "The contact center could not do that.");
        return;
    }
}

void edge_contact_error_limited(edge_response *res, int code, const edge_limited *limited,
                                edge_metrics *m)
{
    if (code == EDGE_STORE_ECAP)
        edge_metrics_rate_limited(m, "contact_messages");
    if (code != EDGE_STORE_ELIMITED) {
        edge_contact_error(res, code);
        return;
    }
    char after[24];
    int64_t s = limited->retry_after_s < 1 ? 1 : limited->retry_after_s;
    snprintf(after, sizeof(after), "%lld", (long long)s);
    edge_metrics_rate_limited(m, limited->limit);
    if (limited->limit != NULL && strcmp(limited->limit, "live_calls") == 0)
        edge_response_error(res, 429, "rate_limited",
                            "You already have a call that has not ended.");
    else
        edge_response_error(res, 429, "rate_limited", "Too many requests; try again later.");
    edge_response_add_header(res, "Retry-After", after);
}
