/* test_wg_call.c - the call state machine: every transition with the
 * effects and notifications it pushes, number validation, the microphone
 * before the dial, keypad order and one request at a time, retry keeping
 * digits (and no retry of refused ones), hang-up idempotence, ENDED
 * reasons, signals only while a call is live, the microphone released at
 * the end, the agent's hold, mute, stream backoff, reset after ENDED, the call dropped (and
 * hung up) for another user at the device; calls bridged to a phone
 * (offerer role, states, end reasons, digits played when the server asks). */
#include <string.h>

#include "ev_state.h"
#include "fx_str.h"
#include "unit.h"
#include "wg_call.h"
#include "wg_err.h"

static struct wg_fx_list list;
static struct wg_call call;

static void init(void)
{
    wg_fx_init(&list);
    wg_call_init(&call, &list);
}

/* The pending effects (owner call unless marked), then cleared. */
static const char *fx(void)
{
    return fx_str(&list, WG_OWNER_CALL);
}

static int dial(const char *number)
{
    return wg_call_dial(&call, number, strlen(number), 0);
}

/* Dial and get the microphone: the dial is then sent. */
static int dial_with_mic(const char *number)
{
    int r = dial(number);
    if (r == 0)
        r = wg_call_media_ready(&call, 0);
    return r;
}

static int sig(int64_t id, enum wg_signal_type t, const char *payload)
{
    return wg_call_signal(&call, id, t, payload, payload ? strlen(payload) : 0, 0);
}

/* A fresh call taken to CONNECTED, effects drained. */
static void connected(void)
{
    init();
    dial_with_mic("7035550122");
    wg_call_dial_ok(&call, "m1", "t1", "tok", false, 0);
    wg_call_stream_open(&call, 0);
    struct wg_event e = ev_state(1, WG_CS_CONNECTED, NULL);
    wg_call_event(&call, &e, 0);
    fx();
}

