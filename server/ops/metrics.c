/* metrics.c - counting requests and rendering them in Prometheus text. */
#include "ops/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

/* Upper bounds in seconds; the last bucket (+Inf) is implicit. */
static const double bucket_bounds[EDGE_METRICS_BUCKETS - 1] = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};

static const char *const limit_names[EDGE_METRICS_LIMITS] = {"dials", "live_calls", "messages",
                                                             "contact_messages", "redeems"};

void edge_metrics_init(edge_metrics *m)
{
    memset(m, 0, sizeof(*m));
}

void edge_metrics_free(edge_metrics *m)
{
    free(m->series);
    m->series = NULL;
    m->nseries = m->cap = 0;
}

static edge_metrics_series *find_series(edge_metrics *m, const char *route, int status)
{
    for (size_t i = 0; i < m->nseries; i++) {
        edge_metrics_series *s = &m->series[i];
        if (s->status == status && (s->route == route || strcmp(s->route, route) == 0))
            return s;
    }
    if (m->nseries == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->series = edge_xrealloc(m->series, m->cap * sizeof(*m->series));
    }
    edge_metrics_series *s = &m->series[m->nseries++];
    s->route = route;
    s->status = status;
    s->count = 0;
    return s;
}

void edge_metrics_observe(edge_metrics *m, const char *route, int status, uint64_t duration_ns)
{
    find_series(m, route ? route : "other", status)->count++;
    double seconds = (double)duration_ns / 1e9;
    size_t b = 0;
    while (b < EDGE_METRICS_BUCKETS - 1 && seconds > bucket_bounds[b])
        b++;
    m->buckets[b]++;
    m->latency_count++;
    m->latency_sum_s += seconds;
}

void edge_metrics_rate_limited(edge_metrics *m, const char *limit)
{
    for (size_t i = 0; limit != NULL && i < EDGE_METRICS_LIMITS; i++)
        if (strcmp(limit_names[i], limit) == 0)
            m->rate_limited[i]++;
}

static void render_rate_limited(const edge_metrics *m, edge_buf *out)
{
    edge_buf_append_str(out, "# HELP c2c_rate_limited_total Requests refused by an abuse limit, "
                             "by limit.\n# TYPE c2c_rate_limited_total counter\n");
    for (size_t i = 0; i < EDGE_METRICS_LIMITS; i++)
        edge_buf_appendf(out, "c2c_rate_limited_total{limit=\"%s\"} %llu\n", limit_names[i],
                         (unsigned long long)m->rate_limited[i]);
}

static void render_requests(const edge_metrics *m, edge_buf *out)
{
    edge_buf_append_str(out, "# HELP c2c_http_requests_total HTTP requests answered, by route "
                             "and status.\n# TYPE c2c_http_requests_total counter\n");
    for (size_t i = 0; i < m->nseries; i++)
        edge_buf_appendf(out, "c2c_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                         m->series[i].route, m->series[i].status,
                         (unsigned long long)m->series[i].count);
}

static void render_latency(const edge_metrics *m, edge_buf *out)
{
    edge_buf_append_str(out, "# HELP c2c_http_request_duration_seconds Time from the first byte "
                             "of a request to its response being queued.\n"
                             "# TYPE c2c_http_request_duration_seconds histogram\n");
    uint64_t cumulative = 0;
    for (size_t b = 0; b < EDGE_METRICS_BUCKETS - 1; b++) {
        cumulative += m->buckets[b];
        edge_buf_appendf(out, "c2c_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                         bucket_bounds[b], (unsigned long long)cumulative);
    }
    cumulative += m->buckets[EDGE_METRICS_BUCKETS - 1];
    edge_buf_appendf(out, "c2c_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                     (unsigned long long)cumulative);
    edge_buf_appendf(out, "c2c_http_request_duration_seconds_sum %.9f\n", m->latency_sum_s);
    edge_buf_appendf(out, "c2c_http_request_duration_seconds_count %llu\n",
                     (unsigned long long)m->latency_count);
}

static void render_gauge(edge_buf *out, const char *name, const char *type, const char *help,
                         uint64_t value)
{
    edge_buf_appendf(out, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name, type, name,
                     (unsigned long long)value);
}

void edge_metrics_render(const edge_metrics *m, const edge_metrics_sample *sample, edge_buf *out)
{
    render_requests(m, out);
    render_latency(m, out);
    render_gauge(out, "c2c_open_connections", "gauge", "Open client connections.",
                 sample->open_connections);
    render_gauge(out, "c2c_connections_accepted_total", "counter", "Connections accepted.",
                 sample->accepted_connections);
    render_gauge(out, "c2c_event_streams", "gauge", "Open Server-Sent Events streams.",
                 sample->event_streams);
    render_gauge(out, "c2c_store_up", "gauge",
                 "1 while the state store is reachable (always with SQLite; Redis: connected).",
                 (uint64_t)sample->store_up);
    render_gauge(out, "c2c_token_cache_hits_total", "counter",
                 "Token checks answered from the verified-token cache.", sample->token_cache_hits);
    render_gauge(out, "c2c_token_cache_misses_total", "counter",
                 "Token checks that needed a signature verification.",
                 sample->token_cache_misses);
    render_gauge(out, "c2c_tokens_rejected_total", "counter", "Tokens rejected.",
                 sample->tokens_rejected);
    render_gauge(out, "c2c_tokens_limited_total", "counter",
                 "Tokens refused unverified: their address had too many costly failures.",
                 sample->tokens_limited);
    render_gauge(out, "c2c_retention_purged_total", "counter",
                 "Ended contacts deleted with their messages and events (--retention-days).",
                 sample->retention_purged);
    render_gauge(out, "c2c_recordings_made_total", "counter",
                 "Bridged calls recorded and converted to one file (--record-calls).",
                 sample->recordings_made);
    render_gauge(out, "c2c_recordings_failed_total", "counter",
                 "Bridged calls recorded whose conversion failed; nothing was kept.",
                 sample->recordings_failed);
    render_rate_limited(m, out);
    if (!sample->tls)
        return;
    render_gauge(out, "c2c_tls_handshakes_total", "counter",
                 "TLS handshakes completed, full and resumed.", sample->tls_handshakes);
    render_gauge(out, "c2c_tls_resumed_handshakes_total", "counter",
                 "TLS handshakes resumed by a session ticket or the session cache.",
                 sample->tls_resumed);
    render_gauge(out, "c2c_tls_handshake_failures_total", "counter",
                 "TLS handshakes that failed, timed out or were cut off.", sample->tls_failures);
    render_gauge(out, "c2c_tls_reload_failures_total", "counter",
                 "Certificate reloads that failed (the old certificates stayed).",
                 sample->tls_reload_failures);
    render_gauge(out, "c2c_tls_record_failures_total", "counter",
                 "TLS connections ended by a bad record after the handshake (bad MAC, "
                 "oversized, unexpected type) or a fatal alert from the client.",
                 sample->tls_record_failures);
}
