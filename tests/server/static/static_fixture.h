/* static_fixture.h - shared fixture for the static handler tests.
 *
 * Builds a fresh temp tree (two roots plus an "outside" directory that
 * symlinks try to reach), hand-fills edge_request structs and reads back the
 * edge_response: status, header text and body. Header-only with static
 * inline helpers so each test executable stays a single .c file. Time is
 * passed in explicitly, so the recheck interval is tested exactly. */
#ifndef C2C_TESTS_STATIC_FIXTURE_H
#define C2C_TESTS_STATIC_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <llhttp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/request.h"
#include "http/response.h"
#include "static/http_date.h"
#include "static/static_handler.h"
#include "unit.h"

#define T0 1700000000 /* file mtimes, seconds */
#define NOW 5000000   /* monotonic clock, ms */
#define RECHECK 1000
#define MAX_BYTES 4096

static const char index_html[] = "<!doctype html><h1>home</h1>\n";
static const char loader_js[] = "/* c2c loader */ console.log('c2c');\n";
static const char loader_br[] = "BR\x01\x02 pretend brotli";
static const char loader_gz[] = "\x1f\x8b pretend gzip";

typedef struct fixture {
    char dir[64];  /* the temp tree */
    char dist[96]; /* first root */
    char web[96];  /* second root */
    edge_config cfg;
    edge_static *st;
} fixture;

/* ---- file helpers ---- */

static inline void write_at(const fixture *fx, const char *rel, const void *data, size_t len,
                            int64_t mtime)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", fx->dir, rel);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
        abort();
    }
    if (len)
        fwrite(data, 1, len, f);
    fclose(f);
    struct timespec ts[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
    utimensat(AT_FDCWD, path, ts, 0);
}

/* Set rel's mtime (and atime) to sec plus nsec nanoseconds. */
static inline void set_mtime(const fixture *fx, const char *rel, int64_t sec, long nsec)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", fx->dir, rel);
    struct timespec ts[2] = {{(time_t)sec, nsec}, {(time_t)sec, nsec}};
    utimensat(AT_FDCWD, path, ts, 0);
}

static inline void write_text(const fixture *fx, const char *rel, const char *text, int64_t mtime)
{
    write_at(fx, rel, text, strlen(text), mtime);
}

static inline void make_dir(const fixture *fx, const char *rel)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", fx->dir, rel);
    mkdir(path, 0755);
}

static inline void make_link(const fixture *fx, const char *target, const char *rel)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", fx->dir, rel);
    if (symlink(target, path) != 0)
        abort();
}

