/* tls.c - one connection's TLS: the handshake by mbedTLS through memory
 * buffers, then the records (ours with libcrypto, or mbedTLS's).
 *
 * mbedTLS's bio callbacks never touch the socket: recv takes bytes from
 * `in` (WANT_READ when empty), send appends to `out` and always succeeds,
 * so mbedTLS never sees WANT_WRITE and the connection (net/conn.c) decides
 * when and how to write. Resumption is told from a full handshake by the
 * state machine: only a full handshake passes through the state where the
 * server sends its certificate.
 *
 * The hand-over (EDGE_TLS_LIBCRYPTO): while a handshake step runs, the
 * generation's key export writes into this connection's `keys`. When the
 * handshake is over, mbedTLS has read exactly up to the end of the client's
 * Finished record (for TLS it fetches a record header, then its body,
 * never more), so whatever is left in `in` is the client's first records
 * under the new keys, for our record layer. The sequence numbers are read
 * from mbedTLS's context (next to read, next to write) and its context is
 * freed, with its 2 x 16 KiB record buffers. If mbedTLS still holds
 * anything unprocessed, or the suite is not one the layer knows, mbedTLS
 * keeps the records for this connection. */
#include "net/tls.h"

#include <mbedtls/platform_util.h>
#include <string.h>

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    edge_tls_conn *tc = ctx;
    edge_buf_append(&tc->out, buf, len);
    return (int)len;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    edge_tls_conn *tc = ctx;
    size_t avail = tc->in.len - tc->in_off;
    if (avail == 0)
        return MBEDTLS_ERR_SSL_WANT_READ;
    if (len > avail)
        len = avail;
    memcpy(buf, tc->in.data + tc->in_off, len);
    tc->in_off += len;
    if (tc->in_off == tc->in.len) { /* all consumed: start over at the front */
        edge_buf_reset(&tc->in);
        tc->in_off = 0;
    }
    return (int)len;
}

int edge_tls_conn_init(edge_tls_conn *tc, edge_tls *t)
{
    memset(tc, 0, sizeof(*tc));
    tc->tls = t;
    tc->gen = edge__tls_acquire(t);
    mbedtls_ssl_init(&tc->ssl);
    if (mbedtls_ssl_setup(&tc->ssl, edge__tls_conf(tc->gen)) != 0) {
        edge_tls_conn_free(tc);
        return -1;
    }
    mbedtls_ssl_set_bio(&tc->ssl, tc, bio_send, bio_recv, NULL);
    return 0;
}

void edge_tls_conn_free(edge_tls_conn *tc)
{
    mbedtls_ssl_free(&tc->ssl); /* (a no-op after the hand-over: it was zeroed) */
#ifdef EDGE_TLS_LIBCRYPTO
    edge__tls_rec_free(&tc->rec);
    mbedtls_platform_zeroize(&tc->keys, sizeof(tc->keys));
#endif
    edge__tls_release(tc->gen);
    tc->gen = NULL;
    edge_buf_free(&tc->in);
    edge_buf_free(&tc->out);
}

void edge_tls_conn_feed(edge_tls_conn *tc, const char *data, size_t len)
{
    edge_buf_append(&tc->in, data, len);
}

#ifdef EDGE_TLS_LIBCRYPTO
static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Take the records over from mbedTLS if that can be exact (see the top).
 * The counters and in_left are fields of mbedTLS 2.28's context (public in
 * 2.x; a move to 3.x must read them some other way). */
static void hand_over(edge_tls_conn *tc)
{
    mbedtls_ssl_context *ssl = &tc->ssl;
    if (ssl->in_left != 0 || mbedtls_ssl_check_pending(ssl) || ssl->out_left != 0 ||
        edge__tls_rec_init(&tc->rec, &tc->keys, get_u64(ssl->in_ctr), get_u64(ssl->cur_out_ctr)) != 0)
        goto out;
    tc->own_records = 1;
    mbedtls_ssl_free(ssl);
out:
    mbedtls_platform_zeroize(&tc->keys, sizeof(tc->keys));
}
#endif

