/* test_static_cache.c - edge_file_cache directly: statuses, references,
 * table growth past its first size, and variants/headers of one entry. */
#define _GNU_SOURCE /* nftw, mkdtemp, utimensat (in the fixture) */
#include "static/file_cache.h"
#include "static_fixture.h"

static void test_statuses(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_file_cache *fc = edge_file_cache_create(RECHECK, MAX_BYTES);
    edge_static_root root;
    edge_file_entry *e = (edge_file_entry *)1;
    edge_static_root_init(&root, fx.dist);
    CHECK(edge_file_cache_get(fc, &root, "index.html", NOW, &e) == EDGE_FILE_OK);
    CHECK(e != NULL);
    edge_file_entry_unref(e);
    CHECK(edge_file_cache_get(fc, &root, "sub", NOW, &e) == EDGE_FILE_DIR);
    CHECK(e == NULL);
    CHECK(edge_file_cache_get(fc, &root, "nope", NOW, &e) == EDGE_FILE_MISSING);
    CHECK(edge_file_cache_get(fc, &root, "pipe.txt", NOW, &e) == EDGE_FILE_MISSING);
    CHECK(edge_file_cache_get(fc, &root, "link.txt", NOW, &e) == EDGE_FILE_MISSING);
    CHECK(edge_file_cache_get(fc, &root, "outdir", NOW, &e) == EDGE_FILE_MISSING);
    CHECK(edge_file_cache_get(fc, &root, "index.html/x", NOW, &e) == EDGE_FILE_MISSING);
    CHECK(edge_file_cache_get(fc, &root, "big.bin", NOW, &e) == EDGE_FILE_TOO_LARGE);
    CHECK(e == NULL);
    /* Only files that exist are kept: index.html and the too-large marker. */
    CHECK_INT_EQ(edge_file_cache_count(fc), 2);
    edge_file_cache_destroy(fc);
    edge_static_root_free(&root);
    fixture_teardown(&fx);
}

static void test_variants(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_file_cache *fc = edge_file_cache_create(RECHECK, MAX_BYTES);
    edge_static_root root;
    edge_file_entry *e = NULL;
    edge_static_root_init(&root, fx.dist);
    CHECK(edge_file_cache_get(fc, &root, "c2c.js", NOW, &e) == EDGE_FILE_OK);
    CHECK_INT_EQ(e->available, EDGE_ENC_BIT(EDGE_ENC_IDENTITY) | EDGE_ENC_BIT(EDGE_ENC_GZIP) |
                                   EDGE_ENC_BIT(EDGE_ENC_BR));
    CHECK_INT_EQ(e->mtime_s, T0);
    CHECK_INT_EQ(e->v[EDGE_ENC_IDENTITY].len, sizeof(loader_js) - 1);
    CHECK_INT_EQ(e->v[EDGE_ENC_BR].len, sizeof(loader_br) - 1);
    CHECK_INT_EQ(e->v[EDGE_ENC_GZIP].len, sizeof(loader_gz) - 1);
    const edge_file_variant *br = &e->v[EDGE_ENC_BR];
    CHECK(strstr(br->head, "Content-Encoding: br\r\n") != NULL);
    CHECK(strstr(br->head, "Content-Type: text/javascript; charset=utf-8\r\n") != NULL);
    CHECK(strstr(br->head304, "Content-Type") == NULL);
    CHECK(strstr(br->head304, br->etag) != NULL);
    CHECK_INT_EQ(strlen(br->head), br->head_len);
    CHECK(br->head[br->head_len - 2] == '\r' && br->head[br->head_len - 1] == '\n');
    CHECK(strstr(e->v[EDGE_ENC_IDENTITY].head, "Content-Encoding") == NULL);
    edge_file_entry_unref(e);

    CHECK(edge_file_cache_get(fc, &root, "stale.css", NOW, &e) == EDGE_FILE_OK);
    CHECK_INT_EQ(e->available, EDGE_ENC_BIT(EDGE_ENC_IDENTITY));
    CHECK(e->v[EDGE_ENC_GZIP].data == NULL);
    edge_file_entry_unref(e);

    /* brotli copies the file's mtime to its output without the fraction of
     * a second: such a sibling is as new as its file, not stale. */
    write_text(&fx, "dist/copied.css", "body{color:blue}\n", T0);
    write_text(&fx, "dist/copied.css.br", "brotli of it", T0);
    set_mtime(&fx, "dist/copied.css", T0, 640000000);
    CHECK(edge_file_cache_get(fc, &root, "copied.css", NOW, &e) == EDGE_FILE_OK);
    CHECK_INT_EQ(e->available, EDGE_ENC_BIT(EDGE_ENC_IDENTITY) | EDGE_ENC_BIT(EDGE_ENC_BR));
    edge_file_entry_unref(e);
    /* But a sibling from the previous version, written earlier in the same
     * second as the file's new version, is stale. */
    write_text(&fx, "dist/quick.css", "body{color:green}\n", T0);
    write_text(&fx, "dist/quick.css.br", "brotli of the old version", T0);
    set_mtime(&fx, "dist/quick.css.br", T0, 100000000);
    set_mtime(&fx, "dist/quick.css", T0, 900000000);
    CHECK(edge_file_cache_get(fc, &root, "quick.css", NOW, &e) == EDGE_FILE_OK);
    CHECK_INT_EQ(e->available, EDGE_ENC_BIT(EDGE_ENC_IDENTITY));
    edge_file_entry_unref(e);
    edge_file_cache_destroy(fc);
    edge_static_root_free(&root);
    fixture_teardown(&fx);
}

