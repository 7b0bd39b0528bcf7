/* test_wg_render.c - render commands per chat state: status text and codes,
 * queue info, errors, reconnecting, messages pointing into the transcript,
 * typing, input and buttons with their actions, and the bound on messages. */
#include <string.h>

#include "unit.h"
#include "wg_chat.h"
#include "wg_err.h"
#include "wg_render.h"

static struct wg_tr_entry items[128];
static char arena[8192];
static struct wg_transcript tr;
static struct wg_chat chat;
static struct wg_render r;

/* The frame as kinds: S(tatus) C(onnection) Q(ueue) E(rror) V(ideo)
 * M(essage) T(yping) I(nput) B(utton). */
static const char *shape(void)
{
    static char buf[WG_RENDER_MAX + 1];
    static const char k[] = "?SQECMTVIB";
    CHECK_INT_EQ(wg_render_chat(&chat, &r), (int)r.count);
    for (size_t i = 0; i < r.count; i++)
        buf[i] = k[r.cmds[i].kind];
    buf[r.count] = '\0';
    return buf;
}

static const struct wg_rcmd *last(void)
{
    return &r.cmds[r.count - 1];
}

static void setup(void)
{
    wg_transcript_init(&tr, items, 128, arena, sizeof(arena));
    wg_chat_init(&chat, &tr);
}

static void add_msg(const char *id, int64_t seq, enum wg_role role, const char *text)
{
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_MESSAGE;
    e.message = (struct wg_msg){
        id,           seq,  seq,         role, role == WG_ROLE_AGENT ? "Bob" : "Alice",
        "text/plain", text, strlen(text)};
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 1);
}

static void test_idle_and_starting(void)
{
    setup();
    CHECK_STR_EQ(shape(), "SB");
    CHECK_INT_EQ(r.cmds[0].code, WG_TXT_IDLE);
    CHECK_STR_EQ(r.cmds[0].text, "Chat with us");
    CHECK_INT_EQ(last()->action, WG_ACT_START);
    CHECK(last()->enabled);
    CHECK_STR_EQ(last()->text, "Start chat");
    wg_chat_start(&chat, 0);
    CHECK_STR_EQ(shape(), "SB");
    CHECK_INT_EQ(r.cmds[0].code, WG_TXT_STARTING);
    CHECK(!last()->enabled);
    wg_chat_start_failed(&chat, WG_CHAT_ERR_AUTH, 0);
    CHECK_STR_EQ(shape(), "SEB");
    CHECK_INT_EQ(r.cmds[1].code, WG_TXT_ERR_AUTH);
    CHECK_STR_EQ(r.cmds[1].text, "Please sign in again");
    CHECK(last()->enabled);
}

static void test_waiting_with_queue(void)
{
    setup();
    wg_chat_start(&chat, 0);
    wg_chat_start_ok(&chat, false, 0);
    wg_chat_stream_open(&chat, 0);
    CHECK_STR_EQ(shape(), "SIBB"); /* no queue info yet */
    CHECK_INT_EQ(r.cmds[0].code, WG_TXT_WAITING);
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_QUEUE;
    e.position = 2;
    e.queue_depth = 4;
    e.est_wait_s = 90;
    wg_chat_event(&chat, &e, 0);
    CHECK_STR_EQ(shape(), "SQIBB");
    CHECK_INT_EQ(r.cmds[1].position, 2);
    CHECK_INT_EQ(r.cmds[1].depth, 4);
    CHECK_INT_EQ(r.cmds[1].wait_s, 90);
    CHECK(r.cmds[2].enabled);
    CHECK_INT_EQ(r.cmds[3].action, WG_ACT_SEND);
    CHECK_INT_EQ(r.cmds[4].action, WG_ACT_END);
    CHECK_STR_EQ(r.cmds[4].text, "End chat");
}

