/* access_log.c - buffered structured access log (see access_log.h). */
#include "ops/access_log.h"

#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/json_text.h"

#define EDGE_LOG_FLUSH_BYTES (32 * 1024)
#define EDGE_LOG_FLUSH_MS 200

static void on_flush_timer(uv_timer_t *t)
{
    edge_access_log_flush(t->data);
}

void edge_access_log_init(edge_access_log *log, uv_loop_t *loop, int fd, int enabled)
{
    log->pending = (edge_buf)EDGE_BUF_INIT;
    log->fd = fd;
    log->enabled = enabled;
    log->stamp_sec = 0;
    uv_timer_init(loop, &log->timer);
    log->timer.data = log;
    uv_timer_start(&log->timer, on_flush_timer, EDGE_LOG_FLUSH_MS, EDGE_LOG_FLUSH_MS);
    uv_unref((uv_handle_t *)&log->timer); /* the log alone does not keep the loop alive */
}

void edge_access_log_flush(edge_access_log *log)
{
    size_t off = 0;
    while (off < log->pending.len) {
        ssize_t n = write(log->fd, log->pending.data + off, log->pending.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* stderr is gone or full: drop the lines rather than block the loop */
        off += (size_t)n;
    }
    edge_buf_reset(&log->pending);
}

/* {"ts":"2026-01-02T03:04:05.678Z" with the seconds part cached: strftime
 * per request would cost more than the rest of the line. */
static void append_time(edge_access_log *log, edge_buf *out)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    if (tv.tv_sec != log->stamp_sec) {
        struct tm tm;
        gmtime_r(&tv.tv_sec, &tm);
        strftime(log->stamp, sizeof(log->stamp), "%Y-%m-%dT%H:%M:%S", &tm);
        log->stamp_sec = tv.tv_sec;
    }
    edge_buf_append_str(out, "{\"ts\":\"");
    edge_buf_append_str(out, log->stamp);
    edge_buf_append(out, ".", 1);
    edge_buf_append_uint(out, (unsigned long long)(tv.tv_usec / 1000), 3);
    edge_buf_append(out, "Z\"", 2);
}

void edge_access_log_write(edge_access_log *log, const char *remote, const edge_request *req,
                           const edge_response *res, uint64_t duration_ns)
{
    if (!log->enabled)
        return;
    edge_buf *out = &log->pending;
    append_time(log, out);
    edge_buf_append_str(out, ",\"remote\":");
    edge_json_append_string(out, remote, strlen(remote));
    if (req) {
        edge_buf_append_str(out, ",\"method\":");
        edge_json_append_string(out, req->method_name, strlen(req->method_name));
        edge_buf_append_str(out, ",\"path\":");
        edge_json_append_string(out, req->path, req->path_len);
    }
    unsigned long long us = duration_ns / 1000;
    edge_buf_append_str(out, ",\"status\":");
    edge_buf_append_uint(out, (unsigned)res->status, 1);
    edge_buf_append_str(out, ",\"bytes\":");
    edge_buf_append_uint(out, edge_response_body_len(res), 1);
    edge_buf_append_str(out, ",\"route\":\"");
    edge_buf_append_str(out, res->route ? res->route : "other"); /* static labels, no escaping */
    edge_buf_append_str(out, "\",\"ms\":");
    edge_buf_append_uint(out, us / 1000, 1);
    edge_buf_append(out, ".", 1);
    edge_buf_append_uint(out, us % 1000, 3);
    edge_buf_append(out, "}\n", 2);
    if (out->len >= EDGE_LOG_FLUSH_BYTES)
        edge_access_log_flush(log);
}

static void on_timer_closed(uv_handle_t *h)
{
    edge_access_log *log = h->data;
    edge_buf_free(&log->pending);
}

void edge_access_log_close(edge_access_log *log)
{
    edge_access_log_flush(log);
    uv_close((uv_handle_t *)&log->timer, on_timer_closed);
}
