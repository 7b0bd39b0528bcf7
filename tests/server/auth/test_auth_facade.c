/* test_auth_facade.c - edge_auth as handlers and main.c use it.
 *
 * Covers the Authorization header forms (Bearer, bare token, other schemes,
 * missing, repeated), the 401/400 responses with their JSON error and
 * WWW-Authenticate challenge, the verified-token cache and its counters,
 * reloading the JWKS file (on demand, and by the once-a-second stat watch with a real
 * loop), keeping the old keys when a reload fails, and demo-mode minting.
 * The JWKS file lives in a fresh temporary directory. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "auth/auth.h"
#include "auth_testkit.h"
#include "unit.h"

#define NOW 1700000000LL
#define ISS "https://issuer.example"
#define AUD "c2c-app"

static struct {
    tk_rng rng;
    mbedtls_ecp_keypair ec1, ec2;
    char dir[64];
    char path[128];
    char data_a[128], data_b[128]; /* two servers' --data dirs */
    char jwks1[512]; /* {"keys":[ec1]} */
    char jwks2[512]; /* {"keys":[ec2]} */
} fx;

/* A config with only what edge_auth reads; strings are borrowed (auth copies). */
static edge_config config(int demo, const char *jwks)
{
    edge_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.data_dir = fx.data_a; /* where demo.key lives */
    cfg.jwks_file = (char *)jwks;
    cfg.issuer = (char *)ISS;
    cfg.audience = (char *)AUD;
    cfg.demo = demo;
    cfg.max_token_bytes = 8192;
    cfg.token_leeway_s = 60;
    return cfg;
}

static edge_auth *create(uv_loop_t *loop, int demo, const char *jwks)
{
    char err[256] = "";
    edge_config cfg = config(demo, jwks);
    edge_auth *auth = edge_auth_create(loop, &cfg, err, sizeof(err));
    if (auth == NULL)
        fprintf(stderr, "  edge_auth_create: %s\n", err);
    return auth;
}

/* An ES256 token for sub signed by kp under kid, expiring at exp. */
static char *es_token(mbedtls_ecp_keypair *kp, const char *kid, const char *sub, long long exp,
                      char *out)
{
    char h[64], p[256];
    tk_fmt(h, sizeof(h), "{\"alg\":\"ES256\",\"kid\":\"%s\"}", kid);
    tk_fmt(p, sizeof(p),
           "{\"sub\":\"%s\",\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"exp\":%lld,\"iat\":%lld}",
           sub, exp, NOW - 5);
    return tk_sign_es256(&fx.rng, kp, h, p, out, TK_TOKEN_MAX);
}

static int verify(edge_auth *auth, const char *tok, const char **code)
{
    edge_identity id;
    const char *msg = NULL;
    *code = "ok";
    int rc = edge_auth_verify_token(auth, tok, strlen(tok), NOW, &id, code, &msg);
    if (rc != 0 && msg == NULL)
        fprintf(stderr, "  failure without a message\n");
    return rc;
}

/* A request carrying the given Authorization values (NULL-terminated). */
static void make_request(edge_request *req, const char *const *values)
{
    memset(req, 0, sizeof(*req));
    req->headers[0] = (edge_header){"Host", 4, "localhost", 9};
    req->header_count = 1;
    for (size_t i = 0; values && values[i]; i++) {
        static const char *names[] = {"Authorization", "authorization"};
        req->headers[req->header_count++] =
            (edge_header){names[i % 2], 13, values[i], strlen(values[i])};
    }
}

/* Run edge_auth_require with one Authorization value (or none). */
static int require(edge_auth *auth, const char *value, edge_response *res, edge_identity *id)
{
    edge_request req;
    const char *values[] = {value, NULL};
    make_request(&req, value ? values : NULL);
    edge_response_init(res);
    return edge_auth_require(auth, &req, res, NOW, id);
}

/* The "error" member of the JSON body, copied into out. */
static const char *body_code(const edge_response *res, char *out, size_t cap)
{
    cJSON *j = cJSON_ParseWithLength(edge_response_body_ptr(res), edge_response_body_len(res));
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
    snprintf(out, cap, "%s", cJSON_IsString(e) && cJSON_IsString(m) ? e->valuestring : "?");
    cJSON_Delete(j);
    return out;
}

