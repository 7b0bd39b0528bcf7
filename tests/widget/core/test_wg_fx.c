/* test_wg_fx.c - the one effect list: order, texts copied into the arena,
 * the capacity of both, who sets `overflow` and who does not, clear, and
 * the names the bridge's JSON uses. */
#include <string.h>

#include "unit.h"
#include "wg_err.h"
#include "wg_fx.h"

static struct wg_fx_list list;

static void test_push_in_order(void)
{
    wg_fx_init(&list);
    CHECK_INT_EQ(list.count, 0);
    CHECK(!list.overflow);
    struct wg_fx *e = wg_fx_push(&list, WG_FX_SSE_OPEN, WG_OWNER_CHAT, 42);
    CHECK(e == &list.items[0]);
    CHECK_INT_EQ(e->kind, WG_FX_SSE_OPEN);
    CHECK_INT_EQ(e->owner, WG_OWNER_CHAT);
    CHECK_INT_EQ(e->arg, 42);
    CHECK_STR_EQ(e->text, ""); /* never NULL */
    CHECK_INT_EQ(e->text_len, 0);
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, "hello", 5), 0);
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_RTC_BYE, WG_OWNER_VIDEO, 7, NULL, 0), 0);
    CHECK_INT_EQ(list.count, 3);
    CHECK_INT_EQ(list.items[1].kind, WG_FX_HTTP_SEND);
    CHECK_STR_EQ(list.items[1].text, "hello");
    CHECK_INT_EQ(list.items[1].text_len, 5);
    CHECK_INT_EQ(list.items[2].owner, WG_OWNER_VIDEO);
    CHECK_INT_EQ(list.items[2].arg, 7);
    CHECK_STR_EQ(list.items[2].text, "");
    CHECK_INT_EQ(list.arena_used, 7); /* "hello\0" and "\0" */
}

static void test_text_is_a_copy(void)
{
    wg_fx_init(&list);
    char buf[16] = "{\"a\":1}";
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_RTC_ANSWER, WG_OWNER_CALL, 0, buf, 3), 0);
    memset(buf, 'x', sizeof(buf));
    CHECK_STR_EQ(list.items[0].text, "{\"a"); /* only len bytes, NUL added */
    CHECK(list.items[0].text >= list.arena && list.items[0].text < list.arena + WG_FX_ARENA);
    /* Embedded NULs are kept: text_len says how long it is. */
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, "a\0b", 3), 0);
    CHECK_INT_EQ(list.items[1].text_len, 3);
    CHECK(memcmp(list.items[1].text, "a\0b", 4) == 0);
}

static void test_items_full(void)
{
    wg_fx_init(&list);
    for (int i = 0; i < WG_FX_MAX; i++)
        CHECK(wg_fx_push(&list, WG_FX_SSE_CLOSE, WG_OWNER_CALL, i) != NULL);
    CHECK(!list.overflow);
    CHECK(!wg_fx_room(&list, 1, 0));
    /* push_text refuses and leaves the decision to the caller. */
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, "x", 1), WG_E_FULL);
    CHECK(!list.overflow);
    CHECK_INT_EQ(list.arena_used, 0);
    /* push and push_copy lose it and say so. */
    CHECK(wg_fx_push(&list, WG_FX_SSE_CLOSE, WG_OWNER_CALL, 0) == NULL);
    CHECK(list.overflow);
    list.overflow = false;
    CHECK_INT_EQ(wg_fx_push_copy(&list, WG_FX_NOTIFY_STATE, WG_OWNER_CALL, 0, "idle", 4),
                 WG_E_FULL);
    CHECK(list.overflow);
    CHECK_INT_EQ(list.count, WG_FX_MAX);
    CHECK_INT_EQ(list.items[WG_FX_MAX - 1].arg, WG_FX_MAX - 1); /* the last kept is intact */
    wg_fx_clear(&list);
    CHECK_INT_EQ(list.count, 0);
    CHECK(!list.overflow);
    CHECK(wg_fx_push(&list, WG_FX_SSE_CLOSE, WG_OWNER_CALL, 0) != NULL);
}

