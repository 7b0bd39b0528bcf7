/* test_static_refresh.c - the static cache over time, without sockets:
 * reloading changed files after the recheck interval, borrowed bodies
 * surviving reloads and cache destruction, deletions, retargeted symlinks
 * and a root that appears after startup. */
#define _GNU_SOURCE /* nftw, mkdtemp, utimensat (in the fixture) */
#include "static_fixture.h"

static void test_refresh_and_borrowed_body(void)
{
    fixture fx;
    fixture_setup(&fx);
    static const char v2[] = "/* c2c loader v2, longer than before */ console.log('v2');\n";
    edge_response old, res;
    char tag1[64], tag2[64];
    get(&fx, &old, NOW, "/c2c.js", NULL, NULL, NULL, NULL);
    hdr(&old, "ETag", tag1, sizeof(tag1));
    const char *old_bytes = edge_response_body_ptr(&old);

    write_at(&fx, "dist/c2c.js", v2, sizeof(v2) - 1, T0 + 60);
    /* Inside the recheck interval the cached copy is still trusted. */
    get(&fx, &res, NOW + RECHECK - 1, "/c2c.js", NULL, NULL, NULL, NULL);
    CHECK(body_is(&res, loader_js, sizeof(loader_js) - 1));
    edge_response_free(&res);

    get(&fx, &res, NOW + RECHECK, "/c2c.js", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    CHECK(body_is(&res, v2, sizeof(v2) - 1));
    hdr(&res, "ETag", tag2, sizeof(tag2));
    CHECK(strcmp(tag1, tag2) != 0);
    edge_response_free(&res);

    /* The response borrowed before the reload still holds the old bytes. */
    CHECK(edge_response_body_ptr(&old) == old_bytes);
    CHECK(body_is(&old, loader_js, sizeof(loader_js) - 1));
    edge_response_free(&old);

    /* The old tag no longer validates; the new one does. */
    get(&fx, &res, NOW + RECHECK, "/c2c.js", "If-None-Match", tag1, NULL, NULL);
    CHECK_INT_EQ(res.status, 200);
    edge_response_free(&res);
    get(&fx, &res, NOW + RECHECK, "/c2c.js", "If-None-Match", tag2, NULL, NULL);
    CHECK_INT_EQ(res.status, 304);
    edge_response_free(&res);

    /* The siblings are now older than the file: identity even for br. */
    get(&fx, &res, NOW + RECHECK, "/c2c.js", "Accept-Encoding", "br, gzip", NULL, NULL);
    CHECK(body_is(&res, v2, sizeof(v2) - 1));
    CHECK(!has_hdr(&res, "Content-Encoding"));
    edge_response_free(&res);
    /* A fresh .br appears: picked up at the next recheck. */
    write_at(&fx, "dist/c2c.js.br", "BR v2", 5, T0 + 61);
    get(&fx, &res, NOW + 2 * RECHECK, "/c2c.js", "Accept-Encoding", "br, gzip", NULL, NULL);
    CHECK(body_is(&res, "BR v2", 5));
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_unchanged_file_keeps_tag(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response a, b;
    char ta[64], tb[64];
    get(&fx, &a, NOW, "/index.html", NULL, NULL, NULL, NULL);
    get(&fx, &b, NOW + 10 * RECHECK, "/index.html", NULL, NULL, NULL, NULL);
    CHECK_STR_EQ(hdr(&a, "ETag", ta, sizeof(ta)), hdr(&b, "ETag", tb, sizeof(tb)));
    /* Not reloaded: both responses borrow the very same bytes. */
    CHECK(edge_response_body_ptr(&a) == edge_response_body_ptr(&b));
    edge_response_free(&a);
    edge_response_free(&b);
    fixture_teardown(&fx);
}

static void test_deleted_file(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response held;
    char path[256];
    get(&fx, &held, NOW, "/app.3f9a1b2c.js", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(held.status, 200);
    snprintf(path, sizeof(path), "%s/app.3f9a1b2c.js", fx.dist);
    unlink(path);
    CHECK_INT_EQ(status_of(&fx, "/app.3f9a1b2c.js"), 200); /* still trusted until the recheck */
    edge_response res;
    get(&fx, &res, NOW + RECHECK, "/app.3f9a1b2c.js", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 404);
    edge_response_free(&res);
    CHECK(body_is(&held, "export const app = 1;\n", 22));
    edge_response_free(&held);
    fixture_teardown(&fx);
}

static void test_symlink_retargeted_outside(void)
{
    fixture fx;
    fixture_setup(&fx);
    char path[256];
    make_link(&fx, "index.html", "dist/flip.html");
    CHECK_INT_EQ(status_of(&fx, "/flip.html"), 200);
    snprintf(path, sizeof(path), "%s/flip.html", fx.dist);
    unlink(path);
    make_link(&fx, "../outside/secret.txt", "dist/flip.html");
    edge_response res;
    get(&fx, &res, NOW + RECHECK, "/flip.html", NULL, NULL, NULL, NULL);
    CHECK_INT_EQ(res.status, 404);
    CHECK(!body_has(&res, "SECRET"));
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_destroy_while_borrowed(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_response res;
    get(&fx, &res, NOW, "/c2c.js", "Accept-Encoding", "gzip", NULL, NULL);
    edge_static_destroy(fx.st);
    fx.st = NULL;
    /* The entry outlives the cache until the response lets go. */
    CHECK(body_is(&res, loader_gz, sizeof(loader_gz) - 1));
    edge_response_free(&res);
    fixture_teardown(&fx);
}

static void test_missing_root(void)
{
    fixture fx;
    fixture_setup(&fx);
    char gone[128];
    snprintf(gone, sizeof(gone), "%s/not-built-yet", fx.dir);
    edge_static_destroy(fx.st);
    fx.cfg.static_roots.items[0] = gone; /* first root does not exist (yet) */
    fx.st = edge_static_create(&fx.cfg);
    CHECK_INT_EQ(status_of(&fx, "/only-web.txt"), 200);
    CHECK_INT_EQ(status_of(&fx, "/c2c.js"), 404);
    /* The build creates it later: served without a restart. */
    mkdir(gone, 0755);
    write_text(&fx, "not-built-yet/new.txt", "new\n", T0);
    CHECK_INT_EQ(status_of(&fx, "/new.txt"), 200);
    fixture_teardown(&fx);
}

int main(void)
{
    UNIT_RUN(test_refresh_and_borrowed_body);
    UNIT_RUN(test_unchanged_file_keeps_tag);
    UNIT_RUN(test_deleted_file);
    UNIT_RUN(test_symlink_retargeted_outside);
    UNIT_RUN(test_destroy_while_borrowed);
    UNIT_RUN(test_missing_root);
    return UNIT_DONE();
}
