/* tls_certs.c - certificates, SNI, session tickets and cache, reloads.
 *
 * Policy (the same for every generation): TLS 1.2 only (Debian's mbedTLS
 * 2.28 has no TLS 1.3; 1.0 and 1.1 are compiled in and refused here), ECDHE
 * key exchange with AEAD ciphers only, in the server's order of preference
 * (mbedTLS picks by the server's list unless built with
 * MBEDTLS_SSL_SRV_RESPECT_CLIENT_PREFERENCE, which Debian's is not), ALPN
 * http/1.1, tickets and a session cache so that returning visitors resume
 * without a public-key operation. Files are checked one by one at load so
 * that an error names the file: missing or unreadable, not PEM, an
 * unsupported key type, a key that does not fit its certificate, expired or
 * not yet valid. Nothing secret is ever written to the log. */
#include "net/tls_certs.h"

#include <errno.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/errbuf.h"
#include "common/mem.h"

#define TLS_WATCH_MS 1000           /* how often the certificate files are stat()ed */
#define TLS_MAX_PEM_BYTES (1 << 20) /* a PEM file larger than this is refused */
#define TLS_CACHE_ENTRIES 10000     /* sessions remembered by id */
#define TLS_MAX_PAIRS EDGE_CONFIG_MAX_LIST

typedef struct tls_pair {
    mbedtls_x509_crt chain;
    mbedtls_pk_context key;
} tls_pair;

struct edge__tls_gen {
    unsigned refs;
    mbedtls_ssl_config conf;
    tls_pair pairs[TLS_MAX_PAIRS];
    size_t npairs;
    edge__tls_keys *keys_sink; /* borrowed: where the handshake running now exports its keys */
};

typedef struct tls_stamp {
    int exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
} tls_stamp;

struct edge_tls {
    const edge_config *cfg; /* borrowed */
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_ticket_context ticket;
    mbedtls_ssl_cache_context cache;
    edge__tls_gen *current; /* one reference held here */
    edge_tls_stats stats;
    uv_timer_t watch;
    tls_stamp stamps[2 * TLS_MAX_PAIRS]; /* certificates, then keys */
};

/* Server preference: ECDSA before RSA (cheaper to sign), AES-GCM first
 * (hardware), ChaCha20-Poly1305 for clients without AES instructions. */
static const int tls_suites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0,
};

static const mbedtls_ecp_group_id tls_curves[] = {
    MBEDTLS_ECP_DP_CURVE25519,
    MBEDTLS_ECP_DP_SECP256R1,
    MBEDTLS_ECP_DP_SECP384R1,
    MBEDTLS_ECP_DP_NONE,
};

static const char *tls_alpn[] = {"http/1.1", NULL};

/* ---- files ------------------------------------------------------------- */

static void stamp_of(const char *path, tls_stamp *st)
{
    struct stat sb;
    memset(st, 0, sizeof(*st));
    if (stat(path, &sb) != 0)
        return;
    st->exists = 1;
    st->dev = sb.st_dev;
    st->ino = sb.st_ino;
    st->size = sb.st_size;
    st->mtime = sb.st_mtim;
    st->ctime = sb.st_ctim;
}

static int stamp_equal(const tls_stamp *a, const tls_stamp *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec &&
           a->ctime.tv_sec == b->ctime.tv_sec && a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/* Read a whole PEM file, NUL-terminated as mbedTLS wants it (the length
 * includes the NUL). Returns 0 with *data (caller frees, after wiping: it
 * may be a private key), or -1 with err naming the flag and file. */
static int read_pem(const char *flag, const char *path, unsigned char **data, size_t *len,
                    char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return edge_errf(err, errlen, "--%s %s: %s", flag, path, strerror(errno));
    unsigned char *buf = edge_xmalloc(TLS_MAX_PEM_BYTES + 1);
    size_t n = fread(buf, 1, TLS_MAX_PEM_BYTES, f);
    int failed = ferror(f), saved = errno;
    fclose(f);
    if (failed || n >= TLS_MAX_PEM_BYTES) {
        free(buf);
        return edge_errf(err, errlen, "--%s %s: %s", flag, path,
                         failed ? strerror(saved) : "larger than 1 MiB");
    }
    buf[n] = '\0';
    *data = buf;
    *len = n + 1;
    return 0;
}

static void wipe_free(unsigned char *p, size_t len)
{
    if (p == NULL)
        return;
    volatile unsigned char *v = p;
    for (size_t i = 0; i < len; i++)
        v[i] = 0;
    free(p);
}

/* ECDSA on P-256 or RSA; nothing else is offered by the cipher list. */
static int key_type_ok(const mbedtls_pk_context *pk)
{
    if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_RSA)
        return 1;
    if (mbedtls_pk_get_type(pk) == MBEDTLS_PK_ECKEY || mbedtls_pk_get_type(pk) == MBEDTLS_PK_ECDSA)
        return mbedtls_pk_ec(*pk)->grp.id == MBEDTLS_ECP_DP_SECP256R1;
    return 0;
}

