/* http1.c - llhttp callbacks that assemble an edge_request within limits.
 *
 * Limits are checked as bytes arrive, never after the fact: the URL against
 * max_uri_bytes (414), the URL plus headers against max_header_bytes and the
 * header count against EDGE_MAX_HEADERS (431), a declared Content-Length
 * against max_body_bytes before any body byte is read, and a chunked body as
 * it grows (413). A callback that finds a problem records the status and
 * returns -1, which makes llhttp_execute stop with HPE_CB_* or HPE_USER. */
#include "http/http1.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static edge_http1 *from_parser(llhttp_t *p)
{
    return (edge_http1 *)p->data;
}

static int fail(edge_http1 *h, int status, const char *code, const char *message)
{
    h->error_status = status;
    h->error_code = code;
    h->error_message = message;
    return -1;
}

static int on_message_begin(llhttp_t *p)
{
    edge_http1 *h = from_parser(p);
    h->phase = EDGE_HTTP1_HEAD;
    return 0;
}

/* Head bytes: the URL, then per header "name\0value\0". One budget for all. */
static int append_head(edge_http1 *h, const char *at, size_t len)
{
    if (h->head.len + len > h->limits.max_header_bytes)
        return fail(h, 431, "headers_too_large", "The request headers are too large.");
    edge_buf_append(&h->head, at, len);
    return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t len)
{
    edge_http1 *h = from_parser(p);
    if (h->url_len + len > h->limits.max_uri_bytes)
        return fail(h, 414, "uri_too_long", "The request URI is too long.");
    h->url_len += len;
    return append_head(h, at, len);
}

/* Start a new header: end the URL (first header) or the previous value. */
static int start_header(edge_http1 *h)
{
    if (append_head(h, "", 1) < 0)
        return -1;
    if (h->header_count == EDGE_MAX_HEADERS)
        return fail(h, 431, "too_many_headers", "The request has too many headers.");
    size_t i = h->header_count++;
    h->name_off[i] = h->head.len;
    h->name_len[i] = 0;
    h->value_off[i] = 0;
    h->value_len[i] = 0;
    h->in_field = 1;
    return 0;
}

/* Chunked trailer fields arrive through the header callbacks after the head
 * has been published to the request; they are ignored (nothing here uses
 * them), which also keeps the head buffer from moving under the request. */
static int in_trailers(const edge_http1 *h)
{
    return h->phase == EDGE_HTTP1_BODY;
}

static int on_header_field(llhttp_t *p, const char *at, size_t len)
{
    edge_http1 *h = from_parser(p);
    if (in_trailers(h))
        return 0;
    if (!h->in_field && start_header(h) < 0)
        return -1;
    h->name_len[h->header_count - 1] += len;
    return append_head(h, at, len);
}

static int on_header_field_complete(llhttp_t *p)
{
    edge_http1 *h = from_parser(p);
    if (in_trailers(h))
        return 0;
    h->in_field = 0;
    if (append_head(h, "", 1) < 0) /* end the name */
        return -1;
    h->value_off[h->header_count - 1] = h->head.len;
    return 0;
}

