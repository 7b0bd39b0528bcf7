/* local_op.h - the local provider's ops as chains of asynchronous store
 * steps (store/store_async.h), shared by the local provider's files (not a
 * public API).
 *
 * A provider op that needs the store allocates an edge__local_op (a state
 * struct of its own whose first member is this), lists its steps, and
 * runs them in order: each step starts exactly one store op on op->sc
 * (EDGE__LOCAL_STORE) or moves on without one (edge__local_op_next) or
 * ends the chain (edge__local_op_end). A store error ends the chain with
 * that error; after the last step the chain ends with 0. Ending runs the
 * op's finish (which may change rc and write the caller's results), then
 * its release, frees the state and completes the provider call. A
 * backend that completes inside the start call (SQLite) runs the whole
 * chain before the provider op returns; one that completes later (Redis)
 * runs a step per answer.
 *
 * Cancel (edge__local_op_cancel, from the provider's cancel): the store
 * op in flight is cancelled, release runs, the state is freed and the
 * provider call is never completed nor touched again.
 *
 * Jobs: a chain with no provider call (edge__local_job_new) runs the
 * consequences of a change already committed (telling participants and
 * agents, moving a queue up, offering the next call, the tick's scans).
 * Nobody waits for a job: its caller has answered already, and an error
 * that ends it is logged with the job's name (a store that is down, a
 * deadline passed). Jobs started while a chain runs on the SQLite adapter
 * run to their end before the starter's next line, so with the embedded
 * store everything still happens in the order it did when the provider
 * was synchronous; on Redis they run alongside, in the order they were
 * started (one connection answers in order). */
#ifndef EDGE_LOCAL_OP_H
#define EDGE_LOCAL_OP_H

#include "provider/local_internal.h"
#include "store/store_async.h"

typedef struct edge__local_op edge__local_op;
typedef void (*edge__local_step_fn)(edge__local_op *op);
/* After the chain: rc is 0 or the error that ended it; returns the rc the
 * provider call completes with. */
typedef int (*edge__local_finish_fn)(edge__local_op *op, int rc);
/* Release what the state owns (not the state itself). */
typedef void (*edge__local_release_fn)(edge__local_op *op);

/* What one kind of op does: its steps in order, then finish and release
 * (either may be NULL). */
typedef struct edge__local_chain {
    const edge__local_step_fn *steps;
    size_t n_steps;
    edge__local_finish_fn finish;
    edge__local_release_fn release;
} edge__local_chain;

struct edge__local_op {
    edge_local_provider *lp;
    edge_provider_call *pc;       /* the caller's, completed once; NULL for a job */
    int64_t now_ms;               /* the op's time (the call's, or the job's) */
    const char *job;              /* a job's name for its log line (static), else NULL */
    edge_store_call sc;           /* the store op in flight */
    const edge__local_chain *chain;
    size_t next;                  /* the next step's index */
    int in_store;                 /* sc is started and not done */
    int tolerate;                 /* an error the step in flight lets through (or 0) */
    edge__local_op *prev, *after; /* lp->ops: the chains in flight */
};

/* A zeroed state of size bytes (at least sizeof(edge__local_op)) for one
 * run of chain for pc on lp, registered so the provider's cancel finds
 * it. Never NULL (out of memory aborts, as edge_xcalloc). */
void *edge__local_op_new(edge_local_provider *lp, edge_provider_call *pc, size_t size,
                         const edge__local_chain *chain);

/* A zeroed state of size bytes for one run of chain as a job named name
 * (static text, for the log): no provider call, time now_ms, deadline now_ms + EDGE__LOCAL_JOB_MS. Run
 * it with edge__local_op_run; at its end, an error other than the ones
 * finish turns into 0 is logged. Cancelled only by
 * edge__local_op_cancel_all. Never NULL. */
#define EDGE__LOCAL_JOB_MS 10000
void *edge__local_job_new(edge_local_provider *lp, size_t size, const edge__local_chain *chain,
                          const char *name, int64_t now_ms);

/* Run the chain from its first step. */
void edge__local_op_run(edge__local_op *op);

/* Run the chain (rc 0), or end it at once with rc: an op whose arguments
 * were refused while its state was filled completes its call without a
 * store op. */
void edge__local_op_start(edge__local_op *op, int rc);

/* Move on to the next step without a store op (or end with 0 after the
 * last). */
void edge__local_op_next(edge__local_op *op);

/* Run the current step again after the store op it is about to start
 * (a step that walks a list, one store op per item). Call just before
 * EDGE__LOCAL_STORE. */
void edge__local_op_again(edge__local_op *op);

/* End the chain now with rc (0 or an error): finish, release, free,
 * complete the provider call. */
void edge__local_op_end(edge__local_op *op, int rc);

/* Cancel the chain running for pc, if one is: 1 (the chain is gone, no
 * callback follows), or 0 when pc is not one of lp's chains. */
int edge__local_op_cancel(edge_local_provider *lp, edge_provider_call *pc);

/* Cancel every chain in flight (the provider is being destroyed). */
void edge__local_op_cancel_all(edge_local_provider *lp);

/* Copy an argument the chain keeps into its state (the provider's
 * arguments are borrowed for the start call only): 0, or EINVAL when src
 * (NULL copies as "") does not fit in cap bytes. */
int edge__local_op_copy(char *dst, size_t cap, const char *src);

/* Start the store op `name` of op's chain on op->sc with the rest of the
 * arguments (as EDGE_STORE_ASYNC after c). Use only as a step's last act. */
#define EDGE__LOCAL_STORE(op, name, ...) EDGE__LOCAL_STORE_OR(op, 0, name, __VA_ARGS__)

/* For EDGE__LOCAL_STORE_OR: every error goes to the next step. */
#define EDGE__LOCAL_ANY_ERROR 1

/* As EDGE__LOCAL_STORE, but the error ok (an expected answer such as
 * ENOTFOUND) does not end the chain: the next step runs and reads it in
 * op->sc.rc. */
#define EDGE__LOCAL_STORE_OR(op, ok, name, ...)                                                    \
    do {                                                                                           \
        (op)->in_store = 1;                                                                        \
        (op)->tolerate = (ok);                                                                     \
        EDGE_STORE_ASYNC((op)->lp->astore, name, &(op)->sc, __VA_ARGS__);                          \
    } while (0)

/* One unit of a rate limit, as a chain step (local_limits.c). */
typedef struct edge__local_take {
    char key[EDGE_STORE_KEY_MAX]; /* "<limit>:<id>" */
    const char *limit;            /* static: "messages", "redeems", ... */
    edge_rate rate;               /* max 0: always allowed, no store op */
    int64_t retry_ms;             /* the store's answer with ELIMITED */
} edge__local_take;
/* Name the counter: 0, or EINVAL when the key does not fit. */
int edge__local_take_init(edge__local_take *t, const char *limit, const char *id,
                          const edge_rate *rate);
/* The step's work: take one unit of t (or move on when the rate allows
 * everything). A refusal ends the chain with ELIMITED; the op's finish
 * then calls edge__local_take_limited. */
void edge__local_take_step(edge__local_op *op, edge__local_take *t);
/* Fill the provider call's limited from t; returns ELIMITED. */
int edge__local_take_limited(edge__local_op *op, const edge__local_take *t);

/* The steps array's length. */
#define EDGE__LOCAL_STEPS(...)                                                                     \
    (const edge__local_step_fn[]){__VA_ARGS__},                                                    \
        sizeof((const edge__local_step_fn[]){__VA_ARGS__}) / sizeof(edge__local_step_fn)

#endif
