/* test_wg_focus.c - where focus goes, as the core decides it: opening and
 * closing the panel, Start chat, a redeemed code, video join / decline /
 * end, ending a chat, dialling; that each target is a part the view shows
 * enabled when asked (or, for hang-up, once the call is queued); that
 * rejected actions, typing and sending leave focus alone; and the message
 * typed while the chat starts, held and sent once it exists (the first
 * message is never lost). */
#include <string.h>

#include "fx_str.h"
#include "unit.h"
#include "wg_err.h"
#include "wg_view.h"
#include "wg_widget.h"

static struct wg_widget w;
static struct wg_view v;
static int64_t now = 1000;

static void setup(enum wg_mode mode, const char *number)
{
    struct wg_widget_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.mode = mode;
    cfg.locale = WG_LOCALE_EN;
    cfg.hide = WG_HIDE_NEVER;
    cfg.number = number;
    cfg.number_len = number ? strlen(number) : 0;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, now), 0);
    wg_fx_clear(&w.fx);
}

static int act(enum wg_action a, const char *text)
{
    return wg_widget_action(&w, a, text, text ? strlen(text) : 0, ++now);
}

/* The view's node for part, or NULL. */
static const struct wg_node *shown(const char *part)
{
    wg_view_build(&w, &v);
    for (size_t i = 0; i < v.count; i++)
        if (strcmp(v.nodes[i].part, part) == 0)
            return &v.nodes[i];
    return NULL;
}

/* The focus asked for is part, asked as the seq-th time, carried by the
 * view, and (when must_show) shown there and enabled. */
static void focus_is(const char *part, unsigned seq, bool must_show)
{
    CHECK_STR_EQ(w.focus, part);
    CHECK_INT_EQ(w.focus_seq, seq);
    wg_view_build(&w, &v);
    CHECK_STR_EQ(v.focus, part);
    CHECK_INT_EQ(v.focus_seq, seq);
    if (must_show) {
        const struct wg_node *n = shown(part);
        CHECK(n != NULL);
        CHECK(n && n->enabled);
    }
}

static void test_chat_focus_targets(void)
{
    setup(WG_MODE_CHAT, NULL);
    CHECK_STR_EQ(w.focus, "");
    CHECK_INT_EQ(w.focus_seq, 0);
    CHECK_INT_EQ(act(WG_ACT_TOGGLE, NULL), 0);
    focus_is("chat-start", 1, true);
    CHECK_INT_EQ(act(WG_ACT_START, NULL), 0);
    focus_is("chat-input", 2, true); /* enabled while STARTING: typing may begin */
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_INT_EQ(act(WG_ACT_TYPING, NULL), 0);
    CHECK_INT_EQ(act(WG_ACT_SEND, "hi"), 0);
    CHECK_INT_EQ(act(WG_ACT_SEND, "   "), WG_E_EMPTY); /* rejected: focus stays */
    focus_is("chat-input", 2, true);
    CHECK_INT_EQ(act(WG_ACT_TOGGLE, NULL), 0);
    focus_is("launcher", 3, true);
    CHECK_INT_EQ(act(WG_ACT_TOGGLE, NULL), 0); /* reopened mid-chat: where they type */
    focus_is("chat-input", 4, true);
    CHECK_INT_EQ(act(WG_ACT_END, NULL), 0);
    focus_is("chat-start", 5, true); /* no agent joined: no rating, "start a new chat" */
    CHECK_INT_EQ(act(WG_ACT_CLOSE, NULL), 0);
    focus_is("launcher", 6, true);
}

static void test_reference_focus(void)
{
    setup(WG_MODE_CHAT, NULL);
    act(WG_ACT_TOGGLE, NULL);
    CHECK_INT_EQ(act(WG_ACT_REFERENCE, "12ab"), WG_E_INVAL);
    focus_is("chat-start", 1, true); /* a bad code: focus stays in the form */
    CHECK_INT_EQ(act(WG_ACT_REFERENCE, "12345678"), 0);
    focus_is("chat-input", 2, true);
}

