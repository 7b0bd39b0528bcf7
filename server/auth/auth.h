/* auth.h - the server's token checker: key set + claim policy + cache.
 *
 * This is the one entry point handlers use: edge_auth_require() reads the
 * Authorization header, verifies the JWT and yields an edge_identity, or
 * fills a 401 response in the product's JSON error shape with a
 * WWW-Authenticate header. Keys come from the --jwks file (reloaded on SIGHUP
 * via edge_auth_reload and when the file changes, checked with stat() every second)
 * plus, in demo mode, an HS256 key kept in --data DIR/demo.key. Reloading clears the verified
 * token cache so a removed key stops working at once. */
#ifndef EDGE_AUTH_H
#define EDGE_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "auth/identity.h"
#include "auth/jwt.h"
#include "config/config.h"
#include "http/request.h"
#include "http/response.h"

typedef struct edge_auth edge_auth;

typedef struct edge_auth_stats {
    uint64_t cache_hits;
    uint64_t cache_misses;
    uint64_t rejected;
    uint64_t limited; /* 429s: the client's address failed too often (also in rejected) */
} edge_auth_stats;

/* Create the checker and load cfg->jwks_file if set. With cfg->demo, also
 * generate a random HS256 key (kid "demo"). loop is used for the file watch
 * (a stat() once a second against the version loaded); with loop NULL nothing is watched.
 * cfg's strings are copied, so cfg may be freed afterwards. Returns the
 * checker (caller owns it; edge_auth_destroy) or NULL with err filled when
 * the JWKS file is unreadable or invalid. */
edge_auth *edge_auth_create(uv_loop_t *loop, const edge_config *cfg, char *err, size_t errlen);
/* Stops the file watch; the struct is freed after its handle's close callback
 * fires, so call this before the final uv_run. Without a watch (no loop or
 * no JWKS file) it is freed at once. NULL is allowed. */
void edge_auth_destroy(edge_auth *auth);

/* Reload the JWKS file now (SIGHUP). On failure the old keys stay in force
 * and -1 is returned with err filled; 0 on success, after which the verified
 * token cache is empty. The demo key, if any, survives reloads. */
int edge_auth_reload(edge_auth *auth, char *err, size_t errlen);

/* Verify the request's token, taken from "Authorization: Bearer <JWT>" or
 * from a bare "Authorization: <JWT>". Returns 0 and fills *out, or -1 after
 * filling res: 401 with the JSON error ({"error": code, "message": text})
 * and a WWW-Authenticate challenge, or 400 "invalid_request" for another
 * scheme or a repeated Authorization header, or 429
 * "too_many_token_failures" with Retry-After, unverified, when the client's
 * address has had too many costly failures (cfg->token_fail_limit,
 * auth/fail_limit.h); a token already in the cache passes all the same.
 * now is seconds since the epoch. */
int edge_auth_require(edge_auth *auth, const edge_request *req, edge_response *res, int64_t now,
                      edge_identity *out);

/* Verify a bare token (e.g. from a query string for EventSource). Returns 0
 * and fills *out, or a negative EDGE_JWT_ERR_* (auth/jwt.h) and sets *code
 * (machine code, e.g. "token_expired") and *message (a sentence); both are
 * static strings, and either pointer may be NULL. Verified tokens are cached
 * until they expire. */
int edge_auth_verify_token(edge_auth *auth, const char *token, size_t len, int64_t now,
                           edge_identity *out, const char **code, const char **message);

/* Demo mode only: mint an HS256 token with the demo key. role is "customer",
 * "agent" (adds groups ["agents"]) or "supervisor" (groups ["agents",
 * "supervisors"]). email and name may be NULL or
 * "" to leave them out; iss and aud are the configured ones. Returns a
 * malloc'd token the caller frees, or NULL when demo mode is off or an
 * argument is unusable (empty sub, unknown role, ttl_s <= 0). */
char *edge_auth_mint_demo(edge_auth *auth, const char *sub, const char *email, const char *name,
                          const char *role, int64_t now, int64_t ttl_s);

/* Counters for /metrics (all zero for NULL). rejected counts every failed
 * verification, including requests without a token. */
edge_auth_stats edge_auth_get_stats(const edge_auth *auth);

#endif