int edge_tls_conn_handshake(edge_tls_conn *tc)
{
    if (tc->ready)
        return EDGE_TLS_READY;
#ifdef EDGE_TLS_LIBCRYPTO
    edge__tls_keys_sink(tc->gen, &tc->keys);
#endif
    int result = EDGE_TLS_READY;
    while (tc->ssl.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
        int rc = mbedtls_ssl_handshake_step(&tc->ssl);
        if (tc->ssl.state == MBEDTLS_SSL_SERVER_CERTIFICATE)
            tc->full = 1;
        if (rc != 0) {
            result = rc == MBEDTLS_ERR_SSL_WANT_READ ? EDGE_TLS_AGAIN : EDGE_TLS_FAIL;
            break;
        }
    }
#ifdef EDGE_TLS_LIBCRYPTO
    edge__tls_keys_sink(tc->gen, NULL);
#endif
    if (result != EDGE_TLS_READY)
        return result;
    tc->ready = 1;
    edge_tls_stats *st = edge_tls_stats_of(tc->tls);
    st->handshakes++;
    if (!tc->full)
        st->resumed++;
#ifdef EDGE_TLS_LIBCRYPTO
    hand_over(tc);
#endif
    return EDGE_TLS_READY;
}

#ifdef EDGE_TLS_LIBCRYPTO
/* Seal one alert record into the output. */
static void send_alert(edge_tls_conn *tc, int level, int desc)
{
    unsigned char a[2] = {(unsigned char)level, (unsigned char)desc};
    edge_tls_piece piece = {a, sizeof(a)};
    (void)edge__tls_rec_seal(&tc->rec, &tc->out, EDGE_TLS_CT_ALERT, &piece, 1);
}

/* A fatal problem with the client's records: alert (if any), count, FAIL. */
static int record_fail(edge_tls_conn *tc, int desc)
{
    if (desc > 0 && !tc->dead)
        send_alert(tc, 2, desc);
    tc->dead = 1;
    edge_tls_stats_of(tc->tls)->record_failures++;
    return EDGE_TLS_FAIL;
}

/* Everything in `in` is used (no plaintext is waiting in it either): start
 * over at the front. */
static void in_reset_if_done(edge_tls_conn *tc)
{
    if (tc->in_off == tc->in.len && tc->plain_len == 0) {
        edge_buf_reset(&tc->in);
        tc->in_off = tc->plain_off = 0;
    }
}

/* Hand out decrypted bytes kept in `in` (plain_off, plain_len). */
static int give_plain(edge_tls_conn *tc, char *buf, size_t cap)
{
    size_t n = tc->plain_len < cap ? tc->plain_len : cap;
    memcpy(buf, tc->in.data + tc->plain_off, n);
    tc->plain_off += n;
    tc->plain_len -= n;
    in_reset_if_done(tc);
    return (int)n;
}

/* One record that is not application data: an alert or a handshake. */
static int other_record(edge_tls_conn *tc, int type, const unsigned char *p, size_t len)
{
    if (type == EDGE_TLS_CT_ALERT) {
        if (len != 2)
            return record_fail(tc, EDGE_TLS_ALERT_DECODE_ERROR);
        if (p[1] == EDGE_TLS_ALERT_CLOSE_NOTIFY)
            return EDGE_TLS_EOF;
        if (p[0] == 2) /* fatal: the client is gone; nothing to answer */
            return record_fail(tc, 0);
        return EDGE_TLS_AGAIN; /* a warning: ignored */
    }
    if (type == EDGE_TLS_CT_HANDSHAKE) { /* renegotiation is not offered (RFC 5246 7.2.2) */
        send_alert(tc, 1, EDGE_TLS_ALERT_NO_RENEGOTIATION);
        return EDGE_TLS_AGAIN;
    }
    return record_fail(tc, EDGE_TLS_ALERT_UNEXPECTED_MESSAGE);
}

