/* stream.c - streaming responses (http/stream.h) on a connection: chunked
 * framing, the slow-reader bound, end and keep-alive.
 *
 * A stream is embedded in its connection (net/conn.h); its writes go
 * through the connection's write batch, so over TLS they are encrypted like
 * any other response. The connection's life (reads, timers, closing) stays
 * in conn.c; this file only frames and hands bytes over. */
#include <uv.h>

#include "http/stream.h"
#include "net/conn.h"

void edge__stream_start(edge_conn *c, edge_response *res, int keep_alive)
{
    edge_stream *st = &c->stream;
    st->conn = c;
    st->active = 1;
    st->keep_alive = keep_alive;
    st->max_queued = res->stream_max_queued ? res->stream_max_queued : EDGE_CONN_MAX_QUEUED;
    st->on_close = res->stream_close;
    st->on_drain = NULL;
    st->opaque = res->stream_opaque;
    uv_timer_stop(&c->timer);
    c->timer_phase = EDGE_HTTP1_DONE;
    if (res->stream_open)
        res->stream_open(st, res->stream_opaque);
}

void edge__stream_append_end(edge_conn *c)
{
    static const char last[] = "0\r\n\r\n";
    edge_buf_append(edge__conn_out(c), last, sizeof(last) - 1);
}

static void append_chunk_size(edge_buf *b, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char digits[2 * sizeof(size_t)];
    int n = 0;
    do {
        digits[sizeof(digits) - 1 - n++] = hex[len & 15];
        len >>= 4;
    } while (len);
    edge_buf_append(b, digits + sizeof(digits) - n, (size_t)n);
    edge_buf_append(b, "\r\n", 2);
}

int edge_stream_write(edge_stream *st, const void *data, size_t len)
{
    edge_conn *c = st->conn;
    if (!st->active || c->closing)
        return -1;
    if (len == 0)
        return 0;
    edge_buf *out = edge__conn_out(c);
    append_chunk_size(out, len);
    edge_buf_append(out, data, len);
    edge_buf_append(out, "\r\n", 2);
    edge__conn_send(c);
    return c->closing ? -1 : 0;
}

size_t edge_stream_queued(const edge_stream *st)
{
    if (!st->active)
        return 0;
    return uv_stream_get_write_queue_size((const uv_stream_t *)&st->conn->tcp);
}

void edge_stream_when_drained(edge_stream *st, edge_stream_drain_fn on_drain)
{
    if (st->active)
        st->on_drain = on_drain;
}

void edge_stream_end(edge_stream *st)
{
    edge_conn *c = st->conn;
    if (!st->active || c->closing)
        return;
    edge__conn_stream_detach(c, 0);
    edge__stream_append_end(c);
    if (!st->keep_alive)
        c->close_after_write = 1;
    else
        edge__conn_parser_new(c); /* requests may follow */
    edge__conn_send(c);
}
