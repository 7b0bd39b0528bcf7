/* clock.h - wall-clock time for timestamps that are stored or shown.
 * (Timeouts use the loop's monotonic uv_now instead.) */
#ifndef EDGE_CLOCK_H
#define EDGE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds since the Unix epoch. */
static inline int64_t edge_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