static void test_numbers(void)
{
    static const struct {
        const char *in;
        int rc;
        const char *out;
    } cases[] = {
        {"(703) 555-0122", WG_OK, "+17035550122"},
        {"703.555.0122", WG_OK, "+17035550122"},
        {"7035550122", WG_OK, "+17035550122"},
        {"+44 20 7946 0958", WG_OK, "+442079460958"},
        {"+6834123", WG_OK, "+6834123"},                 /* 7 digits: the shortest */
        {"+123456789012345", WG_OK, "+123456789012345"}, /* 15 digits */
        {"+683412", WG_E_INVAL, NULL},                   /* 6 digits */
        {"+1234567890123456", WG_E_TOO_LONG, NULL},      /* 16 digits */
        {"+0123456789", WG_E_INVAL, NULL},               /* country code 0 */
        {"703555012", WG_OK, "+703555012"},              /* bare digits get their + */
        {"17035550122", WG_OK, "+17035550122"},          /* 11 digits, no +, as the server */
        {"447911123456", WG_OK, "+447911123456"},
        {"012345678", WG_E_INVAL, NULL}, /* country code 0 */
        {"683412", WG_E_INVAL, NULL},    /* 6 digits */
        {"12345678901234567", WG_E_TOO_LONG, NULL},
        {"703-555-CALL", WG_E_INVAL, NULL},
        {"+1 703 555 0122 x12", WG_E_INVAL, NULL},
        {"1+7035550122", WG_E_INVAL, NULL},
        {"++17035550122", WG_E_INVAL, NULL},
        {"", WG_E_EMPTY, NULL},
        {" ( ) - . ", WG_E_EMPTY, NULL},
        {"+", WG_E_INVAL, NULL},
    };
    char out[WG_CALL_E164_MAX + 1];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        out[0] = '\0';
        int rc = wg_call_normalize_number(cases[i].in, strlen(cases[i].in), out, sizeof(out));
        if (rc != cases[i].rc)
            fprintf(stderr, "  case \"%s\"\n", cases[i].in);
        CHECK_INT_EQ(rc, cases[i].rc);
        if (cases[i].out)
            CHECK_STR_EQ(out, cases[i].out);
    }
    char longin[WG_CALL_NUMBER_INPUT_MAX + 2];
    memset(longin, ' ', sizeof(longin));
    memcpy(longin, "7035550122", 10);
    CHECK_INT_EQ(wg_call_normalize_number(longin, WG_CALL_NUMBER_INPUT_MAX, out, sizeof(out)),
                 WG_OK);
    CHECK_INT_EQ(wg_call_normalize_number(longin, sizeof(longin), out, sizeof(out)), WG_E_TOO_LONG);
    CHECK_INT_EQ(wg_call_normalize_number("703\0"
                                          "5550122",
                                          11, out, sizeof(out)),
                 WG_E_INVAL);
    CHECK_INT_EQ(wg_call_normalize_number(NULL, 0, out, sizeof(out)), WG_E_INVAL);
    CHECK_INT_EQ(wg_call_normalize_number("7035550122", 10, out, WG_CALL_E164_MAX), WG_E_INVAL);

    /* A bad number is refused by dial with no effect and no state change. */
    init();
    CHECK_INT_EQ(dial("555-CALL"), WG_E_INVAL);
    CHECK_INT_EQ(call.ct.state, WG_CALL_IDLE);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_dial(&call, NULL, 3, 0), WG_E_INVAL);
    CHECK_INT_EQ(dial("   "), WG_E_EMPTY);
    CHECK_INT_EQ(dial("+1234567890123456"), WG_E_TOO_LONG);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(dial("+44 20 7946 0958"), WG_OK);
    CHECK_STR_EQ(fx(), "notify_state:dialing media_acquire");
    CHECK_INT_EQ(wg_call_media_ready(&call, 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_dial:+442079460958");
}

static void test_transitions(void)
{
    init();
    CHECK_INT_EQ(call.ct.state, WG_CALL_IDLE);
    CHECK_INT_EQ(call.media, WG_MEDIA_NONE);
    CHECK(!call.muted);
    CHECK(!call.media_pending);
    CHECK_INT_EQ(wg_call_dial_ok(&call, "m", "t", "k", false, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_call_media_ready(&call, 0), WG_E_STATE);

    CHECK_INT_EQ(dial("(703) 555-0122"), WG_OK);
    CHECK_INT_EQ(call.ct.state, WG_CALL_DIALING);
    CHECK(call.media_pending);
    CHECK_STR_EQ(fx(), "notify_state:dialing media_acquire");
    /* Nothing reaches the server before the microphone is granted. */
    CHECK_INT_EQ(wg_call_dial_ok(&call, "m", "t", "k", false, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_call_dial_failed(&call, WG_CONTACT_ERR_NETWORK, 0), WG_E_STATE);
    CHECK_INT_EQ(dial("7035550122"), WG_E_STATE);
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_media_ready(&call, 0), WG_OK);
    CHECK(!call.media_pending);
    CHECK(call.mic_held);
    CHECK_INT_EQ(call.ct.state, WG_CALL_DIALING);
    CHECK_STR_EQ(fx(), "http_dial:+17035550122");
    CHECK_INT_EQ(wg_call_media_ready(&call, 0), WG_E_STATE); /* once */
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_E_STATE);

    /* Bad answers change nothing. */
    CHECK_INT_EQ(wg_call_dial_ok(&call, "", "t", "k", false, 0), WG_E_INVAL);
    char big[WG_CALL_TOKEN_MAX + 1];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK_INT_EQ(wg_call_dial_ok(&call, "m", "t", big, false, 0), WG_E_TOO_LONG);
    CHECK_INT_EQ(call.ct.state, WG_CALL_DIALING);
    CHECK_STR_EQ(fx(), "");

    CHECK_INT_EQ(wg_call_dial_ok(&call, "meet-1", "tx-1", "tok.sig", false, 0), WG_OK);
    CHECK_INT_EQ(call.ct.state, WG_CALL_QUEUED);
    CHECK_STR_EQ(call.meeting_id, "meet-1");
    CHECK_STR_EQ(call.transaction_id, "tx-1");
    CHECK_STR_EQ(call.join_token, "tok.sig");
    CHECK_STR_EQ(fx(), "notify_state:queued sse_open");
    CHECK_INT_EQ(wg_call_stream_open(&call, 0), WG_OK);
    CHECK_INT_EQ(call.ct.stream.conn, WG_CONN_OPEN);

    struct wg_event e = ev_state(1, WG_CS_QUEUED, NULL);
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 0); /* already QUEUED */
    struct wg_event q;
    memset(&q, 0, sizeof(q));
    q.kind = WG_EV_QUEUE;
    q.id = 2;
    q.position = 3;
    q.queue_depth = 5;
    q.est_wait_s = 90;
    CHECK_INT_EQ(call.ct.queue_position, -1);
    CHECK_INT_EQ(wg_call_event(&call, &q, 0), 1);
    CHECK_INT_EQ(call.ct.queue_position, 3);
    CHECK_INT_EQ(call.ct.queue_depth, 5);
    CHECK_INT_EQ(call.ct.est_wait_s, 90);

    e = ev_state(3, WG_CS_RINGING, NULL);
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
    CHECK_INT_EQ(call.ct.state, WG_CALL_RINGING);
    e = ev_state(4, WG_CS_QUEUED, NULL); /* ring missed: back to the queue */
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
    CHECK_INT_EQ(call.ct.state, WG_CALL_QUEUED);
    e = ev_state(5, WG_CS_RINGING, NULL);
    wg_call_event(&call, &e, 0);
    CHECK_STR_EQ(fx(), "notify_state:ringing notify_state:queued notify_state:ringing");

    struct wg_event j;
    memset(&j, 0, sizeof(j));
    j.kind = WG_EV_PARTICIPANT_JOINED;
    j.id = 6;
    j.role = WG_ROLE_AGENT;
    j.display_name = "Ann";
    CHECK_INT_EQ(wg_call_event(&call, &j, 0), 1);
    CHECK_STR_EQ(call.ct.agent_name, "Ann");
    e = ev_state(7, WG_CS_CONNECTED, NULL);
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
    CHECK_INT_EQ(call.ct.state, WG_CALL_CONNECTED);
    CHECK_INT_EQ(call.ct.last_event_id, 7);
    CHECK_STR_EQ(fx(), "notify_state:connected");

    /* The agent's keypad: shown, the customer's own echo ignored. */
    struct wg_event d;
    memset(&d, 0, sizeof(d));
    d.kind = WG_EV_DTMF;
    d.id = 8;
    d.role = WG_ROLE_AGENT;
    d.digit = '#';
    CHECK_INT_EQ(wg_call_event(&call, &d, 0), 1);
    CHECK_INT_EQ(call.remote_digit, '#');
    d.role = WG_ROLE_CUSTOMER;
    d.digit = '5';
    CHECK_INT_EQ(wg_call_event(&call, &d, 0), 0);
    CHECK_INT_EQ(call.remote_digit, '#');

    e = ev_state(9, WG_CS_ENDED, "agent_hangup");
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
    CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
    CHECK_STR_EQ(call.ct.reason, "agent_hangup");
    CHECK_INT_EQ(call.ct.stream.conn, WG_CONN_CLOSED);
    CHECK(!call.mic_held);
    /* The microphone is released with the peer (there was none yet). */
    CHECK_STR_EQ(fx(), "rtc_bye sse_close notify_state:ended notify_ended:agent_hangup");
    /* Late frames and actions after the end do nothing. */
    e = ev_state(10, WG_CS_CONNECTED, NULL);
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 0);
    CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_call_stream_error(&call, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_call_media_failed(&call, WG_MEDIA_ERR_FAILED, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
    CHECK_STR_EQ(wg_call_state_name(call.ct.state), "ended");
}

static void test_dial_failed(void)
{
    init();
    dial_with_mic("7035550122");
    fx();
    CHECK_INT_EQ(wg_call_dial_failed(&call, WG_CONTACT_ERR_REJECTED, 0), WG_OK);
    CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
    CHECK_STR_EQ(call.ct.reason, "error");
    CHECK_INT_EQ(call.ct.last_error, WG_CONTACT_ERR_REJECTED);
    /* No stream was open; the microphone is released. */
    CHECK_STR_EQ(fx(), "notify_error:rejected rtc_bye notify_state:ended notify_ended:error");
    CHECK_INT_EQ(wg_call_dial_failed(&call, WG_CONTACT_ERR_REJECTED, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_call_dial_ok(&call, "m", "t", "k", false, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");

    /* A number the server refuses (400 bad_number, 403 number_not_allowed). */
    dial_with_mic("+19005550122");
    fx();
    CHECK_INT_EQ(wg_call_dial_failed(&call, WG_CONTACT_ERR_NUMBER, 0), WG_OK);
    CHECK_INT_EQ(call.ct.last_error, WG_CONTACT_ERR_NUMBER);
    CHECK_STR_EQ(fx(), "notify_error:number rtc_bye notify_state:ended notify_ended:error");
}

static void test_microphone(void)
{
    static const struct {
        enum wg_media_error err;
        const char *code;
    } cases[] = {
        {WG_MEDIA_ERR_DENIED, "microphone_denied"},
        {WG_MEDIA_ERR_UNAVAILABLE, "microphone_unavailable"},
        {WG_MEDIA_ERR_FAILED, "media_failed"},
    };
    char want[160];
    for (size_t i = 0; i < 3; i++) {
        init();
        CHECK_INT_EQ(wg_call_media_failed(&call, cases[i].err, 0), WG_E_STATE); /* idle */
        dial("7035550122");
        fx();
        CHECK_INT_EQ(wg_call_media_failed(&call, cases[i].err, 0), WG_OK);
        CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
        CHECK_STR_EQ(call.ct.reason, "microphone");
        CHECK_INT_EQ(call.media_error, cases[i].err);
        CHECK_INT_EQ(call.ct.last_error, WG_CONTACT_ERR_NONE);
        CHECK(!call.media_pending);
        /* No dial was sent and nothing was held: no bye, nothing pending. */
        snprintf(want, sizeof(want), "notify_error:%s notify_state:ended notify_ended:microphone",
                 cases[i].code);
        CHECK_STR_EQ(fx(), want);
        CHECK_INT_EQ(wg_call_media_ready(&call, 0), WG_E_STATE); /* a late grant */
        CHECK_INT_EQ(wg_call_media_failed(&call, cases[i].err, 0), WG_E_STATE);
        CHECK_STR_EQ(fx(), "");
        /* Dialling again asks again, with the error cleared. */
        CHECK_INT_EQ(dial("7035550122"), WG_OK);
        CHECK_INT_EQ(call.media_error, WG_MEDIA_ERR_NONE);
        CHECK_STR_EQ(fx(), "notify_state:dialing media_acquire");
    }
    /* After the grant, while the dial is in flight, the microphone step is
     * over. */
    init();
    dial_with_mic("7035550122");
    CHECK_INT_EQ(wg_call_media_failed(&call, WG_MEDIA_ERR_DENIED, 0), WG_E_STATE);

    /* During the call the peer fails: released, the call goes on. */
    connected();
    wg_call_signal(&call, 2, WG_SIG_OFFER, "{}", 2, 0);
    fx();
    CHECK_INT_EQ(wg_call_media_failed(&call, WG_MEDIA_ERR_FAILED, 0), WG_OK);
    CHECK_INT_EQ(call.ct.state, WG_CALL_CONNECTED);
    CHECK_INT_EQ(call.media, WG_MEDIA_NONE);
    CHECK_INT_EQ(call.media_error, WG_MEDIA_ERR_FAILED);
    CHECK_STR_EQ(fx(), "notify_error:media_failed rtc_bye");
    /* Nothing is held any more: the end sends no second bye. */
    wg_call_hangup(&call, 0);
    wg_call_end_ok(&call, 0);
    CHECK_STR_EQ(fx(), "http_hangup sse_close notify_state:ended notify_ended:customer_hangup");
    CHECK_INT_EQ(wg_call_media_failed(NULL, WG_MEDIA_ERR_FAILED, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_call_media_ready(NULL, 0), WG_E_INVAL);
}

static void test_ended_reasons(void)
{
    static const char *reasons[] = {"customer_hangup", "agent_hangup", "agent_rejected",
                                    "no_agent"};
    for (size_t i = 0; i < 4; i++) {
        init();
        dial_with_mic("7035550122");
        wg_call_dial_ok(&call, "m", "t", "k", false, 0);
        /* Ended from QUEUED, RINGING and CONNECTED alike. */
        if (i % 2) {
            struct wg_event r = ev_state(1, WG_CS_RINGING, NULL);
            wg_call_event(&call, &r, 0);
        }
        struct wg_event e = ev_state(2, WG_CS_ENDED, reasons[i]);
        CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
        CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
        CHECK_STR_EQ(call.ct.reason, reasons[i]);
        CHECK_INT_EQ(list.items[list.count - 1].kind, WG_FX_NOTIFY_ENDED);
        CHECK_STR_EQ(list.items[list.count - 1].text, reasons[i]);
        fx();
    }
}

static void test_keypad(void)
{
    init();
    CHECK_INT_EQ(wg_call_press(&call, '1', 0), WG_E_STATE);
    dial_with_mic("7035550122");
    CHECK_INT_EQ(wg_call_press(&call, '1', 0), WG_E_STATE);
    wg_call_dial_ok(&call, "m", "t", "k", false, 0);
    CHECK_INT_EQ(wg_call_press(&call, '1', 0), WG_E_STATE); /* QUEUED */
    struct wg_event e = ev_state(1, WG_CS_RINGING, NULL);
    wg_call_event(&call, &e, 0);
    CHECK_INT_EQ(wg_call_press(&call, '1', 0), WG_E_STATE);
    fx();

    connected();
    CHECK_INT_EQ(wg_call_press(&call, 'x', 0), WG_E_KEY);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_press(&call, '1', 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_digits:1");
    /* While "1" is in flight, presses queue up: no second request. */
    CHECK_INT_EQ(wg_call_press(&call, '2', 0), WG_OK);
    CHECK_INT_EQ(wg_call_press(&call, 'b', 0), WG_OK);
    CHECK_INT_EQ(wg_call_press(&call, '#', 0), WG_OK);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_tick(&call, 100000), 0);
    CHECK_STR_EQ(fx(), "");
    /* The answer releases the rest, in press order, as one request. */
    CHECK_INT_EQ(wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_digits:2B#");
    CHECK_INT_EQ(wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 0), WG_OK);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 0), WG_E_STATE);

    /* More than 20 waiting go out 20 at a time. */
    wg_call_press(&call, '0', 0);
    fx();
    for (int i = 0; i < 25; i++)
        wg_call_press(&call, (char)('0' + i % 10), 0);
    wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 0);
    CHECK_STR_EQ(fx(), "http_digits:01234567890123456789");
    wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 0);
    CHECK_STR_EQ(fx(), "http_digits:01234");

    /* No room for a digits request: they stay queued, the loss is flagged,
     * and the next answer or tick sends them. */
    connected();
    while (list.count < WG_FX_MAX)
        wg_fx_push(&list, WG_FX_NONE, WG_OWNER_WIDGET, 0);
    CHECK_INT_EQ(wg_call_press(&call, '5', 0), WG_OK);
    CHECK(list.overflow);
    CHECK_INT_EQ(wg_dtmf_pending(&call.dtmf), 1);
    CHECK_INT_EQ(call.dtmf.in_flight, 0);
    wg_fx_clear(&list);
    CHECK_INT_EQ(wg_call_tick(&call, 0), 1);
    CHECK_STR_EQ(fx(), "http_digits:5");
}

static void test_keypad_retry(void)
{
    connected();
    wg_call_press(&call, '4', 1000);
    wg_call_press(&call, '2', 1000);
    CHECK_STR_EQ(fx(), "http_digits:4");
    CHECK_INT_EQ(wg_call_digits_done(&call, false, WG_CONTACT_ERR_NETWORK, 2000), WG_OK);
    CHECK_INT_EQ(call.ct.last_error, WG_CONTACT_ERR_NETWORK);
    CHECK_STR_EQ(fx(), "notify_error:network"); /* not at once: after the backoff */
    wg_call_press(&call, '7', 2500);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_tick(&call, 2999), 0);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_tick(&call, 3000), 1);
    CHECK_STR_EQ(fx(), "http_digits:427"); /* the failed digit first, nothing lost */
    /* A second failure in a row waits twice as long. */
    wg_call_digits_done(&call, false, WG_CONTACT_ERR_SERVER, 4000);
    CHECK_STR_EQ(fx(), "notify_error:server");
    CHECK_INT_EQ(wg_call_tick(&call, 5999), 0);
    CHECK_INT_EQ(wg_call_tick(&call, 6000), 1);
    CHECK_STR_EQ(fx(), "http_digits:427");
    wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 6100);
    CHECK_INT_EQ(call.digits_attempt, 0);
    CHECK_INT_EQ(wg_dtmf_pending(&call.dtmf), 0);
    CHECK_STR_EQ(fx(), "");

    /* 409 contact_ended: the call is over. */
    wg_call_press(&call, '9', 7000);
    fx();
    wg_call_digits_done(&call, false, WG_CONTACT_ERR_ENDED, 7100);
    CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
    CHECK_STR_EQ(call.ct.reason, "contact_ended");
    CHECK_STR_EQ(fx(), "notify_error:ended rtc_bye sse_close notify_state:ended "
                       "notify_ended:contact_ended");

    /* An answer arriving after the call ended is ignored. */
    connected();
    wg_call_press(&call, '1', 0);
    struct wg_event e = ev_state(2, WG_CS_ENDED, "agent_hangup");
    wg_call_event(&call, &e, 0);
    fx();
    CHECK_INT_EQ(wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
}

