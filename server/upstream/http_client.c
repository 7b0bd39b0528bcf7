/* http_client.c - the upstream: its base URL, its request queue and its
 * connection pool, and its shutdown.
 *
 * The queue is FIFO: the head request takes the most recently idled
 * connection, else a new one while fewer than max_connections are open;
 * otherwise everyone waits until a connection is released (a response
 * completed, a connection closed, a request cancelled or timed out), which
 * calls edge__upstream_pump again. */
#include "upstream/http_client.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/mem.h"
#include "upstream/http_client_internal.h"

void edge_upstream_options_default(edge_upstream_options *o)
{
    memset(o, 0, sizeof(*o));
    o->max_connections = 8;
    o->max_idle = 4;
    o->max_queued = 1024;
    o->idle_timeout_ms = 30000;
    o->connect_timeout_ms = 2000;
    o->request_timeout_ms = 10000;
    o->max_header_bytes = 16 * 1024;
    o->max_body_bytes = 1024 * 1024;
}

static int parse_port(const char *s, size_t len, int *port)
{
    if (len == 0 || len > 5)
        return -1;
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v < 1 || v > 65535)
        return -1;
    *port = v;
    return 0;
}

/* http://HOST[:PORT][/PATH] with HOST an IPv4 literal, [IPv6] or localhost. */
static int parse_url(edge_upstream *u, const char *url)
{
    if (url == NULL || strncasecmp(url, "http://", 7) != 0)
        return -1;
    const char *host = url + 7;
    const char *slash = strchr(host, '/');
    const char *authority_end = slash ? slash : host + strlen(host);
    const char *host_end, *colon = NULL;
    char ip[64];
    if (*host == '[') {
        const char *close = memchr(host, ']', (size_t)(authority_end - host));
        if (close == NULL || (size_t)(close - host - 1) >= sizeof(ip))
            return -1;
        memcpy(ip, host + 1, (size_t)(close - host - 1));
        ip[close - host - 1] = '\0';
        host_end = close + 1;
        if (host_end != authority_end && *host_end != ':')
            return -1;
        colon = host_end != authority_end ? host_end : NULL;
    } else {
        colon = memchr(host, ':', (size_t)(authority_end - host));
        host_end = colon ? colon : authority_end;
        if (host_end == host || (size_t)(host_end - host) >= sizeof(ip))
            return -1;
        memcpy(ip, host, (size_t)(host_end - host));
        ip[host_end - host] = '\0';
    }
    int port = 80;
    if (colon && parse_port(colon + 1, (size_t)(authority_end - colon - 1), &port) < 0)
        return -1;
    if (strcasecmp(ip, "localhost") == 0)
        strcpy(ip, "127.0.0.1");
    memset(&u->addr, 0, sizeof(u->addr));
    if (uv_ip4_addr(ip, port, (struct sockaddr_in *)&u->addr) != 0 &&
        uv_ip6_addr(ip, port, (struct sockaddr_in6 *)&u->addr) != 0)
        return -1;
    const char *path = slash ? slash : "";
    size_t path_len = strlen(path);
    while (path_len && path[path_len - 1] == '/')
        path_len--;
    for (size_t i = 0; i < path_len; i++)
        if ((unsigned char)path[i] <= ' ' || path[i] == 0x7f || path[i] == '?' || path[i] == '#')
            return -1;
    u->host = edge_xstrndup(host, (size_t)(authority_end - host));
    u->base_path = edge_xstrndup(path, path_len);
    return 0;
}

int edge_upstream_create(uv_loop_t *loop, const char *base_url, const edge_upstream_options *o,
                         edge_upstream **out)
{
    edge_upstream_options opts;
    if (o == NULL)
        edge_upstream_options_default(&opts);
    else
        opts = *o;
    if (opts.max_connections == 0 || opts.max_queued == 0 || opts.connect_timeout_ms == 0 ||
        opts.request_timeout_ms == 0 || opts.max_header_bytes == 0 || opts.max_body_bytes == 0)
        return EDGE_UPSTREAM_EINVAL;
    edge_upstream *u = edge_xcalloc(1, sizeof(*u));
    if (parse_url(u, base_url) < 0) {
        free(u);
        return EDGE_UPSTREAM_EINVAL;
    }
    u->loop = loop;
    u->opts = opts;
    uv_timer_init(loop, &u->handle);
    u->handle.data = u;
    uv_unref((uv_handle_t *)&u->handle); /* it never runs; it only marks the end */
    *out = u;
    return 0;
}

