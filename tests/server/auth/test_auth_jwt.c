/* test_auth_jwt.c - edge_jwt_verify against tokens signed in the test.
 *
 * One RSA, one EC and one HMAC key are generated at start-up and published
 * as a JWKS; tokens are signed with them here (auth_testkit.h). The valid
 * cases check the identity that comes out; every other case builds one
 * specific defect and checks it is refused with the expected status. */
#include <string.h>

#include "auth/jwt.h"
#include "auth_testkit.h"
#include "unit.h"

#define NOW 1700000000LL
#define ISS "https://issuer.example"
#define AUD "c2c-app"

static struct {
    tk_rng rng;
    mbedtls_rsa_context rsa;
    mbedtls_ecp_keypair ec;
    unsigned char secret[32];
    edge_keyset *keys;
    edge_jwt_policy policy;
    const char *why; /* message of the last verify() */
} fx;

static const char HS[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"hs1\"}";
static const char RS[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"rsa1\"}";
static const char ES[] = "{\"alg\":\"ES256\",\"kid\":\"ec1\"}";

static int verify_with(edge_keyset *ks, const char *tok, edge_identity *id)
{
    edge_identity scratch;
    fx.why = NULL;
    int rc = edge_jwt_verify(ks, &fx.policy, tok, strlen(tok), NOW, id ? id : &scratch, &fx.why);
    if (rc != EDGE_JWT_OK && fx.why == NULL)
        fprintf(stderr, "  failure without a message\n");
    return rc;
}

static int verify(const char *tok, edge_identity *id)
{
    return verify_with(fx.keys, tok, id);
}

/* A payload with the standard claims; extra goes before the closing brace. */
static const char *claims(char *buf, size_t cap, const char *extra)
{
    return tk_fmt(buf, cap,
                  "{\"sub\":\"user-1\",\"iss\":\"" ISS "\",\"aud\":\"" AUD
                  "\",\"iat\":%lld,\"exp\":%lld%s}",
                  NOW - 10, NOW + 600, extra ? extra : "");
}

static char *hs(const char *header, const char *payload, char *out)
{
    return tk_sign_hs256(fx.secret, sizeof(fx.secret), header, payload, out, TK_TOKEN_MAX);
}

static char *rs(const char *header, const char *payload, char *out)
{
    return tk_sign_rs256(&fx.rng, &fx.rsa, header, payload, out, TK_TOKEN_MAX);
}

static char *es(const char *header, const char *payload, char *out)
{
    return tk_sign_es256(&fx.rng, &fx.ec, header, payload, out, TK_TOKEN_MAX);
}

/* Drop the iss/aud requirements for tests about other claims; returns the
 * policy to restore afterwards. */
static edge_jwt_policy open_policy(void)
{
    edge_jwt_policy saved = fx.policy;
    fx.policy.issuer = NULL;
    fx.policy.audience = NULL;
    return saved;
}

/* HS256 token over a payload made from fmt and two numbers (usually times). */
static int verify_times(const char *fmt, long long a, long long b)
{
    char p[512], tok[TK_TOKEN_MAX];
    tk_fmt(p, sizeof(p), fmt, a, b);
    return verify(hs(HS, p, tok), NULL);
}

static void test_rs256_valid(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    edge_identity id;
    claims(p, sizeof(p),
           ",\"email\":\"u1@example.test\",\"name\":\"User One\","
           "\"groups\":[\"staff\",\"agents\"]");
    CHECK_INT_EQ(verify(rs(RS, p, tok), &id), EDGE_JWT_OK);
    CHECK_STR_EQ(id.sub, "user-1");
    CHECK_STR_EQ(id.email, "u1@example.test");
    CHECK_STR_EQ(id.name, "User One");
    CHECK_INT_EQ(id.is_agent, 1);
    CHECK_INT_EQ(id.is_supervisor, 0);
    CHECK_INT_EQ(id.exp, NOW + 600);
    /* "supervisors" in either group claim makes a supervisor (recordings) */
    claims(p, sizeof(p), ",\"groups\":[\"supervisors\"]");
    CHECK_INT_EQ(verify(rs(RS, p, tok), &id), EDGE_JWT_OK);
    CHECK_INT_EQ(id.is_supervisor, 1);
    CHECK_INT_EQ(id.is_agent, 0);
    claims(p, sizeof(p), ",\"cognito:groups\":[\"agents\",\"supervisors\"]");
    CHECK_INT_EQ(verify(rs(RS, p, tok), &id), EDGE_JWT_OK);
    CHECK_INT_EQ(id.is_supervisor, 1);
    CHECK_INT_EQ(id.is_agent, 1);
    claims(p, sizeof(p), ",\"groups\":[\"supervisorsX\"]");
    CHECK_INT_EQ(verify(rs(RS, p, tok), &id), EDGE_JWT_OK);
    CHECK_INT_EQ(id.is_supervisor, 0);
}

static void test_es256_valid(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    edge_identity id;
    claims(p, sizeof(p), ",\"cognito:groups\":[\"agents\"],\"token_use\":\"id\"");
    CHECK_INT_EQ(verify(es(ES, p, tok), &id), EDGE_JWT_OK);
    CHECK_STR_EQ(id.sub, "user-1");
    CHECK_STR_EQ(id.email, "");
    CHECK_INT_EQ(id.is_agent, 1);
}

static void test_hs256_valid(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    edge_identity id;
    claims(p, sizeof(p), ",\"name\":\"Ann\",\"groups\":[\"customers\",\"agentsX\",7]");
    CHECK_INT_EQ(verify(hs(HS, p, tok), &id), EDGE_JWT_OK);
    CHECK_STR_EQ(id.name, "Ann");
    CHECK_INT_EQ(id.is_agent, 0);
    /* A group claim that is not an array grants nothing (and is no error). */
    claims(p, sizeof(p), ",\"groups\":\"agents\"");
    CHECK_INT_EQ(verify(hs(HS, p, tok), &id), EDGE_JWT_OK);
    CHECK_INT_EQ(id.is_agent, 0);
}

static void test_sign_hs256_helper(void)
{
    char p[512];
    claims(p, sizeof(p), NULL);
    char *tok = edge_jwt_sign_hs256(fx.secret, sizeof(fx.secret), HS, p);
    CHECK(tok != NULL);
    if (tok)
        CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_OK);
    free(tok);
}

static void test_no_kid(void)
{
    char p[512], tok[TK_TOKEN_MAX], doc[1024], jwk1[512], jwk2[512], err[128];
    mbedtls_ecp_keypair other;
    tk_ec_gen(&fx.rng, &other);
    claims(p, sizeof(p), NULL);
    es("{\"alg\":\"ES256\"}", p, tok);
    /* The full set has one EC key: it is used. */
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_OK);
    /* With two EC keys there is no telling which is meant. */
    tk_jwk_ec(&fx.ec, "a", NULL, jwk1, sizeof(jwk1));
    tk_jwk_ec(&other, "b", NULL, jwk2, sizeof(jwk2));
    tk_fmt(doc, sizeof(doc), "{\"keys\":[%s,%s]}", jwk1, jwk2);
    edge_keyset *two = edge_keyset_parse(doc, strlen(doc), err, sizeof(err));
    CHECK(two != NULL);
    if (two)
        CHECK_INT_EQ(verify_with(two, tok, NULL), EDGE_JWT_ERR_KEY);
    edge_keyset_free(two);
    /* No kid and no key of the right type. */
    edge_keyset *none = edge_keyset_create();
    CHECK_INT_EQ(verify_with(none, tok, NULL), EDGE_JWT_ERR_KEY);
    edge_keyset_free(none);
    mbedtls_ecp_keypair_free(&other);
}