/* A digits request refused for the token or as a bad request would be
 * refused again: its digits, and those queued behind, are dropped and
 * nothing is retried. The error stays for the view. */
static void test_keypad_refused_is_not_retried(void)
{
    static const enum wg_contact_error refused[] = {WG_CONTACT_ERR_AUTH, WG_CONTACT_ERR_REJECTED};
    static const char *notified[] = {"notify_error:auth", "notify_error:rejected"};
    for (size_t i = 0; i < 2; i++) {
        connected();
        wg_call_press(&call, '4', 1000);
        wg_call_press(&call, '2', 1000);
        wg_call_press(&call, '#', 1000);
        CHECK_STR_EQ(fx(), "http_digits:4");
        CHECK_INT_EQ(wg_call_digits_done(&call, false, refused[i], 2000), WG_OK);
        CHECK_INT_EQ(call.ct.last_error, refused[i]);
        CHECK_INT_EQ(wg_dtmf_pending(&call.dtmf), 0);
        CHECK_INT_EQ(call.digits_retry_at_ms, 0);
        CHECK_INT_EQ(call.digits_attempt, 0);
        CHECK_STR_EQ(wg_dtmf_shown(&call.dtmf), "42#"); /* what was pressed stays shown */
        CHECK_INT_EQ(call.ct.state, WG_CALL_CONNECTED);
        CHECK_STR_EQ(fx(), notified[i]);
        CHECK_INT_EQ(wg_call_tick(&call, 1000000), 0);
        CHECK_STR_EQ(fx(), "");
        /* The next press goes out at once, on its own. */
        CHECK_INT_EQ(wg_call_press(&call, '7', 1000001), WG_OK);
        CHECK_STR_EQ(fx(), "http_digits:7");
        CHECK_INT_EQ(wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 1000002), WG_OK);
        CHECK_INT_EQ(wg_dtmf_pending(&call.dtmf), 0);
        CHECK_STR_EQ(fx(), "");
    }
    /* More than one request's worth queued: all of it goes. */
    connected();
    for (int k = 0; k < 50; k++)
        wg_call_press(&call, '1', 0);
    fx();
    CHECK_INT_EQ(wg_call_digits_done(&call, false, WG_CONTACT_ERR_AUTH, 0), WG_OK);
    CHECK_INT_EQ(wg_dtmf_pending(&call.dtmf), 0);
    CHECK_INT_EQ(call.dtmf.in_flight, 0);
    CHECK_INT_EQ(wg_call_tick(&call, 100000), 0);
    CHECK_STR_EQ(fx(), "notify_error:auth");
}

