/* response.c - building responses: headers, owned/shared bodies, JSON and
 * the product's one error shape {"error": code, "message": text}. */
#include "http/response.h"

#include "common/json_text.h"
#include "http/deferred.h"
#include "http/stream.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void edge_response_init(edge_response *res)
{
    memset(res, 0, sizeof(*res));
}

static int has_crlf(const char *s)
{
    return strpbrk(s, "\r\n") != NULL;
}

void edge_response_add_header(edge_response *res, const char *name, const char *value)
{
    if (has_crlf(name) || has_crlf(value)) {
        fprintf(stderr, "c2c-edge: dropped response header %s with CR/LF in it\n", name);
        return;
    }
    /* appends, not printf: every response passes here, some several times */
    edge_buf_append_str(&res->headers, name);
    edge_buf_append(&res->headers, ": ", 2);
    edge_buf_append_str(&res->headers, value);
    edge_buf_append(&res->headers, "\r\n", 2);
}

void edge_response_add_headerf(edge_response *res, const char *name, const char *fmt, ...)
{
    edge_buf value = EDGE_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    edge_buf_vappendf(&value, fmt, ap);
    va_end(ap);
    edge_response_add_header(res, name, value.data ? value.data : "");
    edge_buf_free(&value);
}

void edge_response_add_raw_headers(edge_response *res, const char *lines, size_t len)
{
    edge_buf_append(&res->headers, lines, len);
}

/* Drop whatever body was set before, so the last setter wins. */
static void clear_body(edge_response *res)
{
    edge_buf_reset(&res->body);
    if (res->release) {
        edge_release_fn release = res->release;
        res->release = NULL;
        release(res->release_opaque);
    }
    res->shared = NULL;
    res->shared_len = 0;
}

void edge_response_free(edge_response *res)
{
    edge_deferred *d = res->deferred;
    if (d != NULL) { /* a driver without a transport (tests, fuzzers) */
        res->deferred = NULL;
        if (d->completed)
            edge__deferred_free(d);
        else
            edge__deferred_cancel(d);
    }
    clear_body(res);
    edge_buf_free(&res->headers);
    edge_buf_free(&res->body);
}

void edge_response_set_body(edge_response *res, int status, const char *content_type,
                            const void *data, size_t len)
{
    clear_body(res);
    res->status = status;
    if (content_type)
        edge_response_add_header(res, "Content-Type", content_type);
    edge_buf_append(&res->body, data, len);
}

void edge_response_set_shared_body(edge_response *res, int status, const void *data, size_t len,
                                   edge_release_fn release, void *opaque)
{
    clear_body(res);
    res->status = status;
    res->shared = data;
    res->shared_len = len;
    res->release = release;
    res->release_opaque = opaque;
}

void edge_response_json(edge_response *res, int status, const cJSON *json)
{
    char *text = edge_json_print(json);
    edge_response_set_body(res, status, "application/json", text, strlen(text));
    free(text);
}

void edge_response_api_json(edge_response *res, int status, cJSON *json)
{
    edge_response_json(res, status, json);
    edge_response_add_header(res, "Cache-Control", "no-store");
    cJSON_Delete(json);
}

void edge_response_error(edge_response *res, int status, const char *code, const char *message)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "error", code);
    cJSON_AddStringToObject(obj, "message", message);
    edge_response_json(res, status, obj);
    cJSON_Delete(obj);
    edge_response_add_header(res, "Cache-Control", "no-store");
}

size_t edge_response_body_len(const edge_response *res)
{
    return res->shared ? res->shared_len : res->body.len;
}

const char *edge_response_body_ptr(const edge_response *res)
{
    return res->shared ? res->shared : res->body.data;
}

const char *edge_status_text(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 308: return "Permanent Redirect";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    case 507:
        return "Insufficient Storage";
    default: return "Unknown";
    }
}

void edge_response_start_stream(edge_response *res, int status, const char *content_type,
                                edge_stream_open_fn on_open, edge_stream_close_fn on_close,
                                void *opaque, size_t max_queued)
{
    clear_body(res);
    res->status = status;
    res->stream = 1;
    res->stream_open = on_open;
    res->stream_close = on_close;
    res->stream_opaque = opaque;
    res->stream_max_queued = max_queued;
    edge_response_add_header(res, "Content-Type", content_type);
    edge_response_add_header(res, "Cache-Control", "no-store");
}
