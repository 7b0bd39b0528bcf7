/* store_async.c - the asynchronous store interface's own functions:
 * completing a call, cancelling, closing (see store_async.h). */
#include "store/store_async.h"

#include <stddef.h>

void edge_store_call_done(edge_store_call *c, int rc)
{
    c->backend = NULL;
    c->rc = rc;
    c->done(c);
}

void edge_store_async_cancel(edge_store_async *s, edge_store_call *c)
{
    if (s != NULL && c != NULL && s->ops->cancel != NULL)
        s->ops->cancel(s, c);
}

void edge_store_async_close(edge_store_async *s)
{
    if (s != NULL)
        s->ops->close(s);
}
