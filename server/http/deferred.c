/* deferred.c - the deferred-response handle (http/deferred.h): the owner's
 * half (defer, fill, complete) and the bookkeeping the transport uses to
 * adopt, expire or cancel it. The transport itself (order, deadline timer,
 * client gone) is net/deferred.c. */
#include "http/deferred.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/mem.h"

edge_deferred *edge_response_defer(edge_response *res, uint32_t timeout_ms,
                                   edge_deferred_cancel_fn on_cancel, void *opaque)
{
    edge_deferred *d = edge_xcalloc(1, sizeof(*d));
    d->res = *res; /* whatever the handler set so far moves over */
    edge_response_init(res);
    res->route = d->res.route;
    res->deferred = d;
    d->timeout_ms = timeout_ms;
    d->on_cancel = on_cancel;
    d->opaque = opaque;
    return d;
}

edge_response *edge_deferred_response(edge_deferred *d)
{
    return &d->res;
}

int edge_deferred_expired(const edge_deferred *d)
{
    return d->expired;
}

void edge__deferred_free(edge_deferred *d)
{
    edge_response_free(&d->res);
    edge_buf_free(&d->outer);
    free(d);
}

void edge_response_complete(edge_deferred *d)
{
    if (d->completed) {
        fprintf(stderr, "c2c-edge: a deferred response was completed twice\n");
        return;
    }
    d->completed = 1;
    if (d->expired)
        edge__deferred_free(d); /* the client already has its 504 */
    else if (d->on_complete != NULL)
        d->on_complete(d); /* the transport sends it and frees d */
    /* else: completed inside the handler; the transport sends it on return */
}

edge_deferred *edge__deferred_take(edge_response *res)
{
    edge_deferred *d = res->deferred;
    if (d == NULL)
        return NULL;
    res->deferred = NULL;
    if (res->headers.len > 0) {
        edge_response_add_raw_headers(&d->res, res->headers.data, res->headers.len);
        edge_buf_append(&d->outer, res->headers.data, res->headers.len);
    }
    d->res.close |= res->close;
    if (d->res.route == NULL)
        d->res.route = res->route;
    return d;
}

void edge__deferred_cancel(edge_deferred *d)
{
    d->on_complete = NULL;
    d->transport = NULL;
    if (d->on_cancel != NULL)
        d->on_cancel(d, d->opaque);
    edge__deferred_free(d);
}

void edge__deferred_expire(edge_deferred *d)
{
    d->on_complete = NULL;
    d->transport = NULL;
    d->expired = 1;
    if (d->completed)
        edge__deferred_free(d);
}
