/* server.h - the listening socket, the set of connections, and shutdown.
 *
 * The server owns the listener and every connection it accepts; it hands
 * complete requests to its hooks and sends what they answer. It never looks
 * inside requests beyond HTTP framing: routing, auth and files live above it
 * (h2o's split of transport and handlers). One server runs on one uv loop;
 * all of its state is reached from the struct, none is global. */
#ifndef EDGE_SERVER_H
#define EDGE_SERVER_H

#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "config/config.h"
#include "http/http1.h"
#include "http/request.h"
#include "http/response.h"

struct edge_conn;
struct edge_tls;
struct edge_server;

#define EDGE_SERVER_MAX_LISTENERS (EDGE_CONFIG_MAX_LIST + 1)

/* One listening socket. Every --listen address serves the site (over TLS
 * when the server has a TLS context); the --redirect-http one answers 308. */
typedef struct edge_listener {
    uv_tcp_t tcp; /* tcp.data == this */
    struct edge_server *server;
    int tls;      /* its connections speak TLS */
    int redirect; /* plain HTTP; requests are marked for a redirect to https */
    int port;     /* the bound port */
} edge_listener;

typedef struct edge_server_hooks {
    /* Answer req into res (synchronously). Required. */
    void (*handle)(void *ctx, const edge_request *req, edge_response *res);
    /* Called once per answered request, including protocol errors, after
     * the response has been queued: for metrics and the access log.
     * req is NULL when the request could not be parsed; remote is the
     * peer's address text either way. */
    void (*done)(void *ctx, const char *remote, const edge_request *req,
                 const edge_response *res, uint64_t duration_ns);
    void *ctx;
    /* Borrowed; non-NULL makes every --listen address speak TLS and adds the
     * --redirect-http listener if configured. */
    struct edge_tls *tls;
} edge_server_hooks;

typedef struct edge_server {
    uv_loop_t *loop;
    edge_listener listeners[EDGE_SERVER_MAX_LISTENERS];
    size_t nlisteners; /* initialised listeners (each needs uv_close) */
    struct edge_tls *tls; /* borrowed, or NULL */
    uv_timer_t grace_timer; /* forces closes when shutdown takes too long */
    const edge_config *cfg; /* borrowed; outlives the server */
    edge_http1_limits limits;
    edge_server_hooks hooks;
    struct edge_conn *conns; /* intrusive list of open connections */
    unsigned conn_count;
    uint64_t conn_accepted;
    int port;            /* the first listener's bound port (useful with --listen :0) */
    int shutting_down;
    int handles_open;    /* listeners and grace timer not yet closed */
    void (*on_stopped)(struct edge_server *s);
    char read_buf[65536]; /* shared: read callbacks copy out before returning */
    char date[40];        /* cached IMF-fixdate for the Date header */
    time_t date_sec;
} edge_server;

/* Bind and listen on cfg->listen_host:listen_port, every cfg->listen_more
 * address and, with TLS, cfg->redirect_http. Returns 0, or a negative libuv
 * error with err filled ("cannot listen on 127.0.0.1:80: ..."). */
int edge_server_start(edge_server *s, uv_loop_t *loop, const edge_config *cfg,
                      const edge_server_hooks *hooks, char *err, size_t errlen);

/* Graceful stop: close the listener, close idle connections, let requests in
 * flight finish (their responses say Connection: close), force-close what is
 * left after cfg->shutdown_grace_ms. on_stopped fires once, after the last
 * connection and the server's own handles have closed. */
void edge_server_shutdown(edge_server *s, void (*on_stopped)(edge_server *s));

/* Undo a failed edge_server_start: close whatever handles it opened. Their
 * close callbacks run on the next uv_run. */
void edge_server_abort(edge_server *s);

/* Internal (net/ only): a connection finished closing. */
void edge__server_conn_closed(edge_server *s);

/* The Date header value for now, formatted at most once a second. */
const char *edge_server_date(edge_server *s);

#endif
