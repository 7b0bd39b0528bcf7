/* fuzz_jwt.c - libFuzzer target: tokens, JWKS documents and the strict
 * parsers under them (server/auth).
 *
 * Byte 0 picks what the rest is:
 *   0  a token, verified against a key set with an RSA, an EC P-256 and an
 *      HMAC key (kids "rsa", "ec", "oct") under a strict and a lax policy;
 *   1  byte 1 picks a signer (HS256, RS256, ES256 with the matching key, or
 *      HS256 with the RSA key's modulus as secret), then a token header and
 *      payload separated by the first newline: both are signed, so the
 *      header, key choice, payload JSON and claim checks run on whatever
 *      the bytes are;
 *   2  a JWKS document: parsed, and when it loads, three good tokens (one
 *      per algorithm) are verified against it;
 *   3  base64url: whatever the strict decoder accepts must encode back to
 *      exactly the input (one spelling per value), and must not fit a
 *      buffer one byte short;
 *   4  the duplicate-free JSON object parser;
 *   5  a ParticipantToken: whatever verifies must be the token minted for
 *      the id it yields.
 * The keys come from a fixed-seed generator, so runs repeat; time is fixed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include "auth/base64url.h"
#include "auth/json_strict.h"
#include "auth/jwks.h"
#include "auth/jwt.h"
#include "auth/participant_token.h"
#include "common/buf.h"

#define NOW 1767225600 /* 2026-01-01 */

static const unsigned char hmac_key[32] = "c2c fuzzing key, never for use!";

static struct {
    int ready;
    mbedtls_rsa_context rsa;
    mbedtls_ecp_group grp;
    mbedtls_mpi d;
    mbedtls_ecp_point q;
    edge_keyset *keys;
    char *good[3]; /* valid HS256, RS256, ES256 tokens */
    edge_ptoken_key ptoken_key;
} K;

/* The fixed-seed "random" generator: a counter through SHA-256. */
static int fixed_rng(void *ctx, unsigned char *out, size_t len)
{
    static uint64_t counter;
    while (len > 0) {
        unsigned char block[32];
        counter++;
        mbedtls_sha256_ret((const unsigned char *)&counter, sizeof(counter), block, 0);
        size_t n = len < sizeof(block) ? len : sizeof(block);
        memcpy(out, block, n);
        out += n;
        len -= n;
    }
    return 0;
}

static void die(const char *what)
{
    fprintf(stderr, "fuzz_jwt: %s\n", what);
    abort();
}

static void append_b64(edge_buf *b, const char *member, const unsigned char *bytes, size_t n)
{
    edge_buf_appendf(b, "\"%s\":\"", member);
    edge_b64url_append(b, bytes, n);
    edge_buf_append_str(b, "\"");
}

/* {"keys": [rsa, ec, oct]} from the generated keys. */
static char *jwks_text(void)
{
    unsigned char n[256], e[3], point[65];
    size_t plen;
    if (mbedtls_rsa_export_raw(&K.rsa, n, sizeof(n), NULL, 0, NULL, 0, NULL, 0, e, sizeof(e)) ||
        mbedtls_ecp_point_write_binary(&K.grp, &K.q, MBEDTLS_ECP_PF_UNCOMPRESSED, &plen, point,
                                       sizeof(point)))
        die("cannot export the keys");
    edge_buf b = EDGE_BUF_INIT;
    edge_buf_append_str(&b, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa\",\"use\":\"sig\",");
    append_b64(&b, "n", n, sizeof(n));
    edge_buf_append_str(&b, ",");
    append_b64(&b, "e", e, sizeof(e));
    edge_buf_append_str(&b, "},{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\",\"alg\":\"ES256\",");
    append_b64(&b, "x", point + 1, 32);
    edge_buf_append_str(&b, ",");
    append_b64(&b, "y", point + 33, 32);
    edge_buf_append_str(&b, "},{\"kty\":\"oct\",\"kid\":\"oct\",\"alg\":\"HS256\",");
    append_b64(&b, "k", hmac_key, sizeof(hmac_key));
    edge_buf_append_str(&b, "}]}");
    return edge_buf_steal(&b, NULL);
}

