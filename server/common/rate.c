/* rate.c - the "N/PERIOD" syntax of rate limits (rate.h). */
#include "common/rate.h"

#include <string.h>

/* Leading decimal digits of *s as a number up to limit: advances *s and
 * returns the value, or -1 when there are none or the number is too big. */
static int64_t read_count(const char **s, int64_t limit)
{
    int64_t v = 0;
    const char *p = *s;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (*p - '0');
        if (v > limit)
            return -1;
    }
    *s = p;
    return v;
}

/* Seconds in one unit named by the rest of the text, or 0 when unknown. */
static int64_t unit_seconds(const char *unit)
{
    if (strcmp(unit, "s") == 0)
        return 1;
    if (strcmp(unit, "min") == 0)
        return 60;
    if (strcmp(unit, "h") == 0)
        return 3600;
    return 0;
}

int edge_rate_parse(const char *text, edge_rate *out)
{
    if (text == NULL)
        return -1;
    if (strcmp(text, "0") == 0) {
        out->max = 0;
        out->window_ms = 0;
        return 0;
    }
    const char *p = text;
    int64_t n = read_count(&p, EDGE_RATE_MAX_COUNT);
    if (n <= 0 || *p++ != '/')
        return -1;
    int64_t units = 1;
    if (*p >= '0' && *p <= '9')
        units = read_count(&p, EDGE_RATE_MAX_WINDOW_S);
    int64_t unit = unit_seconds(p);
    if (units <= 0 || unit == 0 || units * unit > EDGE_RATE_MAX_WINDOW_S)
        return -1;
    out->max = (uint32_t)n;
    out->window_ms = units * unit * 1000;
    return 0;
}
