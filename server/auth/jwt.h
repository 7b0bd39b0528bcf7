/* jwt.h - verify a compact JWS token and turn its claims into an identity.
 *
 * One call does the whole check in a fixed order: size limit, structure
 * (exactly three base64url parts), header (alg, kid, crit), key selection,
 * the payload and its claims, and last the signature. The signature is the
 * expensive step (about a millisecond for ES256 with mbedTLS), so a token
 * that is expired, not yet valid, or for another issuer or audience is
 * refused before it: checking claims trusts nothing (a token is only
 * accepted once its signature verifies too), and the payload goes through
 * the same strict, fuzzed parser as the header, which has to be read
 * unverified anyway. What a verification costs is then spent only on
 * tokens whose claims would pass: the genuine ones, and forgeries, which
 * auth/fail_limit.h counts.
 *
 * Accepted algorithms: RS256, ES256 and HS256; everything else, "none"
 * included, is refused. A key is used for a token only when its type fits
 * the token's alg and the JWK's own "alg" (when it has one) names the same
 * algorithm, so RSA or EC key material can never serve as an HMAC secret.
 *
 * Errors are negative EDGE_JWT_ERR_* values; edge_jwt_code() gives the
 * machine code used in error responses, and the why out-parameter a static
 * human-readable sentence (no quotes, safe inside a header value). */
#ifndef EDGE_JWT_H
#define EDGE_JWT_H

#include <stddef.h>
#include <stdint.h>

#include "auth/identity.h"
#include "auth/jwks.h"

enum edge_jwt_status {
    EDGE_JWT_OK = 0,
    EDGE_JWT_ERR_MISSING = -1,   /* "missing_token": nothing to verify */
    EDGE_JWT_ERR_TOO_LARGE = -2, /* "token_too_large": over max_token_bytes */
    EDGE_JWT_ERR_MALFORMED = -3, /* "invalid_token": structure, base64url, JSON */
    EDGE_JWT_ERR_ALG = -4,       /* "unsupported_alg": none, unknown, crit */
    EDGE_JWT_ERR_KEY = -5,       /* "unknown_key": no usable key for kid/alg */
    EDGE_JWT_ERR_SIGNATURE = -6, /* "invalid_signature" */
    EDGE_JWT_ERR_EXPIRED = -7,   /* "token_expired": exp + leeway passed */
    EDGE_JWT_ERR_NOT_YET = -8,   /* "token_not_yet_valid": nbf/iat in the future */
    EDGE_JWT_ERR_ISSUER = -9,    /* "invalid_issuer" */
    EDGE_JWT_ERR_AUDIENCE = -10, /* "invalid_audience" */
    EDGE_JWT_ERR_CLAIMS = -11,   /* "invalid_claims": missing/mistyped/too long */
};

/* What a token must satisfy besides its signature. Strings are borrowed. */
typedef struct edge_jwt_policy {
    const char *issuer;     /* NULL: iss not checked (its type still is) */
    const char *audience;   /* NULL: aud not checked; else aud or client_id */
    int64_t leeway_s;       /* clock skew allowed on exp/nbf/iat; < 0 means 0 */
    size_t max_token_bytes; /* longer tokens are refused before decoding; 0: none */
    int es256_allow_high_s; /* 1: accept ES256 signatures with s > n/2 (issuers that
                               do not normalize s); 0 (default): refuse them */
} edge_jwt_policy;

/* Verify token (len bytes, need not be NUL-terminated) against the keys in
 * ks under policy at time now (seconds since the epoch). Returns EDGE_JWT_OK
 * and fills *out, or a negative EDGE_JWT_ERR_* with *why set to a static
 * sentence; *out is unspecified on failure. ks is not modified logically;
 * it is non-const because mbedTLS verification contexts are. */
int edge_jwt_verify(edge_keyset *ks, const edge_jwt_policy *policy, const char *token, size_t len,
                    int64_t now, edge_identity *out, const char **why);

/* The machine code for a status ("invalid_token" for unknown values). */
const char *edge_jwt_code(int status);

/* Build and sign a compact HS256 token from two JSON texts (used by demo
 * mode to mint tokens). Returns a malloc'd NUL-terminated token the caller
 * frees, or NULL when the HMAC computation fails. */
char *edge_jwt_sign_hs256(const unsigned char *key, size_t keylen, const char *header_json,
                          const char *payload_json);

#endif
