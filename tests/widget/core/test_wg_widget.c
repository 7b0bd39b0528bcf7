/* test_wg_widget.c - the widget object: attribute parsers, config
 * validation, the panel, the availability poll (only for widgets that hide
 * or grey out), the typing throttle, the reference code, input errors, the
 * resume-only start after a reload, a dial answer the call cannot use, and
 * the routing of every input (actions, answers, failures, streams, signals,
 * media, tick) to the chat, its video or the call, with the effects each
 * pushes and the codes each returns, and another user at the device
 * (identity changed, then that user's own resume). */
#include <stdint.h>
#include <string.h>

#include "ev_state.h"
#include "fx_str.h"
#include "unit.h"
#include "wg_err.h"
#include "wg_view.h"
#include "wg_widget.h"

static struct wg_widget w;

/* The pending effects, owner left out when it is `home`; then cleared. */
static const char *fx(enum wg_owner home)
{
    return fx_str(&w.fx, home);
}

static struct wg_widget_config config(enum wg_mode mode)
{
    struct wg_widget_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.mode = mode;
    cfg.locale = WG_LOCALE_EN;
    cfg.hide = WG_HIDE_NEVER;
    return cfg;
}

static void setup_hide(enum wg_mode mode, enum wg_hide hide)
{
    struct wg_widget_config cfg = config(mode);
    cfg.hide = hide;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 1000), 0);
    fx(WG_OWNER_WIDGET);
}

static void setup(enum wg_mode mode)
{
    setup_hide(mode, WG_HIDE_NEVER);
}

static int act(enum wg_action a, const char *text, int64_t now_ms)
{
    return wg_widget_action(&w, a, text, text ? strlen(text) : 0, now_ms);
}

/* A chat (or video) widget with a chat WAITING, stream open; drained. */
static void chat_waiting(enum wg_mode mode)
{
    setup(mode);
    act(WG_ACT_START, NULL, 1000);
    wg_widget_start_ok(&w, false, 1100);
    wg_widget_stream_open(&w, WG_OWNER_CHAT, 1200);
    fx(WG_OWNER_CHAT);
}

/* A chat widget whose agent offered video and which the user joined. */
static void video_joining(void)
{
    chat_waiting(WG_MODE_CHAT);
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_VIDEO_OFFER;
    e.id = 5;
    e.display_name = "Bob";
    wg_widget_event(&w, WG_OWNER_CHAT, &e, 2000);
    act(WG_ACT_VIDEO_JOIN, NULL, 2100);
    fx(WG_OWNER_CHAT);
}

/* A call widget whose call is CONNECTED; drained. */
static void call_connected(void)
{
    setup(WG_MODE_CALL);
    act(WG_ACT_DIAL, "7035550122", 1000);
    wg_widget_media_ready(&w, WG_OWNER_CALL, 1100);
    wg_widget_dial_ok(&w, "m1", "t1", "tok", false, 1200);
    struct wg_event e = ev_state(1, WG_CS_CONNECTED, NULL);
    wg_widget_event(&w, WG_OWNER_CALL, &e, 1300);
    fx(WG_OWNER_CALL);
}

static void test_parsers(void)
{
    CHECK_INT_EQ(wg_parse_mode("call", 4), WG_MODE_CALL);
    CHECK_INT_EQ(wg_parse_mode("chat", 4), WG_MODE_CHAT);
    CHECK_INT_EQ(wg_parse_mode("Video", 5), WG_MODE_VIDEO);
    CHECK_INT_EQ(wg_parse_mode("chatx", 4), WG_MODE_CHAT); /* only len bytes */
    CHECK_INT_EQ(wg_parse_mode("chats", 5), WG_E_INVAL);
    CHECK_INT_EQ(wg_parse_mode("", 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_parse_mode(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_parse_mode(NULL, 4), WG_E_INVAL);

    CHECK_INT_EQ(wg_parse_locale("en", 2), WG_LOCALE_EN);
    CHECK_INT_EQ(wg_parse_locale("en-US", 5), WG_LOCALE_EN);
    CHECK_INT_EQ(wg_parse_locale("es", 2), WG_LOCALE_ES);
    CHECK_INT_EQ(wg_parse_locale("es-MX", 5), WG_LOCALE_ES);
    CHECK_INT_EQ(wg_parse_locale("ES_es", 5), WG_LOCALE_ES);
    CHECK_INT_EQ(wg_parse_locale("fr-CA", 5), WG_LOCALE_FR);
    CHECK_INT_EQ(wg_parse_locale("de", 2), WG_LOCALE_DE);
    CHECK_INT_EQ(wg_parse_locale("pt-BR", 5), WG_LOCALE_PT);
    CHECK_INT_EQ(wg_parse_locale("ja", 2), WG_LOCALE_JA);
    CHECK_INT_EQ(wg_parse_locale("it", 2), WG_E_INVAL);
    CHECK_INT_EQ(wg_parse_locale("esp", 3), WG_E_INVAL);
    CHECK_INT_EQ(wg_parse_locale("e", 1), WG_E_INVAL);
    CHECK_INT_EQ(wg_parse_locale("-es", 3), WG_E_INVAL);
    CHECK_INT_EQ(wg_parse_locale("", 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_parse_locale(NULL, 2), WG_E_INVAL);

    CHECK_INT_EQ(wg_parse_theme("auto", 4), WG_THEME_AUTO);
    CHECK_INT_EQ(wg_parse_theme("light", 5), WG_THEME_LIGHT);
    CHECK_INT_EQ(wg_parse_theme("DARK", 4), WG_THEME_DARK);
    CHECK_INT_EQ(wg_parse_theme("dim", 3), WG_E_INVAL);
    CHECK_INT_EQ(wg_parse_theme("", 0), WG_E_INVAL);

    CHECK_INT_EQ(wg_parse_hide("", 0), WG_HIDE_HIDE); /* the bare attribute */
    CHECK_INT_EQ(wg_parse_hide(NULL, 0), WG_HIDE_HIDE);
    CHECK_INT_EQ(wg_parse_hide("hide", 4), WG_HIDE_HIDE);
    CHECK_INT_EQ(wg_parse_hide("true", 4), WG_HIDE_HIDE);
    CHECK_INT_EQ(wg_parse_hide("grey", 4), WG_HIDE_GREY);
    CHECK_INT_EQ(wg_parse_hide("gray", 4), WG_HIDE_GREY);
    CHECK_INT_EQ(wg_parse_hide("disable", 7), WG_HIDE_GREY);
    CHECK_INT_EQ(wg_parse_hide("false", 5), WG_HIDE_NEVER);
    CHECK_INT_EQ(wg_parse_hide("never", 5), WG_HIDE_NEVER);
    CHECK_INT_EQ(wg_parse_hide("maybe", 5), WG_E_INVAL);
}

static void test_init(void)
{
    struct wg_widget_config cfg = config(WG_MODE_CALL);
    cfg.locale = WG_LOCALE_ES;
    cfg.hide = WG_HIDE_GREY;
    cfg.number = "(703) 555-0122";
    cfg.number_len = strlen(cfg.number);
    cfg.label = "Llámanos";
    cfg.label_len = strlen(cfg.label);
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 500), 0);
    CHECK_INT_EQ(w.mode, WG_MODE_CALL);
    CHECK_INT_EQ(w.locale, WG_LOCALE_ES);
    CHECK_INT_EQ(w.hide, WG_HIDE_GREY);
    CHECK(w.has_number);
    CHECK_STR_EQ(w.number, "+17035550122");
    CHECK_STR_EQ(w.label, "Llámanos");
    CHECK(!w.open);
    CHECK_INT_EQ(w.agents_available, -1);
    CHECK(w.avail_in_flight);
    CHECK_INT_EQ(w.avail_next_ms, 0);
    CHECK_INT_EQ(w.input_error, 0);
    CHECK_INT_EQ(w.call.ct.state, WG_CALL_IDLE);
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_IDLE);
    CHECK_STR_EQ(wg_widget_state_name(&w), "idle");
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "http_availability");

    /* No number, an empty one: the user types one. */
    cfg.number = "";
    cfg.number_len = 0;
    cfg.label = NULL;
    cfg.label_len = 0;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 500), 0);
    CHECK(!w.has_number);
    CHECK_STR_EQ(w.number, "");
    CHECK_STR_EQ(w.label, "");
}

