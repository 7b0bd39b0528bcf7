/* test_wg_chat.c - the chat state machine: every transition with the
 * effects and notifications it pushes, resume (and the resume-only start
 * that finds no chat), end and start again, the ad-hoc reference, send
 * validation and one send in flight, stream backoff timed from the input
 * time, Last-Event-ID tracking, transcript backfill after a reconnect and
 * paging by the page's own Seq, typing expiry, replayed messages and typing
 * that must not look new, the video inside, its signals and its join
 * timeout, and the chat dropped for another user at the device. */
#include <stdint.h>
#include <string.h>

#include "ev_state.h"
#include "fx_str.h"
#include "unit.h"
#include "wg_chat.h"
#include "wg_err.h"

static struct wg_tr_entry items[32];
static char arena[4096];
static struct wg_transcript tr;
static struct wg_fx_list list;
static struct wg_chat chat;

static void setup(void)
{
    wg_transcript_init(&tr, items, 32, arena, sizeof(arena));
    wg_fx_init(&list);
    wg_chat_init(&chat, &tr, &list);
}

/* The pending effects (owner chat unless marked), then cleared. */
static const char *fx(void)
{
    return fx_str(&list, WG_OWNER_CHAT);
}

static int sig(int64_t id, enum wg_signal_type t, const char *payload)
{
    return wg_chat_signal(&chat, id, t, payload, payload ? strlen(payload) : 0, 0);
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
    CHECK_INT_EQ(wg_chat_start(&chat, NULL, 0, 1000), 0);
    CHECK_INT_EQ(wg_chat_start_ok(&chat, false, 1100), 0);
    CHECK_INT_EQ(wg_chat_stream_open(&chat, 1200), 0);
    fx();
}

static void test_start_to_waiting_to_connected(void)
{
    setup();
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_IDLE);
    CHECK_INT_EQ(chat.ct.stream.conn, WG_CONN_CLOSED);
    CHECK_INT_EQ(wg_chat_start(&chat, NULL, 0, 1000), 0);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_STARTING);
    CHECK_STR_EQ(fx(), "notify_state:starting http_start");
    CHECK_INT_EQ(wg_chat_start(&chat, NULL, 0, 1000), WG_E_STATE); /* no double start */
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_chat_start_ok(&chat, false, 1100), 0);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_WAITING);
    CHECK_INT_EQ(chat.ct.stream.conn, WG_CONN_CONNECTING);
    CHECK_STR_EQ(fx(), "notify_state:waiting store_active(1) sse_open");
    CHECK_INT_EQ(wg_chat_stream_open(&chat, 1200), 0);
    CHECK_INT_EQ(chat.ct.stream.conn, WG_CONN_OPEN);
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
    CHECK_INT_EQ(chat.ct.queue_position, 3);
    CHECK_INT_EQ(chat.ct.queue_depth, 5);
    CHECK_INT_EQ(chat.ct.est_wait_s, 120);

    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_PARTICIPANT_JOINED;
    e.id = 3;
    e.role = WG_ROLE_AGENT;
    e.display_name = "Bob";
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 1500), 1);
    CHECK_STR_EQ(chat.ct.agent_name, "Bob");
    e.role = WG_ROLE_CUSTOMER; /* our own join is not the agent */
    e.display_name = "Alice";
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 1500), 0);
    CHECK_STR_EQ(chat.ct.agent_name, "Bob");

    e = ev_state(4, WG_CS_CONNECTED, NULL);
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 1600), 1);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_CONNECTED);
    CHECK_STR_EQ(fx(), "notify_state:connected");
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 4);
}

static void test_start_with_reference(void)
{
    setup();
    CHECK_INT_EQ(wg_chat_start(&chat, NULL, 8, 0), WG_E_INVAL);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_IDLE);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_chat_start(&chat, "4990216012", 8, 0), 0); /* only len bytes */
    CHECK_STR_EQ(fx(), "notify_state:starting http_start:49902160");
    /* A redeem refused by the server: back to IDLE with the reason. */
    static const struct {
        enum wg_contact_error err;
        const char *code;
    } refs[] = {
        {WG_CONTACT_ERR_REF_NOT_FOUND, "route_not_found"},
        {WG_CONTACT_ERR_REF_USED, "route_used"},
        {WG_CONTACT_ERR_REF_EXPIRED, "route_expired"},
        {WG_CONTACT_ERR_REF_EMAIL, "route_email_mismatch"},
    };
    char want[64];
    for (size_t i = 0; i < 4; i++) {
        if (i)
            CHECK_INT_EQ(wg_chat_start(&chat, "49902160", 8, 0), 0);
        fx();
        CHECK_INT_EQ(wg_chat_start_failed(&chat, refs[i].err, 10), 0);
        CHECK_INT_EQ(chat.ct.state, WG_CHAT_IDLE);
        CHECK_INT_EQ(chat.ct.last_error, refs[i].err);
        snprintf(want, sizeof(want), "notify_error:%s notify_state:idle", refs[i].code);
        CHECK_STR_EQ(fx(), want);
    }
    /* No room for the start: refused whole. */
    while (list.count < WG_FX_MAX)
        wg_fx_push(&list, WG_FX_NONE, WG_OWNER_WIDGET, 0);
    CHECK_INT_EQ(wg_chat_start(&chat, "49902160", 8, 0), WG_E_FULL);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_IDLE);
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_REF_EMAIL);
    CHECK(!list.overflow);
    wg_fx_clear(&list);
}