void edge__upstream_enqueue(edge_upstream *u, edge_upstream_req *req, int front)
{
    req->state = EDGE__REQ_QUEUED;
    if (front) {
        req->prev = NULL;
        req->next = u->q_head;
        if (u->q_head)
            u->q_head->prev = req;
        else
            u->q_tail = req;
        u->q_head = req;
    } else {
        req->next = NULL;
        req->prev = u->q_tail;
        if (u->q_tail)
            u->q_tail->next = req;
        else
            u->q_head = req;
        u->q_tail = req;
    }
    u->queued++;
}

static edge_upstream_req *dequeue(edge_upstream *u)
{
    edge_upstream_req *req = u->q_head;
    u->q_head = req->next;
    if (u->q_head)
        u->q_head->prev = NULL;
    else
        u->q_tail = NULL;
    req->next = req->prev = NULL;
    u->queued--;
    return req;
}

/* One step: 1 if the head request was placed (or room was made), else 0. */
static int pump_one(edge_upstream *u)
{
    edge_upstream_req *req = u->q_head;
    if (!req->need_fresh && u->idle) {
        edge__upstream_conn *c = u->idle;
        edge__upstream_conn_reuse(c, dequeue(u));
        return 1;
    }
    if (u->open < u->opts.max_connections) {
        edge__upstream_conn_open(u, dequeue(u));
        return 1;
    }
    if (req->need_fresh && u->idle) { /* make room for a fresh connection */
        edge__upstream_conn_close(u->idle);
        return 1;
    }
    return 0;
}

void edge__upstream_pump(edge_upstream *u)
{
    if (u->pumping) {
        u->pump_again = 1;
        return;
    }
    u->pumping = 1;
    do {
        u->pump_again = 0;
        while (u->q_head && !u->closing && pump_one(u))
            ;
    } while (u->pump_again && !u->closing);
    u->pumping = 0;
}

static void on_closed(uv_handle_t *h)
{
    edge_upstream *u = h->data;
    if (u->on_closed)
        u->on_closed(u, u->closed_opaque);
    free(u->host);
    free(u->base_path);
    free(u);
}

void edge__upstream_release(edge_upstream *u)
{
    if (u->closing == 1 && u->alive == 0) {
        u->closing = 2; /* the last handle is closing */
        uv_close((uv_handle_t *)&u->handle, on_closed);
    }
}

void edge_upstream_close(edge_upstream *u, edge_upstream_closed_cb on_closed_cb, void *opaque)
{
    if (u == NULL || u->closing)
        return;
    u->closing = 1;
    u->on_closed = on_closed_cb;
    u->closed_opaque = opaque;
    /* Callbacks may cancel other requests: take the list head each time. */
    while (u->reqs) {
        edge__upstream_conn *c = u->reqs->conn;
        edge__upstream_req_fail(u->reqs, EDGE_UPSTREAM_ECANCELLED);
        if (c != NULL)
            edge__upstream_conn_close(c);
    }
    while (u->conns)
        edge__upstream_conn_close(u->conns);
    edge__upstream_release(u);
}

const char *edge_upstream_result_header(const edge_upstream_result *r, const char *name)
{
    if (r == NULL || r->error || r->head == NULL)
        return NULL;
    const char *p = r->head;
    for (size_t i = 0; i < r->header_count; i++) {
        const char *value = p + strlen(p) + 1;
        if (strcasecmp(p, name) == 0)
            return value;
        p = value + strlen(value) + 1;
    }
    return NULL;
}

const char *edge_upstream_strerror(int code)
{
    switch (code) {
    case 0:
        return "ok";
    case EDGE_UPSTREAM_EREFUSED:
        return "refused";
    case EDGE_UPSTREAM_ETIMEOUT:
        return "timeout";
    case EDGE_UPSTREAM_ETOOLARGE:
        return "too_large";
    case EDGE_UPSTREAM_EBADRESP:
        return "bad_response";
    case EDGE_UPSTREAM_ECANCELLED:
        return "cancelled";
    case EDGE_UPSTREAM_ECLOSED:
        return "closed";
    case EDGE_UPSTREAM_EINVAL:
        return "invalid";
    case EDGE_UPSTREAM_EBUSY:
        return "busy";
    default:
        return "unknown";
    }
}

void edge_upstream_get_stats(const edge_upstream *u, edge_upstream_stats *out)
{
    *out = u->stats;
    out->open = u->open;
    out->idle = u->idle_count;
    out->queued = u->queued;
}