static void test_alg_none(void)
{
    char p[512], tok[TK_TOKEN_MAX], h[128], b[1024];
    claims(p, sizeof(p), NULL);
    static const char *headers[] = {"{\"alg\":\"none\"}", "{\"alg\":\"none\",\"kid\":\"hs1\"}",
                                    "{\"alg\":\"None\"}", "{\"alg\":\"\"}"};
    for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
        tk_b64(headers[i], strlen(headers[i]), h, sizeof(h));
        tk_b64(p, strlen(p), b, sizeof(b));
        tk_fmt(tok, sizeof(tok), "%s.%s.", h, b);
        CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_ALG);
        /* Signing it anyway changes nothing. */
        CHECK_INT_EQ(verify(hs(headers[i], p, tok), NULL), EDGE_JWT_ERR_ALG);
    }
    CHECK(strstr(fx.why, "alg") != NULL);
    CHECK_INT_EQ(verify(hs("{\"typ\":\"JWT\",\"kid\":\"hs1\"}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs("{\"alg\":256,\"kid\":\"hs1\"}", p, tok), NULL), EDGE_JWT_ERR_MALFORMED);
}

static void test_unknown_alg(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    claims(p, sizeof(p), NULL);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS512\",\"kid\":\"hs1\"}", p, tok), NULL), EDGE_JWT_ERR_ALG);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS384\"}", p, tok), NULL), EDGE_JWT_ERR_ALG);
    CHECK_INT_EQ(verify(rs("{\"alg\":\"PS256\",\"kid\":\"rsa1\"}", p, tok), NULL),
                 EDGE_JWT_ERR_ALG);
    CHECK_INT_EQ(verify(rs("{\"alg\":\"RS512\",\"kid\":\"rsa1\"}", p, tok), NULL),
                 EDGE_JWT_ERR_ALG);
    CHECK_INT_EQ(verify(es("{\"alg\":\"ES384\",\"kid\":\"ec1\"}", p, tok), NULL), EDGE_JWT_ERR_ALG);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"hs256\",\"kid\":\"hs1\"}", p, tok), NULL), EDGE_JWT_ERR_ALG);
    /* A critical extension we do not implement. */
    CHECK_INT_EQ(
        verify(hs("{\"alg\":\"HS256\",\"kid\":\"hs1\",\"crit\":[\"b64\"],\"b64\":false}", p, tok),
               NULL),
        EDGE_JWT_ERR_ALG);
}

