/* conn_write.c - a connection's output: write batches.
 *
 * Every response produced while handling one read is serialized into one
 * batch (heads and owned bodies in one buffer, borrowed file bodies spliced
 * in as their own segments) and sent with one write: first uv_try_write,
 * then uv_write for what the socket did not take. Over TLS the batch is
 * encrypted as one run of full-size records first. A finished batch is kept
 * as the connection's spare so keep-alive requests reuse its memory. The
 * connection's life (reading, timers, closing) is conn.c. */
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "net/conn.h"
#include "net/server.h"
#include "net/tls.h"

/* One uv_write: serialized heads and owned bodies in `bytes`, with borrowed
 * (shared) bodies spliced in between as separate segments. */
typedef struct edge_segment {
    const char *shared; /* borrowed bytes, or NULL for bytes[off..off+len) */
    size_t off, len;
} edge_segment;

typedef struct edge_release {
    edge_release_fn fn;
    void *opaque;
} edge_release;

typedef struct edge_write {
    uv_write_t req;
    edge_conn *conn;
    edge_buf bytes;
    edge_segment *segs;
    size_t nsegs, segs_cap;
    edge_release *releases;
    size_t nreleases, releases_cap;
    size_t open_seg_off; /* start of the owned run being built */
} edge_write;

/* ---- write batches ---------------------------------------------------- */

static edge_write *batch_get(edge_conn *c)
{
    if (c->batch == NULL) {
        if (c->spare) { /* reuse the last batch's allocations */
            c->batch = c->spare;
            c->spare = NULL;
        } else {
            c->batch = edge_xcalloc(1, sizeof(edge_write));
            c->batch->conn = c;
        }
    }
    return c->batch;
}

static void batch_push_seg(edge_write *w, const char *shared, size_t off, size_t len)
{
    if (len == 0)
        return;
    if (w->nsegs == w->segs_cap) {
        w->segs_cap = w->segs_cap ? w->segs_cap * 2 : 4;
        w->segs = edge_xrealloc(w->segs, w->segs_cap * sizeof(edge_segment));
    }
    w->segs[w->nsegs++] = (edge_segment){shared, off, len};
}

/* Close the owned run [open_seg_off, bytes.len) as a segment. */
static void batch_cut_owned(edge_write *w)
{
    batch_push_seg(w, NULL, w->open_seg_off, w->bytes.len - w->open_seg_off);
    w->open_seg_off = w->bytes.len;
}

static void batch_add_release(edge_write *w, edge_release_fn fn, void *opaque)
{
    if (w->nreleases == w->releases_cap) {
        w->releases_cap = w->releases_cap ? w->releases_cap * 2 : 4;
        w->releases = edge_xrealloc(w->releases, w->releases_cap * sizeof(edge_release));
    }
    w->releases[w->nreleases++] = (edge_release){fn, opaque};
}

static void batch_run_releases(edge_write *w)
{
    for (size_t i = 0; i < w->nreleases; i++)
        w->releases[i].fn(w->releases[i].opaque);
    w->nreleases = 0;
}

static void batch_free(edge_write *w)
{
    batch_run_releases(w);
    edge_buf_free(&w->bytes);
    free(w->segs);
    free(w->releases);
    free(w);
}

/* A batch whose bytes are all written: keep it as the spare for the next
 * response on this connection, or free it if a spare is already kept. */
static void batch_done(edge_conn *c, edge_write *w)
{
    /* A stream writes seldom (events, a heartbeat every 15 s): it keeps no
     * spare, so an idle stream holds no write buffer. */
    if (c->spare != NULL || c->closing || c->stream.active || w->bytes.cap > 65536) {
        batch_free(w);
        return;
    }
    batch_run_releases(w);
    edge_buf_reset(&w->bytes);
    w->nsegs = 0;
    w->open_seg_off = 0;
    c->spare = w;
}

void edge__write_response(edge_conn *c, const edge_request *req, edge_response *res, int keep_alive)
{
    edge_write *w = batch_get(c);
    edge_http1_write_head(&w->bytes, res, keep_alive, edge_server_date(c->server));
    int method = req ? req->method : HTTP_GET;
    if (edge_http1_status_has_no_body(res->status, method))
        return;
    if (res->shared) {
        batch_cut_owned(w);
        batch_push_seg(w, res->shared, 0, res->shared_len);
        if (res->release)
            batch_add_release(w, res->release, res->release_opaque);
        res->release = NULL; /* the batch releases it after the write */
    } else {
        edge_buf_append(&w->bytes, res->body.data, res->body.len);
    }
}

