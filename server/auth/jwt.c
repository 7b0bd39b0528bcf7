/* jwt.c - compact JWS structure, header, key choice and signatures.
 *
 * The claim policy lives in claims.c. This file owns the order of the checks
 * (see jwt.h) and the three signature schemes. Decoded parts go into heap
 * buffers sized from the already length-limited token; nothing here keeps
 * state between calls. */
#include "auth/jwt.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include "auth/base64url.h"
#include "auth/claims.h"
#include "auth/json_strict.h"
#include "common/buf.h"
#include "common/mem.h"

#define JWT_HS256_LEN 32
#define JWT_ES256_LEN 64 /* raw r || s, 32 bytes each (RFC 7518 3.4) */
#define JWT_SIG_MAX MBEDTLS_MPI_MAX_SIZE

typedef enum jwt_alg { JWT_RS256 = 1, JWT_ES256, JWT_HS256 } jwt_alg;

/* Slices of the token; nothing is copied. */
typedef struct jwt_parts {
    const char *header, *payload, *sig;
    size_t header_len, payload_len, sig_len;
    size_t signed_len; /* header "." payload: the JWS signing input */
} jwt_parts;

/* Split at the two dots. Returns 0, or -1 unless there are exactly three
 * parts with non-empty header and payload. */
static int jwt_split(const char *token, size_t len, jwt_parts *p)
{
    const char *dot1 = memchr(token, '.', len);
    if (dot1 == NULL)
        return -1;
    const char *rest = dot1 + 1;
    const char *dot2 = memchr(rest, '.', len - (size_t)(rest - token));
    if (dot2 == NULL)
        return -1;
    const char *sig = dot2 + 1;
    if (memchr(sig, '.', len - (size_t)(sig - token)) != NULL)
        return -1;
    p->header = token;
    p->header_len = (size_t)(dot1 - token);
    p->payload = rest;
    p->payload_len = (size_t)(dot2 - rest);
    p->sig = sig;
    p->sig_len = len - (size_t)(sig - token);
    p->signed_len = (size_t)(dot2 - token);
    return p->header_len && p->payload_len ? 0 : -1;
}

/* Decode one base64url part and parse it as a duplicate-free JSON object.
 * Returns the tree (caller deletes) or NULL with *fault set; fault 0 means
 * the base64url itself was bad. */
static cJSON *jwt_part_json(const char *b64, size_t len, int *fault)
{
    size_t cap = edge_b64url_decoded_max(len), n;
    unsigned char *raw = edge_xmalloc(cap);
    cJSON *json = NULL;
    *fault = 0;
    if (edge_b64url_decode(b64, len, raw, cap, &n) == 0) {
        edge__json_fault jf;
        json = edge__json_parse_object((const char *)raw, n, &jf);
        if (json == NULL)
            *fault = (int)jf;
    }
    free(raw);
    return json;
}

static const char *jwt_header_fault(int fault)
{
    switch (fault) {
    case 0:
        return "The token header is not valid base64url.";
    case EDGE__JSON_DUPLICATE:
        return "The token header repeats a member.";
    case EDGE__JSON_CONTROL:
        return "The token header holds a NUL or a raw control character.";
    default:
        return "The token header is not a JSON object.";
    }
}

static const char *jwt_payload_fault(int fault)
{
    switch (fault) {
    case 0:
        return "The token payload is not valid base64url.";
    case EDGE__JSON_DUPLICATE:
        return "The token payload repeats a member.";
    case EDGE__JSON_CONTROL:
        return "The token payload holds a NUL or a raw control character.";
    default:
        return "The token payload is not a JSON object.";
    }
}

/* Read alg from the header. Returns EDGE_JWT_OK with *alg and *alg_name set
 * (alg_name points into hdr), or an error. */