static void test_key_confusion(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    unsigned char n[256], pem[1024];
    mbedtls_mpi N;
    mbedtls_pk_context pk;
    claims(p, sizeof(p), NULL);
    /* HS256 keyed with the RSA modulus, under the RSA key's kid. */
    mbedtls_mpi_init(&N);
    tk_must(mbedtls_rsa_export(&fx.rsa, &N, NULL, NULL, NULL, NULL), "export");
    tk_must(mbedtls_mpi_write_binary(&N, n, sizeof(n)), "write n");
    mbedtls_mpi_free(&N);
    tk_sign_hs256(n, sizeof(n), "{\"alg\":\"HS256\",\"kid\":\"rsa1\"}", p, tok, sizeof(tok));
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_KEY);
    /* HS256 keyed with the public key PEM (the classic confusion attack). */
    mbedtls_pk_init(&pk);
    tk_must(mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)), "pk_setup");
    tk_must(mbedtls_rsa_copy(mbedtls_pk_rsa(pk), &fx.rsa), "rsa_copy");
    tk_must(mbedtls_pk_write_pubkey_pem(&pk, pem, sizeof(pem)), "write pem");
    mbedtls_pk_free(&pk);
    size_t pem_len = strlen((const char *)pem);
    tk_sign_hs256(pem, pem_len, "{\"alg\":\"HS256\",\"kid\":\"rsa1\"}", p, tok, sizeof(tok));
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_KEY);
    tk_sign_hs256(pem, pem_len + 1, "{\"alg\":\"HS256\",\"kid\":\"rsa1\"}", p, tok, sizeof(tok));
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_KEY);
    /* Without a kid the only HS256 key is the real secret: still no. */
    tk_sign_hs256(pem, pem_len, "{\"alg\":\"HS256\"}", p, tok, sizeof(tok));
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
    /* The EC key's kid with HS256, and the HMAC kid with RS256 / ES256. */
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\",\"kid\":\"ec1\"}", p, tok), NULL), EDGE_JWT_ERR_KEY);
    CHECK_INT_EQ(verify(rs("{\"alg\":\"RS256\",\"kid\":\"hs1\"}", p, tok), NULL), EDGE_JWT_ERR_KEY);
    CHECK_INT_EQ(verify(es("{\"alg\":\"ES256\",\"kid\":\"rsa1\"}", p, tok), NULL),
                 EDGE_JWT_ERR_KEY);
}

static void test_jwk_alg_restricts(void)
{
    char p[512], tok[TK_TOKEN_MAX], doc[2048], jwk[2048], err[128];
    claims(p, sizeof(p), NULL);
    /* An RSA key published for RS512 only must not verify RS256. */
    tk_jwk_rsa(&fx.rsa, "rsa1", ",\"alg\":\"RS512\"", jwk, sizeof(jwk));
    tk_fmt(doc, sizeof(doc), "{\"keys\":[%s]}", jwk);
    edge_keyset *ks = edge_keyset_parse(doc, strlen(doc), err, sizeof(err));
    CHECK(ks != NULL);
    if (ks == NULL)
        return;
    CHECK_INT_EQ(verify_with(ks, rs(RS, p, tok), NULL), EDGE_JWT_ERR_KEY);
    CHECK_INT_EQ(verify_with(ks, rs("{\"alg\":\"RS256\"}", p, tok), NULL), EDGE_JWT_ERR_KEY);
    edge_keyset_free(ks);
}

static void test_signature_length(void)
{
    char p[512], tok[TK_TOKEN_MAX], in[TK_TOKEN_MAX];
    unsigned char sig[80];
    claims(p, sizeof(p), NULL);
    size_t n = tk_signing_input(ES, p, in, sizeof(in));
    memset(sig, 0, sizeof(sig));
    tk_es256_raw(&fx.rng, &fx.ec, in, n, sig);
    static const size_t lens[] = {0, 32, 63, 65, 72};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        memcpy(tok, in, n + 1);
        tk_append_sig(tok, sizeof(tok), sig, lens[i]);
        CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
    }
    /* r = s = 0 has the right length but is not a signature. */
    memset(sig, 0, sizeof(sig));
    memcpy(tok, in, n + 1);
    tk_append_sig(tok, sizeof(tok), sig, 64);
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
    /* A truncated RSA or HMAC signature. */
    rs(RS, p, tok);
    tok[strlen(tok) - 4] = '\0';
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
    hs(HS, p, tok);
    tok[strlen(tok) - 3] = '\0';
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
}

/* Build "h.p" from raw part texts and sign it with the HMAC key. */
static char *hs_raw(const char *h, const char *p, char *out)
{
    unsigned char mac[32];
    tk_fmt(out, TK_TOKEN_MAX, "%s.%s", h, p);
    tk_hmac(fx.secret, sizeof(fx.secret), out, strlen(out), mac);
    return tk_append_sig(out, TK_TOKEN_MAX, mac, sizeof(mac));
}

