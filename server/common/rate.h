/* rate.h - "N per PERIOD" limits, as flags write them.
 *
 * A rate is a count allowed in a window: "20/10s" is 20 in 10 seconds,
 * "5/min" 5 a minute, "10/10min" 10 in ten minutes, "100/h" 100 an hour.
 * "0" turns the limit off. Parsing is strict (no spaces, no signs, no zero
 * counts or periods), so a typo stops the server instead of silently
 * meaning something else. */
#ifndef EDGE_RATE_H
#define EDGE_RATE_H

#include <stdint.h>

#define EDGE_RATE_MAX_COUNT 1000000
#define EDGE_RATE_MAX_WINDOW_S (7 * 86400) /* a week */

typedef struct edge_rate {
    uint32_t max;      /* allowed per window; 0 = no limit */
    int64_t window_ms; /* the window; 0 when max is 0 */
} edge_rate;

/* Parse text ("N/PERIOD" or "0") into *out. PERIOD is s, min or h, with an
 * optional count before it (10s, 10min). N is 1..EDGE_RATE_MAX_COUNT and the
 * window at most EDGE_RATE_MAX_WINDOW_S. Returns 0, or -1 leaving *out
 * untouched. */
int edge_rate_parse(const char *text, edge_rate *out);

#endif