static int jwt_header_alg(const cJSON *hdr, jwt_alg *alg, const char **alg_name, const char **why)
{
    const char *name, *typ;
    int has_alg = edge__json_opt_string(hdr, "alg", &name);
    if (has_alg != 1) {
        *why = has_alg == EDGE__JSON_HAS_CONTROL ? "The token header alg holds a control character."
                                                 : "The token header has no alg.";
        return EDGE_JWT_ERR_MALFORMED;
    }
    if (edge__json_opt_string(hdr, "typ", &typ) < 0) {
        *why = "The token header typ is not a string.";
        return EDGE_JWT_ERR_MALFORMED;
    }
    /* RFC 7515 4.1.11: extensions listed in crit must be understood; we
     * implement none, so any crit means the token is not for us. */
    if (cJSON_GetObjectItemCaseSensitive(hdr, "crit") != NULL) {
        *why = "The token header lists critical extensions.";
        return EDGE_JWT_ERR_ALG;
    }
    *alg_name = name;
    if (strcmp(name, "RS256") == 0)
        *alg = JWT_RS256;
    else if (strcmp(name, "ES256") == 0)
        *alg = JWT_ES256;
    else if (strcmp(name, "HS256") == 0)
        *alg = JWT_HS256;
    else {
        *why = strcmp(name, "none") == 0 ? "Unsigned tokens (alg none) are refused."
                                         : "The token alg is not RS256, ES256 or HS256.";
        return EDGE_JWT_ERR_ALG;
    }
    return EDGE_JWT_OK;
}

/* 1 when key k may verify a token signed with alg (named alg_name). */
static int jwt_key_fits(const edge_jwk *k, jwt_alg alg, const char *alg_name)
{
    static const edge_jwk_kty kty_for[] = {
        [JWT_RS256] = EDGE_JWK_RSA, [JWT_ES256] = EDGE_JWK_EC, [JWT_HS256] = EDGE_JWK_OCT};
    if (k->kty != kty_for[alg])
        return 0;
    return k->alg[0] == '\0' || strcmp(k->alg, alg_name) == 0;
}

/* Pick the key: by kid when the header has one, else the only key that fits
 * alg. Returns the key or NULL with *rc and *why set. */
static edge_jwk *jwt_select_key(edge_keyset *ks, const cJSON *hdr, jwt_alg alg,
                                const char *alg_name, int *rc, const char **why)
{
    const char *kid;
    int has = edge__json_opt_string(hdr, "kid", &kid);
    *rc = EDGE_JWT_ERR_KEY;
    if (has < 0) {
        *rc = EDGE_JWT_ERR_MALFORMED;
        *why = has == EDGE__JSON_HAS_CONTROL ? "The token header kid holds a control character."
                                             : "The token header kid is not a string.";
        return NULL;
    }
    if (has == 1) {
        edge_jwk *k = edge_keyset_find(ks, kid);
        *why = k ? "The key named by kid does not allow this alg." : "No key has this kid.";
        return k && jwt_key_fits(k, alg, alg_name) ? k : NULL;
    }
    edge_jwk *only = NULL;
    for (size_t i = 0; i < edge_keyset_count(ks); i++) {
        edge_jwk *k = edge_keyset_at(ks, i);
        if (!jwt_key_fits(k, alg, alg_name))
            continue;
        if (only != NULL) {
            *why = "The token has no kid and several keys fit its alg.";
            return NULL;
        }
        only = k;
    }
    *why = "The token has no kid and no key fits its alg.";
    return only;
}

/* Constant-time equality: the time taken does not depend on where the
 * first difference is, so a forger learns nothing from response timing. */