static void test_connected_messages_typing_reconnecting(void)
{
    setup();
    wg_chat_start(&chat, 0);
    wg_chat_start_ok(&chat, false, 0);
    wg_chat_stream_open(&chat, 0);
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_PARTICIPANT_JOINED;
    e.role = WG_ROLE_AGENT;
    e.display_name = "Bob";
    wg_chat_event(&chat, &e, 0);
    e.kind = WG_EV_CONTACT_STATE;
    e.contact_state = WG_CS_CONNECTED;
    wg_chat_event(&chat, &e, 0);
    add_msg("m2", 2, WG_ROLE_AGENT, "hi Alice");
    add_msg("m1", 1, WG_ROLE_CUSTOMER, "hello");
    CHECK_STR_EQ(shape(), "SMMIBB");
    CHECK_INT_EQ(r.cmds[0].code, WG_TXT_CONNECTED);
    CHECK_STR_EQ(r.cmds[0].name, "Bob");
    CHECK_STR_EQ(r.cmds[1].text, "hello");
    CHECK_INT_EQ(r.cmds[1].role, WG_ROLE_CUSTOMER);
    CHECK_STR_EQ(r.cmds[1].id, "m1");
    CHECK_STR_EQ(r.cmds[2].text, "hi Alice");
    CHECK_STR_EQ(r.cmds[2].name, "Bob");
    CHECK_INT_EQ(r.cmds[2].text_len, 8);
    /* Points into the transcript, not a copy. */
    struct wg_tr_view v;
    wg_transcript_at(&tr, 1, &v);
    CHECK(r.cmds[2].text == v.content);

    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_TYPING;
    e.role = WG_ROLE_AGENT;
    e.display_name = "Bob";
    wg_chat_event(&chat, &e, 1000);
    CHECK_STR_EQ(shape(), "SMMTIBB");
    CHECK_STR_EQ(r.cmds[3].name, "Bob");
    wg_chat_tick(&chat, 11000);
    CHECK_STR_EQ(shape(), "SMMIBB");

    wg_chat_stream_error(&chat, 12000);
    CHECK_STR_EQ(shape(), "SCMMIBB");
    CHECK_INT_EQ(r.cmds[1].code, WG_TXT_RECONNECTING);
    wg_chat_tick(&chat, 13000);
    CHECK_STR_EQ(shape(), "SCMMIBB"); /* still connecting */
    wg_chat_stream_open(&chat, 13100);
    CHECK_STR_EQ(shape(), "SMMIBB");

    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_VIDEO_OFFER;
    e.display_name = "Bob";
    wg_chat_event(&chat, &e, 0);
    CHECK_STR_EQ(shape(), "SVMMIBB");
    CHECK_STR_EQ(r.cmds[1].name, "Bob");
    CHECK(!r.cmds[1].enabled);
}

static void test_ended_keeps_transcript_and_offers_new_chat(void)
{
    setup();
    wg_chat_start(&chat, 0);
    wg_chat_start_ok(&chat, false, 0);
    add_msg("m1", 1, WG_ROLE_AGENT, "bye");
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_CONTACT_STATE;
    e.contact_state = WG_CS_ENDED;
    e.reason = "agent";
    wg_chat_event(&chat, &e, 0);
    CHECK_STR_EQ(shape(), "SMIB");
    CHECK_INT_EQ(r.cmds[0].code, WG_TXT_ENDED);
    CHECK_STR_EQ(r.cmds[0].name, "agent");
    CHECK(!r.cmds[2].enabled);
    CHECK_INT_EQ(last()->code, WG_TXT_BTN_NEW);
    CHECK_INT_EQ(last()->action, WG_ACT_START);
    CHECK(last()->enabled);
}

static void test_messages_are_bounded_newest_kept(void)
{
    setup();
    wg_chat_start(&chat, 0);
    wg_chat_start_ok(&chat, false, 0);
    for (int i = 1; i <= 100; i++) {
        char id[8];
        snprintf(id, sizeof(id), "m%d", i);
        add_msg(id, i, WG_ROLE_AGENT, "x");
    }
    CHECK_INT_EQ(wg_render_chat(&chat, &r), WG_RENDER_MAX);
    size_t shown = WG_RENDER_MAX - 4; /* STATUS, INPUT, Send, End */
    CHECK_INT_EQ(r.messages_omitted, 100 - shown);
    CHECK_STR_EQ(r.cmds[1].id, "m41");
    CHECK_STR_EQ(r.cmds[WG_RENDER_MAX - 4].id, "m100");
    CHECK_INT_EQ(last()->action, WG_ACT_END);
    CHECK_INT_EQ(wg_render_chat(NULL, &r), WG_E_INVAL);
}

static void test_texts(void)
{
    CHECK_STR_EQ(wg_render_text(WG_TXT_NONE), "");
    CHECK_STR_EQ(wg_render_text(WG_TXT_RECONNECTING), "Reconnecting...");
    CHECK_STR_EQ(wg_render_text((enum wg_text_code)999), "");
}

int main(void)
{
    UNIT_RUN(test_idle_and_starting);
    UNIT_RUN(test_waiting_with_queue);
    UNIT_RUN(test_connected_messages_typing_reconnecting);
    UNIT_RUN(test_ended_keeps_transcript_and_offers_new_chat);
    UNIT_RUN(test_messages_are_bounded_newest_kept);
    UNIT_RUN(test_texts);
    return UNIT_DONE();
}
