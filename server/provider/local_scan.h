/* local_scan.h - the local provider's list jobs: a store query that lists
 * what is due (calls waiting or ringing too long, agents or callers away
 * too long, queues with customers waiting), then something started for
 * each item (not a provider API).
 *
 * One mechanism for every scan the tick (and presence) runs: a job
 * (local_op.h) whose first step starts the kind's list query into a
 * bounded batch, whose second hands each item to the kind's `each` (which
 * starts jobs of its own: nobody waits for them), and whose end runs the
 * kind's `after` once every item was handed on. in_flight, when given,
 * counts the scan while it runs: the tick uses it so that two ticks never
 * overlap. With the SQLite adapter the whole scan, and every job it
 * starts, has run when edge__local_scan_start returns. */
#ifndef EDGE_LOCAL_SCAN_H
#define EDGE_LOCAL_SCAN_H

#include "provider/local_op.h"

typedef struct edge__local_scan edge__local_scan;

typedef struct edge__local_scan_kind {
    const char *name; /* the job's name for its log line (static) */
    size_t item_size; /* one item of the list */
    /* Start the list query on s as the step's last act:
     * EDGE__LOCAL_STORE(&s->base, op, ..., s->items, s->cap, &s->count). */
    void (*list)(edge__local_scan *s);
    /* Act on one item (start jobs); may be called for none. */
    void (*each)(edge__local_scan *s, const void *item);
    /* After the last item when the list answered (NULL: nothing). */
    void (*after)(edge__local_scan *s);
    /* Release what an item owns (NULL: nothing). */
    void (*item_free)(void *item);
} edge__local_scan_kind;

struct edge__local_scan {
    edge__local_op base;
    const edge__local_scan_kind *kind;
    int64_t before_ms;             /* the list's limit (the kind's meaning) */
    char arg[EDGE_STORE_TEXT_MAX]; /* the kind's argument (an agent's sub, a reason) or "" */
    void *items;                   /* cap items of kind->item_size, owned */
    size_t cap, count;
    int *in_flight; /* borrowed or NULL: +1 while the scan runs */
};

/* Start a scan of kind on lp: at most cap items, listed before before_ms,
 * arg (NULL = "") copied for the kind. */
void edge__local_scan_start(edge_local_provider *lp, const edge__local_scan_kind *kind,
                            int64_t before_ms, size_t cap, const char *arg, int *in_flight,
                            int64_t now_ms);

/* item_free for lists of edge_contact. */
void edge__local_scan_contact_free(void *item);

/* Count a job of the tick's in *in_flight (NULL: nothing) until the
 * matching edge__local_tick_job_done. */
static inline void edge__local_tick_job_begin(int *in_flight)
{
    if (in_flight != NULL)
        (*in_flight)++;
}
static inline void edge__local_tick_job_done(int *in_flight)
{
    if (in_flight != NULL)
        (*in_flight)--;
}

#endif
