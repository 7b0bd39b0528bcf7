/* auth.h - the server's token checker: key set + claim policy + cache.
 *
 * This is the one entry point handlers use: edge_auth_require() reads the
 * Authorization header, verifies the JWT and yields an edge_identity, or
 * fills a 401 response in the product's JSON error shape with a
 * WWW-Authenticate header. Keys come from the --jwks file (reloaded on SIGHUP
 * via edge_auth_reload and when the file changes, watched with uv_fs_poll)
 * plus, in demo mode, a generated HS256 key. Reloading clears the verified
 * token cache so a removed key stops working at once. */
#ifndef EDGE_AUTH_H
#define EDGE_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "auth/identity.h"
#include "config/config.h"
#include "http/request.h"
#include "http/response.h"

typedef struct edge_auth edge_auth;

typedef struct edge_auth_stats {
    uint64_t cache_hits;
    uint64_t cache_misses;
    uint64_t rejected;
} edge_auth_stats;

/* Create the checker and load cfg->jwks_file if set. With cfg->demo, also
 * generate a random HS256 key (kid "demo"). loop is used for the file watch.
 * Returns NULL with err filled when the JWKS file is unreadable or invalid. */
edge_auth *edge_auth_create(uv_loop_t *loop, const edge_config *cfg, char *err, size_t errlen);
/* Stops the file watch; the struct is freed after its handle's close callback
 * fires, so call this before the final uv_run. */
void edge_auth_destroy(edge_auth *auth);

/* Reload the JWKS file now (SIGHUP). On failure the old keys stay in force
 * and -1 is returned with err filled; 0 on success. */
int edge_auth_reload(edge_auth *auth, char *err, size_t errlen);

/* Verify the request's token. Returns 0 and fills *out, or -1 after filling
 * res with 401 (or 400 for a malformed header). now is seconds since the epoch. */
int edge_auth_require(edge_auth *auth, const edge_request *req, edge_response *res, int64_t now,
                      edge_identity *out);

/* Verify a bare token (e.g. from a query string for EventSource). Returns 0
 * or a negative edge_auth error; code and message describe the failure. */
int edge_auth_verify_token(edge_auth *auth, const char *token, size_t len, int64_t now,
                           edge_identity *out, const char **code, const char **message);

/* Demo mode only: mint an HS256 token with the demo key. role is "customer"
 * or "agent" (agent adds groups ["agents"]). Returns a malloc'd token or NULL
 * when demo mode is off. */
char *edge_auth_mint_demo(edge_auth *auth, const char *sub, const char *email, const char *name,
                          const char *role, int64_t now, int64_t ttl_s);

edge_auth_stats edge_auth_get_stats(const edge_auth *auth);

#endif
