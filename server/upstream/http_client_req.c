/* http_client_req.c - one upstream request: validate and serialize it, run
 * its deadline, cancel it, and fire its callback exactly once.
 *
 * A request's memory is freed in the close callback of its deadline timer,
 * which is closed right after the completion callback returns, so the
 * handle stays valid for the whole callback. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/mem.h"
#include "upstream/http_client_internal.h"

static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int is_token(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (; *s; s++)
        if (!is_tchar((unsigned char)*s))
            return 0;
    return 1;
}

/* Visible ASCII, space and tab only: no CR, LF or other control byte. */
static int is_field_text(const char *s, int allow_space)
{
    if (s == NULL)
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 && c != '\t')
            return 0;
        if (c == 0x7f || (c == ' ' && !allow_space))
            return 0;
    }
    return 1;
}

static int is_reserved(const char *name)
{
    static const char *const reserved[] = {"Host", "Content-Length", "Transfer-Encoding",
                                           "Connection"};
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strcasecmp(name, reserved[i]) == 0)
            return 1;
    return 0;
}

static int validate(const edge_upstream_request *r)
{
    if (!is_token(r->method) || !is_field_text(r->path ? r->path : "", 0))
        return EDGE_UPSTREAM_EINVAL;
    if (r->n_headers && r->headers == NULL)
        return EDGE_UPSTREAM_EINVAL;
    for (size_t i = 0; i < r->n_headers; i++) {
        const edge_upstream_header *h = &r->headers[i];
        if (!is_token(h->name) || !is_field_text(h->value, 1) || is_reserved(h->name))
            return EDGE_UPSTREAM_EINVAL;
    }
    if (r->body_len && r->body == NULL)
        return EDGE_UPSTREAM_EINVAL;
    return 0;
}

static int method_is_idempotent(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "PUT") == 0 ||
           strcmp(m, "DELETE") == 0 || strcmp(m, "OPTIONS") == 0;
}

static void serialize(const edge_upstream *u, const edge_upstream_request *r, edge_buf *out)
{
    const char *path = r->path ? r->path : "";
    edge_buf_appendf(out, "%s ", r->method);
    edge_buf_append_str(out, u->base_path);
    if (path[0] == '/' && path[1] == '\0' && u->base_path[0])
        path++; /* "/" under a base path means the base itself */
    if (path[0] != '/' && (path[0] != '\0' || !u->base_path[0]) &&
        !(path[0] == '?' && u->base_path[0]))
        edge_buf_append(out, "/", 1);
    edge_buf_append_str(out, path);
    edge_buf_appendf(out, " HTTP/1.1\r\nHost: %s\r\n", u->host);
    for (size_t i = 0; i < r->n_headers; i++)
        edge_buf_appendf(out, "%s: %s\r\n", r->headers[i].name, r->headers[i].value);
    int has_body = r->body_len > 0 || strcmp(r->method, "POST") == 0 ||
                   strcmp(r->method, "PUT") == 0 || strcmp(r->method, "PATCH") == 0;
    if (has_body) {
        edge_buf_append(out, "Content-Length: ", 16);
        edge_buf_append_uint(out, r->body_len, 1);
        edge_buf_append(out, "\r\n", 2);
    }
    edge_buf_append(out, "\r\n", 2);
    if (r->body_len)
        edge_buf_append(out, r->body, r->body_len);
}

static void on_timer_closed(uv_handle_t *h)
{
    edge_upstream_req *req = h->data;
    edge_upstream *u = req->u;
    edge_buf_free(&req->wire);
    free(req);
    u->alive--;
    edge__upstream_release(u);
}

static void on_deadline(uv_timer_t *t)
{
    edge_upstream_req *req = t->data;
    if (req->state == EDGE__REQ_DEFERRED) {
        edge__upstream_req_fail(req, req->pending_error);
        return;
    }
    edge__upstream_conn *c = req->conn;
    edge__upstream_req_fail(req, EDGE_UPSTREAM_ETIMEOUT);
    if (c != NULL)
        edge__upstream_conn_close(c);
    edge__upstream_pump(req->u);
}

int edge_upstream_start(edge_upstream *u, const edge_upstream_request *r, edge_upstream_cb cb,
                        void *opaque, edge_upstream_req **out)
{
    if (r == NULL || cb == NULL)
        return EDGE_UPSTREAM_EINVAL;
    int rc = validate(r);
    if (rc < 0)
        return rc;
    if (u->closing || u->queued >= u->opts.max_queued)
        return EDGE_UPSTREAM_EBUSY;
    edge_upstream_req *req = edge_xcalloc(1, sizeof(*req));
    req->u = u;
    req->cb = cb;
    req->opaque = opaque;
    req->idempotent = r->idempotent || method_is_idempotent(r->method);
    req->head_method = strcmp(r->method, "HEAD") == 0;
    serialize(u, r, &req->wire);
    uv_timer_init(u->loop, &req->timer);
    req->timer.data = req;
    u->alive++;
    req->all_next = u->reqs;
    if (u->reqs)
        u->reqs->all_prev = req;
    u->reqs = req;
    unsigned timeout = r->timeout_ms ? r->timeout_ms : u->opts.request_timeout_ms;
    uv_timer_start(&req->timer, on_deadline, timeout, 0);
    if (out)
        *out = req;
    edge__upstream_enqueue(u, req, 0);
    edge__upstream_pump(u);
    return 0;
}

void edge__upstream_req_finish(edge_upstream_req *req, const edge_upstream_result *res)
{
    edge_upstream *u = req->u;
    if (req->state == EDGE__REQ_DONE)
        return;
    if (req->state == EDGE__REQ_QUEUED) {
        if (req->prev)
            req->prev->next = req->next;
        else
            u->q_head = req->next;
        if (req->next)
            req->next->prev = req->prev;
        else
            u->q_tail = req->prev;
        req->prev = req->next = NULL;
        u->queued--;
    }
    if (req->conn != NULL) {
        req->conn->req = NULL;
        req->conn = NULL;
    }
    if (req->all_prev)
        req->all_prev->all_next = req->all_next;
    else
        u->reqs = req->all_next;
    if (req->all_next)
        req->all_next->all_prev = req->all_prev;
    req->state = EDGE__REQ_DONE;
    uv_timer_stop(&req->timer);
    u->stats.completed++;
    edge_upstream_cb cb = req->cb;
    req->cb = NULL;
    cb(req, res, req->opaque);
    uv_close((uv_handle_t *)&req->timer, on_timer_closed);
}

void edge__upstream_req_fail(edge_upstream_req *req, int error)
{
    edge_upstream_result res;
    memset(&res, 0, sizeof(res));
    res.error = error;
    res.body = "";
    edge__upstream_req_finish(req, &res);
}

void edge__upstream_req_defer_fail(edge_upstream_req *req, int error)
{
    req->state = EDGE__REQ_DEFERRED;
    req->pending_error = error;
    uv_timer_start(&req->timer, on_deadline, 0, 0);
}

int edge__upstream_req_may_retry(const edge_upstream_req *req, int written)
{
    return !req->retried && (req->idempotent || !written);
}

void edge_upstream_cancel(edge_upstream_req *req)
{
    if (req == NULL || req->state == EDGE__REQ_DONE)
        return;
    edge__upstream_conn *c = req->conn;
    edge__upstream_req_fail(req, EDGE_UPSTREAM_ECANCELLED);
    if (c != NULL)
        edge__upstream_conn_close(c);
    edge__upstream_pump(req->u);
}
