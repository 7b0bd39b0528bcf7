/* http_client_internal.h - the structs shared by the upstream client's files.
 *
 * http_client.c      the upstream: create, close, the queue and the pool
 * http_client_req.c  a request: start, serialize, deadline, cancel, finish
 * http_client_conn.c one connection: connect, write, read, idle, close
 * http_client_parse.c the response parser (llhttp in response mode)
 * http_client_json.c JSON helpers
 *
 * Lifetimes: a request is allocated by edge_upstream_start and freed in the
 * close callback of its deadline timer, which is closed right after its
 * completion callback returned. A connection is freed in the close callback
 * of the last of its two handles (socket, timer). The upstream is freed in
 * the close callback of its own handle, closed once nothing else is alive. */
#ifndef EDGE_UPSTREAM_HTTP_CLIENT_INTERNAL_H
#define EDGE_UPSTREAM_HTTP_CLIENT_INTERNAL_H

#include <llhttp.h>
#include <sys/socket.h>

#include "common/buf.h"
#include "upstream/http_client.h"

#define EDGE__UPSTREAM_MAX_HEADERS 100

/* A response being parsed. head and body move to the request on success. */
typedef struct edge__upstream_parser {
    llhttp_t p;
    llhttp_settings_t settings;
    size_t max_header_bytes, max_body_bytes;
    edge_buf head; /* "name\0value\0" pairs */
    edge_buf body;
    size_t header_count;
    int field_state;  /* 0 none, 1 in a name, 2 in a value */
    size_t value_off; /* where the current value starts in head */
    int in_body;      /* headers done: trailers are ignored */
    int status;
    int error;      /* EDGE_UPSTREAM_E* set by a callback */
    int got_bytes;  /* a byte of this response arrived */
    int complete;   /* the whole response arrived */
    int keep_alive; /* the server lets us reuse the connection */
} edge__upstream_parser;

typedef enum edge__upstream_req_state {
    EDGE__REQ_QUEUED,   /* in u's queue */
    EDGE__REQ_BOUND,    /* riding a connection (connecting or sent) */
    EDGE__REQ_DEFERRED, /* failing on the next loop turn (pending_error) */
    EDGE__REQ_DONE      /* callback fired; freed when its timer closes */
} edge__upstream_req_state;

typedef struct edge__upstream_conn edge__upstream_conn;

struct edge_upstream_req {
    edge_upstream *u;
    edge__upstream_req_state state;
    edge__upstream_conn *conn;              /* while BOUND */
    edge_upstream_req *prev, *next;         /* queue links while QUEUED */
    edge_upstream_req *all_prev, *all_next; /* u->reqs until the callback */
    edge_buf wire;                          /* the serialized request */
    uv_timer_t timer;                       /* the deadline; its close frees the request */
    edge_upstream_cb cb;
    void *opaque;
    int idempotent;
    int head_method;   /* HEAD: no body in the response */
    int retried;       /* already sent again once */
    int need_fresh;    /* must go on a new connection */
    int pending_error; /* for EDGE__REQ_DEFERRED */
};

typedef enum edge__upstream_conn_state {
    EDGE__CONN_CONNECTING,
    EDGE__CONN_BUSY,
    EDGE__CONN_IDLE,
    EDGE__CONN_CLOSING
} edge__upstream_conn_state;

struct edge__upstream_conn {
    edge_upstream *u;
    edge__upstream_conn_state state;
    uv_tcp_t tcp;
    uv_connect_t connect_req;
    uv_write_t write_req;
    uv_timer_t timer;       /* connect timeout, then idle timeout */
    int handles;            /* open handles; freed at 0 */
    int reused;             /* a response was completed on it before */
    int writing;            /* write_req is in flight */
    int write_failed;       /* the write failed after the response began: never reuse */
    edge_upstream_req *req; /* while BUSY or CONNECTING */
    edge__upstream_parser parser;
    edge__upstream_conn *prev, *next;           /* u->conns */
    edge__upstream_conn *idle_prev, *idle_next; /* u->idle while IDLE */
};

struct edge_upstream {
    uv_loop_t *loop;
    edge_upstream_options opts;
    struct sockaddr_storage addr;
    char *host;      /* Host header value, owned */
    char *base_path; /* without a trailing slash, owned */
    edge_upstream_req *q_head, *q_tail;
    edge_upstream_req *reqs;    /* every request whose callback has not fired */
    edge__upstream_conn *conns; /* open (not closing) connections */
    edge__upstream_conn *idle;  /* most recently idled first */
    unsigned open, idle_count, queued;
    unsigned alive; /* requests and connections not yet freed */
    int closing;
    int pumping, pump_again; /* edge__upstream_pump is not reentrant */
    uv_timer_t handle;       /* never started; closed last, its close frees u */
    edge_upstream_closed_cb on_closed;
    void *closed_opaque;
    edge_upstream_stats stats;
    char rbuf[64 * 1024]; /* read buffer, consumed before the read callback returns */
};

/* http_client.c */
/* Give queued requests to idle or new connections while the pool allows. */
void edge__upstream_pump(edge_upstream *u);
/* Queue req at the tail (new) or the head (front: a stale-connection retry). */
void edge__upstream_enqueue(edge_upstream *u, edge_upstream_req *req, int front);
/* A connection or request was freed: maybe finish the shutdown. */
void edge__upstream_release(edge_upstream *u);

/* http_client_req.c */
/* Detach req from queue or connection and fire its callback with res, then
 * close its timer. The connection, if any, is the caller's to handle. */
void edge__upstream_req_finish(edge_upstream_req *req, const edge_upstream_result *res);
void edge__upstream_req_fail(edge_upstream_req *req, int error);
/* Fail req with error on the next loop turn (never inside a start call). */
void edge__upstream_req_defer_fail(edge_upstream_req *req, int error);
/* Whether a stale-connection failure of req may be retried (see the rule). */
int edge__upstream_req_may_retry(const edge_upstream_req *req, int written);

/* http_client_conn.c */
/* Open a new connection carrying req (bound at once). */
void edge__upstream_conn_open(edge_upstream *u, edge_upstream_req *req);
/* Send req on an idle connection. */
void edge__upstream_conn_reuse(edge__upstream_conn *c, edge_upstream_req *req);
/* Close c (any state); a request still bound is detached, not failed. */
void edge__upstream_conn_close(edge__upstream_conn *c);

/* http_client_parse.c */
void edge__upstream_parser_init(edge__upstream_parser *p, size_t max_header, size_t max_body);
/* Forget the last response; head_method: the request was HEAD. */
void edge__upstream_parser_reset(edge__upstream_parser *p, int head_method);
void edge__upstream_parser_free(edge__upstream_parser *p);
/* Feed bytes. Returns 0 (need more), 1 (complete; *consumed tells how many
 * bytes it used) or a negative EDGE_UPSTREAM_E* code. */
int edge__upstream_parser_feed(edge__upstream_parser *p, const char *data, size_t len,
                               size_t *consumed);
/* The peer closed: 1 if that completed the response (a body read to EOF),
 * else EDGE_UPSTREAM_ECLOSED. */
int edge__upstream_parser_eof(edge__upstream_parser *p);

#endif
