/* conn.c - a connection's life: read, parse, dispatch, batch writes, time out,
 * close.
 *
 * Flow: on_read feeds bytes to the HTTP/1 parser; each complete request is
 * answered at once by the server's handle hook and its response appended to
 * the current write batch; at the end of the read the batch goes out in one
 * uv_write. Timers guard each phase: a keep-alive connection idle too long is
 * closed quietly, a request head or body that trickles in too slowly
 * (slowloris) gets 408 and a close. Connections that must close are shut
 * down and then drained for a moment ("lingering close") so the client reads
 * the final response instead of a reset. Write batches are conn_write.c,
 * streams stream.c, deferred answers conn_deferred.c. */
#include "net/conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "http/deferred.h"
#include "net/server.h"
#include "net/tls.h"

#define EDGE_CONN_LINGER_MS 2000

static void conn_close(edge_conn *c);
static void conn_after_output(edge_conn *c);

/* ---- the parser ------------------------------------------------------- */

/* The request parser and its head and body buffers take about 7 KB, most of
 * a connection's memory. A connection that turns into a stream parses no
 * more requests (anything the client sends then ends it), so the parser is
 * freed when a stream starts and made again only if a keep-alive stream
 * ends and more requests may follow. 10,000 idle event streams then cost
 * about 1 KB each instead of 8. */
void edge__conn_parser_new(edge_conn *c)
{
    if (c->http == NULL) {
        c->http = edge_xmalloc(sizeof(*c->http));
        edge_http1_init(c->http, &c->server->limits);
    }
}

static void conn_parser_free(edge_conn *c)
{
    if (c->http != NULL) {
        edge_http1_free(c->http);
        free(c->http);
        c->http = NULL;
    }
}

/* ---- closing ---------------------------------------------------------- */

static void on_handle_closed(uv_handle_t *h)
{
    edge_conn *c = h->data;
    if (--c->handles_open > 0)
        return;
    edge_server *s = c->server;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->conn_count--;
    conn_parser_free(c);
    if (c->tls) {
        edge_tls_conn_free(c->tls);
        free(c->tls);
    }
    free(c);
    edge__server_conn_closed(s);
}

/* The stream is over: forget it, and tell its owner when asked to. */
void edge__conn_stream_detach(edge_conn *c, int notify)
{
    edge_stream *st = &c->stream;
    if (!st->active)
        return;
    st->active = 0;
    if (notify && st->on_close)
        st->on_close(st, st->opaque);
}

/* An abrupt close of a TLS connection (idle timeout, errors): a best-effort
 * close_notify, if nothing is waiting to be written before it and the
 * socket takes it at once. */
static void tls_close_notify_now(edge_conn *c)
{
    edge_tls_conn *tc = c->tls;
    if (tc == NULL || !tc->ready || tc->dead || c->lingering || c->writes_pending > 0 ||
        c->batch != NULL)
        return;
    edge_buf_reset(&tc->out);
    edge_tls_conn_close_notify(tc);
    if (tc->out.len > 0) {
        uv_buf_t b = uv_buf_init(tc->out.data, (unsigned)tc->out.len);
        (void)uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    }
}

static void conn_close(edge_conn *c)
{
    if (c->closing)
        return;
    tls_close_notify_now(c);
    c->closing = 1;
    edge__conn_stream_detach(c, 1);
    edge__conn_deferred_cancel(c);
    edge_buf_free(&c->held);
    edge__write_drop(c);
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

static void on_linger_timeout(uv_timer_t *t)
{
    conn_close(t->data);
}

static void on_linger_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    if (nread < 0)
        conn_close(stream->data); /* EOF or error: the client has everything */
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    edge_conn *c = h->data;
    buf->base = c->server->read_buf;
    buf->len = sizeof(c->server->read_buf);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    edge_conn *c = req->data;
    if (c->closing)
        return;
    if (status < 0 || uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_linger_read) < 0) {
        conn_close(c);
        return;
    }
    c->lingering = 1;
    uv_timer_start(&c->timer, on_linger_timeout, EDGE_CONN_LINGER_MS, 0);
}