static void test_start_failed_returns_to_idle_with_error(void)
{
    setup();
    wg_chat_start(&chat, NULL, 0, 0);
    fx();
    CHECK_INT_EQ(wg_chat_start_failed(&chat, WG_CONTACT_ERR_AUTH, 10), 0);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_IDLE);
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_AUTH);
    CHECK_STR_EQ(fx(), "notify_error:auth notify_state:idle");
    CHECK_INT_EQ(wg_chat_start_failed(&chat, WG_CONTACT_ERR_AUTH, 10), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_start_ok(&chat, false, 10), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
    /* Retry clears the error. */
    CHECK_INT_EQ(wg_chat_start(&chat, NULL, 0, 20), 0);
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_NONE);
    CHECK_STR_EQ(fx(), "notify_state:starting http_start");
}

static void test_resume_goes_to_the_state_events_say(void)
{
    setup();
    wg_chat_start(&chat, NULL, 0, 0);
    fx();
    CHECK_INT_EQ(wg_chat_start_ok(&chat, true, 10), 0);
    CHECK(chat.resumed);
    CHECK_STR_EQ(fx(), "notify_state:waiting store_active(1) http_transcript sse_open");
    wg_chat_stream_open(&chat, 20);
    /* Replayed events: queued, then connected, jump straight there. */
    struct wg_event e = ev_state(7, WG_CS_QUEUED, NULL);
    wg_chat_event(&chat, &e, 30);
    e = ev_state(9, WG_CS_CONNECTED, NULL);
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 30), 1);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_CONNECTED);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 9);
    /* An older id does not move Last-Event-ID back. */
    e = ev_state(8, WG_CS_CONNECTED, NULL);
    wg_chat_event(&chat, &e, 30);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 9);

    /* A resumed chat that had already ended replays ENDED. */
    setup();
    wg_chat_start(&chat, NULL, 0, 0);
    wg_chat_start_ok(&chat, true, 10);
    fx();
    e = ev_state(3, WG_CS_ENDED, "agent");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 30), 1);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_ENDED);
    CHECK_STR_EQ(chat.ct.reason, "agent");
    CHECK_STR_EQ(fx(), "sse_close notify_state:ended notify_ended:agent store_active");
}

static void test_resume_only_start(void)
{
    /* After a reload: HTTP_START{1}. The chat is there: as any resume. */
    setup();
    CHECK_INT_EQ(wg_chat_resume(&chat, 1000), 0);
    CHECK(chat.resume_only);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_STARTING);
    CHECK_STR_EQ(fx(), "notify_state:starting http_start(1)");
    CHECK_INT_EQ(wg_chat_resume(&chat, 1000), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_start(&chat, NULL, 0, 1000), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_chat_start_ok(&chat, true, 1100), 0);
    CHECK_STR_EQ(fx(), "notify_state:waiting store_active(1) http_transcript sse_open");

    /* The stored flag was stale: back to IDLE quietly, the flag forgotten. */
    setup();
    wg_chat_resume(&chat, 1000);
    fx();
    CHECK_INT_EQ(wg_chat_start_failed(&chat, WG_CONTACT_ERR_NO_CHAT, 1100), 0);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_IDLE);
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_NONE);
    CHECK_STR_EQ(fx(), "notify_state:idle store_active");
    /* The user's own start afterwards is an ordinary one. */
    CHECK_INT_EQ(wg_chat_start(&chat, NULL, 0, 2000), 0);
    CHECK(!chat.resume_only);
    CHECK_STR_EQ(fx(), "notify_state:starting http_start");

    /* Any other failure of the resume is an error as usual; the flag stays
     * (a reload tries again). */
    setup();
    wg_chat_resume(&chat, 1000);
    fx();
    CHECK_INT_EQ(wg_chat_start_failed(&chat, WG_CONTACT_ERR_NETWORK, 1100), 0);
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_NETWORK);
    CHECK_STR_EQ(fx(), "notify_error:network notify_state:idle");
    CHECK_INT_EQ(wg_chat_resume(NULL, 0), WG_E_INVAL);
    wg_chat_init(&chat, NULL, NULL);
    CHECK_INT_EQ(wg_chat_resume(&chat, 0), WG_E_FULL); /* no room, nothing changed */
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_IDLE);
}

