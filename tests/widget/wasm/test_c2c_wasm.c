/* test_c2c_wasm.c - the wasm exports, natively: strings laid into the input
 * buffer back to back WITHOUT NULs (as the bridge writes them), a chat
 * resumed with a transcript page, live messages and a send, a call with a
 * signal and keypad digits, the JSON of every output checked by a small
 * validating parser plus exact substrings, escaping (quotes, backslashes,
 * newlines, control characters, UTF-8), errors and freeing (under ASan's
 * leak checker). */
#include <stdlib.h>
#include <string.h>

#include "c2c_utf8.h"
#include "c2c_wasm.h"
#include "json_out.h"
#include "unit.h"
#include "wg_err.h"
#include "wg_widget.h"

#include "widget/wasm/json_valid.h"

/* ---- helpers ---------------------------------------------------------------- */

/* Strings are laid into the module's buffer back to back, no NULs between
 * them, so an export that read past a length would show it. */
static char *lay_base;
static size_t lay_off;

static void lay_reset(void)
{
    lay_base = c2c_buffer(65536);
    CHECK(lay_base != NULL);
    lay_off = 0;
}

static const char *lay(const char *s)
{
    size_t n = strlen(s);
    memcpy(lay_base + lay_off, s, n);
    lay_off += n;
    lay_base[lay_off] = 'X'; /* garbage right after */
    return lay_base + lay_off - n;
}

#define L(s) lay(s), strlen(s)

static const char *out; /* the last output */

/* c2c_output, checked to be valid JSON. */
static const char *output(struct wg_widget *w)
{
    out = c2c_output(w);
    CHECK(out != NULL);
    if (out && !json_valid(out))
        fprintf(stderr, "  invalid JSON: %s\n", out);
    CHECK(json_valid(out));
    return out ? out : "";
}

#define CHECK_HAS(needle)                                                                          \
    do {                                                                                           \
        if (!strstr(out ? out : "", needle)) {                                                     \
            fprintf(stderr, "  %s:%d: missing %s\n    in %s\n", __FILE__, __LINE__, needle,        \
                    out ? out : "(null)");                                                         \
            unit__current_failed = 1;                                                              \
        }                                                                                          \
    } while (0)

#define CHECK_HASNT(needle) CHECK(!strstr(out ? out : "", needle))

/* ---- the writer ---------------------------------------------------------------- */

static void test_json_out_escaping(void)
{
    struct json_out j;
    json_out_init(&j);
    char all[40];
    for (int i = 0; i < 32; i++)
        all[i] = (char)i;
    memcpy(all + 32, "\"\\/\x7f", 4);
    CHECK_INT_EQ(json_out_string(&j, all, 36), 0);
    const char *s = json_out_finish(&j);
    CHECK_STR_EQ(s, "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\u0009"
                    "\\u000a\\u000b\\u000c\\u000d\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013"
                    "\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d"
                    "\\u001e\\u001f\\\"\\\\/\x7f\"");
    CHECK(json_valid(s));

    json_out_reset(&j);
    json_out_object_begin(&j);
    json_out_key(&j, "a\"b");
    json_out_array_begin(&j);
    json_out_int(&j, INT64_MIN);
    json_out_int(&j, INT64_MAX);
    json_out_int(&j, 0);
    json_out_bool(&j, true);
    json_out_array_begin(&j);
    json_out_array_end(&j);
    json_out_object_begin(&j);
    json_out_object_end(&j);
    json_out_cstring(&j, NULL);
    json_out_string(&j, "\xc3\xb1\xf0\x9f\x98\x80", 6); /* UTF-8 passes through */
    json_out_array_end(&j);
    json_out_key(&j, "n");
    json_out_bool(&j, false);
    CHECK_INT_EQ(json_out_object_end(&j), 0);
    s = json_out_finish(&j);
    CHECK_STR_EQ(s, "{\"a\\\"b\":[-9223372036854775808,9223372036854775807,0,true,[],{},\"\","
                    "\"\xc3\xb1\xf0\x9f\x98\x80\"],\"n\":false}");
    CHECK(json_valid(s));
    json_out_free(&j);
    CHECK(j.buf == NULL);
}

