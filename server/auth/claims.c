/* claims.c - time, issuer, audience and identity claims (see claims.h).
 *
 * Every claim we read has its type checked: a token whose "exp" is a string
 * or whose "sub" is a number is refused rather than read as zero or empty.
 * Claims we do not use are ignored. Strings that would not fit the fixed
 * identity fields are refused, never truncated, so two different subjects
 * can never collapse into one identity. Every string claim read here (iss,
 * aud, client_id, token_use, sub, email, name, the group entries) that
 * holds a control character makes the whole token malformed
 * ("invalid_token"): the parser already refused NULs, and nothing that
 * reaches an identity, a log or a comparison may carry a control byte. */
#include "auth/claims.h"

#include <math.h>
#include <string.h>

#include "auth/json_strict.h"

/* Latest NumericDate accepted: 9999-12-31T23:59:59Z. Keeps the conversion
 * to int64_t defined and later additions of the leeway far from overflow. */
#define CLAIMS_TIME_MAX 253402300799.0
#define CLAIMS_LEEWAY_MAX 86400 /* a day of skew is already absurd */

/* Read the NumericDate claim name. Returns 0 when absent, 1 with *out set,
 * -1 when it is not a number in [0, CLAIMS_TIME_MAX]. Fractions are dropped. */
static int claims_time(const cJSON *payload, const char *name, int64_t *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(payload, name);
    if (item == NULL)
        return 0;
    if (!cJSON_IsNumber(item))
        return -1;
    double v = item->valuedouble;
    if (!isfinite(v) || v < 0 || v > CLAIMS_TIME_MAX)
        return -1;
    *out = (int64_t)v;
    return 1;
}

static int claims_check_times(const cJSON *payload, int64_t leeway, int64_t now, int64_t *exp,
                              const char **why)
{
    int64_t t;
    int rc = claims_time(payload, "exp", exp);
    if (rc <= 0) {
        *why = rc == 0 ? "The token has no exp claim." : "The exp claim is not a valid time.";
        return EDGE_JWT_ERR_CLAIMS;
    }
    if (now >= *exp + leeway) {
        *why = "The token has expired.";
        return EDGE_JWT_ERR_EXPIRED;
    }
    rc = claims_time(payload, "nbf", &t);
    if (rc < 0) {
        *why = "The nbf claim is not a valid time.";
        return EDGE_JWT_ERR_CLAIMS;
    }
    if (rc == 1 && now < t - leeway) {
        *why = "The token is not valid yet (nbf).";
        return EDGE_JWT_ERR_NOT_YET;
    }
    rc = claims_time(payload, "iat", &t);
    if (rc < 0) {
        *why = "The iat claim is not a valid time.";
        return EDGE_JWT_ERR_CLAIMS;
    }
    if (rc == 1 && t - leeway > now) {
        *why = "The token was issued in the future (iat).";
        return EDGE_JWT_ERR_NOT_YET;
    }
    return EDGE_JWT_OK;
}

/* The answer for a string claim holding a control character. */
static int claims_control(const char **why)
{
    *why = "A string claim holds a control character.";
    return EDGE_JWT_ERR_MALFORMED;
}

static int claims_check_issuer(const cJSON *payload, const char *issuer, const char **why)
{
    const char *iss;
    int rc = edge__json_opt_string(payload, "iss", &iss);
    if (rc == EDGE__JSON_HAS_CONTROL)
        return claims_control(why);
    if (rc < 0) {
        *why = "The iss claim is not a string.";
        return EDGE_JWT_ERR_CLAIMS;
    }
    if (issuer != NULL && (rc == 0 || strcmp(iss, issuer) != 0)) {
        *why = "The token was issued by another issuer.";
        return EDGE_JWT_ERR_ISSUER;
    }
    return EDGE_JWT_OK;
}

/* Match an "aud" string or array against want (NULL: only check types).
 * Returns 1 on a match, 0 on none, EDGE__JSON_WRONG_TYPE on a malformed
 * aud, EDGE__JSON_HAS_CONTROL when a string in it holds a control byte. */
static int claims_aud_matches(const cJSON *aud, const char *want)
{
    const char *s;
    if (cJSON_IsString(aud)) {
        int rc = edge__json_string(aud, &s);
        return rc == 1 ? want != NULL && strcmp(s, want) == 0 : rc;
    }
    if (!cJSON_IsArray(aud))
        return EDGE__JSON_WRONG_TYPE;
    int found = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, aud)
    {
        int rc = edge__json_string(item, &s);
        if (rc != 1)
            return rc == EDGE__JSON_HAS_CONTROL ? rc : EDGE__JSON_WRONG_TYPE;
        if (want != NULL && strcmp(s, want) == 0)
            found = 1;
    }
    return found;
}

