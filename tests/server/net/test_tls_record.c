/* test_tls_record.c - unit tests for a connection's TLS after the handshake
 * (server/net/tls.c, and net/tls_record.c when built with
 * EDGE_TLS_LIBCRYPTO): an in-memory mbedTLS client, a real one, talks to
 * the server side through edge_tls_conn exactly as net/conn.c drives it.
 *
 * mbedTLS runs both handshakes; then the server's records are ours
 * (libcrypto) and the client's are mbedTLS's, so each direction checks our
 * sealing against mbedTLS's opening and the reverse: every AEAD suite of
 * the policy (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305), full and
 * resumed handshakes (a resumed one leaves the client's first records in
 * the same read as its Finished), many record sizes, input split at every
 * size, batches of several pieces sealed as full 16 KiB records, and the
 * alerts: close_notify both ways, bad_record_mac, record_overflow,
 * unexpected_message and no_renegotiation. Built without
 * EDGE_TLS_LIBCRYPTO the same behaviour is checked on mbedTLS's records
 * (test_tls_record_mbedtls), except the exact record sizes and the
 * record_overflow and unexpected_message alerts, which mbedTLS does not
 * send. */
#include "net/tls.h"

#include "server/net/tls_test_certs.h"
#include "unit.h"

#include <mbedtls/ssl.h>
#include <mbedtls/ssl_internal.h> /* mbedtls_ssl_write_record: a forged record type */
#include <stdlib.h>
#include <unistd.h>

#define GCM_OVERHEAD (5 + 8 + 16) /* header, explicit nonce, tag */
#define CHACHA_OVERHEAD (5 + 16)

static const int suite_aes128[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0};
static const int suite_aes256[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, 0};
static const int suite_chacha[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 0};

static uv_loop_t loop;
static edge_config cfg;
static edge_tls *tls;
static uint64_t rng_counter;

/* One client and one server connection, joined by two byte queues. */
typedef struct pair {
    mbedtls_ssl_config cconf;
    mbedtls_ssl_context cli;
    edge_tls_conn srv;
    edge_buf c2s;   /* the client wrote, not yet fed to the server */
    edge_buf s2c;   /* the server wrote, not yet read by the client */
    size_t s2c_off;
} pair;

static int cli_send(void *ctx, const unsigned char *buf, size_t len)
{
    pair *p = ctx;
    edge_buf_append(&p->c2s, buf, len);
    return (int)len;
}

static int cli_recv(void *ctx, unsigned char *buf, size_t len)
{
    pair *p = ctx;
    size_t avail = p->s2c.len - p->s2c_off;
    if (avail == 0)
        return MBEDTLS_ERR_SSL_WANT_READ;
    if (len > avail)
        len = avail;
    memcpy(buf, p->s2c.data + p->s2c_off, len);
    p->s2c_off += len;
    return (int)len;
}

/* The server's output goes to the client's input. */
static void take_server_output(pair *p)
{
    edge_buf_append(&p->s2c, p->srv.out.data, p->srv.out.len);
    edge_buf_reset(&p->srv.out);
}

static void pair_init(pair *p, const int *suites)
{
    memset(p, 0, sizeof(*p));
    mbedtls_ssl_config_init(&p->cconf);
    CHECK(mbedtls_ssl_config_defaults(&p->cconf, MBEDTLS_SSL_IS_CLIENT,
                                      MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT) == 0);
    mbedtls_ssl_conf_authmode(&p->cconf, MBEDTLS_SSL_VERIFY_NONE);
    mbedtls_ssl_conf_rng(&p->cconf, tls_test_rng, &rng_counter);
    mbedtls_ssl_conf_ciphersuites(&p->cconf, suites);
    mbedtls_ssl_conf_renegotiation(&p->cconf, MBEDTLS_SSL_RENEGOTIATION_ENABLED);
    mbedtls_ssl_init(&p->cli);
    CHECK(mbedtls_ssl_setup(&p->cli, &p->cconf) == 0);
    mbedtls_ssl_set_bio(&p->cli, p, cli_send, cli_recv, NULL);
    CHECK(edge_tls_conn_init(&p->srv, tls) == 0);
}

