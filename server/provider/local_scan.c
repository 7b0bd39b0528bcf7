/* local_scan.c - the list jobs (local_scan.h): list a batch, hand each
 * item on, then the kind's after. */
#include "provider/local_scan.h"

#include <stdlib.h>

#include "common/mem.h"

static void scan_list(edge__local_op *op)
{
    edge__local_scan *s = (edge__local_scan *)op;
    s->kind->list(s);
}

static void scan_each(edge__local_op *op)
{
    edge__local_scan *s = (edge__local_scan *)op;
    const char *items = s->items;
    for (size_t i = 0; i < s->count && i < s->cap; i++)
        s->kind->each(s, items + i * s->kind->item_size);
    edge__local_op_next(op);
}

static int scan_finish(edge__local_op *op, int rc)
{
    edge__local_scan *s = (edge__local_scan *)op;
    if (rc == 0 && s->kind->after != NULL)
        s->kind->after(s);
    return rc;
}

static void scan_release(edge__local_op *op)
{
    edge__local_scan *s = (edge__local_scan *)op;
    char *items = s->items;
    for (size_t i = 0; s->kind->item_free != NULL && i < s->count && i < s->cap; i++)
        s->kind->item_free(items + i * s->kind->item_size);
    free(s->items);
    edge__local_tick_job_done(s->in_flight);
}

static const edge__local_chain SCAN = {EDGE__LOCAL_STEPS(scan_list, scan_each), scan_finish,
                                       scan_release};

void edge__local_scan_start(edge_local_provider *lp, const edge__local_scan_kind *kind,
                            int64_t before_ms, size_t cap, const char *arg, int *in_flight,
                            int64_t now_ms)
{
    edge__local_scan *s = edge__local_job_new(lp, sizeof(*s), &SCAN, kind->name, now_ms);
    s->kind = kind;
    s->before_ms = before_ms;
    s->cap = cap;
    s->items = edge_xcalloc(cap, kind->item_size);
    s->in_flight = in_flight;
    edge__local_tick_job_begin(in_flight);
    if (edge__local_op_copy(s->arg, sizeof(s->arg), arg) != 0) {
        edge__local_op_end(&s->base, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_op_run(&s->base);
}

void edge__local_scan_contact_free(void *item)
{
    edge_contact_free(item);
}
