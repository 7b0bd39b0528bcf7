/* jwks.c - JWK Set parsing and key import into mbedTLS (see jwks.h).
 *
 * Each key goes through the same steps: check the generic members (kty,
 * use, kid, alg), then the type-specific ones, then let mbedTLS validate the
 * imported key (RSA: modulus/exponent sanity; EC: the point is on P-256).
 * Errors are written into a caller buffer as one line for the operator. */
#include "auth/jwks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "auth/base64url.h"
#include "auth/json_strict.h"
#include "common/errbuf.h"
#include "common/mem.h"

#define JWK_RSA_N_MAX (MBEDTLS_MPI_MAX_SIZE + 1) /* room for one leading zero */
#define JWK_RSA_E_MAX 8
#define JWK_EC_COORD 32 /* P-256 coordinates are 32 bytes */

struct edge_keyset {
    edge_jwk **keys; /* owned; pointers because mbedTLS contexts hold mutexes */
    size_t count;
    size_t cap;
    size_t skipped; /* well-formed keys we chose not to load */
};

static edge_jwk *jwk_new(edge_jwk_kty kty)
{
    edge_jwk *k = edge_xcalloc(1, sizeof(*k));
    k->kty = kty;
    /* Every context is initialised whatever the type so jwk_free is uniform. */
    mbedtls_rsa_init(&k->rsa, MBEDTLS_RSA_PKCS_V15, 0);
    mbedtls_ecp_group_init(&k->grp);
    mbedtls_ecp_point_init(&k->q);
    return k;
}

static void jwk_free(edge_jwk *k)
{
    if (k == NULL)
        return;
    mbedtls_rsa_free(&k->rsa);
    mbedtls_ecp_group_free(&k->grp);
    mbedtls_ecp_point_free(&k->q);
    if (k->secret) {
        mbedtls_platform_zeroize(k->secret, k->secret_len);
        free(k->secret);
    }
    free(k);
}

/* Decode the required base64url member name into out (cap bytes). Returns 0,
 * or -1 with why filled. */
static int jwk_member_bytes(const cJSON *obj, const char *name, unsigned char *out, size_t cap,
                            size_t *outlen, char *why, size_t whylen)
{
    const char *text;
    int rc = edge__json_opt_string(obj, name, &text);
    if (rc == 0) {
        edge_errf(why, whylen, "member \"%s\" is missing", name);
        return -1;
    }
    if (rc < 0) {
        edge_errf(why, whylen, "member \"%s\" is not a string", name);
        return -1;
    }
    if (edge_b64url_decode(text, strlen(text), out, cap, outlen) != 0) {
        edge_errf(why, whylen, "member \"%s\" is not canonical base64url or is too long", name);
        return -1;
    }
    return 0;
}

static int jwk_parse_rsa(const cJSON *obj, edge_jwk *k, char *why, size_t whylen)
{
    unsigned char n[JWK_RSA_N_MAX], e[JWK_RSA_E_MAX];
    size_t nlen, elen;
    if (jwk_member_bytes(obj, "n", n, sizeof(n), &nlen, why, whylen) != 0 ||
        jwk_member_bytes(obj, "e", e, sizeof(e), &elen, why, whylen) != 0)
        return -1;
    if (mbedtls_rsa_import_raw(&k->rsa, n, nlen, NULL, 0, NULL, 0, NULL, 0, e, elen) != 0 ||
        mbedtls_rsa_complete(&k->rsa) != 0 || mbedtls_rsa_check_pubkey(&k->rsa) != 0) {
        edge_errf(why, whylen, "RSA modulus/exponent are not a valid public key");
        return -1;
    }
    size_t bits = mbedtls_mpi_bitlen(&k->rsa.N);
    if (bits < EDGE_JWK_RSA_MIN_BITS) {
        edge_errf(why, whylen, "RSA key has %zu bits; at least %d are required", bits,
                EDGE_JWK_RSA_MIN_BITS);
        return -1;
    }
    return 0;
}

