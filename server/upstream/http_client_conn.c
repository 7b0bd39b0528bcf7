/* http_client_conn.c - one connection to an upstream: connect, write one
 * request, read its response, then idle in the pool or close.
 *
 * A connection carries at most one request at a time (no pipelining). It
 * goes back to the pool only when the response ended cleanly, the server
 * allows keep-alive, no byte followed the response and the request's write
 * has completed; anything else closes it. An idle connection keeps reading,
 * so a server that closes it is noticed at once; bytes arriving on an idle
 * connection close it too. A connection is freed in the close callback of
 * the last of its two handles. */
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "upstream/http_client_internal.h"

static void on_handle_closed(uv_handle_t *h)
{
    edge__upstream_conn *c = h->data;
    if (--c->handles > 0)
        return;
    edge_upstream *u = c->u;
    edge__upstream_parser_free(&c->parser);
    free(c);
    u->alive--;
    edge__upstream_release(u);
}

static void unlink_idle(edge__upstream_conn *c)
{
    edge_upstream *u = c->u;
    if (c->idle_prev)
        c->idle_prev->idle_next = c->idle_next;
    else
        u->idle = c->idle_next;
    if (c->idle_next)
        c->idle_next->idle_prev = c->idle_prev;
    c->idle_prev = c->idle_next = NULL;
    u->idle_count--;
}

