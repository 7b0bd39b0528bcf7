/* test_wg_chat.c - the chat state machine: every transition with the
 * effects it asks for, resume, end and start again, send validation,
 * stream backoff timed from the input time, Last-Event-ID tracking,
 * transcript backfill after a reconnect, typing expiry. */
#include <string.h>

#include "unit.h"
#include "wg_chat.h"
#include "wg_err.h"

static struct wg_tr_entry items[32];
static char arena[4096];
static struct wg_transcript tr;
static struct wg_chat chat;

static void setup(void)
{
    wg_transcript_init(&tr, items, 32, arena, sizeof(arena));
    wg_chat_init(&chat, &tr);
}

/* The pending effects as a compact string, e.g. "STATE(1) START", then
 * cleared. */
static const char *fx(void)
{
    static char buf[512];
    static const char *names[] = {"?",        "START",     "SEND",       "TRANSCRIPT",
                                  "SSE_OPEN", "SSE_CLOSE", "DISCONNECT", "STATE"};
    size_t n, pos = 0;
    const struct wg_effect *e = wg_chat_effects(&chat, &n);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%s%s", pos ? " " : "",
                                names[e[i].kind]);
        if (e[i].kind == WG_FX_HTTP_TRANSCRIPT || e[i].kind == WG_FX_SSE_OPEN ||
            e[i].kind == WG_FX_STATE_CHANGED)
            pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "(%lld)", (long long)e[i].arg);
    }
    wg_chat_effects_clear(&chat);
    return buf;
}

static struct wg_event ev_state(int64_t id, enum wg_contact_state s, const char *reason)
{
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_CONTACT_STATE;
    e.id = id;
    e.contact_state = s;
    e.reason = reason;
    return e;
}

static struct wg_event ev_msg(int64_t id, const char *mid, int64_t seq, enum wg_role role,
                              const char *text)
{
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_MESSAGE;
    e.id = id;
    e.message.id = mid;
    e.message.seq = seq;
    e.message.time_ms = seq * 1000;
    e.message.role = role;
    e.message.display_name = role == WG_ROLE_AGENT ? "Bob" : "Alice";
    e.message.content_type = "text/plain";
    e.message.content = text;
    e.message.content_len = strlen(text);
    return e;
}

/* IDLE -> STARTING -> WAITING with the stream open. */
static void to_waiting(void)
{
    setup();
    CHECK_INT_EQ(wg_chat_start(&chat, 1000), 0);
    CHECK_INT_EQ(wg_chat_start_ok(&chat, false, 1100), 0);
    CHECK_INT_EQ(wg_chat_stream_open(&chat, 1200), 0);
    fx();
}

static void test_start_to_waiting_to_connected(void)
{
    setup();
    CHECK_INT_EQ(chat.state, WG_CHAT_IDLE);
    CHECK_INT_EQ(chat.stream.conn, WG_CONN_CLOSED);
    CHECK_INT_EQ(wg_chat_start(&chat, 1000), 0);
    CHECK_INT_EQ(chat.state, WG_CHAT_STARTING);
    CHECK_STR_EQ(fx(), "STATE(1) START");
    CHECK_INT_EQ(wg_chat_start(&chat, 1000), WG_E_STATE); /* no double start */
    CHECK_INT_EQ(wg_chat_start_ok(&chat, false, 1100), 0);
    CHECK_INT_EQ(chat.state, WG_CHAT_WAITING);
    CHECK_INT_EQ(chat.stream.conn, WG_CONN_CONNECTING);
    CHECK_STR_EQ(fx(), "STATE(2) SSE_OPEN(0)");
    CHECK_INT_EQ(wg_chat_stream_open(&chat, 1200), 0);
    CHECK_INT_EQ(chat.stream.conn, WG_CONN_OPEN);
    CHECK_STR_EQ(fx(), ""); /* first open: no backfill */

    struct wg_event e = ev_state(1, WG_CS_QUEUED, NULL);
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 1300), 0); /* already waiting */
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_QUEUE;
    e.id = 2;
    e.position = 3;
    e.queue_depth = 5;
    e.est_wait_s = 120;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 1400), 1);
    CHECK_INT_EQ(chat.queue_position, 3);
    CHECK_INT_EQ(chat.queue_depth, 5);
    CHECK_INT_EQ(chat.est_wait_s, 120);

    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_PARTICIPANT_JOINED;
    e.id = 3;
    e.role = WG_ROLE_AGENT;
    e.display_name = "Bob";
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 1500), 1);
    CHECK_STR_EQ(chat.agent_name, "Bob");
    e.role = WG_ROLE_CUSTOMER; /* our own join is not the agent */
    e.display_name = "Alice";
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 1500), 0);
    CHECK_STR_EQ(chat.agent_name, "Bob");

    e = ev_state(4, WG_CS_CONNECTED, NULL);
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 1600), 1);
    CHECK_INT_EQ(chat.state, WG_CHAT_CONNECTED);
    CHECK_STR_EQ(fx(), "STATE(3)");
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 4);
}