static int jwk_parse_ec(const cJSON *obj, edge_jwk *k, char *why, size_t whylen)
{
    const char *crv;
    if (edge__json_opt_string(obj, "crv", &crv) != 1) {
        edge_errf(why, whylen, "member \"crv\" is missing or not a string");
        return -1;
    }
    if (strcmp(crv, "P-256") != 0) {
        edge_errf(why, whylen, "EC curve \"%.32s\" is not supported (only P-256)", crv);
        return -1;
    }
    /* Uncompressed SEC1 encoding: 0x04 || x || y. */
    unsigned char point[1 + 2 * JWK_EC_COORD];
    size_t xlen, ylen;
    point[0] = 0x04;
    if (jwk_member_bytes(obj, "x", point + 1, JWK_EC_COORD, &xlen, why, whylen) != 0 ||
        jwk_member_bytes(obj, "y", point + 1 + JWK_EC_COORD, JWK_EC_COORD, &ylen, why, whylen) != 0)
        return -1;
    if (xlen != JWK_EC_COORD || ylen != JWK_EC_COORD) {
        edge_errf(why, whylen, "EC coordinates must be %d bytes each", JWK_EC_COORD);
        return -1;
    }
    if (mbedtls_ecp_group_load(&k->grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_point_read_binary(&k->grp, &k->q, point, sizeof(point)) != 0 ||
        mbedtls_ecp_check_pubkey(&k->grp, &k->q) != 0) {
        edge_errf(why, whylen, "EC point is not on the P-256 curve");
        return -1;
    }
    return 0;
}

static int jwk_set_secret(edge_jwk *k, const unsigned char *secret, size_t len, char *why,
                          size_t whylen)
{
    if (len < EDGE_JWK_HMAC_MIN || len > EDGE_JWK_HMAC_MAX) {
        edge_errf(why, whylen, "HMAC secret has %zu bytes; %d to %d are allowed", len,
                EDGE_JWK_HMAC_MIN, EDGE_JWK_HMAC_MAX);
        return -1;
    }
    k->secret = edge_xmalloc(len);
    memcpy(k->secret, secret, len);
    k->secret_len = len;
    return 0;
}

static int jwk_parse_oct(const cJSON *obj, edge_jwk *k, char *why, size_t whylen)
{
    /* One byte more than allowed so that an oversized secret reaches the
     * length check and gets the precise message. */
    unsigned char secret[EDGE_JWK_HMAC_MAX + 1];
    size_t len;
    int rc = jwk_member_bytes(obj, "k", secret, sizeof(secret), &len, why, whylen);
    if (rc == 0)
        rc = jwk_set_secret(k, secret, len, why, whylen);
    mbedtls_platform_zeroize(secret, sizeof(secret));
    return rc;
}

/* The key type an algorithm we implement needs, or 0 for other algorithms. */
static edge_jwk_kty jwk_kty_for_alg(const char *alg)
{
    if (strcmp(alg, "RS256") == 0)
        return EDGE_JWK_RSA;
    if (strcmp(alg, "ES256") == 0)
        return EDGE_JWK_EC;
    if (strcmp(alg, "HS256") == 0)
        return EDGE_JWK_OCT;
    return 0;
}

static int jwk_kty_from_name(const char *name, edge_jwk_kty *kty)
{
    if (strcmp(name, "RSA") == 0)
        *kty = EDGE_JWK_RSA;
    else if (strcmp(name, "EC") == 0)
        *kty = EDGE_JWK_EC;
    else if (strcmp(name, "oct") == 0)
        *kty = EDGE_JWK_OCT;
    else
        return -1;
    return 0;
}

/* Copy the optional kid and alg members into k. Returns 0 or -1. */
static int jwk_parse_ids(const cJSON *obj, edge_jwk *k, char *why, size_t whylen)
{
    const char *kid, *alg;
    int rc = edge__json_opt_string(obj, "kid", &kid);
    if (rc < 0 || (rc == 1 && strlen(kid) >= sizeof(k->kid))) {
        edge_errf(why, whylen, "member \"kid\" is not a string or is too long");
        return -1;
    }
    if (rc == 1) {
        k->has_kid = 1;
        memcpy(k->kid, kid, strlen(kid) + 1);
    }
    rc = edge__json_opt_string(obj, "alg", &alg);
    if (rc < 0 || (rc == 1 && strlen(alg) >= sizeof(k->alg))) {
        edge_errf(why, whylen, "member \"alg\" is not a string or is too long");
        return -1;
    }
    if (rc == 1) {
        edge_jwk_kty need = jwk_kty_for_alg(alg);
        if (need != 0 && need != k->kty) {
            edge_errf(why, whylen, "alg \"%s\" does not fit this key type", alg);
            return -1;
        }
        memcpy(k->alg, alg, strlen(alg) + 1);
    }
    return 0;
}

static int jwk_parse_material(const cJSON *obj, edge_jwk *k, char *why, size_t whylen)
{
    switch (k->kty) {
    case EDGE_JWK_RSA:
        return jwk_parse_rsa(obj, k, why, whylen);
    case EDGE_JWK_EC:
        return jwk_parse_ec(obj, k, why, whylen);
    case EDGE_JWK_OCT:
        return jwk_parse_oct(obj, k, why, whylen);
    }
    return -1;
}

/* Parse one member of "keys". Returns 1 with *out set, 0 when the key is to
 * be skipped, -1 with why filled on a malformed key. */
static int jwk_parse(const cJSON *obj, edge_jwk **out, char *why, size_t whylen)
{
    const char *kty_name, *use;
    edge_jwk_kty kty;
    *out = NULL;
    if (!cJSON_IsObject(obj)) {
        edge_errf(why, whylen, "is not a JSON object");
        return -1;
    }
    if (edge__json_has_duplicate(obj)) {
        edge_errf(why, whylen, "names a member twice");
        return -1;
    }
    if (edge__json_opt_string(obj, "kty", &kty_name) != 1) {
        edge_errf(why, whylen, "member \"kty\" is missing or not a string");
        return -1;
    }
    int rc = edge__json_opt_string(obj, "use", &use);
    if (rc < 0) {
        edge_errf(why, whylen, "member \"use\" is not a string");
        return -1;
    }
    if ((rc == 1 && strcmp(use, "sig") != 0) || jwk_kty_from_name(kty_name, &kty) != 0)
        return 0;
    edge_jwk *k = jwk_new(kty);
    if (jwk_parse_ids(obj, k, why, whylen) != 0 || jwk_parse_material(obj, k, why, whylen) != 0) {
        jwk_free(k);
        return -1;
    }
    *out = k;
    return 1;
}

static void keyset_push(edge_keyset *ks, edge_jwk *k)
{
    if (ks->count == ks->cap) {
        ks->cap = ks->cap ? ks->cap * 2 : 4;
        ks->keys = edge_xrealloc(ks->keys, ks->cap * sizeof(*ks->keys));
    }
    ks->keys[ks->count++] = k;
}

edge_keyset *edge_keyset_create(void)
{
    return edge_xcalloc(1, sizeof(edge_keyset));
}

/* Load every member of the "keys" array into ks. Returns 0 or -1. */
static int keyset_load(edge_keyset *ks, const cJSON *keys, char *err, size_t errlen)
{
    size_t index = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, keys)
    {
        char why[160];
        edge_jwk *k;
        int rc = jwk_parse(item, &k, why, sizeof(why));
        if (rc == 0) {
            ks->skipped++;
        } else if (rc < 0) {
            const char *kid = NULL;
            if (cJSON_IsObject(item))
                edge__json_opt_string(item, "kid", &kid);
            edge_errf(err, errlen, "JWKS key #%zu (kid \"%.64s\"): %s", index, kid ? kid : "", why);
            return -1;
        } else if (k->has_kid && edge_keyset_find(ks, k->kid) != NULL) {
            edge_errf(err, errlen, "JWKS key #%zu: kid \"%.64s\" is used twice", index, k->kid);
            jwk_free(k);
            return -1;
        } else {
            keyset_push(ks, k);
        }
        index++;
    }
    return 0;
}

