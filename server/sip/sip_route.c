/* sip_route.c - longest-prefix routing of dialled numbers to SIP URIs and
 * the {number} / {e164} templates (see sip_route.h). */
#include <string.h>

#include "sip/sip_route.h"

int edge_sip_route_find(const edge_sip_routes *r, const char *e164)
{
    int best = -1;
    size_t best_len = 0;
    for (size_t i = 0; i < r->count; i++) {
        const char *eq = strchr(r->items[i], '=');
        if (eq == NULL)
            continue;
        size_t len = (size_t)(eq - r->items[i]);
        if (len > best_len && strncmp(e164, r->items[i], len) == 0) {
            best = (int)i;
            best_len = len;
        }
    }
    return best;
}

/* Append n bytes of s at *at in out; 0, or -1 when they do not fit. */
static int put(char *out, size_t cap, size_t *at, const char *s, size_t n)
{
    if (*at + n >= cap)
        return -1;
    memcpy(out + *at, s, n);
    *at += n;
    out[*at] = '\0';
    return 0;
}

int edge_sip_route_uri(const edge_sip_routes *r, int i, const char *e164, char *out, size_t cap)
{
    if (cap == 0)
        return -1;
    out[0] = '\0';
    const char *eq = i >= 0 && (size_t)i < r->count ? strchr(r->items[i], '=') : NULL;
    if (eq == NULL)
        return -1;
    const char *digits = e164[0] == '+' ? e164 + 1 : e164;
    size_t at = 0;
    int rc = 0;
    for (const char *s = eq + 1; rc == 0 && *s;) {
        if (strncmp(s, "{number}", 8) == 0) {
            rc = put(out, cap, &at, digits, strlen(digits));
            s += 8;
        } else if (strncmp(s, "{e164}", 6) == 0) {
            rc = put(out, cap, &at, e164, strlen(e164));
            s += 6;
        } else {
            rc = put(out, cap, &at, s, 1);
            s++;
        }
    }
    if (rc != 0)
        out[0] = '\0';
    return rc;
}