static int has_header(const edge_response *res, const char *line)
{
    return res->headers.data != NULL && strstr(res->headers.data, line) != NULL;
}

static void test_bearer_and_bare_tokens(void)
{
    edge_auth *auth = create(NULL, 0, fx.path);
    char tok[TK_TOKEN_MAX], value[TK_TOKEN_MAX + 32];
    edge_response res;
    edge_identity id;
    if (auth == NULL)
        return;
    es_token(&fx.ec1, "ec1", "alice", NOW + 600, tok);
    static const char *forms[] = {"Bearer %s", "%s", "bearer %s", "BEARER   %s", "Bearer\t%s "};
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        memset(&id, 0, sizeof(id));
        tk_fmt(value, sizeof(value), forms[i], tok);
        CHECK_INT_EQ(require(auth, value, &res, &id), 0);
        CHECK_STR_EQ(id.sub, "alice");
        CHECK_INT_EQ(res.status, 0); /* a success leaves the response alone */
        CHECK(res.headers.len == 0);
        edge_response_free(&res);
    }
    edge_auth_destroy(auth);
}

static void test_missing_token(void)
{
    edge_auth *auth = create(NULL, 0, fx.path);
    edge_response res;
    edge_identity id;
    char code[64];
    if (auth == NULL)
        return;
    static const char *values[] = {NULL, "", "Bearer", "Bearer   "};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        CHECK_INT_EQ(require(auth, values[i], &res, &id), -1);
        CHECK_INT_EQ(res.status, 401);
        CHECK_STR_EQ(body_code(&res, code, sizeof(code)), "missing_token");
        CHECK(has_header(&res, "WWW-Authenticate: Bearer realm=\"c2c\"\r\n"));
        CHECK(!has_header(&res, "error="));
        CHECK(has_header(&res, "Cache-Control: no-store"));
        edge_response_free(&res);
    }
    CHECK_INT_EQ(edge_auth_get_stats(auth).rejected, 4);
    edge_auth_destroy(auth);
}

static void test_bad_header_forms(void)
{
    edge_auth *auth = create(NULL, 0, fx.path);
    char tok[TK_TOKEN_MAX], both[TK_TOKEN_MAX + 16], code[64];
    edge_response res;
    edge_identity id;
    edge_request req;
    if (auth == NULL)
        return;
    CHECK_INT_EQ(require(auth, "Basic dXNlcjpwYXNz", &res, &id), -1);
    CHECK_INT_EQ(res.status, 400);
    CHECK_STR_EQ(body_code(&res, code, sizeof(code)), "invalid_request");
    CHECK(has_header(&res, "WWW-Authenticate: Bearer realm=\"c2c\", error=\"invalid_request\""));
    edge_response_free(&res);
    /* Two tokens in one header, and two Authorization headers. */
    es_token(&fx.ec1, "ec1", "alice", NOW + 600, tok);
    tk_fmt(both, sizeof(both), "Bearer %s %s", tok, tok);
    CHECK_INT_EQ(require(auth, both, &res, &id), -1);
    CHECK_INT_EQ(res.status, 400);
    edge_response_free(&res);
    tk_fmt(both, sizeof(both), "Bearer %s", tok);
    const char *two[] = {both, both, NULL};
    make_request(&req, two);
    edge_response_init(&res);
    CHECK_INT_EQ(edge_auth_require(auth, &req, &res, NOW, &id), -1);
    CHECK_INT_EQ(res.status, 400);
    edge_response_free(&res);
    edge_auth_destroy(auth);
}