static void test_video_focus(void)
{
    setup(WG_MODE_CHAT, NULL);
    act(WG_ACT_START, NULL);
    wg_widget_start_ok(&w, false, ++now);
    wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now);
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_VIDEO_OFFER;
    e.display_name = "Bob";
    wg_widget_event(&w, WG_OWNER_CHAT, &e, ++now);
    CHECK_INT_EQ(act(WG_ACT_VIDEO_JOIN, NULL), 0);
    focus_is("camera", 2, true); /* joined with the camera off: turning it on is next */
    CHECK_INT_EQ(act(WG_ACT_VIDEO_END, NULL), 0);
    focus_is("chat-input", 3, true);
    wg_widget_event(&w, WG_OWNER_CHAT, &e, ++now);
    CHECK_INT_EQ(act(WG_ACT_VIDEO_DECLINE, NULL), 0);
    focus_is("chat-input", 4, true);
}

static void test_call_focus(void)
{
    setup(WG_MODE_CALL, NULL);
    act(WG_ACT_TOGGLE, NULL);
    focus_is("number-input", 1, true);
    CHECK_INT_EQ(act(WG_ACT_DIAL, "12"), WG_E_INVAL);
    CHECK_INT_EQ(w.focus_seq, 1); /* a bad number: focus stays in the input */
    CHECK_INT_EQ(act(WG_ACT_DIAL, "+1 415 555 0100"), 0);
    focus_is("hangup", 2, false); /* shown once the call exists */
    CHECK(shown("mute") != NULL);
    act(WG_ACT_CLOSE, NULL);
    act(WG_ACT_TOGGLE, NULL);
    focus_is("mute", 4, true); /* reopened while the microphone is asked for */
    wg_widget_media_ready(&w, WG_OWNER_CALL, ++now);
    CHECK_INT_EQ(wg_widget_dial_ok(&w, "m", "t", "j", false, ++now), 0);
    CHECK(shown("hangup") != NULL && shown("hangup")->enabled);
    act(WG_ACT_CLOSE, NULL);
    act(WG_ACT_TOGGLE, NULL);
    focus_is("hangup", 6, true);

    setup(WG_MODE_CALL, "+14155550100");
    act(WG_ACT_TOGGLE, NULL);
    focus_is("dial", 1, true); /* a configured number: nothing to type */
}

static void test_message_typed_while_starting(void)
{
    setup(WG_MODE_CHAT, NULL);
    CHECK_INT_EQ(act(WG_ACT_START, NULL), 0);
    wg_fx_clear(&w.fx);
    CHECK_INT_EQ(act(WG_ACT_SEND, "first words"), 0);
    CHECK_INT_EQ(act(WG_ACT_SEND, "second"), WG_E_BUSY); /* one waits at a time */
    CHECK_STR_EQ(fx_str(&w.fx, WG_OWNER_CHAT), "notify_error@widget:busy");
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_STR_EQ(fx_str(&w.fx, WG_OWNER_CHAT),
                 "notify_state:waiting store_active(1) sse_open http_send:first words");
    CHECK_INT_EQ(act(WG_ACT_SEND, "next"), WG_E_BUSY); /* in flight: the order is kept */
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_SEND, ++now), 0);
    wg_fx_clear(&w.fx);
    CHECK_INT_EQ(act(WG_ACT_SEND, "next"), 0);
    CHECK_STR_EQ(fx_str(&w.fx, WG_OWNER_CHAT), "http_send:next");

    /* A start that fails takes the held message with it. */
    setup(WG_MODE_CHAT, NULL);
    act(WG_ACT_START, NULL);
    CHECK_INT_EQ(act(WG_ACT_SEND, "lost with the attempt"), 0);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_START, WG_CONTACT_ERR_NETWORK, ++now), 0);
    act(WG_ACT_START, NULL);
    wg_fx_clear(&w.fx);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_STR_EQ(fx_str(&w.fx, WG_OWNER_CHAT), "notify_state:waiting store_active(1) sse_open");
}

int main(void)
{
    UNIT_RUN(test_chat_focus_targets);
    UNIT_RUN(test_reference_focus);
    UNIT_RUN(test_video_focus);
    UNIT_RUN(test_call_focus);
    UNIT_RUN(test_message_typed_while_starting);
    return UNIT_DONE();
}