static void test_server_ends_then_start_again(void)
{
    to_waiting();
    struct wg_event e = ev_msg(5, "m1", 1, WG_ROLE_AGENT, "hi");
    wg_chat_event(&chat, &e, 2000);
    e = ev_state(6, WG_CS_ENDED, "agent_ended");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 2100), 1);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_ENDED);
    CHECK_INT_EQ(chat.ct.stream.conn, WG_CONN_CLOSED);
    CHECK_STR_EQ(fx(), "notify_message(2):hi sse_close notify_state:ended "
                       "notify_ended:agent_ended store_active");
    /* The transcript stays readable, with the ending as its last line;
     * late events are ignored. */
    CHECK_INT_EQ(wg_transcript_count(&tr), 2);
    struct wg_tr_view last;
    CHECK_INT_EQ(wg_transcript_at(&tr, 1, &last), 0);
    CHECK_STR_EQ(last.id, "line-ended-6");
    CHECK_STR_EQ(last.content_type, WG_CHAT_LINE_ENDED);
    CHECK_STR_EQ(last.content, "agent_ended");
    CHECK_INT_EQ(last.role, WG_ROLE_SYSTEM);
    e = ev_msg(7, "m2", 2, WG_ROLE_AGENT, "late");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 2200), 0);
    CHECK_INT_EQ(wg_transcript_count(&tr), 2);
    CHECK_INT_EQ(wg_chat_send(&chat, "x", 1, 2300), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_end(&chat, 2300), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
    /* Start anew: fresh chat, fresh transcript, Last-Event-ID from 0. */
    CHECK_INT_EQ(wg_chat_start(&chat, NULL, 0, 3000), 0);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_STARTING);
    CHECK_INT_EQ(wg_transcript_count(&tr), 0);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 0);
    CHECK_STR_EQ(chat.ct.reason, "");
    CHECK_STR_EQ(chat.ct.agent_name, "");
    CHECK_INT_EQ(chat.ct.queue_position, -1);
    CHECK_STR_EQ(fx(), "notify_state:starting http_start");
    wg_chat_start_ok(&chat, false, 3100);
    CHECK_STR_EQ(fx(), "notify_state:waiting store_active(1) sse_open");
}

static void test_customer_ends(void)
{
    setup();
    CHECK_INT_EQ(wg_chat_end(&chat, 0), WG_E_STATE); /* idle */
    wg_chat_start(&chat, NULL, 0, 0);
    CHECK_INT_EQ(wg_chat_end(&chat, 0), WG_E_STATE); /* starting */
    to_waiting();
    CHECK_INT_EQ(wg_chat_end(&chat, 5000), 0);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_ENDED);
    CHECK_STR_EQ(chat.ct.reason, "customer");
    CHECK_STR_EQ(fx(), "http_disconnect sse_close notify_state:ended notify_ended:customer "
                       "store_active");
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
    CHECK(!chat.send_in_flight);
    CHECK_INT_EQ(wg_chat_send(&chat, big, WG_CHAT_TEXT_MAX, 0), 0);
    CHECK(chat.send_in_flight);
    CHECK_INT_EQ(list.count, 1);
    CHECK_INT_EQ(list.items[0].kind, WG_FX_HTTP_SEND);
    CHECK_INT_EQ(list.items[0].owner, WG_OWNER_CHAT);
    CHECK_INT_EQ(list.items[0].text_len, WG_CHAT_TEXT_MAX);
    CHECK_INT_EQ(list.items[0].text[WG_CHAT_TEXT_MAX], '\0');
    CHECK(memcmp(list.items[0].text, big, WG_CHAT_TEXT_MAX) == 0);
    /* One send in flight, drained or not, until it is answered. */
    CHECK_INT_EQ(wg_chat_send(&chat, "again", 5, 0), WG_E_BUSY);
    fx();
    CHECK_INT_EQ(wg_chat_send(&chat, "again", 5, 0), WG_E_BUSY);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_chat_send_ok(&chat, 0), 0);
    CHECK(!chat.send_in_flight);
    CHECK_INT_EQ(wg_chat_send_ok(&chat, 0), WG_E_STATE); /* answered already */
    /* The text is a copy: the caller's buffer may change at once. */
    char buf[8] = "caf\xc3\xa9";
    CHECK_INT_EQ(wg_chat_send(&chat, buf, 5, 0), 0);
    memset(buf, 'z', sizeof(buf));
    CHECK_STR_EQ(fx(), "http_send:caf\xc3\xa9");
    CHECK_INT_EQ(wg_chat_send_ok(&chat, 0), 0);
}

