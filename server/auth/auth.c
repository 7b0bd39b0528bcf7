/* auth.c - the token checker handlers use (see auth.h for the contract).
 *
 * Glues the pieces together: jwks.c builds key sets, jwt.c verifies,
 * token_cache.c remembers verified tokens, and this file owns the lifetime
 * of all three plus the libuv file watch. A key set is never edited in
 * place: a reload builds a complete new set and swaps it in only when it
 * loaded cleanly, then empties the cache so a removed key stops working at
 * once. The JWKS file is read synchronously in the loop thread; it is a
 * small local file (capped at EDGE_JWKS_MAX_BYTES) read only at start-up and
 * when it changes. */
#include "auth/auth.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <mbedtls/platform_util.h>

#include "auth/claims.h"
#include "auth/fail_limit.h"
#include "auth/jwks.h"
#include "auth/jwt.h"
#include "auth/secret_file.h"
#include "auth/token_cache.h"
#include "common/errbuf.h"
#include "common/mem.h"

#define AUTH_CACHE_ENTRIES 4096    /* ~3 MiB of identities */
#define AUTH_WATCH_INTERVAL_MS 1000 /* how often the JWKS file is stat()ed */
#define AUTH_DEMO_KEY_LEN 32
#define AUTH_DEMO_KID "demo"
#define AUTH_DEMO_KEY_FILE "demo.key" /* in --data: demo tokens survive a restart */
#define AUTH_REALM "c2c"
#define AUTH_FAIL_ADDRESSES 4096 /* client addresses whose failures are counted */
#define AUTH_FAIL_WINDOW_S 10    /* the window --token-fail-limit counts in */

/* What the Authorization header held (auth_extract). */
enum { AUTH_HEADER_OK = 0, AUTH_HEADER_NONE = -1, AUTH_HEADER_BAD = -2 };

/* Identity of one version of the JWKS file, to notice that it changed. */
typedef struct auth_stamp {
    int exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
} auth_stamp;

struct edge_auth {
    uv_timer_t watch;       /* stat()s jwks_path every second; data points back here */
    int watch_inited;       /* the timer needs uv_close before the struct is freed */
    auth_stamp seen;        /* the file version last loaded or tried */
    char *jwks_path;        /* owned copy of cfg->jwks_file, or NULL */
    char *issuer;           /* owned copy, or NULL */
    char *audience;         /* owned copy, or NULL */
    edge_jwt_policy policy; /* borrows issuer and audience above */
    edge_keyset *keys;      /* owned; replaced whole on reload */
    edge_token_cache *cache;
    edge_fail_limit *fail_limit; /* owned; NULL when cfg->token_fail_limit is 0 */
    int demo;
    unsigned char demo_key[AUTH_DEMO_KEY_LEN];
    uint64_t rejected;
    uint64_t limited; /* refused unverified: the address failed too often */
};

static void stamp_from_stat(auth_stamp *st, const struct stat *sb)
{
    memset(st, 0, sizeof(*st));
    st->exists = 1;
    st->dev = sb->st_dev;
    st->ino = sb->st_ino;
    st->size = sb->st_size;
    st->mtime = sb->st_mtim;
    st->ctime = sb->st_ctim;
}

