/* contact_errors.c - one mapping from contact-center errors to HTTP, so every
 * route answers the same failure the same way. */
#include "api/contact_errors.h"

#include "provider/provider.h"
#include "store/store.h"

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
    case EDGE_PROVIDER_ENOTCONNECTED:
        edge_response_error(res, 409, "call_not_connected", "No agent has joined the call yet.");
        return;
    default:
        edge_response_error(res, 500, "internal", "The contact center could not do that.");
        return;
    }
}