static void test_init_refuses_bad_config(void)
{
    struct wg_widget_config cfg = config(WG_MODE_CALL);
    static const char *bad[] = {"555-CALL", "12", "+1234567890123456", "  "};
    for (size_t i = 0; i < 4; i++) {
        memset(&w, 0x5a, sizeof(w));
        cfg.number = bad[i];
        cfg.number_len = strlen(bad[i]);
        CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), WG_E_INVAL);
        CHECK_INT_EQ(w.fx.count, (size_t)0x5a5a5a5a5a5a5a5aULL); /* nothing set up */
    }
    cfg = config(WG_MODE_CHAT);
    cfg.mode = (enum wg_mode)3;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), WG_E_INVAL);
    cfg = config(WG_MODE_CHAT);
    cfg.locale = WG_LOCALE_COUNT;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), WG_E_INVAL);
    cfg = config(WG_MODE_CHAT);
    cfg.hide = (enum wg_hide)7;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), WG_E_INVAL);
    cfg = config(WG_MODE_CHAT);
    cfg.label_len = 3; /* NULL with a length */
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_init(NULL, &cfg, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_init(&w, NULL, 0), WG_E_INVAL);
}

static void test_label_is_cut_whole(void)
{
    struct wg_widget_config cfg = config(WG_MODE_CHAT);
    char label[100];
    /* 62 ASCII bytes then "é" (2 bytes): 64 bytes do not fit in 63. */
    memset(label, 'a', 62);
    memcpy(label + 62, "\xc3\xa9zz", 4);
    cfg.label = label;
    cfg.label_len = 66;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), 0);
    CHECK_INT_EQ(strlen(w.label), 62); /* not half an é */
    /* 61 + é = 63 fits exactly. */
    memset(label, 'a', 61);
    memcpy(label + 61, "\xc3\xa9zz", 4);
    cfg.label_len = 65;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), 0);
    CHECK_INT_EQ(strlen(w.label), 63);
    CHECK_STR_EQ(w.label + 61, "\xc3\xa9");
    /* A NUL ends it. */
    cfg.label = "Chat\0hidden";
    cfg.label_len = 11;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), 0);
    CHECK_STR_EQ(w.label, "Chat");
}

static void test_resume(void)
{
    struct wg_widget_config cfg = config(WG_MODE_VIDEO);
    cfg.resume = true;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), 0);
    CHECK(w.open);
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_STARTING);
    CHECK_STR_EQ(wg_widget_state_name(&w), "starting");
    /* Resume only (arg 1): a stale flag must not create a new chat. */
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:starting http_start(1)");
    CHECK_INT_EQ(wg_widget_start_ok(&w, true, 10), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:waiting store_active(1) http_transcript "
                                    "sse_open");
    /* A widget that greys out also polls. */
    cfg.hide = WG_HIDE_GREY;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "http_availability@widget notify_state:starting "
                                    "http_start(1)");
    /* A call widget has nothing to resume. */
    cfg.mode = WG_MODE_CALL;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), 0);
    CHECK(!w.open);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "http_availability");
}

/* The stored "a chat is open" flag was stale: the server has no open chat.
 * The widget goes back to how a fresh page shows it, without an error. */
static void test_resume_finds_no_chat(void)
{
    struct wg_widget_config cfg = config(WG_MODE_CHAT);
    cfg.resume = true;
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), 0);
    fx(WG_OWNER_CHAT);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_START, WG_CONTACT_ERR_NO_CHAT, 10), 0);
    CHECK(!w.open);
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_IDLE);
    CHECK_INT_EQ(w.chat.ct.last_error, WG_CONTACT_ERR_NONE);
    CHECK_INT_EQ(w.input_error, 0);
    CHECK_STR_EQ(wg_widget_state_name(&w), "idle");
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:idle store_active"); /* no notify_error */
    /* The user's own start is an ordinary one (it may create a chat). */
    CHECK_INT_EQ(act(WG_ACT_START, NULL, 20), 0);
    CHECK(w.open);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:starting http_start");
    /* Other failures of the resume show as errors, the panel stays. */
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), 0);
    fx(WG_OWNER_CHAT);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_START, WG_CONTACT_ERR_NETWORK, 10), 0);
    CHECK(w.open);
    CHECK_INT_EQ(w.chat.ct.last_error, WG_CONTACT_ERR_NETWORK);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_error:network notify_state:idle");
}

