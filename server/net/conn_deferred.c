/* conn_deferred.c - deferred answers (http/deferred.h) on a connection:
 * adopt the handle, hold pipelined input behind it, answer on completion or
 * with 504 at its deadline, and tell the owner when the connection goes.
 *
 * While an answer is pending the parser stays on its request (the request
 * stays valid for the access log and HEAD handling), the connection's timer
 * runs the deadline instead of a phase timeout, and whatever the client
 * sends meanwhile waits in c->held; once the answer is in the batch the held
 * bytes are parsed as if they had just arrived. The connection's life
 * (reads, closing) stays in conn.c. */
#include <uv.h>

#include "http/deferred.h"
#include "net/conn.h"

#define EDGE_CONN_HOLD_MAX 65536 /* pipelined bytes kept behind a pending answer */

/* Serialize d's answer, or start its stream; a deferred answer left unset
 * is a handler bug and becomes a 500. */
static void answer(edge_conn *c, edge_deferred *d)
{
    edge_response *res = &d->res;
    if (res->status != 0) {
        edge__conn_answer(c, res);
        return;
    }
    edge_response bad;
    edge_response_init(&bad);
    edge_response_error(&bad, 500, "internal", "The server could not answer.");
    bad.route = res->route;
    edge__conn_answer(c, &bad);
    edge_response_free(&bad);
}

/* The pending answer is in the batch: parse what was held, then send. */
static void resume(edge_conn *c)
{
    if (c->held.len > 0 && !c->closing) {
        edge_buf held = c->held;
        c->held = (edge_buf)EDGE_BUF_INIT; /* a new deferral holds into a fresh buffer */
        edge__conn_process(c, held.data, held.len);
        edge_buf_free(&held);
    }
    if (!c->closing)
        edge__conn_send(c);
}

static void on_complete(edge_deferred *d)
{
    edge_conn *c = d->transport;
    c->deferred = NULL;
    uv_timer_stop(&c->timer);
    answer(c, d);
    edge__deferred_free(d);
    resume(c);
}

static void on_deadline(uv_timer_t *t)
{
    edge_conn *c = t->data;
    edge_deferred *d = c->deferred;
    if (d == NULL || c->closing)
        return;
    c->deferred = NULL;
    edge_response res;
    edge_response_init(&res);
    edge_response_error(&res, 504, "upstream_timeout",
                        "The answer did not arrive in time; try again.");
    if (d->outer.len > 0)
        edge_response_add_raw_headers(&res, d->outer.data, d->outer.len);
    res.route = d->res.route;
    edge__deferred_expire(d); /* the owner's completion will be dropped */
    edge__conn_answer(c, &res);
    edge_response_free(&res);
    resume(c);
}

void edge__conn_defer(edge_conn *c, edge_deferred *d)
{
    if (d->completed) { /* answered inside the handler */
        answer(c, d);
        edge__deferred_free(d);
        return;
    }
    c->deferred = d;
    d->transport = c;
    d->on_complete = on_complete;
    uint32_t ms = d->timeout_ms ? d->timeout_ms : EDGE_DEFER_DEFAULT_TIMEOUT_MS;
    uv_timer_stop(&c->timer);
    uv_timer_start(&c->timer, on_deadline, ms, 0);
}

int edge__conn_hold(edge_conn *c, const char *data, size_t len)
{
    if (c->held.len + len > EDGE_CONN_HOLD_MAX)
        return -1;
    edge_buf_append(&c->held, data, len);
    return 0;
}

void edge__conn_deferred_cancel(edge_conn *c)
{
    edge_deferred *d = c->deferred;
    if (d == NULL)
        return;
    c->deferred = NULL;
    edge__deferred_cancel(d);
}