static void test_hangup(void)
{
    /* Server confirm first, then the ENDED event. */
    connected();
    CHECK_INT_EQ(wg_call_end_ok(&call, 0), WG_E_STATE); /* nothing sent yet */
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_OK);
    CHECK(call.hanging_up);
    CHECK_INT_EQ(call.ct.state, WG_CALL_CONNECTED);
    CHECK_STR_EQ(fx(), "http_hangup");
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_OK); /* a double click */
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_end_ok(&call, 0), WG_OK);
    CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
    CHECK_STR_EQ(call.ct.reason, "customer_hangup");
    CHECK_STR_EQ(fx(), "rtc_bye sse_close notify_state:ended notify_ended:customer_hangup");
    struct wg_event e = ev_state(9, WG_CS_ENDED, "customer_hangup");
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 0);
    CHECK_INT_EQ(wg_call_end_ok(&call, 0), WG_OK);
    CHECK_STR_EQ(fx(), "");
    CHECK_STR_EQ(call.ct.reason, "customer_hangup");

    /* The ENDED event first, then the server confirm. */
    connected();
    wg_call_hangup(&call, 0);
    CHECK_STR_EQ(fx(), "http_hangup");
    e = ev_state(9, WG_CS_ENDED, NULL); /* no Reason given: still ours */
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
    CHECK_STR_EQ(call.ct.reason, "customer_hangup");
    CHECK_STR_EQ(fx(), "rtc_bye sse_close notify_state:ended notify_ended:customer_hangup");
    CHECK_INT_EQ(wg_call_end_ok(&call, 0), WG_OK);
    CHECK_INT_EQ(wg_call_end_failed(&call, WG_CONTACT_ERR_ENDED, 0), WG_OK);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);

    /* Hanging up while still queued. */
    init();
    dial_with_mic("7035550122");
    wg_call_dial_ok(&call, "m", "t", "k", false, 0);
    fx();
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_hangup");
    wg_call_end_ok(&call, 0);
    CHECK_STR_EQ(call.ct.reason, "customer_hangup");

    /* A failed hang-up can be tried again; 409 contact_ended ends it. */
    connected();
    wg_call_hangup(&call, 0);
    fx();
    CHECK_INT_EQ(wg_call_end_failed(&call, WG_CONTACT_ERR_NETWORK, 0), WG_OK);
    CHECK_INT_EQ(call.ct.state, WG_CALL_CONNECTED);
    CHECK(!call.hanging_up);
    CHECK_INT_EQ(call.ct.last_error, WG_CONTACT_ERR_NETWORK);
    CHECK_STR_EQ(fx(), "notify_error:network");
    CHECK_INT_EQ(wg_call_end_failed(&call, WG_CONTACT_ERR_NETWORK, 0), WG_E_STATE); /* none sent */
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_hangup");
    CHECK_INT_EQ(wg_call_end_failed(&call, WG_CONTACT_ERR_ENDED, 0), WG_OK);
    CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
    CHECK_STR_EQ(call.ct.reason, "customer_hangup");
    CHECK_STR_EQ(fx(), "notify_error:ended rtc_bye sse_close notify_state:ended "
                       "notify_ended:customer_hangup");
}