static inline int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static inline void fixture_setup(fixture *fx)
{
    memset(fx, 0, sizeof(*fx));
    strcpy(fx->dir, "/tmp/c2c-static-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        abort();
    snprintf(fx->dist, sizeof(fx->dist), "%s/dist", fx->dir);
    snprintf(fx->web, sizeof(fx->web), "%s/web", fx->dir);
    make_dir(fx, "dist");
    make_dir(fx, "web");
    make_dir(fx, "outside");
    make_dir(fx, "dist/sub");
    make_dir(fx, "dist/empty");
    write_text(fx, "dist/index.html", index_html, T0);
    write_text(fx, "dist/app.3f9a1b2c.js", "export const app = 1;\n", T0);
    write_at(fx, "dist/c2c.js", loader_js, sizeof(loader_js) - 1, T0);
    write_at(fx, "dist/c2c.js.br", loader_br, sizeof(loader_br) - 1, T0);
    write_at(fx, "dist/c2c.js.gz", loader_gz, sizeof(loader_gz) - 1, T0 + 5);
    write_text(fx, "dist/sub/index.html", "<p>sub</p>\n", T0);
    write_text(fx, "dist/.hidden", "secret dotfile\n", T0);
    write_text(fx, "dist/stale.css", "body{color:red}\n", T0);
    write_text(fx, "dist/stale.css.gz", "old gzip of older css", T0 - 100);
    write_text(fx, "dist/logo.png", "\x89PNG fake", T0);
    write_text(fx, "dist/caf\xc3\xa9.html", "<p>caf\xc3\xa9</p>\n", T0);
    write_text(fx, "dist/empty.txt", "", T0);
    char big[MAX_BYTES + 1];
    memset(big, 'x', sizeof(big));
    write_at(fx, "dist/big.bin", big, sizeof(big), T0);
    write_text(fx, "outside/secret.txt", "TOP SECRET\n", T0);
    make_link(fx, "../outside/secret.txt", "dist/link.txt");
    make_link(fx, "../outside", "dist/outdir");
    make_link(fx, "index.html", "dist/inlink.html");
    char fifo[256];
    snprintf(fifo, sizeof(fifo), "%s/dist/pipe.txt", fx->dir);
    mkfifo(fifo, 0644);
    write_text(fx, "web/index.html", "<p>web index, shadowed</p>\n", T0);
    write_text(fx, "web/only-web.txt", "from web\n", T0);

    fx->cfg.static_roots.items[0] = fx->dist;
    fx->cfg.static_roots.items[1] = fx->web;
    fx->cfg.static_roots.count = 2;
    fx->cfg.static_recheck_ms = RECHECK;
    fx->cfg.static_max_file_bytes = MAX_BYTES;
    fx->st = edge_static_create(&fx->cfg);
}

static inline void fixture_teardown(fixture *fx)
{
    edge_static_destroy(fx->st);
    nftw(fx->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- request / response helpers ---- */

static inline void req_init(edge_request *req, int method, const char *method_name,
                            const char *target)
{
    memset(req, 0, sizeof(*req));
    req->method = method;
    req->method_name = method_name;
    req->target = target;
    req->target_len = strlen(target);
    const char *q = strchr(target, '?');
    req->path = target;
    req->path_len = q ? (size_t)(q - target) : strlen(target);
    if (q) {
        req->query = q + 1;
        req->query_len = strlen(q + 1);
    }
    req->version_major = req->version_minor = 1;
}

static inline void req_header(edge_request *req, const char *name, const char *value)
{
    edge_header *h = &req->headers[req->header_count++];
    h->name = name;
    h->name_len = strlen(name);
    h->value = value;
    h->value_len = strlen(value);
}

/* GET target with up to two headers (name, value pairs; NULL to stop). */
static inline void get(fixture *fx, edge_response *res, uint64_t now, const char *target,
                       const char *h1, const char *v1, const char *h2, const char *v2)
{
    edge_request req;
    req_init(&req, HTTP_GET, "GET", target);
    if (h1)
        req_header(&req, h1, v1);
    if (h2)
        req_header(&req, h2, v2);
    edge_response_init(res);
    edge_static_handle(fx->st, &req, res, now);
}

/* Copy the value of header name from res into out; NULL when absent. */
static inline const char *hdr(const edge_response *res, const char *name, char *out, size_t cap)
{
    const char *p = res->headers.data;
    size_t nlen = strlen(name);
    while (p && *p) {
        const char *eol = strstr(p, "\r\n");
        if (eol == NULL)
            break;
        if ((size_t)(eol - p) > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
            const char *v = p + nlen + 1;
            while (*v == ' ')
                v++;
            size_t n = (size_t)(eol - v) < cap - 1 ? (size_t)(eol - v) : cap - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return out;
        }
        p = eol + 2;
    }
    return NULL;
}

static inline int has_hdr(const edge_response *res, const char *name)
{
    char tmp[256];
    return hdr(res, name, tmp, sizeof(tmp)) != NULL;
}

static inline int body_is(const edge_response *res, const void *data, size_t len)
{
    return edge_response_body_len(res) == len &&
           (len == 0 || memcmp(edge_response_body_ptr(res), data, len) == 0);
}

static inline int body_has(const edge_response *res, const char *text)
{
    size_t n = edge_response_body_len(res);
    const char *b = edge_response_body_ptr(res);
    size_t tl = strlen(text);
    for (size_t i = 0; b && i + tl <= n; i++) {
        if (memcmp(b + i, text, tl) == 0)
            return 1;
    }
    return 0;
}

/* Status of GET target without extra headers; also checks route. */
static inline int status_of(fixture *fx, const char *target)
{
    edge_response res;
    get(fx, &res, NOW, target, NULL, NULL, NULL, NULL);
    int s = res.status;
    CHECK_STR_EQ(res.route, "static");
    edge_response_free(&res);
    return s;
}

#endif
