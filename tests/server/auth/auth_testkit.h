/* auth_testkit.h - key generation, JWK export and token signing for tests.
 *
 * The auth tests never use fixed keys or tokens copied from elsewhere: keys
 * are generated with mbedTLS when the test starts, exported as JWK JSON and
 * tokens are signed here, independently of the code under test (only
 * base64url encoding is shared, and it has its own test). Everything writes
 * into caller buffers so tests need no frees. Header-only, static inline so
 * a test that uses part of it does not trip -Wunused-function. */
#ifndef C2C_TESTS_AUTH_TESTKIT_H
#define C2C_TESTS_AUTH_TESTKIT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>

#include "auth/base64url.h"

#define TK_TOKEN_MAX 16384

typedef struct tk_rng {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
} tk_rng;

/* A test cannot go on without working crypto: stop with a clear line. */
static inline void tk_must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "testkit: %s failed (-0x%04x)\n", what, (unsigned)-rc);
        abort();
    }
}

static inline void tk_rng_init(tk_rng *r)
{
    mbedtls_entropy_init(&r->entropy);
    mbedtls_ctr_drbg_init(&r->drbg);
    tk_must(mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->entropy,
                                  (const unsigned char *)"c2c-tests", 9),
            "ctr_drbg_seed");
}

static inline void tk_rng_free(tk_rng *r)
{
    mbedtls_ctr_drbg_free(&r->drbg);
    mbedtls_entropy_free(&r->entropy);
}

static inline void tk_random(tk_rng *r, unsigned char *buf, size_t n)
{
    tk_must(mbedtls_ctr_drbg_random(&r->drbg, buf, n), "ctr_drbg_random");
}

/* RSA key of bits bits (2048 for real tests); free with mbedtls_rsa_free. */
static inline void tk_rsa_gen(tk_rng *r, mbedtls_rsa_context *rsa, unsigned bits)
{
    mbedtls_rsa_init(rsa, MBEDTLS_RSA_PKCS_V15, 0);
    tk_must(mbedtls_rsa_gen_key(rsa, mbedtls_ctr_drbg_random, &r->drbg, bits, 65537),
            "rsa_gen_key");
}

/* P-256 key pair; free with mbedtls_ecp_keypair_free. */
static inline void tk_ec_gen(tk_rng *r, mbedtls_ecp_keypair *kp)
{
    mbedtls_ecp_keypair_init(kp);
    tk_must(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, kp, mbedtls_ctr_drbg_random, &r->drbg),
            "ecp_gen_key");
}

/* printf into out (cap bytes); aborts on truncation, which is a test bug. */
static inline char *tk_fmt(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline char *tk_fmt(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "testkit: buffer too small for %s\n", fmt);
        abort();
    }
    return out;
}

/* base64url of n bytes into out (cap bytes). */
static inline char *tk_b64(const void *data, size_t n, char *out, size_t cap)
{
    if (edge_b64url_encoded_len(n) + 1 > cap)
        abort();
    edge_b64url_encode(data, n, out);
    return out;
}

static inline void tk_mpi_b64(const mbedtls_mpi *x, char *out, size_t cap)
{
    unsigned char bytes[1024];
    size_t n = mbedtls_mpi_size(x);
    tk_must(mbedtls_mpi_write_binary(x, bytes, n), "mpi_write_binary");
    tk_b64(bytes, n, out, cap);
}

/* JWK texts. extra is appended inside the object, e.g. ",\"alg\":\"RS256\"". */
static inline char *tk_jwk_rsa(const mbedtls_rsa_context *rsa, const char *kid, const char *extra,
                               char *out, size_t cap)
{
    char n[1400], e[16];
    mbedtls_mpi N, E;
    mbedtls_mpi_init(&N);
    mbedtls_mpi_init(&E);
    tk_must(mbedtls_rsa_export(rsa, &N, NULL, NULL, NULL, &E), "rsa_export");
    tk_mpi_b64(&N, n, sizeof(n));
    tk_mpi_b64(&E, e, sizeof(e));
    mbedtls_mpi_free(&N);
    mbedtls_mpi_free(&E);
    return tk_fmt(out, cap, "{\"kty\":\"RSA\",\"kid\":\"%s\",\"n\":\"%s\",\"e\":\"%s\"%s}", kid, n,
                  e, extra ? extra : "");
}