static int check_dates(const char *path, const mbedtls_x509_crt *crt, char *err, size_t errlen)
{
    const mbedtls_x509_time *to = &crt->valid_to, *from = &crt->valid_from;
    if (mbedtls_x509_time_is_past(to))
        return edge_errf(err, errlen, "--tls-cert %s: expired on %04d-%02d-%02d", path, to->year,
                         to->mon, to->day);
    if (mbedtls_x509_time_is_future(from))
        return edge_errf(err, errlen, "--tls-cert %s: not valid before %04d-%02d-%02d", path,
                         from->year, from->mon, from->day);
    return 0;
}

static int load_cert(tls_pair *p, const char *path, char *err, size_t errlen)
{
    unsigned char *pem;
    size_t len;
    if (read_pem("tls-cert", path, &pem, &len, err, errlen) != 0)
        return -1;
    int rc = mbedtls_x509_crt_parse(&p->chain, pem, len);
    free(pem);
    if (rc != 0)
        return edge_errf(err, errlen, "--tls-cert %s: not a PEM certificate chain", path);
    if (!key_type_ok(&p->chain.pk))
        return edge_errf(err, errlen, "--tls-cert %s: the key is neither ECDSA P-256 nor RSA",
                         path);
    return check_dates(path, &p->chain, err, errlen);
}

static int load_key(tls_pair *p, const char *cert, const char *path, char *err, size_t errlen)
{
    unsigned char *pem;
    size_t len;
    if (read_pem("tls-key", path, &pem, &len, err, errlen) != 0)
        return -1;
    int rc = mbedtls_pk_parse_key(&p->key, pem, len, NULL, 0);
    wipe_free(pem, len);
    if (rc != 0)
        return edge_errf(err, errlen,
                         "--tls-key %s: not an unencrypted PEM private key (ECDSA P-256 or RSA)",
                         path);
    if (mbedtls_pk_check_pair(&p->chain.pk, &p->key) != 0)
        return edge_errf(err, errlen, "--tls-key %s does not fit --tls-cert %s", path, cert);
    return 0;
}

/* ---- SNI --------------------------------------------------------------- */

static int name_eq(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++) {
        unsigned char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

/* pattern is a DNS name from a certificate, possibly "*.example.com"
 * (matching exactly one more label). */
static int name_matches(const unsigned char *pat, size_t plen, const unsigned char *name,
                        size_t nlen)
{
    if (plen > 2 && pat[0] == '*' && pat[1] == '.') {
        const unsigned char *dot = memchr(name, '.', nlen);
        if (dot == NULL || dot == name)
            return 0;
        size_t rest = nlen - (size_t)(dot - name);
        return name_eq(pat + 1, plen - 1, dot, rest);
    }
    return name_eq(pat, plen, name, nlen);
}

static int cert_has_name(const mbedtls_x509_crt *crt, const unsigned char *name, size_t len)
{
    const mbedtls_x509_sequence *san = &crt->subject_alt_names;
    int any_san = 0;
    for (; san != NULL && san->buf.p != NULL; san = san->next) {
        if (san->buf.tag != (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_X509_SAN_DNS_NAME))
            continue;
        any_san = 1;
        if (name_matches(san->buf.p, san->buf.len, name, len))
            return 1;
    }
    if (any_san)
        return 0;
    for (const mbedtls_x509_name *n = &crt->subject; n != NULL; n = n->next) {
        if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) == 0 &&
            name_matches(n->val.p, n->val.len, name, len))
            return 1;
    }
    return 0;
}

/* The client named a host: the first pair whose certificate covers it.
 * Unknown names get the default (first) pair. */
static int on_sni(void *opaque, mbedtls_ssl_context *ssl, const unsigned char *name, size_t len)
{
    edge__tls_gen *g = opaque;
    for (size_t i = 0; i < g->npairs; i++) {
        if (cert_has_name(&g->pairs[i].chain, name, len))
            return mbedtls_ssl_set_hs_own_cert(ssl, &g->pairs[i].chain, &g->pairs[i].key);
    }
    return 0;
}

