/* fuzz_http_request.c - libFuzzer target: bytes of one connection in,
 * response bytes out, through the real request path.
 *
 * The input is what a client sends on one connection, after placeholder
 * expansion (fuzz_app.h: "`C" is a valid customer token, "`P" a valid
 * ParticipantToken, ...). Its first byte is the size of each read the
 * transport hands the parser (0: the whole input in one read), so requests
 * and headers split across reads are fuzzed too. The loop below is
 * net/conn.c's conn_process without the socket: edge_http1_feed, then for
 * every complete request the app's real dispatcher (edge_app_handle: CORS,
 * router, handlers, static files) and the real response head writer, with
 * "100 Continue", protocol errors that end the connection, keep-alive and
 * the end of parsing after a streaming (SSE) answer, as the transport does.
 *
 * Beyond the sanitizers, every response must read back as HTTP/1.1 with
 * llhttp (status line, headers, Content-Length equal to the body) and every
 * application/json body must be JSON. C2C_FUZZ_SHOW=1 in the environment
 * prints the server's output for each input. */
#include <llhttp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_app.h"
#include "http/deferred.h"
#include "http/http1.h"
#include "ops/metrics.h"

#define FUZZ_DATE "Thu, 01 Jan 2026 00:00:00 GMT"

typedef struct fuzz_conn {
    fuzz_app *fa;
    edge_http1 http;
    edge_buf out;  /* everything the server would have written */
    int closed;    /* the connection would be closed (error, no keep-alive) */
    int streaming; /* an SSE answer holds the connection */
} fuzz_conn;

/* A response head must parse as HTTP/1.1 and declare the body it carries. */
typedef struct head_seen {
    int complete;
    int has_length;
    uint64_t content_length;
} head_seen;

static int head_complete(llhttp_t *p)
{
    head_seen *seen = p->data;
    seen->complete = 1;
    seen->has_length = (p->flags & F_CONTENT_LENGTH) != 0;
    seen->content_length = p->content_length;
    return 1; /* skip the body: it is checked against Content-Length below */
}

static void check_head(const char *head, size_t len, const edge_response *res, int method)
{
    llhttp_settings_t settings;
    llhttp_t parser;
    llhttp_settings_init(&settings);
    settings.on_headers_complete = head_complete;
    llhttp_init(&parser, HTTP_RESPONSE, &settings);
    head_seen seen = {0, 0, 0};
    parser.data = &seen;
    llhttp_errno_t err = llhttp_execute(&parser, head, len);
    if (err != HPE_OK || !seen.complete || parser.status_code != res->status) {
        fprintf(stderr, "fuzz: response head does not parse (%s): %.*s\n",
                llhttp_errno_name(err), (int)len, head);
        abort();
    }
    int has_body = !res->stream && !edge_http1_status_has_no_body(res->status, HTTP_GET);
    if (has_body && (!seen.has_length || seen.content_length != edge_response_body_len(res))) {
        fprintf(stderr, "fuzz: Content-Length %llu for a %zu-byte body\n",
                (unsigned long long)seen.content_length, edge_response_body_len(res));
        abort();
    }
}

/* Serialize res as the transport does and check it. */
static void emit(fuzz_conn *c, const edge_request *req, const edge_response *res, int keep_alive)
{
    int method = req ? req->method : HTTP_GET;
    size_t start = c->out.len;
    edge_http1_write_head(&c->out, res, keep_alive, FUZZ_DATE);
    check_head(c->out.data + start, c->out.len - start, res, method);
    fuzz_check_response(res);
    if (!edge_http1_status_has_no_body(res->status, method) && !res->stream)
        edge_buf_append(&c->out, edge_response_body_ptr(res), edge_response_body_len(res));
    edge_app *app = &c->fa->app;
    edge_metrics_observe(&app->metrics, res->route, res->status, 1000);
    edge_access_log_write(&app->log, "127.0.0.1", req, res, 1000);
}

static void protocol_error(fuzz_conn *c)
{
    edge_response res;
    edge_response_init(&res);
    edge_response_error(&res, c->http.error_status, c->http.error_code, c->http.error_message);
    res.route = "protocol";
    emit(c, NULL, &res, 0);
    edge_response_free(&res);
    c->closed = 1;
}

/* A stream is opened by the transport; here the connection ends before
 * that, so its owner is told it closed (the hub frees its subscriber). */
static void drop_stream(edge_response *res)
{
    if (res->stream_close)
        res->stream_close(NULL, res->stream_opaque);
}

static void dispatch(fuzz_conn *c)
{
    edge_request *req = &c->http.req;
    req->remote_addr = "127.0.0.1";
    edge_response res;
    edge_response_init(&res);
    edge_app_handle(&c->fa->app, req, &res);
    edge_deferred *d = edge__deferred_take(&res);
    if (d != NULL) { /* answered later (GET /healthz): turn the loop until it is */
        edge_response_free(&res);
        while (!d->completed)
            uv_run(&c->fa->loop, UV_RUN_ONCE);
        res = d->res;
        edge_response_init(&d->res);
        edge__deferred_free(d);
    }
    int keep_alive = req->keep_alive && !res.close;
    emit(c, req, &res, keep_alive);
    if (res.stream) {
        drop_stream(&res);
        c->streaming = 1;
    }
    edge_response_free(&res);
    if (!keep_alive)
        c->closed = 1;
    edge_http1_next(&c->http);
}

/* One read's bytes, as conn_process handles them. */
static void on_read(fuzz_conn *c, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len && !c->closed && !c->streaming) {
        size_t used = 0;
        edge_http1_result r = edge_http1_feed(&c->http, data + off, len - off, &used);
        if (used > len - off)
            abort(); /* the parser claims bytes it was never given */
        off += used;
        if (r == EDGE_HTTP1_ERROR) {
            protocol_error(c);
            return;
        }
        if (r == EDGE_HTTP1_REQUEST)
            dispatch(c);
        if (c->http.continue_pending) {
            edge_buf_append_str(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
            c->http.continue_pending = 0;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    fuzz_app *fa = fuzz_app_get();
    fuzz_app_reset(fa);
    size_t read_size = data[0];
    edge_buf in = EDGE_BUF_INIT;
    fuzz_app_expand(fa, (const char *)data + 1, size - 1, &in);
    fuzz_conn c = {.fa = fa, .out = EDGE_BUF_INIT};
    edge_http1_limits limits = {fa->cfg.max_header_bytes, fa->cfg.max_uri_bytes,
                                fa->cfg.max_body_bytes};
    edge_http1_init(&c.http, &limits);
    for (size_t off = 0; off < in.len && !c.closed && !c.streaming;) {
        size_t n = read_size == 0 || read_size > in.len - off ? in.len - off : read_size;
        /* Each read in its own allocation, so reading past it is caught. */
        char *chunk = malloc(n);
        memcpy(chunk, in.data + off, n);
        on_read(&c, chunk, n);
        free(chunk);
        off += n;
    }
    if (getenv("C2C_FUZZ_SHOW")) /* to see what an input does: C2C_FUZZ_SHOW=1 ./fuzz_x FILE */
        fprintf(stderr, "%.*s\n", (int)c.out.len, c.out.data ? c.out.data : "");
    edge_http1_free(&c.http);
    edge_buf_free(&c.out);
    edge_buf_free(&in);
    return 0;
}