static void test_refs_and_growth(void)
{
    fixture fx;
    fixture_setup(&fx);
    enum { N = 300 }; /* several doublings of the 64-bucket start */
    edge_file_cache *fc = edge_file_cache_create(RECHECK, MAX_BYTES);
    edge_static_root root;
    edge_file_entry *held[N];
    char rel[64], text[64];
    edge_static_root_init(&root, fx.dist);
    for (int i = 0; i < N; i++) {
        snprintf(rel, sizeof(rel), "dist/f%03d.txt", i);
        snprintf(text, sizeof(text), "file %d\n", i);
        write_text(&fx, rel, text, T0);
    }
    for (int i = 0; i < N; i++) {
        snprintf(rel, sizeof(rel), "f%03d.txt", i);
        CHECK(edge_file_cache_get(fc, &root, rel, NOW, &held[i]) == EDGE_FILE_OK);
    }
    CHECK_INT_EQ(edge_file_cache_count(fc), N);
    /* Lookups after growth find the same entries, not reloaded copies. */
    for (int i = 0; i < N; i++) {
        edge_file_entry *again = NULL;
        snprintf(rel, sizeof(rel), "f%03d.txt", i);
        snprintf(text, sizeof(text), "file %d\n", i);
        CHECK(edge_file_cache_get(fc, &root, rel, NOW + 1, &again) == EDGE_FILE_OK);
        CHECK(again == held[i]);
        CHECK(again->v[0].len == strlen(text) && memcmp(again->v[0].data, text, strlen(text)) == 0);
        edge_file_entry_unref(again);
    }
    /* Destroying the cache leaves our references valid. */
    edge_file_cache_destroy(fc);
    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof(text), "file %d\n", i);
        CHECK(memcmp(held[i]->v[0].data, text, strlen(text)) == 0);
        edge_file_entry_unref(held[i]);
    }
    edge_static_root_free(&root);
    fixture_teardown(&fx);
}

static void test_zero_recheck_always_stats(void)
{
    fixture fx;
    fixture_setup(&fx);
    edge_file_cache *fc = edge_file_cache_create(0, MAX_BYTES);
    edge_static_root root;
    edge_file_entry *e = NULL;
    edge_static_root_init(&root, fx.dist);
    CHECK(edge_file_cache_get(fc, &root, "only.txt", NOW, &e) == EDGE_FILE_MISSING);
    write_text(&fx, "dist/only.txt", "one", T0);
    CHECK(edge_file_cache_get(fc, &root, "only.txt", NOW, &e) == EDGE_FILE_OK);
    edge_file_entry_unref(e);
    write_text(&fx, "dist/only.txt", "two!", T0 + 1);
    CHECK(edge_file_cache_get(fc, &root, "only.txt", NOW, &e) == EDGE_FILE_OK);
    CHECK(e->v[0].len == 4 && memcmp(e->v[0].data, "two!", 4) == 0);
    edge_file_entry_unref(e);
    edge_file_cache_destroy(fc);
    edge_static_root_free(&root);
    fixture_teardown(&fx);
}

int main(void)
{
    UNIT_RUN(test_statuses);
    UNIT_RUN(test_variants);
    UNIT_RUN(test_refs_and_growth);
    UNIT_RUN(test_zero_recheck_always_stats);
    return UNIT_DONE();
}
