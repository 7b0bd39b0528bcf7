/* jwks.h - a set of public verification keys (RFC 7517 JWK Set).
 *
 * An edge_keyset is built once from a JWKS document (the --jwks file) and
 * then only read, until a reload replaces it as a whole; nothing edits a
 * live set. Three key types are supported, one per JWS algorithm we accept:
 * RSA (n, e) for RS256, EC P-256 (x, y) for ES256 and oct (k) for HS256.
 * Keys are imported into mbedTLS contexts at load time so verifying a token
 * never parses key material.
 *
 * Malformed keys of a supported type fail the whole document with a message
 * naming the key, because a half-loaded key file is an operator error that
 * should be seen at once (a failed reload keeps the previous set). Keys of an
 * unknown type, and keys marked "use": "enc", are skipped as RFC 7517
 * section 5 asks: they are well-formed, just not ours to use. */
#ifndef EDGE_JWKS_H
#define EDGE_JWKS_H

#include <stddef.h>

#include <mbedtls/ecp.h>
#include <mbedtls/rsa.h>

#define EDGE_JWK_KID_MAX 256  /* bytes including the NUL */
#define EDGE_JWK_ALG_MAX 32   /* bytes including the NUL */
#define EDGE_JWK_HMAC_MIN 32  /* RFC 7518 3.2: HS256 keys are >= 256 bits */
#define EDGE_JWK_HMAC_MAX 512 /* larger secrets are certainly a mistake */
#define EDGE_JWK_RSA_MIN_BITS 2048
#define EDGE_JWKS_MAX_BYTES (1024 * 1024) /* largest JWKS document accepted */

typedef enum edge_jwk_kty {
    EDGE_JWK_RSA = 1, /* verifies RS256 */
    EDGE_JWK_EC = 2,  /* P-256 only; verifies ES256 */
    EDGE_JWK_OCT = 3, /* HMAC secret; verifies HS256 */
} edge_jwk_kty;

/* One imported key. All fields are read-only for users of the set; the
 * mbedTLS contexts are non-const in verification calls only because mbedTLS
 * keeps blinding and precomputation state in them. */
typedef struct edge_jwk {
    edge_jwk_kty kty;
    int has_kid;                /* the JWK had a "kid" member */
    char kid[EDGE_JWK_KID_MAX]; /* "" when has_kid is 0 */
    char alg[EDGE_JWK_ALG_MAX]; /* JWK "alg", or "" when it allows any fitting alg */
    mbedtls_rsa_context rsa;    /* EDGE_JWK_RSA: public key, PKCS#1 v1.5 */
    mbedtls_ecp_group grp;      /* EDGE_JWK_EC: the P-256 group */
    mbedtls_ecp_point q;        /* EDGE_JWK_EC: validated public point */
    unsigned char *secret;      /* EDGE_JWK_OCT: owned secret bytes */
    size_t secret_len;
} edge_jwk;

typedef struct edge_keyset edge_keyset;

/* An empty set. Never NULL (allocation failure aborts, see common/mem.h).
 * Free with edge_keyset_free. */
edge_keyset *edge_keyset_create(void);

/* Parse a JWKS document ({"keys": [...]}) of len bytes into a new set.
 * Returns the set (caller owns it) or NULL with a one-line reason in err. */
edge_keyset *edge_keyset_parse(const char *json, size_t len, char *err, size_t errlen);

/* Add an HS256 secret under kid (demo mode). The bytes are copied. Returns 0,
 * or -1 with err filled when kid is taken or the secret length is outside
 * [EDGE_JWK_HMAC_MIN, EDGE_JWK_HMAC_MAX]. */
int edge_keyset_add_hmac(edge_keyset *ks, const char *kid, const unsigned char *secret, size_t len,
                         char *err, size_t errlen);

/* The key whose kid equals kid exactly, or NULL. Owned by the set. */
edge_jwk *edge_keyset_find(const edge_keyset *ks, const char *kid);

/* Number of keys, and the i-th key (i < count), owned by the set. */
size_t edge_keyset_count(const edge_keyset *ks);
edge_jwk *edge_keyset_at(const edge_keyset *ks, size_t i);

/* Keys skipped while parsing (unknown kty, "use" other than "sig"). */
size_t edge_keyset_skipped(const edge_keyset *ks);

/* Free the set and every key in it; NULL is allowed. */
void edge_keyset_free(edge_keyset *ks);

#endif