void edge__upstream_conn_close(edge__upstream_conn *c)
{
    edge_upstream *u = c->u;
    if (c->state == EDGE__CONN_CLOSING)
        return;
    if (c->state == EDGE__CONN_IDLE)
        unlink_idle(c);
    if (c->prev)
        c->prev->next = c->next;
    else
        u->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    u->open--;
    c->state = EDGE__CONN_CLOSING;
    if (c->req != NULL) {
        c->req->conn = NULL;
        c->req = NULL;
    }
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

static void bind_req(edge__upstream_conn *c, edge_upstream_req *req)
{
    c->req = req;
    req->conn = c;
    req->state = EDGE__REQ_BOUND;
}

/* The connection broke before its response was complete: retry the request
 * on a fresh connection if the rule allows, else fail it with error (on the
 * next loop turn if defer, for failures found inside a start call). */
static void conn_broken(edge__upstream_conn *c, int written, int error, int defer)
{
    edge_upstream *u = c->u;
    edge_upstream_req *req = c->req;
    int retry = req != NULL && c->reused && !c->parser.got_bytes &&
                edge__upstream_req_may_retry(req, written);
    edge__upstream_conn_close(c);
    if (req != NULL && retry) {
        req->retried = 1;
        req->need_fresh = 1;
        u->stats.retries++;
        edge__upstream_enqueue(u, req, 1);
    } else if (req != NULL && defer) {
        edge__upstream_req_defer_fail(req, error);
    } else if (req != NULL) {
        edge__upstream_req_fail(req, error);
    }
    edge__upstream_pump(u);
}

static void on_write(uv_write_t *w, int status)
{
    edge__upstream_conn *c = w->data;
    c->writing = 0;
    if (c->state == EDGE__CONN_CLOSING)
        return;
    if (status < 0 && c->parser.got_bytes) {
        /* The server answered before taking the whole request (an early
         * error, say): read that answer, but never reuse the socket. */
        c->write_failed = 1;
    } else if (status < 0) {
        conn_broken(c, 1, EDGE_UPSTREAM_ECLOSED, 0);
    }
}

static void send_req(edge__upstream_conn *c)
{
    edge_upstream_req *req = c->req;
    edge__upstream_parser_reset(&c->parser, req->head_method);
    uv_buf_t b = uv_buf_init(req->wire.data, (unsigned)req->wire.len);
    c->write_req.data = c;
    c->writing = 1;
    if (uv_write(&c->write_req, (uv_stream_t *)&c->tcp, &b, 1, on_write) < 0) {
        c->writing = 0;
        conn_broken(c, 0, EDGE_UPSTREAM_ECLOSED, 1);
    }
}

static void on_idle_timeout(uv_timer_t *t)
{
    edge__upstream_conn *c = t->data;
    edge__upstream_conn_close(c);
}

static void make_idle(edge__upstream_conn *c)
{
    edge_upstream *u = c->u;
    c->state = EDGE__CONN_IDLE;
    c->idle_prev = NULL;
    c->idle_next = u->idle;
    if (u->idle)
        u->idle->idle_prev = c;
    u->idle = c;
    u->idle_count++;
    uv_timer_start(&c->timer, on_idle_timeout, u->opts.idle_timeout_ms, 0);
}

/* The response is complete: hand it to the request, pool or close c. */
static void complete(edge__upstream_conn *c, int extra_bytes)
{
    edge_upstream *u = c->u;
    edge_upstream_req *req = c->req;
    edge_buf head = c->parser.head, body = c->parser.body;
    memset(&c->parser.head, 0, sizeof(c->parser.head));
    memset(&c->parser.body, 0, sizeof(c->parser.body));
    edge_upstream_result res;
    memset(&res, 0, sizeof(res));
    res.status = c->parser.status;
    res.body = body.data ? body.data : "";
    res.body_len = body.len;
    res.head = head.data;
    res.header_count = c->parser.header_count;
    int keep = c->parser.keep_alive && !extra_bytes && !c->writing && !c->write_failed &&
               !u->closing && u->idle_count < u->opts.max_idle;
    c->req = NULL;
    req->conn = NULL;
    c->reused = 1;
    if (keep)
        make_idle(c);
    else
        edge__upstream_conn_close(c);
    edge__upstream_req_finish(req, &res);
    edge_buf_free(&head);
    edge_buf_free(&body);
    edge__upstream_pump(u);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    edge__upstream_conn *c = h->data;
    buf->base = c->u->rbuf;
    buf->len = sizeof(c->u->rbuf);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    edge__upstream_conn *c = s->data;
    edge_upstream *u = c->u;
    if (nread == 0 || c->state == EDGE__CONN_CLOSING)
        return;
    if (c->req == NULL) { /* idle: closed by the server, or bytes nobody asked for */
        edge__upstream_conn_close(c);
        edge__upstream_pump(u);
        return;
    }
    if (nread < 0) {
        int rc = nread == UV_EOF ? edge__upstream_parser_eof(&c->parser) : EDGE_UPSTREAM_ECLOSED;
        if (rc == 1)
            complete(c, 0);
        else
            conn_broken(c, 1, rc, 0);
        return;
    }
    size_t consumed = 0;
    int rc = edge__upstream_parser_feed(&c->parser, buf->base, (size_t)nread, &consumed);
    if (rc == 1) {
        complete(c, consumed < (size_t)nread);
    } else if (rc < 0) {
        edge_upstream_req *req = c->req;
        edge__upstream_conn_close(c);
        edge__upstream_req_fail(req, rc);
        edge__upstream_pump(u);
    }
}

static void on_connect_timeout(uv_timer_t *t)
{
    edge__upstream_conn *c = t->data;
    edge_upstream *u = c->u;
    edge_upstream_req *req = c->req;
    edge__upstream_conn_close(c);
    if (req != NULL)
        edge__upstream_req_fail(req, EDGE_UPSTREAM_ETIMEOUT);
    edge__upstream_pump(u);
}

static void on_connect(uv_connect_t *cr, int status)
{
    edge__upstream_conn *c = cr->data;
    edge_upstream *u = c->u;
    if (c->state == EDGE__CONN_CLOSING)
        return;
    uv_timer_stop(&c->timer);
    if (status < 0 || uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0) {
        edge_upstream_req *req = c->req;
        edge__upstream_conn_close(c);
        if (req != NULL)
            edge__upstream_req_fail(req, status == UV_ETIMEDOUT ? EDGE_UPSTREAM_ETIMEOUT
                                                                : EDGE_UPSTREAM_EREFUSED);
        edge__upstream_pump(u);
        return;
    }
    c->state = EDGE__CONN_BUSY;
    send_req(c);
}

void edge__upstream_conn_open(edge_upstream *u, edge_upstream_req *req)
{
    edge__upstream_conn *c = edge_xcalloc(1, sizeof(*c));
    c->u = u;
    edge__upstream_parser_init(&c->parser, u->opts.max_header_bytes, u->opts.max_body_bytes);
    uv_tcp_init(u->loop, &c->tcp);
    uv_timer_init(u->loop, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->connect_req.data = c;
    c->handles = 2;
    c->next = u->conns;
    if (u->conns)
        u->conns->prev = c;
    u->conns = c;
    u->open++;
    u->alive++;
    u->stats.connects++;
    c->state = EDGE__CONN_CONNECTING;
    bind_req(c, req);
    uv_tcp_nodelay(&c->tcp, 1);
    if (uv_tcp_connect(&c->connect_req, &c->tcp, (const struct sockaddr *)&u->addr, on_connect) <
        0) {
        edge__upstream_conn_close(c);
        edge__upstream_req_defer_fail(req, EDGE_UPSTREAM_EREFUSED);
        return;
    }
    uv_timer_start(&c->timer, on_connect_timeout, u->opts.connect_timeout_ms, 0);
}

void edge__upstream_conn_reuse(edge__upstream_conn *c, edge_upstream_req *req)
{
    unlink_idle(c);
    uv_timer_stop(&c->timer);
    c->state = EDGE__CONN_BUSY;
    bind_req(c, req);
    c->u->stats.reuses++;
    send_req(c);
}