/* Another person at the device: a live call is theirs no more, so it is
 * hung up, and everything of it goes; nothing of it reaches the next user. */
static void test_drop_for_another_user(void)
{
    connected();
    sig(2, WG_SIG_OFFER, "{}");
    wg_call_press(&call, '5', 0);
    wg_call_mute_toggle(&call, 0);
    fx();
    CHECK_INT_EQ(wg_call_drop(&call, 5000), 0);
    CHECK_STR_EQ(fx(), "http_hangup rtc_bye sse_close notify_state:idle");
    CHECK_INT_EQ(call.ct.state, WG_CALL_IDLE);
    CHECK_INT_EQ(call.media, WG_MEDIA_NONE);
    CHECK(!call.mic_held && !call.muted && !call.hanging_up && !call.dtmf.in_flight);
    CHECK_INT_EQ(call.ct.stream.conn, WG_CONN_CLOSED);
    CHECK_STR_EQ(call.meeting_id, "");
    CHECK_STR_EQ(call.number, "");
    CHECK_INT_EQ(call.ct.last_event_id, 0);
    /* The hang-up's answer and the old stream's events find no call. */
    CHECK_INT_EQ(wg_call_end_ok(&call, 5100), WG_E_STATE);
    CHECK_INT_EQ(wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 5100), WG_E_STATE);
    struct wg_event e = ev_state(3, WG_CS_ENDED, "customer_hangup");
    CHECK_INT_EQ(wg_call_event(&call, &e, 5100), 0);
    CHECK_INT_EQ(sig(4, WG_SIG_CANDIDATE, "{}"), 0);
    CHECK_STR_EQ(fx(), "");
    /* The next user dials as on a fresh page. */
    CHECK_INT_EQ(dial("+442079460958"), 0);
    CHECK_STR_EQ(fx(), "notify_state:dialing media_acquire");

    /* Queued, a hang-up already on its way: not sent twice. */
    init();
    dial_with_mic("7035550122");
    wg_call_dial_ok(&call, "m1", "t1", "tok", false, 0);
    wg_call_hangup(&call, 0);
    fx();
    CHECK_INT_EQ(wg_call_drop(&call, 0), 0);
    CHECK_STR_EQ(fx(), "rtc_bye sse_close notify_state:idle");

    /* Asking for the microphone: nothing on the server yet, nothing held. */
    init();
    dial("7035550122");
    fx();
    CHECK_INT_EQ(wg_call_drop(&call, 0), 0);
    CHECK_STR_EQ(fx(), "notify_state:idle");
    CHECK_INT_EQ(wg_call_media_ready(&call, 0), WG_E_STATE); /* a late grant is released */

    /* Ended already: nothing to hang up or release. */
    connected();
    wg_call_hangup(&call, 0);
    wg_call_end_ok(&call, 0);
    fx();
    CHECK_INT_EQ(wg_call_drop(&call, 0), 0);
    CHECK_STR_EQ(fx(), "notify_state:idle");
    init();
    CHECK_INT_EQ(wg_call_drop(&call, 0), 0);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_drop(NULL, 0), WG_E_INVAL);
}