/* The raw x and y coordinates (32 bytes each) of an EC public key. */
static inline void tk_ec_xy(const mbedtls_ecp_keypair *kp, unsigned char x[32], unsigned char y[32])
{
    unsigned char pt[65];
    size_t len;
    tk_must(mbedtls_ecp_point_write_binary(&kp->grp, &kp->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &len, pt,
                                           sizeof(pt)),
            "ecp_point_write_binary");
    memcpy(x, pt + 1, 32);
    memcpy(y, pt + 33, 32);
}

static inline char *tk_jwk_ec(const mbedtls_ecp_keypair *kp, const char *kid, const char *extra,
                              char *out, size_t cap)
{
    unsigned char x[32], y[32];
    char xs[64], ys[64];
    tk_ec_xy(kp, x, y);
    tk_b64(x, 32, xs, sizeof(xs));
    tk_b64(y, 32, ys, sizeof(ys));
    return tk_fmt(out, cap,
                  "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"%s\",\"x\":\"%s\",\"y\":\"%s\"%s}",
                  kid, xs, ys, extra ? extra : "");
}

static inline char *tk_jwk_oct(const unsigned char *k, size_t n, const char *kid, const char *extra,
                               char *out, size_t cap)
{
    char ks[1024];
    tk_b64(k, n, ks, sizeof(ks));
    return tk_fmt(out, cap, "{\"kty\":\"oct\",\"kid\":\"%s\",\"k\":\"%s\"%s}", kid, ks,
                  extra ? extra : "");
}

/* "b64(header).b64(payload)" into out; returns its length. */
static inline size_t tk_signing_input(const char *header, const char *payload, char *out,
                                      size_t cap)
{
    char h[TK_TOKEN_MAX], p[TK_TOKEN_MAX];
    tk_b64(header, strlen(header), h, sizeof(h));
    tk_b64(payload, strlen(payload), p, sizeof(p));
    tk_fmt(out, cap, "%s.%s", h, p);
    return strlen(out);
}

/* Append ".b64(sig)" to a signing input already in out. */
static inline char *tk_append_sig(char *out, size_t cap, const unsigned char *sig, size_t n)
{
    size_t len = strlen(out);
    if (len + 2 > cap)
        abort();
    out[len++] = '.';
    tk_b64(sig, n, out + len, cap - len);
    return out;
}

static inline void tk_hmac(const unsigned char *key, size_t keylen, const char *data, size_t n,
                           unsigned char mac[32])
{
    tk_must(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key, keylen,
                            (const unsigned char *)data, n, mac),
            "md_hmac");
}

/* Compact tokens for JSON header and payload texts, signed three ways. */
static inline char *tk_sign_hs256(const unsigned char *key, size_t keylen, const char *header,
                                  const char *payload, char *out, size_t cap)
{
    unsigned char mac[32];
    size_t n = tk_signing_input(header, payload, out, cap);
    tk_hmac(key, keylen, out, n, mac);
    return tk_append_sig(out, cap, mac, sizeof(mac));
}

static inline char *tk_sign_rs256(tk_rng *r, mbedtls_rsa_context *rsa, const char *header,
                                  const char *payload, char *out, size_t cap)
{
    unsigned char hash[32], sig[1024];
    size_t n = tk_signing_input(header, payload, out, cap);
    tk_must(mbedtls_sha256_ret((const unsigned char *)out, n, hash, 0), "sha256");
    tk_must(mbedtls_rsa_rsassa_pkcs1_v15_sign(rsa, mbedtls_ctr_drbg_random, &r->drbg,
                                              MBEDTLS_RSA_PRIVATE, MBEDTLS_MD_SHA256, 32, hash,
                                              sig),
            "rsa_sign");
    return tk_append_sig(out, cap, sig, mbedtls_rsa_get_len(rsa));
}