static void pair_free(pair *p)
{
    edge_tls_conn_free(&p->srv);
    mbedtls_ssl_free(&p->cli);
    mbedtls_ssl_config_free(&p->cconf);
    edge_buf_free(&p->c2s);
    edge_buf_free(&p->s2c);
}

/* Both handshakes in memory; with session set, a resumption. With
 * keep_last, what the client wrote last (its Finished) stays queued in c2s
 * (and -2 is returned) so that the caller can add application data to the
 * same read. */
static int handshake(pair *p, mbedtls_ssl_session *session, int keep_last)
{
    if (session != NULL)
        CHECK(mbedtls_ssl_set_session(&p->cli, session) == 0);
    for (int round = 0; round < 16; round++) {
        int rc = mbedtls_ssl_handshake(&p->cli);
        if (rc != 0 && rc != MBEDTLS_ERR_SSL_WANT_READ)
            return -1;
        if (p->c2s.len > 0 && !p->srv.ready && !(rc == 0 && keep_last)) {
            edge_tls_conn_feed(&p->srv, p->c2s.data, p->c2s.len);
            edge_buf_reset(&p->c2s);
            if (edge_tls_conn_handshake(&p->srv) == EDGE_TLS_FAIL)
                return -1;
            take_server_output(p);
        }
        if (rc == 0)
            return p->srv.ready ? 0 : -2; /* -2: the server waits for the client's last flight */
    }
    return -1;
}

/* Feed the client's queued bytes to the server in reads of `chunk` bytes
 * (0: all at once), running the handshake when it is not complete, and
 * collect the plaintext. Returns the last edge_tls_conn_read result that
 * was not a byte count (AGAIN, EOF or FAIL). */
static int server_take(pair *p, size_t chunk, edge_buf *plain)
{
    static char buf[65536];
    int last = EDGE_TLS_AGAIN;
    size_t off = 0;
    while (off < p->c2s.len) {
        size_t n = chunk == 0 || chunk > p->c2s.len - off ? p->c2s.len - off : chunk;
        edge_tls_conn_feed(&p->srv, p->c2s.data + off, n);
        off += n;
        if (!p->srv.ready && edge_tls_conn_handshake(&p->srv) != EDGE_TLS_READY)
            continue;
        for (;;) {
            int r = edge_tls_conn_read(&p->srv, buf, sizeof(buf));
            if (r <= 0) {
                last = r;
                break;
            }
            edge_buf_append(plain, buf, (size_t)r);
        }
        if (last != EDGE_TLS_AGAIN)
            break;
    }
    edge_buf_reset(&p->c2s);
    take_server_output(p);
    return last;
}

/* The client reads everything the server sent; returns the last mbedTLS
 * result that was not a byte count. */
static int client_take(pair *p, edge_buf *plain)
{
    static unsigned char buf[16384];
    for (;;) {
        int n = mbedtls_ssl_read(&p->cli, buf, sizeof(buf));
        if (n <= 0)
            return n;
        edge_buf_append(plain, buf, (size_t)n);
    }
}

static int client_write(pair *p, const unsigned char *data, size_t len)
{
    for (size_t off = 0; off < len;) {
        int rc = mbedtls_ssl_write(&p->cli, data + off, len - off);
        if (rc <= 0)
            return -1;
        off += (size_t)rc;
    }
    return 0;
}

static unsigned char *pattern(size_t len, unsigned seed)
{
    unsigned char *d = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        d[i] = (unsigned char)((i * 131u + seed * 7u) >> 3);
    return d;
}

static int same(const edge_buf *b, const unsigned char *d, size_t len)
{
    return b->len == len && (len == 0 || memcmp(b->data, d, len) == 0);
}

