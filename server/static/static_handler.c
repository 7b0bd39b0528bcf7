/* static_handler.c - GET/HEAD of files under the configured roots.
 *
 * The handler only decides; every expensive or risky step lives in its own
 * file: path.c proves the path harmless, root.c keeps symlinks inside the
 * root, file_cache.c owns bytes and headers, negotiate.c reads
 * Accept-Encoding and If-None-Match. A hit therefore costs a sanitize, a
 * hash lookup, one header append and a borrowed body.
 *
 * Decisions:
 * - A path ending in '/' (or the root) serves that directory's index.html.
 *   A directory named without the slash is redirected 301 to the slash form
 *   (query kept) when it has an index.html, so relative URLs inside that
 *   page resolve against the directory; otherwise the next root is tried.
 *   The Location is rebuilt from the sanitized path, never echoed raw, so
 *   "//evil.example/" cannot become an open redirect.
 * - Roots are tried in order; the first that has the file wins. A file that
 *   exists but is too large is 404 without trying later roots (an older copy
 *   further down would be more surprising than an error); an I/O error is
 *   500 with the JSON error shape.
 * - If-None-Match, when present, decides alone (RFC 9110 13.2.2); only
 *   without it is If-Modified-Since consulted. Both apply to GET and HEAD. */
#include "static/static_handler.h"

#include <limits.h>
#include <llhttp.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/mem.h"
#include "static/file_cache.h"
#include "static/http_date.h"
#include "static/negotiate.h"
#include "static/path.h"
#include "static/root.h"

#define INDEX_NAME "index.html"

struct edge_static {
    edge_static_root roots[EDGE_CONFIG_MAX_LIST]; /* in lookup order */
    size_t root_count;
    edge_file_cache *cache; /* owned */
};

edge_static *edge_static_create(const edge_config *cfg)
{
    edge_static *st = edge_xcalloc(1, sizeof(*st));
    for (size_t i = 0; i < cfg->static_roots.count && i < EDGE_CONFIG_MAX_LIST; i++)
        edge_static_root_init(&st->roots[st->root_count++], cfg->static_roots.items[i]);
    st->cache = edge_file_cache_create(cfg->static_recheck_ms, cfg->static_max_file_bytes);
    return st;
}

void edge_static_destroy(edge_static *st)
{
    if (st == NULL)
        return;
    edge_file_cache_destroy(st->cache);
    for (size_t i = 0; i < st->root_count; i++)
        edge_static_root_free(&st->roots[i]);
    free(st);
}

/* Should the client's copy be reused (304)? */
static int not_modified(const edge_request *req, const edge_file_entry *e,
                        const edge_file_variant *v)
{
    const edge_header *inm = edge_request_header(req, "If-None-Match");
    if (inm)
        return edge_etag_list_match(inm->value, inm->value_len, v->etag);
    const edge_header *ims = edge_request_header(req, "If-Modified-Since");
    int64_t since;
    if (ims && edge_http_date_parse(ims->value, ims->value_len, &since) == 0)
        return e->mtime_s <= since;
    return 0;
}

/* Answer from entry e, consuming the caller's reference to it. */
static void serve_entry(const edge_request *req, edge_response *res, edge_file_entry *e)
{
    const edge_header *ae = edge_request_header(req, "Accept-Encoding");
    edge_encoding enc =
        edge_accept_encoding_pick(ae ? ae->value : NULL, ae ? ae->value_len : 0, e->available);
    const edge_file_variant *v = &e->v[enc];
    if (not_modified(req, e, v)) {
        res->status = 304;
        edge_response_add_raw_headers(res, v->head304, v->head304_len);
        edge_file_entry_unref(e);
        return;
    }
    edge_response_add_raw_headers(res, v->head, v->head_len);
    /* The response now owns our reference and drops it after sending. */
    edge_response_set_shared_body(res, 200, v->data, v->len, edge_file_entry_unref, e);
}