static void test_signals(void)
{
    /* Not while no call is live. */
    init();
    CHECK_INT_EQ(sig(1, WG_SIG_OFFER, "{\"sdp\":\"x\"}"), 0);
    dial_with_mic("7035550122");
    fx();
    CHECK_INT_EQ(sig(1, WG_SIG_OFFER, "{\"sdp\":\"x\"}"), 0);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(call.media, WG_MEDIA_NONE);

    connected();
    CHECK_INT_EQ(wg_call_media_active(&call, 0), WG_E_STATE);
    CHECK_INT_EQ(sig(2, WG_SIG_BYE, NULL), 0); /* no peer yet: the microphone stays */
    CHECK(call.mic_held);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(sig(3, WG_SIG_OFFER, "{\"type\":\"offer\",\"sdp\":\"v=0\"}"), 1);
    CHECK_INT_EQ(call.media, WG_MEDIA_NEGOTIATING);
    CHECK_INT_EQ(sig(4, WG_SIG_CANDIDATE, "{\"candidate\":\"c1\"}"), 1);
    CHECK_INT_EQ(sig(5, WG_SIG_CANDIDATE, "{\"candidate\":\"c2\"}"), 1);
    CHECK_STR_EQ(fx(), "rtc_offer:{\"type\":\"offer\",\"sdp\":\"v=0\"} "
                       "rtc_candidate:{\"candidate\":\"c1\"} rtc_candidate:{\"candidate\":\"c2\"}");
    CHECK_INT_EQ(call.ct.last_event_id, 5);
    CHECK_INT_EQ(wg_call_media_active(&call, 0), WG_OK);
    CHECK_INT_EQ(call.media, WG_MEDIA_ACTIVE);
    CHECK_INT_EQ(sig(6, WG_SIG_ANSWER, "{\"type\":\"answer\"}"), 1);
    CHECK_INT_EQ(call.media, WG_MEDIA_ACTIVE);
    CHECK_STR_EQ(fx(), "rtc_answer:{\"type\":\"answer\"}");
    CHECK_INT_EQ(sig(7, WG_SIG_BYE, NULL), 1);
    CHECK_INT_EQ(call.media, WG_MEDIA_NONE);
    CHECK(!call.mic_held);
    CHECK_STR_EQ(fx(), "rtc_bye");
    CHECK_INT_EQ(wg_call_signal(&call, 8, (enum wg_signal_type)9, "{}", 2, 0), WG_E_INVAL);

    /* The end of the call closes the media too; then signals are ignored. */
    sig(8, WG_SIG_ANSWER, "{}");
    fx();
    struct wg_event e = ev_state(9, WG_CS_ENDED, "agent_hangup");
    wg_call_event(&call, &e, 0);
    CHECK_STR_EQ(fx(), "rtc_bye sse_close notify_state:ended notify_ended:agent_hangup");
    CHECK_INT_EQ(sig(10, WG_SIG_OFFER, "{}"), 0);
    CHECK_INT_EQ(sig(11, WG_SIG_CANDIDATE, "{}"), 0);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(call.media, WG_MEDIA_NONE);
}

static void test_hold(void)
{
    /* Not before the call is connected: nothing to hold yet. */
    init();
    dial_with_mic("7035550122");
    wg_call_dial_ok(&call, "m1", "t1", "tok", false, 0);
    fx();
    CHECK_INT_EQ(sig(1, WG_SIG_HOLD, "{\"At\":\"x\"}"), 0);
    CHECK(!call.on_hold);

    connected();
    CHECK_INT_EQ(sig(2, WG_SIG_HOLD, "{\"At\":\"x\"}"), 1);
    CHECK(call.on_hold);
    CHECK_STR_EQ(fx(), ""); /* no media change: the view silences the audio */
    CHECK_INT_EQ(call.ct.last_event_id, 2);
    CHECK_INT_EQ(sig(3, WG_SIG_HOLD, "{}"), 0); /* already */
    CHECK_INT_EQ(sig(4, WG_SIG_UNHOLD, "{}"), 1);
    CHECK(!call.on_hold);
    CHECK_INT_EQ(sig(5, WG_SIG_UNHOLD, "{}"), 0);
    CHECK_STR_EQ(fx(), "");

    /* A transfer back to the queue, the end and a new call clear it. */
    sig(6, WG_SIG_HOLD, "{}");
    struct wg_event q = ev_state(7, WG_CS_QUEUED, NULL);
    wg_call_event(&call, &q, 0);
    CHECK(!call.on_hold);
    connected();
    sig(2, WG_SIG_HOLD, "{}");
    struct wg_event e = ev_state(3, WG_CS_ENDED, "agent_hangup");
    wg_call_event(&call, &e, 0);
    CHECK(!call.on_hold);
    CHECK_INT_EQ(sig(4, WG_SIG_HOLD, "{}"), 0);
    CHECK(!call.on_hold);
}

static void test_signal_arena_full(void)
{
    /* The server's largest payload is 16 KiB; the list holds two with room
     * for messages, not three. */
    static char payload[16384];
    memset(payload, 'a', sizeof(payload));
    connected();
    CHECK_INT_EQ(wg_call_signal(&call, 2, WG_SIG_CANDIDATE, payload, sizeof(payload), 0), 1);
    CHECK_INT_EQ(wg_call_signal(&call, 3, WG_SIG_CANDIDATE, payload, sizeof(payload), 0), 1);
    /* A third does not fit: refused whole, the id not recorded. */
    CHECK_INT_EQ(wg_call_signal(&call, 4, WG_SIG_OFFER, payload, sizeof(payload), 0), WG_E_FULL);
    CHECK_INT_EQ(call.ct.last_event_id, 3);
    CHECK_INT_EQ(call.media, WG_MEDIA_NONE);
    CHECK(!list.overflow);
    CHECK_INT_EQ(list.count, 2);
    CHECK_INT_EQ(list.items[1].kind, WG_FX_RTC_CANDIDATE);
    CHECK_INT_EQ(list.items[1].owner, WG_OWNER_CALL);
    CHECK_INT_EQ(list.items[1].text_len, sizeof(payload));
    CHECK(list.items[1].text[sizeof(payload)] == '\0');
    CHECK(memcmp(list.items[1].text, payload, sizeof(payload)) == 0);
    wg_fx_clear(&list);
    CHECK_INT_EQ(wg_call_signal(&call, 4, WG_SIG_OFFER, payload, sizeof(payload), 0), 1);
    CHECK_INT_EQ(call.media, WG_MEDIA_NEGOTIATING);
    /* No room for a bye either: refused, media kept. */
    while (list.count < WG_FX_MAX)
        wg_fx_push(&list, WG_FX_NONE, WG_OWNER_WIDGET, 0);
    CHECK_INT_EQ(wg_call_signal(&call, 5, WG_SIG_BYE, NULL, 0, 0), WG_E_FULL);
    CHECK_INT_EQ(call.media, WG_MEDIA_NEGOTIATING);
    CHECK_INT_EQ(call.ct.last_event_id, 4);
    wg_fx_clear(&list);
}

static void test_mute(void)
{
    init();
    CHECK_INT_EQ(wg_call_mute_toggle(&call, 0), WG_E_STATE);
    /* Allowed while the microphone is being asked for. */
    dial("7035550122");
    fx();
    CHECK_INT_EQ(wg_call_mute_toggle(&call, 0), WG_OK);
    CHECK_STR_EQ(fx(), "media_mute(1)");
    connected();
    CHECK(!call.muted);
    CHECK_INT_EQ(wg_call_mute_toggle(&call, 0), WG_OK);
    CHECK(call.muted);
    CHECK_STR_EQ(fx(), "media_mute(1)");
    CHECK_INT_EQ(wg_call_mute_toggle(&call, 0), WG_OK);
    CHECK(!call.muted);
    CHECK_STR_EQ(fx(), "media_mute");
    wg_call_mute_toggle(&call, 0);
    struct wg_event e = ev_state(2, WG_CS_ENDED, "agent_hangup");
    wg_call_event(&call, &e, 0);
    CHECK_INT_EQ(wg_call_mute_toggle(&call, 0), WG_E_STATE);
}

