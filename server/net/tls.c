/* tls.c - one connection's TLS record layer through memory buffers.
 *
 * mbedTLS's bio callbacks never touch the socket: recv takes bytes from
 * `in` (WANT_READ when empty), send appends to `out` and always succeeds,
 * so mbedTLS never sees WANT_WRITE and the connection (net/conn.c) decides
 * when and how to write. Resumption is told from a full handshake by the
 * state machine: only a full handshake passes through the state where the
 * server sends its certificate. */
#include "net/tls.h"

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
    mbedtls_ssl_free(&tc->ssl);
    edge__tls_release(tc->gen);
    tc->gen = NULL;
    edge_buf_free(&tc->in);
    edge_buf_free(&tc->out);
}

void edge_tls_conn_feed(edge_tls_conn *tc, const char *data, size_t len)
{
    edge_buf_append(&tc->in, data, len);
}

int edge_tls_conn_handshake(edge_tls_conn *tc)
{
    if (tc->ready)
        return EDGE_TLS_READY;
    while (tc->ssl.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
        int rc = mbedtls_ssl_handshake_step(&tc->ssl);
        if (tc->ssl.state == MBEDTLS_SSL_SERVER_CERTIFICATE)
            tc->full = 1;
        if (rc == MBEDTLS_ERR_SSL_WANT_READ)
            return EDGE_TLS_AGAIN;
        if (rc != 0)
            return EDGE_TLS_FAIL;
    }
    tc->ready = 1;
    edge_tls_stats *st = edge_tls_stats_of(tc->tls);
    st->handshakes++;
    if (!tc->full)
        st->resumed++;
    return EDGE_TLS_READY;
}

int edge_tls_conn_read(edge_tls_conn *tc, char *buf, size_t cap)
{
    int rc = mbedtls_ssl_read(&tc->ssl, (unsigned char *)buf, cap);
    if (rc > 0)
        return rc;
    if (rc == MBEDTLS_ERR_SSL_WANT_READ)
        return EDGE_TLS_AGAIN;
    if (rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || rc == 0)
        return EDGE_TLS_EOF;
    return EDGE_TLS_FAIL;
}

int edge_tls_conn_write(edge_tls_conn *tc, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        int rc = mbedtls_ssl_write(&tc->ssl, (const unsigned char *)data + off, len - off);
        if (rc <= 0)
            return EDGE_TLS_FAIL; /* bio_send never blocks, so this is a real error */
        off += (size_t)rc;
    }
    return 0;
}