static const size_t sizes[] = {1, 2, 100, 1399, 16383, 16384, 16385, 32768, 40000, 100000};

/* The client sends len bytes, fed in reads of chunk bytes; then the server
 * sends them back as three pieces; both sides must see exactly them. */
static void round_trip(pair *p, size_t len, size_t chunk, size_t overhead)
{
    unsigned char *d = pattern(len, (unsigned)(len + chunk));
    edge_buf got = {0}, echo = {0};
    CHECK(client_write(p, d, len) == 0);
    CHECK_INT_EQ(server_take(p, chunk, &got), EDGE_TLS_AGAIN);
    CHECK(same(&got, d, len));
    size_t a = len / 3, b = len / 2;
    edge_tls_piece pieces[3] = {{d, a}, {d + a, b - a}, {d + b, len - b}};
    CHECK(edge_tls_conn_writev(&p->srv, pieces, 3) == 0);
    size_t records = (len + 16383) / 16384;
    if (overhead > 0) /* full records, not one per piece */
        CHECK_INT_EQ(p->srv.out.len, len + records * overhead);
    take_server_output(p);
    CHECK_INT_EQ(client_take(p, &echo), MBEDTLS_ERR_SSL_WANT_READ);
    CHECK(same(&echo, d, len));
    edge_buf_free(&got);
    edge_buf_free(&echo);
    free(d);
}

static size_t overhead_of(const int *suites)
{
#ifdef EDGE_TLS_LIBCRYPTO
    return suites == suite_chacha ? CHACHA_OVERHEAD : GCM_OVERHEAD;
#else
    (void)suites;
    return 0; /* mbedTLS's own records: sizes not checked */
#endif
}

static void check_handed_over(pair *p)
{
#ifdef EDGE_TLS_LIBCRYPTO
    CHECK(p->srv.own_records);
#else
    CHECK(!p->srv.own_records);
#endif
}

static void sizes_for(const int *suites)
{
    pair p;
    pair_init(&p, suites);
    CHECK_INT_EQ(handshake(&p, NULL, 0), 0);
    CHECK(p.srv.full);
    check_handed_over(&p);
    CHECK_INT_EQ(mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(&p.cli)), suites[0]);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        round_trip(&p, sizes[i], 0, overhead_of(suites));
        round_trip(&p, sizes[i], 1 + sizes[i] / 5, overhead_of(suites));
    }
    round_trip(&p, 3000, 1, overhead_of(suites)); /* one byte per read */
    round_trip(&p, 20000, 5, overhead_of(suites)); /* headers split too */
    pair_free(&p);
}

static void test_aes128_gcm_sizes(void)
{
    sizes_for(suite_aes128);
}

static void test_aes256_gcm_sizes(void)
{
    sizes_for(suite_aes256);
}

static void test_chacha20_poly1305_sizes(void)
{
    sizes_for(suite_chacha);
}

/* A resumed handshake by ticket; the client's first request goes in the
 * same read as its Finished, so the hand-over must leave it for the
 * record layer. */
static void resumed_for(const int *suites)
{
    mbedtls_ssl_session saved;
    mbedtls_ssl_session_init(&saved);
    pair p;
    pair_init(&p, suites);
    CHECK_INT_EQ(handshake(&p, NULL, 0), 0);
    CHECK(mbedtls_ssl_get_session(&p.cli, &saved) == 0);
    pair_free(&p);

    pair_init(&p, suites);
    CHECK_INT_EQ(handshake(&p, &saved, 1), -2);
    CHECK(!p.srv.ready);
    CHECK(!p.srv.full);
    unsigned char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(client_write(&p, req, sizeof(req) - 1) == 0);
    edge_buf got = {0};
    CHECK_INT_EQ(server_take(&p, 0, &got), EDGE_TLS_AGAIN);
    CHECK(p.srv.ready);
    check_handed_over(&p);
    CHECK(same(&got, req, sizeof(req) - 1));
    round_trip(&p, 50000, 700, overhead_of(suites));
    edge_buf_free(&got);
    pair_free(&p);
    mbedtls_ssl_session_free(&saved);
}

