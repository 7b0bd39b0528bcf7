/* test_wg_transcript.c - transcript merge: Seq order with time/id tie-breaks,
 * dedupe by Id, backfill pages overlapping live messages after a reconnect,
 * drop-oldest when entries or the text arena run out, last_seq, iteration. */
#include <string.h>

#include "unit.h"
#include "wg_err.h"
#include "wg_transcript.h"

static struct wg_tr_entry items[8];
static char arena[256];
static struct wg_transcript tr;

static struct wg_msg msg(const char *id, int64_t seq, int64_t t, const char *text)
{
    struct wg_msg m = {id, seq, t, WG_ROLE_AGENT, "Bob", "text/plain", text, strlen(text)};
    return m;
}

/* The held Ids, oldest first, joined by ',' into buf. */
static const char *ids(char *buf, size_t cap)
{
    size_t pos = 0, it = 0;
    struct wg_tr_view v;
    buf[0] = '\0';
    while (wg_transcript_next(&tr, &it, &v))
        pos += (size_t)snprintf(buf + pos, cap - pos, "%s%s", pos ? "," : "", v.id);
    return buf;
}

static void setup(size_t cap, size_t arena_cap)
{
    CHECK_INT_EQ(wg_transcript_init(&tr, items, cap, arena, arena_cap), 0);
}

static void test_init_rejects_bad_args(void)
{
    CHECK_INT_EQ(wg_transcript_init(NULL, items, 8, arena, 256), WG_E_INVAL);
    CHECK_INT_EQ(wg_transcript_init(&tr, items, 0, arena, 256), WG_E_INVAL);
    CHECK_INT_EQ(wg_transcript_init(&tr, items, 8, NULL, 256), WG_E_INVAL);
    CHECK_INT_EQ(wg_transcript_init(&tr, items, 8, arena, 0), WG_E_INVAL);
}

static void test_orders_by_seq_then_time_then_id(void)
{
    char b[128];
    struct wg_msg m;
    setup(8, sizeof(arena));
    m = msg("c", 3, 100, "three");
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), 1);
    m = msg("a", 1, 300, "one");
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), 1);
    m = msg("b", 2, 200, "two");
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), 1);
    CHECK_STR_EQ(ids(b, sizeof(b)), "a,b,c");
    /* Same seq: time decides, then id. */
    m = msg("y", 5, 50, "x");
    wg_transcript_add(&tr, &m);
    m = msg("x", 5, 60, "x");
    wg_transcript_add(&tr, &m);
    m = msg("w", 5, 60, "x");
    wg_transcript_add(&tr, &m);
    CHECK_STR_EQ(ids(b, sizeof(b)), "a,b,c,y,w,x");
    struct wg_tr_view v;
    CHECK_INT_EQ(wg_transcript_at(&tr, 1, &v), 0);
    CHECK_STR_EQ(v.content, "two");
    CHECK_INT_EQ(v.content_len, 3);
    CHECK_STR_EQ(v.display_name, "Bob");
    CHECK_STR_EQ(v.content_type, "text/plain");
    CHECK_INT_EQ(v.role, WG_ROLE_AGENT);
    CHECK_INT_EQ(v.time_ms, 200);
    CHECK_INT_EQ(wg_transcript_at(&tr, 6, &v), WG_E_INVAL);
}

static void test_dedupes_by_id(void)
{
    struct wg_msg m = msg("a", 1, 1, "hello");
    setup(8, sizeof(arena));
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), 1);
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), 0);
    /* Same Id with other fields: still the same message. */
    m = msg("a", 9, 9, "changed");
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), 0);
    CHECK_INT_EQ(wg_transcript_count(&tr), 1);
    CHECK(wg_transcript_has(&tr, "a"));
    CHECK(!wg_transcript_has(&tr, "b"));
    struct wg_tr_view v;
    wg_transcript_at(&tr, 0, &v);
    CHECK_STR_EQ(v.content, "hello");
}

static void test_rejects_invalid_messages(void)
{
    struct wg_msg m = msg("", 1, 1, "x");
    setup(8, 16);
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), WG_E_INVAL);
    m.id = NULL;
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), WG_E_INVAL);
    m = msg("big", 1, 1, "0123456789abcdef"); /* 16 + NUL > 16 */
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), WG_E_TOO_BIG);
    m = msg("ok", 1, 1, "0123456789abcde"); /* exactly fills the arena */
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), 1);
    CHECK_INT_EQ(wg_transcript_count(&tr), 1);
}

/* Live events 4,5 arrived, the stream dropped, 6,7 were missed; the backfill
 * page holds 3..7 (overlapping 4,5) in any order. */
