/* test_auth_cache.c - the verified-token cache: hits and misses, expiry,
 * the size bound, the eviction order and clearing. Tokens are arbitrary
 * strings here; the cache never parses them. */
#include <stdio.h>
#include <string.h>

#include "auth/token_cache.h"
#include "unit.h"

static edge_identity ident(const char *sub, int64_t exp)
{
    edge_identity id;
    memset(&id, 0, sizeof(id));
    snprintf(id.sub, sizeof(id.sub), "%s", sub);
    snprintf(id.email, sizeof(id.email), "%s@example.test", sub);
    id.exp = exp;
    return id;
}

static int get(edge_token_cache *c, const char *tok, int64_t now, edge_identity *out)
{
    return edge_token_cache_get(c, tok, strlen(tok), now, out);
}

static void put(edge_token_cache *c, const char *tok, const char *sub, int64_t until, int64_t now)
{
    edge_identity id = ident(sub, until);
    edge_token_cache_put(c, tok, strlen(tok), &id, until, now);
}

static void test_miss_then_hit(void)
{
    edge_token_cache *c = edge_token_cache_create(8);
    edge_identity out;
    CHECK_INT_EQ(get(c, "tok-a", 100, &out), 0);
    put(c, "tok-a", "alice", 200, 100);
    CHECK_INT_EQ(get(c, "tok-a", 150, &out), 1);
    CHECK_STR_EQ(out.sub, "alice");
    CHECK_STR_EQ(out.email, "alice@example.test");
    CHECK_INT_EQ(out.exp, 200);
    /* A token that differs in one byte, or is a prefix, is another token. */
    CHECK_INT_EQ(get(c, "tok-b", 150, &out), 0);
    CHECK_INT_EQ(edge_token_cache_get(c, "tok-a", 4, 150, &out), 0);
    CHECK_INT_EQ(edge_token_cache_hits(c), 1);
    CHECK_INT_EQ(edge_token_cache_misses(c), 3);
    CHECK_INT_EQ(edge_token_cache_size(c), 1);
    edge_token_cache_free(c);
}

static void test_expiry(void)
{
    edge_token_cache *c = edge_token_cache_create(8);
    edge_identity out;
    put(c, "tok", "bob", 200, 100);
    CHECK_INT_EQ(get(c, "tok", 199, &out), 1);
    CHECK_INT_EQ(get(c, "tok", 200, &out), 0); /* valid_until is exclusive */
    CHECK_INT_EQ(edge_token_cache_size(c), 0); /* and the dead entry is gone */
    /* An entry that is already dead is not stored at all. */
    put(c, "late", "carol", 100, 100);
    CHECK_INT_EQ(edge_token_cache_size(c), 0);
    CHECK_INT_EQ(get(c, "late", 50, &out), 0);
    edge_token_cache_free(c);
}

static void test_overwrite_same_token(void)
{
    edge_token_cache *c = edge_token_cache_create(8);
    edge_identity out;
    put(c, "tok", "first", 200, 100);
    put(c, "tok", "second", 300, 100);
    CHECK_INT_EQ(edge_token_cache_size(c), 1);
    CHECK_INT_EQ(get(c, "tok", 250, &out), 1);
    CHECK_STR_EQ(out.sub, "second");
    edge_token_cache_free(c);
}

static void test_bounded(void)
{
    edge_token_cache *c = edge_token_cache_create(16);
    edge_identity out;
    char tok[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(tok, sizeof(tok), "token-%d", i);
        put(c, tok, "user", 1000 + i, 10);
        CHECK(edge_token_cache_size(c) <= 16);
    }
    /* The most recent token always survives: it expires last. */
    CHECK_INT_EQ(get(c, "token-999", 10, &out), 1);
    edge_token_cache_free(c);
}

static void test_evicts_soonest_expiry(void)
{
    /* Capacity 4 is one set of four slots, so every token competes. */
    edge_token_cache *c = edge_token_cache_create(4);
    edge_identity out;
    put(c, "a", "a", 100, 0);
    put(c, "b", "b", 400, 0);
    put(c, "c", "c", 300, 0);
    put(c, "d", "d", 200, 0);
    put(c, "e", "e", 500, 0); /* full: "a" expires first and goes */
    CHECK_INT_EQ(get(c, "a", 50, &out), 0);
    CHECK_INT_EQ(get(c, "b", 50, &out), 1);
    CHECK_INT_EQ(get(c, "c", 50, &out), 1);
    CHECK_INT_EQ(get(c, "d", 50, &out), 1);
    CHECK_INT_EQ(get(c, "e", 50, &out), 1);
    /* At 250 "d" (200) is dead: it is reused before any live entry. */
    put(c, "f", "f", 260, 250);
    CHECK_INT_EQ(get(c, "f", 250, &out), 1);
    CHECK_INT_EQ(get(c, "b", 250, &out), 1);
    CHECK_INT_EQ(get(c, "c", 250, &out), 1);
    CHECK_INT_EQ(get(c, "e", 250, &out), 1);
    CHECK_INT_EQ(edge_token_cache_size(c), 4);
    edge_token_cache_free(c);
}

static void test_clear(void)
{
    edge_token_cache *c = edge_token_cache_create(0); /* rounds up to 4 */
    edge_identity out;
    put(c, "x", "x", 100, 0);
    put(c, "y", "y", 100, 0);
    CHECK_INT_EQ(get(c, "x", 1, &out), 1);
    edge_token_cache_clear(c);
    CHECK_INT_EQ(edge_token_cache_size(c), 0);
    CHECK_INT_EQ(get(c, "x", 1, &out), 0);
    CHECK_INT_EQ(get(c, "y", 1, &out), 0);
    CHECK_INT_EQ(edge_token_cache_hits(c), 1); /* counters survive a clear */
    CHECK_INT_EQ(edge_token_cache_misses(c), 2);
    put(c, "x", "x", 100, 0);
    CHECK_INT_EQ(get(c, "x", 1, &out), 1);
    edge_token_cache_free(c);
    edge_token_cache_free(NULL);
}

int main(void)
{
    UNIT_RUN(test_miss_then_hit);
    UNIT_RUN(test_expiry);
    UNIT_RUN(test_overwrite_same_token);
    UNIT_RUN(test_bounded);
    UNIT_RUN(test_evicts_soonest_expiry);
    UNIT_RUN(test_clear);
    return UNIT_DONE();
}
