/* test_static_mime.c - the extension table and the Cache-Control rule. */
#include <string.h>

#include "static/cache_policy.h"
#include "static/mime.h"
#include "unit.h"

static void test_required_types(void)
{
    CHECK_STR_EQ(edge_mime_lookup("index.html")->type, "text/html; charset=utf-8");
    CHECK_STR_EQ(edge_mime_lookup("c2c.js")->type, "text/javascript; charset=utf-8");
    CHECK_STR_EQ(edge_mime_lookup("mod.mjs")->type, "text/javascript; charset=utf-8");
    CHECK_STR_EQ(edge_mime_lookup("site.css")->type, "text/css; charset=utf-8");
    CHECK_STR_EQ(edge_mime_lookup("c2c.3f9a1b2c.wasm")->type, "application/wasm");
    CHECK_STR_EQ(edge_mime_lookup("logo.svg")->type, "image/svg+xml");
    CHECK_STR_EQ(edge_mime_lookup("config.json")->type, "application/json");
    CHECK_STR_EQ(edge_mime_lookup("logo.png")->type, "image/png");
    CHECK_STR_EQ(edge_mime_lookup("favicon.ico")->type, "image/x-icon");
    CHECK_STR_EQ(edge_mime_lookup("robots.txt")->type, "text/plain; charset=utf-8");
    CHECK_STR_EQ(edge_mime_lookup("c2c.js.map")->type, "application/json");
    CHECK_STR_EQ(edge_mime_lookup("font.woff2")->type, "font/woff2");
    CHECK_STR_EQ(edge_mime_lookup("photo.jpg")->type, "image/jpeg");
    CHECK_STR_EQ(edge_mime_lookup("photo.jpeg")->type, "image/jpeg");
    CHECK_STR_EQ(edge_mime_lookup("photo.webp")->type, "image/webp");
}

static void test_case_paths_and_default(void)
{
    CHECK_STR_EQ(edge_mime_lookup("INDEX.HTML")->type, "text/html; charset=utf-8");
    CHECK_STR_EQ(edge_mime_lookup("a/b.c/app.Js")->type, "text/javascript; charset=utf-8");
    CHECK_STR_EQ(edge_mime_lookup("dir.html/README")->type, "application/octet-stream");
    CHECK_STR_EQ(edge_mime_lookup("noext")->type, "application/octet-stream");
    CHECK_STR_EQ(edge_mime_lookup("trailing.")->type, "application/octet-stream");
    CHECK_STR_EQ(edge_mime_lookup("x.exe")->type, "application/octet-stream");
    CHECK_STR_EQ(edge_mime_lookup("")->type, "application/octet-stream");
    CHECK_STR_EQ(edge_mime_lookup("c2c.js.gz")->type, "application/gzip");
}

static void test_compressible(void)
{
    static const char *const yes[] = {"a.html", "a.js",   "a.mjs", "a.css", "a.wasm",
                                      "a.svg",  "a.json", "a.map", "a.txt", "a.ico"};
    static const char *const no[] = {"a.png", "a.jpg", "a.webp", "a.woff2",
                                     "a.gz",  "a.br",  "a.bin",  "a"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        CHECK(edge_mime_lookup(yes[i])->compressible);
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        CHECK(!edge_mime_lookup(no[i])->compressible);
}

static void test_hashed_names(void)
{
    CHECK(edge_cache_name_is_hashed("c2c.3f9a1b2c.wasm"));
    CHECK(edge_cache_name_is_hashed("app.3f9a1b2c.js"));
    CHECK(edge_cache_name_is_hashed("dist/assets/app-0123abcd.js"));
    CHECK(edge_cache_name_is_hashed("chunk_DEADBEEF0.css"));
    CHECK(edge_cache_name_is_hashed("3f9a1b2c.js"));
    CHECK(edge_cache_name_is_hashed("vendor.3f9a1b2c4d5e6f70.min.js"));
    CHECK(!edge_cache_name_is_hashed("c2c.js"));
    CHECK(!edge_cache_name_is_hashed("index.html"));
    CHECK(!edge_cache_name_is_hashed("app.3f9a1b2.js"));  /* 7 hex: too short */
    CHECK(!edge_cache_name_is_hashed("app.deadbeef.js")); /* no decimal digit */
    CHECK(!edge_cache_name_is_hashed("app.3f9a1b2g.js")); /* not hex */
    CHECK(!edge_cache_name_is_hashed("app.js.3f9a1b2c")); /* only in the extension */
    CHECK(!edge_cache_name_is_hashed("3f9a1b2c/app.js")); /* only in a directory */
    CHECK(!edge_cache_name_is_hashed("app3f9a1b2c.js"));  /* not delimited */
}

static void test_cache_control(void)
{
    const char *js = "text/javascript; charset=utf-8";
    CHECK_STR_EQ(edge_cache_control_for("c2c.3f9a1b2c.wasm", "application/wasm"),
                 "public, max-age=31536000, immutable");
    CHECK_STR_EQ(edge_cache_control_for("app.3f9a1b2c.js", js), EDGE_CACHE_IMMUTABLE);
    CHECK_STR_EQ(edge_cache_control_for("c2c.js", js), "no-cache");
    CHECK_STR_EQ(edge_cache_control_for("index.html", "text/html; charset=utf-8"), "no-cache");
    CHECK_STR_EQ(edge_cache_control_for("page.3f9a1b2c.html", "text/html; charset=utf-8"),
                 "no-cache");
    CHECK_STR_EQ(edge_cache_control_for("logo.png", "image/png"), "no-cache");
}

int main(void)
{
    UNIT_RUN(test_required_types);
    UNIT_RUN(test_case_paths_and_default);
    UNIT_RUN(test_compressible);
    UNIT_RUN(test_hashed_names);
    UNIT_RUN(test_cache_control);
    return UNIT_DONE();
}
