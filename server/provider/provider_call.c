/* provider_call.c - the two verbs of the asynchronous provider seam
 * (provider.h): completing a call and cancelling one. */
#include "provider/provider.h"

void edge_provider_call_done(edge_provider_call *c, int rc)
{
    c->rc = rc;
    c->done(c); /* may free c */
}

void edge_provider_cancel(edge_provider *p, edge_provider_call *c)
{
    if (p->ops->cancel != NULL)
        p->ops->cancel(p, c);
}