/* header.payload.signature with signer s over raw header and payload bytes. */
static char *sign(int s, const char *hdr, size_t hlen, const char *payload, size_t plen)
{
    edge_buf b = EDGE_BUF_INIT;
    unsigned char sig[512], hash[32];
    size_t slen = 0;
    edge_b64url_append(&b, hdr, hlen);
    edge_buf_append(&b, ".", 1);
    edge_b64url_append(&b, payload, plen);
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    mbedtls_sha256_ret((const unsigned char *)b.data, b.len, hash, 0);
    if (s == 0) {
        mbedtls_md_hmac(md, hmac_key, sizeof(hmac_key), (const unsigned char *)b.data, b.len,
                        sig);
        slen = 32;
    } else if (s == 1) {
        if (mbedtls_rsa_rsassa_pkcs1_v15_sign(&K.rsa, fixed_rng, NULL, MBEDTLS_RSA_PRIVATE,
                                              MBEDTLS_MD_SHA256, 32, hash, sig) != 0)
            die("RSA signing failed");
        slen = mbedtls_rsa_get_len(&K.rsa);
    } else if (s == 2) {
        mbedtls_mpi r, ss;
        mbedtls_mpi_init(&r);
        mbedtls_mpi_init(&ss);
        if (mbedtls_ecdsa_sign_det_ext(&K.grp, &r, &ss, &K.d, hash, 32, MBEDTLS_MD_SHA256,
                                       fixed_rng, NULL) != 0 ||
            mbedtls_mpi_write_binary(&r, sig, 32) || mbedtls_mpi_write_binary(&ss, sig + 32, 32))
            die("EC signing failed");
        mbedtls_mpi_free(&r);
        mbedtls_mpi_free(&ss);
        slen = 64;
    } else { /* the RSA modulus as an HMAC secret: must never verify */
        unsigned char n[256];
        mbedtls_rsa_export_raw(&K.rsa, n, sizeof(n), NULL, 0, NULL, 0, NULL, 0, NULL, 0);
        mbedtls_md_hmac(md, n, sizeof(n), (const unsigned char *)b.data, b.len, sig);
        slen = 32;
    }
    edge_buf_append(&b, ".", 1);
    edge_b64url_append(&b, sig, slen);
    return edge_buf_steal(&b, NULL);
}