static void test_start_failed_returns_to_idle_with_error(void)
{
    setup();
    wg_chat_start(&chat, 0);
    fx();
    CHECK_INT_EQ(wg_chat_start_failed(&chat, WG_CHAT_ERR_AUTH, 10), 0);
    CHECK_INT_EQ(chat.state, WG_CHAT_IDLE);
    CHECK_INT_EQ(chat.last_error, WG_CHAT_ERR_AUTH);
    CHECK_STR_EQ(fx(), "STATE(0)");
    CHECK_INT_EQ(wg_chat_start_failed(&chat, WG_CHAT_ERR_AUTH, 10), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_start_ok(&chat, false, 10), WG_E_STATE);
    /* Retry clears the error. */
    CHECK_INT_EQ(wg_chat_start(&chat, 20), 0);
    CHECK_INT_EQ(chat.last_error, WG_CHAT_ERR_NONE);
}

static void test_resume_goes_to_the_state_events_say(void)
{
    setup();
    wg_chat_start(&chat, 0);
    fx();
    CHECK_INT_EQ(wg_chat_start_ok(&chat, true, 10), 0);
    CHECK(chat.resumed);
    CHECK_STR_EQ(fx(), "STATE(2) TRANSCRIPT(0) SSE_OPEN(0)");
    wg_chat_stream_open(&chat, 20);
    /* Replayed events: queued, then connected, jump straight there. */
    struct wg_event e = ev_state(7, WG_CS_QUEUED, NULL);
    wg_chat_event(&chat, &e, 30);
    e = ev_state(9, WG_CS_CONNECTED, NULL);
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 30), 1);
    CHECK_INT_EQ(chat.state, WG_CHAT_CONNECTED);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 9);
    /* An older id does not move Last-Event-ID back. */
    e = ev_state(8, WG_CS_CONNECTED, NULL);
    wg_chat_event(&chat, &e, 30);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 9);

    /* A resumed chat that had already ended replays ENDED. */
    setup();
    wg_chat_start(&chat, 0);
    wg_chat_start_ok(&chat, true, 10);
    fx();
    e = ev_state(3, WG_CS_ENDED, "agent");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 30), 1);
    CHECK_INT_EQ(chat.state, WG_CHAT_ENDED);
    CHECK_STR_EQ(chat.reason, "agent");
    CHECK_STR_EQ(fx(), "SSE_CLOSE STATE(4)");
}

