/* tiny_server.h - a small HTTP/1.1 server on libuv for the upstream client's
 * tests (header-only: each test file is one executable).
 *
 * It runs on the test's loop. What it answers is picked by the request
 * path: JSON echo by default, /chunked, /hang (never answers), /big and
 * /bigchunked (over a small body limit), /bighead, /garbage, /cut (closes
 * mid-body), /close (Connection: close), /eof (body until close), /interim
 * (a 100 first), /head, /trailing (bytes after the response), /missing
 * (404) and /stale (answers, then drops the next request on that
 * connection). It counts accepted connections and requests, so pooling is
 * checked from the server's side. Test-only code: it trusts its client. */
#ifndef C2C_TESTS_UPSTREAM_TINY_SERVER_H
#define C2C_TESTS_UPSTREAM_TINY_SERVER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uv.h>

#include "common/buf.h"

typedef struct tserver tserver;

typedef struct tconn {
    tserver *s;
    uv_tcp_t tcp;
    edge_buf in;
    int id;
    int drop_next; /* close instead of answering the next request */
    int closing;
    struct tconn *next;
} tconn;

struct tserver {
    uv_loop_t *loop;
    uv_tcp_t listener;
    int port;
    int accepts, requests, closed, open, max_open;
    tconn *conns;
    char last_body[256];
};

typedef struct wreq {
    uv_write_t req;
    tconn *t;
    int close_after;
    char data[];
} wreq;

static void tconn_freed(uv_handle_t *h)
{
    tconn *t = h->data;
    tserver *s = t->s;
    for (tconn **p = &s->conns; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            break;
        }
    edge_buf_free(&t->in);
    free(t);
}

static void tconn_close(tconn *t)
{
    if (t->closing)
        return;
    t->closing = 1;
    t->s->closed++;
    t->s->open--;
    uv_close((uv_handle_t *)&t->tcp, tconn_freed);
}

static void srv_written(uv_write_t *w, int status)
{
    wreq *r = (wreq *)w;
    if (r->close_after)
        tconn_close(r->t);
    free(r);
}

static void srv_send(tconn *t, const char *data, size_t len, int close_after)
{
    wreq *r = malloc(sizeof(*r) + len);
    memcpy(r->data, data, len);
    r->t = t;
    r->close_after = close_after;
    uv_buf_t b = uv_buf_init(r->data, (unsigned)len);
    if (uv_write(&r->req, (uv_stream_t *)&t->tcp, &b, 1, srv_written) < 0)
        free(r);
}

static void srv_send_str(tconn *t, const char *s, int close_after)
{
    srv_send(t, s, strlen(s), close_after);
}