static void test_stream_backoff(void)
{
    init();
    CHECK_INT_EQ(wg_call_stream_open(&call, 0), WG_E_STATE);
    dial_with_mic("7035550122");
    CHECK_INT_EQ(wg_call_stream_error(&call, 0), WG_E_STATE);
    wg_call_dial_ok(&call, "m", "t", "k", false, 0);
    fx();
    struct wg_event e = ev_state(12, WG_CS_QUEUED, NULL);
    wg_call_stream_open(&call, 0);
    wg_call_event(&call, &e, 0);
    CHECK_INT_EQ(wg_call_stream_error(&call, 10000), WG_OK);
    CHECK_INT_EQ(call.ct.stream.conn, WG_CONN_RETRYING);
    CHECK_STR_EQ(fx(), "sse_close");
    CHECK_INT_EQ(wg_call_stream_error(&call, 10100), WG_OK); /* late duplicate */
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_tick(&call, 10999), 0);
    CHECK_INT_EQ(wg_call_tick(&call, 11000), 1);
    CHECK_STR_EQ(fx(), "sse_open(12)");
    wg_call_stream_error(&call, 20000);
    fx();
    CHECK_INT_EQ(wg_call_tick(&call, 21999), 0);
    CHECK_INT_EQ(wg_call_tick(&call, 22000), 1); /* 2 s the second time */
    CHECK_STR_EQ(fx(), "sse_open(12)");
    wg_call_stream_open(&call, 22100);
    CHECK_INT_EQ(call.ct.stream.retry_attempt, 0);
    wg_call_stream_error(&call, 30000);
    fx();
    CHECK_INT_EQ(wg_call_tick(&call, 31000), 1); /* reset once open: 1 s again */
    CHECK_STR_EQ(fx(), "sse_open(12)");
}

static void test_reset_after_ended(void)
{
    connected();
    wg_call_mute_toggle(&call, 0);
    wg_call_press(&call, '1', 0);
    wg_call_press(&call, '2', 0);
    sig(5, WG_SIG_OFFER, "{}");
    struct wg_event j;
    memset(&j, 0, sizeof(j));
    j.kind = WG_EV_PARTICIPANT_JOINED;
    j.id = 6;
    j.role = WG_ROLE_AGENT;
    j.display_name = "Ann";
    wg_call_event(&call, &j, 0);
    struct wg_event e = ev_state(7, WG_CS_ENDED, "agent_hangup");
    wg_call_event(&call, &e, 0);
    fx();

    CHECK_INT_EQ(dial("bad"), WG_E_INVAL); /* refused: the ended call stays shown */
    CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
    CHECK_STR_EQ(call.ct.reason, "agent_hangup");

    CHECK_INT_EQ(dial("+44 20 7946 0958"), WG_OK);
    CHECK_INT_EQ(call.ct.state, WG_CALL_DIALING);
    CHECK_STR_EQ(fx(), "notify_state:dialing media_acquire");
    CHECK(call.media_pending);
    CHECK(!call.mic_held);
    CHECK_STR_EQ(call.ct.reason, "");
    CHECK_STR_EQ(call.ct.agent_name, "");
    CHECK_STR_EQ(call.meeting_id, "");
    CHECK(!call.muted);
    CHECK(!call.hanging_up);
    CHECK_INT_EQ(call.media, WG_MEDIA_NONE);
    CHECK_INT_EQ(call.ct.last_event_id, 0);
    CHECK_INT_EQ(call.ct.queue_position, -1);
    CHECK_INT_EQ(wg_dtmf_pending(&call.dtmf), 0);
    CHECK_INT_EQ(call.ct.last_error, WG_CONTACT_ERR_NONE);
    wg_call_media_ready(&call, 0);
    CHECK_STR_EQ(fx(), "http_dial:+442079460958");
    wg_call_dial_ok(&call, "m2", "t2", "k2", false, 0);
    CHECK_STR_EQ(fx(), "notify_state:queued sse_open");
}

/* A bridged call's dial answered: the customer offers (audio only). */
static void bridged_dialing(void)
{
    init();
    dial_with_mic("+15550100");
    fx();
    CHECK_INT_EQ(wg_call_dial_ok(&call, "m1", "t1", "tok", true, 0), WG_OK);
}

static struct wg_event ev_play(int64_t id, const char *digits)
{
    struct wg_event e;
    memset(&e, 0, sizeof(e));
    e.kind = WG_EV_DTMF_PLAY;
    e.id = id;
    e.digits = digits;
    return e;
}

static void test_bridged_states(void)
{
    bridged_dialing();
    /* No queue: DIALING stays (no state notification), now live; the
     * stream opens and the offer goes out from the microphone. */
    CHECK_STR_EQ(fx(), "sse_open rtc_start(1)");
    CHECK_INT_EQ(call.ct.state, WG_CALL_DIALING);
    CHECK(call.bridged);
    CHECK(wg_call_live(&call));
    CHECK_INT_EQ(call.media, WG_MEDIA_NEGOTIATING);
    /* A second answer, or a failure after the answer, changes nothing. */
    CHECK_INT_EQ(wg_call_dial_ok(&call, "m2", "t2", "tok", true, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_call_dial_failed(&call, WG_CONTACT_ERR_SERVER, 0), WG_E_STATE);
    CHECK_STR_EQ(call.meeting_id, "m1");
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_stream_open(&call, 0), WG_OK);
    /* The server's own first state is DIALING: nothing shown changes. */
    struct wg_event e = ev_state(1, WG_CS_DIALING, NULL);
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 0);
    CHECK_INT_EQ(call.ct.last_event_id, 1);
    /* The gateway's answer and candidates are applied. */
    CHECK_INT_EQ(sig(2, WG_SIG_ANSWER, "{\"type\":\"answer\",\"sdp\":\"v=0\"}"), 1);
    CHECK_INT_EQ(sig(3, WG_SIG_CANDIDATE, "{\"candidate\":\"c\"}"), 1);
    CHECK_STR_EQ(fx(), "rtc_answer:{\"type\":\"answer\",\"sdp\":\"v=0\"} rtc_candidate:{\"candidate\":\"c\"}");
    CHECK_INT_EQ(wg_call_media_active(&call, 0), WG_OK);
    e = ev_state(4, WG_CS_RINGING, NULL);
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
    CHECK_STR_EQ(fx(), "notify_state:ringing");
    e = ev_state(5, WG_CS_CONNECTED, NULL);
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
    CHECK_STR_EQ(fx(), "notify_state:connected");
    /* Hang-up from the browser works from DIALING on, as for agents. */
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_hangup");
    CHECK_INT_EQ(wg_call_end_ok(&call, 0), WG_OK);
    CHECK_STR_EQ(fx(), "rtc_bye sse_close notify_state:ended notify_ended:customer_hangup");
    CHECK(!wg_call_live(&call));
    /* A new dial is an agent call again unless its answer says otherwise. */
    dial_with_mic("+15550100");
    fx();
    CHECK(!call.bridged);
    CHECK_INT_EQ(wg_call_dial_ok(&call, "m3", "t3", "tok", false, 0), WG_OK);
    CHECK_STR_EQ(fx(), "notify_state:queued sse_open");
}