/* ES256 signature over a signing input: raw r || s, 32 bytes each. */
/* s := n - s (n: the order of grp): the other, equally valid spelling of
 * an ECDSA signature. */
static inline void tk_ec_negate_s(const mbedtls_ecp_group *grp, mbedtls_mpi *S)
{
    mbedtls_mpi t;
    mbedtls_mpi_init(&t);
    tk_must(mbedtls_mpi_sub_mpi(&t, &grp->N, S), "mpi_sub_mpi");
    tk_must(mbedtls_mpi_copy(S, &t), "mpi_copy");
    mbedtls_mpi_free(&t);
}

/* 1 when S > n/2 (a high-S signature, which the server refuses). */
static inline int tk_ec_high_s(const mbedtls_ecp_group *grp, const mbedtls_mpi *S)
{
    mbedtls_mpi half;
    mbedtls_mpi_init(&half);
    tk_must(mbedtls_mpi_copy(&half, &grp->N), "mpi_copy");
    tk_must(mbedtls_mpi_shift_r(&half, 1), "mpi_shift_r");
    int high = mbedtls_mpi_cmp_mpi(S, &half) > 0;
    mbedtls_mpi_free(&half);
    return high;
}

/* Replace the raw r||s signature of an ES256 token (in place) by r||(n-s):
 * a low-S token becomes its high-S twin and back. */
static inline void tk_es256_flip_s(const mbedtls_ecp_keypair *kp, char *token)
{
    char *sig_b64 = strrchr(token, '.') + 1;
    unsigned char sig[64];
    size_t n;
    mbedtls_mpi S;
    if (edge_b64url_decode(sig_b64, strlen(sig_b64), sig, sizeof(sig), &n) != 0 || n != 64)
        abort();
    mbedtls_mpi_init(&S);
    tk_must(mbedtls_mpi_read_binary(&S, sig + 32, 32), "read s");
    tk_ec_negate_s(&kp->grp, &S);
    tk_must(mbedtls_mpi_write_binary(&S, sig + 32, 32), "write s");
    mbedtls_mpi_free(&S);
    tk_b64(sig, sizeof(sig), sig_b64, 90);
}

/* An ES256 signature over input, normalized to low S as the server
 * requires. */
static inline void tk_es256_raw(tk_rng *r, mbedtls_ecp_keypair *kp, const char *input, size_t n,
                                unsigned char sig[64])
{
    unsigned char hash[32];
    mbedtls_mpi R, S;
    mbedtls_mpi_init(&R);
    mbedtls_mpi_init(&S);
    tk_must(mbedtls_sha256_ret((const unsigned char *)input, n, hash, 0), "sha256");
    tk_must(
        mbedtls_ecdsa_sign(&kp->grp, &R, &S, &kp->d, hash, 32, mbedtls_ctr_drbg_random, &r->drbg),
        "ecdsa_sign");
    if (tk_ec_high_s(&kp->grp, &S))
        tk_ec_negate_s(&kp->grp, &S);
    tk_must(mbedtls_mpi_write_binary(&R, sig, 32), "write r");
    tk_must(mbedtls_mpi_write_binary(&S, sig + 32, 32), "write s");
    mbedtls_mpi_free(&R);
    mbedtls_mpi_free(&S);
}

static inline char *tk_sign_es256(tk_rng *r, mbedtls_ecp_keypair *kp, const char *header,
                                  const char *payload, char *out, size_t cap)
{
    unsigned char sig[64];
    size_t n = tk_signing_input(header, payload, out, cap);
    tk_es256_raw(r, kp, out, n, sig);
    return tk_append_sig(out, cap, sig, sizeof(sig));
}

/* Write text to path through a temporary file and rename, so a watcher
 * never sees half a file and always sees a new inode. */
static inline void tk_write_file(const char *path, const char *text)
{
    char tmp[1024];
    tk_fmt(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0 ||
        rename(tmp, path) != 0) {
        fprintf(stderr, "testkit: cannot write %s\n", path);
        abort();
    }
}

#endif