/* Bytes that are not UTF-8 become U+FFFD, so the output stays JSON
 * whatever a field holds (found by tests/fuzz/fuzz_widget_core through a
 * data-label). */
static void test_json_out_invalid_utf8(void)
{
    struct json_out j;
    json_out_init(&j);
    json_out_string(&j, "a\xff" "b\xe2\x82" "c\xed\xa0\x80" "\xc3\xa9\xf0", 12);
    const char *s = json_out_finish(&j);
    CHECK_STR_EQ(s, "\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd\\ufffd\xc3\xa9\\ufffd\"");
    CHECK(json_valid(s));
    json_out_free(&j);

    struct wg_widget *w = c2c_widget_new(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, 0, NULL, 0,
                                         "\xf0\x00", 2, 1000);
    CHECK(w != NULL);
    output(w);
    c2c_widget_free(w);
}

static void test_json_out_grows(void)
{
    struct json_out j;
    json_out_init(&j);
    static char big[100000];
    memset(big, 'a', sizeof(big));
    big[5] = '\n';
    json_out_array_begin(&j);
    for (int i = 0; i < 3; i++)
        CHECK_INT_EQ(json_out_string(&j, big, sizeof(big)), 0);
    json_out_array_end(&j);
    const char *s = json_out_finish(&j);
    CHECK(s != NULL);
    CHECK_INT_EQ(strlen(s), 3 * (sizeof(big) + 5 + 2) + 2 + 2);
    CHECK(json_valid(s));
    json_out_free(&j);
}

/* ---- exports ------------------------------------------------------------------- */

static void test_buffer_and_parsers(void)
{
    char *b = c2c_buffer(16);
    CHECK(b != NULL);
    char *big = c2c_buffer(1 << 20);
    CHECK(big != NULL);
    memset(big, 'x', 1 << 20);    /* all of it is ours */
    CHECK(c2c_buffer(10) == big); /* no shrink, no move */
    lay_reset();
    CHECK_INT_EQ(c2c_parse_mode(L("video")), WG_MODE_VIDEO);
    CHECK_INT_EQ(c2c_parse_mode(L("call")), WG_MODE_CALL);
    CHECK_INT_EQ(c2c_parse_mode(L("fax")), -1);
    CHECK_INT_EQ(c2c_parse_locale(L("es-MX")), WG_LOCALE_ES);
    CHECK_INT_EQ(c2c_parse_locale(L("klingon")), -1);
    CHECK_INT_EQ(c2c_parse_theme(L("dark")), WG_THEME_DARK);
    CHECK_INT_EQ(c2c_parse_theme(L("neon")), -1);
    CHECK_INT_EQ(c2c_parse_hide(L("grey")), WG_HIDE_GREY);
    CHECK_INT_EQ(c2c_parse_hide(L("maybe")), -1);
}

static void test_new_errors(void)
{
    lay_reset();
    CHECK(c2c_widget_new(WG_MODE_CALL, 0, 0, 0, L("call me maybe"), NULL, 0, 1) == NULL);
    CHECK_INT_EQ(c2c_last_error(), WG_E_INVAL);
    CHECK(c2c_widget_new(7, 0, 0, 0, NULL, 0, NULL, 0, 1) == NULL);
    CHECK_INT_EQ(c2c_last_error(), WG_E_INVAL);
    CHECK(c2c_widget_new(0, WG_LOCALE_COUNT, 0, 0, NULL, 0, NULL, 0, 1) == NULL);
    CHECK(c2c_widget_new(0, 0, -1, 0, NULL, 0, NULL, 0, 1) == NULL);
    struct wg_widget *w = c2c_widget_new(WG_MODE_CALL, 0, 0, 0, L("555 123 4567"), NULL, 0, 1);
    CHECK(w != NULL);
    CHECK_INT_EQ(c2c_last_error(), 0);
    CHECK(c2c_output(NULL) == NULL);
    CHECK_INT_EQ(c2c_last_error(), WG_E_INVAL);
    /* NULL widgets and out-of-range enums are refused, not crashed on. */
    CHECK_INT_EQ(c2c_action(NULL, WG_ACT_DIAL, NULL, 0, 1), WG_E_INVAL);
    CHECK_INT_EQ(c2c_action(w, 0, NULL, 0, 1), WG_E_INVAL);
    CHECK_INT_EQ(c2c_action(w, WG_ACT_COUNT, NULL, 0, 1), WG_E_INVAL);
    CHECK_INT_EQ(c2c_stream_open(w, 9, 1), WG_E_INVAL);
    CHECK_INT_EQ(c2c_request_ok(w, 999, 1), WG_E_INVAL);
    CHECK_INT_EQ(c2c_ev_state(w, WG_OWNER_CALL, 1, 9, NULL, 0, 0, 1), WG_E_INVAL);
    CHECK_INT_EQ(c2c_ev_signal(w, WG_OWNER_CALL, 1, 9, NULL, 0, 1), WG_E_INVAL);
    CHECK_INT_EQ(c2c_media_failed(w, WG_OWNER_CALL, 9, 1), WG_E_INVAL);
    CHECK_INT_EQ(c2c_tick(NULL, 1), WG_E_INVAL);
    c2c_widget_free(w);
    c2c_widget_free(NULL);
}