static void test_server_ends_then_start_again(void)
{
    to_waiting();
    struct wg_event e = ev_msg(5, "m1", 1, WG_ROLE_AGENT, "hi");
    wg_chat_event(&chat, &e, 2000);
    e = ev_state(6, WG_CS_ENDED, "agent_ended");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 2100), 1);
    CHECK_INT_EQ(chat.state, WG_CHAT_ENDED);
    CHECK_INT_EQ(chat.stream.conn, WG_CONN_CLOSED);
    CHECK_STR_EQ(fx(), "SSE_CLOSE STATE(4)");
    /* The transcript stays readable; late events are ignored. */
    CHECK_INT_EQ(wg_transcript_count(&tr), 1);
    e = ev_msg(7, "m2", 2, WG_ROLE_AGENT, "late");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 2200), 0);
    CHECK_INT_EQ(wg_transcript_count(&tr), 1);
    CHECK_INT_EQ(wg_chat_send(&chat, "x", 1, 2300), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_end(&chat, 2300), WG_E_STATE);
    /* Start anew: fresh chat, fresh transcript, Last-Event-ID from 0. */
    CHECK_INT_EQ(wg_chat_start(&chat, 3000), 0);
    CHECK_INT_EQ(chat.state, WG_CHAT_STARTING);
    CHECK_INT_EQ(wg_transcript_count(&tr), 0);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 0);
    CHECK_STR_EQ(chat.reason, "");
    CHECK_STR_EQ(chat.agent_name, "");
    CHECK_INT_EQ(chat.queue_position, -1);
    CHECK_STR_EQ(fx(), "STATE(1) START");
    wg_chat_start_ok(&chat, false, 3100);
    CHECK_STR_EQ(fx(), "STATE(2) SSE_OPEN(0)");
}

static void test_customer_ends(void)
{
    setup();
    CHECK_INT_EQ(wg_chat_end(&chat, 0), WG_E_STATE); /* idle */
    wg_chat_start(&chat, 0);
    CHECK_INT_EQ(wg_chat_end(&chat, 0), WG_E_STATE); /* starting */
    to_waiting();
    CHECK_INT_EQ(wg_chat_end(&chat, 5000), 0);
    CHECK_INT_EQ(chat.state, WG_CHAT_ENDED);
    CHECK_STR_EQ(chat.reason, "customer");
    CHECK_STR_EQ(fx(), "DISCONNECT SSE_CLOSE STATE(4)");
    CHECK_INT_EQ(wg_chat_end(&chat, 5000), WG_E_STATE);
}

