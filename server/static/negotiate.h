/* negotiate.h - the two request headers the static handler must interpret:
 * Accept-Encoding (which stored encoding to send) and If-None-Match (is the
 * client's copy still current).
 *
 * Pure string functions over header values, kept apart from the handler so
 * their many corner cases (q-values, "*", weak tags, junk) can be tested as
 * tables without building requests. */
#ifndef EDGE_STATIC_NEGOTIATE_H
#define EDGE_STATIC_NEGOTIATE_H

#include <stddef.h>

/* Content codings the cache can hold for a file. The order is also the
 * index into a cache entry's variants. */
typedef enum edge_encoding {
    EDGE_ENC_IDENTITY = 0,
    EDGE_ENC_GZIP = 1,
    EDGE_ENC_BR = 2,
    EDGE_ENC_COUNT = 3
} edge_encoding;

#define EDGE_ENC_BIT(e) (1u << (e))

/* Choose the encoding to send from the Accept-Encoding value (value may be
 * NULL when the header is absent: identity). available is a mask of
 * EDGE_ENC_BIT()s that exist for the file; identity is assumed available.
 *
 * q-values are honoured: q=0 refuses a coding, the highest q wins, ties go
 * to br, then gzip, then identity. "x-gzip" counts as gzip; "*" stands for
 * every coding not named. Identity is acceptable unless "identity;q=0" or
 * "*;q=0" without an identity entry; when not named it ranks below every
 * named coding with q > 0. If nothing is acceptable we still send
 * identity rather than 406, as browsers never ask for that. Elements with a
 * malformed q-value are ignored. */
edge_encoding edge_accept_encoding_pick(const char *value, size_t len, unsigned available);

/* Return 1 when the If-None-Match value[0..len) is "*" or lists an entity
 * tag equal to etag under weak comparison (W/ prefixes ignored), else 0.
 * etag is the quoted tag, e.g. "\"abc\"". Parsing stops at the first
 * malformed element; tags before it still count. */
int edge_etag_list_match(const char *value, size_t len, const char *etag);

#endif