static void test_resumed_gcm(void)
{
    resumed_for(suite_aes128);
}

static void test_resumed_chacha(void)
{
    resumed_for(suite_chacha);
}

/* A pair after a full handshake and one round trip. */
static void ready_pair(pair *p, const int *suites)
{
    pair_init(p, suites);
    CHECK_INT_EQ(handshake(p, NULL, 0), 0);
    round_trip(p, 100, 0, overhead_of(suites));
}

static void test_close_notify_from_client(void)
{
    pair p;
    ready_pair(&p, suite_aes128);
    CHECK(mbedtls_ssl_close_notify(&p.cli) == 0);
    edge_buf got = {0};
    CHECK_INT_EQ(server_take(&p, 0, &got), EDGE_TLS_EOF);
    CHECK_INT_EQ(got.len, 0);
    edge_buf_free(&got);
    pair_free(&p);
}

static void test_close_notify_from_server(void)
{
    pair p;
    ready_pair(&p, suite_chacha);
    edge_tls_conn_close_notify(&p.srv);
    CHECK(p.srv.out.len > 0);
    take_server_output(&p);
    edge_tls_conn_close_notify(&p.srv); /* once */
    CHECK_INT_EQ(p.srv.out.len, 0);
    CHECK(edge_tls_conn_write(&p.srv, "x", 1) == EDGE_TLS_FAIL); /* nothing after it */
    edge_buf echo = {0};
    CHECK_INT_EQ(client_take(&p, &echo), MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY);
    edge_buf_free(&echo);
    pair_free(&p);
}

/* The client's fatal alert, as it reads the server's answer to a record. */
static int client_alert(pair *p)
{
    edge_buf echo = {0};
    int rc = client_take(p, &echo);
    edge_buf_free(&echo);
    return rc == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE ? p->cli.in_msg[1] : -1;
}

static void test_bad_record_mac(void)
{
    const int *all[] = {suite_aes128, suite_aes256, suite_chacha};
    for (int s = 0; s < 3; s++) {
        pair p;
        ready_pair(&p, all[s]);
        uint64_t before = edge_tls_stats_of(tls)->record_failures;
        unsigned char d[300];
        memset(d, 'a', sizeof(d));
        CHECK(client_write(&p, d, sizeof(d)) == 0);
        p.c2s.data[p.c2s.len - 20] ^= 1; /* one bit of the ciphertext */
        edge_buf got = {0};
        CHECK_INT_EQ(server_take(&p, 0, &got), EDGE_TLS_FAIL);
        CHECK_INT_EQ(got.len, 0);
        CHECK_INT_EQ(client_alert(&p), MBEDTLS_SSL_ALERT_MSG_BAD_RECORD_MAC);
        CHECK_INT_EQ(edge_tls_stats_of(tls)->record_failures, before + 1);
        char buf[16];
        CHECK_INT_EQ(edge_tls_conn_read(&p.srv, buf, sizeof(buf)), EDGE_TLS_FAIL);
        edge_buf_free(&got);
        pair_free(&p);
    }
}

/* A forged header: application data longer than 2^14 + 2048. */
static void test_record_overflow(void)
{
    pair p;
    ready_pair(&p, suite_aes128);
    unsigned char hdr[5] = {23, 3, 3, (16384 + 2049) >> 8, (16384 + 2049) & 0xff};
    edge_buf_append(&p.c2s, hdr, sizeof(hdr));
    edge_buf got = {0};
    CHECK_INT_EQ(server_take(&p, 0, &got), EDGE_TLS_FAIL);
#ifdef EDGE_TLS_LIBCRYPTO /* (mbedTLS's records send no alert for it) */
    CHECK_INT_EQ(client_alert(&p), MBEDTLS_SSL_ALERT_MSG_RECORD_OVERFLOW);
#endif
    edge_buf_free(&got);
    pair_free(&p);
}