/* All output is flushed and no more requests will be read: over TLS send
 * close_notify (RFC 5246 7.2.1), then FIN. */
static void conn_finish(edge_conn *c)
{
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_timer_stop(&c->timer);
    if (c->tls != NULL && c->tls->ready && !c->tls->dead) {
        edge_tls_conn_close_notify(c->tls);
        (void)edge__conn_out(c); /* a batch with no plaintext: it sends the alert */
        edge__write_flush(c);
        if (c->closing || c->writes_pending > 0)
            return; /* closed, or on_write comes back here (the alert is out then) */
    }
    c->shutdown_req.data = c;
    if (uv_shutdown(&c->shutdown_req, (uv_stream_t *)&c->tcp, on_shutdown) < 0)
        conn_close(c);
}

/* ---- timers ----------------------------------------------------------- */

static void send_error_and_close(edge_conn *c, const edge_request *req, int status,
                                 const char *code, const char *message);

static void on_timeout(uv_timer_t *t)
{
    edge_conn *c = t->data;
    uint64_t now = uv_now(c->server->loop);
    if (c->tls != NULL && !c->tls->ready) { /* a handshake slower than --header-timeout-ms */
        edge_tls_stats_of(c->server->tls)->failures++;
        conn_close(c);
        return;
    }
    if (c->http == NULL) { /* cannot happen: streams run no timer */
        conn_close(c);
        return;
    }
    if (now < c->phase_due) { /* armed for an earlier deadline that has moved since */
        c->timer_due = c->phase_due;
        uv_timer_start(&c->timer, on_timeout, c->phase_due - now, 0);
        return;
    }
    if (c->http->phase == EDGE_HTTP1_HEAD || c->http->phase == EDGE_HTTP1_BODY) {
        send_error_and_close(c, NULL, 408, "request_timeout",
                             "The request did not arrive in time.");
        return;
    }
    conn_close(c); /* idle keep-alive connection, or a reader that stopped reading */
}

/* Arm the timer that belongs to the parser's phase, when the phase changed.
 * Header and body timers run from the start of their phase, not from the
 * last byte, so a client cannot keep a request alive by trickling bytes.
 * A keep-alive connection moves its idle deadline with every request, and
 * restarting a libuv timer costs two heap operations each time; so the
 * deadline is kept in phase_due and the timer is restarted only when the
 * new deadline comes before the one it is armed for. A timer that fires
 * before phase_due re-arms itself for the rest (on_timeout). */
static void conn_update_timer(edge_conn *c)
{
    if (c->closing || c->lingering || c->stream.active || c->deferred != NULL || c->http == NULL ||
        c->http->phase == c->timer_phase || (c->tls != NULL && !c->tls->ready))
        return; /* (a handshake runs on the timer armed at accept; a deferred
                   answer on its deadline) */
    const edge_config *cfg = c->server->cfg;
    uint64_t ms = cfg->idle_timeout_ms;
    if (c->http->phase == EDGE_HTTP1_HEAD)
        ms = cfg->header_timeout_ms;
    else if (c->http->phase == EDGE_HTTP1_BODY)
        ms = cfg->body_timeout_ms;
    c->timer_phase = c->http->phase;
    c->phase_due = uv_now(c->server->loop) + ms;
    if (uv_is_active((uv_handle_t *)&c->timer) && c->timer_due <= c->phase_due)
        return; /* fires first, then moves itself to phase_due */
    c->timer_due = c->phase_due;
    uv_timer_start(&c->timer, on_timeout, ms, 0);
}

/* ---- requests --------------------------------------------------------- */

static void report_done(edge_conn *c, const edge_request *req, const edge_response *res)
{
    edge_server *s = c->server;
    if (s->hooks.done)
        s->hooks.done(s->hooks.ctx, c->remote, req, res, uv_hrtime() - c->request_start_ns);
}

static void send_error_and_close(edge_conn *c, const edge_request *req, int status,
                                 const char *code, const char *message)
{
    edge_response res;
    edge_response_init(&res);
    edge_response_error(&res, status, code, message);
    res.route = "protocol";
    edge__write_response(c, req, &res, 0);
    report_done(c, req, &res);
    edge_response_free(&res);
    c->close_after_write = 1;
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_timer_stop(&c->timer);
    edge__write_flush(c);
    conn_after_output(c);
}

