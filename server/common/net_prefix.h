/* net_prefix.h - the network a client address belongs to, as a limit key.
 *
 * Limits per client address count networks as they are handed out: an IPv4
 * address alone, an IPv6 address by its /64 (one subscriber's prefix, which
 * a client can change at will inside), IPv4-mapped IPv6 as IPv4. Same
 * grouping as auth/fail_limit.c. */
#ifndef EDGE_NET_PREFIX_H
#define EDGE_NET_PREFIX_H

#include <stddef.h>

#define EDGE_NET_PREFIX_MAX 48 /* "v6:" + a /64 in text + NUL fits */

/* addr (an address as text) as a key: "v4:1.2.3.4" or "v6:2001:db8:1:2::/64".
 * Returns 0, or -1 (out "") when addr is not an IPv4 or IPv6 address. */
int edge_net_prefix(const char *addr, char *out, size_t cap);

#endif