static int on_header_value(llhttp_t *p, const char *at, size_t len)
{
    edge_http1 *h = from_parser(p);
    if (in_trailers(h))
        return 0;
    h->value_len[h->header_count - 1] += len;
    return append_head(h, at, len);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Point req's header table into the head buffer, trimming values. */
static void publish_headers(edge_http1 *h)
{
    char *base = h->head.data;
    for (size_t i = 0; i < h->header_count; i++) {
        edge_header *hd = &h->req.headers[i];
        hd->name = base + h->name_off[i];
        hd->name_len = h->name_len[i];
        char *v = base + h->value_off[i];
        size_t vlen = h->value_len[i];
        while (vlen && is_blank(*v)) {
            v++;
            vlen--;
        }
        while (vlen && is_blank(v[vlen - 1]))
            vlen--;
        v[vlen] = '\0'; /* within the value's own bytes or its terminator */
        hd->value = v;
        hd->value_len = vlen;
    }
    h->req.header_count = h->header_count;
}

static void publish_target(edge_http1 *h)
{
    edge_request *r = &h->req;
    r->target = h->head.data;
    r->target_len = h->url_len;
    r->path = r->target;
    const char *q = memchr(r->target, '?', h->url_len);
    const char *frag = memchr(r->target, '#', h->url_len);
    const char *path_end = q ? q : (frag ? frag : r->target + h->url_len);
    r->path_len = (size_t)(path_end - r->target);
    if (q) {
        const char *qend = frag && frag > q ? frag : r->target + h->url_len;
        r->query = q + 1;
        r->query_len = (size_t)(qend - q - 1);
    }
}

static int check_expect(edge_http1 *h)
{
    const edge_header *e = edge_request_header(&h->req, "Expect");
    if (e == NULL)
        return 0;
    if (strcasecmp(e->value, "100-continue") != 0)
        return fail(h, 417, "expectation_failed", "Only 'Expect: 100-continue' is supported.");
    if (h->req.version_minor >= 1)
        h->continue_pending = 1;
    return 0;
}

static int on_headers_complete(llhttp_t *p)
{
    edge_http1 *h = from_parser(p);
    if (append_head(h, "", 1) < 0) /* terminate the URL or the last value */
        return -1;
    edge_request *r = &h->req;
    r->method = p->method;
    r->method_name = llhttp_method_name((llhttp_method_t)p->method);
    r->version_major = p->http_major;
    r->version_minor = p->http_minor;
    if (p->http_major != 1)
        return fail(h, 505, "http_version_not_supported", "Only HTTP/1.x is supported.");
    publish_target(h);
    publish_headers(h);
    if ((p->flags & F_CONTENT_LENGTH) && p->content_length > h->limits.max_body_bytes)
        return fail(h, 413, "body_too_large", "The request body is too large.");
    if (check_expect(h) < 0)
        return -1;
    h->phase = EDGE_HTTP1_BODY;
    return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len)
{
    edge_http1 *h = from_parser(p);
    if (h->body.len + len > h->limits.max_body_bytes)
        return fail(h, 413, "body_too_large", "The request body is too large.");
    edge_buf_append(&h->body, at, len);
    return 0;
}

static int on_message_complete(llhttp_t *p)
{
    edge_http1 *h = from_parser(p);
    edge_request *r = &h->req;
    /* After an Upgrade or CONNECT request the bytes that follow belong to
     * another protocol, which we do not speak: answer, then close. */
    r->keep_alive = p->upgrade ? 0 : llhttp_should_keep_alive(p);
    r->body = h->body.len ? h->body.data : NULL;
    r->body_len = h->body.len;
    h->phase = EDGE_HTTP1_DONE;
    return HPE_PAUSED; /* hand the request out before parsing the next one */
}

void edge_http1_init(edge_http1 *h, const edge_http1_limits *limits)
{
    memset(h, 0, sizeof(*h));
    h->limits = *limits;
    llhttp_settings_init(&h->settings);
    h->settings.on_message_begin = on_message_begin;
    h->settings.on_url = on_url;
    h->settings.on_header_field = on_header_field;
    h->settings.on_header_field_complete = on_header_field_complete;
    h->settings.on_header_value = on_header_value;
    h->settings.on_headers_complete = on_headers_complete;
    h->settings.on_body = on_body;
    h->settings.on_message_complete = on_message_complete;
    llhttp_init(&h->parser, HTTP_REQUEST, &h->settings);
    h->parser.data = h;
    h->phase = EDGE_HTTP1_IDLE;
}

void edge_http1_free(edge_http1 *h)
{
    edge_buf_free(&h->head);
    edge_buf_free(&h->body);
}

void edge_http1_next(edge_http1 *h)
{
    edge_buf_reset(&h->head);
    edge_buf_reset(&h->body);
    h->url_len = 0;
    h->header_count = 0;
    h->in_field = 0;
    h->continue_pending = 0;
    memset(&h->req, 0, offsetof(edge_request, headers));
    h->req.header_count = 0;
    h->req.body = NULL;
    h->req.body_len = 0;
    h->req.remote_addr = NULL;
    h->phase = EDGE_HTTP1_IDLE;
    if (llhttp_get_errno(&h->parser) == HPE_PAUSED)
        llhttp_resume(&h->parser);
}

/* An llhttp error that no callback of ours caused: the bytes are not valid
 * HTTP/1.x. (505 is only answered from on_headers_complete, for a version
 * that parsed but is not 1.x.) */
static void fail_from_llhttp(edge_http1 *h, llhttp_errno_t err)
{
    fail(h, 400, "bad_request", "The request is not valid HTTP/1.1.");
}

edge_http1_result edge_http1_feed(edge_http1 *h, const char *data, size_t len, size_t *consumed)
{
    llhttp_errno_t err = llhttp_execute(&h->parser, data, len);
    if (err == HPE_OK) {
        *consumed = len;
        return EDGE_HTTP1_NEED_MORE;
    }
    const char *pos = llhttp_get_error_pos(&h->parser);
    *consumed = pos ? (size_t)(pos - data) : len;
    if ((err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE) && h->phase == EDGE_HTTP1_DONE)
        return EDGE_HTTP1_REQUEST;
    if (err == HPE_PAUSED_UPGRADE) { /* bytes after an upgrade; never parsed as HTTP */
        fail(h, 400, "bad_request", "No other protocol is spoken on this connection.");
        return EDGE_HTTP1_ERROR;
    }
    if (h->error_status == 0)
        fail_from_llhttp(h, err);
    return EDGE_HTTP1_ERROR;
}

int edge_http1_status_has_no_body(int status, int method)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304 ||
           method == HTTP_HEAD;
}

void edge_http1_write_head(edge_buf *out, const edge_response *res, int keep_alive,
                           const char *date)
{
    static const char server[] = "\r\nServer: c2c-edge\r\n";
    int status = res->status ? res->status : 500;
    const char *reason = edge_status_text(status);
    edge_buf_reserve(out, 160 + res->headers.len);
    edge_buf_append(out, "HTTP/1.1 ", 9);
    edge_buf_append_uint(out, (unsigned)status, 3);
    edge_buf_append(out, " ", 1);
    edge_buf_append_str(out, reason);
    edge_buf_append(out, "\r\nDate: ", 8);
    edge_buf_append_str(out, date);
    edge_buf_append(out, server, sizeof(server) - 1);
    if (res->stream) {
        edge_buf_append_str(out, "Transfer-Encoding: chunked\r\n");
    } else if (!(status >= 100 && status < 200) && status != 204 && status != 304) {
        edge_buf_append(out, "Content-Length: ", 16);
        edge_buf_append_uint(out, edge_response_body_len(res), 1);
        edge_buf_append(out, "\r\n", 2);
    }
    edge_buf_append_str(out, keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
    edge_buf_append(out, res->headers.data, res->headers.len);
    edge_buf_append(out, "\r\n", 2);
}