static void setup(void)
{
    mbedtls_rsa_init(&K.rsa, MBEDTLS_RSA_PKCS_V15, 0);
    mbedtls_ecp_group_init(&K.grp);
    mbedtls_mpi_init(&K.d);
    mbedtls_ecp_point_init(&K.q);
    if (mbedtls_rsa_gen_key(&K.rsa, fixed_rng, NULL, 2048, 65537) != 0 ||
        mbedtls_ecp_group_load(&K.grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_gen_keypair(&K.grp, &K.d, &K.q, fixed_rng, NULL) != 0)
        die("cannot generate the keys");
    char *jwks = jwks_text(), err[256];
    K.keys = edge_keyset_parse(jwks, strlen(jwks), err, sizeof(err));
    if (K.keys == NULL || edge_keyset_count(K.keys) != 3)
        die(err);
    static const char payload[] = "{\"sub\":\"alice\",\"exp\":4102444800,\"iss\":\"https://"
                                  "issuer.example\",\"aud\":\"c2c-fuzz\"}";
    static const char *const headers[] = {"{\"alg\":\"HS256\",\"kid\":\"oct\"}",
                                          "{\"alg\":\"RS256\",\"kid\":\"rsa\"}",
                                          "{\"alg\":\"ES256\",\"kid\":\"ec\"}"};
    for (int i = 0; i < 3; i++)
        K.good[i] = sign(i, headers[i], strlen(headers[i]), payload, sizeof(payload) - 1);
    fixed_rng(NULL, K.ptoken_key.secret, sizeof(K.ptoken_key.secret));
    K.ready = 1;
    if (getenv("C2C_FUZZ_SHOW")) { /* material for seed inputs */
        char t[EDGE_PTOKEN_MAX];
        edge_ptoken_make(&K.ptoken_key, "0123456789abcdef0123456789abcdef", t, sizeof(t));
        fprintf(stderr, "jwks: %s\nHS256: %s\nRS256: %s\nES256: %s\nptoken: %s\n", jwks,
                K.good[0], K.good[1], K.good[2], t);
    }
    free(jwks);
}

/* A verified identity must be a whole one: NUL-terminated fields, a sub. */
static void check_identity(const edge_identity *id)
{
    if (id->sub[0] == '\0' || memchr(id->sub, 0, sizeof(id->sub)) == NULL ||
        memchr(id->email, 0, sizeof(id->email)) == NULL ||
        memchr(id->name, 0, sizeof(id->name)) == NULL)
        die("a verified token gave a broken identity");
}

static int verify(edge_keyset *ks, const char *token, size_t len, int strict)
{
    edge_jwt_policy policy = {NULL, NULL, 86400 * 365, 0, 0};
    if (strict)
        policy = (edge_jwt_policy){"https://issuer.example", "c2c-fuzz", 60, 8192, 0};
    edge_identity id;
    const char *why = NULL;
    int rc = edge_jwt_verify(ks, &policy, token, len, NOW, &id, &why);
    if (rc == EDGE_JWT_OK)
        check_identity(&id);
    else if (why == NULL || strcmp(edge_jwt_code(rc), "ok") == 0)
        die("a refusal without a reason");
    return rc;
}

/* The token in its own allocation of exactly len bytes (no NUL). */
static void verify_bytes(const uint8_t *data, size_t len)
{
    char *token = malloc(len ? len : 1);
    memcpy(token, data, len);
    verify(K.keys, token, len, 1);
    verify(K.keys, token, len, 0);
    free(token);
}

static void sign_and_verify(const uint8_t *data, size_t len)
{
    if (len == 0)
        return;
    int signer = data[0] & 3;
    const char *text = (const char *)data + 1;
    len--;
    const char *nl = memchr(text, '\n', len);
    size_t hlen = nl ? (size_t)(nl - text) : len;
    const char *payload = nl ? nl + 1 : "";
    size_t plen = nl ? len - hlen - 1 : 0;
    char *token = sign(signer, text, hlen, payload, plen);
    int rc = verify(K.keys, token, strlen(token), 1);
    verify(K.keys, token, strlen(token), 0);
    if (signer == 3 && rc == EDGE_JWT_OK)
        die("an RSA public key verified an HMAC token");
    free(token);
}

static void jwks(const uint8_t *data, size_t len)
{
    char err[256];
    char *text = malloc(len ? len : 1);
    memcpy(text, data, len);
    edge_keyset *ks = edge_keyset_parse(text, len, err, sizeof(err));
    free(text);
    if (ks == NULL)
        return;
    for (int i = 0; i < 3; i++)
        verify(ks, K.good[i], strlen(K.good[i]), 0);
    edge_keyset_free(ks);
}

static void base64url(const uint8_t *data, size_t len)
{
    size_t cap = edge_b64url_decoded_max(len), n = 0;
    unsigned char *raw = malloc(cap);
    if (edge_b64url_decode((const char *)data, len, raw, cap, &n) == 0) {
        char *again = malloc(edge_b64url_encoded_len(n) + 1);
        edge_b64url_encode(raw, n, again);
        if (strlen(again) != len || memcmp(again, data, len) != 0)
            die("base64url: an accepted text does not encode back to itself");
        size_t m;
        if (n > 0 && edge_b64url_decode((const char *)data, len, raw, n - 1, &m) == 0)
            die("base64url: decoded into a buffer that is too small");
        free(again);
    }
    free(raw);
}

static void json_object(const uint8_t *data, size_t len)
{
    edge__json_fault fault;
    cJSON *obj = edge__json_parse_object((const char *)data, len, &fault);
    if (obj == NULL)
        return;
    const char *s;
    if (!cJSON_IsObject(obj) || edge__json_has_duplicate(obj))
        die("json_strict: accepted a non-object or a repeated member");
    edge__json_opt_string(obj, "alg", &s);
    cJSON_Delete(obj);
}

static void ptoken(const uint8_t *data, size_t len)
{
    char id[EDGE_PTOKEN_MAX], again[EDGE_PTOKEN_MAX];
    char *token = malloc(len ? len : 1);
    memcpy(token, data, len);
    if (edge_ptoken_verify(&K.ptoken_key, token, len, id, sizeof(id)) == 0) {
        if (edge_ptoken_make(&K.ptoken_key, id, again, sizeof(again)) != 0 ||
            strlen(again) != len || memcmp(again, token, len) != 0)
            die("ParticipantToken: a token verified that is not the one minted for its id");
    }
    free(token);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (!K.ready)
        setup();
    const uint8_t *rest = data + 1;
    size_t len = size - 1;
    switch (data[0] % 6) {
    case 0:
        verify_bytes(rest, len);
        break;
    case 1:
        sign_and_verify(rest, len);
        break;
    case 2:
        jwks(rest, len);
        break;
    case 3:
        base64url(rest, len);
        break;
    case 4:
        json_object(rest, len);
        break;
    default:
        ptoken(rest, len);
        break;
    }
    return 0;
}
