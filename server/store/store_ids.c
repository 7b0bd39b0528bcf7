/* store_ids.c - random ids for contacts, participants, messages and routes.
 *
 * Ids are capabilities in URLs (a participant id names an event stream), so
 * they come from the kernel CSPRNG (getrandom(2)), not from a counter or
 * rand(). The code is backend-neutral: any store backend mints ids here. */
#include "store/store_backend.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#define ID_BYTES 16 /* 128 bits -> 32 hex digits */

/* Fill buf with len random bytes; 0, or EDGE_STORE_EINTERNAL after logging. */
static int random_bytes(unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(buf + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "c2c-edge: store: getrandom: %s\n", strerror(errno));
            return EDGE_STORE_EINTERNAL;
        }
        got += (size_t)n;
    }
    return 0;
}

int edge__store_new_id(char out[EDGE_STORE_ID_MAX])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char raw[ID_BYTES];
    _Static_assert(2 * ID_BYTES < EDGE_STORE_ID_MAX, "id must fit with its NUL");
    out[0] = '\0';
    if (random_bytes(raw, sizeof(raw)) != 0)
        return EDGE_STORE_EINTERNAL;
    for (size_t i = 0; i < ID_BYTES; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[2 * ID_BYTES] = '\0';
    return 0;
}

int edge__store_new_route_id(char out[16])
{
    /* 4e9 is the largest multiple of 1e8 below 2^32: draws at or above it
     * are rejected so every 8-digit value is equally likely. */
    const uint32_t range = 100000000u, limit = 4000000000u;
    _Static_assert(EDGE__ROUTE_ID_DIGITS == 8, "range and format assume 8 digits");
    uint32_t v;
    out[0] = '\0';
    do {
        unsigned char raw[4];
        if (random_bytes(raw, sizeof(raw)) != 0)
            return EDGE_STORE_EINTERNAL;
        v = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
    } while (v >= limit);
    snprintf(out, 16, "%08u", (unsigned)(v % range));
    return 0;
}