static int own_read(edge_tls_conn *tc, char *buf, size_t cap)
{
    if (tc->dead)
        return EDGE_TLS_FAIL;
    for (;;) {
        if (tc->plain_len > 0)
            return give_plain(tc, buf, cap);
        int type = 0;
        unsigned char *plain = NULL;
        size_t plen = 0;
        unsigned char *rec = (unsigned char *)tc->in.data + tc->in_off;
        int n = edge__tls_rec_open(&tc->rec, rec, tc->in.len - tc->in_off, &type, &plain, &plen);
        if (n == 0) { /* a partial record: move it to the front so `in` stays small */
            if (tc->in_off > 0) {
                edge_buf_consume(&tc->in, tc->in_off);
                tc->in_off = 0;
            }
            return EDGE_TLS_AGAIN;
        }
        if (n < 0)
            return record_fail(tc, -n);
        tc->in_off += (size_t)n;
        if (type == EDGE_TLS_CT_APPDATA) { /* handed out from `in` (decrypted in place) */
            tc->plain_off = (size_t)(plain - (unsigned char *)tc->in.data);
            tc->plain_len = plen;
            in_reset_if_done(tc); /* (an empty record) */
            continue;
        }
        int r = other_record(tc, type, plain, plen);
        in_reset_if_done(tc);
        if (r != EDGE_TLS_AGAIN)
            return r;
    }
}
#endif

int edge_tls_conn_read(edge_tls_conn *tc, char *buf, size_t cap)
{
    if (tc->dead)
        return EDGE_TLS_FAIL;
#ifdef EDGE_TLS_LIBCRYPTO
    if (tc->own_records)
        return own_read(tc, buf, cap);
#endif
    int rc = mbedtls_ssl_read(&tc->ssl, (unsigned char *)buf, cap);
    if (rc > 0)
        return rc;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ)
        return EDGE_TLS_AGAIN;
    if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || rc == 0)
        return EDGE_TLS_EOF;
    edge_tls_stats_of(tc->tls)->record_failures++;
    tc->dead = 1; /* mbedTLS sent its alert if it had one */
    return EDGE_TLS_FAIL;
}

int edge_tls_conn_write(edge_tls_conn *tc, const char *data, size_t len)
{
    edge_tls_piece piece = {data, len};
    return edge_tls_conn_writev(tc, &piece, 1);
}

/* mbedTLS writes all of buf (bio_send never blocks, so an error is real). */
static int mbedtls_write_all(edge_tls_conn *tc, const unsigned char *buf, size_t len)
{
    for (size_t off = 0; off < len;) {
        int rc = mbedtls_ssl_write(&tc->ssl, buf + off, len - off);
        if (rc <= 0)
            return EDGE_TLS_FAIL;
        off += (size_t)rc;
    }
    return 0;
}

/* mbedTLS's records: gather the pieces through a 16 KiB stack buffer so
 * that each mbedtls_ssl_write makes one full-size record. */
static int mbedtls_writev(edge_tls_conn *tc, const edge_tls_piece *pieces, size_t n)
{
    unsigned char plain[16384];
    size_t fill = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = pieces[i].data;
        size_t left = pieces[i].len;
        while (left > 0) {
            size_t k = left < sizeof(plain) - fill ? left : sizeof(plain) - fill;
            memcpy(plain + fill, p, k);
            fill += k;
            p += k;
            left -= k;
            if (fill == sizeof(plain)) {
                if (mbedtls_write_all(tc, plain, fill) != 0)
                    return EDGE_TLS_FAIL;
                fill = 0;
            }
        }
    }
    return fill > 0 ? mbedtls_write_all(tc, plain, fill) : 0;
}

int edge_tls_conn_writev(edge_tls_conn *tc, const edge_tls_piece *pieces, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += pieces[i].len;
    if (total == 0)
        return 0; /* (a batch that only carries an alert or handshake bytes) */
    if (tc->dead)
        return EDGE_TLS_FAIL;
#ifdef EDGE_TLS_LIBCRYPTO
    if (tc->own_records) {
        return edge__tls_rec_seal(&tc->rec, &tc->out, EDGE_TLS_CT_APPDATA, pieces, n) == 0
                   ? 0
                   : EDGE_TLS_FAIL;
    }
#endif
    return mbedtls_writev(tc, pieces, n);
}

void edge_tls_conn_close_notify(edge_tls_conn *tc)
{
    if (!tc->ready || tc->dead)
        return;
    tc->dead = 1;
#ifdef EDGE_TLS_LIBCRYPTO
    if (tc->own_records) {
        send_alert(tc, 1, EDGE_TLS_ALERT_CLOSE_NOTIFY);
        return;
    }
#endif
    (void)mbedtls_ssl_close_notify(&tc->ssl);
}