static void test_send_failed(void)
{
    to_waiting();
    CHECK_INT_EQ(wg_chat_send_failed(&chat, WG_CONTACT_ERR_NETWORK, 0), WG_E_STATE); /* none sent */
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_NONE);
    wg_chat_send(&chat, "a", 1, 0);
    fx();
    CHECK_INT_EQ(wg_chat_send_failed(&chat, WG_CONTACT_ERR_NETWORK, 0), 0);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_WAITING);
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_NETWORK);
    CHECK(!chat.send_in_flight);
    CHECK_STR_EQ(fx(), "notify_error:network");
    /* The next send clears the error shown. */
    CHECK_INT_EQ(wg_chat_send(&chat, "b", 1, 0), 0);
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_NONE);
    CHECK_STR_EQ(fx(), "http_send:b");
    CHECK_INT_EQ(wg_chat_send_failed(&chat, WG_CONTACT_ERR_ENDED, 0), 0);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_ENDED);
    CHECK_STR_EQ(chat.ct.reason, "contact_ended");
    CHECK_STR_EQ(fx(), "notify_error:ended sse_close notify_state:ended "
                       "notify_ended:contact_ended store_active");
    CHECK_INT_EQ(wg_chat_send_failed(&chat, WG_CONTACT_ERR_ENDED, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_send_ok(&chat, 0), WG_E_STATE);

    /* The chat ends (by the customer) while a send is in flight: its answer
     * is refused, and the next chat sends at once. */
    to_waiting();
    wg_chat_send(&chat, "c", 1, 0);
    wg_chat_end(&chat, 0);
    fx();
    CHECK_INT_EQ(wg_chat_send_ok(&chat, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_send_failed(&chat, WG_CONTACT_ERR_ENDED, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
    wg_chat_start(&chat, NULL, 0, 0);
    wg_chat_start_ok(&chat, false, 0);
    fx();
    CHECK_INT_EQ(wg_chat_send(&chat, "d", 1, 0), 0);
    CHECK_STR_EQ(fx(), "http_send:d");
}

static void test_transcript_failed(void)
{
    setup();
    CHECK_INT_EQ(wg_chat_transcript_failed(&chat, WG_CONTACT_ERR_NETWORK, 0), WG_E_STATE);
    to_waiting();
    CHECK_INT_EQ(wg_chat_transcript_failed(&chat, WG_CONTACT_ERR_SERVER, 0), 0);
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_SERVER);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_WAITING);
    CHECK_STR_EQ(fx(), "notify_error:server");
    /* Reading an ended chat's transcript can still fail and say so. */
    wg_chat_end(&chat, 0);
    fx();
    CHECK_INT_EQ(wg_chat_transcript_failed(&chat, WG_CONTACT_ERR_AUTH, 0), 0);
    CHECK_STR_EQ(fx(), "notify_error:auth");
    CHECK_INT_EQ(wg_chat_transcript_failed(NULL, WG_CONTACT_ERR_AUTH, 0), WG_E_INVAL);
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
    CHECK_INT_EQ(chat.ct.stream.conn, WG_CONN_RETRYING);
    CHECK_STR_EQ(fx(), "sse_close");
    CHECK_INT_EQ(wg_chat_stream_error(&chat, 10001), 0); /* duplicate error: no reschedule */
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_chat_tick(&chat, 10999), 0);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_chat_tick(&chat, 11000), 1);
    CHECK_INT_EQ(chat.ct.stream.conn, WG_CONN_CONNECTING);
    CHECK_STR_EQ(fx(), "sse_open(42)");
    /* Fails again: 2 s, then 4 s, ... measured from each error's time. */
    int64_t now = 20000;
    int64_t want[] = {2000, 4000, 8000, 16000, 30000, 30000};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        wg_chat_stream_error(&chat, now);
        fx();
        CHECK_INT_EQ(wg_chat_tick(&chat, now + want[i] - 1), 0);
        CHECK_STR_EQ(fx(), "");
        CHECK_INT_EQ(wg_chat_tick(&chat, now + want[i]), 1);
        CHECK_STR_EQ(fx(), "sse_open(42)");
        now += want[i] + 500;
    }
    /* Open resets to 1 s and backfills from the last seq. */
    e = ev_msg(43, "m9", 9, WG_ROLE_AGENT, "x");
    wg_chat_event(&chat, &e, now);
    CHECK_INT_EQ(wg_chat_stream_open(&chat, now), 0);
    CHECK_STR_EQ(fx(), "notify_message(2):x http_transcript(9)");
    wg_chat_stream_error(&chat, now);
    fx();
    CHECK_INT_EQ(wg_chat_tick(&chat, now + 1000), 1);
    CHECK_STR_EQ(fx(), "sse_open(43)");
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
    CHECK_STR_EQ(fx(), "notify_message(1):hello notify_message(2):hi sse_close sse_open(11) "
                       "http_transcript(2)");
    /* The replayed stream and the page overlap on m2. */
    struct wg_msg page[2] = {
        {"m3", 3, 3000, WG_ROLE_AGENT, "Bob", "text/plain", "how can", 7},
        {"m2", 2, 2000, WG_ROLE_AGENT, "Bob", "text/plain", "hi", 2},
    };
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, page, 2, true, 1200), 1);
    CHECK_STR_EQ(fx(), "http_transcript(3)"); /* pages do not notify */
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

/* A resumed chat's stream replays every old event: the first page of the
 * transcript must not be skipped because a live or replayed message with a
 * higher Seq arrived first. */
static void test_transcript_pages_follow_the_page(void)
{
    setup();
    wg_chat_start(&chat, NULL, 0, 0);
    wg_chat_start_ok(&chat, true, 10);
    wg_chat_stream_open(&chat, 20);
    fx();
    struct wg_event e = ev_msg(90, "m40", 40, WG_ROLE_AGENT, "new");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 30), 1);
    CHECK_INT_EQ(wg_transcript_last_seq(&tr), 40);
    fx();
    struct wg_msg page1[2] = {
        {"m2", 2, 2000, WG_ROLE_AGENT, "Bob", "text/plain", "two", 3},
        {"m1", 1, 1000, WG_ROLE_CUSTOMER, "Al", "text/plain", "one", 3},
    };
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, page1, 2, true, 40), 2);
    CHECK_STR_EQ(fx(), "http_transcript(2)"); /* not 40: 3..39 are still to come */
    struct wg_msg page2[1] = {{"m3", 3, 3000, WG_ROLE_AGENT, "Bob", "text/plain", "three", 5}};
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, page2, 1, true, 50), 1);
    CHECK_STR_EQ(fx(), "http_transcript(3)");
    /* A page whose items are all already held still moves on. */
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, page2, 1, true, 60), 0);
    CHECK_STR_EQ(fx(), "http_transcript(3)");
    /* The last page asks for nothing more; neither does an empty one. */
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, page1, 2, false, 70), 0);
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, NULL, 0, true, 70), 0);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_transcript_count(&tr), 4);
}