static void on_write(uv_write_t *req, int status)
{
    edge_write *w = req->data;
    edge_conn *c = w->conn;
    c->writes_pending--;
    batch_done(c, w);
    if (c->closing)
        return;
    if (status < 0) {
        edge__conn_close(c);
        return;
    }
    edge__conn_after_output(c);
}

/* Skip the first n bytes of bufs (already written); returns the first buffer
 * that still has bytes, adjusted, and updates *count. */
static uv_buf_t *skip_written(uv_buf_t *bufs, size_t *count, size_t n)
{
    while (*count > 0 && n >= bufs->len) {
        n -= bufs->len;
        bufs++;
        (*count)--;
    }
    if (*count > 0) {
        bufs->base += n;
        bufs->len -= n;
    }
    return bufs;
}

/* Over TLS: encrypt the batch's plaintext (heads, owned and shared bodies)
 * as one run of full-size records, read straight from the segments, and
 * replace the batch's segments with the ciphertext, preceded by any
 * handshake bytes still waiting. The ciphertext buffer and the batch's
 * byte buffer trade places, so keep-alive requests reuse both. Shared
 * bodies are released at once: their bytes have been encrypted. Returns 0
 * or -1 (then close). */
static int batch_seal(edge_conn *c, edge_write *w)
{
    edge_tls_conn *tc = c->tls;
    edge_tls_piece stackpieces[16];
    edge_tls_piece *pieces =
        w->nsegs <= 16 ? stackpieces : edge_xmalloc(w->nsegs * sizeof(edge_tls_piece));
    for (size_t i = 0; i < w->nsegs; i++) {
        const edge_segment *seg = &w->segs[i];
        pieces[i].data = seg->shared ? seg->shared : w->bytes.data + seg->off;
        pieces[i].len = seg->len;
    }
    int rc = edge_tls_conn_writev(tc, pieces, w->nsegs);
    if (pieces != stackpieces)
        free(pieces);
    batch_run_releases(w);
    edge_buf cipher = tc->out; /* the batch keeps the ciphertext, tls the old buffer */
    tc->out = w->bytes;
    edge_buf_reset(&tc->out);
    w->bytes = cipher;
    w->nsegs = 0;
    batch_push_seg(w, NULL, 0, w->bytes.len);
    w->open_seg_off = w->bytes.len;
    return rc == 0 ? 0 : -1;
}

void edge__write_flush(edge_conn *c)
{
    edge_write *w = c->batch;
    if (w == NULL || c->closing)
        return;
    c->batch = NULL;
    batch_cut_owned(w);
    if (c->tls != NULL && batch_seal(c, w) != 0) {
        batch_free(w);
        edge__conn_close(c);
        return;
    }
    uv_buf_t stackbufs[16];
    uv_buf_t *bufs = w->nsegs <= 16 ? stackbufs : edge_xmalloc(w->nsegs * sizeof(uv_buf_t));
    size_t total = 0, count = w->nsegs;
    for (size_t i = 0; i < w->nsegs; i++) {
        const edge_segment *seg = &w->segs[i];
        const char *base = seg->shared ? seg->shared : w->bytes.data + seg->off;
        bufs[i] = uv_buf_init((char *)base, (unsigned)seg->len);
        total += seg->len;
    }
    uv_buf_t *rest = bufs;
    int rc = 0;
    if (c->writes_pending == 0) {
        rc = uv_try_write((uv_stream_t *)&c->tcp, bufs, (unsigned)count);
        if (rc >= 0 && (size_t)rc == total) {
            batch_done(c, w);
            goto out;
        }
        if (rc >= 0)
            rest = skip_written(bufs, &count, (size_t)rc);
        else if (rc != UV_EAGAIN)
            goto fail;
    }
    w->req.data = w;
    rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, rest, (unsigned)count, on_write);
    if (rc < 0)
        goto fail; /* the callback will not fire */
    c->writes_pending++;
    goto out;
fail:
    batch_free(w);
    edge__conn_close(c);
out:
    if (bufs != stackbufs)
        free(bufs);
}

edge_buf *edge__conn_out(edge_conn *c)
{
    return &batch_get(c)->bytes;
}

void edge__write_drop(edge_conn *c)
{
    if (c->batch) {
        batch_free(c->batch);
        c->batch = NULL;
    }
    if (c->spare) {
        batch_free(c->spare);
        c->spare = NULL;
    }
}
