/* test_static_handler.c - edge_static_handle serving files, without
 * sockets: headers, encodings, conditional requests, methods, hostile paths,
 * symlinks, directories and root order. Refresh and lifetime are in
 * test_static_refresh.c; the fixture is static_fixture.h. */
#define _GNU_SOURCE /* nftw, mkdtemp, utimensat (in the fixture) */
#include "static_fixture.h"

static void test_index_and_headers(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response res;
    char v[256];
    get(&fx, &res, NOW, "/", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK_STR_EQ(res.route, "static");
    CHECK(body_is(&res, index_html, strlen(index_html)));
    CHECK_STR_EQ(hdr(&res, "Content-Type", v, sizeof(v)), "text/html; charset=utf-8");
    CHECK_STR_EQ(hdr(&res, "Cache-Control", v, sizeof(v)), "no-cache");
    CHECK_STR_EQ(hdr(&res, "Last-Modified", v, sizeof(v)), "Tue, 14 Nov 2023 22:13:20 GMT");
    CHECK_STR_EQ(hdr(&res, "Vary", v, sizeof(v)), "Accept-Encoding");
    CHECK(!has_hdr(&res, "Content-Encoding"));
    CHECK(hdr(&res, "ETag", v, sizeof(v)) != NULL);
    CHECK_INT_EQ(strlen(v), 34); /* quoted 32 hex digits */
    CHECK(v[0] == '"' && v[33] == '"' && strspn(v + 1, "0123456789abcdef") == 32);
    edge_response_free(&res);

    get(&fx, &res, NOW, "/index.html?utm=1", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK(body_is(&res, index_html, strlen(index_html)));
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_cache_control_rules(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response res;
    char v[256];
    get(&fx, &res, NOW, "/app.3f9a1b2c.js", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK_STR_EQ(hdr(&res, "Cache-Control", v, sizeof(v)), "public, max-age=31536000, immutable");
    CHECK_STR_EQ(hdr(&res, "Content-Type", v, sizeof(v)), "text/javascript; charset=utf-8");
    edge_response_free(&res);
    get(&fx, &res, NOW, "/c2c.js", NULL, NULL, NULL, NULL);
    CHECK_STR_EQ(hdr(&res, "Cache-Control", v, sizeof(v)), "no-cache");
    edge_response_free(&res);
    get(&fx, &res, NOW, "/logo.png", NULL, NULL, NULL, NULL);
    CHECK_STR_EQ(hdr(&res, "Content-Type", v, sizeof(v)), "image/png");
    CHECK_STR_EQ(hdr(&res, "Cache-Control", v, sizeof(v)), "no-cache");
    CHECK(!has_hdr(&res, "Vary")); /* never compressed, never varies */
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_encoding_negotiation(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response res;
    char v[256], tag_id[64], tag_br[64], tag_gz[64];
    const char *ae = "Accept-Encoding";

    get(&fx, &res, NOW, "/c2c.js", NULL, NULL, NULL, NULL);
    CHECK(body_is(&res, loader_js, sizeof(loader_js) - 1));
    CHECK(!has_hdr(&res, "Content-Encoding"));
    CHECK_STR_EQ(hdr(&res, "Vary", v, sizeof(v)), "Accept-Encoding");
    hdr(&res, "ETag", tag_id, sizeof(tag_id));
    edge_response_free(&res);

    get(&fx, &res, NOW, "/c2c.js", ae, "gzip, deflate, br", NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK(body_is(&res, loader_br, sizeof(loader_br) - 1));
    CHECK_STR_EQ(hdr(&res, "Content-Encoding", v, sizeof(v)), "br");
    CHECK_STR_EQ(hdr(&res, "Content-Type", v, sizeof(v)), "text/javascript; charset=utf-8");
    CHECK_STR_EQ(hdr(&res, "Vary", v, sizeof(v)), "Accept-Encoding");
    hdr(&res, "ETag", tag_br, sizeof(tag_br));
    CHECK(strlen(tag_br) == 37 && strcmp(tag_br + 33, "-br\"") == 0);
    edge_response_free(&res);

    get(&fx, &res, NOW, "/c2c.js", ae, "gzip", NULL, NULL);
    CHECK(body_is(&res, loader_gz, sizeof(loader_gz) - 1));
    CHECK_STR_EQ(hdr(&res, "Content-Encoding", v, sizeof(v)), "gzip");
    hdr(&res, "ETag", tag_gz, sizeof(tag_gz));
    CHECK(strlen(tag_gz) == 37 && strcmp(tag_gz + 33, "-gz\"") == 0);
    edge_response_free(&res);

    get(&fx, &res, NOW, "/c2c.js", ae, "br;q=0, gzip", NULL, NULL);
    CHECK(body_is(&res, loader_gz, sizeof(loader_gz) - 1));
    edge_response_free(&res);
    get(&fx, &res, NOW, "/c2c.js", ae, "br;q=0, gzip;q=0", NULL, NULL);
    CHECK(body_is(&res, loader_js, sizeof(loader_js) - 1));
    CHECK(!has_hdr(&res, "Content-Encoding"));
    edge_response_free(&res);
    get(&fx, &res, NOW, "/c2c.js", ae, "br;q=0.5, gzip;q=0.9", NULL, NULL);
    CHECK(body_is(&res, loader_gz, sizeof(loader_gz) - 1));
    edge_response_free(&res);

    CHECK(strcmp(tag_id, tag_br) != 0 && strcmp(tag_id, tag_gz) != 0);
    CHECK(strcmp(tag_br, tag_gz) != 0);

    /* A stale sibling (older than its file) is never served. */
    get(&fx, &res, NOW, "/stale.css", ae, "gzip", NULL, NULL);
    CHECK(body_is(&res, "body{color:red}\n", 16));
    CHECK(!has_hdr(&res, "Content-Encoding"));
    edge_response_free(&res);
    /* No siblings for an incompressible type, whatever the client says. */
    get(&fx, &res, NOW, "/logo.png", ae, "br, gzip", NULL, NULL);
    CHECK(!has_hdr(&res, "Content-Encoding"));
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_not_modified_by_etag(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response res;
    char v[256], tag[64], weak[80], list[160], tag_br[64];
    get(&fx, &res, NOW, "/c2c.js", NULL, NULL, NULL, NULL);
    hdr(&res, "ETag", tag, sizeof(tag));
    edge_response_free(&res);
    snprintf(weak, sizeof(weak), "W/%s", tag);
    snprintf(list, sizeof(list), "\"nope\", %s", tag);

    get(&fx, &res, NOW, "/c2c.js", "If-None-Match", tag, NULL, NULL);
    CHECK_INT_EQ(res.status, 304);
    CHECK_INT_EQ(edge_response_body_len(&res), 0);
    CHECK_STR_EQ(hdr(&res, "ETag", v, sizeof(v)), tag);
    CHECK_STR_EQ(hdr(&res, "Cache-Control", v, sizeof(v)), "no-cache");
    CHECK_STR_EQ(hdr(&res, "Vary", v, sizeof(v)), "Accept-Encoding");
    CHECK(!has_hdr(&res, "Content-Type"));
    CHECK_STR_EQ(res.route, "static");
    edge_response_free(&res);

    get(&fx, &res, NOW, "/c2c.js", "if-none-match", weak, NULL, NULL);
    CHECK_INT_EQ(res.status, 304);
    edge_response_free(&res);
    get(&fx, &res, NOW, "/c2c.js", "If-None-Match", list, NULL, NULL);
    CHECK_INT_EQ(res.status, 304);
    edge_response_free(&res);
    get(&fx, &res, NOW, "/c2c.js", "If-None-Match", "*", NULL, NULL);
    CHECK_INT_EQ(res.status, 304);
    edge_response_free(&res);
    get(&fx, &res, NOW, "/c2c.js", "If-None-Match", "\"0123\"", NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK(body_is(&res, loader_js, sizeof(loader_js) - 1));
    edge_response_free(&res);

    /* Tags are per encoding: the identity tag does not validate br. */
    get(&fx, &res, NOW, "/c2c.js", "If-None-Match", tag, "Accept-Encoding", "br");
    CHECK_INT_EQ(res.status, 200);
    hdr(&res, "ETag", tag_br, sizeof(tag_br));
    edge_response_free(&res);
    get(&fx, &res, NOW, "/c2c.js", "If-None-Match", tag_br, "Accept-Encoding", "br");
    CHECK_INT_EQ(res.status, 304);
    CHECK_STR_EQ(hdr(&res, "ETag", v, sizeof(v)), tag_br);
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_not_modified_by_date(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response res;
    char lm[64], earlier[EDGE_HTTP_DATE_LEN + 1];
    get(&fx, &res, NOW, "/index.html", NULL, NULL, NULL, NULL);
    hdr(&res, "Last-Modified", lm, sizeof(lm));
    edge_response_free(&res);
    edge_http_date_format(T0 - 1, earlier);

    get(&fx, &res, NOW, "/index.html", "If-Modified-Since", lm, NULL, NULL);
    CHECK_INT_EQ(res.status, 304);
    CHECK_INT_EQ(edge_response_body_len(&res), 0);
    CHECK(has_hdr(&res, "ETag"));
    edge_response_free(&res);
    get(&fx, &res, NOW, "/index.html", "If-Modified-Since", "Sunday, 01-Jan-34 00:00:00 GMT", NULL,
        NULL);
    CHECK_INT_EQ(res.status, 304);
    edge_response_free(&res);
    get(&fx, &res, NOW, "/index.html", "If-Modified-Since", earlier, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    edge_response_free(&res);
    get(&fx, &res, NOW, "/index.html", "If-Modified-Since", "not a date", NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    edge_response_free(&res);
    /* If-None-Match takes precedence: a mismatching tag wins over a date. */
    get(&fx, &res, NOW, "/index.html", "If-None-Match", "\"other\"", "If-Modified-Since", lm);
    CHECK_INT_EQ(res.status, 200);
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_head_matches_get(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response g, h;
    edge_request req;
    get(&fx, &g, NOW, "/c2c.js", "Accept-Encoding", "br", NULL, NULL);
    req_init(&req, HTTP_HEAD, "HEAD", "/c2c.js");
    req_header(&req, "Accept-Encoding", "br");
    edge_response_init(&h);
    edge_static_handle(fx.st, &req, &h, NOW);
    CHECK_INT_EQ(h.status, 200);
    CHECK_STR_EQ(h.headers.data, g.headers.data);
    /* Same length as GET; the connection drops HEAD bodies when sending. */
    CHECK_INT_EQ(edge_response_body_len(&h), edge_response_body_len(&g));
    edge_response_free(&g);
    edge_response_free(&h);
    fixture_teardown(&fx);
}

static void test_method_not_allowed(void)
{
    static const struct {
        int method;
        const char *name;
    } methods[] = {{HTTP_POST, "POST"},
                   {HTTP_PUT, "PUT"},
                   {HTTP_DELETE, "DELETE"},
                   {HTTP_OPTIONS, "OPTIONS"},
                   {HTTP_PATCH, "PATCH"}};
    fixture fx;
    fixture_setup(&fx);
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        edge_request req;
        edge_response res;
        char v[128];
        req_init(&req, methods[i].method, methods[i].name, "/index.html");
        edge_response_init(&res);
        edge_static_handle(fx.st, &req, &res, NOW);
        CHECK_INT_EQ(res.status, 405);
        CHECK_STR_EQ(hdr(&res, "Allow", v, sizeof(v)), "GET, HEAD");
        CHECK_STR_EQ(hdr(&res, "Content-Type", v, sizeof(v)), "application/json");
        CHECK(body_has(&res, "\"error\":\"method_not_allowed\""));
        CHECK_STR_EQ(res.route, "static");
        edge_response_free(&res);
    }
    fixture_teardown(&fx);
}

static void test_hostile_and_missing(void)
{
    static const char *const bad[] = {
        "/../outside/secret.txt",
        "/%2e%2e/outside/secret.txt",
        "/%2E%2e/etc/passwd",
        "/..%2foutside%2fsecret.txt",
        "/sub%2f..%2f..%2foutside",
        "/a\\..\\b",
        "/%5c..%5coutside",
        "/index.html%00.png",
        "/%c0%ae%c0%ae/outside/secret.txt",
        "/%e0%80%ae%e0%80%ae/x",
        "/%252e%252e/outside/secret.txt",
        "/%",
    };
    static const char *const missing[] = {
        "/.hidden", "/.git/config", "/%2ehidden",   "/nope.html",         "/sub/nope",
        "/empty",   "/empty/",      "/link.txt",    "/outdir/secret.txt", "/outdir/",
        "/big.bin", "/pipe.txt",    "/index.html/", "/c2c.js/x",
    };
    fixture fx;
    fixture_setup(&fx);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        edge_response res;
        get(&fx, &res, NOW, bad[i], NULL, NULL, NULL, NULL);
        if (res.status != 400)
            fprintf(stderr, "  %s -> %d\n", bad[i], res.status);
        CHECK_INT_EQ(res.status, 400);
        CHECK(body_has(&res, "\"error\":\"bad_path\""));
        CHECK(!body_has(&res, "SECRET"));
        edge_response_free(&res);
    }
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        edge_response res;
        char v[64];
        get(&fx, &res, NOW, missing[i], NULL, NULL, NULL, NULL);
        if (res.status != 404)
            fprintf(stderr, "  %s -> %d\n", missing[i], res.status);
        CHECK_INT_EQ(res.status, 404);
        CHECK(body_has(&res, "\"error\":\"not_found\""));
        CHECK_STR_EQ(hdr(&res, "Content-Type", v, sizeof(v)), "application/json");
        CHECK(!body_has(&res, "SECRET"));
        edge_response_free(&res);
    }
    fixture_teardown(&fx);
}

static void test_symlink_inside_root(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response a, b;
    char ta[64], tb[64];
    get(&fx, &a, NOW, "/inlink.html", NULL, NULL, NULL, NULL);
    get(&fx, &b, NOW, "/index.html", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(a.status, 200);
    CHECK(body_is(&a, index_html, strlen(index_html)));
    /* Content-hash ETags: same bytes, same tag, whatever the path. */
    CHECK_STR_EQ(hdr(&a, "ETag", ta, sizeof(ta)), hdr(&b, "ETag", tb, sizeof(tb)));
    edge_response_free(&a);
    edge_response_free(&b);
    fixture_teardown(&fx);
}

static void test_directories(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response res;
    char v[128];
    get(&fx, &res, NOW, "/sub/", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK(body_is(&res, "<p>sub</p>\n", 11));
    edge_response_free(&res);
    get(&fx, &res, NOW, "/sub/.", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    edge_response_free(&res);

    get(&fx, &res, NOW, "/sub", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 301);
    CHECK_STR_EQ(hdr(&res, "Location", v, sizeof(v)), "/sub/");
    CHECK_INT_EQ(edge_response_body_len(&res), 0);
    edge_response_free(&res);
    get(&fx, &res, NOW, "/sub?a=1&b=2", NULL, NULL, NULL, NULL);
    CHECK_STR_EQ(hdr(&res, "Location", v, sizeof(v)), "/sub/?a=1&b=2");
    edge_response_free(&res);
    /* Never an open redirect: the Location is rebuilt, not echoed. */
    get(&fx, &res, NOW, "//sub", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 301);
    CHECK_STR_EQ(hdr(&res, "Location", v, sizeof(v)), "/sub/");
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_roots_in_order(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response res;
    get(&fx, &res, NOW, "/only-web.txt", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK(body_is(&res, "from web\n", 9));
    edge_response_free(&res);
    get(&fx, &res, NOW, "/index.html", NULL, NULL, NULL, NULL);
    CHECK(body_is(&res, index_html, strlen(index_html)));
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_odd_files(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response res;
    get(&fx, &res, NOW, "/empty.txt", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK_INT_EQ(edge_response_body_len(&res), 0);
    CHECK(has_hdr(&res, "ETag"));
    edge_response_free(&res);
    get(&fx, &res, NOW, "/caf%C3%A9.html", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK(body_has(&res, "caf\xc3\xa9"));
    edge_response_free(&res);
    CHECK_INT_EQ(status_of(&fx, "/big.bin"), 404); /* twice: cached as too large */
    CHECK_INT_EQ(status_of(&fx, "/big.bin"), 404);
    fixture_teardown(&fx);
}

int main(void)
{
    UNIT_RUN(test_index_and_headers);
    UNIT_RUN(test_cache_control_rules);
    UNIT_RUN(test_encoding_negotiation);
    UNIT_RUN(test_not_modified_by_etag);
    UNIT_RUN(test_not_modified_by_date);
    UNIT_RUN(test_head_matches_get);
    UNIT_RUN(test_method_not_allowed);
    UNIT_RUN(test_hostile_and_missing);
    UNIT_RUN(test_symlink_inside_root);
    UNIT_RUN(test_directories);
    UNIT_RUN(test_roots_in_order);
    UNIT_RUN(test_odd_files);
    return UNIT_DONE();
}