/* The replay after a resume: old messages are shown but do not notify;
 * old typing is not shown at all. */
static void test_replay_does_not_look_new(void)
{
    setup();
    CHECK_INT_EQ(wg_chat_resume(&chat, 100000), 0);
    CHECK_INT_EQ(chat.started_ms, 100000);
    wg_chat_start_ok(&chat, true, 100100);
    wg_chat_stream_open(&chat, 100200);
    fx();
    struct wg_event e = ev_msg(1, "old", 1, WG_ROLE_AGENT, "old");
    e.message.time_ms = 50000;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 100300), 1); /* shown */
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 100300), 0); /* held: nothing at all */
    e = ev_msg(2, "edge-out", 2, WG_ROLE_AGENT, "just before");
    e.message.time_ms = 100000 - WG_CHAT_REPLAY_SLACK_MS - 1;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 100300), 1);
    CHECK_STR_EQ(fx(), "");
    /* Within the clock skew allowed, after the start, or of unknown time: new. */
    e = ev_msg(3, "edge-in", 3, WG_ROLE_AGENT, "skewed");
    e.message.time_ms = 100000 - WG_CHAT_REPLAY_SLACK_MS;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 100300), 1);
    e = ev_msg(4, "later", 4, WG_ROLE_CUSTOMER, "later");
    e.message.time_ms = 100500;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 100600), 1);
    e = ev_msg(5, "untimed", 5, WG_ROLE_AGENT, "untimed");
    e.message.time_ms = 0;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 100700), 1);
    CHECK_STR_EQ(fx(), "notify_message(2):skewed notify_message(1):later "
                       "notify_message(2):untimed");
    CHECK_INT_EQ(wg_transcript_count(&tr), 5);

    /* Typing: replayed (WG_CHAT_TYPING_MS old or more) is ignored. */
    struct wg_event t;
    memset(&t, 0, sizeof(t));
    t.kind = WG_EV_TYPING;
    t.id = 6;
    t.role = WG_ROLE_AGENT;
    t.display_name = "Bob";
    t.time_ms = 200000 - WG_CHAT_TYPING_MS;
    CHECK_INT_EQ(wg_chat_event(&chat, &t, 200000), 0);
    CHECK_STR_EQ(chat.typing_name, "");
    CHECK_INT_EQ(chat.typing_until_ms, 0);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 6); /* its id still counts */
    t.time_ms = 200000 - WG_CHAT_TYPING_MS + 1;
    CHECK_INT_EQ(wg_chat_event(&chat, &t, 200000), 1);
    CHECK_STR_EQ(chat.typing_name, "Bob");
    wg_chat_tick(&chat, 300000);
    t.time_ms = 0; /* unknown: shown */
    CHECK_INT_EQ(wg_chat_event(&chat, &t, 300000), 1);
    wg_chat_tick(&chat, 400000);
    t.time_ms = 400500; /* the server's clock ahead of ours: shown */
    CHECK_INT_EQ(wg_chat_event(&chat, &t, 400000), 1);
    t.time_ms = 1; /* no overflow whatever the clocks say */
    CHECK_INT_EQ(wg_chat_event(&chat, &t, INT64_MIN), 1);
    CHECK_INT_EQ(wg_chat_event(&chat, &t, INT64_MAX - WG_CHAT_TYPING_MS), 0);

    /* A new chat (not a resume) notifies from its own start, too. */
    setup();
    wg_chat_start(&chat, NULL, 0, 50000);
    wg_chat_start_ok(&chat, false, 50100);
    fx();
    e = ev_msg(1, "m1", 1, WG_ROLE_AGENT, "hi");
    e.message.time_ms = 50000 - WG_CHAT_REPLAY_SLACK_MS - 1;
    wg_chat_event(&chat, &e, 50300);
    e = ev_msg(2, "m2", 2, WG_ROLE_AGENT, "there");
    e.message.time_ms = 50200;
    wg_chat_event(&chat, &e, 50300);
    CHECK_STR_EQ(fx(), "notify_message(2):there");
    /* Without a transcript the same rule holds. */
    wg_fx_init(&list);
    wg_chat_init(&chat, NULL, &list);
    wg_chat_start(&chat, NULL, 0, 100000);
    wg_chat_start_ok(&chat, true, 100000);
    fx();
    e = ev_msg(1, "m1", 1, WG_ROLE_AGENT, "old");
    e.message.time_ms = 1000;
    wg_chat_event(&chat, &e, 100000);
    CHECK_STR_EQ(fx(), "");
}

