/* test_wg_plain.c - the chat as plain text: the chat's own lines in
 * English and Spanish, the downloadable transcript (UTC times, names, the
 * customer without a name as "You", the chat's own lines, several lines of
 * text kept as they are), its length answered before writing, and
 * truncation that stays NUL-terminated. */
#include <string.h>

#include "unit.h"
#include "wg_plain.h"
#include "wg_widget.h"

static struct wg_widget w;          /* large: static */
static int64_t now = 1764860400000; /* 2025-12-04 15:00 UTC */

static void event(struct wg_event ev)
{
    CHECK(wg_widget_event(&w, WG_OWNER_CHAT, &ev, ++now) >= 0);
}

static void message(const char *id, int64_t seq, int64_t t, enum wg_role role, const char *name,
                    const char *text)
{
    struct wg_msg m = {id, seq, t, role, name, "text/plain", text, strlen(text)};
    event((struct wg_event){.kind = WG_EV_MESSAGE, .id = seq + 100, .message = m});
}

static void chat(enum wg_locale locale)
{
    struct wg_widget_config cfg = {.mode = WG_MODE_CHAT, .locale = locale};
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, now), 0);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_START, NULL, 0, now), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, now), 0);
    wg_widget_stream_open(&w, WG_OWNER_CHAT, now);
    event((struct wg_event){
        .kind = WG_EV_PARTICIPANT_JOINED, .id = 7, .role = WG_ROLE_AGENT, .display_name = "Bob"});
    event(
        (struct wg_event){.kind = WG_EV_CONTACT_STATE, .id = 8, .contact_state = WG_CS_CONNECTED});
}

static void test_transcript(void)
{
    chat(WG_LOCALE_EN);
    message("m1", 1, 1764860460000, WG_ROLE_CUSTOMER, "", "Hello\nthere");
    message("m2", 2, 1764947100000, WG_ROLE_AGENT, "Bob", "Hi!"); /* the next day, 15:05 */
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END, NULL, 0, 1764947160000), 0);
    char buf[512];
    size_t n = wg_plain_transcript(&w, buf, sizeof(buf));
    const char *want = "[2025-12-04 15:00 UTC] Bob joined the chat\n"
                       "[2025-12-04 15:01 UTC] You: Hello\nthere\n"
                       "[2025-12-05 15:05 UTC] Bob: Hi!\n"
                       "[2025-12-05 15:06 UTC] You ended the chat\n";
    CHECK_STR_EQ(buf, want);
    CHECK_INT_EQ(n, strlen(want));
    CHECK_INT_EQ(wg_plain_transcript(&w, NULL, 0), strlen(want)); /* the length first */
    char small[10];
    CHECK_INT_EQ(wg_plain_transcript(&w, small, sizeof(small)), strlen(want));
    CHECK_STR_EQ(small, "[2025-12-");
    CHECK_INT_EQ(wg_plain_transcript(NULL, buf, sizeof(buf)), 0);
    CHECK_STR_EQ(buf, "");
}

static void test_lines(void)
{
    struct wg_tr_view m = {"x", "Ana", WG_CHAT_LINE_ENDED, "agent_disconnected", 18,
                           1,   0,     WG_ROLE_SYSTEM};
    char buf[64];
    struct wg_texts en, es;
    size_t len = 0;
    const char *table = wg_i18n_builtin(WG_LOCALE_EN, &len);
    CHECK_INT_EQ(wg_texts_index(&en, table, len), 0);
    table = wg_i18n_builtin(WG_LOCALE_ES, &len);
    CHECK_INT_EQ(wg_texts_index(&es, table, len), 0);
    CHECK(wg_plain_own_line(&m));
    wg_plain_line(&en, &m, buf, sizeof(buf));
    CHECK_STR_EQ(buf, "Ana left the chat");
    m.content = "agent_ended";
    wg_plain_line(&es, &m, buf, sizeof(buf));
    CHECK_STR_EQ(buf, "Ana finalizó el chat");
    m.display_name = "";
    m.content_type = WG_CHAT_LINE_JOINED;
    wg_plain_line(&en, &m, buf, sizeof(buf));
    CHECK_STR_EQ(buf, "Agent joined the chat");
    m.content_type = "text/plain";
    CHECK(!wg_plain_own_line(&m));
}

int main(void)
{
    UNIT_RUN(test_transcript);
    UNIT_RUN(test_lines);
    return UNIT_DONE();
}
