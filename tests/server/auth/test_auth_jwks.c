/* test_auth_jwks.c - JWK Set parsing: good keys of each type, every way a
 * key or the document can be malformed (each with its message), skipped
 * keys, duplicate kids and programmatic HMAC keys. Keys are generated when
 * the test starts (one RSA key; RSA generation is slow under ASan). */
#include <string.h>

#include "auth/jwks.h"
#include "auth_testkit.h"
#include "unit.h"

static struct {
    tk_rng rng;
    mbedtls_rsa_context rsa;
    mbedtls_ecp_keypair ec;
    unsigned char secret[32];
    char rsa_jwk[2048], ec_jwk[512], oct_jwk[256];
} fx;

/* Parse doc and expect failure with want somewhere in the message. */
static int fails_with(const char *doc, const char *want)
{
    char err[256] = "";
    edge_keyset *ks = edge_keyset_parse(doc, strlen(doc), err, sizeof(err));
    if (ks != NULL) {
        edge_keyset_free(ks);
        fprintf(stderr, "  unexpectedly parsed: %.120s\n", doc);
        return 0;
    }
    if (strstr(err, want) == NULL) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err, want);
        return 0;
    }
    return 1;
}

/* A one-key document around the JWK text jwk. */
static const char *doc1(char *buf, size_t cap, const char *jwk)
{
    return tk_fmt(buf, cap, "{\"keys\":[%s]}", jwk);
}

static void test_parse_all_types(void)
{
    char doc[4096], err[256] = "";
    tk_fmt(doc, sizeof(doc), "{\"keys\":[%s,%s,%s]}", fx.rsa_jwk, fx.ec_jwk, fx.oct_jwk);
    edge_keyset *ks = edge_keyset_parse(doc, strlen(doc), err, sizeof(err));
    CHECK(ks != NULL);
    if (ks == NULL) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_INT_EQ(edge_keyset_count(ks), 3);
    CHECK_INT_EQ(edge_keyset_skipped(ks), 0);
    edge_jwk *r = edge_keyset_find(ks, "rsa1"), *e = edge_keyset_find(ks, "ec1"),
             *o = edge_keyset_find(ks, "hs1");
    CHECK(r != NULL && r->kty == EDGE_JWK_RSA && strcmp(r->alg, "RS256") == 0);
    CHECK(r != NULL && mbedtls_rsa_get_len(&r->rsa) == 256);
    CHECK(e != NULL && e->kty == EDGE_JWK_EC && e->alg[0] == '\0');
    CHECK(e != NULL && mbedtls_ecp_point_cmp(&e->q, &fx.ec.Q) == 0);
    CHECK(o != NULL && o->kty == EDGE_JWK_OCT && o->secret_len == 32);
    CHECK(o != NULL && memcmp(o->secret, fx.secret, 32) == 0);
    CHECK(edge_keyset_find(ks, "nope") == NULL);
    CHECK(edge_keyset_at(ks, 3) == NULL);
    edge_keyset_free(ks);
}

static void test_document_errors(void)
{
    CHECK(fails_with("not json", "not valid JSON"));
    CHECK(fails_with("{\"keys\":[]} x", "not valid JSON"));
    CHECK(fails_with("[]", "not a JSON object"));
    CHECK(fails_with("{}", "no \"keys\" array"));
    CHECK(fails_with("{\"keys\":{}}", "no \"keys\" array"));
    CHECK(fails_with("{\"Keys\":[]}", "no \"keys\" array")); /* names are case-sensitive */
    CHECK(fails_with("{\"keys\":[],\"keys\":[]}", "repeated"));
    CHECK(fails_with("{\"keys\":[1]}", "not a JSON object"));
    CHECK(fails_with("{\"keys\":[{\"kid\":\"a\"}]}", "\"kty\" is missing"));
    CHECK(fails_with("{\"keys\":[{\"kty\":7}]}", "\"kty\" is missing or not a string"));
    CHECK(fails_with("{\"keys\":[{\"kty\":\"oct\",\"use\":1}]}", "\"use\" is not a string"));
}

static void test_empty_set_is_valid(void)
{
    char err[64];
    edge_keyset *ks = edge_keyset_parse("{\"keys\":[]}", 11, err, sizeof(err));
    CHECK(ks != NULL);
    if (ks)
        CHECK_INT_EQ(edge_keyset_count(ks), 0);
    edge_keyset_free(ks);
}