static void test_invalid_tokens(void)
{
    edge_auth *auth = create(NULL, 0, fx.path);
    char tok[TK_TOKEN_MAX], value[TK_TOKEN_MAX + 16], code[64];
    edge_response res;
    edge_identity id;
    if (auth == NULL)
        return;
    /* Expired well beyond the 60 s leeway. */
    es_token(&fx.ec1, "ec1", "alice", NOW - 600, tok);
    tk_fmt(value, sizeof(value), "Bearer %s", tok);
    CHECK_INT_EQ(require(auth, value, &res, &id), -1);
    CHECK_INT_EQ(res.status, 401);
    CHECK_STR_EQ(body_code(&res, code, sizeof(code)), "token_expired");
    CHECK(has_header(&res, "WWW-Authenticate: Bearer realm=\"c2c\", error=\"invalid_token\", "
                           "error_description=\"The token has expired.\"\r\n"));
    edge_response_free(&res);
    /* Signed by a key the server does not have, under a kid it does have. */
    es_token(&fx.ec2, "ec1", "mallory", NOW + 600, tok);
    CHECK_INT_EQ(require(auth, tok, &res, &id), -1);
    CHECK_STR_EQ(body_code(&res, code, sizeof(code)), "invalid_signature");
    edge_response_free(&res);
    /* Over max_token_bytes. */
    memset(value, 'a', 8193);
    value[8193] = '\0';
    CHECK_INT_EQ(require(auth, value, &res, &id), -1);
    CHECK_STR_EQ(body_code(&res, code, sizeof(code)), "token_too_large");
    edge_response_free(&res);
    CHECK_INT_EQ(require(auth, "not-a-jwt", &res, &id), -1);
    CHECK_STR_EQ(body_code(&res, code, sizeof(code)), "invalid_token");
    CHECK(has_header(&res, "error=\"invalid_token\""));
    edge_response_free(&res);
    CHECK_INT_EQ(edge_auth_get_stats(auth).rejected, 4);
    edge_auth_destroy(auth);
}

static void test_cache_counts(void)
{
    edge_auth *auth = create(NULL, 0, fx.path);
    char tok[TK_TOKEN_MAX], err[256];
    const char *code;
    if (auth == NULL)
        return;
    es_token(&fx.ec1, "ec1", "alice", NOW + 600, tok);
    CHECK_INT_EQ(verify(auth, tok, &code), 0);
    CHECK_INT_EQ(verify(auth, tok, &code), 0);
    edge_auth_stats s = edge_auth_get_stats(auth);
    CHECK_INT_EQ(s.cache_misses, 1);
    CHECK_INT_EQ(s.cache_hits, 1);
    /* A reload empties the cache: the next check verifies again. */
    CHECK_INT_EQ(edge_auth_reload(auth, err, sizeof(err)), 0);
    CHECK_INT_EQ(verify(auth, tok, &code), 0);
    s = edge_auth_get_stats(auth);
    CHECK_INT_EQ(s.cache_misses, 2);
    CHECK_INT_EQ(s.cache_hits, 1);
    /* A cached token still expires (exp + leeway). */
    edge_identity id;
    CHECK_INT_EQ(edge_auth_verify_token(auth, tok, strlen(tok), NOW + 700, &id, &code, NULL),
                 EDGE_JWT_ERR_EXPIRED);
    CHECK_STR_EQ(code, "token_expired");
    edge_auth_destroy(auth);
}

static void test_reload_on_demand(void)
{
    char tok1[TK_TOKEN_MAX], tok2[TK_TOKEN_MAX], err[256] = "";
    const char *code;
    tk_write_file(fx.path, fx.jwks1);
    edge_auth *auth = create(NULL, 0, fx.path);
    if (auth == NULL)
        return;
    es_token(&fx.ec1, "ec1", "alice", NOW + 600, tok1);
    es_token(&fx.ec2, "ec2", "bob", NOW + 600, tok2);
    CHECK_INT_EQ(verify(auth, tok1, &code), 0); /* now cached */
    CHECK_INT_EQ(verify(auth, tok2, &code), EDGE_JWT_ERR_KEY);
    tk_write_file(fx.path, fx.jwks2);
    CHECK_INT_EQ(edge_auth_reload(auth, err, sizeof(err)), 0);
    CHECK_INT_EQ(verify(auth, tok1, &code), EDGE_JWT_ERR_KEY); /* old kid gone, cache too */
    CHECK_STR_EQ(code, "unknown_key");
    CHECK_INT_EQ(verify(auth, tok2, &code), 0);
    /* A broken file is refused and the keys in force stay. */
    tk_write_file(fx.path, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\"}]}");
    CHECK_INT_EQ(edge_auth_reload(auth, err, sizeof(err)), -1);
    CHECK(strstr(err, "member \"x\" is missing") != NULL);
    CHECK_INT_EQ(verify(auth, tok2, &code), 0);
    unlink(fx.path);
    CHECK_INT_EQ(edge_auth_reload(auth, err, sizeof(err)), -1);
    CHECK(strstr(err, "cannot open") != NULL);
    CHECK_INT_EQ(verify(auth, tok2, &code), 0);
    edge_auth_destroy(auth);
    tk_write_file(fx.path, fx.jwks1);
}