static int claims_check_audience(const cJSON *payload, const char *audience, const char **why)
{
    const cJSON *aud = cJSON_GetObjectItemCaseSensitive(payload, "aud");
    const char *client_id;
    int has_client_id = edge__json_opt_string(payload, "client_id", &client_id);
    int match = 0;
    if (has_client_id == EDGE__JSON_HAS_CONTROL)
        return claims_control(why);
    if (aud != NULL) {
        match = claims_aud_matches(aud, audience);
        if (match == EDGE__JSON_HAS_CONTROL)
            return claims_control(why);
        if (match < 0) {
            *why = "The aud claim is not a string or an array of strings.";
            return EDGE_JWT_ERR_CLAIMS;
        }
    } else if (audience != NULL) {
        /* Cognito access tokens carry the app client in client_id, not aud. */
        match = has_client_id == 1 && strcmp(client_id, audience) == 0;
    }
    if (audience != NULL && !match) {
        *why = "The token is meant for another audience.";
        return EDGE_JWT_ERR_AUDIENCE;
    }
    return EDGE_JWT_OK;
}

static int claims_check_token_use(const cJSON *payload, const char **why)
{
    const char *use;
    int rc = edge__json_opt_string(payload, "token_use", &use);
    if (rc == EDGE__JSON_HAS_CONTROL)
        return claims_control(why);
    if (rc < 0 || (rc == 1 && strcmp(use, "id") != 0 && strcmp(use, "access") != 0)) {
        *why = "The token_use claim must be id or access.";
        return EDGE_JWT_ERR_CLAIMS;
    }
    return EDGE_JWT_OK;
}

/* Copy string claim name into dst (EDGE_IDENTITY_FIELD_MAX bytes); absent
 * gives "". Returns 0, EDGE__JSON_HAS_CONTROL, or -1 when it is not a
 * string or does not fit. */
static int claims_copy(const cJSON *payload, const char *name, char *dst)
{
    const char *s;
    int rc = edge__json_opt_string(payload, name, &s);
    dst[0] = '\0';
    if (rc <= 0)
        return rc;
    size_t len = strlen(s);
    if (len >= EDGE_IDENTITY_FIELD_MAX)
        return -1;
    memcpy(dst, s, len + 1);
    return 0;
}

/* 1 when the claim name is an array holding the string group. Other
 * shapes and entries grant nothing but are not errors (group claims vary
 * by provider), except a string entry holding a control character:
 * EDGE__JSON_HAS_CONTROL, whatever the other entries say. */
static int claims_in_group(const cJSON *payload, const char *name, const char *group)
{
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(payload, name);
    const cJSON *item;
    const char *s;
    int found = 0;
    if (!cJSON_IsArray(groups))
        return 0;
    cJSON_ArrayForEach(item, groups)
    {
        int rc = edge__json_string(item, &s);
        if (rc == EDGE__JSON_HAS_CONTROL)
            return rc;
        if (rc == 1 && strcmp(s, group) == 0)
            found = 1;
    }
    return found;
}

static int claims_fill_identity(const cJSON *payload, edge_identity *out, const char **why)
{
    int sub = claims_copy(payload, "sub", out->sub);
    int email = claims_copy(payload, "email", out->email);
    int name = claims_copy(payload, "name", out->name);
    int cognito = claims_in_group(payload, "cognito:groups", "agents");
    int groups = claims_in_group(payload, "groups", "agents");
    if (sub == EDGE__JSON_HAS_CONTROL || email == EDGE__JSON_HAS_CONTROL ||
        name == EDGE__JSON_HAS_CONTROL || cognito == EDGE__JSON_HAS_CONTROL ||
        groups == EDGE__JSON_HAS_CONTROL)
        return claims_control(why);
    if (sub != 0 || out->sub[0] == '\0') {
        *why = "The sub claim is missing, empty, not a string or too long.";
        return EDGE_JWT_ERR_CLAIMS;
    }
    if (email != 0 || name != 0) {
        *why = "The email or name claim is not a string or is too long.";
        return EDGE_JWT_ERR_CLAIMS;
    }
    out->is_agent = cognito == 1 || groups == 1;
    out->is_supervisor = claims_in_group(payload, "cognito:groups", "supervisors") == 1 ||
                         claims_in_group(payload, "groups", "supervisors") == 1;
    return EDGE_JWT_OK;
}

int64_t edge__jwt_leeway(const edge_jwt_policy *policy)
{
    if (policy->leeway_s < 0)
        return 0;
    return policy->leeway_s > CLAIMS_LEEWAY_MAX ? CLAIMS_LEEWAY_MAX : policy->leeway_s;
}

int edge__jwt_check_claims(const cJSON *payload, const edge_jwt_policy *policy, int64_t now,
                           edge_identity *out, const char **why)
{
    int64_t leeway = edge__jwt_leeway(policy);
    int64_t exp = 0;
    int rc = claims_check_times(payload, leeway, now, &exp, why);
    if (rc == EDGE_JWT_OK)
        rc = claims_check_issuer(payload, policy->issuer, why);
    if (rc == EDGE_JWT_OK)
        rc = claims_check_audience(payload, policy->audience, why);
    if (rc == EDGE_JWT_OK)
        rc = claims_check_token_use(payload, why);
    if (rc == EDGE_JWT_OK)
        rc = claims_fill_identity(payload, out, why);
    if (rc == EDGE_JWT_OK)
        out->exp = exp;
    return rc;
}