static void test_send_validation(void)
{
    static char big[WG_CHAT_TEXT_MAX + 2];
    setup();
    CHECK_INT_EQ(wg_chat_send(&chat, "hi", 2, 0), WG_E_STATE); /* idle */
    to_waiting();
    CHECK_INT_EQ(wg_chat_send(&chat, "", 0, 0), WG_E_EMPTY);
    CHECK_INT_EQ(wg_chat_send(&chat, NULL, 0, 0), WG_E_EMPTY);
    CHECK_INT_EQ(wg_chat_send(&chat, " \t\r\n", 4, 0), WG_E_EMPTY);
    CHECK_INT_EQ(wg_chat_send(&chat, NULL, 3, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_send(&chat, "a\xc3(", 3, 0), WG_E_UTF8);
    CHECK_INT_EQ(wg_chat_send(&chat, "a\0b", 3, 0), WG_E_UTF8);
    memset(big, 'x', sizeof(big));
    CHECK_INT_EQ(wg_chat_send(&chat, big, WG_CHAT_TEXT_MAX + 1, 0), WG_E_TOO_LONG);
    CHECK_STR_EQ(fx(), ""); /* nothing was queued by a refused send */
    CHECK_INT_EQ(wg_chat_send(&chat, big, WG_CHAT_TEXT_MAX, 0), 0);
    size_t n;
    const struct wg_effect *e = wg_chat_effects(&chat, &n);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(e[0].kind, WG_FX_HTTP_SEND);
    CHECK_INT_EQ(e[0].text_len, WG_CHAT_TEXT_MAX);
    CHECK_INT_EQ(e[0].text[WG_CHAT_TEXT_MAX], '\0');
    /* One send per drain: the outbox holds one. */
    CHECK_INT_EQ(wg_chat_send(&chat, "again", 5, 0), WG_E_BUSY);
    fx();
    CHECK_INT_EQ(wg_chat_send(&chat, "caf\xc3\xa9", 5, 0), 0);
    e = wg_chat_effects(&chat, &n);
    CHECK_STR_EQ(e[0].text, "caf\xc3\xa9");
    fx();
}

static void test_send_failed(void)
{
    to_waiting();
    CHECK_INT_EQ(wg_chat_send_failed(&chat, WG_CHAT_ERR_NETWORK, 0), 0);
    CHECK_INT_EQ(chat.state, WG_CHAT_WAITING);
    CHECK_INT_EQ(chat.last_error, WG_CHAT_ERR_NETWORK);
    CHECK_INT_EQ(wg_chat_send_failed(&chat, WG_CHAT_ERR_ENDED, 0), 0);
    CHECK_INT_EQ(chat.state, WG_CHAT_ENDED);
    CHECK_STR_EQ(fx(), "SSE_CLOSE STATE(4)");
    CHECK_INT_EQ(wg_chat_send_failed(&chat, WG_CHAT_ERR_ENDED, 0), WG_E_STATE);
}

static void test_backoff_from_input_time(void)
{
    CHECK_INT_EQ(wg_stream_backoff_ms(0), 1000);
    CHECK_INT_EQ(wg_stream_backoff_ms(1), 2000);
    CHECK_INT_EQ(wg_stream_backoff_ms(4), 16000);
    CHECK_INT_EQ(wg_stream_backoff_ms(5), 30000);
    CHECK_INT_EQ(wg_stream_backoff_ms(1000), 30000);

    to_waiting();
    struct wg_event e = ev_state(42, WG_CS_QUEUED, NULL);
    wg_chat_event(&chat, &e, 1300);
    CHECK_INT_EQ(wg_chat_stream_error(&chat, 10000), 0);
    CHECK_INT_EQ(chat.stream.conn, WG_CONN_RETRYING);
    CHECK_STR_EQ(fx(), "SSE_CLOSE");
    CHECK_INT_EQ(wg_chat_stream_error(&chat, 10001), 0); /* duplicate error: no reschedule */
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_chat_tick(&chat, 10999), 0);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_chat_tick(&chat, 11000), 1);
    CHECK_INT_EQ(chat.stream.conn, WG_CONN_CONNECTING);
    CHECK_STR_EQ(fx(), "SSE_OPEN(42)");
    /* Fails again: 2 s, then 4 s, ... measured from each error's time. */
    int64_t now = 20000;
    int64_t want[] = {2000, 4000, 8000, 16000, 30000, 30000};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        wg_chat_stream_error(&chat, now);
        fx();
        CHECK_INT_EQ(wg_chat_tick(&chat, now + want[i] - 1), 0);
        CHECK_STR_EQ(fx(), "");
        CHECK_INT_EQ(wg_chat_tick(&chat, now + want[i]), 1);
        CHECK_STR_EQ(fx(), "SSE_OPEN(42)");
        now += want[i] + 500;
    }
    /* Open resets to 1 s and backfills from the last seq. */
    e = ev_msg(43, "m9", 9, WG_ROLE_AGENT, "x");
    wg_chat_event(&chat, &e, now);
    CHECK_INT_EQ(wg_chat_stream_open(&chat, now), 0);
    CHECK_STR_EQ(fx(), "TRANSCRIPT(9)");
    wg_chat_stream_error(&chat, now);
    fx();
    CHECK_INT_EQ(wg_chat_tick(&chat, now + 1000), 1);
    CHECK_STR_EQ(fx(), "SSE_OPEN(43)");
}

static void test_stream_inputs_ignored_when_no_stream(void)
{
    setup();
    CHECK_INT_EQ(wg_chat_stream_open(&chat, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_stream_error(&chat, 0), WG_E_STATE);
    to_waiting();
    wg_chat_end(&chat, 0);
    fx();
    CHECK_INT_EQ(wg_chat_stream_error(&chat, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_tick(&chat, 100000), 0);
    CHECK_STR_EQ(fx(), "");
}

static void test_reconnect_backfill_with_overlap(void)
{
    to_waiting();
    struct wg_event e = ev_msg(10, "m1", 1, WG_ROLE_CUSTOMER, "hello");
    wg_chat_event(&chat, &e, 0);
    e = ev_msg(11, "m2", 2, WG_ROLE_AGENT, "hi");
    wg_chat_event(&chat, &e, 0);
    wg_chat_stream_error(&chat, 0);
    wg_chat_tick(&chat, 1000);
    wg_chat_stream_open(&chat, 1100);
    CHECK_STR_EQ(fx(), "SSE_CLOSE SSE_OPEN(11) TRANSCRIPT(2)");
    /* The replayed stream and the page overlap on m2. */
    struct wg_msg page[2] = {
        {"m3", 3, 3000, WG_ROLE_AGENT, "Bob", "text/plain", "how can", 7},
        {"m2", 2, 2000, WG_ROLE_AGENT, "Bob", "text/plain", "hi", 2},
    };
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, page, 2, true, 1200), 1);
    CHECK_STR_EQ(fx(), "TRANSCRIPT(3)");
    e = ev_msg(12, "m3", 3, WG_ROLE_AGENT, "how can");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 1300), 0);
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, NULL, 0, false, 1300), 0);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_transcript_count(&tr), 3);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 12);
    /* Pages make no sense before the start answered. */
    setup();
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, page, 2, false, 0), WG_E_STATE);
}