static void test_rsa_errors(void)
{
    char doc[4096], jwk[2048];
    CHECK(fails_with("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"r\",\"e\":\"AQAB\"}]}",
                     "member \"n\" is missing"));
    tk_jwk_rsa(&fx.rsa, "r", NULL, jwk, sizeof(jwk));
    /* Drop e by cutting the text before it. */
    char *e = strstr(jwk, ",\"e\":");
    CHECK(e != NULL);
    if (e)
        strcpy(e, "}");
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "member \"e\" is missing"));
    CHECK(fails_with("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"ab+c\",\"e\":\"AQAB\"}]}",
                     "member \"n\" is not canonical base64url"));
    CHECK(fails_with("{\"keys\":[{\"kty\":\"RSA\",\"n\":5,\"e\":\"AQAB\"}]}",
                     "member \"n\" is not a string"));
    /* Even exponent: not a usable public key. */
    tk_jwk_rsa(&fx.rsa, "r", NULL, jwk, sizeof(jwk));
    e = strstr(jwk, "\"e\":\"AQAB\"");
    CHECK(e != NULL);
    if (e)
        memcpy(e, "\"e\":\"AQAC\"", 10);
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "not a valid public key"));
}

static void test_rsa_too_short(void)
{
    /* An odd 1024-bit number is a structurally valid modulus, just too small. */
    unsigned char n[128];
    char nb[200], doc[512];
    tk_random(&fx.rng, n, sizeof(n));
    n[0] |= 0x80;
    n[127] |= 1;
    tk_b64(n, sizeof(n), nb, sizeof(nb));
    tk_fmt(doc, sizeof(doc), "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\"}]}", nb);
    CHECK(fails_with(doc, "at least 2048"));
}

static void test_ec_errors(void)
{
    char doc[1024], jwk[512];
    unsigned char x[32], y[32];
    char xs[64], ys[64], short_x[64];
    tk_ec_xy(&fx.ec, x, y);
    tk_b64(x, 32, xs, sizeof(xs));
    tk_b64(y, 32, ys, sizeof(ys));
    tk_b64(x, 31, short_x, sizeof(short_x));

    tk_fmt(jwk, sizeof(jwk), "{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"%s\",\"y\":\"%s\"}", xs,
           ys);
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "curve \"P-384\" is not supported"));
    tk_fmt(jwk, sizeof(jwk), "{\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", xs, ys);
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "\"crv\" is missing"));
    tk_fmt(jwk, sizeof(jwk), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\"}", xs);
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "member \"y\" is missing"));
    tk_fmt(jwk, sizeof(jwk), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%s\"}",
           short_x, ys);
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "32 bytes each"));
    /* Swapping x and y gives a point that is (overwhelmingly likely) off the curve. */
    tk_fmt(jwk, sizeof(jwk), "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%s\"}", ys,
           xs);
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "not on the P-256 curve"));
}

static void test_oct_errors(void)
{
    char doc[512], jwk[256];
    CHECK(fails_with("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h\"}]}", "member \"k\" is missing"));
    tk_jwk_oct(fx.secret, 16, "h", NULL, jwk, sizeof(jwk));
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "HMAC secret has 16 bytes"));
}

static void test_kid_alg_and_duplicates(void)
{
    char doc[4096], jwk[512], jwk2[512];
    /* The same kid twice is ambiguous. */
    tk_jwk_oct(fx.secret, 32, "same", NULL, jwk, sizeof(jwk));
    tk_jwk_ec(&fx.ec, "same", NULL, jwk2, sizeof(jwk2));
    CHECK(fails_with(tk_fmt(doc, sizeof(doc), "{\"keys\":[%s,%s]}", jwk, jwk2), "used twice"));
    /* A JWK alg that names an algorithm of another key type. */
    tk_jwk_ec(&fx.ec, "e", ",\"alg\":\"RS256\"", jwk, sizeof(jwk));
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "alg \"RS256\" does not fit"));
    tk_jwk_oct(fx.secret, 32, "h", ",\"alg\":\"ES256\"", jwk, sizeof(jwk));
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "does not fit"));
    /* Mistyped kid, and a member named twice inside one key. */
    CHECK(fails_with("{\"keys\":[{\"kty\":\"oct\",\"kid\":1}]}", "\"kid\" is not a string"));
    tk_jwk_oct(fx.secret, 32, "h", ",\"kty\":\"oct\"", jwk, sizeof(jwk));
    CHECK(fails_with(doc1(doc, sizeof(doc), jwk), "names a member twice"));
    /* The failing key is named in the message. */
    tk_jwk_oct(fx.secret, 8, "tiny-key", NULL, jwk, sizeof(jwk));
    CHECK(fails_with(tk_fmt(doc, sizeof(doc), "{\"keys\":[%s,%s]}", fx.ec_jwk, jwk),
                     "key #1 (kid \"tiny-key\")"));
}

