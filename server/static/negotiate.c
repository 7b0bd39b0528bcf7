/* negotiate.c - Accept-Encoding and If-None-Match parsing (see negotiate.h).
 *
 * Both parsers walk the value once with an index and never copy it; they
 * treat anything unexpected as "not present" so a garbled header degrades to
 * the plain, uncompressed, unconditional answer. */
#include "static/negotiate.h"

#include <string.h>
#include <strings.h>

#define Q_ABSENT (-1) /* coding not named in the header */

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Trim blanks from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_ows(**s))
        (*s)++, (*n)--;
    while (*n > 0 && is_ows((*s)[*n - 1]))
        (*n)--;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), scaled to
 * 0..1000. Returns -1 when s[0..n) is not one. */
static int parse_qvalue(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '0' && s[0] != '1'))
        return -1;
    int v = (s[0] - '0') * 1000;
    if (n == 1)
        return v;
    if (s[1] != '.' || n > 5)
        return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v += (s[i] - '0') * scale;
    }
    return v > 1000 ? -1 : v;
}

/* The q of one element "coding *( OWS ; OWS param )": 1000 without a q
 * parameter, -1 when the q parameter is malformed. */
static int element_q(const char *params, size_t n)
{
    int q = 1000;
    while (n > 0) {
        const char *semi = memchr(params, ';', n);
        size_t plen = semi ? (size_t)(semi - params) : n;
        const char *p = params;
        size_t pn = plen;
        trim(&p, &pn);
        if (pn >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            const char *v = p + 2;
            size_t vn = pn - 2;
            trim(&v, &vn);
            q = parse_qvalue(v, vn);
            if (q < 0)
                return -1;
        }
        if (semi == NULL)
            break;
        params = semi + 1;
        n -= plen + 1;
    }
    return q;
}

/* Record q for the coding named by name[0..n) into the per-coding slots
 * (index EDGE_ENC_COUNT is "*"). The first mention of a coding wins. */
static void record(const char *name, size_t n, int q, int *slots)
{
    int idx = -1;
    if ((n == 2 && strncasecmp(name, "br", 2) == 0))
        idx = EDGE_ENC_BR;
    else if ((n == 4 && strncasecmp(name, "gzip", 4) == 0) ||
             (n == 6 && strncasecmp(name, "x-gzip", 6) == 0))
        idx = EDGE_ENC_GZIP;
    else if (n == 8 && strncasecmp(name, "identity", 8) == 0)
        idx = EDGE_ENC_IDENTITY;
    else if (n == 1 && name[0] == '*')
        idx = EDGE_ENC_COUNT;
    if (idx >= 0 && slots[idx] == Q_ABSENT)
        slots[idx] = q;
}

edge_encoding edge_accept_encoding_pick(const char *value, size_t len, unsigned available)
{
    if (value == NULL)
        return EDGE_ENC_IDENTITY;
    int slots[EDGE_ENC_COUNT + 1] = {Q_ABSENT, Q_ABSENT, Q_ABSENT, Q_ABSENT};
    size_t i = 0;
    while (i < len) {
        const char *comma = memchr(value + i, ',', len - i);
        size_t end = comma ? (size_t)(comma - value) : len;
        const char *el = value + i;
        size_t eln = end - i;
        trim(&el, &eln);
        size_t name_n = 0;
        while (name_n < eln && el[name_n] != ';' && !is_ows(el[name_n]))
            name_n++;
        int q = element_q(el + name_n, eln - name_n);
        if (name_n > 0 && q >= 0)
            record(el, name_n, q, slots);
        i = end + 1;
    }
    int star = slots[EDGE_ENC_COUNT];
    int best_q = 0;
    edge_encoding best = EDGE_ENC_IDENTITY;
    /* Walk from most to least preferred so that a tie keeps the earlier. */
    static const edge_encoding order[] = {EDGE_ENC_BR, EDGE_ENC_GZIP, EDGE_ENC_IDENTITY};
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        edge_encoding e = order[k];
        int q = slots[e];
        /* Unnamed identity stays acceptable, but only as the last resort
         * (lowest non-zero q): "br;q=0.5" still means "br, please". */
        if (q == Q_ABSENT)
            q = (star != Q_ABSENT) ? star : (e == EDGE_ENC_IDENTITY ? 1 : 0);
        int have = e == EDGE_ENC_IDENTITY || (available & EDGE_ENC_BIT(e));
        if (have && q > best_q) {
            best_q = q;
            best = e;
        }
    }
    return best;
}

int edge_etag_list_match(const char *value, size_t len, const char *etag)
{
    size_t etag_len = strlen(etag);
    size_t i = 0;
    for (;;) {
        while (i < len && (is_ows(value[i]) || value[i] == ','))
            i++;
        if (i >= len)
            return 0;
        if (value[i] == '*')
            return 1;
        if (len - i >= 2 && value[i] == 'W' && value[i + 1] == '/')
            i += 2;
        if (i >= len || value[i] != '"')
            return 0;
        const char *close = memchr(value + i + 1, '"', len - i - 1);
        if (close == NULL)
            return 0;
        size_t tag_len = (size_t)(close - (value + i)) + 1;
        if (tag_len == etag_len && memcmp(value + i, etag, etag_len) == 0)
            return 1;
        i += tag_len;
    }
}