static void test_bad_base64url(void)
{
    char p[512], h[128], b[1024], bad[1100], tok[TK_TOKEN_MAX];
    claims(p, sizeof(p), NULL);
    tk_b64(HS, strlen(HS), h, sizeof(h));
    tk_b64(p, strlen(p), b, sizeof(b));
    /* Header: a '+' where base64url has '-', then padding. */
    tk_fmt(bad, sizeof(bad), "%s+", h);
    CHECK_INT_EQ(verify(hs_raw(bad, b, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    CHECK(strstr(fx.why, "header") != NULL);
    tk_fmt(bad, sizeof(bad), "%s==", h);
    CHECK_INT_EQ(verify(hs_raw(bad, b, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    /* Payload: signed exactly as sent, so only the decoding can object. */
    tk_fmt(bad, sizeof(bad), "%s/", b);
    CHECK_INT_EQ(verify(hs_raw(h, bad, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    CHECK(strstr(fx.why, "payload") != NULL);
    tk_fmt(bad, sizeof(bad), "%s=", b);
    CHECK_INT_EQ(verify(hs_raw(h, bad, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    /* Signature: valid bytes, then spelled with padding or a foreign char. */
    hs(HS, p, tok);
    strcat(tok, "=");
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
    CHECK(strstr(fx.why, "base64url") != NULL);
    hs(HS, p, tok);
    tok[strlen(tok) - 1] = '*';
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
}

static void test_structure(void)
{
    char p[512], tok[TK_TOKEN_MAX], extra[TK_TOKEN_MAX + 8];
    claims(p, sizeof(p), NULL);
    hs(HS, p, tok);
    CHECK_INT_EQ(verify("", NULL), EDGE_JWT_ERR_MISSING);
    CHECK_INT_EQ(verify("abc", NULL), EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify("a.b", NULL), EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify("..", NULL), EDGE_JWT_ERR_MALFORMED);
    tk_fmt(extra, sizeof(extra), "%s.", tok);
    CHECK_INT_EQ(verify(extra, NULL), EDGE_JWT_ERR_MALFORMED);
    tk_fmt(extra, sizeof(extra), "%s.e30", tok);
    CHECK_INT_EQ(verify(extra, NULL), EDGE_JWT_ERR_MALFORMED);
    /* The length is what counts, not a NUL: bytes after it are part of the token. */
    edge_identity id;
    size_t len = strlen(tok);
    tok[len] = '\0';
    memcpy(extra, tok, len + 1);
    extra[len + 1] = 'x';
    CHECK_INT_EQ(edge_jwt_verify(fx.keys, &fx.policy, extra, len + 2, NOW, &id, &fx.why),
                 EDGE_JWT_ERR_SIGNATURE);
}

static void test_bad_json(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    claims(p, sizeof(p), NULL);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\",\"kid\":\"hs1\"", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs("[\"HS256\"]", p, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\",\"kid\":\"hs1\"}{}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs(HS, "{\"sub\":\"a\",\"exp\":", tok), NULL), EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs(HS, "\"just a string\"", tok), NULL), EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs(HS, "{\"sub\":\"a\",\"exp\":1800000000} trailing", tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    /* Keys are case-sensitive: "EXP" is not "exp". */
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"EXP\":%lld,\"iat\":%lld}", NOW + 60, NOW),
                 EDGE_JWT_ERR_CLAIMS);
}

static void test_oversized(void)
{
    char p[1024], tok[TK_TOKEN_MAX], pad[600];
    memset(pad, 'x', sizeof(pad) - 1);
    pad[sizeof(pad) - 1] = '\0';
    char extra[700];
    tk_fmt(extra, sizeof(extra), ",\"pad\":\"%s\"", pad);
    claims(p, sizeof(p), extra);
    hs(HS, p, tok);
    size_t len = strlen(tok);
    edge_jwt_policy saved = fx.policy;
    fx.policy.max_token_bytes = len;
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_OK);
    fx.policy.max_token_bytes = len - 1;
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_TOO_LARGE);
    /* Refused on size alone, before anything is decoded. */
    memset(tok, '!', 9000);
    tok[9000] = '\0';
    fx.policy.max_token_bytes = 8192;
    CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_TOO_LARGE);
    fx.policy = saved;
}

static void test_missing_claims(void)
{
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"iat\":%lld,\"nbf\":%lld}", NOW, NOW),
                 EDGE_JWT_ERR_CLAIMS);
    CHECK(strstr(fx.why, "exp") != NULL);
    CHECK_INT_EQ(verify_times("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":%lld,\"iat\":%lld}",
                              NOW + 60, NOW),
                 EDGE_JWT_ERR_CLAIMS);
    CHECK(strstr(fx.why, "sub") != NULL);
    CHECK_INT_EQ(verify_times("{\"sub\":\"\",\"iss\":\"" ISS "\",\"aud\":\"" AUD
                              "\",\"exp\":%lld,\"iat\":%lld}",
                              NOW + 60, NOW),
                 EDGE_JWT_ERR_CLAIMS);
    CHECK_INT_EQ(verify_times("{\"sub\":42,\"iss\":\"" ISS "\",\"aud\":\"" AUD
                              "\",\"exp\":%lld,\"iat\":%lld}",
                              NOW + 60, NOW),
                 EDGE_JWT_ERR_CLAIMS);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":\"%lld\",\"iat\":%lld}", NOW + 60, NOW),
                 EDGE_JWT_ERR_CLAIMS);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld e9,\"iat\":%lld}", NOW + 60, NOW),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":1e400,\"x\":%lld,\"iat\":%lld}", 0, NOW),
                 EDGE_JWT_ERR_CLAIMS);
}