static void test_panel(void)
{
    setup(WG_MODE_CHAT);
    CHECK_INT_EQ(act(WG_ACT_TOGGLE, NULL, 0), 0);
    CHECK(w.open);
    CHECK_INT_EQ(act(WG_ACT_TOGGLE, NULL, 0), 0);
    CHECK(!w.open);
    CHECK_INT_EQ(act(WG_ACT_CLOSE, NULL, 0), 0);
    CHECK(!w.open);
    CHECK_INT_EQ(act(WG_ACT_START, NULL, 0), 0);
    CHECK(w.open);
    CHECK_INT_EQ(act(WG_ACT_CLOSE, NULL, 0), 0);
    CHECK(!w.open);
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_STARTING); /* closing hides, does not end */
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:starting http_start");
    setup(WG_MODE_CALL);
    CHECK_INT_EQ(act(WG_ACT_DIAL, "7035550122", 0), 0);
    CHECK(w.open);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "notify_state:dialing media_acquire");
    /* A refused dial still opens the panel, to show why. */
    setup(WG_MODE_CALL);
    CHECK_INT_EQ(act(WG_ACT_DIAL, "nope", 0), WG_E_INVAL);
    CHECK(w.open);
}

static void test_availability(void)
{
    setup_hide(WG_MODE_CHAT, WG_HIDE_HIDE);
    CHECK(w.avail_in_flight);
    CHECK_INT_EQ(wg_widget_tick(&w, 100000), 0);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), ""); /* one in flight at a time */
    CHECK_INT_EQ(wg_widget_availability(&w, 2, 2000), 1);
    CHECK_INT_EQ(w.agents_available, 2);
    CHECK(!w.avail_in_flight);
    CHECK_INT_EQ(w.avail_next_ms, 2000 + WG_WIDGET_AVAIL_MS);
    CHECK_INT_EQ(wg_widget_tick(&w, 2000 + WG_WIDGET_AVAIL_MS - 1), 0);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "");
    wg_widget_tick(&w, 2000 + WG_WIDGET_AVAIL_MS);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "http_availability");
    CHECK(w.avail_in_flight);
    CHECK_INT_EQ(w.avail_next_ms, 0);
    wg_widget_tick(&w, 100000);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "");
    CHECK_INT_EQ(wg_widget_availability(&w, 2, 20000), 0); /* same answer: nothing changed */
    CHECK_INT_EQ(wg_widget_availability(&w, 0, 20000), 1);
    CHECK_INT_EQ(w.agents_available, 0);
    CHECK_INT_EQ(wg_widget_availability(&w, -1, 20000), WG_E_INVAL);
    CHECK_INT_EQ(w.agents_available, 0);

    /* A failed poll keeps the last answer and tries again later. */
    wg_widget_tick(&w, 35000);
    fx(WG_OWNER_WIDGET);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_AVAILABILITY, WG_CONTACT_ERR_NETWORK, 36000),
                 0);
    CHECK_INT_EQ(w.agents_available, 0);
    CHECK(!w.avail_in_flight);
    CHECK_INT_EQ(w.avail_next_ms, 36000 + WG_WIDGET_AVAIL_MS);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), ""); /* not an error the user sees */

    /* No polls while a chat is live; the first tick after it ends polls. */
    act(WG_ACT_START, NULL, 40000);
    wg_widget_tick(&w, 60000);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:starting http_start");
    wg_widget_start_ok(&w, false, 60000);
    wg_widget_tick(&w, 70000);
    fx(WG_OWNER_CHAT);
    act(WG_ACT_END, NULL, 80000);
    fx(WG_OWNER_CHAT);
    wg_widget_tick(&w, 80250);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "http_availability");

    /* The same for a call. */
    setup_hide(WG_MODE_CALL, WG_HIDE_GREY);
    wg_widget_availability(&w, 1, 0);
    act(WG_ACT_DIAL, "7035550122", 1000);
    fx(WG_OWNER_CALL);
    wg_widget_tick(&w, 50000);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "");
    wg_widget_media_failed(&w, WG_OWNER_CALL, WG_MEDIA_ERR_DENIED, 50000);
    fx(WG_OWNER_CALL);
    wg_widget_tick(&w, 50250);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "http_availability");
}

/* Nothing uses the answer of a widget that never hides: it never asks. */
static void test_availability_not_polled_when_never_hidden(void)
{
    static const enum wg_mode modes[] = {WG_MODE_CALL, WG_MODE_CHAT, WG_MODE_VIDEO};
    for (size_t i = 0; i < 3; i++) {
        struct wg_widget_config cfg = config(modes[i]);
        CHECK_INT_EQ(wg_widget_init(&w, &cfg, 1000), 0);
        CHECK(!w.avail_in_flight);
        CHECK_INT_EQ(w.avail_next_ms, 0);
        CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "");
        for (int64_t t = 1000; t <= 1000 + 10 * WG_WIDGET_AVAIL_MS; t += 250)
            wg_widget_tick(&w, t);
        CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "");
        /* An answer anyway (a bridge that asked by itself) is kept, and
         * schedules nothing. */
        CHECK_INT_EQ(wg_widget_availability(&w, 0, 200000), 1);
        CHECK_INT_EQ(w.agents_available, 0);
        CHECK_INT_EQ(w.avail_next_ms, 0);
        CHECK_INT_EQ(
            wg_widget_request_failed(&w, WG_FX_HTTP_AVAILABILITY, WG_CONTACT_ERR_NETWORK, 200000), 0);
        CHECK_INT_EQ(w.avail_next_ms, 0);
        wg_widget_tick(&w, 10000000);
        CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "");
    }
    /* Nor after a chat or a call ends. */
    chat_waiting(WG_MODE_CHAT);
    act(WG_ACT_END, NULL, 2000);
    fx(WG_OWNER_CHAT);
    wg_widget_tick(&w, 2000 + 2 * WG_WIDGET_AVAIL_MS);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "");
}