/* c2c_locale: a complete table is copied and used at once; anything else
 * is refused and the texts stay. */
static void test_locale(void)
{
    lay_reset();
    struct wg_widget *w = c2c_widget_new(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, 0, NULL, 0,
                                         NULL, 0, 1000.0);
    CHECK(w != NULL);
    size_t len = 0;
    const char *fr = wg_i18n_builtin(WG_LOCALE_FR, &len);
    char copy[8192];
    CHECK(len < sizeof(copy));
    memcpy(copy, fr, len);
    CHECK_INT_EQ(c2c_locale(w, copy, len), 0);
    memset(copy, 'x', len); /* the glue keeps its own copy */
    output(w);
    CHECK_HAS("\"text\":\"Discutez avec nous\"");
    CHECK_INT_EQ(c2c_locale(w, fr, len - 1), WG_E_INVAL);
    CHECK_INT_EQ(c2c_locale(w, NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(c2c_locale(NULL, fr, len), WG_E_INVAL);
    output(w);
    CHECK_HAS("\"text\":\"Discutez avec nous\"");
    c2c_widget_free(w);
}

static void test_chat_flow(void)
{
    lay_reset();
    struct wg_widget *w = c2c_widget_new(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, 1, NULL, 0,
                                         L("Talk \"to\" us"), 1000.0);
    CHECK(w != NULL);
    output(w);
    /* hide NEVER: no availability poll; a resume asks for a resume-only start (arg 1). */
    CHECK_HAS("{\"state\":\"starting\",\"fx\":[{\"kind\":\"notify_state\",\"owner\":");
    CHECK_HAS("{\"kind\":\"http_start\",\"owner\":\"chat\",\"arg\":1,\"text\":\"\"}");
    CHECK_HAS("\"fxOverflow\":false,\"view\":{\"hidden\":false,\"omitted\":0,\"nodes\":[");
    CHECK_HAS("{\"kind\":\"button\",\"part\":\"launcher\",\"key\":\"\",\"parent\":-1,"
              "\"text\":\"Talk \\\"to\\\" us\",\"name\":\"\",\"label\":\"\",\"variant\":\"\","
              "\"tone\":\"primary\","
              "\"action\":1,\"arg\":0,\"owner\":\"widget\",\"enabled\":true,\"live\":false,"
              "\"pressed\":-1,\"expanded\":1,\"maxLength\":0,\"numeric\":false,\"multiline\":false,"
              "\"time\":0,\"cont\":false,\"receipt\":\"\",\"links\":[]}");
    CHECK_HAS("\"part\":\"status\"");
    CHECK_HAS("{\"kind\":\"dialog\",\"part\":\"panel\"");
    CHECK_HAS("}],\"focus\":\"\",\"focusSeq\":0}}"); /* a resume moves no focus */
    CHECK_INT_EQ(c2c_action(w, WG_ACT_CLOSE, NULL, 0, 1000.5), 0);
    output(w);
    CHECK_HAS(",\"focus\":\"launcher\",\"focusSeq\":1}}");
    CHECK_INT_EQ(c2c_action(w, WG_ACT_TOGGLE, NULL, 0, 1000.6), 0);
    /* The effects are cleared by the output. */
    output(w);
    CHECK_HAS("\"fx\":[],");

    /* The Id stored from this chat's STORE_SEEN before the reload. */
    lay_reset();
    CHECK_INT_EQ(c2c_start_ok(w, 1, L("id-1"), "", 0, 1001.0), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"http_transcript\",\"owner\":\"chat\",\"arg\":0,\"text\":\"\"}");
    CHECK_HAS("{\"kind\":\"sse_open\",\"owner\":\"chat\",\"arg\":0,\"text\":\"\"}");
    CHECK_INT_EQ(c2c_stream_open(w, WG_OWNER_CHAT, 1002), 0);

    /* A transcript page of two, with NUL-less strings side by side. */
    lay_reset();
    CHECK_INT_EQ(c2c_transcript_item(w, L("id-1"), 1, 1700000000000.0, WG_ROLE_CUSTOMER, L("Al"),
                                     L("text/plain"), L("first")),
                 0);
    CHECK_INT_EQ(c2c_transcript_item(w, L("id-2"), 2, 1700000001000.0, WG_ROLE_AGENT, L("Bob"),
                                     L("text/plain"), L("second")),
                 0);
    lay_reset(); /* the items were copied: the buffer may be reused at once */
    memset(lay_base, '?', 256);
    CHECK_INT_EQ(c2c_transcript_done(w, 0, 1003), 2);
    output(w);
    CHECK_HAS("{\"kind\":\"item\",\"part\":\"message\",\"key\":\"id-1\",\"parent\":4,"
              "\"text\":\"first\",\"name\":\"Al\",\"label\":\"Delivered\",\"variant\":\"customer\"");
    CHECK_HAS("\"numeric\":false,\"multiline\":false,\"time\":1700000000000,\"cont\":false,\"receipt\":\"delivered\","
              "\"links\":[]}");
    /* The agent read it. */
    lay_reset();
    CHECK_INT_EQ(c2c_ev_read(w, WG_OWNER_CHAT, 9, WG_ROLE_AGENT, L("id-1"), 1003.5), 1);
    output(w);
    CHECK_HAS("\"label\":\"Read\",\"variant\":\"customer\"");
    CHECK_HAS("\"receipt\":\"read\"");
    CHECK_INT_EQ(c2c_ev_read(w, 9, 9, WG_ROLE_AGENT, L("id-1"), 1003.5), WG_E_INVAL);
    CHECK_HAS("\"key\":\"id-2\",\"parent\":4,\"text\":\"second\",\"name\":\"Bob\"");
    /* id-2 came after the one seen: the marker before it, until focus comes
     * into the open panel, which stores id-2. */
    CHECK_HAS("\"part\":\"new-messages\",\"key\":\"\",\"parent\":4,\"text\":\"New messages\"");
    CHECK_INT_EQ(c2c_focus(w, 1, 1003.6), 1);
    output(w);
    CHECK_HAS("{\"kind\":\"store_seen\",\"owner\":\"chat\",\"arg\":0,\"text\":\"id-2\"}");
    CHECK_HASNT("new-messages");

    /* Agent joins, a live message with everything that needs escaping. */
    lay_reset();
    CHECK_INT_EQ(c2c_ev_joined(w, WG_OWNER_CHAT, 10, WG_ROLE_AGENT, L("Bob"), 1004), 1);
    CHECK(c2c_ev_state(w, WG_OWNER_CHAT, 11, WG_CS_CONNECTED, NULL, 0, 0, 1005) >= 0);
    lay_reset();
    const char *nasty = "say \"hi\"\\\n\tbell\x07 \xc3\xb1 \xe2\x82\xac \xf0\x9f\x98\x80";
    CHECK_INT_EQ(c2c_ev_message(w, WG_OWNER_CHAT, 12, L("id-3"), 3, 1700000002000.0, WG_ROLE_AGENT,
                                L("Bob"), L("text/plain"), L(nasty), 1006),
                 1);
    output(w);
    const char *escaped = "say \\\"hi\\\"\\\\\\u000a\\u0009bell\\u0007 \xc3\xb1 \xe2\x82\xac "
                          "\xf0\x9f\x98\x80";
    char want[256];
    snprintf(want, sizeof(want), "\"key\":\"id-3\",\"parent\":4,\"text\":\"%s\"", escaped);
    CHECK_HAS(want);
    snprintf(want, sizeof(want),
             "{\"kind\":\"notify_message\",\"owner\":\"chat\",\"arg\":%d,"
             "\"text\":\"%s\"}",
             WG_ROLE_AGENT, escaped);
    CHECK_HAS(want);
    CHECK_HAS("\"text\":\"Chatting with Bob\"");
    CHECK_HAS("{\"state\":\"connected\",");

    /* The user sends; the text goes out in the effect. */
    lay_reset();
    CHECK_INT_EQ(c2c_action(w, WG_ACT_SEND, L("thanks\n"), 1007), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"http_send\",\"owner\":\"chat\",\"arg\":0,\"text\":\"thanks\\u000a\"}");
    CHECK_INT_EQ(c2c_request_ok(w, WG_FX_HTTP_SEND, 1008), 0);
    CHECK_INT_EQ(c2c_action(w, WG_ACT_SEND, L("  "), 1009), WG_E_EMPTY);
    output(w);
    CHECK_HAS("{\"kind\":\"alert\",\"part\":\"error\"");
    CHECK_HAS("\"text\":\"Messages must be 1 to 8192 characters of text\"");

    CHECK_INT_EQ(c2c_ev_typing(w, WG_OWNER_CHAT, 13, WG_ROLE_AGENT, L("Bob"), 1005, 1010), 1);
    CHECK_INT_EQ(c2c_ev_video_offer(w, 14, L("Bob"), 1, 1011), 1);
    CHECK(c2c_ev_other(w, WG_OWNER_CHAT, 15, 1012) >= 0);
    output(w);
    CHECK_HAS("\"part\":\"typing\",\"key\":\"\",\"parent\":1,\"text\":\"Bob is typing...\"");
    CHECK_HAS("\"text\":\"Bob invites you to a video call and will share their screen\"");
    CHECK_INT_EQ(c2c_ev_video_ended(w, 16, 1013), 1); /* the offer is withdrawn */
    output(w);
    CHECK_HASNT("\"part\":\"video-offer\"");

    CHECK_INT_EQ(c2c_action(w, WG_ACT_END, NULL, 0, 1014), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"http_disconnect\",\"owner\":\"chat\"");
    CHECK_HAS("{\"state\":\"ended\",");
    CHECK_HAS("\"text\":\"You ended the conversation\"");
    c2c_widget_free(w);
}

/* A declined video offer goes out as http_video_decline; another user at
 * the device (c2c_identity_changed) leaves no message of the old one in
 * the view, and c2c_resume resumes the new user's own chat. */
static void test_decline_and_identity_changed(void)
{
    lay_reset();
    struct wg_widget *w =
        c2c_widget_new(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, 1, NULL, 0, NULL, 0, 1000.0);
    CHECK(w != NULL);
    CHECK_INT_EQ(c2c_start_ok(w, 1, "", 0, "", 0, 1001.0), 0);
    CHECK_INT_EQ(c2c_stream_open(w, WG_OWNER_CHAT, 1002), 0);
    CHECK(c2c_ev_state(w, WG_OWNER_CHAT, 1, WG_CS_CONNECTED, NULL, 0, 0, 1003) >= 0);
    lay_reset();
    CHECK_INT_EQ(c2c_ev_message(w, WG_OWNER_CHAT, 2, L("id-1"), 1, 1700000000000.0, WG_ROLE_AGENT,
                                L("Bob"), L("text/plain"), L("a secret"), 1004),
                 1);
    CHECK_INT_EQ(c2c_ev_video_offer(w, 3, L("Bob"), 0, 1005), 1);
    output(w);
    CHECK_HAS("\"part\":\"video-decline\"");
    CHECK_INT_EQ(c2c_action(w, WG_ACT_VIDEO_DECLINE, NULL, 0, 1006), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"http_video_decline\",\"owner\":\"video\",\"arg\":0,\"text\":\"\"}");
    CHECK_HASNT("\"part\":\"video-offer\"");
    CHECK_INT_EQ(c2c_request_ok(w, WG_FX_HTTP_VIDEO_DECLINE, 1007), 0);

    CHECK_HAS("\"text\":\"a secret\"");
    CHECK_INT_EQ(c2c_identity_changed(w, 1008), 0);
    output(w);
    CHECK_HAS("{\"state\":\"idle\",\"fx\":[{\"kind\":\"sse_close\",\"owner\":\"chat\"");
    CHECK_HASNT("store_active"); /* the old user's flag stays theirs */
    CHECK_HASNT("a secret");
    CHECK_HASNT("http_disconnect");
    CHECK_HASNT("\"part\":\"panel\"");
    CHECK_INT_EQ(c2c_resume(w, 1009), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"http_start\",\"owner\":\"chat\",\"arg\":1,\"text\":\"\"}");
    CHECK_HAS("\"part\":\"panel\"");
    CHECK_INT_EQ(c2c_identity_changed(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(c2c_resume(NULL, 0), WG_E_INVAL);
    c2c_widget_free(w);
}

static void test_transcript_page_limit_and_free(void)
{
    lay_reset();
    struct wg_widget *w = c2c_widget_new(WG_MODE_CHAT, 0, 0, 1, NULL, 0, NULL, 0, 1);
    CHECK(w != NULL);
    char id[16];
    for (int i = 0; i < 100; i++) {
        snprintf(id, sizeof(id), "m%d", i);
        CHECK_INT_EQ(c2c_transcript_item(w, id, strlen(id), i + 1, 0, WG_ROLE_AGENT, NULL, 0, NULL,
                                         0, "x", 1),
                     0);
    }
    CHECK_INT_EQ(c2c_transcript_item(w, "m", 1, 101, 0, WG_ROLE_AGENT, NULL, 0, NULL, 0, "x", 1),
                 WG_E_FULL);
    CHECK_INT_EQ(c2c_transcript_item(w, "m", 1, 101, 0, 9, NULL, 0, NULL, 0, "x", 1), WG_E_INVAL);
    /* Freed with the page still pending: ASan's leak check would tell. */
    c2c_widget_free(w);
}

static void test_call_flow(void)
{
    lay_reset();
    struct wg_widget *w = c2c_widget_new(WG_MODE_CALL, WG_LOCALE_ES, WG_HIDE_GREY, 0,
                                         L("+1 555 123 4567"), NULL, 0, 5000);
    CHECK(w != NULL);
    CHECK_INT_EQ(c2c_availability(w, 0, 5001), 1);
    output(w);
    CHECK_HAS("{\"state\":\"idle\",");
    CHECK_HAS("\"part\":\"launcher\",\"key\":\"\",\"parent\":-1,\"text\":\"Llámanos\",\"name\":"
              "\"\",\"label\":\"Llámanos (No hay agentes disponibles en este momento)\","
              "\"variant\":\"unavailable\"");
    CHECK_HAS("\"enabled\":false");
    CHECK_INT_EQ(c2c_availability(w, 1, 5002), 1);

    CHECK_INT_EQ(c2c_action(w, WG_ACT_DIAL, NULL, 0, 5003), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"media_acquire\",\"owner\":\"call\",\"arg\":0,\"text\":\"\"}");
    CHECK_HAS("\"text\":\"Esperando el micrófono...\"");
    CHECK_INT_EQ(c2c_media_ready(w, WG_OWNER_CALL, 5004), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"http_dial\",\"owner\":\"call\",\"arg\":0,\"text\":\"+15551234567\"}");

    /* Too long an id is refused whole, as the core does. */
    char longid[WG_CALL_ID_MAX + 1];
    memset(longid, 'a', sizeof(longid));
    lay_reset();
    CHECK_INT_EQ(c2c_dial_ok(w, longid, sizeof(longid), L("t"), L("k"), 0, 5005), WG_E_TOO_LONG);
    lay_reset();
    CHECK_INT_EQ(c2c_dial_ok(w, L("meet-1"), L("tx-1"), L("tok.en"), 0, 5005), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"sse_open\",\"owner\":\"call\",\"arg\":0,\"text\":\"\"}");
    CHECK_HAS("{\"kind\":\"audio\",\"part\":\"audio\",\"key\":\"\",\"parent\":-1");
    CHECK_HAS("\"owner\":\"call\",\"enabled\":true");
    CHECK_INT_EQ(c2c_stream_open(w, WG_OWNER_CALL, 5006), 0);
    CHECK_INT_EQ(c2c_ev_queue(w, WG_OWNER_CALL, 20, 2, 2, 30, 5007), 1);
    output(w);
    CHECK_HAS("\"text\":\"Eres el número 2 en la fila \xc2\xb7 Unos 1 min\"");

    lay_reset();
    CHECK_INT_EQ(c2c_ev_joined(w, WG_OWNER_CALL, 21, WG_ROLE_AGENT, L("Ana"), 5008), 1);
    CHECK(c2c_ev_state(w, WG_OWNER_CALL, 22, WG_CS_CONNECTED, NULL, 0, 0, 5009) >= 0);
    lay_reset();
    const char *offer = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}";
    CHECK_INT_EQ(c2c_ev_signal(w, WG_OWNER_CALL, 23, WG_SIG_OFFER, L(offer), 5010), 1);
    output(w);
    CHECK_HAS("{\"kind\":\"rtc_offer\",\"owner\":\"call\",\"arg\":0,\"text\":"
              "\"{\\\"type\\\":\\\"offer\\\",\\\"sdp\\\":\\\"v=0\\\\r\\\\n\\\"}\"}");
    CHECK_HAS("\"text\":\"En llamada con Ana\"");
    CHECK_HAS("{\"kind\":\"button\",\"part\":\"key-star\",\"key\":\"\",\"parent\":4,"
              "\"text\":\"*\",\"name\":\"\",\"label\":\"\",\"variant\":\"\","
              "\"tone\":\"secondary\",\"action\":8,"
              "\"arg\":42,");
    CHECK_INT_EQ(c2c_media_active(w, WG_OWNER_CALL, 5011), 0);

    lay_reset();
    CHECK_INT_EQ(c2c_action(w, WG_ACT_KEY, L("7"), 5012), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"http_digits\",\"owner\":\"call\",\"arg\":0,\"text\":\"7\"}");
    CHECK_HAS("\"text\":\"Dígitos enviados: 7\"");
    CHECK_INT_EQ(c2c_request_failed(w, WG_FX_HTTP_DIGITS, WG_CONTACT_ERR_NETWORK, 5013), 0);
    CHECK_INT_EQ(c2c_tick(w, 60000), 1);
    output(w);
    CHECK_HAS("{\"kind\":\"http_digits\",\"owner\":\"call\",\"arg\":0,\"text\":\"7\"}");
    CHECK_INT_EQ(c2c_request_ok(w, WG_FX_HTTP_DIGITS, 60001), 0);
    CHECK(c2c_ev_dtmf(w, WG_OWNER_CALL, 24, '3', WG_ROLE_AGENT, 60002) >= 0);
    CHECK_INT_EQ(c2c_stream_error(w, WG_OWNER_CALL, 60003), 0);
    output(w);
    CHECK_HAS("\"part\":\"connection\"");

    CHECK_INT_EQ(c2c_action(w, WG_ACT_HANGUP, NULL, 0, 60004), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"http_hangup\",\"owner\":\"call\"");
    CHECK(c2c_ev_state(w, WG_OWNER_CALL, 25, WG_CS_ENDED, L("customer_hangup"), 0, 60005) >= 0);
    output(w);
    CHECK_HAS("{\"state\":\"ended\",");
    CHECK_HAS("{\"kind\":\"notify_ended\",\"owner\":\"call\",\"arg\":0,\"text\":"
              "\"customer_hangup\"}");
    CHECK_HAS("\"text\":\"Finalizaste la conversación\"");
    CHECK_HASNT("\"part\":\"audio\"");
    c2c_widget_free(w);
}

/* A call bridged to a phone through the exports: the Bridge flag, the
 * offer effect, DIALING and SipStatus in contact.state, dtmf.play. */
static void test_bridged_call(void)
{
    lay_reset();
    struct wg_widget *w = c2c_widget_new(WG_MODE_CALL, 0, 0, 0, L("+1 555 123 4567"), NULL, 0, 1);
    CHECK(w != NULL);
    CHECK_INT_EQ(c2c_action(w, WG_ACT_DIAL, NULL, 0, 2), 0);
    CHECK_INT_EQ(c2c_media_ready(w, WG_OWNER_CALL, 3), 0);
    output(w);
    lay_reset();
    CHECK_INT_EQ(c2c_dial_ok(w, L("meet-1"), L("tx-1"), L("tok.en"), 1, 4), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"rtc_start\",\"owner\":\"call\",\"arg\":1,\"text\":\"\"}");
    CHECK_HAS("\"text\":\"Calling +15551234567...\"");
    CHECK_INT_EQ(c2c_stream_open(w, WG_OWNER_CALL, 5), 0);
    lay_reset();
    CHECK_INT_EQ(c2c_ev_state(w, WG_OWNER_CALL, 1, WG_CS_DIALING, NULL, 0, 0, 6), 0);
    CHECK_INT_EQ(c2c_ev_state(w, WG_OWNER_CALL, 1, WG_CS_COUNT, NULL, 0, 0, 6), WG_E_INVAL);
    CHECK(c2c_ev_state(w, WG_OWNER_CALL, 2, WG_CS_CONNECTED, NULL, 0, 0, 7) >= 0);
    lay_reset();
    CHECK_INT_EQ(c2c_ev_dtmf_play(w, WG_OWNER_CALL, 3, L("12#"), 8), 0);
    output(w);
    CHECK_HAS("{\"kind\":\"rtc_dtmf\",\"owner\":\"call\",\"arg\":0,\"text\":\"12#\"}");
    lay_reset();
    CHECK_INT_EQ(c2c_ev_dtmf_play(w, WG_OWNER_CALL, 4, L("123456789012345678901234"), 9), 0);
    output(w);
    CHECK_HASNT("rtc_dtmf");
    CHECK_INT_EQ(c2c_ev_dtmf_play(NULL, WG_OWNER_CALL, 4, L("1"), 9), WG_E_INVAL);
    lay_reset();
    CHECK(c2c_ev_state(w, WG_OWNER_CALL, 5, WG_CS_ENDED, L("busy"), 486, 10) >= 0);
    output(w);
    CHECK_HAS("{\"kind\":\"notify_ended\",\"owner\":\"call\",\"arg\":0,\"text\":\"busy\"}");
    CHECK_HAS("\"text\":\"The line is busy\"");
    c2c_widget_free(w);
}

static void test_call_microphone_and_media(void)
{
    struct wg_widget *w = c2c_widget_new(WG_MODE_CALL, 0, 0, 0, NULL, 0, NULL, 0, 1);
    CHECK(w != NULL);
    lay_reset();
    CHECK(c2c_action(w, WG_ACT_DIAL, L("12"), 2) < 0);
    output(w);
    CHECK_HAS("\"text\":\"Please enter a valid phone number\"");
    CHECK_HAS("{\"kind\":\"notify_error\",\"owner\":\"widget\",\"arg\":0,\"text\":\"number\"}");
    lay_reset();
    CHECK_INT_EQ(c2c_action(w, WG_ACT_DIAL, L("+442071234567"), 3), 0);
    CHECK_INT_EQ(c2c_media_failed(w, WG_OWNER_CALL, WG_MEDIA_ERR_UNAVAILABLE, 4), 0);
    output(w);
    CHECK_HAS("\"text\":\"No microphone was found\"");
    CHECK_HAS("{\"state\":\"ended\",");
    /* Times that are not numbers, or too big, are clamped, not undefined. */
    CHECK(c2c_tick(w, 0.0 / 0.0) >= 0);
    CHECK(c2c_tick(w, 1e300) >= 0);
    CHECK(c2c_tick(w, -1e300) >= 0);
    output(w);
    c2c_widget_free(w);
}

int main(void)
{
    UNIT_RUN(test_json_out_escaping);
    UNIT_RUN(test_json_out_grows);
    UNIT_RUN(test_json_out_invalid_utf8);
    UNIT_RUN(test_buffer_and_parsers);
    UNIT_RUN(test_new_errors);
    UNIT_RUN(test_locale);
    UNIT_RUN(test_chat_flow);
    UNIT_RUN(test_decline_and_identity_changed);
    UNIT_RUN(test_transcript_page_limit_and_free);
    UNIT_RUN(test_call_flow);
    UNIT_RUN(test_call_microphone_and_media);
    UNIT_RUN(test_bridged_call);
    return UNIT_DONE();
}