static void test_typing_expires_and_video_offer(void)
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
    CHECK_STR_EQ(fx(), "notify_message(2):done");
    /* Customer typing (echo of our own) is not shown. */
    e.role = WG_ROLE_CUSTOMER;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 20002), 0);

    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_VIDEO_OFFER;
    e.display_name = "Bob";
    e.screen_share = true;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 1);
    CHECK_INT_EQ(chat.video.state, WG_VIDEO_OFFERED);
    CHECK(chat.video.screen_share);
    CHECK_STR_EQ(chat.video.from, "Bob");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 0); /* replayed: nothing new */
    e.kind = WG_EV_VIDEO_ENDED;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 1);
    CHECK_INT_EQ(chat.video.state, WG_VIDEO_NONE);
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 0);
    CHECK_STR_EQ(fx(), ""); /* no peer was set up: nothing to close */
    e.kind = WG_EV_DTMF;
    e.id = 99;
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 0);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 99); /* ids count even when ignored */
    CHECK_INT_EQ(wg_chat_event(&chat, NULL, 0), WG_E_INVAL);
}

static void test_effects_overflow_is_flagged(void)
{
    to_waiting();
    while (list.count < WG_FX_MAX) {
        wg_chat_stream_error(&chat, 0);
        wg_chat_tick(&chat, 100000);
    }
    CHECK(!list.overflow);
    CHECK_INT_EQ(wg_chat_send(&chat, "x", 1, 0), WG_E_FULL); /* refused, not lost */
    CHECK(!chat.send_in_flight);
    CHECK(!list.overflow);
    wg_chat_stream_error(&chat, 0); /* a state effect that cannot wait: lost, flagged */
    CHECK_INT_EQ(list.count, WG_FX_MAX);
    CHECK(list.overflow);
    wg_fx_clear(&list);
    CHECK(!list.overflow);
    CHECK_INT_EQ(wg_chat_send(&chat, "x", 1, 0), 0);
}

static void test_messages_without_transcript(void)
{
    wg_fx_init(&list);
    wg_chat_init(&chat, NULL, &list);
    wg_chat_start(&chat, NULL, 0, 0);
    wg_chat_start_ok(&chat, false, 0);
    fx();
    /* Nothing is kept, so nothing is shown, but each message notifies. */
    struct wg_event e = ev_msg(1, "m1", 1, WG_ROLE_AGENT, "one");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 0);
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 0);
    CHECK_STR_EQ(fx(), "notify_message(2):one notify_message(2):one");
    struct wg_msg page[1] = {{"m2", 2, 2000, WG_ROLE_AGENT, "Bob", "text/plain", "two", 3}};
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, page, 1, true, 0), 0);
    CHECK_STR_EQ(fx(), "");
    /* A message the transcript refuses (no Id) notifies nothing. */
    setup();
    to_waiting();
    e = ev_msg(2, "", 2, WG_ROLE_AGENT, "bad");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 0);
    CHECK_STR_EQ(fx(), "");
}

static void test_video_inside_the_chat(void)
{
    to_waiting();
    /* Signals with no video peer are ignored; their ids still count. */
    CHECK_INT_EQ(sig(5, WG_SIG_ANSWER, "{}"), 0);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 5);
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_VIDEO_OFFER;
    e.id = 6;
    e.display_name = "Bob";
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 0), 1);
    CHECK_INT_EQ(sig(7, WG_SIG_CANDIDATE, "{}"), 0); /* offered, not joined */
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_video_join(&chat.video, chat.ct.fx, 0), 0);
    CHECK_STR_EQ(fx(), "rtc_start@video");
    CHECK_INT_EQ(sig(8, WG_SIG_OFFER, "{\"type\":\"offer\"}"), 0); /* we are the offerer */
    CHECK_INT_EQ(sig(9, WG_SIG_ANSWER, "{\"type\":\"answer\"}"), 1);
    CHECK_INT_EQ(sig(10, WG_SIG_CANDIDATE, "{\"candidate\":\"c1\"}"), 1);
    CHECK_STR_EQ(fx(), "rtc_answer@video:{\"type\":\"answer\"} "
                       "rtc_candidate@video:{\"candidate\":\"c1\"}");
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 10);
    CHECK_INT_EQ(wg_video_media_active(&chat.video), 0);
    CHECK_INT_EQ(sig(11, WG_SIG_CANDIDATE, "{}"), 1); /* ACTIVE too */
    fx();
    /* The agent's bye ends the video; the chat goes on. */
    CHECK_INT_EQ(sig(12, WG_SIG_BYE, NULL), 1);
    CHECK_INT_EQ(chat.video.state, WG_VIDEO_NONE);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_WAITING);
    CHECK_STR_EQ(fx(), "rtc_bye@video");
    CHECK_INT_EQ(sig(13, WG_SIG_BYE, NULL), 0);
    CHECK_STR_EQ(fx(), "");

    /* Bad arguments. */
    CHECK_INT_EQ(wg_chat_signal(&chat, 14, (enum wg_signal_type)9, "{}", 2, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_signal(&chat, 14, WG_SIG_ANSWER, NULL, 2, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_signal(NULL, 14, WG_SIG_ANSWER, "{}", 2, 0), WG_E_INVAL);

    /* No room: refused whole, the id not recorded. */
    wg_chat_event(&chat, &e, 0);
    wg_video_join(&chat.video, chat.ct.fx, 0);
    while (list.count < WG_FX_MAX)
        wg_fx_push(&list, WG_FX_NONE, WG_OWNER_WIDGET, 0);
    CHECK_INT_EQ(sig(20, WG_SIG_CANDIDATE, "{}"), WG_E_FULL);
    CHECK_INT_EQ(sig(20, WG_SIG_BYE, NULL), WG_E_FULL);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 13);
    CHECK_INT_EQ(chat.video.state, WG_VIDEO_JOINING);
    CHECK(!list.overflow);
    wg_fx_clear(&list);
    CHECK_INT_EQ(sig(20, WG_SIG_CANDIDATE, "{}"), 1);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 20);
    fx();

    /* The chat ending ends the video and releases its peer. */
    CHECK_INT_EQ(wg_chat_end(&chat, 0), 0);
    CHECK_INT_EQ(chat.video.state, WG_VIDEO_NONE);
    CHECK_STR_EQ(fx(), "http_disconnect rtc_bye@video sse_close notify_state:ended "
                       "notify_ended:customer store_active");
    CHECK_INT_EQ(sig(21, WG_SIG_ANSWER, "{}"), 0); /* late */
    CHECK_STR_EQ(fx(), "");

    /* An offer still pending when the chat ends just goes away. */
    to_waiting();
    wg_chat_event(&chat, &e, 0);
    struct wg_event end = ev_state(30, WG_CS_ENDED, "agent");
    wg_chat_event(&chat, &end, 0);
    CHECK_INT_EQ(chat.video.state, WG_VIDEO_NONE);
    CHECK_STR_EQ(fx(), "sse_close notify_state:ended notify_ended:agent store_active");
    /* And a new chat starts with no video. */
    wg_chat_start(&chat, NULL, 0, 0);
    CHECK_INT_EQ(chat.video.state, WG_VIDEO_NONE);
    CHECK_STR_EQ(chat.video.from, "");
}

