/* server.c - listen, accept, and stop gracefully.
 *
 * Shutdown order matters: the listener closes first so no new connection
 * arrives, then each connection finishes what it is doing, and only when the
 * last connection and the server's own handles have closed does on_stopped
 * fire, letting main stop the loop and exit 0. */
#include "net/server.h"

#include <stdio.h>
#include <string.h>

#include "net/conn.h"

static void on_connection(uv_stream_t *listener, int status)
{
    edge_server *s = listener->data;
    if (status < 0 || s->shutting_down)
        return;
    int rc = edge_conn_accept(s);
    if (rc < 0)
        fprintf(stderr, "c2c-edge: accept failed: %s\n", uv_strerror(rc));
}

static int resolve_listen(const edge_config *cfg, struct sockaddr_storage *addr)
{
    if (uv_ip4_addr(cfg->listen_host, cfg->listen_port, (struct sockaddr_in *)addr) == 0)
        return 0;
    return uv_ip6_addr(cfg->listen_host, cfg->listen_port, (struct sockaddr_in6 *)addr);
}

static int read_bound_port(edge_server *s)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    if (uv_tcp_getsockname(&s->listener, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

int edge_server_start(edge_server *s, uv_loop_t *loop, const edge_config *cfg,
                      const edge_server_hooks *hooks, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    s->loop = loop;
    s->cfg = cfg;
    s->hooks = *hooks;
    s->limits.max_header_bytes = cfg->max_header_bytes;
    s->limits.max_uri_bytes = cfg->max_uri_bytes;
    s->limits.max_body_bytes = cfg->max_body_bytes;
    struct sockaddr_storage addr;
    int rc = resolve_listen(cfg, &addr);
    if (rc < 0) {
        snprintf(err, errlen, "--listen: cannot parse address %s", cfg->listen_host);
        return rc;
    }
    uv_tcp_init(loop, &s->listener);
    uv_timer_init(loop, &s->grace_timer);
    s->listener.data = s->grace_timer.data = s;
    s->handles_open = 2;
    rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&s->listener, 1024, on_connection);
    if (rc < 0) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", cfg->listen_host, cfg->listen_port,
                 uv_strerror(rc));
        return rc;
    }
    s->port = read_bound_port(s);
    return 0;
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
    if (!uv_is_closing((uv_handle_t *)&s->listener))
        uv_close((uv_handle_t *)&s->listener, on_own_handle_closed);
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
    uv_close((uv_handle_t *)&s->listener, on_own_handle_closed);
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
