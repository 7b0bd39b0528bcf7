/* redis_url.h - where a Redis server is: parsing `redis://HOST:PORT[/DB]`.
 *
 * Pure: no sockets, no DNS. HOST is an IPv4 literal, an IPv6 literal in
 * brackets, or "localhost" (taken as 127.0.0.1, so that no lookup ever runs
 * on the loop, not even on a reconnect). Anything else is refused: a name
 * would need DNS, which a reconnect on the loop must never wait for. */
#ifndef EDGE_REDIS_URL_H
#define EDGE_REDIS_URL_H

#include <stddef.h>

enum { EDGE_REDIS_HOST_MAX = 46 }; /* INET6_ADDRSTRLEN */

typedef struct edge_redis_addr {
    char host[EDGE_REDIS_HOST_MAX]; /* numeric: "127.0.0.1", "::1" */
    int port;                       /* 1..65535 (default 6379) */
    int db;                         /* 0..15 (default 0): SELECTed on every connection */
} edge_redis_addr;

/* Parse url into *out. 0 on success; -1 with a one-line reason in err
 * (cap bytes, NUL-terminated) for anything else: another scheme, a host
 * that is not an IP literal or localhost, a port outside 1..65535, a DB
 * outside 0..15, user info or a query (not supported: no AUTH in this
 * version, so Redis must be on loopback or a private link). */
int edge_redis_url_parse(const char *url, edge_redis_addr *out, char *err, size_t cap);

#endif