/* ---- generations ------------------------------------------------------- */

static void gen_free(edge__tls_gen *g)
{
    mbedtls_ssl_config_free(&g->conf);
    for (size_t i = 0; i < TLS_MAX_PAIRS; i++) {
        mbedtls_x509_crt_free(&g->pairs[i].chain);
        mbedtls_pk_free(&g->pairs[i].key);
    }
    free(g);
}

#ifdef EDGE_TLS_LIBCRYPTO
/* mbedTLS's key export, at the end of each key derivation (full and
 * resumed handshakes): the write keys and IVs go to the connection whose
 * handshake step is running (edge__tls_keys_sink), for the record layer of
 * net/tls_record.c. Only AEAD suites (no MAC keys) are taken. */
static int on_export_keys(void *p, const unsigned char *ms, const unsigned char *kb, size_t maclen,
                          size_t keylen, size_t ivlen, const unsigned char client_random[32],
                          const unsigned char server_random[32], mbedtls_tls_prf_types prf)
{
    edge__tls_gen *g = p;
    edge__tls_keys *k = g->keys_sink;
    if (k == NULL)
        return 0;
    memset(k, 0, sizeof(*k));
    if (maclen != 0 || keylen > sizeof(k->client_key) || ivlen > sizeof(k->client_iv))
        return 0; /* not an AEAD suite: mbedTLS keeps the records */
    /* key block: client key, server key, client IV, server IV (RFC 5246 6.3) */
    memcpy(k->client_key, kb, keylen);
    memcpy(k->server_key, kb + keylen, keylen);
    memcpy(k->client_iv, kb + 2 * keylen, ivlen);
    memcpy(k->server_iv, kb + 2 * keylen + ivlen, ivlen);
    k->keylen = keylen;
    k->ivlen = ivlen;
    k->have = 1;
    return 0;
}
#endif

void edge__tls_keys_sink(edge__tls_gen *g, edge__tls_keys *k)
{
    g->keys_sink = k;
}

