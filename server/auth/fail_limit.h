/* fail_limit.h - how many forged tokens a client address may send.
 *
 * A token whose signature does not verify costs the server the
 * verification: about a millisecond for ES256 with mbedTLS. Anyone can
 * send such tokens (a forged signature under a real kid, with claims that
 * would pass, is enough), so a single client could keep the event loop
 * busy verifying garbage. This table counts those failures per client
 * address in fixed windows; once an address reaches the limit, its tokens
 * that are not already in the token cache are refused (429) without being
 * verified until the window ends. Every other failure is cheap and not
 * counted: malformed tokens, unknown kid or alg, and expired or foreign
 * claims, which jwt.c refuses before it checks the signature; so genuine
 * users behind one address (a NAT, a proxy) are not counted for their
 * expired tokens.
 *
 * Addresses are grouped as networks hand them out: an IPv4 address alone,
 * an IPv6 address by its /64 (one subscriber's prefix), and IPv4-mapped
 * IPv6 as IPv4. The table has a fixed size; when a set is full, the entry
 * whose window started first gives way. Behind a reverse proxy every
 * client has the proxy's address: give the limit there, or 0 for none. */
#ifndef EDGE_FAIL_LIMIT_H
#define EDGE_FAIL_LIMIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct edge_fail_limit edge_fail_limit;

/* A table of capacity entries (a power of two, at least 4) allowing
 * max_failures per window_s seconds per address. Never NULL. */
edge_fail_limit *edge_fail_limit_create(size_t capacity, unsigned max_failures, int64_t window_s);
void edge_fail_limit_free(edge_fail_limit *l);

/* Seconds until addr (an address as text) may have a token verified again,
 * at now_s (seconds): 0 when it may now. Text that is not an address is
 * never limited. */
int64_t edge_fail_limit_wait(const edge_fail_limit *l, const char *addr, int64_t now_s);

/* One more costly failure from addr at now_s. */
void edge_fail_limit_count(edge_fail_limit *l, const char *addr, int64_t now_s);

#endif