static void answer(tconn *t, const char *method, const char *path, const char *body, size_t blen)
{
    tserver *s = t->s;
    snprintf(s->last_body, sizeof(s->last_body), "%.*s", (int)blen, body);
    if (t->drop_next) {
        tconn_close(t);
        return;
    }
    if (strcmp(path, "/hang") == 0)
        return;
    if (strcmp(path, "/chunked") == 0) {
        srv_send_str(t,
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Test: yes\r\n\r\n"
                     "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
                     0);
        return;
    }
    if (strcmp(path, "/big") == 0) {
        srv_send_str(t, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", 0);
        return;
    }
    if (strcmp(path, "/bigchunked") == 0) {
        char chunk[600];
        memset(chunk, 'x', sizeof(chunk));
        srv_send_str(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 0);
        for (int i = 0; i < 4; i++) {
            srv_send_str(t, "258\r\n", 0); /* 600 */
            srv_send(t, chunk, sizeof(chunk), 0);
            srv_send_str(t, "\r\n", 0);
        }
        return;
    }
    if (strcmp(path, "/bighead") == 0) {
        edge_buf b = EDGE_BUF_INIT;
        edge_buf_append_str(&b, "HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 100; i++)
            edge_buf_appendf(&b, "X-Filler-%d: %s\r\n", i, "0123456789012345678901234567890123");
        edge_buf_append_str(&b, "Content-Length: 0\r\n\r\n");
        srv_send(t, b.data, b.len, 0);
        edge_buf_free(&b);
        return;
    }
    if (strcmp(path, "/garbage") == 0) {
        srv_send_str(t, "SSH-2.0-OpenSSH_9.2\r\n\r\n", 0);
        return;
    }
    if (strcmp(path, "/cut") == 0) {
        srv_send_str(t, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b", 1);
        return;
    }
    if (strcmp(path, "/close") == 0) {
        srv_send_str(t, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 1);
        return;
    }
    if (strcmp(path, "/eof") == 0) {
        srv_send_str(t, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nread until eof", 1);
        return;
    }
    if (strcmp(path, "/interim") == 0) {
        srv_send_str(
            t, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0);
        return;
    }
    if (strcmp(path, "/head") == 0) {
        srv_send_str(t, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", 0);
        return;
    }
    if (strcmp(path, "/trailing") == 0) { /* bytes after the response */
        srv_send_str(t, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokJUNK", 0);
        return;
    }
    if (strcmp(path, "/stale") == 0)
        t->drop_next = 1; /* then answer like /echo */
    char out[1024];
    int n =
        snprintf(out, sizeof(out), "{\"method\":\"%s\",\"path\":\"%s\",\"conn\":%d,\"len\":%zu}",
                 method, path, t->id, blen);
    char head[256];
    int hn = snprintf(head, sizeof(head),
                      "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
                      strcmp(path, "/missing") == 0 ? "404 Not Found" : "200 OK", n);
    srv_send(t, head, (size_t)hn, 0);
    srv_send(t, out, (size_t)n, 0);
}

/* The Content-Length of the head [data, end), or 0. */
static size_t head_content_length(const char *data, const char *end)
{
    static const char name[] = "\r\ncontent-length:";
    size_t n = sizeof(name) - 1;
    for (const char *p = data; p + n <= end; p++)
        if (strncasecmp(p, name, n) == 0)
            return strtoul(p + n, NULL, 10);
    return 0;
}

/* Answer every complete request in t->in. */
static void serve(tconn *t)
{
    for (;;) {
        if (t->in.len == 0 || t->closing)
            return;
        char *end = strstr(t->in.data, "\r\n\r\n");
        if (end == NULL)
            return;
        size_t head_len = (size_t)(end - t->in.data) + 4;
        size_t clen = head_content_length(t->in.data, end);
        if (t->in.len < head_len + clen)
            return;
        char method[16] = "", path[128] = "";
        sscanf(t->in.data, "%15s %127s", method, path);
        t->s->requests++;
        char body[256];
        size_t blen = clen < sizeof(body) ? clen : sizeof(body) - 1;
        memcpy(body, t->in.data + head_len, blen);
        edge_buf_consume(&t->in, head_len + clen);
        answer(t, method, path, body, blen);
    }
}

static void srv_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    buf->base = malloc(suggested);
    buf->len = suggested;
}

static void srv_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    tconn *t = st->data;
    if (nread > 0) {
        edge_buf_append(&t->in, buf->base, (size_t)nread);
        serve(t);
    } else if (nread < 0) {
        tconn_close(t);
    }
    free(buf->base);
}

static void srv_accept(uv_stream_t *l, int status)
{
    tserver *s = l->data;
    tconn *t = calloc(1, sizeof(*t));
    t->s = s;
    t->id = ++s->accepts;
    uv_tcp_init(s->loop, &t->tcp);
    t->tcp.data = t;
    uv_accept(l, (uv_stream_t *)&t->tcp);
    t->next = s->conns;
    s->conns = t;
    if (++s->open > s->max_open)
        s->max_open = s->open;
    uv_read_start((uv_stream_t *)&t->tcp, srv_alloc, srv_read);
}

static void srv_start(tserver *s, uv_loop_t *loop)
{
    memset(s, 0, sizeof(*s));
    s->loop = loop;
    uv_tcp_init(loop, &s->listener);
    s->listener.data = s;
    struct sockaddr_in a;
    uv_ip4_addr("127.0.0.1", 0, &a);
    uv_tcp_bind(&s->listener, (const struct sockaddr *)&a, 0);
    uv_listen((uv_stream_t *)&s->listener, 128, srv_accept);
    struct sockaddr_in got;
    int len = sizeof(got);
    uv_tcp_getsockname(&s->listener, (struct sockaddr *)&got, &len);
    s->port = ntohs(got.sin_port);
}

static void srv_stop(tserver *s)
{
    uv_close((uv_handle_t *)&s->listener, NULL);
    for (tconn *t = s->conns; t; t = t->next)
        tconn_close(t);
}

#endif