static int gen_conf(edge_tls *t, edge__tls_gen *g, char *err, size_t errlen)
{
    mbedtls_ssl_config *c = &g->conf;
    if (mbedtls_ssl_config_defaults(c, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        return edge_errf(err, errlen, "TLS: cannot set up the configuration");
    mbedtls_ssl_conf_min_version(c, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(c, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_ciphersuites(c, tls_suites);
    mbedtls_ssl_conf_curves(c, tls_curves);
    mbedtls_ssl_conf_rng(c, mbedtls_ctr_drbg_random, &t->drbg);
    mbedtls_ssl_conf_session_tickets_cb(c, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                        &t->ticket);
    mbedtls_ssl_conf_session_cache(c, &t->cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
    mbedtls_ssl_conf_sni(c, on_sni, g);
#ifdef EDGE_TLS_LIBCRYPTO
    mbedtls_ssl_conf_export_keys_ext_cb(c, on_export_keys, g);
#endif
    if (mbedtls_ssl_conf_alpn_protocols(c, tls_alpn) != 0 ||
        mbedtls_ssl_conf_own_cert(c, &g->pairs[0].chain, &g->pairs[0].key) != 0)
        return edge_errf(err, errlen, "TLS: cannot set up the configuration");
    return 0;
}

/* A complete generation from the files, or NULL with err. */
static edge__tls_gen *gen_load(edge_tls *t, char *err, size_t errlen)
{
    const edge_config *cfg = t->cfg;
    edge__tls_gen *g = edge_xcalloc(1, sizeof(*g));
    mbedtls_ssl_config_init(&g->conf);
    for (size_t i = 0; i < TLS_MAX_PAIRS; i++) {
        mbedtls_x509_crt_init(&g->pairs[i].chain);
        mbedtls_pk_init(&g->pairs[i].key);
    }
    g->refs = 1;
    g->npairs = cfg->tls_certs.count;
    for (size_t i = 0; i < g->npairs; i++) {
        const char *cert = cfg->tls_certs.items[i], *key = cfg->tls_keys.items[i];
        if (load_cert(&g->pairs[i], cert, err, errlen) != 0 ||
            load_key(&g->pairs[i], cert, key, err, errlen) != 0) {
            gen_free(g);
            return NULL;
        }
    }
    if (gen_conf(t, g, err, errlen) != 0) {
        gen_free(g);
        return NULL;
    }
    return g;
}

edge__tls_gen *edge__tls_acquire(edge_tls *t)
{
    t->current->refs++;
    return t->current;
}

void edge__tls_release(edge__tls_gen *g)
{
    if (g != NULL && --g->refs == 0)
        gen_free(g);
}

const mbedtls_ssl_config *edge__tls_conf(const edge__tls_gen *g)
{
    return &g->conf;
}

/* ---- the context ------------------------------------------------------- */

static void take_stamps(edge_tls *t, tls_stamp *out)
{
    const edge_config *cfg = t->cfg;
    for (size_t i = 0; i < cfg->tls_certs.count; i++) {
        stamp_of(cfg->tls_certs.items[i], &out[i]);
        stamp_of(cfg->tls_keys.items[i], &out[TLS_MAX_PAIRS + i]);
    }
}

int edge_tls_reload(edge_tls *t, char *err, size_t errlen)
{
    take_stamps(t, t->stamps);
    edge__tls_gen *g = gen_load(t, err, errlen);
    if (g == NULL) {
        t->stats.reload_failures++;
        return -1;
    }
    edge__tls_release(t->current);
    t->current = g;
    t->stats.reloads++;
    return 0;
}

static void on_watch(uv_timer_t *timer)
{
    edge_tls *t = timer->data;
    tls_stamp now[2 * TLS_MAX_PAIRS];
    memset(now, 0, sizeof(now));
    take_stamps(t, now);
    size_t i = 0;
    while (i < 2 * TLS_MAX_PAIRS && stamp_equal(&now[i], &t->stamps[i]))
        i++;
    if (i == 2 * TLS_MAX_PAIRS)
        return; /* nothing changed */
    char err[300];
    if (edge_tls_reload(t, err, sizeof(err)) != 0)
        fprintf(stderr, "c2c-edge: certificate reload failed, keeping the old certificates: %s\n",
                err);
    else
        fprintf(stderr, "c2c-edge: certificates reloaded\n");
}

static void tls_free(edge_tls *t)
{
    edge__tls_release(t->current);
    mbedtls_ssl_cache_free(&t->cache);
    mbedtls_ssl_ticket_free(&t->ticket);
    mbedtls_ctr_drbg_free(&t->drbg);
    mbedtls_entropy_free(&t->entropy);
    free(t);
}

edge_tls *edge_tls_create(uv_loop_t *loop, const edge_config *cfg, char *err, size_t errlen)
{
    edge_tls *t = edge_xcalloc(1, sizeof(*t));
    t->cfg = cfg;
    mbedtls_entropy_init(&t->entropy);
    mbedtls_ctr_drbg_init(&t->drbg);
    mbedtls_ssl_ticket_init(&t->ticket);
    mbedtls_ssl_cache_init(&t->cache);
    static const unsigned char pers[] = "c2c-edge tls";
    if (mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy, pers,
                              sizeof(pers) - 1) != 0 ||
        mbedtls_ssl_ticket_setup(&t->ticket, mbedtls_ctr_drbg_random, &t->drbg,
                                 MBEDTLS_CIPHER_AES_256_GCM,
                                 (uint32_t)cfg->tls_ticket_rotate_s) != 0) {
        edge_errf(err, errlen, "TLS: cannot seed the random generator or the ticket key");
        tls_free(t);
        return NULL;
    }
    mbedtls_ssl_cache_set_max_entries(&t->cache, TLS_CACHE_ENTRIES);
    mbedtls_ssl_cache_set_timeout(&t->cache, (int)cfg->tls_ticket_rotate_s);
    memset(t->stamps, 0, sizeof(t->stamps));
    take_stamps(t, t->stamps);
    t->current = gen_load(t, err, errlen);
    if (t->current == NULL) {
        tls_free(t);
        return NULL;
    }
    uv_timer_init(loop, &t->watch);
    t->watch.data = t;
    uv_timer_start(&t->watch, on_watch, TLS_WATCH_MS, TLS_WATCH_MS);
    uv_unref((uv_handle_t *)&t->watch); /* watching alone keeps nothing alive */
    return t;
}

static void on_watch_closed(uv_handle_t *h)
{
    tls_free(h->data);
}

void edge_tls_destroy(edge_tls *t)
{
    if (t != NULL)
        uv_close((uv_handle_t *)&t->watch, on_watch_closed);
}

edge_tls_stats *edge_tls_stats_of(edge_tls *t)
{
    return &t->stats;
}