/* State for the file-watch test, driven by a 100 ms timer. */
typedef struct watch_ctx {
    uv_timer_t timer;
    edge_auth *auth;
    const char *tok1, *tok2;
    int phase;      /* 0: wait for jwks2, 1: broken file written, 2: wait for jwks1, 3: done */
    int ticks;      /* in the current phase */
    int saw_reload; /* phase 0 ended because tok2 started to work */
    int old_gone;   /* tok1 stopped working once jwks2 loaded */
    int kept_keys;  /* after the broken file, tok2 still worked */
    int recovered;  /* the watch still reloads after a failed reload */
} watch_ctx;

static void watch_next(watch_ctx *w, int phase)
{
    w->phase = phase;
    w->ticks = 0;
    if (phase == 3) {
        uv_close((uv_handle_t *)&w->timer, NULL);
        edge_auth_destroy(w->auth); /* closes the watch timer */
    }
}

static void watch_tick(uv_timer_t *t)
{
    watch_ctx *w = t->data;
    const char *code;
    w->ticks++;
    if (w->phase == 0 && verify(w->auth, w->tok2, &code) == 0) {
        w->saw_reload = 1;
        w->old_gone = verify(w->auth, w->tok1, &code) == EDGE_JWT_ERR_KEY;
        tk_write_file(fx.path, "{\"keys\":[");
        watch_next(w, 1);
    } else if (w->phase == 1 && w->ticks > 25) {
        /* The watch has seen the broken file by now and refused it. */
        w->kept_keys = verify(w->auth, w->tok2, &code) == 0;
        tk_write_file(fx.path, fx.jwks1);
        watch_next(w, 2);
    } else if (w->phase == 2 && verify(w->auth, w->tok1, &code) == 0) {
        w->recovered = 1;
        watch_next(w, 3);
    } else if (w->phase != 1 && w->ticks > 60) {
        watch_next(w, 3); /* six seconds without a reload: give up */
    }
}

static void test_reload_on_file_change(void)
{
    uv_loop_t loop;
    watch_ctx w;
    char tok1[TK_TOKEN_MAX], tok2[TK_TOKEN_MAX];
    const char *code;
    memset(&w, 0, sizeof(w));
    CHECK_INT_EQ(uv_loop_init(&loop), 0);
    tk_write_file(fx.path, fx.jwks1);
    w.auth = create(&loop, 0, fx.path);
    if (w.auth == NULL)
        return;
    es_token(&fx.ec1, "ec1", "alice", NOW + 600, tok1);
    es_token(&fx.ec2, "ec2", "bob", NOW + 600, tok2);
    w.tok1 = tok1;
    w.tok2 = tok2;
    CHECK_INT_EQ(verify(w.auth, tok1, &code), 0);
    CHECK_INT_EQ(verify(w.auth, tok2, &code), EDGE_JWT_ERR_KEY);
    tk_write_file(fx.path, fx.jwks2);
    uv_timer_init(&loop, &w.timer);
    w.timer.data = &w;
    uv_timer_start(&w.timer, watch_tick, 100, 100);
    CHECK_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
    CHECK_INT_EQ(w.phase, 3);
    CHECK(w.saw_reload);
    CHECK(w.old_gone);
    CHECK(w.kept_keys);
    CHECK(w.recovered);
    /* Every handle, the auth watch timer included, has been closed. */
    CHECK_INT_EQ(uv_loop_close(&loop), 0);
    tk_write_file(fx.path, fx.jwks1);
}