/* Another person at the device: the chat is dropped here, not ended. Its
 * stream and video peer go (the user's resume flag stays: the chat is
 * theirs, and resumes when they sign in here again), the transcript and
 * every per-chat field are cleared, nothing is sent to the
 * server, and no answer or event of the old chat gets through afterwards. */
static void test_drop_for_another_user(void)
{
    to_waiting();
    struct wg_event e = ev_state(2, WG_CS_CONNECTED, NULL);
    wg_chat_event(&chat, &e, 0);
    e = ev_msg(3, "m1", 1, WG_ROLE_AGENT, "your balance is 12 EUR");
    wg_chat_event(&chat, &e, 0);
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_VIDEO_OFFER;
    e.id = 4;
    e.display_name = "Bob";
    wg_chat_event(&chat, &e, 0);
    wg_video_join(&chat.video, chat.ct.fx, 0);
    wg_chat_send(&chat, "hi", 2, 0);
    fx();
    CHECK_INT_EQ(wg_transcript_count(&tr), 1);

    CHECK_INT_EQ(wg_chat_drop(&chat, 5000), 0);
    /* No http_disconnect, no notify_ended: the chat stays open for its user. */
    CHECK_STR_EQ(fx(), "rtc_bye@video sse_close notify_state:idle");
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_IDLE);
    CHECK_INT_EQ(chat.ct.stream.conn, WG_CONN_CLOSED);
    CHECK_INT_EQ(chat.video.state, WG_VIDEO_NONE);
    CHECK_INT_EQ(wg_transcript_count(&tr), 0);
    CHECK_INT_EQ(wg_chat_last_event_id(&chat), 0);
    CHECK(!chat.resumed && !chat.resume_only && !chat.send_in_flight);
    CHECK_STR_EQ(chat.ct.agent_name, "");
    CHECK_INT_EQ(chat.ct.last_error, WG_CONTACT_ERR_NONE);

    /* What the old chat still had coming changes nothing. */
    CHECK_INT_EQ(wg_chat_send_ok(&chat, 5100), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_start_ok(&chat, true, 5100), WG_E_STATE);
    struct wg_msg page[1] = {{"m0", 1, 0, WG_ROLE_AGENT, "Bob", "text/plain", "old", 3}};
    CHECK_INT_EQ(wg_chat_transcript_page(&chat, page, 1, false, 5100), WG_E_STATE);
    e = ev_msg(6, "m2", 2, WG_ROLE_AGENT, "late");
    CHECK_INT_EQ(wg_chat_event(&chat, &e, 5100), 0);
    CHECK_INT_EQ(sig(7, WG_SIG_ANSWER, "{}"), 0);
    CHECK_INT_EQ(wg_chat_stream_open(&chat, 5100), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_stream_error(&chat, 5100), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_tick(&chat, 99000), 0);
    CHECK_INT_EQ(wg_transcript_count(&tr), 0);
    CHECK_STR_EQ(fx(), "");

    /* The new user starts afresh, from event 0. */
    CHECK_INT_EQ(wg_chat_resume(&chat, 6000), 0);
    CHECK_INT_EQ(wg_chat_start_ok(&chat, true, 6100), 0);
    CHECK_STR_EQ(fx(), "notify_state:starting http_start(1) notify_state:waiting store_active(1) "
                       "http_transcript sse_open");

    /* From IDLE and from a start still unanswered: no stream to close. */
    setup();
    CHECK_INT_EQ(wg_chat_drop(&chat, 0), 0);
    CHECK_STR_EQ(fx(), "");
    wg_chat_resume(&chat, 0);
    fx();
    CHECK_INT_EQ(wg_chat_drop(&chat, 0), 0);
    CHECK_STR_EQ(fx(), "notify_state:idle");
    CHECK_INT_EQ(wg_chat_start_ok(&chat, true, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_chat_drop(NULL, 0), WG_E_INVAL);
}

