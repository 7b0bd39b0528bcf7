/* local_limits.c - the abuse limits of the embedded contact center.
 *
 * Each rate limit is a counter in the store (limit_take), named
 * "<limit>:<who>": "dials:<sub>", "messages:<participant id>",
 * "redeems:sub:<sub>", "redeems:net:<network>". Keeping the counters in the
 * store, not here, is what lets a shared store apply the same limits
 * across nodes. The other rules (one live call per identity, a contact's
 * message cap) are checks inside the store's own transactions. A chain of
 * asynchronous store steps (local_op.h) takes its units with
 * edge__local_take_step. */
#include <stdio.h>

#include "provider/local_op.h"

int edge__local_limited(edge_limited *limited, const char *limit, int64_t retry_after_ms)
{
    int64_t s = (retry_after_ms + 999) / 1000;
    limited->limit = limit;
    limited->retry_after_s = s < 1 ? 1 : s;
    return EDGE_STORE_ELIMITED;
}

int edge__local_take_init(edge__local_take *t, const char *limit, const char *id,
                          const edge_rate *rate)
{
    t->limit = limit;
    t->rate = *rate;
    t->retry_ms = 0;
    int n = snprintf(t->key, sizeof(t->key), "%s:%s", limit, id);
    return n < 0 || (size_t)n >= sizeof(t->key) ? EDGE_STORE_EINVAL : 0;
}

void edge__local_take_step(edge__local_op *op, edge__local_take *t)
{
    if (t->rate.max == 0) {
        edge__local_op_next(op);
        return;
    }
    EDGE__LOCAL_STORE(op, limit_take, t->key, t->rate.max, t->rate.window_ms, &t->retry_ms);
}

int edge__local_take_limited(edge__local_op *op, const edge__local_take *t)
{
    return edge__local_limited(&op->pc->limited, t->limit, t->retry_ms);
}