static int jwt_ct_equal(const unsigned char *a, const unsigned char *b, size_t n)
{
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* The three verifiers get a signature whose length jwt_check_signature has
 * already matched to the algorithm and key; RSA relies on that, as mbedTLS
 * reads exactly the modulus size from sig. Each returns 0 or -1. */
static int jwt_verify_hs256(const edge_jwk *k, const jwt_parts *p, const unsigned char *sig)
{
    unsigned char mac[JWT_HS256_LEN];
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    if (md == NULL || mbedtls_md_hmac(md, k->secret, k->secret_len,
                                      (const unsigned char *)p->header, p->signed_len, mac) != 0)
        return -1;
    return jwt_ct_equal(mac, sig, sizeof(mac)) ? 0 : -1;
}

/* 0 when s <= n/2 (n: the group's order), else -1. For every valid
 * signature (r, s), (r, n - s) verifies too; accepting only the low half
 * makes a signature one string, so nobody can mint a second spelling of a
 * token they have seen (a new cache entry, a new log identity). Signers
 * must normalize: the usual libraries (OpenSSL among them) do not, and
 * half of their signatures would be refused. */
static int jwt_es256_low_s(const edge_jwk *k, const mbedtls_mpi *s)
{
    mbedtls_mpi half;
    mbedtls_mpi_init(&half);
    int rc = mbedtls_mpi_copy(&half, &k->grp.N);
    if (rc == 0)
        rc = mbedtls_mpi_shift_r(&half, 1);
    if (rc == 0 && mbedtls_mpi_cmp_mpi(s, &half) > 0)
        rc = -1;
    mbedtls_mpi_free(&half);
    return rc == 0 ? 0 : -1;
}

static int jwt_verify_es256(edge_jwk *k, const unsigned char *digest, const unsigned char *sig,
                            int allow_high_s, const char **why)
{
    mbedtls_mpi r, s;
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    int rc = mbedtls_mpi_read_binary(&r, sig, JWT_ES256_LEN / 2);
    if (rc == 0)
        rc = mbedtls_mpi_read_binary(&s, sig + JWT_ES256_LEN / 2, JWT_ES256_LEN / 2);
    if (rc == 0 && !allow_high_s && jwt_es256_low_s(k, &s) != 0) {
        *why = "The ES256 signature has a high s (signers must use s <= n/2).";
        rc = -1;
    }
    if (rc == 0)
        rc = mbedtls_ecdsa_verify(&k->grp, digest, 32, &k->q, &r, &s);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return rc == 0 ? 0 : -1;
}

static int jwt_verify_rs256(edge_jwk *k, const unsigned char *digest, const unsigned char *sig)
{
    int rc = mbedtls_rsa_rsassa_pkcs1_v15_verify(&k->rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC,
                                                 MBEDTLS_MD_SHA256, 32, digest, sig);
    return rc == 0 ? 0 : -1;
}

/* The exact signature size alg produces with key k. */
static size_t jwt_sig_len(edge_jwk *k, jwt_alg alg)
{
    if (alg == JWT_HS256)
        return JWT_HS256_LEN;
    if (alg == JWT_ES256)
        return JWT_ES256_LEN;
    return mbedtls_rsa_get_len(&k->rsa);
}

/* Check the signature part of p with key k. Returns EDGE_JWT_OK or
 * EDGE_JWT_ERR_SIGNATURE. */
static int jwt_check_signature(edge_jwk *k, jwt_alg alg, const jwt_parts *p,
                               const edge_jwt_policy *policy, const char **why)
{
    unsigned char sig[JWT_SIG_MAX], digest[32];
    size_t sig_len;
    int ok = -1;
    if (edge_b64url_decode(p->sig, p->sig_len, sig, sizeof(sig), &sig_len) != 0) {
        *why = "The token signature is not valid base64url.";
        return EDGE_JWT_ERR_SIGNATURE;
    }
    if (sig_len != jwt_sig_len(k, alg)) {
        *why = "The token signature has the wrong length for its alg.";
        return EDGE_JWT_ERR_SIGNATURE;
    }
    *why = "The token signature does not verify.";
    if (alg == JWT_HS256) {
        ok = jwt_verify_hs256(k, p, sig);
    } else if (mbedtls_sha256_ret((const unsigned char *)p->header, p->signed_len, digest, 0) ==
               0) {
        ok = alg == JWT_ES256 ? jwt_verify_es256(k, digest, sig, policy->es256_allow_high_s, why)
                              : jwt_verify_rs256(k, digest, sig);
    }
    return ok == 0 ? EDGE_JWT_OK : EDGE_JWT_ERR_SIGNATURE;
}

/* Structure, header, key and signature: everything before the payload. */
/* The header: its alg and the key it names. EDGE_JWT_OK with *key and
 * *alg set, or an error. */
static int jwt_read_header(edge_keyset *ks, const jwt_parts *p, edge_jwk **key, jwt_alg *alg,
                           const char **why)
{
    int fault;
    const char *alg_name;
    cJSON *hdr = jwt_part_json(p->header, p->header_len, &fault);
    if (hdr == NULL) {
        *why = jwt_header_fault(fault);
        return EDGE_JWT_ERR_MALFORMED;
    }
    int rc = jwt_header_alg(hdr, alg, &alg_name, why);
    if (rc == EDGE_JWT_OK) {
        *key = jwt_select_key(ks, hdr, *alg, alg_name, &rc, why);
        if (*key != NULL)
            rc = EDGE_JWT_OK;
    }
    cJSON_Delete(hdr);
    return rc;
}

/* The claims, into *out: EDGE_JWT_OK or why not. */
static int jwt_read_claims(const jwt_parts *p, const edge_jwt_policy *policy, int64_t now,
                           edge_identity *out, const char **why)
{
    int fault;
    cJSON *payload = jwt_part_json(p->payload, p->payload_len, &fault);
    if (payload == NULL) {
        *why = jwt_payload_fault(fault);
        return EDGE_JWT_ERR_MALFORMED;
    }
    memset(out, 0, sizeof(*out));
    int rc = edge__jwt_check_claims(payload, policy, now, out, why);
    cJSON_Delete(payload);
    return rc;
}

int edge_jwt_verify(edge_keyset *ks, const edge_jwt_policy *policy, const char *token, size_t len,
                    int64_t now, edge_identity *out, const char **why)
{
    jwt_parts p;
    if (len == 0) {
        *why = "No token was given.";
        return EDGE_JWT_ERR_MISSING;
    }
    if (policy->max_token_bytes != 0 && len > policy->max_token_bytes) {
        *why = "The token is larger than the configured limit.";
        return EDGE_JWT_ERR_TOO_LARGE;
    }
    if (jwt_split(token, len, &p) != 0) {
        *why = "The token is not three dot-separated parts.";
        return EDGE_JWT_ERR_MALFORMED;
    }
    edge_jwk *key = NULL;
    jwt_alg alg;
    int rc = jwt_read_header(ks, &p, &key, &alg, why);
    if (rc == EDGE_JWT_OK)
        rc = jwt_read_claims(&p, policy, now, out, why);
    if (rc == EDGE_JWT_OK)
        rc = jwt_check_signature(key, alg, &p, policy, why);
    if (rc != EDGE_JWT_OK)
        memset(out, 0, sizeof(*out)); /* never a claim of a token that failed */
    return rc;
}

const char *edge_jwt_code(int status)
{
    switch (status) {
    case EDGE_JWT_OK:
        return "ok";
    case EDGE_JWT_ERR_MISSING:
        return "missing_token";
    case EDGE_JWT_ERR_TOO_LARGE:
        return "token_too_large";
    case EDGE_JWT_ERR_MALFORMED:
        return "invalid_token";
    case EDGE_JWT_ERR_ALG:
        return "unsupported_alg";
    case EDGE_JWT_ERR_KEY:
        return "unknown_key";
    case EDGE_JWT_ERR_SIGNATURE:
        return "invalid_signature";
    case EDGE_JWT_ERR_EXPIRED:
        return "token_expired";
    case EDGE_JWT_ERR_NOT_YET:
        return "token_not_yet_valid";
    case EDGE_JWT_ERR_ISSUER:
        return "invalid_issuer";
    case EDGE_JWT_ERR_AUDIENCE:
        return "invalid_audience";
    case EDGE_JWT_ERR_CLAIMS:
        return "invalid_claims";
    default:
        return "invalid_token";
    }
}

char *edge_jwt_sign_hs256(const unsigned char *key, size_t keylen, const char *header_json,
                          const char *payload_json)
{
    edge_buf b = EDGE_BUF_INIT;
    unsigned char mac[JWT_HS256_LEN];
    edge_b64url_append(&b, header_json, strlen(header_json));
    edge_buf_append(&b, ".", 1);
    edge_b64url_append(&b, payload_json, strlen(payload_json));
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    if (mbedtls_md_hmac(md, key, keylen, (const unsigned char *)b.data, b.len, mac) != 0) {
        edge_buf_free(&b);
        return NULL;
    }
    edge_buf_append(&b, ".", 1);
    edge_b64url_append(&b, mac, sizeof(mac));
    return edge_buf_steal(&b, NULL);
}
