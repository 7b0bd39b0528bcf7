/* local_op.c - running a local provider op as a chain of asynchronous
 * store steps (local_op.h): in order, stopping at the first error, with
 * the chains in flight on a list so that cancel finds them. */
#include "provider/local_op.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

static void unlink_op(edge__local_op *op)
{
    if (op->prev != NULL)
        op->prev->after = op->after;
    else
        op->lp->ops = op->after;
    if (op->after != NULL)
        op->after->prev = op->prev;
}

static void on_store_done(edge_store_call *sc)
{
    edge__local_op *op = sc->opaque;
    op->in_store = 0;
    if (sc->rc != 0 && sc->rc != op->tolerate && op->tolerate != EDGE__LOCAL_ANY_ERROR)
        edge__local_op_end(op, sc->rc);
    else
        edge__local_op_next(op);
}

/* Allocate and register a chain's state (pc may be NULL: a job). */
static edge__local_op *op_alloc(edge_local_provider *lp, edge_provider_call *pc, size_t size,
                                const edge__local_chain *chain, int64_t now_ms,
                                int64_t deadline_ms)
{
    edge__local_op *op = edge_xcalloc(1, size);
    op->lp = lp;
    op->pc = pc;
    op->chain = chain;
    op->now_ms = now_ms;
    op->sc.done = on_store_done;
    op->sc.opaque = op;
    op->sc.now_ms = now_ms;
    op->sc.deadline_ms = deadline_ms;
    op->after = lp->ops;
    if (lp->ops != NULL)
        lp->ops->prev = op;
    lp->ops = op;
    return op;
}

void *edge__local_op_new(edge_local_provider *lp, edge_provider_call *pc, size_t size,
                         const edge__local_chain *chain)
{
    return op_alloc(lp, pc, size, chain, pc->now_ms, pc->deadline_ms);
}

void *edge__local_job_new(edge_local_provider *lp, size_t size, const edge__local_chain *chain,
                          const char *name, int64_t now_ms)
{
    edge__local_op *op = op_alloc(lp, NULL, size, chain, now_ms, now_ms + EDGE__LOCAL_JOB_MS);
    op->job = name;
    return op;
}

void edge__local_op_run(edge__local_op *op)
{
    op->next = 0;
    edge__local_op_next(op);
}

void edge__local_op_start(edge__local_op *op, int rc)
{
    if (rc != 0)
        edge__local_op_end(op, rc);
    else
        edge__local_op_run(op);
}

void edge__local_op_next(edge__local_op *op)
{
    if (op->next >= op->chain->n_steps) {
        edge__local_op_end(op, 0);
        return;
    }
    op->chain->steps[op->next++](op);
}

void edge__local_op_again(edge__local_op *op)
{
    if (op->next > 0)
        op->next--;
}

/* Release and free the state (already unlinked). */
static void drop(edge__local_op *op)
{
    if (op->chain->release != NULL)
        op->chain->release(op);
    free(op);
}

void edge__local_op_end(edge__local_op *op, int rc)
{
    if (op->chain->finish != NULL)
        rc = op->chain->finish(op, rc);
    edge_provider_call *pc = op->pc;
    if (pc == NULL && rc != 0)
        fprintf(stderr, "c2c-edge: %s did not finish (store error %d)\n",
                op->job, rc);
    unlink_op(op);
    drop(op);
    if (pc != NULL)
        edge_provider_call_done(pc, rc); /* may free pc */
}

/* Stop op without completing its provider call. */
static void cancel_op(edge__local_op *op)
{
    if (op->in_store)
        edge_store_async_cancel(op->lp->astore, &op->sc);
    unlink_op(op);
    drop(op);
}

int edge__local_op_cancel(edge_local_provider *lp, edge_provider_call *pc)
{
    for (edge__local_op *op = lp->ops; pc != NULL && op != NULL; op = op->after)
        if (op->pc == pc) {
            cancel_op(op);
            return 1;
        }
    return 0;
}

void edge__local_op_cancel_all(edge_local_provider *lp)
{
    while (lp->ops != NULL)
        cancel_op(lp->ops);
}

int edge__local_op_copy(char *dst, size_t cap, const char *src)
{
    size_t n = src != NULL ? strlen(src) : 0;
    if (n >= cap)
        return EDGE_STORE_EINVAL;
    memcpy(dst, src != NULL ? src : "", n);
    dst[n] = '\0';
    return 0;
}