/* Characters kept as-is in a Location path: unreserved, sub-delims, ':',
 * '@' and '/'. Everything else (including non-ASCII) is percent-encoded. */
static int location_safe(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && strchr("-._~!$&'()*+,;=:@/", c) != NULL);
}

/* 301 to "/<rel>/" plus the original query. */
static void redirect_to_dir(const edge_request *req, edge_response *res, const char *rel)
{
    static const char hex[] = "0123456789ABCDEF";
    edge_buf loc = EDGE_BUF_INIT;
    edge_buf_append_str(&loc, "/");
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
        if (location_safe(*p)) {
            edge_buf_append(&loc, p, 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            edge_buf_append(&loc, esc, 3);
        }
    }
    edge_buf_append_str(&loc, "/");
    if (req->query) {
        edge_buf_append_str(&loc, "?");
        edge_buf_append(&loc, req->query, req->query_len);
    }
    res->status = 301;
    edge_response_add_header(res, "Location", loc.data);
    edge_buf_free(&loc);
}

/* Does directory rel (no trailing '/') under root have an index.html? */
static int dir_has_index(edge_static *st, edge_static_root *root, const char *rel, uint64_t now_ms)
{
    char path[PATH_MAX];
    edge_file_entry *e;
    size_t n = strlen(rel);
    if (n + sizeof("/" INDEX_NAME) > sizeof(path))
        return 0;
    memcpy(path, rel, n);
    memcpy(path + n, "/" INDEX_NAME, sizeof("/" INDEX_NAME));
    if (edge_file_cache_get(st->cache, root, path, now_ms, &e) != EDGE_FILE_OK)
        return 0;
    edge_file_entry_unref(e);
    return 1;
}

static void not_found(edge_response *res)
{
    edge_response_error(res, 404, "not_found", "no such file");
}

/* Sanitize req->path into rel (PATH_MAX bytes), naming the index file for
 * directory forms. Returns 1 when rel is ready, 0 when res is answered. */
static int resolve_rel(const edge_request *req, edge_response *res, char *rel, int *dir_form)
{
    int n = edge_path_sanitize(req->path, req->path_len, rel, PATH_MAX - sizeof(INDEX_NAME));
    if (n == EDGE_PATH_EBAD) {
        edge_response_error(res, 400, "bad_path", "the request path is not allowed");
        return 0;
    }
    if (n < 0) {
        not_found(res);
        return 0;
    }
    *dir_form = n == 0 || rel[n - 1] == '/';
    if (*dir_form)
        memcpy(rel + n, INDEX_NAME, sizeof(INDEX_NAME));
    return 1;
}

void edge_static_handle(edge_static *st, const edge_request *req, edge_response *res,
                        uint64_t now_ms)
{
    res->route = "static";
    if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
        edge_response_add_header(res, "Allow", "GET, HEAD");
        edge_response_error(res, 405, "method_not_allowed", "only GET and HEAD are allowed");
        return;
    }
    char rel[PATH_MAX];
    int dir_form = 0;
    if (!resolve_rel(req, res, rel, &dir_form))
        return;
    for (size_t i = 0; i < st->root_count; i++) {
        edge_file_entry *e = NULL;
        switch (edge_file_cache_get(st->cache, &st->roots[i], rel, now_ms, &e)) {
        case EDGE_FILE_OK:
            serve_entry(req, res, e);
            return;
        case EDGE_FILE_DIR:
            if (!dir_form && dir_has_index(st, &st->roots[i], rel, now_ms)) {
                redirect_to_dir(req, res, rel);
                return;
            }
            break;
        case EDGE_FILE_MISSING:
            break;
        case EDGE_FILE_TOO_LARGE:
            not_found(res);
            return;
        case EDGE_FILE_ERROR:
            edge_response_error(res, 500, "internal", "the file could not be read");
            return;
        }
    }
    not_found(res);
}
