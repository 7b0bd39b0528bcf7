/* identity.h - who a verified token says the caller is.
 *
 * Filled only from a token whose signature and claims have been verified;
 * nothing a client sends in a body or query ever lands here. Fixed-size
 * fields keep an identity copyable by value (the token cache stores them);
 * a token whose claims do not fit is rejected, never truncated. */
#ifndef EDGE_IDENTITY_H
#define EDGE_IDENTITY_H

#include <stdint.h>

#define EDGE_IDENTITY_FIELD_MAX 256 /* bytes including the NUL */

typedef struct edge_identity {
    char sub[EDGE_IDENTITY_FIELD_MAX];   /* "sub" claim; never empty */
    char email[EDGE_IDENTITY_FIELD_MAX]; /* "email" claim or "" */
    char name[EDGE_IDENTITY_FIELD_MAX];  /* "name" claim or "" */
    int is_agent;                        /* groups / cognito:groups contains "agents" */
    int is_supervisor;                   /* groups / cognito:groups contains "supervisors" */
    int64_t exp;                         /* expiry, seconds since the epoch */
} edge_identity;

#endif
