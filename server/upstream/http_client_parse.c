/* http_client_parse.c - an upstream's HTTP/1.x response, parsed by llhttp.
 *
 * llhttp runs in response mode and hands out slices; header names and
 * values are copied into one head buffer as "name\0value\0" pairs and the
 * decoded body (Content-Length, chunked, or read to EOF) into a body
 * buffer. Limits are checked as bytes arrive: a declared Content-Length
 * over max_body_bytes fails before any body byte is read. Interim 1xx
 * responses are skipped. The parser pauses after a complete response so the
 * caller can tell whether bytes followed it. */
#include "upstream/http_client_internal.h"

#include <string.h>

static edge__upstream_parser *from(llhttp_t *p)
{
    return (edge__upstream_parser *)p->data;
}

static int fail(edge__upstream_parser *p, int error)
{
    p->error = error;
    return -1;
}

static int append_head(edge__upstream_parser *p, const char *at, size_t len)
{
    if (p->head.len + len + 1 > p->max_header_bytes)
        return fail(p, EDGE_UPSTREAM_ETOOLARGE);
    edge_buf_append(&p->head, at, len);
    return 0;
}

/* End the current value, without the blanks llhttp leaves at its end. */
static int end_value(edge__upstream_parser *p)
{
    if (p->field_state == 2) {
        while (p->head.len > p->value_off &&
               (p->head.data[p->head.len - 1] == ' ' || p->head.data[p->head.len - 1] == '\t'))
            p->head.len--;
        if (append_head(p, "", 1) < 0)
            return -1;
        p->header_count++;
    }
    return 0;
}

static int on_message_begin(llhttp_t *lp)
{
    from(lp)->got_bytes = 1;
    return 0;
}

static int on_header_field(llhttp_t *lp, const char *at, size_t len)
{
    edge__upstream_parser *p = from(lp);
    if (p->in_body)
        return 0; /* trailers: ignored */
    if (p->field_state != 1) {
        if (end_value(p) < 0)
            return -1;
        if (p->header_count == EDGE__UPSTREAM_MAX_HEADERS)
            return fail(p, EDGE_UPSTREAM_ETOOLARGE);
        p->field_state = 1;
    }
    return append_head(p, at, len);
}

static int on_header_value(llhttp_t *lp, const char *at, size_t len)
{
    edge__upstream_parser *p = from(lp);
    if (p->in_body)
        return 0;
    if (p->field_state == 1) {
        if (append_head(p, "", 1) < 0) /* end the name */
            return -1;
        p->field_state = 2;
        p->value_off = p->head.len;
    }
    return append_head(p, at, len);
}

static int on_headers_complete(llhttp_t *lp)
{
    edge__upstream_parser *p = from(lp);
    if (p->field_state == 1) { /* a name without a value */
        if (append_head(p, "", 1) < 0)
            return -1;
        p->field_state = 2;
        p->value_off = p->head.len;
    }
    if (end_value(p) < 0)
        return -1;
    p->field_state = 0;
    if (lp->http_major != 1)
        return fail(p, EDGE_UPSTREAM_EBADRESP);
    p->status = lp->status_code;
    if ((lp->flags & F_CONTENT_LENGTH) && lp->content_length > p->max_body_bytes)
        return fail(p, EDGE_UPSTREAM_ETOOLARGE);
    p->in_body = 1;
    if (lp->method == HTTP_HEAD)
        return 1; /* a HEAD response has no body, whatever it declares */
    return 0;
}

static int on_body(llhttp_t *lp, const char *at, size_t len)
{
    edge__upstream_parser *p = from(lp);
    if (p->body.len + len > p->max_body_bytes)
        return fail(p, EDGE_UPSTREAM_ETOOLARGE);
    edge_buf_append(&p->body, at, len);
    return 0;
}

static int on_message_complete(llhttp_t *lp)
{
    edge__upstream_parser *p = from(lp);
    if (p->status >= 100 && p->status < 200 && p->status != 101) {
        /* An interim response (100 Continue, 103): wait for the real one. */
        edge_buf_reset(&p->head);
        edge_buf_reset(&p->body);
        p->header_count = 0;
        p->in_body = 0;
        p->status = 0;
        return 0;
    }
    if (p->status == 101)
        return fail(p, EDGE_UPSTREAM_EBADRESP); /* we never ask to switch */
    p->complete = 1;
    p->keep_alive = llhttp_should_keep_alive(lp);
    return HPE_PAUSED;
}

void edge__upstream_parser_init(edge__upstream_parser *p, size_t max_header, size_t max_body)
{
    memset(p, 0, sizeof(*p));
    p->max_header_bytes = max_header;
    p->max_body_bytes = max_body;
    llhttp_settings_init(&p->settings);
    p->settings.on_message_begin = on_message_begin;
    p->settings.on_header_field = on_header_field;
    p->settings.on_header_value = on_header_value;
    p->settings.on_headers_complete = on_headers_complete;
    p->settings.on_body = on_body;
    p->settings.on_message_complete = on_message_complete;
    llhttp_init(&p->p, HTTP_RESPONSE, &p->settings);
    p->p.data = p;
}

void edge__upstream_parser_reset(edge__upstream_parser *p, int head_method)
{
    edge_buf_free(&p->head);
    edge_buf_free(&p->body);
    p->header_count = 0;
    p->field_state = 0;
    p->in_body = 0;
    p->status = 0;
    p->error = 0;
    p->got_bytes = 0;
    p->complete = 0;
    p->keep_alive = 0;
    llhttp_init(&p->p, HTTP_RESPONSE, &p->settings);
    p->p.data = p;
    /* llhttp reads the request method in response mode to know that a
     * HEAD response has no body. */
    p->p.method = head_method ? HTTP_HEAD : HTTP_GET;
}

void edge__upstream_parser_free(edge__upstream_parser *p)
{
    edge_buf_free(&p->head);
    edge_buf_free(&p->body);
}

int edge__upstream_parser_feed(edge__upstream_parser *p, const char *data, size_t len,
                               size_t *consumed)
{
    if (len)
        p->got_bytes = 1;
    llhttp_errno_t err = llhttp_execute(&p->p, data, len);
    if (err == HPE_OK) {
        *consumed = len;
        return 0;
    }
    if (err == HPE_PAUSED && p->complete) {
        const char *pos = llhttp_get_error_pos(&p->p);
        *consumed = pos ? (size_t)(pos - data) : len;
        return 1;
    }
    return p->error ? p->error : EDGE_UPSTREAM_EBADRESP;
}

int edge__upstream_parser_eof(edge__upstream_parser *p)
{
    if (p->complete)
        return 1;
    if (!p->got_bytes)
        return EDGE_UPSTREAM_ECLOSED;
    llhttp_errno_t err = llhttp_finish(&p->p);
    if ((err == HPE_OK || err == HPE_PAUSED) && p->complete) {
        p->keep_alive = 0;
        return 1;
    }
    if (p->error)
        return p->error;
    return EDGE_UPSTREAM_ECLOSED;
}