static void test_create_errors(void)
{
    char bad[160];
    tk_fmt(bad, sizeof(bad), "%s/broken.json", fx.dir);
    tk_write_file(bad, "{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\"}]}");
    char err[256] = "";
    edge_config cfg = config(0, bad);
    CHECK(edge_auth_create(NULL, &cfg, err, sizeof(err)) == NULL);
    CHECK(strstr(err, "member \"n\" is missing") != NULL);
    unlink(bad);
    CHECK(edge_auth_create(NULL, &cfg, err, sizeof(err)) == NULL);
    CHECK(strstr(err, "cannot open") != NULL);
    /* No JWKS and no demo key: valid, and every token is refused. */
    edge_auth *auth = create(NULL, 0, NULL);
    char tok[TK_TOKEN_MAX];
    const char *code;
    CHECK(auth != NULL);
    if (auth) {
        CHECK_INT_EQ(verify(auth, es_token(&fx.ec1, "ec1", "a", NOW + 60, tok), &code),
                     EDGE_JWT_ERR_KEY);
        CHECK(edge_auth_mint_demo(auth, "a", NULL, NULL, "customer", NOW, 60) == NULL);
    }
    edge_auth_destroy(auth);
    edge_auth_destroy(NULL);
    edge_auth_stats s = edge_auth_get_stats(NULL);
    CHECK(s.cache_hits == 0 && s.cache_misses == 0 && s.rejected == 0);
}

/* Mint and check demo tokens; auth and other are two demo-mode checkers. */
static void check_demo_tokens(edge_auth *auth, edge_auth *other, const char *agent,
                              const char *cust)
{
    edge_identity id;
    edge_response res;
    const char *code = NULL, *msg = NULL;
    char value[TK_TOKEN_MAX], err[256];
    CHECK_INT_EQ(edge_auth_verify_token(auth, agent, strlen(agent), NOW + 10, &id, &code, &msg), 0);
    CHECK_STR_EQ(id.sub, "agent-7");
    CHECK_STR_EQ(id.email, "a7@example.test");
    CHECK_STR_EQ(id.name, "Agent \"Seven\"");
    CHECK_INT_EQ(id.is_agent, 1);
    CHECK_INT_EQ(id.exp, NOW + 3600);
    tk_fmt(value, sizeof(value), "Bearer %s", cust);
    CHECK_INT_EQ(require(auth, value, &res, &id), 0);
    edge_response_free(&res);
    CHECK_STR_EQ(id.sub, "cust-1");
    CHECK_STR_EQ(id.email, "");
    CHECK_INT_EQ(id.is_agent, 0);
    /* The demo key survives a JWKS reload; it is not shared between servers. */
    CHECK_INT_EQ(edge_auth_reload(auth, err, sizeof(err)), 0);
    CHECK_INT_EQ(edge_auth_verify_token(auth, cust, strlen(cust), NOW, &id, &code, &msg), 0);
    CHECK_INT_EQ(edge_auth_verify_token(other, cust, strlen(cust), NOW, &id, &code, &msg),
                 EDGE_JWT_ERR_SIGNATURE);
    /* Demo tokens expire like any other. */
    CHECK_INT_EQ(edge_auth_verify_token(auth, cust, strlen(cust), NOW + 3700, &id, &code, &msg),
                 EDGE_JWT_ERR_EXPIRED);
}

/* A demo-mode checker over the given data directory. */
static edge_auth *create_demo(const char *data_dir)
{
    char err[256] = "";
    edge_config cfg = config(1, NULL);
    cfg.data_dir = (char *)data_dir;
    edge_auth *auth = edge_auth_create(NULL, &cfg, err, sizeof(err));
    if (auth == NULL)
        fprintf(stderr, "  edge_auth_create: %s\n", err);
    return auth;
}

/* The key is created once in the data dir: a restarted server (a new
 * checker over the same dir) accepts the tokens of the first. */