static void test_typing_throttle(void)
{
    setup(WG_MODE_CHAT);
    CHECK_INT_EQ(act(WG_ACT_TYPING, NULL, 0), 0); /* no chat: nothing to tell */
    act(WG_ACT_START, NULL, 0);
    fx(WG_OWNER_CHAT);
    CHECK_INT_EQ(act(WG_ACT_TYPING, NULL, 10), 0); /* still starting */
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "");
    wg_widget_start_ok(&w, false, 20);
    fx(WG_OWNER_CHAT);
    CHECK_INT_EQ(act(WG_ACT_TYPING, NULL, 0), 0); /* the first at time 0 goes */
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "http_typing");
    CHECK_INT_EQ(w.typing_sent_ms, 0);
    CHECK_INT_EQ(act(WG_ACT_TYPING, NULL, 1000), 0);
    CHECK_INT_EQ(act(WG_ACT_TYPING, NULL, WG_WIDGET_TYPING_EVERY_MS - 1), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "");
    CHECK_INT_EQ(act(WG_ACT_TYPING, NULL, WG_WIDGET_TYPING_EVERY_MS), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "http_typing");
    /* Also once connected; never after the end. */
    struct wg_event e = ev_state(1, WG_CS_CONNECTED, NULL);
    wg_widget_event(&w, WG_OWNER_CHAT, &e, 7000);
    fx(WG_OWNER_CHAT);
    act(WG_ACT_TYPING, NULL, 7000);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "http_typing");
    act(WG_ACT_END, NULL, 8000);
    fx(WG_OWNER_CHAT);
    CHECK_INT_EQ(act(WG_ACT_TYPING, NULL, 20000), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "");
    /* Its answers change nothing. */
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_TYPING, 0), 0);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_TYPING, WG_CONTACT_ERR_ENDED, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "");
}

static void test_reference(void)
{
    static const char *bad[] = {"1234567", "123456789", "1234567a", "1234 678", "١٢٣٤٥٦٧٨", ""};
    setup(WG_MODE_CHAT);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_INT_EQ(act(WG_ACT_REFERENCE, bad[i], 0), WG_E_INVAL);
        CHECK_INT_EQ(w.input_error, WG_E_INVAL);
        CHECK_INT_EQ(w.input_error_action, WG_ACT_REFERENCE);
        CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_IDLE);
        CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:reference");
    }
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_REFERENCE, NULL, 8, 0), WG_E_INVAL);
    fx(WG_OWNER_WIDGET);
    CHECK_INT_EQ(act(WG_ACT_REFERENCE, "49902160", 0), 0);
    CHECK_INT_EQ(w.input_error, 0);
    CHECK_INT_EQ(w.input_error_action, WG_ACT_NONE);
    CHECK(w.open);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:starting http_start:49902160");
    /* The server refuses it: the chat is back to IDLE with the reason. */
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_START, WG_CONTACT_ERR_REF_USED, 10), 0);
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_IDLE);
    CHECK_INT_EQ(w.chat.ct.last_error, WG_CONTACT_ERR_REF_USED);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_error:route_used notify_state:idle");
    /* Not while a chat is going on, nor in a call widget. */
    act(WG_ACT_START, NULL, 20);
    fx(WG_OWNER_CHAT);
    CHECK_INT_EQ(act(WG_ACT_REFERENCE, "49902160", 30), WG_E_STATE);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:state");
    setup(WG_MODE_CALL);
    CHECK_INT_EQ(act(WG_ACT_REFERENCE, "49902160", 0), WG_E_STATE);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:state");
}

static void test_input_errors(void)
{
    chat_waiting(WG_MODE_CHAT);
    CHECK_INT_EQ(act(WG_ACT_SEND, "   ", 0), WG_E_EMPTY);
    CHECK_INT_EQ(w.input_error, WG_E_EMPTY);
    CHECK_INT_EQ(w.input_error_action, WG_ACT_SEND);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:message");
    CHECK_INT_EQ(act(WG_ACT_SEND, "a\xff", 0), WG_E_UTF8);
    CHECK_INT_EQ(w.input_error, WG_E_UTF8);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:message");
    CHECK_INT_EQ(act(WG_ACT_SEND, "hi", 0), 0);
    CHECK_INT_EQ(w.input_error, 0); /* cleared by the next success */
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "http_send:hi");
    CHECK_INT_EQ(act(WG_ACT_SEND, "again", 0), WG_E_BUSY);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:busy");
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_SEND, 0), 0);
    CHECK_INT_EQ(act(WG_ACT_SEND, "again", 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "http_send:again");
    /* Call actions in a chat widget, unknown actions. */
    CHECK_INT_EQ(act(WG_ACT_DIAL, "7035550122", 0), WG_E_STATE);
    CHECK_INT_EQ(w.input_error_action, WG_ACT_DIAL);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:state");
    CHECK_INT_EQ(act(WG_ACT_KEY, "1", 0), WG_E_STATE);
    CHECK_INT_EQ(act(WG_ACT_MUTE, NULL, 0), WG_E_STATE);
    CHECK_INT_EQ(act(WG_ACT_HANGUP, NULL, 0), WG_E_STATE);
    fx(WG_OWNER_WIDGET);
    CHECK_INT_EQ(act(WG_ACT_NONE, NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(act(WG_ACT_COUNT, NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(w.input_error_action, WG_ACT_COUNT);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:inval notify_error:inval");
    CHECK_INT_EQ(wg_widget_action(NULL, WG_ACT_TOGGLE, NULL, 0, 0), WG_E_INVAL);

    /* In a call widget: the number, the keys, chat actions. */
    setup(WG_MODE_CALL);
    CHECK_INT_EQ(act(WG_ACT_DIAL, "555-CALL", 0), WG_E_INVAL);
    CHECK_INT_EQ(w.input_error_action, WG_ACT_DIAL);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:number");
    CHECK_INT_EQ(act(WG_ACT_DIAL, NULL, 0), WG_E_INVAL);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:number");
    CHECK_INT_EQ(act(WG_ACT_DIAL, "", 0), WG_E_EMPTY);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:number");
    CHECK_INT_EQ(act(WG_ACT_START, NULL, 0), WG_E_STATE);
    CHECK_INT_EQ(act(WG_ACT_SEND, "x", 0), WG_E_STATE);
    CHECK_INT_EQ(act(WG_ACT_VIDEO_JOIN, NULL, 0), WG_E_STATE);
    CHECK_INT_EQ(act(WG_ACT_CAMERA, NULL, 0), WG_E_STATE);
    fx(WG_OWNER_WIDGET);
    call_connected();
    CHECK_INT_EQ(act(WG_ACT_KEY, "12", 0), WG_E_KEY);
    CHECK_INT_EQ(act(WG_ACT_KEY, NULL, 0), WG_E_KEY);
    CHECK_INT_EQ(act(WG_ACT_KEY, "x", 0), WG_E_KEY);
    CHECK_INT_EQ(w.input_error, WG_E_KEY);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:key notify_error:key notify_error:key");
    CHECK_INT_EQ(act(WG_ACT_KEY, "#", 0), 0);
    CHECK_INT_EQ(w.input_error, 0);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "http_digits:#");
}

static void test_chat_flow(void)
{
    chat_waiting(WG_MODE_VIDEO); /* video mode: a chat, the view differs */
    CHECK_STR_EQ(wg_widget_state_name(&w), "waiting");
    struct wg_event e = ev_state(1, WG_CS_CONNECTED, NULL);
    CHECK_INT_EQ(wg_widget_event(&w, WG_OWNER_CHAT, &e, 0), 1);
    CHECK_STR_EQ(wg_widget_state_name(&w), "connected");
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_MESSAGE;
    e.id = 2;
    e.message.id = "m1";
    e.message.seq = 1;
    e.message.role = WG_ROLE_AGENT;
    e.message.content = "hello";
    e.message.content_len = 5;
    CHECK_INT_EQ(wg_widget_event(&w, WG_OWNER_CHAT, &e, 0), 1);
    CHECK_INT_EQ(wg_transcript_count(&w.transcript), 1);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:connected notify_message(2):hello");
    /* Typing expires from the tick. */
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_TYPING;
    e.role = WG_ROLE_AGENT;
    e.display_name = "Bob";
    wg_widget_event(&w, WG_OWNER_CHAT, &e, 1000);
    CHECK_INT_EQ(wg_widget_tick(&w, 1000 + WG_CHAT_TYPING_MS - 1), 0);
    CHECK_INT_EQ(wg_widget_tick(&w, 1000 + WG_CHAT_TYPING_MS), 1);
    /* A transcript page and its failure. */
    struct wg_msg page[1] = {{"m0", 3, 0, WG_ROLE_CUSTOMER, "Al", "text/plain", "hi", 2}};
    CHECK_INT_EQ(wg_widget_transcript_page(&w, page, 1, true, 0), 1);
    CHECK_INT_EQ(wg_widget_transcript_page(&w, page, 1, false, 0), 0); /* held already */
    CHECK_INT_EQ(wg_transcript_count(&w.transcript), 2);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "http_transcript(3)");
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_TRANSCRIPT, WG_CONTACT_ERR_NETWORK, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_error:network");
    /* Stream drop and retry go through too. */
    CHECK_INT_EQ(wg_widget_stream_error(&w, WG_OWNER_CHAT, 10000), 0);
    CHECK_INT_EQ(wg_widget_tick(&w, 11000), 1);
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CHAT, 11100), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "sse_close sse_open(2) http_transcript(3)");
    /* A send fails: the machine keeps the error. */
    act(WG_ACT_SEND, "x", 0);
    fx(WG_OWNER_CHAT);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_SEND, WG_CONTACT_ERR_SERVER, 0), 0);
    CHECK_INT_EQ(w.chat.ct.last_error, WG_CONTACT_ERR_SERVER);
    CHECK_INT_EQ(w.input_error, 0); /* not an input error */
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_error:server");
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_SEND, 0), WG_E_STATE); /* none in flight */
    /* The end, its answer, and a new chat. */
    CHECK_INT_EQ(act(WG_ACT_END, NULL, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "http_disconnect sse_close notify_state:ended "
                                    "notify_ended:customer store_active");
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_DISCONNECT, 0), 0);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_DISCONNECT, WG_CONTACT_ERR_ENDED, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "");
    CHECK_INT_EQ(act(WG_ACT_END, NULL, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:state");
    CHECK_INT_EQ(act(WG_ACT_START, NULL, 0), 0);
    CHECK_INT_EQ(wg_transcript_count(&w.transcript), 0);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_START, WG_CONTACT_ERR_AUTH, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:starting http_start notify_error:auth "
                                    "notify_state:idle");
}

