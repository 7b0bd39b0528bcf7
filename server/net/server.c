/* server.c - listen, accept, and stop gracefully.
 *
 * Shutdown order matters: the listener closes first so no new connection
 * arrives, then each connection finishes what it is doing, and only when the
 * last connection and the server's own handles have closed does on_stopped
 * fire, letting main stop the loop and exit 0. */
#include "net/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/conn.h"

static void on_connection(uv_stream_t *listener, int status)
{
    edge_listener *l = listener->data;
    if (status < 0 || l->server->shutting_down)
        return;
    int rc = edge_conn_accept(l);
    if (rc < 0)
        fprintf(stderr, "c2c-edge: accept failed: %s\n", uv_strerror(rc));
}

static int resolve_listen(const char *host, int port, struct sockaddr_storage *addr)
{
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)addr) == 0)
        return 0;
    return uv_ip6_addr(host, port, (struct sockaddr_in6 *)addr);
}

static int read_bound_port(uv_tcp_t *tcp)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    if (uv_tcp_getsockname(tcp, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void on_own_handle_closed(uv_handle_t *h);

/* Open one listener on host:port. Returns 0 or a negative libuv error with
 * err filled. */
static int listen_one(edge_server *s, const char *host, int port, int tls, int redirect,
                      char *err, size_t errlen)
{
    struct sockaddr_storage addr;
    int rc = resolve_listen(host, port, &addr);
    if (rc < 0) {
        snprintf(err, errlen, "--listen: cannot parse address %s", host);
        return rc;
    }
    edge_listener *l = &s->listeners[s->nlisteners++];
    l->server = s;
    l->tls = tls;
    l->redirect = redirect;
    uv_tcp_init(s->loop, &l->tcp);
    l->tcp.data = l;
    s->handles_open++;
    rc = uv_tcp_bind(&l->tcp, (struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&l->tcp, 1024, on_connection);
    if (rc < 0) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, uv_strerror(rc));
        return rc;
    }
    l->port = read_bound_port(&l->tcp);
    return 0;
}

/* "HOST:PORT" as validated by the configuration. */
static int listen_text(edge_server *s, const char *text, int tls, int redirect, char *err,
                       size_t errlen)
{
    char *host;
    int port;
    if (edge_config_split_listen(text, &host, &port, err, errlen) != 0)
        return UV_EINVAL;
    int rc = listen_one(s, host, port, tls, redirect, err, errlen);
    free(host);
    return rc;
}

int edge_server_start(edge_server *s, uv_loop_t *loop, const edge_config *cfg,
                      const edge_server_hooks *hooks, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    s->loop = loop;
    s->cfg = cfg;
    s->hooks = *hooks;
    s->tls = hooks->tls;
    s->limits.max_header_bytes = cfg->max_header_bytes;
    s->limits.max_uri_bytes = cfg->max_uri_bytes;
    s->limits.max_body_bytes = cfg->max_body_bytes;
    uv_timer_init(loop, &s->grace_timer);
    s->grace_timer.data = s;
    s->handles_open = 1;
    int tls = s->tls != NULL;
    int rc = listen_one(s, cfg->listen_host, cfg->listen_port, tls, 0, err, errlen);
    for (size_t i = 0; rc == 0 && i < cfg->listen_more.count; i++)
        rc = listen_text(s, cfg->listen_more.items[i], tls, 0, err, errlen);
    if (rc == 0 && tls && cfg->redirect_http != NULL)
        rc = listen_text(s, cfg->redirect_http, 0, 1, err, errlen);
    if (rc < 0)
        return rc;
    s->port = s->listeners[0].port;
    return 0;
}

static void close_listeners(edge_server *s)
{
    for (size_t i = 0; i < s->nlisteners; i++) {
        uv_handle_t *h = (uv_handle_t *)&s->listeners[i].tcp;
        if (!uv_is_closing(h)) {
            h->data = s;
            uv_close(h, on_own_handle_closed);
        }
    }
}

static void maybe_stopped(edge_server *s)
{
    if (s->conn_count == 0 && s->handles_open == 0 && s->on_stopped) {
        void (*cb)(edge_server *) = s->on_stopped;
        s->on_stopped = NULL;
        cb(s);
    }
}

static void on_own_handle_closed(uv_handle_t *h)
{
    edge_server *s = h->data;
    s->handles_open--;
    maybe_stopped(s);
}

static void on_grace_expired(uv_timer_t *t)
{
    edge_server *s = t->data;
    for (struct edge_conn *c = s->conns; c; c = c->next)
        edge_conn_force_close(c);
    if (!uv_is_closing((uv_handle_t *)&s->grace_timer))
        uv_close((uv_handle_t *)&s->grace_timer, on_own_handle_closed);
}

void edge_server_abort(edge_server *s)
{
    if (s->handles_open == 0)
        return; /* failed before any handle existed */
    close_listeners(s);
    if (!uv_is_closing((uv_handle_t *)&s->grace_timer))
        uv_close((uv_handle_t *)&s->grace_timer, on_own_handle_closed);
}

void edge__server_conn_closed(edge_server *s)
{
    if (!s->shutting_down)
        return;
    uv_handle_t *grace = (uv_handle_t *)&s->grace_timer;
    if (s->conn_count == 0 && !uv_is_closing(grace))
        uv_close(grace, on_own_handle_closed); /* nothing left to force */
    maybe_stopped(s);
}

void edge_server_shutdown(edge_server *s, void (*on_stopped)(edge_server *s))
{
    if (s->shutting_down)
        return;
    s->shutting_down = 1;
    s->on_stopped = on_stopped;
    close_listeners(s);
    struct edge_conn *next;
    for (struct edge_conn *c = s->conns; c; c = next) {
        next = c->next; /* c may unlink itself later, never synchronously */
        edge_conn_begin_shutdown(c);
    }
    uv_timer_start(&s->grace_timer, on_grace_expired, s->cfg->shutdown_grace_ms, 0);
    edge__server_conn_closed(s); /* no connections at all: stop right away */
}

const char *edge_server_date(edge_server *s)
{
    time_t now = time(NULL);
    if (now != s->date_sec) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(s->date, sizeof(s->date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
        s->date_sec = now;
    }
    return s->date;
}