static void test_duplicates(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    claims(p, sizeof(p), NULL);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\",\"kid\":\"hs1\",\"alg\":\"none\"}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK(strstr(fx.why, "repeats") != NULL);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"none\",\"alg\":\"HS256\",\"kid\":\"hs1\"}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs("{\"kid\":\"hs1\",\"alg\":\"HS256\",\"kid\":\"rsa1\"}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    /* In the payload: a second exp far in the future must not win. */
    CHECK_INT_EQ(
        verify_times("{\"sub\":\"a\",\"exp\":%lld,\"exp\":%lld}", NOW - 1000, NOW + 100000),
        EDGE_JWT_ERR_MALFORMED);
    CHECK(strstr(fx.why, "payload repeats") != NULL);
    CHECK_INT_EQ(
        verify_times("{\"sub\":\"a\",\"exp\":%lld,\"iat\":%lld,\"sub\":\"admin\"}", NOW + 60, NOW),
        EDGE_JWT_ERR_MALFORMED);
}

static void test_expiry_and_leeway(void)
{
    const char *f = "{\"sub\":\"a\",\"exp\":%lld,\"iat\":%lld}";
    edge_jwt_policy saved = open_policy();
    CHECK_INT_EQ(verify_times(f, NOW + 1, NOW - 100), EDGE_JWT_OK);
    CHECK_INT_EQ(verify_times(f, NOW - 30, NOW - 100), EDGE_JWT_OK); /* within 60 s */
    CHECK_INT_EQ(verify_times(f, NOW - 59, NOW - 100), EDGE_JWT_OK);
    CHECK_INT_EQ(verify_times(f, NOW - 60, NOW - 100), EDGE_JWT_ERR_EXPIRED);
    CHECK_INT_EQ(verify_times(f, NOW - 3600, NOW - 7200), EDGE_JWT_ERR_EXPIRED);
    CHECK_STR_EQ(edge_jwt_code(EDGE_JWT_ERR_EXPIRED), "token_expired");
    fx.policy.leeway_s = 0;
    CHECK_INT_EQ(verify_times(f, NOW, NOW - 100), EDGE_JWT_ERR_EXPIRED);
    CHECK_INT_EQ(verify_times(f, NOW + 1, NOW - 100), EDGE_JWT_OK);
    fx.policy.leeway_s = -500; /* a negative leeway counts as none */
    CHECK_INT_EQ(verify_times(f, NOW + 1, NOW - 100), EDGE_JWT_OK);
    CHECK_INT_EQ(verify_times(f, NOW, NOW - 100), EDGE_JWT_ERR_EXPIRED);
    fx.policy = saved;
}

static void test_nbf_iat(void)
{
    edge_jwt_policy saved = open_policy();
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld,\"nbf\":%lld}", NOW + 600, NOW + 120),
                 EDGE_JWT_ERR_NOT_YET);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld,\"nbf\":%lld}", NOW + 600, NOW + 30),
                 EDGE_JWT_OK);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld,\"iat\":%lld}", NOW + 600, NOW + 120),
                 EDGE_JWT_ERR_NOT_YET);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld,\"iat\":%lld}", NOW + 600, NOW + 60),
                 EDGE_JWT_OK);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld,\"iat\":%lld}", NOW + 600, NOW + 61),
                 EDGE_JWT_ERR_NOT_YET);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld,\"nbf\":\"%lld\"}", NOW + 600, NOW),
                 EDGE_JWT_ERR_CLAIMS);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld,\"iat\":%lld.5}", NOW + 600, NOW),
                 EDGE_JWT_OK);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld,\"iat\":-%lld}", NOW + 600, NOW),
                 EDGE_JWT_ERR_CLAIMS);
    fx.policy = saved;
}

static void test_issuer(void)
{
    const char *f = "{\"sub\":\"a\",\"iss\":\"https://evil.example\",\"exp\":%lld,\"iat\":%lld}";
    edge_jwt_policy saved = open_policy();
    fx.policy.issuer = ISS;
    CHECK_INT_EQ(verify_times(f, NOW + 60, NOW), EDGE_JWT_ERR_ISSUER);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"exp\":%lld,\"iat\":%lld}", NOW + 60, NOW),
                 EDGE_JWT_ERR_ISSUER);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"iss\":\"" ISS "/\",\"exp\":%lld,\"iat\":%lld}",
                              NOW + 60, NOW),
                 EDGE_JWT_ERR_ISSUER);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"iss\":[\"" ISS "\"],\"exp\":%lld,\"iat\":%lld}",
                              NOW + 60, NOW),
                 EDGE_JWT_ERR_CLAIMS);
    CHECK_INT_EQ(verify_times("{\"sub\":\"a\",\"iss\":\"" ISS "\",\"exp\":%lld,\"iat\":%lld}",
                              NOW + 60, NOW),
                 EDGE_JWT_OK);
    fx.policy.issuer = NULL; /* not configured: any issuer */
    CHECK_INT_EQ(verify_times(f, NOW + 60, NOW), EDGE_JWT_OK);
    fx.policy = saved;
}

static void test_audience(void)
{
    edge_jwt_policy saved = open_policy();
    fx.policy.audience = AUD;
    const char *tail = "\"exp\":%lld,\"iat\":%lld}";
    char f[256];
#define AUD_CASE(members, want)                                                                    \
    do {                                                                                           \
        tk_fmt(f, sizeof(f), "{\"sub\":\"a\",%s,%s", members, tail);                               \
        CHECK_INT_EQ(verify_times(f, NOW + 60, NOW), want);                                        \
    } while (0)
    AUD_CASE("\"aud\":\"" AUD "\"", EDGE_JWT_OK);
    AUD_CASE("\"aud\":\"other\"", EDGE_JWT_ERR_AUDIENCE);
    AUD_CASE("\"aud\":\"C2C-APP\"", EDGE_JWT_ERR_AUDIENCE);
    AUD_CASE("\"aud\":[\"other\",\"" AUD "\"]", EDGE_JWT_OK);
    AUD_CASE("\"aud\":[\"other\"]", EDGE_JWT_ERR_AUDIENCE);
    AUD_CASE("\"aud\":[]", EDGE_JWT_ERR_AUDIENCE);
    AUD_CASE("\"aud\":[\"" AUD "\",7]", EDGE_JWT_ERR_CLAIMS);
    AUD_CASE("\"aud\":7", EDGE_JWT_ERR_CLAIMS);
    /* Cognito access tokens: no aud, the app client in client_id. */
    AUD_CASE("\"client_id\":\"" AUD "\",\"token_use\":\"access\"", EDGE_JWT_OK);
    AUD_CASE("\"client_id\":\"other\",\"token_use\":\"access\"", EDGE_JWT_ERR_AUDIENCE);
    AUD_CASE("\"token_use\":\"access\"", EDGE_JWT_ERR_AUDIENCE);
    /* When aud is present it decides; client_id cannot rescue it. */
    AUD_CASE("\"aud\":\"other\",\"client_id\":\"" AUD "\"", EDGE_JWT_ERR_AUDIENCE);
    fx.policy.audience = NULL; /* not configured: any audience, types still checked */
    AUD_CASE("\"aud\":\"other\"", EDGE_JWT_OK);
    AUD_CASE("\"aud\":{}", EDGE_JWT_ERR_CLAIMS);
#undef AUD_CASE
    fx.policy = saved;
}

