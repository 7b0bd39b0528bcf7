/* claims.h - the claim policy half of JWT verification (internal).
 *
 * Split from jwt.c so that the part that decides "is this verified token
 * acceptable, and who is it" reads on its own, apart from the cryptography.
 * Called only with a payload whose signature has already been checked. */
#ifndef EDGE_AUTH_CLAIMS_H
#define EDGE_AUTH_CLAIMS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "auth/identity.h"
#include "auth/jwt.h"

/* Check the registered claims of payload (exp required; nbf, iat, iss, aud
 * or client_id, token_use when present or configured) and copy sub, email,
 * name, group membership and exp into *out. Returns EDGE_JWT_OK or a
 * negative EDGE_JWT_ERR_* with *why set to a static sentence. */
int edge__jwt_check_claims(const cJSON *payload, const edge_jwt_policy *policy, int64_t now,
                           edge_identity *out, const char **why);

/* The leeway actually applied: policy->leeway_s clamped to [0, one day].
 * The token cache uses it too, so a cached token expires when a fresh
 * verification would start refusing it. */
int64_t edge__jwt_leeway(const edge_jwt_policy *policy);

#endif