static void test_arena_full(void)
{
    static char big[WG_FX_ARENA];
    memset(big, 'b', sizeof(big));
    wg_fx_init(&list);
    /* The whole arena is len + NUL: one byte short of the arena fits. */
    CHECK(wg_fx_room(&list, 1, WG_FX_ARENA - 1));
    CHECK(!wg_fx_room(&list, 1, WG_FX_ARENA));
    CHECK(!wg_fx_room(&list, 2, WG_FX_ARENA - 1)); /* a NUL for each */
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, big, WG_FX_ARENA),
                 WG_E_FULL);
    CHECK_INT_EQ(list.count, 0);
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, big, WG_FX_ARENA - 2),
                 0);
    CHECK_INT_EQ(list.arena_used, WG_FX_ARENA - 1);
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, "x", 1), WG_E_FULL);
    CHECK(!list.overflow);
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, "", 0), 0);
    CHECK_INT_EQ(list.arena_used, WG_FX_ARENA);
    CHECK(!wg_fx_room(&list, 1, 0));
    /* Effects without text still fit while items remain. */
    CHECK(wg_fx_push(&list, WG_FX_SSE_OPEN, WG_OWNER_CHAT, 0) != NULL);
    CHECK_INT_EQ(wg_fx_push_copy(&list, WG_FX_NOTIFY_ERROR, WG_OWNER_CHAT, 0, "auth", 4),
                 WG_E_FULL);
    CHECK(list.overflow);
    wg_fx_clear(&list);
    CHECK_INT_EQ(list.arena_used, 0);
    CHECK(wg_fx_room(&list, WG_FX_MAX, 0));
    CHECK(!wg_fx_room(&list, WG_FX_MAX + 1, 0));
}

static void test_bad_arguments(void)
{
    wg_fx_init(&list);
    CHECK_INT_EQ(wg_fx_push_text(&list, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, NULL, 1), WG_E_INVAL);
    CHECK_INT_EQ(wg_fx_push_text(NULL, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, "x", 1), WG_E_INVAL);
    CHECK_INT_EQ(wg_fx_push_copy(NULL, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, "x", 1), WG_E_INVAL);
    CHECK(wg_fx_push(NULL, WG_FX_SSE_OPEN, WG_OWNER_CHAT, 0) == NULL);
    CHECK(!wg_fx_room(NULL, 0, 0));
    CHECK_INT_EQ(list.count, 0);
    /* push_copy takes NULL as "" whatever the length. */
    CHECK_INT_EQ(wg_fx_push_copy(&list, WG_FX_NOTIFY_ENDED, WG_OWNER_CHAT, 0, NULL, 5), 0);
    CHECK_STR_EQ(list.items[0].text, "");
    CHECK_INT_EQ(list.items[0].text_len, 0);
    wg_fx_init(NULL);
    wg_fx_clear(NULL);
}

static void test_names(void)
{
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_NONE), "none");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_HTTP_AVAILABILITY), "http_availability");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_HTTP_START), "http_start");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_HTTP_VIDEO_END), "http_video_end");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_HTTP_VIDEO_DECLINE), "http_video_decline");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_SSE_OPEN), "sse_open");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_MEDIA_ACQUIRE), "media_acquire");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_RTC_OFFER), "rtc_offer");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_STORE_ACTIVE), "store_active");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_NOTIFY_MESSAGE), "notify_message");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_NOTIFY_ERROR), "notify_error");
    CHECK_STR_EQ(wg_fx_kind_name(WG_FX_KIND_COUNT), "unknown");
    CHECK_STR_EQ(wg_fx_kind_name((enum wg_fx_kind) - 1), "unknown");
    /* Every kind has its own name. */
    for (int i = 0; i < WG_FX_KIND_COUNT; i++) {
        CHECK(strcmp(wg_fx_kind_name((enum wg_fx_kind)i), "unknown") != 0);
        for (int j = 0; j < i; j++)
            CHECK(strcmp(wg_fx_kind_name((enum wg_fx_kind)i),
                         wg_fx_kind_name((enum wg_fx_kind)j)) != 0);
    }
    /* widget/js/constants.js mirrors these numbers. */
    CHECK_INT_EQ(WG_FX_HTTP_AVAILABILITY, 1);
    CHECK_INT_EQ(WG_FX_HTTP_VIDEO_END, 10);
    CHECK_INT_EQ(WG_FX_HTTP_VIDEO_DECLINE, 11);
    CHECK_STR_EQ(wg_owner_name(WG_OWNER_WIDGET), "widget");
    CHECK_STR_EQ(wg_owner_name(WG_OWNER_CHAT), "chat");
    CHECK_STR_EQ(wg_owner_name(WG_OWNER_CALL), "call");
    CHECK_STR_EQ(wg_owner_name(WG_OWNER_VIDEO), "video");
    CHECK_STR_EQ(wg_owner_name((enum wg_owner)9), "unknown");
}

int main(void)
{
    UNIT_RUN(test_push_in_order);
    UNIT_RUN(test_text_is_a_copy);
    UNIT_RUN(test_items_full);
    UNIT_RUN(test_arena_full);
    UNIT_RUN(test_bad_arguments);
    UNIT_RUN(test_names);
    return UNIT_DONE();
}