static void test_token_use(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    CHECK_INT_EQ(verify(hs(HS, claims(p, sizeof(p), ",\"token_use\":\"id\""), tok), NULL),
                 EDGE_JWT_OK);
    CHECK_INT_EQ(verify(hs(HS, claims(p, sizeof(p), ",\"token_use\":\"access\""), tok), NULL),
                 EDGE_JWT_OK);
    CHECK_INT_EQ(verify(hs(HS, claims(p, sizeof(p), ",\"token_use\":\"refresh\""), tok), NULL),
                 EDGE_JWT_ERR_CLAIMS);
    CHECK_INT_EQ(verify(hs(HS, claims(p, sizeof(p), ",\"token_use\":1"), tok), NULL),
                 EDGE_JWT_ERR_CLAIMS);
}

static void test_unknown_kid(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    claims(p, sizeof(p), NULL);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\",\"kid\":\"nope\"}", p, tok), NULL),
                 EDGE_JWT_ERR_KEY);
    CHECK_INT_EQ(verify(es("{\"alg\":\"ES256\",\"kid\":\"EC1\"}", p, tok), NULL), EDGE_JWT_ERR_KEY);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\",\"kid\":7}", p, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    CHECK_STR_EQ(edge_jwt_code(EDGE_JWT_ERR_KEY), "unknown_key");
}

/* Replace the payload of a signed token with another one, keep the signature. */
static void swap_payload(char *tok, const char *payload)
{
    char b[1024], rest[TK_TOKEN_MAX];
    char *dot1 = strchr(tok, '.'), *dot2 = strrchr(tok, '.');
    tk_b64(payload, strlen(payload), b, sizeof(b));
    snprintf(rest, sizeof(rest), "%s", dot2);
    snprintf(dot1 + 1, TK_TOKEN_MAX - (size_t)(dot1 + 1 - tok), "%s%s", b, rest);
}

static void test_tampered(void)
{
    char p[512], evil[512], tok[TK_TOKEN_MAX];
    claims(p, sizeof(p), NULL);
    tk_fmt(evil, sizeof(evil),
           "{\"sub\":\"admin\",\"iss\":\"" ISS "\",\"aud\":\"" AUD
           "\",\"iat\":%lld,\"exp\":%lld,\"groups\":[\"agents\"]}",
           NOW - 10, NOW + 600);
    char *(*sign[])(const char *, const char *, char *) = {hs, rs, es};
    const char *hdr[] = {HS, RS, ES};
    for (size_t i = 0; i < 3; i++) {
        sign[i](hdr[i], p, tok);
        CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_OK);
        swap_payload(tok, evil);
        CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
        /* Flip one bit in the signature: the first character after the last dot. */
        sign[i](hdr[i], p, tok);
        char *s = strrchr(tok, '.') + 1;
        *s = *s == 'A' ? 'B' : 'A';
        CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
        CHECK_STR_EQ(edge_jwt_code(verify(tok, NULL)), "invalid_signature");
    }
}

/* The same valid signature with s replaced by n - s verifies in plain
 * ECDSA, and is refused: only the low-S spelling is accepted. */
static void test_es256_high_s(void)
{
    char p[512], tok[TK_TOKEN_MAX];
    claims(p, sizeof(p), NULL);
    for (int i = 0; i < 8; i++) { /* several signatures, each flipped */
        es(ES, p, tok);
        CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_OK);
        tk_es256_flip_s(&fx.ec, tok);
        CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_ERR_SIGNATURE);
        CHECK(fx.why && strstr(fx.why, "high s") != NULL);
        CHECK_STR_EQ(edge_jwt_code(verify(tok, NULL)), "invalid_signature");
        tk_es256_flip_s(&fx.ec, tok); /* back to the original: fine again */
        CHECK_INT_EQ(verify(tok, NULL), EDGE_JWT_OK);
    }
}

/* An HS256 token whose payload is the standard claims plus extra. */
static int verify_extra(const char *extra, edge_identity *id)
{
    char p[1024], tok[TK_TOKEN_MAX];
    return verify(hs(HS, claims(p, sizeof(p), extra), tok), id);
}

/* An HS256 token whose payload is the given raw bytes (len of them). */
static int verify_raw_payload(const char *payload, size_t len)
{
    char h[256], b[1024], tok[TK_TOKEN_MAX];
    tk_b64(HS, strlen(HS), h, sizeof(h));
    tk_b64(payload, len, b, sizeof(b));
    edge_jwt_policy saved = open_policy(); /* the payloads carry no iss or aud */
    int rc = verify(hs_raw(h, b, tok), NULL);
    fx.policy = saved;
    return rc;
}

/* NUL and every other control character in a string claim the server
 * reads makes the token invalid_token; nothing is read up to a NUL. */