/* A join the agent never answers gives up from the tick, with the error
 * the user sees for a failed connection; the chat goes on. */
static void test_video_join_times_out(void)
{
    to_waiting();
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_VIDEO_OFFER;
    e.id = 6;
    e.display_name = "Bob";
    wg_chat_event(&chat, &e, 2000);
    CHECK_INT_EQ(wg_video_join(&chat.video, chat.ct.fx, 2000), 0);
    fx();
    CHECK_INT_EQ(wg_chat_tick(&chat, 2000 + WG_VIDEO_JOIN_TIMEOUT_MS - 1), 0);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_chat_tick(&chat, 2000 + WG_VIDEO_JOIN_TIMEOUT_MS), 1);
    CHECK_INT_EQ(chat.video.state, WG_VIDEO_NONE);
    CHECK_INT_EQ(chat.video.media_error, WG_MEDIA_ERR_FAILED);
    CHECK_INT_EQ(chat.ct.state, WG_CHAT_WAITING);
    CHECK_STR_EQ(fx(), "rtc_bye@video http_video_end@video notify_error@video:media_failed");
    CHECK_INT_EQ(wg_chat_tick(&chat, 2000 + 2 * WG_VIDEO_JOIN_TIMEOUT_MS), 0);
    CHECK_STR_EQ(fx(), "");
}

static void test_state_names(void)
{
    CHECK_STR_EQ(wg_chat_state_name(WG_CHAT_IDLE), "idle");
    CHECK_STR_EQ(wg_chat_state_name(WG_CHAT_WAITING), "waiting");
    CHECK_STR_EQ(wg_chat_state_name(WG_CHAT_STARTING), "starting");
    CHECK_STR_EQ(wg_chat_state_name(WG_CHAT_CONNECTED), "connected");
    CHECK_STR_EQ(wg_chat_state_name(WG_CHAT_ENDED), "ended");
    CHECK_STR_EQ(wg_chat_state_name((enum wg_chat_state)99), "unknown");
    /* The error codes the bridge and the page see (c2c:error). */
    static const char *codes[] = {"none",
                                  "auth",
                                  "network",
                                  "server",
                                  "rejected",
                                  "ended",
                                  "route_not_found",
                                  "route_used",
                                  "route_expired",
                                  "route_email_mismatch",
                                  "number",
                                  "no_open_chat",
                                  "already_rated"};
    for (int i = 0; i <= WG_CONTACT_ERR_RATED; i++)
        CHECK_STR_EQ(wg_contact_error_name((enum wg_contact_error)i), codes[i]);
    CHECK_INT_EQ(WG_CONTACT_ERR_NUMBER, 10); /* widget/js/constants.js mirrors these */
    CHECK_INT_EQ(WG_CONTACT_ERR_NO_CHAT, 11);
    CHECK_STR_EQ(wg_contact_error_name((enum wg_contact_error)99), "unknown");
}

static void test_null_args(void)
{
    CHECK_INT_EQ(wg_chat_start(NULL, NULL, 0, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_start_ok(NULL, false, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_start_failed(NULL, WG_CONTACT_ERR_AUTH, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_send(NULL, "x", 1, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_send_ok(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_send_failed(NULL, WG_CONTACT_ERR_AUTH, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_end(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_stream_open(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_stream_error(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_tick(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_transcript_page(NULL, NULL, 0, false, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_chat_last_event_id(NULL), 0);
    wg_chat_init(NULL, NULL, NULL);
    /* A chat without an effect list works; its effects are lost. */
    wg_chat_init(&chat, NULL, NULL);
    CHECK_INT_EQ(wg_chat_start(&chat, NULL, 0, 0), WG_E_FULL);
}

int main(void)
{
    UNIT_RUN(test_start_to_waiting_to_connected);
    UNIT_RUN(test_start_with_reference);
    UNIT_RUN(test_start_failed_returns_to_idle_with_error);
    UNIT_RUN(test_resume_goes_to_the_state_events_say);
    UNIT_RUN(test_resume_only_start);
    UNIT_RUN(test_server_ends_then_start_again);
    UNIT_RUN(test_customer_ends);
    UNIT_RUN(test_send_validation);
    UNIT_RUN(test_send_failed);
    UNIT_RUN(test_transcript_failed);
    UNIT_RUN(test_backoff_from_input_time);
    UNIT_RUN(test_stream_inputs_ignored_when_no_stream);
    UNIT_RUN(test_reconnect_backfill_with_overlap);
    UNIT_RUN(test_transcript_pages_follow_the_page);
    UNIT_RUN(test_replay_does_not_look_new);
    UNIT_RUN(test_typing_expires_and_video_offer);
    UNIT_RUN(test_effects_overflow_is_flagged);
    UNIT_RUN(test_messages_without_transcript);
    UNIT_RUN(test_video_inside_the_chat);
    UNIT_RUN(test_video_join_times_out);
    UNIT_RUN(test_drop_for_another_user);
    UNIT_RUN(test_state_names);
    UNIT_RUN(test_null_args);
    return UNIT_DONE();
}