static void test_video_through_the_widget(void)
{
    chat_waiting(WG_MODE_CHAT);
    CHECK_INT_EQ(act(WG_ACT_VIDEO_JOIN, NULL, 0), WG_E_STATE); /* nothing offered */
    CHECK_INT_EQ(act(WG_ACT_VIDEO_DECLINE, NULL, 0), WG_E_STATE);
    CHECK_INT_EQ(act(WG_ACT_CAMERA, NULL, 0), WG_E_STATE);
    CHECK_INT_EQ(act(WG_ACT_VIDEO_END, NULL, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:state notify_error:state notify_error:state "
                                      "notify_error:state");
    CHECK_INT_EQ(wg_widget_media_active(&w, WG_OWNER_VIDEO, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_media_ready(&w, WG_OWNER_VIDEO, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_media_failed(&w, WG_OWNER_VIDEO, WG_MEDIA_ERR_FAILED, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "");

    /* Offer, decline: the agent is told; its answer, good or bad, changes
     * nothing (the offer is gone here already). */
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_VIDEO_OFFER;
    e.display_name = "Bob";
    e.screen_share = true;
    CHECK_INT_EQ(wg_widget_event(&w, WG_OWNER_CHAT, &e, 0), 1);
    CHECK_INT_EQ(act(WG_ACT_VIDEO_DECLINE, NULL, 0), 0);
    CHECK_INT_EQ(w.chat.video.state, WG_VIDEO_NONE);
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_WAITING);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "http_video_decline");
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_VIDEO_DECLINE, 0), 0);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_VIDEO_DECLINE, WG_CONTACT_ERR_NETWORK, 0), 0);
    CHECK_INT_EQ(w.chat.ct.last_error, WG_CONTACT_ERR_NONE);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "");
    CHECK_INT_EQ(act(WG_ACT_VIDEO_DECLINE, NULL, 0), WG_E_STATE); /* once */
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "notify_error:state");

    /* Offer, join, connect, camera, signals, end. */
    video_joining();
    CHECK_INT_EQ(w.chat.video.state, WG_VIDEO_JOINING);
    CHECK_INT_EQ(wg_widget_media_ready(&w, WG_OWNER_VIDEO, 0), 0);
    CHECK_INT_EQ(wg_widget_signal(&w, WG_OWNER_VIDEO, 6, WG_SIG_ANSWER, "{}", 2, 0), 1);
    CHECK_INT_EQ(wg_widget_signal(&w, WG_OWNER_CHAT, 7, WG_SIG_CANDIDATE, "{\"c\":1}", 7, 0), 1);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "rtc_answer:{} rtc_candidate:{\"c\":1}");
    CHECK_INT_EQ(wg_widget_media_active(&w, WG_OWNER_VIDEO, 0), 0);
    CHECK_INT_EQ(w.chat.video.state, WG_VIDEO_ACTIVE);
    CHECK_INT_EQ(act(WG_ACT_CAMERA, NULL, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "media_camera(1)");
    CHECK_INT_EQ(act(WG_ACT_VIDEO_END, NULL, 0), 0);
    CHECK_INT_EQ(w.chat.video.state, WG_VIDEO_NONE);
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_WAITING);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "http_video_end rtc_bye");
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_VIDEO_END, 0), 0);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_VIDEO_END, WG_CONTACT_ERR_NETWORK, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "");

    /* The camera is refused: the video goes on without it. */
    video_joining();
    act(WG_ACT_CAMERA, NULL, 0);
    fx(WG_OWNER_VIDEO);
    CHECK_INT_EQ(wg_widget_media_failed(&w, WG_OWNER_VIDEO, WG_MEDIA_ERR_DENIED, 0), 0);
    CHECK_INT_EQ(w.chat.video.state, WG_VIDEO_JOINING);
    CHECK(!w.chat.video.camera_on);
    CHECK_INT_EQ(w.chat.video.media_error, WG_MEDIA_ERR_DENIED);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "notify_error:camera_denied");
    /* The microphone is refused (camera off): the video ends. */
    CHECK_INT_EQ(wg_widget_media_failed(&w, WG_OWNER_VIDEO, WG_MEDIA_ERR_UNAVAILABLE, 0), 0);
    CHECK_INT_EQ(w.chat.video.state, WG_VIDEO_NONE);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "rtc_bye http_video_end "
                                     "notify_error:microphone_unavailable");
    /* The connection fails with the camera on: the video ends too. */
    video_joining();
    act(WG_ACT_CAMERA, NULL, 0);
    fx(WG_OWNER_VIDEO);
    CHECK_INT_EQ(wg_widget_media_failed(&w, WG_OWNER_VIDEO, WG_MEDIA_ERR_FAILED, 0), 0);
    CHECK_INT_EQ(w.chat.video.state, WG_VIDEO_NONE);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "rtc_bye http_video_end notify_error:media_failed");

    /* The agent's bye, then the chat's end with the video on. */
    video_joining();
    CHECK_INT_EQ(wg_widget_signal(&w, WG_OWNER_VIDEO, 8, WG_SIG_BYE, NULL, 0, 0), 1);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "rtc_bye");
    video_joining();
    struct wg_event end = ev_state(9, WG_CS_ENDED, "agent");
    wg_widget_event(&w, WG_OWNER_CHAT, &end, 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "rtc_bye@video sse_close notify_state:ended "
                                    "notify_ended:agent store_active");

    /* The call's owner in a chat widget, the widget's own owner. */
    CHECK_INT_EQ(wg_widget_media_ready(&w, WG_OWNER_CALL, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_media_failed(&w, WG_OWNER_CALL, WG_MEDIA_ERR_DENIED, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_media_active(&w, WG_OWNER_CALL, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_media_ready(&w, WG_OWNER_CHAT, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_media_active(&w, WG_OWNER_WIDGET, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_signal(&w, WG_OWNER_CALL, 1, WG_SIG_OFFER, "{}", 2, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_signal(&w, WG_OWNER_WIDGET, 1, WG_SIG_OFFER, "{}", 2, 0), WG_E_INVAL);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "");
}

static void test_call_flow(void)
{
    struct wg_widget_config cfg = config(WG_MODE_CALL);
    cfg.number = "+44 20 7946 0958";
    cfg.number_len = strlen(cfg.number);
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, 0), 0);
    fx(WG_OWNER_WIDGET);
    /* The configured number wins over whatever text comes. */
    CHECK_INT_EQ(act(WG_ACT_DIAL, "bogus", 0), 0);
    CHECK_STR_EQ(wg_widget_state_name(&w), "dialing");
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "notify_state:dialing media_acquire");
    CHECK_INT_EQ(wg_widget_media_ready(&w, WG_OWNER_CALL, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "http_dial:+442079460958");
    CHECK_INT_EQ(wg_widget_dial_ok(&w, "m1", "t1", "tok", false, 0), 0);
    CHECK_STR_EQ(wg_widget_state_name(&w), "queued");
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CALL, 0), 0);
    struct wg_event e = ev_state(3, WG_CS_CONNECTED, NULL);
    CHECK_INT_EQ(wg_widget_event(&w, WG_OWNER_CALL, &e, 0), 1);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "notify_state:queued sse_open notify_state:connected");
    CHECK_INT_EQ(wg_widget_signal(&w, WG_OWNER_CALL, 4, WG_SIG_OFFER, "{}", 2, 0), 1);
    CHECK_INT_EQ(wg_widget_media_active(&w, WG_OWNER_CALL, 0), 0);
    CHECK_INT_EQ(w.call.media, WG_MEDIA_ACTIVE);
    CHECK_INT_EQ(act(WG_ACT_MUTE, NULL, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "rtc_offer:{} media_mute(1)");
    /* Keys, their answers and failures. */
    act(WG_ACT_KEY, "1", 0);
    act(WG_ACT_KEY, "2", 0);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "http_digits:1");
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_DIGITS, 0), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "http_digits:2");
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_DIGITS, WG_CONTACT_ERR_NETWORK, 5000), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "notify_error:network");
    CHECK_INT_EQ(wg_widget_tick(&w, 6000), 1);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "http_digits:2");
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_DIGITS, 6100), 0);
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_DIGITS, 6100), WG_E_STATE);
    /* Stream drop and retry. */
    CHECK_INT_EQ(wg_widget_stream_error(&w, WG_OWNER_CALL, 10000), 0);
    CHECK_INT_EQ(wg_widget_tick(&w, 11000), 1);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "sse_close sse_open(4)");
    /* Hang up: a failure, then again, then the answer. */
    CHECK_INT_EQ(act(WG_ACT_HANGUP, NULL, 0), 0);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_HANGUP, WG_CONTACT_ERR_NETWORK, 0), 0);
    CHECK_INT_EQ(act(WG_ACT_HANGUP, NULL, 0), 0);
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_HANGUP, 0), 0);
    CHECK_STR_EQ(wg_widget_state_name(&w), "ended");
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "http_hangup notify_error:network http_hangup rtc_bye "
                                    "sse_close notify_state:ended notify_ended:customer_hangup");

    /* A failed dial. */
    act(WG_ACT_DIAL, NULL, 0);
    wg_widget_media_ready(&w, WG_OWNER_CALL, 0);
    fx(WG_OWNER_CALL);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_DIAL, WG_CONTACT_ERR_NUMBER, 0), 0);
    CHECK_STR_EQ(w.call.ct.reason, "error");
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "notify_error:number rtc_bye notify_state:ended "
                                    "notify_ended:error");
    /* The microphone refused. */
    act(WG_ACT_DIAL, NULL, 0);
    fx(WG_OWNER_CALL);
    CHECK_INT_EQ(wg_widget_media_failed(&w, WG_OWNER_CALL, WG_MEDIA_ERR_DENIED, 0), 0);
    CHECK_STR_EQ(w.call.ct.reason, "microphone");
    CHECK_INT_EQ(w.call.media_error, WG_MEDIA_ERR_DENIED);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "notify_error:microphone_denied notify_state:ended "
                                    "notify_ended:microphone");
    /* Chat inputs in a call widget. */
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_transcript_page(&w, NULL, 0, false, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_SEND, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_START, WG_CONTACT_ERR_AUTH, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_SEND, WG_CONTACT_ERR_AUTH, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CHAT, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_stream_error(&w, WG_OWNER_CHAT, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_event(&w, WG_OWNER_CHAT, &e, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_signal(&w, WG_OWNER_VIDEO, 1, WG_SIG_ANSWER, "{}", 2, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_media_ready(&w, WG_OWNER_VIDEO, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "");
}

/* A dial answer the call cannot use must not leave it DIALING with the
 * microphone held: the dial fails as a server error would. */
static void test_dial_answer_refused(void)
{
    char long_id[WG_CALL_ID_MAX + 1];
    memset(long_id, 'a', sizeof(long_id) - 1);
    long_id[sizeof(long_id) - 1] = '\0';
    char long_token[WG_CALL_TOKEN_MAX + 1];
    memset(long_token, 't', sizeof(long_token) - 1);
    long_token[sizeof(long_token) - 1] = '\0';
    struct {
        const char *m, *t, *k;
        int code;
    } bad[] = {
        {"", "t1", "tok", WG_E_INVAL},
        {"m1", "", "tok", WG_E_INVAL},
        {"m1", "t1", "", WG_E_INVAL},
        {NULL, "t1", "tok", WG_E_INVAL},
        {long_id, "t1", "tok", WG_E_TOO_LONG},
        {"m1", long_id, "tok", WG_E_TOO_LONG},
        {"m1", "t1", long_token, WG_E_TOO_LONG},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        setup(WG_MODE_CALL);
        act(WG_ACT_DIAL, "7035550122", 1000);
        wg_widget_media_ready(&w, WG_OWNER_CALL, 1100);
        fx(WG_OWNER_CALL);
        CHECK_INT_EQ(wg_widget_dial_ok(&w, bad[i].m, bad[i].t, bad[i].k, false, 1200), bad[i].code);
        CHECK_INT_EQ(w.call.ct.state, WG_CALL_ENDED);
        CHECK_STR_EQ(w.call.ct.reason, "error");
        CHECK_INT_EQ(w.call.ct.last_error, WG_CONTACT_ERR_SERVER);
        CHECK(!w.call.mic_held);
        CHECK_STR_EQ(fx(WG_OWNER_CALL), "notify_error:server rtc_bye notify_state:ended "
                                        "notify_ended:error");
        /* A second answer changes nothing more. */
        CHECK_INT_EQ(wg_widget_dial_ok(&w, "m1", "t1", "tok", false, 1300), WG_E_STATE);
        CHECK_STR_EQ(fx(WG_OWNER_CALL), "");
    }
    /* An answer out of turn (still asking for the microphone) is only refused. */
    setup(WG_MODE_CALL);
    act(WG_ACT_DIAL, "7035550122", 1000);
    fx(WG_OWNER_CALL);
    CHECK_INT_EQ(wg_widget_dial_ok(&w, "", "t1", "tok", false, 1100), WG_E_STATE);
    CHECK_INT_EQ(w.call.ct.state, WG_CALL_DIALING);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "");
}

/* A video join nobody answers ends from the widget's tick. */
static void test_video_join_timeout_through_the_widget(void)
{
    video_joining(); /* joined at 2100; the camera works while joining */
    CHECK_INT_EQ(act(WG_ACT_CAMERA, NULL, 2200), 0);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "media_camera(1)");
    CHECK_INT_EQ(wg_widget_tick(&w, 2100 + WG_VIDEO_JOIN_TIMEOUT_MS - 1), 0);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "");
    CHECK_INT_EQ(wg_widget_tick(&w, 2100 + WG_VIDEO_JOIN_TIMEOUT_MS), 1);
    CHECK_INT_EQ(w.chat.video.state, WG_VIDEO_NONE);
    CHECK_INT_EQ(w.chat.video.media_error, WG_MEDIA_ERR_FAILED);
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_WAITING);
    CHECK_STR_EQ(fx(WG_OWNER_VIDEO), "rtc_bye http_video_end notify_error:media_failed");
}

