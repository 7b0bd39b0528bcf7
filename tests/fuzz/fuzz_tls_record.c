/* fuzz_tls_record.c - libFuzzer target: the server's TLS record layer
 * (server/net/tls.c over the configuration of net/tls_certs.c), fed the
 * bytes a client sends before and after the handshake. No sockets: the
 * server side is driven the way net/conn.c drives it (feed what one read
 * brought, run the handshake until it is complete, then decrypt until more
 * input is needed, and send back what it wrote), and each plaintext run it
 * decrypts is echoed back through edge_tls_conn_write.
 *
 * Byte 0 picks the mode:
 *   bit 0 clear  raw: the rest is the client's byte stream from its first
 *                byte on (a ClientHello, or anything), cut into reads: a
 *                length byte then that many bytes; length 0 means "all the
 *                rest". No real client: this reaches the record and
 *                handshake parsers with whatever bytes arrive.
 *   bit 0 set    an in-memory mbedTLS client first completes a real
 *                handshake with the server: a full one when bit 1 is set
 *                (an ECDHE-ECDSA P-256 exchange, with SNI choosing the
 *                second certificate), otherwise one resumed with the
 *                session ticket of an earlier full handshake (no public-key
 *                operation, so fast). Then the rest is a list of
 *                operations: an op byte (low 3 bits: what; high 5 bits: a
 *                repeat count), a length byte, that many bytes:
 *                  0  the client encrypts the bytes, repeated count+1 times,
 *                     as application data (so up to 8 KiB per op)
 *                  1  the bytes go to the server as they are (a forged record)
 *                  2  the client encrypts the bytes, then one byte of the
 *                     ciphertext (at bytes[0] from the end) is flipped
 *                  3  the client sends close_notify
 *                  4  the client asks to renegotiate
 *                  5  the first count*8+length pending client bytes go to
 *                     the server, in one read (0: all of them); so records
 *                     arrive split and several at a time
 *                  6+ the bytes are handed to the client as if the server
 *                     had sent them (the client's parser; its own problem)
 *                What the client writes waits until an op 5, and all of it
 *                goes to the server at the end.
 *
 * Built with EDGE_TLS_LIBCRYPTO (the default), every record after the
 * handshake goes through the server's own record layer (net/tls_record.c,
 * libcrypto) once mbedTLS hands it over; the fixture aborts if a handshake
 * did not hand over, so the session mode always fuzzes that layer.
 *
 * Properties checked (abort on failure): the server never fails a stream
 * that stayed honest (only ops 0 and 5), decrypts exactly the bytes the
 * client encrypted, in order, and the client reads back exactly that echo;
 * each handshake counts once in the stats, and a resumed one as resumed.
 *
 * The certificates are made at start-up with mbedTLS (EC P-256, valid 2020
 * to 2099) into a temporary directory that is removed once they are
 * loaded. The client's random generator has a fixed seed; the server's is
 * the server's own (real entropy), as in production. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/ssl.h>

#include "common/buf.h"
#include "config/config.h"
#include "net/tls.h"
#include "net/tls_certs.h"
#include "server/net/tls_test_certs.h"

#define HOST_SECOND "www.second.c2c.invalid" /* SNI of full handshakes: picks pair 2 */
#define PLAIN_CAP 16384                      /* as the server's read buffer */

typedef struct fixture {
    uv_loop_t loop;
    edge_config cfg;
    edge_tls *tls;
    mbedtls_ssl_config cconf; /* the client's */
    mbedtls_ssl_context cli;
    mbedtls_ssl_session saved; /* from the last full handshake: its ticket */
    edge_tls_conn srv;
    edge_buf c2s;              /* what the client wrote, not yet delivered */
    edge_buf s2c;              /* what the server wrote, not yet read by the client */
    size_t s2c_off;
    edge_buf sent, got, echo;  /* plaintext: client wrote, server read, client read back */
    int srv_done;              /* the server failed or saw close_notify */
    int srv_failed;
} fixture;

static fixture F;

static void die(const char *what)
{
    fprintf(stderr, "fuzz_tls_record: %s\n", what);
    abort();
}

static uint64_t rng_counter;

