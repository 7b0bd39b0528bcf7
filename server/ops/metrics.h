/* metrics.h - request counters and a latency histogram, rendered for
 * Prometheus.
 *
 * Counters are plain integers on the loop's thread: no atomics, since one
 * loop owns them. Series are keyed by (route, status) where route is a
 * static label chosen by the handler ("static", "healthz", ...), never a
 * raw path, so the number of series stays bounded whatever clients send. */
#ifndef EDGE_METRICS_H
#define EDGE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define EDGE_METRICS_BUCKETS 14
#define EDGE_METRICS_LIMITS 5 /* the limit="..." values of c2c_rate_limited_total */

typedef struct edge_metrics_series {
    const char *route; /* static string */
    int status;
    uint64_t count;
} edge_metrics_series;

typedef struct edge_metrics {
    edge_metrics_series *series; /* owned array */
    size_t nseries, cap;
    uint64_t buckets[EDGE_METRICS_BUCKETS]; /* cumulative at render time only */
    uint64_t latency_count;
    double latency_sum_s;
    /* Refusals by abuse limit, in the order of the names in metrics.c:
     * dials, live_calls, messages, contact_messages, redeems. */
    uint64_t rate_limited[EDGE_METRICS_LIMITS];
} edge_metrics;

/* Gauges and counters owned by other modules, sampled at render time. */
typedef struct edge_metrics_sample {
    unsigned open_connections;
    uint64_t accepted_connections;
    uint64_t token_cache_hits;
    uint64_t token_cache_misses;
    uint64_t tokens_rejected;
    uint64_t tokens_limited; /* refused unverified (--token-fail-limit) */
    uint64_t event_streams; /* open Server-Sent Events streams */
    int store_up;           /* 1: the state store answers (SQLite always; Redis while connected) */
    uint64_t retention_purged; /* contacts deleted by --retention-days */
    uint64_t recordings_made;   /* --record-calls: calls whose recording was kept */
    uint64_t recordings_failed; /* --record-calls: recorded calls whose conversion failed */
    int tls;                       /* the TLS series below are shown */
    uint64_t tls_handshakes;       /* completed, full and resumed */
    uint64_t tls_resumed;          /* of those, resumed (ticket or session cache) */
    uint64_t tls_failures;         /* failed, timed out or cut off */
    uint64_t tls_reload_failures;  /* certificate reloads that failed */
    uint64_t tls_record_failures;  /* connections ended by a bad record after the handshake */
} edge_metrics_sample;

void edge_metrics_init(edge_metrics *m);
void edge_metrics_free(edge_metrics *m);
/* Count one answered request. route must be a static string (or NULL). */
void edge_metrics_observe(edge_metrics *m, const char *route, int status, uint64_t duration_ns);
/* Count one request refused by the abuse limit named limit ("dials",
 * "live_calls", "messages", "contact_messages", "redeems"); other names
 * are not counted. */
void edge_metrics_rate_limited(edge_metrics *m, const char *limit);
/* Append the Prometheus text exposition (format 0.0.4) to out. */
void edge_metrics_render(const edge_metrics *m, const edge_metrics_sample *sample, edge_buf *out);

#endif