static void test_skips_foreign_keys(void)
{
    char doc[4096], enc[2048], err[256] = "";
    tk_jwk_rsa(&fx.rsa, "rsa-enc", ",\"use\":\"enc\"", enc, sizeof(enc));
    tk_fmt(doc, sizeof(doc),
           "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"abc\"},%s,%s]}", enc,
           fx.ec_jwk);
    edge_keyset *ks = edge_keyset_parse(doc, strlen(doc), err, sizeof(err));
    CHECK(ks != NULL);
    if (ks == NULL) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    CHECK_INT_EQ(edge_keyset_count(ks), 1);
    CHECK_INT_EQ(edge_keyset_skipped(ks), 2);
    CHECK(edge_keyset_find(ks, "rsa-enc") == NULL);
    CHECK(edge_keyset_find(ks, "ec1") != NULL);
    edge_keyset_free(ks);
}

static void test_oversized_document(void)
{
    size_t len = EDGE_JWKS_MAX_BYTES + 1;
    char *doc = malloc(len);
    char err[128] = "";
    memset(doc, ' ', len);
    memcpy(doc, "{\"keys\":[]}", 11);
    CHECK(edge_keyset_parse(doc, len, err, sizeof(err)) == NULL);
    CHECK(strstr(err, "larger than") != NULL);
    free(doc);
}

static void test_add_hmac(void)
{
    char err[128] = "";
    edge_keyset *ks = edge_keyset_create();
    CHECK_INT_EQ(edge_keyset_add_hmac(ks, "demo", fx.secret, 32, err, sizeof(err)), 0);
    edge_jwk *k = edge_keyset_find(ks, "demo");
    CHECK(k != NULL && k->kty == EDGE_JWK_OCT && strcmp(k->alg, "HS256") == 0);
    CHECK(k != NULL && k->secret != fx.secret && memcmp(k->secret, fx.secret, 32) == 0);
    CHECK_INT_EQ(edge_keyset_add_hmac(ks, "demo", fx.secret, 32, err, sizeof(err)), -1);
    CHECK(strstr(err, "already in use") != NULL);
    CHECK_INT_EQ(edge_keyset_add_hmac(ks, "short", fx.secret, 31, err, sizeof(err)), -1);
    CHECK(strstr(err, "31 bytes") != NULL);
    CHECK_INT_EQ(edge_keyset_count(ks), 1);
    edge_keyset_free(ks);
}

int main(void)
{
    tk_rng_init(&fx.rng);
    tk_rsa_gen(&fx.rng, &fx.rsa, 2048);
    tk_ec_gen(&fx.rng, &fx.ec);
    tk_random(&fx.rng, fx.secret, sizeof(fx.secret));
    tk_jwk_rsa(&fx.rsa, "rsa1", ",\"alg\":\"RS256\",\"use\":\"sig\"", fx.rsa_jwk,
               sizeof(fx.rsa_jwk));
    tk_jwk_ec(&fx.ec, "ec1", NULL, fx.ec_jwk, sizeof(fx.ec_jwk));
    tk_jwk_oct(fx.secret, sizeof(fx.secret), "hs1", ",\"alg\":\"HS256\"", fx.oct_jwk,
               sizeof(fx.oct_jwk));

    UNIT_RUN(test_parse_all_types);
    UNIT_RUN(test_document_errors);
    UNIT_RUN(test_empty_set_is_valid);
    UNIT_RUN(test_rsa_errors);
    UNIT_RUN(test_rsa_too_short);
    UNIT_RUN(test_ec_errors);
    UNIT_RUN(test_oct_errors);
    UNIT_RUN(test_kid_alg_and_duplicates);
    UNIT_RUN(test_skips_foreign_keys);
    UNIT_RUN(test_oversized_document);
    UNIT_RUN(test_add_hmac);

    mbedtls_rsa_free(&fx.rsa);
    mbedtls_ecp_keypair_free(&fx.ec);
    tk_rng_free(&fx.rng);
    return UNIT_DONE();
}