static void dispatch(edge_conn *c)
{
    edge_server *s = c->server;
    edge_request *req = &c->http->req;
    req->remote_addr = c->remote;
    req->secure = c->tls != NULL;
    req->https_redirect_port = c->listener->redirect ? s->port : 0;
    edge_response res;
    edge_response_init(&res);
    s->hooks.handle(s->hooks.ctx, req, &res);
    edge_deferred *d = edge__deferred_take(&res);
    if (d != NULL) {
        edge_response_free(&res);
        edge__conn_defer(c, d); /* the parser stays on req until the answer */
        return;
    }
    edge__conn_answer(c, &res);
    edge_response_free(&res);
}

void edge__conn_answer(edge_conn *c, edge_response *res)
{
    edge_request *req = &c->http->req;
    int keep_alive = req->keep_alive && !res->close && !c->server->shutting_down;
    edge__write_response(c, req, res, keep_alive);
    report_done(c, req, res);
    if (res->stream) {
        conn_parser_free(c); /* req is gone from here on */
        edge__stream_start(c, res, keep_alive);
        return;
    }
    if (!keep_alive)
        c->close_after_write = 1;
    edge_http1_next(c->http);
    /* A whole request can arrive and be answered within one read, so the
     * phase may look unchanged (IDLE) afterwards: force the idle timer to
     * restart from now. */
    c->timer_phase = EDGE_HTTP1_DONE;
}

static void send_continue(edge_conn *c)
{
    static const char line[] = "HTTP/1.1 100 Continue\r\n\r\n";
    edge_buf_append(edge__conn_out(c), line, sizeof(line) - 1);
    c->http->continue_pending = 0;
}

/* Feed one read's bytes through the parser, answering each request. Bytes
 * behind a deferred answer are held until it is sent. */
static void conn_process(edge_conn *c, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len && c->http != NULL && !c->closing && !c->close_after_write) {
        if (c->deferred != NULL) {
            if (edge__conn_hold(c, data + off, len - off) != 0)
                conn_close(c); /* too much pipelined behind a pending answer */
            return;
        }
        if (c->http->phase == EDGE_HTTP1_IDLE)
            c->request_start_ns = uv_hrtime();
        size_t used = 0;
        edge_http1_result r = edge_http1_feed(c->http, data + off, len - off, &used);
        off += used;
        if (r == EDGE_HTTP1_ERROR) {
            send_error_and_close(c, NULL, c->http->error_status, c->http->error_code,
                                 c->http->error_message);
            return;
        }
        if (r == EDGE_HTTP1_REQUEST)
            dispatch(c);
        if (c->http != NULL && c->http->continue_pending)
            send_continue(c);
    }
}

/* The client sent plain HTTP to a TLS port: say so in plain HTTP (the
 * browser shows it) and close. */
static void tls_plain_http(edge_conn *c)
{
    edge_tls_conn_free(c->tls);
    free(c->tls);
    c->tls = NULL;
    send_error_and_close(c, NULL, 400, "plain_http_to_https_port",
                         "This port speaks HTTPS; use an https:// URL.");
}

/* The handshake failed or was cut off, or a record after it was bad (then
 * counted by net/tls.c): send what was written (an alert), then close. */
static void tls_fail(edge_conn *c, int handshake)
{
    if (handshake)
        edge_tls_stats_of(c->server->tls)->failures++;
    c->close_after_write = 1;
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_timer_stop(&c->timer);
    if (c->tls->out.len > 0)
        (void)edge__conn_out(c);
    edge__write_flush(c);
    conn_after_output(c);
}

/* Ciphertext in: handshake, then decrypt and process each plaintext run
 * (in server->read_buf, free once the ciphertext is copied in). Returns 0
 * when the caller should flush, -1 when the connection is already dealt
 * with. */