static void test_typing_expires_and_video_flags(void)
{
    to_waiting();
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_TYPING;
    e.role = WG_ROLE_AGENT;
    e.display_name = "Bob";
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 5000), 1);
    CHECK_STR_EQ(chat.typing_name, "Bob");
    CHECK_INT_EQ(wg_chat_tick(&chat, 14999), 0);
    CHECK_INT_EQ(wg_chat_tick(&chat, 15000), 1);
    CHECK_STR_EQ(chat.typing_name, "");
    /* A message from the agent clears typing at once. */
    wg_chat_event(&chat, &e, 20000);
    struct wg_event m = ev_msg(0, "m1", 1, WG_ROLE_AGENT, "done");
    CHECK_INT_EQ(wg_chat_event(&chat, &m, 20001), 1);
    CHECK_STR_EQ(chat.typing_name, "");
    /* Customer typing (echo of our own) is not shown. */
    e.role = WG_ROLE_CUSTOMER;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 20002), 0);

    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_VIDEO_OFFER;
    e.display_name = "Bob";
    e.screen_share = true;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 1);
    CHECK(chat.video_offered);
    CHECK(chat.video_screen_share);
    e.kind = WG_EV_VIDEO_ENDED;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 1);
    CHECK(!chat.video_offered);
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 0);
    e.kind = WG_EV_DTMF;
    e.id = 99;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 0);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 99); /* ids count even when ignored */
    CHECK_INT_EQ(wg_chat_event(&chat, NULL, 0), WG_E_INVAL);
}

static void test_effects_overflow_is_flagged(void)
{
    to_waiting();
    for (int i = 0; i < WG_CHAT_EFFECTS_MAX; i++) {
        wg_chat_stream_error(&chat, 0);
        wg_chat_tick(&chat, 100000);
    }
    size_t n;
    wg_chat_effects(&chat, &n);
    CHECK_INT_EQ(n, WG_CHAT_EFFECTS_MAX);
    CHECK(chat.effects_overflow);
    CHECK_INT_EQ(wg_chat_send(&chat, "x", 1, 0), WG_E_FULL);
    wg_chat_effects_clear(&chat);
    CHECK(!chat.effects_overflow);
    CHECK_INT_EQ(wg_chat_send(&chat, "x", 1, 0), 0);
}

static void test_state_names(void)
{
    CHECK_STR_EQ(wg_chat_state_name(WG_CHAT_IDLE), "idle");
    CHECK_STR_EQ(wg_chat_state_name(WG_CHAT_WAITING), "waiting");
    CHECK_STR_EQ(wg_chat_state_name(WG_CHAT_ENDED), "ended");
}

int main(void)
{
    UNIT_RUN(test_start_to_waiting_to_connected);
    UNIT_RUN(test_start_failed_returns_to_idle_with_error);
    UNIT_RUN(test_resume_goes_to_the_state_events_say);
    UNIT_RUN(test_server_ends_then_start_again);
    UNIT_RUN(test_customer_ends);
    UNIT_RUN(test_send_validation);
    UNIT_RUN(test_send_failed);
    UNIT_RUN(test_backoff_from_input_time);
    UNIT_RUN(test_stream_inputs_ignored_when_no_stream);
    UNIT_RUN(test_reconnect_backfill_with_overlap);
    UNIT_RUN(test_typing_expires_and_video_flags);
    UNIT_RUN(test_effects_overflow_is_flagged);
    UNIT_RUN(test_state_names);
    return UNIT_DONE();
}