static void test_bridged_hangup_while_dialing(void)
{
    bridged_dialing();
    fx();
    CHECK_INT_EQ(wg_call_hangup(&call, 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_hangup");
    struct wg_event e = ev_state(1, WG_CS_ENDED, "customer_hangup");
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
    CHECK_STR_EQ(fx(), "rtc_bye sse_close notify_state:ended notify_ended:customer_hangup");
}

static void test_bridged_end_reasons(void)
{
    static const struct {
        const char *reason;
        int sip, kept;
    } cases[] = {
        {"far_end_hangup", 0, 0}, {"busy", 486, 486},     {"declined", 603, 603},
        {"no_answer", 408, 408},  {"failed", 503, 503},   {"gateway_lost", 0, 0},
        {"failed", -1, 0},        {"failed", 700, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bridged_dialing();
        fx();
        struct wg_event e = ev_state(1, WG_CS_ENDED, cases[i].reason);
        e.sip_status = cases[i].sip;
        CHECK_INT_EQ(wg_call_event(&call, &e, 0), 1);
        CHECK_INT_EQ(call.ct.state, WG_CALL_ENDED);
        CHECK_STR_EQ(call.ct.reason, cases[i].reason);
        CHECK_INT_EQ(call.sip_status, cases[i].kept);
        CHECK(!call.mic_held);
        CHECK_INT_EQ(call.media, WG_MEDIA_NONE);
        fx();
    }
}

static void test_bridged_digits(void)
{
    bridged_dialing();
    fx();
    struct wg_event e = ev_state(1, WG_CS_CONNECTED, NULL);
    wg_call_event(&call, &e, 0);
    fx();
    /* The keypad posts digits as for agents, but not in-band by itself. */
    CHECK_INT_EQ(wg_call_press(&call, '1', 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_digits(1):1");
    CHECK_INT_EQ(wg_call_press(&call, '2', 0), WG_OK);
    CHECK_INT_EQ(wg_call_press(&call, '#', 0), WG_OK);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_call_digits_done(&call, true, WG_CONTACT_ERR_NONE, 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_digits(1):2#");
    /* The server asks for them in-band: played in order, as given. */
    e = ev_play(2, "1");
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 0);
    e = ev_play(3, "2#*0abcd");
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 0);
    CHECK_STR_EQ(fx(), "rtc_dtmf:1 rtc_dtmf:2#*0ABCD");
    CHECK_INT_EQ(call.ct.last_event_id, 3);
    /* Anything that is not all keys, empty or over a request's worth: no. */
    const char *bad[] = {"", "12x", "1 2", "123456789012345678901", NULL};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        e = ev_play(4 + (int64_t)i, bad[i]);
        CHECK_INT_EQ(wg_call_event(&call, &e, 0), 0);
    }
    e = ev_play(20, "12345678901234567890");
    wg_call_event(&call, &e, 0);
    CHECK_STR_EQ(fx(), "rtc_dtmf:12345678901234567890");
    /* Without a peer (it failed) nothing can be played. */
    CHECK_INT_EQ(wg_call_media_failed(&call, WG_MEDIA_ERR_FAILED, 0), WG_OK);
    fx();
    e = ev_play(21, "5");
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 0);
    CHECK_STR_EQ(fx(), "");

    /* An agent call's keypad plays in-band itself; dtmf.play is ignored. */
    connected();
    CHECK_INT_EQ(wg_call_press(&call, '7', 0), WG_OK);
    CHECK_STR_EQ(fx(), "http_digits:7");
    e = ev_play(9, "7");
    CHECK_INT_EQ(wg_call_event(&call, &e, 0), 0);
    CHECK_STR_EQ(fx(), "");
}

static void test_null_args(void)
{
    CHECK_INT_EQ(wg_call_dial(NULL, "7035550122", 10, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_call_event(NULL, NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_call_signal(NULL, 0, WG_SIG_OFFER, "{}", 2, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_call_tick(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_call_hangup(NULL, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_call_press(NULL, '1', 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_call_mute_toggle(NULL, 0), WG_E_INVAL);
    wg_call_init(NULL, NULL);
    CHECK_STR_EQ(wg_call_state_name((enum wg_call_state)99), "unknown");
    CHECK_STR_EQ(wg_call_state_name(WG_CALL_RINGING), "ringing");
}

int main(void)
{
    UNIT_RUN(test_numbers);
    UNIT_RUN(test_transitions);
    UNIT_RUN(test_dial_failed);
    UNIT_RUN(test_microphone);
    UNIT_RUN(test_ended_reasons);
    UNIT_RUN(test_keypad);
    UNIT_RUN(test_keypad_retry);
    UNIT_RUN(test_keypad_refused_is_not_retried);
    UNIT_RUN(test_hangup);
    UNIT_RUN(test_drop_for_another_user);
    UNIT_RUN(test_signals);
    UNIT_RUN(test_hold);
    UNIT_RUN(test_signal_arena_full);
    UNIT_RUN(test_mute);
    UNIT_RUN(test_stream_backoff);
    UNIT_RUN(test_reset_after_ended);
    UNIT_RUN(test_bridged_states);
    UNIT_RUN(test_bridged_hangup_while_dialing);
    UNIT_RUN(test_bridged_end_reasons);
    UNIT_RUN(test_bridged_digits);
    UNIT_RUN(test_null_args);
    return UNIT_DONE();
}