/* How many nodes of the view built now have part `name`. */
static size_t parts_named(const char *name)
{
    static struct wg_view view;
    wg_view_build(&w, &view);
    size_t n = 0;
    for (size_t i = 0; i < view.count; i++)
        n += strcmp(view.nodes[i].part, name) == 0;
    return n;
}

/* The page gives a token for another user: the old user's chat is dropped
 * (not ended: it stays open for them), nothing of it is left to see, and
 * the new user's own resume flag decides what comes next. */
static void test_identity_changed_in_a_chat(void)
{
    chat_waiting(WG_MODE_CHAT);
    struct wg_event e = ev_state(2, WG_CS_CONNECTED, NULL);
    wg_widget_event(&w, WG_OWNER_CHAT, &e, 1300);
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_MESSAGE;
    e.id = 3;
    e.message.id = "m1";
    e.message.seq = 1;
    e.message.role = WG_ROLE_AGENT;
    e.message.content = "your card ends in 4242";
    e.message.content_len = strlen(e.message.content);
    wg_widget_event(&w, WG_OWNER_CHAT, &e, 1400);
    act(WG_ACT_SEND, "", 1500); /* an input error shown */
    fx(WG_OWNER_CHAT);
    CHECK(w.open);
    CHECK_INT_EQ(parts_named("message"), 1);

    CHECK_INT_EQ(wg_widget_identity_changed(&w, 2000), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "sse_close notify_state:idle");
    CHECK_STR_EQ(wg_widget_state_name(&w), "idle");
    CHECK(!w.open);
    CHECK_INT_EQ(w.input_error, 0);
    CHECK_INT_EQ(wg_transcript_count(&w.transcript), 0);
    CHECK_INT_EQ(parts_named("message"), 0);
    CHECK_INT_EQ(parts_named("panel"), 0);
    CHECK_INT_EQ(parts_named("launcher"), 1);
    /* What the old chat's stream and requests still deliver is refused. */
    CHECK_INT_EQ(wg_widget_event(&w, WG_OWNER_CHAT, &e, 2100), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, true, 2100), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CHAT, 2100), WG_E_STATE);
    CHECK_INT_EQ(wg_transcript_count(&w.transcript), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "");
    /* The new user had a chat open here: it resumes, as after a reload. */
    CHECK_INT_EQ(wg_widget_resume(&w, 2200), 0);
    CHECK(w.open);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:starting http_start(1)");
    CHECK_INT_EQ(wg_widget_resume(&w, 2300), WG_E_STATE); /* under way already */
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "");

    /* With the video on, its peer goes too; the typing throttle restarts. */
    video_joining();
    act(WG_ACT_TYPING, NULL, 3000);
    fx(WG_OWNER_CHAT);
    CHECK_INT_EQ(wg_widget_identity_changed(&w, 3100), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "rtc_bye@video sse_close notify_state:idle");
    CHECK_INT_EQ(w.chat.video.state, WG_VIDEO_NONE);
    CHECK_INT_EQ(parts_named("video"), 0);
    CHECK(w.typing_sent_ms == INT64_MIN);
    /* Without a flag of the new user's, nothing starts: the launcher waits. */
    CHECK_INT_EQ(act(WG_ACT_START, NULL, 3200), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CHAT), "notify_state:starting http_start");
}

