/* sip_route.h - which dialled numbers go out over SIP, and to which URI.
 *
 * A route is "PREFIX=URI" (--sip-route, checked by the config): a dialled
 * E.164 number starting with PREFIX goes to URI, where "{number}" stands
 * for the number without its "+" and "{e164}" for the number with it. Of
 * several matching routes the longest prefix wins. Pure: no I/O, no
 * allocation; the table borrows the route strings. */
#ifndef EDGE_SIP_ROUTE_H
#define EDGE_SIP_ROUTE_H

#include <stddef.h>

#define EDGE_SIP_URI_MAX 320 /* an expanded URI with its NUL */

typedef struct edge_sip_routes {
    const char *const *items; /* "PREFIX=URI" strings, borrowed */
    size_t count;
} edge_sip_routes;

/* The route for e164 (a normalized number, "+" and digits): the index of
 * the longest matching prefix, or -1 when none matches. */
int edge_sip_route_find(const edge_sip_routes *r, const char *e164);

/* Expand route index i's URI for e164 into out (cap bytes). Returns 0, or
 * -1 when i is out of range, the route has no "=", or the result does not
 * fit (out is then ""). */
int edge_sip_route_uri(const edge_sip_routes *r, int i, const char *e164, char *out, size_t cap);

#endif