static int tls_input(edge_conn *c, const char *data, size_t len)
{
    edge_tls_conn *tc = c->tls;
    if (!tc->ready && tc->in.len == 0 && tc->ssl.state == MBEDTLS_SSL_HELLO_REQUEST &&
        data[0] >= 'A' && data[0] <= 'Z') {
        tls_plain_http(c);
        return -1;
    }
    edge_tls_conn_feed(tc, data, len);
    if (!tc->ready) {
        int r = edge_tls_conn_handshake(tc);
        if (r == EDGE_TLS_FAIL) {
            tls_fail(c, 1);
            return -1;
        }
        if (tc->out.len > 0)
            (void)edge__conn_out(c); /* handshake records go out with this read's flush */
        if (r == EDGE_TLS_AGAIN)
            return 0;
        c->timer_phase = EDGE_HTTP1_DONE; /* the request phases' timers from now on */
    }
    for (;;) {
        char *plain = c->server->read_buf;
        int n = edge_tls_conn_read(tc, plain, sizeof(c->server->read_buf));
        if (n == EDGE_TLS_AGAIN)
            break;
        if (n == EDGE_TLS_FAIL) { /* a bad record: its alert goes out, then close */
            edge__write_drop(c); /* answers not yet encrypted would follow the alert */
            tls_fail(c, 0);
            return -1;
        }
        if (n == EDGE_TLS_EOF && c->deferred == NULL && !c->stream.active) {
            /* close_notify: the answers so far, ours, then close */
            c->close_after_write = 1;
            uv_read_stop((uv_stream_t *)&c->tcp);
            edge__write_flush(c);
            conn_after_output(c);
            return -1;
        }
        if (n == EDGE_TLS_EOF || c->stream.active) {
            /* close_notify with an answer pending (its owner is told), or bytes
               behind a streaming request */
            conn_close(c);
            return -1;
        }
        conn_process(c, plain, (size_t)n);
        if (c->closing)
            return -1;
    }
    if (tc->out.len > 0)
        (void)edge__conn_out(c);
    return 0;
}

void edge__conn_process(edge_conn *c, const char *data, size_t len)
{
    conn_process(c, data, len);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    edge_conn *c = stream->data;
    if (nread < 0 && c->deferred != NULL) {
        conn_close(c); /* the client left before its answer: the owner is told */
        return;
    }
    if (nread < 0 && c->stream.active) {
        conn_close(c); /* a stream's client left: nothing queued is wanted */
        return;
    }
    if (nread < 0 && c->tls != NULL && !c->tls->ready) {
        if (c->tls->in.len > 0 || c->tls->ssl.state != MBEDTLS_SSL_HELLO_REQUEST)
            edge_tls_stats_of(c->server->tls)->failures++; /* left in mid-handshake */
        conn_close(c);
        return;
    }
    if (nread < 0) {
        /* EOF or error. Answers already queued still go out, then we close. */
        if (c->writes_pending == 0 && c->batch == NULL) {
            conn_close(c);
            return;
        }
        c->close_after_write = 1;
        uv_read_stop(stream);
        return;
    }
    if (nread == 0)
        return;
    if (c->tls != NULL) {
        if (tls_input(c, buf->base, (size_t)nread) != 0)
            return;
    } else if (c->stream.active) {
        /* Nothing may follow a streaming request on its connection. */
        conn_close(c);
        return;
    } else {
        conn_process(c, buf->base, (size_t)nread);
    }
    if (c->closing)
        return;
    edge__write_flush(c);
    conn_after_output(c);
}

/* After a flush or a completed write: close, pause or resume reading. */
static void conn_after_output(edge_conn *c)
{
    if (c->closing || c->lingering)
        return;
    if (c->close_after_write) {
        if (c->writes_pending == 0 && c->batch == NULL)
            conn_finish(c);
        return;
    }
    size_t queued = uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
    if (c->stream.active) {
        if (queued > c->stream.max_queued) {
            conn_close(c); /* the client does not keep up: drop it, tell the owner */
        } else if (c->stream.on_drain && queued <= c->stream.max_queued / 4) {
            edge_stream_drain_fn fn = c->stream.on_drain;
            c->stream.on_drain = NULL; /* one-shot; fn may ask again */
            fn(&c->stream, c->stream.opaque);
        }
        return;
    }
    if (!c->read_paused && queued > EDGE_CONN_MAX_QUEUED) {
        uv_read_stop((uv_stream_t *)&c->tcp); /* a client that reads nothing gets no more */
        c->read_paused = 1;
    } else if (c->read_paused && queued <= EDGE_CONN_MAX_QUEUED / 2) {
        c->read_paused = 0;
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    }
    if (c->server->shutting_down && c->http != NULL && c->http->phase == EDGE_HTTP1_IDLE &&
        c->writes_pending == 0) {
        c->close_after_write = 1;
        conn_finish(c);
        return;
    }
    conn_update_timer(c);
}