edge_keyset *edge_keyset_parse(const char *json, size_t len, char *err, size_t errlen)
{
    edge__json_fault fault;
    if (len > EDGE_JWKS_MAX_BYTES) {
        edge_errf(err, errlen, "JWKS document is larger than %d bytes", EDGE_JWKS_MAX_BYTES);
        return NULL;
    }
    cJSON *root = edge__json_parse_object(json, len, &fault);
    if (root == NULL) {
        edge_errf(err, errlen, "JWKS document: %s", edge__json_fault_text(fault));
        return NULL;
    }
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(root, "keys");
    if (!cJSON_IsArray(keys)) {
        edge_errf(err, errlen, "JWKS document has no \"keys\" array");
        cJSON_Delete(root);
        return NULL;
    }
    edge_keyset *ks = edge_keyset_create();
    if (keyset_load(ks, keys, err, errlen) != 0) {
        edge_keyset_free(ks);
        ks = NULL;
    }
    cJSON_Delete(root);
    return ks;
}

int edge_keyset_add_hmac(edge_keyset *ks, const char *kid, const unsigned char *secret, size_t len,
                         char *err, size_t errlen)
{
    if (strlen(kid) >= EDGE_JWK_KID_MAX || edge_keyset_find(ks, kid) != NULL) {
        edge_errf(err, errlen, "kid \"%.64s\" is already in use or too long", kid);
        return -1;
    }
    edge_jwk *k = jwk_new(EDGE_JWK_OCT);
    if (jwk_set_secret(k, secret, len, err, errlen) != 0) {
        jwk_free(k);
        return -1;
    }
    k->has_kid = 1;
    memcpy(k->kid, kid, strlen(kid) + 1);
    memcpy(k->alg, "HS256", sizeof("HS256"));
    keyset_push(ks, k);
    return 0;
}

edge_jwk *edge_keyset_find(const edge_keyset *ks, const char *kid)
{
    for (size_t i = 0; i < ks->count; i++) {
        if (ks->keys[i]->has_kid && strcmp(ks->keys[i]->kid, kid) == 0)
            return ks->keys[i];
    }
    return NULL;
}

size_t edge_keyset_count(const edge_keyset *ks)
{
    return ks->count;
}

edge_jwk *edge_keyset_at(const edge_keyset *ks, size_t i)
{
    return i < ks->count ? ks->keys[i] : NULL;
}

size_t edge_keyset_skipped(const edge_keyset *ks)
{
    return ks->skipped;
}

void edge_keyset_free(edge_keyset *ks)
{
    if (ks == NULL)
        return;
    for (size_t i = 0; i < ks->count; i++)
        jwk_free(ks->keys[i]);
    free(ks->keys);
    free(ks);
}