/* ---- the fixture: certificates, server context, client --------------- */

/* A P-256 key and a self-signed certificate for cn, as PEM files. */
static void make_pair(const char *dir, int i, const char *cn, char **cert, char **key)
{
    if (tls_test_make_pair(dir, i, cn, &rng_counter, cert, key) != 0)
        die("cannot make a certificate");
}

static int cli_send(void *ctx, const unsigned char *buf, size_t len)
{
    (void)ctx;
    edge_buf_append(&F.c2s, buf, len);
    return (int)len;
}

static int cli_recv(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    size_t avail = F.s2c.len - F.s2c_off;
    if (avail == 0)
        return MBEDTLS_ERR_SSL_WANT_READ;
    if (len > avail)
        len = avail;
    memcpy(buf, F.s2c.data + F.s2c_off, len);
    F.s2c_off += len;
    return (int)len;
}

static void setup_client(void)
{
    static const char *alpn[] = {"http/1.1", NULL};
    mbedtls_ssl_config_init(&F.cconf);
    if (mbedtls_ssl_config_defaults(&F.cconf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        die("client config");
    mbedtls_ssl_conf_authmode(&F.cconf, MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_rng(&F.cconf, tls_test_rng, &rng_counter);
    mbedtls_ssl_conf_session_tickets(&F.cconf, MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
    mbedtls_ssl_conf_renegotiation(&F.cconf, MBEDTLS_SSL_RENEGOTIATION_ENABLED);
    if (mbedtls_ssl_conf_alpn_protocols(&F.cconf, alpn) != 0)
        die("client alpn");
    mbedtls_ssl_init(&F.cli);
    if (mbedtls_ssl_setup(&F.cli, &F.cconf) != 0)
        die("client setup");
    mbedtls_ssl_set_bio(&F.cli, NULL, cli_send, cli_recv, NULL);
    mbedtls_ssl_session_init(&F.saved);
}

static int full_then_save(void);

static void fixture_init(void)
{
    const char *base = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof(dir), "%s/c2c-fuzz-tls.XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(dir) == NULL)
        die("mkdtemp");
    edge_config_init(&F.cfg);
    make_pair(dir, 0, "fuzz.c2c.invalid", &F.cfg.tls_certs.items[0], &F.cfg.tls_keys.items[0]);
    make_pair(dir, 1, "*.second.c2c.invalid", &F.cfg.tls_certs.items[1],
              &F.cfg.tls_keys.items[1]);
    F.cfg.tls_certs.count = F.cfg.tls_keys.count = 2;
    F.cfg.tls_ticket_rotate_s = 86400; /* a saved ticket stays good for the whole run */
    if (uv_loop_init(&F.loop) != 0)
        die("uv_loop_init");
    char err[256] = "";
    F.tls = edge_tls_create(&F.loop, &F.cfg, err, sizeof(err));
    if (F.tls == NULL)
        die(err);
    for (int i = 0; i < 2; i++) { /* loaded: the files are no longer needed */
        unlink(F.cfg.tls_certs.items[i]);
        unlink(F.cfg.tls_keys.items[i]);
    }
    rmdir(dir);
    setup_client();
    if (full_then_save() != 0)
        die("the fixture's first handshake failed");
}

/* ---- driving the two ends --------------------------------------------- */

/* Move what the server wrote to the client's input. */
static void take_server_output(void)
{
    if (F.srv.out.len == 0)
        return;
    if (F.s2c_off == F.s2c.len) {
        edge_buf_reset(&F.s2c);
        F.s2c_off = 0;
    }
    edge_buf_append(&F.s2c, F.srv.out.data, F.srv.out.len);
    edge_buf_reset(&F.srv.out);
}

/* One read's worth of client bytes into the server, as net/conn.c's
 * tls_input handles it (without the HTTP layer): handshake, then decrypt
 * and echo every plaintext run. */
static void server_input(const char *data, size_t len)
{
    if (F.srv_done || len == 0)
        return;
    edge_tls_conn_feed(&F.srv, data, len);
    if (!F.srv.ready) {
        int r = edge_tls_conn_handshake(&F.srv);
        if (r == EDGE_TLS_FAIL)
            F.srv_done = F.srv_failed = 1;
        if (r != EDGE_TLS_READY) {
            take_server_output();
            return;
        }
    }
    static char plain[PLAIN_CAP];
    for (;;) {
        int n = edge_tls_conn_read(&F.srv, plain, sizeof(plain));
        if (n == EDGE_TLS_AGAIN)
            break;
        if (n < 0) {
            F.srv_done = 1;
            F.srv_failed = n == EDGE_TLS_FAIL;
            break;
        }
        if ((size_t)n > sizeof(plain))
            die("edge_tls_conn_read returned more than the buffer holds");
        edge_buf_append(&F.got, plain, (size_t)n);
        if (edge_tls_conn_write(&F.srv, plain, (size_t)n) != 0)
            die("edge_tls_conn_write failed on an open connection");
    }
    take_server_output();
}

/* Deliver up to n pending client bytes in one read. */
static void deliver(size_t n)
{
    if (n > F.c2s.len)
        n = F.c2s.len;
    if (n == 0)
        return;
    char *copy = malloc(n);
    if (copy == NULL)
        die("out of memory");
    memcpy(copy, F.c2s.data, n);
    edge_buf_consume(&F.c2s, n);
    server_input(copy, n);
    free(copy);
}

/* Let the client read whatever the server sent (echoed plaintext). */
static void client_drain(void)
{
    static unsigned char buf[PLAIN_CAP];
    for (int guard = 0; guard < 1024; guard++) {
        int n = mbedtls_ssl_read(&F.cli, buf, sizeof(buf));
        if (n <= 0)
            return;
        edge_buf_append(&F.echo, buf, (size_t)n);
    }
}

/* A fresh server connection and a reset client; no bytes exchanged. */
static void begin(void)
{
    if (edge_tls_conn_init(&F.srv, F.tls) != 0)
        die("edge_tls_conn_init");
    if (mbedtls_ssl_session_reset(&F.cli) != 0)
        die("client reset");
    edge_buf_reset(&F.c2s);
    edge_buf_reset(&F.s2c);
    F.s2c_off = 0;
    edge_buf_reset(&F.sent);
    edge_buf_reset(&F.got);
    edge_buf_reset(&F.echo);
    F.srv_done = F.srv_failed = 0;
}

static void end(void)
{
    edge_tls_conn_free(&F.srv);
}

/* Run both handshakes to completion in memory. Returns 0 or -1. */
static int handshake_both(int full)
{
    if (full) {
        if (mbedtls_ssl_set_hostname(&F.cli, HOST_SECOND) != 0)
            die("client hostname");
    } else {
        if (mbedtls_ssl_set_hostname(&F.cli, NULL) != 0 ||
            mbedtls_ssl_set_session(&F.cli, &F.saved) != 0)
            die("client session");
    }
    edge_tls_stats before = *edge_tls_stats_of(F.tls);
    for (int round = 0; round < 32; round++) {
        int rc = mbedtls_ssl_handshake(&F.cli);
        deliver(F.c2s.len);
        if (rc == 0 && F.srv.ready) {
            edge_tls_stats *st = edge_tls_stats_of(F.tls);
            if (st->handshakes != before.handshakes + 1 ||
                st->resumed != before.resumed + (full ? 0 : 1) || F.srv.full != full)
                die("the handshake was not counted as what it was");
#ifdef EDGE_TLS_LIBCRYPTO
            if (!F.srv.own_records) /* what follows must reach net/tls_record.c */
                die("the records were not handed over to libcrypto");
#endif
            return 0;
        }
        if ((rc != 0 && rc != MBEDTLS_ERR_SSL_WANT_READ) || F.srv_failed)
            return -1;
    }
    return -1;
}

static int full_then_save(void)
{
    begin();
    int rc = handshake_both(1);
    if (rc == 0) {
        mbedtls_ssl_session_free(&F.saved);
        mbedtls_ssl_session_init(&F.saved);
        if (mbedtls_ssl_get_session(&F.cli, &F.saved) != 0)
            rc = -1;
    }
    end();
    return rc;
}

/* ---- the two modes ---------------------------------------------------- */

static void run_raw(const uint8_t *p, size_t n)
{
    begin();
    size_t i = 0;
    while (i < n && !F.srv_done) {
        size_t len = p[i++];
        if (len == 0 || len > n - i)
            len = n - i;
        server_input((const char *)p + i, len);
        i += len;
    }
    end();
}

/* The client encrypts len bytes (all of them: the bio never blocks).
 * Returns 0, or -1 when the client cannot (a renegotiation it started is
 * waiting for the server, or the server's alert ended the session). */
static int client_write(const uint8_t *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        int rc = mbedtls_ssl_write(&F.cli, data + off, len - off);
        if (rc <= 0)
            return -1;
        off += (size_t)rc;
    }
    return 0;
}

/* Equal contents (an empty edge_buf has no data pointer at all). */
static int same(const edge_buf *a, const edge_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void run_session(int full, const uint8_t *p, size_t n)
{
    begin();
    if (handshake_both(full) != 0)
        die("a handshake between the real client and the server failed");
    if (full) { /* keep the newest ticket */
        mbedtls_ssl_session_free(&F.saved);
        mbedtls_ssl_session_init(&F.saved);
        if (mbedtls_ssl_get_session(&F.cli, &F.saved) != 0)
            die("client get_session");
    }
    int honest = 1, closed = 0;
    size_t i = 0;
    while (i + 2 <= n && !F.srv_done) {
        unsigned op = p[i] & 7u, count = p[i] >> 3;
        size_t len = p[i + 1];
        i += 2;
        if (len > n - i)
            len = n - i;
        const uint8_t *data = p + i;
        i += len;
        size_t pending = F.c2s.len;
        switch (op) {
        case 0:
            if (closed)
                break;
            for (unsigned r = 0; r <= count; r++) {
                if (client_write(data, len) != 0) {
                    if (honest)
                        die("the client could not write on an honest stream");
                    break;
                }
                edge_buf_append(&F.sent, data, len);
            }
            break;
        case 1:
            honest = 0;
            edge_buf_append(&F.c2s, data, len);
            break;
        case 2:
            if (closed || len == 0)
                break;
            honest = 0;
            if (client_write(data, len) != 0)
                break;
            if (F.c2s.len > pending) {
                size_t back = (size_t)data[0] % (F.c2s.len - pending);
                F.c2s.data[F.c2s.len - 1 - back] ^= (char)(1u << (count & 7u));
            }
            break;
        case 3:
            honest = 0;
            if (!closed)
                mbedtls_ssl_close_notify(&F.cli);
            closed = 1;
            break;
        case 4:
            honest = 0;
            if (!closed)
                (void)mbedtls_ssl_renegotiate(&F.cli);
            break;
        case 5:
            deliver(count == 0 && len == 0 ? F.c2s.len : count * 8u + len);
            break;
        default:
            honest = 0;
            edge_buf_append(&F.s2c, data, len);
            break;
        }
        client_drain();
    }
    deliver(F.c2s.len);
    client_drain();
    if (honest) {
        if (F.srv_done)
            die("the server closed an honest stream");
        if (!same(&F.got, &F.sent))
            die("the server decrypted other bytes than the client encrypted");
        if (!same(&F.echo, &F.sent))
            die("the client read back other bytes than the server encrypted");
    }
    end();
}

static void show_seed(void)
{
    /* C2C_FUZZ_SHOW=1: print a real ClientHello as a raw-mode seed in hex. */
    begin();
    mbedtls_ssl_set_hostname(&F.cli, HOST_SECOND);
    mbedtls_ssl_set_session(&F.cli, &F.saved);
    (void)mbedtls_ssl_handshake(&F.cli);
    printf("0000");
    for (size_t i = 0; i < F.c2s.len; i++)
        printf("%02x", (unsigned char)F.c2s.data[i]);
    printf("\n");
    end();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        fixture_init();
        ready = 1;
        if (getenv("C2C_FUZZ_SHOW"))
            show_seed();
    }
    if (size == 0)
        return 0;
    if ((data[0] & 1) == 0)
        run_raw(data + 1, size - 1);
    else
        run_session((data[0] & 2) != 0, data + 1, size - 1);
    return 0;
}