/* ---- accept and shutdown ---------------------------------------------- */

static void format_peer(edge_conn *c)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    snprintf(c->remote, sizeof(c->remote), "-");
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) < 0)
        return;
    if (ss.ss_family == AF_INET)
        uv_ip4_name((struct sockaddr_in *)&ss, c->remote, sizeof(c->remote));
    else if (ss.ss_family == AF_INET6)
        uv_ip6_name((struct sockaddr_in6 *)&ss, c->remote, sizeof(c->remote));
}

static void conn_link(edge_server *s, edge_conn *c)
{
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->conn_count++;
    s->conn_accepted++;
}

int edge_conn_accept(edge_listener *l)
{
    edge_server *s = l->server;
    edge_conn *c = edge_xcalloc(1, sizeof(*c));
    c->server = s;
    c->listener = l;
    c->request_start_ns = uv_hrtime();
    uv_tcp_init(s->loop, &c->tcp);
    uv_timer_init(s->loop, &c->timer);
    c->tcp.data = c->timer.data = c;
    c->handles_open = 2;
    conn_link(s, c);
    int rc = uv_accept((uv_stream_t *)&l->tcp, (uv_stream_t *)&c->tcp);
    if (rc < 0) {
        conn_close(c);
        return rc;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    format_peer(c);
    edge__conn_parser_new(c);
    c->timer_phase = EDGE_HTTP1_DONE; /* forces the first conn_update_timer to arm */
    if (s->conn_count > s->cfg->max_connections) {
        send_error_and_close(c, NULL, 503, "too_many_connections",
                             "The server has too many open connections; try again shortly.");
        return 0;
    }
    if (l->tls) {
        c->tls = edge_xmalloc(sizeof(*c->tls));
        if (edge_tls_conn_init(c->tls, s->tls) != 0) {
            free(c->tls);
            c->tls = NULL;
            conn_close(c);
            return UV_ENOMEM;
        }
    }
    rc = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    if (rc < 0) {
        conn_close(c);
        return rc;
    }
    if (c->tls != NULL) { /* the whole handshake must fit in --header-timeout-ms */
        c->phase_due = c->timer_due = uv_now(s->loop) + s->cfg->header_timeout_ms;
        uv_timer_start(&c->timer, on_timeout, s->cfg->header_timeout_ms, 0);
        return 0;
    }
    conn_update_timer(c);
    return 0;
}

void edge_conn_begin_shutdown(edge_conn *c)
{
    if (c->closing || c->lingering || c->close_after_write)
        return;
    if (c->stream.active) { /* EventSource clients reconnect, with Last-Event-ID */
        edge__conn_stream_detach(c, 1);
        edge__stream_append_end(c);
        c->close_after_write = 1;
        edge__write_flush(c);
        conn_after_output(c);
        return;
    }
    if ((c->http == NULL || c->http->phase == EDGE_HTTP1_IDLE) && c->writes_pending == 0 &&
        c->batch == NULL) {
        c->close_after_write = 1;
        conn_finish(c);
    }
    /* otherwise the current request's response carries Connection: close */
}

void edge_conn_force_close(edge_conn *c)
{
    conn_close(c);
}

void edge__conn_close(edge_conn *c)
{
    conn_close(c);
}

void edge__conn_after_output(edge_conn *c)
{
    conn_after_output(c);
}

void edge__conn_send(edge_conn *c)
{
    edge__write_flush(c);
    if (!c->closing)
        conn_after_output(c);
}