static void test_backfill_after_reconnect_with_overlap(void)
{
    char b[128];
    setup(8, sizeof(arena));
    struct wg_msg live[] = {msg("m4", 4, 40, "four"), msg("m5", 5, 50, "five")};
    CHECK_INT_EQ(wg_transcript_add_page(&tr, live, 2), 2);
    CHECK_INT_EQ(wg_transcript_last_seq(&tr), 5);
    struct wg_msg page[] = {msg("m7", 7, 70, "seven"), msg("m5", 5, 50, "five"),
                            msg("m3", 3, 30, "three"), msg("m6", 6, 60, "six"),
                            msg("m4", 4, 40, "four")};
    CHECK_INT_EQ(wg_transcript_add_page(&tr, page, 5), 3);
    CHECK_STR_EQ(ids(b, sizeof(b)), "m3,m4,m5,m6,m7");
    CHECK_INT_EQ(wg_transcript_last_seq(&tr), 7);
    /* The same page again changes nothing. */
    CHECK_INT_EQ(wg_transcript_add_page(&tr, page, 5), 0);
    CHECK_INT_EQ(wg_transcript_count(&tr), 5);
    CHECK_INT_EQ(wg_transcript_add_page(&tr, NULL, 3), WG_E_INVAL);
    CHECK_INT_EQ(wg_transcript_add_page(&tr, NULL, 0), 0);
}

static void test_full_drops_oldest(void)
{
    char b[128];
    setup(3, sizeof(arena));
    for (int i = 1; i <= 5; i++) {
        char id[8];
        snprintf(id, sizeof(id), "m%d", i);
        struct wg_msg m = msg(id, i, i, "t");
        CHECK_INT_EQ(wg_transcript_add(&tr, &m), 1);
    }
    CHECK_STR_EQ(ids(b, sizeof(b)), "m3,m4,m5");
    CHECK_INT_EQ(wg_transcript_dropped(&tr), 2);
    /* Older than everything held: dropped itself, list unchanged. */
    struct wg_msg old = msg("m0", 0, 0, "t");
    CHECK_INT_EQ(wg_transcript_add(&tr, &old), 0);
    CHECK_STR_EQ(ids(b, sizeof(b)), "m3,m4,m5");
    CHECK_INT_EQ(wg_transcript_dropped(&tr), 3);
    /* A middle one pushes out the oldest. */
    struct wg_msg mid = msg("m45", 4, 45, "t");
    CHECK_INT_EQ(wg_transcript_add(&tr, &mid), 1);
    CHECK_STR_EQ(ids(b, sizeof(b)), "m4,m45,m5");
    CHECK_INT_EQ(wg_transcript_last_seq(&tr), 5);
}

static void test_arena_full_compacts_then_drops_oldest(void)
{
    char b[128];
    setup(8, 20); /* room for two 9-byte texts (8 + NUL) plus 2 bytes */
    struct wg_msg m2 = msg("b", 2, 2, "BBBBBBBB");
    struct wg_msg m1 = msg("a", 1, 1, "AAAAAAAA"); /* backfilled: arena order != list order */
    CHECK_INT_EQ(wg_transcript_add(&tr, &m2), 1);
    CHECK_INT_EQ(wg_transcript_add(&tr, &m1), 1);
    struct wg_msg m3 = msg("c", 3, 3, "CCCCCCCC");
    CHECK_INT_EQ(wg_transcript_add(&tr, &m3), 1);
    CHECK_STR_EQ(ids(b, sizeof(b)), "b,c");
    CHECK_INT_EQ(wg_transcript_dropped(&tr), 1);
    struct wg_tr_view v;
    wg_transcript_at(&tr, 0, &v);
    CHECK_STR_EQ(v.content, "BBBBBBBB");
    wg_transcript_at(&tr, 1, &v);
    CHECK_STR_EQ(v.content, "CCCCCCCC");
    /* Small ones fit in the compacted space without dropping. */
    struct wg_msg m4 = msg("d", 4, 4, "d");
    CHECK_INT_EQ(wg_transcript_add(&tr, &m4), 1);
    CHECK_STR_EQ(ids(b, sizeof(b)), "b,c,d");
    wg_transcript_at(&tr, 2, &v);
    CHECK_STR_EQ(v.content, "d");
}

static void test_long_fields_truncate_and_clear(void)
{
    char longid[200], longname[300];
    memset(longid, 'i', sizeof(longid) - 1);
    longid[sizeof(longid) - 1] = '\0';
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    setup(8, sizeof(arena));
    struct wg_msg m = msg(longid, 1, 1, "x");
    m.display_name = longname;
    m.content_type = NULL;
    CHECK_INT_EQ(wg_transcript_add(&tr, &m), 1);
    CHECK(wg_transcript_has(&tr, longid));
    struct wg_tr_view v;
    wg_transcript_at(&tr, 0, &v);
    CHECK_INT_EQ(strlen(v.id), WG_TR_ID_MAX - 1);
    CHECK_INT_EQ(strlen(v.display_name), WG_TR_NAME_MAX - 1);
    CHECK_STR_EQ(v.content_type, "");
    wg_transcript_clear(&tr);
    CHECK_INT_EQ(wg_transcript_count(&tr), 0);
    CHECK_INT_EQ(wg_transcript_last_seq(&tr), 0);
    CHECK(!wg_transcript_has(&tr, longid));
}

int main(void)
{
    UNIT_RUN(test_init_rejects_bad_args);
    UNIT_RUN(test_orders_by_seq_then_time_then_id);
    UNIT_RUN(test_dedupes_by_id);
    UNIT_RUN(test_rejects_invalid_messages);
    UNIT_RUN(test_backfill_after_reconnect_with_overlap);
    UNIT_RUN(test_full_drops_oldest);
    UNIT_RUN(test_arena_full_compacts_then_drops_oldest);
    UNIT_RUN(test_long_fields_truncate_and_clear);
    return UNIT_DONE();
}
