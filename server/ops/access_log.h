/* access_log.h - one JSON line per answered request, on stderr.
 *
 * Lines are buffered and written when the buffer passes 32 KiB, every 200 ms,
 * and at shutdown: a write(2) per request would cost more than serving a
 * small file. The line carries no secrets: the path without its query string
 * (so no ?token=, ?ticket= or ?access_token= value, on any route, ever
 * reaches it) and never a header value. */
#ifndef EDGE_ACCESS_LOG_H
#define EDGE_ACCESS_LOG_H

#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "common/buf.h"
#include "http/request.h"
#include "http/response.h"

typedef struct edge_access_log {
    uv_timer_t timer; /* periodic flush; timer.data == this */
    edge_buf pending; /* lines not yet written */
    int fd;           /* where lines go (2 = stderr) */
    int enabled;
    time_t stamp_sec; /* second that stamp was formatted for */
    char stamp[24];   /* "YYYY-MM-DDTHH:MM:SS", reformatted once a second */
} edge_access_log;

/* Start the flush timer on loop. Lines go to fd. */
void edge_access_log_init(edge_access_log *log, uv_loop_t *loop, int fd, int enabled);
/* Record one request (req may be NULL for unparseable input). */
void edge_access_log_write(edge_access_log *log, const char *remote, const edge_request *req,
                           const edge_response *res, uint64_t duration_ns);
/* Write out everything pending now. */
void edge_access_log_flush(edge_access_log *log);
/* Flush and close the timer; pending memory is freed in the close callback. */
void edge_access_log_close(edge_access_log *log);

#endif