static void test_control_characters(void)
{
    static const char *const bad[] = {",\"email\":\"a@example.test\\u0000x\"",
                                      ",\"name\":\"Ann\\u0000\"",
                                      ",\"groups\":[\"agents\\u0000x\"]",
                                      ",\"cognito:groups\":[\"agents\\u0000\"]",
                                      ",\"groups\":[\"agents\",\"x\\u0001\"]",
                                      ",\"email\":\"a@b\\u001f\"",
                                      ",\"name\":\"Ann\\u007f\"",
                                      ",\"name\":\"Ann\\n\"",
                                      ",\"token_use\":\"id\\t\"",
                                      ",\"client_id\":\"c\\r\"",
                                      ",\"unused\":\"\\u0000\"",
                                      ",\"x\\u0000y\":1",
                                      ",\"name\":\"raw\x01byte\"",
                                      ",\"name\":\"raw\x7f del\""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        edge_identity id;
        memset(&id, 0x55, sizeof(id));
        int rc = verify_extra(bad[i], &id);
        if (rc != EDGE_JWT_ERR_MALFORMED)
            fprintf(stderr, "  accepted: %s\n", bad[i]);
        CHECK_INT_EQ(rc, EDGE_JWT_ERR_MALFORMED);
        CHECK_STR_EQ(edge_jwt_code(rc), "invalid_token");
        CHECK_STR_EQ(id.sub, ""); /* nothing of a refused token */
    }
    char p[512], tok[TK_TOKEN_MAX];
    /* sub, iss, aud (alone and in an array) */
    tk_fmt(p, sizeof(p),
           "{\"sub\":\"user-1\\u0000admin\",\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":%lld}",
           NOW + 60);
    CHECK_INT_EQ(verify(hs(HS, p, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    tk_fmt(p, sizeof(p),
           "{\"sub\":\"user\\u0002\",\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":%lld}",
           NOW + 60);
    CHECK_INT_EQ(verify(hs(HS, p, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    tk_fmt(p, sizeof(p),
           "{\"sub\":\"u\",\"iss\":\"" ISS "\\u001b\",\"aud\":\"" AUD "\",\"exp\":%lld}", NOW + 60);
    CHECK_INT_EQ(verify(hs(HS, p, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    tk_fmt(p, sizeof(p),
           "{\"sub\":\"u\",\"iss\":\"" ISS "\",\"aud\":\"" AUD "\\u0000\",\"exp\":%lld}", NOW + 60);
    CHECK_INT_EQ(verify(hs(HS, p, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    tk_fmt(p, sizeof(p),
           "{\"sub\":\"u\",\"iss\":\"" ISS "\",\"aud\":[\"" AUD "\",\"o\\u0003\"],\"exp\":%lld}",
           NOW + 60);
    CHECK_INT_EQ(verify(hs(HS, p, tok), NULL), EDGE_JWT_ERR_MALFORMED);
    /* The header: kid and alg, escaped and raw; the same through ES256. */
    claims(p, sizeof(p), NULL);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\",\"kid\":\"hs1\\u0000\"}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\",\"kid\":\"hs1\\u0007\"}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\\u0000\",\"kid\":\"hs1\"}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(hs("{\"alg\":\"HS256\\u007f\",\"kid\":\"hs1\"}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(verify(es("{\"alg\":\"ES256\",\"kid\":\"ec1\x1f\"}", p, tok), NULL),
                 EDGE_JWT_ERR_MALFORMED);
    CHECK_INT_EQ(
        verify(es(ES, claims(p, sizeof(p), ",\"groups\":[\"agents\\u0000x\"]"), tok), NULL),
        EDGE_JWT_ERR_MALFORMED);
    /* Raw bytes: a NUL inside a string, or between members (cJSON would
     * skip it as a blank); a raw tab inside a string is invalid JSON. */
    static const char nul_in[] = "{\"sub\":\"u\0x\",\"exp\":9999999999}";
    CHECK_INT_EQ(verify_raw_payload(nul_in, sizeof(nul_in) - 1), EDGE_JWT_ERR_MALFORMED);
    CHECK(fx.why && strstr(fx.why, "control") != NULL);
    static const char nul_out[] = "{\"sub\":\"u\",\0\"exp\":9999999999}";
    CHECK_INT_EQ(verify_raw_payload(nul_out, sizeof(nul_out) - 1), EDGE_JWT_ERR_MALFORMED);
    static const char tab_in[] = "{\"sub\":\"u\tv\",\"exp\":9999999999}";
    CHECK_INT_EQ(verify_raw_payload(tab_in, sizeof(tab_in) - 1), EDGE_JWT_ERR_MALFORMED);
    /* Blanks between members, an escaped backslash before u0000, control
     * characters in a claim nobody reads (nested), printable escapes: fine. */
    static const char blanks[] = "{\"sub\":\"u\",\r\n\t\"exp\":9999999999}";
    CHECK_INT_EQ(verify_raw_payload(blanks, sizeof(blanks) - 1), EDGE_JWT_OK);
    edge_identity id;
    CHECK_INT_EQ(verify_extra(",\"name\":\"a\\\\u0000b\",\"email\":\"\\u00e9@x\"", &id),
                 EDGE_JWT_OK);
    CHECK_STR_EQ(id.name, "a\\u0000b");
    CHECK_INT_EQ(verify_extra(",\"address\":{\"formatted\":\"1 Main St\\nTown\"}", &id),
                 EDGE_JWT_OK);
    CHECK_INT_EQ(verify_extra(",\"groups\":[\"agents\"]", &id), EDGE_JWT_OK);
    CHECK_INT_EQ(id.is_agent, 1);
}

static void test_claim_lengths(void)
{
    char name[300], extra[400], p[1024], tok[TK_TOKEN_MAX];
    edge_identity id;
    memset(name, 'n', 255);
    name[255] = '\0';
    tk_fmt(extra, sizeof(extra), ",\"name\":\"%s\"", name);
    CHECK_INT_EQ(verify(hs(HS, claims(p, sizeof(p), extra), tok), &id), EDGE_JWT_OK);
    CHECK_INT_EQ(strlen(id.name), 255);
    memset(name, 'n', 256);
    name[256] = '\0';
    tk_fmt(extra, sizeof(extra), ",\"name\":\"%s\"", name);
    CHECK_INT_EQ(verify(hs(HS, claims(p, sizeof(p), extra), tok), NULL), EDGE_JWT_ERR_CLAIMS);
    tk_fmt(extra, sizeof(extra), ",\"email\":\"%s\"", name);
    CHECK_INT_EQ(verify(hs(HS, claims(p, sizeof(p), extra), tok), NULL), EDGE_JWT_ERR_CLAIMS);
    CHECK_INT_EQ(verify(hs(HS, claims(p, sizeof(p), ",\"email\":false"), tok), NULL),
                 EDGE_JWT_ERR_CLAIMS);
    /* A long sub is refused rather than cut to a prefix someone else owns. */
    tk_fmt(p, sizeof(p), "{\"sub\":\"%s\",\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":%lld}",
           name, NOW + 60);
    CHECK_INT_EQ(verify(hs(HS, p, tok), NULL), EDGE_JWT_ERR_CLAIMS);
}

static void test_codes_and_messages(void)
{
    const char *seen[16];
    size_t n = 0;
    for (int s = EDGE_JWT_ERR_CLAIMS; s <= EDGE_JWT_ERR_MISSING; s++) {
        const char *c = edge_jwt_code(s);
        for (size_t i = 0; i < n; i++)
            CHECK(strcmp(seen[i], c) != 0); /* every status has its own code */
        seen[n++] = c;
    }
    CHECK_STR_EQ(edge_jwt_code(EDGE_JWT_ERR_MALFORMED), "invalid_token");
    CHECK_STR_EQ(edge_jwt_code(EDGE_JWT_ERR_MISSING), "missing_token");
    CHECK_STR_EQ(edge_jwt_code(-999), "invalid_token");
}

int main(void)
{
    char doc[4096], rsa_jwk[2048], ec_jwk[512], oct_jwk[256], err[256] = "";
    tk_rng_init(&fx.rng);
    tk_rsa_gen(&fx.rng, &fx.rsa, 2048);
    tk_ec_gen(&fx.rng, &fx.ec);
    tk_random(&fx.rng, fx.secret, sizeof(fx.secret));
    tk_jwk_rsa(&fx.rsa, "rsa1", ",\"alg\":\"RS256\"", rsa_jwk, sizeof(rsa_jwk));
    tk_jwk_ec(&fx.ec, "ec1", NULL, ec_jwk, sizeof(ec_jwk));
    tk_jwk_oct(fx.secret, sizeof(fx.secret), "hs1", NULL, oct_jwk, sizeof(oct_jwk));
    tk_fmt(doc, sizeof(doc), "{\"keys\":[%s,%s,%s]}", rsa_jwk, ec_jwk, oct_jwk);
    fx.keys = edge_keyset_parse(doc, strlen(doc), err, sizeof(err));
    if (fx.keys == NULL) {
        fprintf(stderr, "fixture JWKS did not load: %s\n", err);
        return 1;
    }
    fx.policy.issuer = ISS;
    fx.policy.audience = AUD;
    fx.policy.leeway_s = 60;
    fx.policy.max_token_bytes = 8192;

    UNIT_RUN(test_rs256_valid);
    UNIT_RUN(test_es256_valid);
    UNIT_RUN(test_hs256_valid);
    UNIT_RUN(test_sign_hs256_helper);
    UNIT_RUN(test_no_kid);
    UNIT_RUN(test_alg_none);
    UNIT_RUN(test_unknown_alg);
    UNIT_RUN(test_key_confusion);
    UNIT_RUN(test_jwk_alg_restricts);
    UNIT_RUN(test_signature_length);
    UNIT_RUN(test_bad_base64url);
    UNIT_RUN(test_structure);
    UNIT_RUN(test_bad_json);
    UNIT_RUN(test_oversized);
    UNIT_RUN(test_missing_claims);
    UNIT_RUN(test_duplicates);
    UNIT_RUN(test_expiry_and_leeway);
    UNIT_RUN(test_nbf_iat);
    UNIT_RUN(test_issuer);
    UNIT_RUN(test_audience);
    UNIT_RUN(test_token_use);
    UNIT_RUN(test_unknown_kid);
    UNIT_RUN(test_tampered);
    UNIT_RUN(test_claim_lengths);
    UNIT_RUN(test_es256_high_s);
    UNIT_RUN(test_control_characters);
    UNIT_RUN(test_codes_and_messages);

    edge_keyset_free(fx.keys);
    mbedtls_rsa_free(&fx.rsa);
    mbedtls_ecp_keypair_free(&fx.ec);
    tk_rng_free(&fx.rng);
    return UNIT_DONE();
}