static int stamp_equal(const auth_stamp *a, const auth_stamp *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec &&
           a->ctime.tv_sec == b->ctime.tv_sec && a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/* Read the whole file at path into a malloc'd buffer. Returns 0 with *data
 * (caller frees) and *len, or -1 with err filled. *stamp describes the
 * version that was opened (taken from the open file, so a change racing
 * with the read is noticed by the next watch tick). */
static int auth_read_file(const char *path, char **data, size_t *len, auth_stamp *stamp,
                          char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        edge_errf(err, errlen, "cannot open JWKS file %s", path);
        return -1;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0)
        stamp_from_stat(stamp, &sb);
    /* One byte beyond the limit tells "exactly at the limit" from "over". */
    char *buf = edge_xmalloc(EDGE_JWKS_MAX_BYTES + 1);
    size_t n = fread(buf, 1, EDGE_JWKS_MAX_BYTES + 1, f);
    int failed = ferror(f);
    fclose(f);
    if (failed || n > EDGE_JWKS_MAX_BYTES) {
        edge_errf(err, errlen, "cannot read JWKS file %s%s", path,
                 failed ? "" : ": larger than the limit");
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

/* Build the key set the configuration asks for: the JWKS file (if any) plus
 * the demo key (in demo mode). Returns a new set or NULL with err filled. */
static edge_keyset *auth_build_keys(const edge_auth *auth, auth_stamp *stamp, char *err,
                                    size_t errlen)
{
    edge_keyset *ks;
    if (auth->jwks_path != NULL) {
        char *json;
        size_t len;
        if (auth_read_file(auth->jwks_path, &json, &len, stamp, err, errlen) != 0)
            return NULL;
        ks = edge_keyset_parse(json, len, err, errlen);
        free(json);
        if (ks == NULL)
            return NULL;
    } else {
        ks = edge_keyset_create();
    }
    if (auth->demo && edge_keyset_add_hmac(ks, AUTH_DEMO_KID, auth->demo_key,
                                           sizeof(auth->demo_key), err, errlen) != 0) {
        edge_keyset_free(ks);
        return NULL;
    }
    return ks;
}

static void auth_free(edge_auth *auth)
{
    edge_keyset_free(auth->keys);
    edge_token_cache_free(auth->cache);
    edge_fail_limit_free(auth->fail_limit);
    mbedtls_platform_zeroize(auth->demo_key, sizeof(auth->demo_key));
    free(auth->jwks_path);
    free(auth->issuer);
    free(auth->audience);
    free(auth);
}

static void auth_on_close(uv_handle_t *handle)
{
    auth_free(handle->data);
}

/* Every AUTH_WATCH_INTERVAL_MS: if the file on disk is not the version last
 * loaded or tried, try it. The comparison is against what was actually read
 * (not against an earlier stat), so no change can slip in between. A file
 * that fails to load is tried once per change; the current keys stay. */
static void auth_on_watch(uv_timer_t *timer)
{
    edge_auth *auth = timer->data;
    auth_stamp now = {0};
    struct stat sb;
    if (stat(auth->jwks_path, &sb) == 0)
        stamp_from_stat(&now, &sb);
    if (stamp_equal(&now, &auth->seen))
        return;
    if (!now.exists) {
        auth->seen = now;
        fprintf(stderr, "c2c-edge: JWKS file %s is gone; keeping the current keys\n",
                auth->jwks_path);
        return;
    }
    char err[256];
    if (edge_auth_reload(auth, err, sizeof(err)) != 0)
        fprintf(stderr, "c2c-edge: JWKS file changed but did not load, keeping the old keys: %s\n",
                err);
    else
        fprintf(stderr, "c2c-edge: JWKS file changed; %zu keys loaded\n",
                edge_keyset_count(auth->keys));
}

/* Start watching the JWKS file (SIGHUP reloads too, through the app). */
static void auth_watch(edge_auth *auth, uv_loop_t *loop)
{
    uv_timer_init(loop, &auth->watch);
    auth->watch_inited = 1;
    auth->watch.data = auth;
    uv_timer_start(&auth->watch, auth_on_watch, AUTH_WATCH_INTERVAL_MS, AUTH_WATCH_INTERVAL_MS);
}

edge_auth *edge_auth_create(uv_loop_t *loop, const edge_config *cfg, char *err, size_t errlen)
{
    edge_auth *auth = edge_xcalloc(1, sizeof(*auth));
    auth->jwks_path = cfg->jwks_file ? edge_xstrdup(cfg->jwks_file) : NULL;
    auth->issuer = cfg->issuer ? edge_xstrdup(cfg->issuer) : NULL;
    auth->audience = cfg->audience ? edge_xstrdup(cfg->audience) : NULL;
    auth->policy.issuer = auth->issuer;
    auth->policy.audience = auth->audience;
    auth->policy.leeway_s = cfg->token_leeway_s;
    auth->policy.es256_allow_high_s = cfg->es256_allow_high_s;
    auth->policy.max_token_bytes = cfg->max_token_bytes;
    auth->cache = edge_token_cache_create(AUTH_CACHE_ENTRIES);
    if (cfg->token_fail_limit > 0)
        auth->fail_limit = edge_fail_limit_create(AUTH_FAIL_ADDRESSES, cfg->token_fail_limit,
                                                  AUTH_FAIL_WINDOW_S);
    auth->demo = cfg->demo;
    if ((auth->demo && edge_secret_file_load(cfg->data_dir, AUTH_DEMO_KEY_FILE, auth->demo_key,
                                             sizeof(auth->demo_key), err, errlen) != 0) ||
        (auth->keys = auth_build_keys(auth, &auth->seen, err, errlen)) == NULL) {
        auth_free(auth);
        return NULL;
    }
    if (loop != NULL && auth->jwks_path != NULL)
        auth_watch(auth, loop);
    return auth;
}

void edge_auth_destroy(edge_auth *auth)
{
    if (auth == NULL)
        return;
    if (auth->watch_inited)
        uv_close((uv_handle_t *)&auth->watch, auth_on_close);
    else
        auth_free(auth);
}

int edge_auth_reload(edge_auth *auth, char *err, size_t errlen)
{
    auth_stamp tried = {0};
    edge_keyset *fresh = auth_build_keys(auth, &tried, err, errlen);
    if (tried.exists)
        auth->seen = tried; /* a broken version is not retried until it changes */
    if (fresh == NULL)
        return -1;
    edge_keyset_free(auth->keys);
    auth->keys = fresh;
    edge_token_cache_clear(auth->cache);
    return 0;
}

/* 1 with *out filled when token was verified before and is still valid. */
static int auth_cached(edge_auth *auth, const char *token, size_t len, int64_t now,
                       edge_identity *out)
{
    /* Only tokens within the size limit are worth hashing for the cache;
     * edge_jwt_verify gives the others their error. */
    int fits = auth->policy.max_token_bytes == 0 || len <= auth->policy.max_token_bytes;
    return len > 0 && fits && edge_token_cache_get(auth->cache, token, len, now, out);
}

/* Verify a token that is not in the cache, and cache it when it passes. */
static int auth_verify(edge_auth *auth, const char *token, size_t len, int64_t now,
                       edge_identity *out, const char **code, const char **message)
{
    const char *why = NULL;
    int rc = edge_jwt_verify(auth->keys, &auth->policy, token, len, now, out, &why);
    if (rc == EDGE_JWT_OK) {
        int64_t valid_until = out->exp + edge__jwt_leeway(&auth->policy);
        edge_token_cache_put(auth->cache, token, len, out, valid_until, now);
        return 0;
    }
    auth->rejected++;
    if (code)
        *code = edge_jwt_code(rc);
    if (message)
        *message = why;
    return rc;
}

int edge_auth_verify_token(edge_auth *auth, const char *token, size_t len, int64_t now,
                           edge_identity *out, const char **code, const char **message)
{
    if (auth_cached(auth, token, len, now, out))
        return 0;
    return auth_verify(auth, token, len, now, out, code, message);
}


/* The 429 for an address over --token-fail-limit, retry_s from now. */
static void auth_limited(edge_auth *auth, edge_response *res, int64_t retry_s)
{
    auth->limited++;
    auth->rejected++;
    edge_response_error(res, 429, "too_many_token_failures",
                        "Too many invalid tokens came from this address; try again later.");
    edge_response_add_headerf(res, "Retry-After", "%lld", (long long)retry_s);
}

static int auth_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* memchr rather than a byte loop: this runs over every token (~1 KB). */
static int auth_has_blank(const char *s, size_t n)
{
    return memchr(s, ' ', n) != NULL || memchr(s, '\t', n) != NULL;
}

/* Find the token: "Bearer <token>" (scheme case-insensitive, RFC 7235) or
 * a bare token as API Gateway and Cognito clients send it. Returns
 * AUTH_HEADER_OK with *token and *len set, AUTH_HEADER_NONE when there is no
 * token, or AUTH_HEADER_BAD for another scheme or repeated headers. */
static int auth_extract(const edge_request *req, const char **token, size_t *len)
{
    const edge_header *found = NULL;
    for (size_t i = 0; i < req->header_count; i++) {
        const edge_header *h = &req->headers[i];
        if (h->name_len != 13 || strncasecmp(h->name, "Authorization", 13) != 0)
            continue;
        if (found != NULL)
            return AUTH_HEADER_BAD; /* two credentials: which one counts? */
        found = h;
    }
    if (found == NULL)
        return AUTH_HEADER_NONE;
    const char *v = found->value;
    size_t n = found->value_len;
    if (n >= 6 && strncasecmp(v, "Bearer", 6) == 0 && (n == 6 || auth_is_blank(v[6]))) {
        v += 6;
        n -= 6;
    }
    while (n > 0 && auth_is_blank(*v)) {
        v++;
        n--;
    }
    while (n > 0 && auth_is_blank(v[n - 1]))
        n--;
    if (n == 0)
        return AUTH_HEADER_NONE;
    if (auth_has_blank(v, n))
        return AUTH_HEADER_BAD; /* "Basic xyz" or similar */
    *token = v;
    *len = n;
    return AUTH_HEADER_OK;
}

/* Fill res with status and the JSON error, plus the RFC 6750 challenge.
 * error is NULL for a missing token, which gets the bare challenge. */
static void auth_fail(edge_response *res, int status, const char *code, const char *message,
                      const char *error)
{
    edge_response_error(res, status, code, message);
    if (error == NULL) {
        edge_response_add_header(res, "WWW-Authenticate", "Bearer realm=\"" AUTH_REALM "\"");
        return;
    }
    /* RFC 6750 allows only printable ASCII without '"' and '\\' in the
     * description; anything else becomes an apostrophe. */
    char desc[160];
    size_t n = 0;
    for (const char *p = message; *p && n + 1 < sizeof(desc); p++) {
        unsigned char c = (unsigned char)*p;
        desc[n++] = (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) ? '\'' : *p;
    }
    desc[n] = '\0';
    edge_response_add_headerf(res, "WWW-Authenticate",
                              "Bearer realm=\"" AUTH_REALM "\", error=\"%s\", "
                              "error_description=\"%s\"",
                              error, desc);
}

int edge_auth_require(edge_auth *auth, const edge_request *req, edge_response *res, int64_t now,
                      edge_identity *out)
{
    const char *token = NULL, *code = NULL, *message = NULL;
    size_t len = 0;
    int rc = auth_extract(req, &token, &len);
    if (rc == AUTH_HEADER_NONE) {
        auth->rejected++;
        auth_fail(res, 401, "missing_token", "This request needs a bearer token.", NULL);
        return -1;
    }
    if (rc == AUTH_HEADER_BAD) {
        auth->rejected++;
        auth_fail(res, 400, "invalid_request",
                  "Send exactly one Authorization header with a Bearer token.", "invalid_request");
        return -1;
    }
    if (auth_cached(auth, token, len, now, out))
        return 0;
    const char *client = req->remote_addr != NULL ? req->remote_addr : "";
    int64_t wait = auth->fail_limit ? edge_fail_limit_wait(auth->fail_limit, client, now) : 0;
    if (wait > 0) {
        auth_limited(auth, res, wait);
        return -1;
    }
    rc = auth_verify(auth, token, len, now, out, &code, &message);
    if (rc == 0)
        return 0;
    /* Only a failed signature cost a verification (jwt.h checks it last). */
    if (auth->fail_limit && rc == EDGE_JWT_ERR_SIGNATURE)
        edge_fail_limit_count(auth->fail_limit, client, now);
    auth_fail(res, 401, code, message, "invalid_token");
    return -1;
}

char *edge_auth_mint_demo(edge_auth *auth, const char *sub, const char *email, const char *name,
                          const char *role, int64_t now, int64_t ttl_s)
{
    static const char header[] =
        "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" AUTH_DEMO_KID "\"}";
    if (auth == NULL || !auth->demo || sub == NULL || sub[0] == '\0' || role == NULL || ttl_s <= 0)
        return NULL;
    int supervisor = strcmp(role, "supervisor") == 0;
    int agent = supervisor || strcmp(role, "agent") == 0;
    if (!agent && strcmp(role, "customer") != 0)
        return NULL;
    cJSON *claims = cJSON_CreateObject();
    cJSON_AddStringToObject(claims, "sub", sub);
    if (email != NULL && email[0] != '\0')
        cJSON_AddStringToObject(claims, "email", email);
    if (name != NULL && name[0] != '\0')
        cJSON_AddStringToObject(claims, "name", name);
    cJSON_AddNumberToObject(claims, "iat", (double)now);
    cJSON_AddNumberToObject(claims, "exp", (double)(now + ttl_s));
    if (auth->issuer != NULL)
        cJSON_AddStringToObject(claims, "iss", auth->issuer);
    if (auth->audience != NULL)
        cJSON_AddStringToObject(claims, "aud", auth->audience);
    if (agent) {
        const char *groups[] = {"agents", "supervisors"};
        cJSON *list = cJSON_CreateStringArray(groups, supervisor ? 2 : 1);
        cJSON_AddItemToObject(claims, "groups", list);
    }
    char *payload = cJSON_PrintUnformatted(claims);
    cJSON_Delete(claims);
    if (payload == NULL)
        return NULL;
    char *token = edge_jwt_sign_hs256(auth->demo_key, sizeof(auth->demo_key), header, payload);
    cJSON_free(payload);
    return token;
}

edge_auth_stats edge_auth_get_stats(const edge_auth *auth)
{
    edge_auth_stats s = {0, 0, 0, 0};
    if (auth != NULL) {
        s.cache_hits = edge_token_cache_hits(auth->cache);
        s.cache_misses = edge_token_cache_misses(auth->cache);
        s.limited = auth->limited;
        s.rejected = auth->rejected;
    }
    return s;
}