/* In a call widget the live call is hung up: a call belongs to the person
 * at the device. The availability answer (the page's) stays. */
static void test_identity_changed_in_a_call(void)
{
    call_connected();
    w.agents_available = 2;
    CHECK_INT_EQ(wg_widget_identity_changed(&w, 2000), 0);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "http_hangup rtc_bye sse_close notify_state:idle");
    CHECK_STR_EQ(wg_widget_state_name(&w), "idle");
    CHECK(!w.open);
    CHECK_INT_EQ(w.agents_available, 2);
    CHECK_INT_EQ(parts_named("keypad"), 0);
    /* The hang-up's answer finds nothing; calls are never resumed. */
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_HANGUP, 2100), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_resume(&w, 2100), WG_E_STATE);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "");
    /* Idle already: only the panel closes. */
    setup(WG_MODE_CALL);
    act(WG_ACT_TOGGLE, NULL, 0);
    CHECK_INT_EQ(wg_widget_identity_changed(&w, 0), 0);
    CHECK(!w.open);
    CHECK_STR_EQ(fx(WG_OWNER_CALL), "");
    CHECK_INT_EQ(wg_widget_identity_changed(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_resume(NULL, 0), WG_E_INVAL);
}

static void test_request_routing_refusals(void)
{
    chat_waiting(WG_MODE_CHAT);
    /* Answers that have their own functions, and effects that are not requests. */
    static const enum wg_fx_kind own[] = {WG_FX_HTTP_START,
                                          WG_FX_HTTP_DIAL,
                                          WG_FX_HTTP_TRANSCRIPT,
                                          WG_FX_HTTP_AVAILABILITY,
                                          WG_FX_SSE_OPEN,
                                          WG_FX_NOTIFY_STATE,
                                          WG_FX_NONE};
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
        CHECK_INT_EQ(wg_widget_request_ok(&w, own[i], 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_SSE_OPEN, WG_CONTACT_ERR_AUTH, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_NONE, WG_CONTACT_ERR_AUTH, 0), WG_E_INVAL);
    /* A call's requests in a chat widget. */
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_DIGITS, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_HANGUP, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_DIAL, WG_CONTACT_ERR_AUTH, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_DIGITS, WG_CONTACT_ERR_AUTH, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_HANGUP, WG_CONTACT_ERR_AUTH, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_dial_ok(&w, "m", "t", "k", false, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CALL, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_VIDEO, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_stream_error(&w, WG_OWNER_WIDGET, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_event(&w, WG_OWNER_CALL, NULL, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_event(&w, WG_OWNER_CHAT, NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_WAITING);
    CHECK_STR_EQ(fx(WG_OWNER_WIDGET), "");
}

static void test_null_widget(void)
{
    CHECK_INT_EQ(wg_widget_start_ok(NULL, false, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_dial_ok(NULL, "m", "t", "k", false, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_transcript_page(NULL, NULL, 0, false, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_availability(NULL, 1, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_request_ok(NULL, WG_FX_HTTP_SEND, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_request_failed(NULL, WG_FX_HTTP_SEND, WG_CONTACT_ERR_AUTH, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_stream_open(NULL, WG_OWNER_CHAT, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_stream_error(NULL, WG_OWNER_CHAT, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_event(NULL, WG_OWNER_CHAT, NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_signal(NULL, WG_OWNER_CHAT, 0, WG_SIG_BYE, NULL, 0, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_media_ready(NULL, WG_OWNER_CALL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_media_failed(NULL, WG_OWNER_CALL, WG_MEDIA_ERR_DENIED, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_media_active(NULL, WG_OWNER_CALL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_widget_tick(NULL, 0), WG_E_INVAL);
    CHECK_STR_EQ(wg_widget_state_name(NULL), "unknown");
}

int main(void)
{
    UNIT_RUN(test_parsers);
    UNIT_RUN(test_init);
    UNIT_RUN(test_init_refuses_bad_config);
    UNIT_RUN(test_label_is_cut_whole);
    UNIT_RUN(test_resume);
    UNIT_RUN(test_resume_finds_no_chat);
    UNIT_RUN(test_panel);
    UNIT_RUN(test_availability);
    UNIT_RUN(test_availability_not_polled_when_never_hidden);
    UNIT_RUN(test_typing_throttle);
    UNIT_RUN(test_reference);
    UNIT_RUN(test_input_errors);
    UNIT_RUN(test_chat_flow);
    UNIT_RUN(test_video_through_the_widget);
    UNIT_RUN(test_call_flow);
    UNIT_RUN(test_dial_answer_refused);
    UNIT_RUN(test_identity_changed_in_a_chat);
    UNIT_RUN(test_identity_changed_in_a_call);
    UNIT_RUN(test_video_join_timeout_through_the_widget);
    UNIT_RUN(test_request_routing_refusals);
    UNIT_RUN(test_null_widget);
    return UNIT_DONE();
}