static void test_demo_key_persists(void)
{
    edge_auth *first = create_demo(fx.data_a);
    edge_auth *again = create_demo(fx.data_a);
    CHECK(first != NULL && again != NULL);
    char *tok = first ? edge_auth_mint_demo(first, "p", NULL, NULL, "customer", NOW, 60) : NULL;
    CHECK(tok != NULL);
    edge_identity id;
    const char *code, *msg;
    if (tok != NULL && again != NULL)
        CHECK_INT_EQ(edge_auth_verify_token(again, tok, strlen(tok), NOW, &id, &code, &msg), 0);
    free(tok);
    edge_auth_destroy(first);
    edge_auth_destroy(again);
}

static void test_demo_mint(void)
{
    edge_auth *auth = create(NULL, 1, fx.path);
    edge_auth *other = create_demo(fx.data_b);
    CHECK(auth != NULL && other != NULL);
    if (auth != NULL && other != NULL) {
        char *agent = edge_auth_mint_demo(auth, "agent-7", "a7@example.test", "Agent \"Seven\"",
                                          "agent", NOW, 3600);
        char *cust = edge_auth_mint_demo(auth, "cust-1", "", NULL, "customer", NOW, 3600);
        CHECK(agent != NULL && cust != NULL);
        if (agent != NULL && cust != NULL)
            check_demo_tokens(auth, other, agent, cust);
        free(agent);
        free(cust);
        /* Unusable arguments. */
        CHECK(edge_auth_mint_demo(auth, "x", NULL, NULL, "admin", NOW, 60) == NULL);
        CHECK(edge_auth_mint_demo(auth, "", NULL, NULL, "agent", NOW, 60) == NULL);
        CHECK(edge_auth_mint_demo(auth, "x", NULL, NULL, "agent", NOW, 0) == NULL);
    }
    edge_auth_destroy(auth);
    edge_auth_destroy(other);
}

int main(void)
{
    char jwk[512];
    tk_rng_init(&fx.rng);
    tk_ec_gen(&fx.rng, &fx.ec1);
    tk_ec_gen(&fx.rng, &fx.ec2);
    tk_fmt(fx.jwks1, sizeof(fx.jwks1), "{\"keys\":[%s]}",
           tk_jwk_ec(&fx.ec1, "ec1", NULL, jwk, sizeof(jwk)));
    tk_fmt(fx.jwks2, sizeof(fx.jwks2), "{\"keys\":[%s]}",
           tk_jwk_ec(&fx.ec2, "ec2", NULL, jwk, sizeof(jwk)));
    snprintf(fx.dir, sizeof(fx.dir), "/tmp/c2c-auth-test-XXXXXX");
    if (mkdtemp(fx.dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    tk_fmt(fx.path, sizeof(fx.path), "%s/jwks.json", fx.dir);
    tk_fmt(fx.data_a, sizeof(fx.data_a), "%s/data-a", fx.dir);
    tk_fmt(fx.data_b, sizeof(fx.data_b), "%s/data-b", fx.dir);
    tk_write_file(fx.path, fx.jwks1);

    UNIT_RUN(test_bearer_and_bare_tokens);
    UNIT_RUN(test_missing_token);
    UNIT_RUN(test_bad_header_forms);
    UNIT_RUN(test_invalid_tokens);
    UNIT_RUN(test_cache_counts);
    UNIT_RUN(test_reload_on_demand);
    UNIT_RUN(test_reload_on_file_change);
    UNIT_RUN(test_create_errors);
    UNIT_RUN(test_demo_mint);
    UNIT_RUN(test_demo_key_persists);

    unlink(fx.path);
    tk_fmt(fx.path, sizeof(fx.path), "%s/demo.key", fx.data_a);
    unlink(fx.path);
    rmdir(fx.data_a);
    tk_fmt(fx.path, sizeof(fx.path), "%s/demo.key", fx.data_b);
    unlink(fx.path);
    rmdir(fx.data_b);
    rmdir(fx.dir);
    mbedtls_ecp_keypair_free(&fx.ec1);
    mbedtls_ecp_keypair_free(&fx.ec2);
    tk_rng_free(&fx.rng);
    return UNIT_DONE();
}