/* A ChangeCipherSpec after the handshake has no place there: the client
 * seals one with its keys (mbedTLS's record writer), the server answers
 * unexpected_message. */
static void test_unexpected_message(void)
{
    pair p;
    ready_pair(&p, suite_aes256);
    p.cli.out_msgtype = MBEDTLS_SSL_MSG_CHANGE_CIPHER_SPEC;
    p.cli.out_msglen = 1;
    p.cli.out_msg[0] = 1;
    CHECK(mbedtls_ssl_write_record(&p.cli, 1) == 0);
    edge_buf got = {0};
    CHECK_INT_EQ(server_take(&p, 0, &got), EDGE_TLS_FAIL);
#ifdef EDGE_TLS_LIBCRYPTO /* (mbedTLS's records send no alert for it) */
    CHECK_INT_EQ(client_alert(&p), MBEDTLS_SSL_ALERT_MSG_UNEXPECTED_MESSAGE);
#endif
    edge_buf_free(&got);
    pair_free(&p);
}

/* A renegotiation the client starts is refused with a no_renegotiation
 * warning, and the connection goes on. */
static void test_no_renegotiation(void)
{
    pair p;
    ready_pair(&p, suite_aes128);
    int rc = mbedtls_ssl_renegotiate(&p.cli);
    CHECK(rc == MBEDTLS_ERR_SSL_WANT_READ || rc == 0);
    CHECK(p.c2s.len > 0);
    CHECK(p.c2s.data[0] == EDGE_TLS_CT_HANDSHAKE);
    edge_buf got = {0};
    CHECK_INT_EQ(server_take(&p, 0, &got), EDGE_TLS_AGAIN);
    CHECK_INT_EQ(got.len, 0);
#ifdef EDGE_TLS_LIBCRYPTO
    CHECK_INT_EQ(p.s2c.len - p.s2c_off, GCM_OVERHEAD + 2); /* one alert record */
    CHECK(p.s2c.data[p.s2c_off] == EDGE_TLS_CT_ALERT);
#endif
    /* mbedTLS's client takes the warning as the end of its attempt */
    unsigned char buf[64];
    rc = mbedtls_ssl_read(&p.cli, buf, sizeof(buf));
    CHECK(rc != MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
    edge_buf_free(&got);
    pair_free(&p);
}

static int setup(void)
{
    const char *base = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof(dir), "%s/c2c-test-tls.XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    edge_config_init(&cfg);
    if (tls_test_make_pair(dir, 0, "test.c2c.invalid", &rng_counter, &cfg.tls_certs.items[0],
                           &cfg.tls_keys.items[0]) != 0)
        return -1;
    cfg.tls_certs.count = cfg.tls_keys.count = 1;
    uv_loop_init(&loop);
    char err[256] = "";
    tls = edge_tls_create(&loop, &cfg, err, sizeof(err));
    unlink(cfg.tls_certs.items[0]);
    unlink(cfg.tls_keys.items[0]);
    rmdir(dir);
    if (tls == NULL)
        fprintf(stderr, "edge_tls_create: %s\n", err);
    return tls == NULL ? -1 : 0;
}

int main(void)
{
    if (setup() != 0)
        return 1;
    UNIT_RUN(test_aes128_gcm_sizes);
    UNIT_RUN(test_aes256_gcm_sizes);
    UNIT_RUN(test_chacha20_poly1305_sizes);
    UNIT_RUN(test_resumed_gcm);
    UNIT_RUN(test_resumed_chacha);
    UNIT_RUN(test_close_notify_from_client);
    UNIT_RUN(test_close_notify_from_server);
    UNIT_RUN(test_bad_record_mac);
    UNIT_RUN(test_record_overflow);
    UNIT_RUN(test_unexpected_message);
    UNIT_RUN(test_no_renegotiation);
    edge_tls_destroy(tls);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    edge_config_free(&cfg);
    return UNIT_DONE();
}
