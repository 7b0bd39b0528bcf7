/* test_wg_contact.c - the contact both machines share: init and reset,
 * state changes and errors with their notifications (owner as given), the
 * ending (stream closed, reason kept and truncated, NOTIFY_ENDED), a drop,
 * the stream inputs refused when no stream is wanted, the tick's reopen from
 * the last event id, the queue and agent events, signal types and the
 * error names. */
#include <string.h>

#include "fx_str.h"
#include "unit.h"
#include "wg_contact.h"
#include "wg_err.h"

static struct wg_fx_list list;

static void test_init_and_reset(void)
{
    struct wg_contact ct;
    wg_fx_init(&list);
    wg_contact_init(&ct, &list, WG_OWNER_CALL);
    CHECK_INT_EQ(ct.state, 0);
    CHECK_INT_EQ(ct.owner, WG_OWNER_CALL);
    CHECK_INT_EQ(ct.queue_position, -1);
    CHECK_INT_EQ(ct.queue_depth, -1);
    CHECK_INT_EQ(ct.est_wait_s, -1);
    CHECK_INT_EQ(ct.last_error, WG_CONTACT_ERR_NONE);
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CALL), ""); /* init says nothing */
}

static void test_state_and_error_notify(void)
{
    struct wg_contact ct;
    wg_fx_init(&list);
    wg_contact_init(&ct, &list, WG_OWNER_CHAT);
    wg_contact_set_state(&ct, 2, "waiting");
    wg_contact_set_state(&ct, 2, "waiting"); /* no change: no notification */
    wg_contact_set_error(&ct, WG_CONTACT_ERR_NETWORK);
    wg_contact_set_error(&ct, WG_CONTACT_ERR_NONE); /* cleared quietly */
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CALL), "notify_state@chat:waiting notify_error@chat:network");
    CHECK_INT_EQ(ct.state, 2);
    CHECK_INT_EQ(ct.last_error, WG_CONTACT_ERR_NONE);
}

static void test_end_closes_the_stream(void)
{
    struct wg_contact ct;
    wg_fx_init(&list);
    wg_contact_init(&ct, &list, WG_OWNER_CALL);
    wg_stream_start(&ct.stream, &list, WG_OWNER_CALL, 0);
    fx_str(&list, WG_OWNER_CALL);
    char longer[200];
    memset(longer, 'r', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    wg_contact_end(&ct, 5, "ended", longer);
    CHECK_INT_EQ(strlen(ct.reason), WG_CONTACT_REASON_MAX - 1); /* truncated */
    CHECK_INT_EQ(ct.stream.conn, WG_CONN_CLOSED);
    const char *got = fx_str(&list, WG_OWNER_CALL);
    CHECK_STR_EQ(got, "sse_close notify_state:ended notify_ended:"
                      "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr...");
    wg_contact_end(&ct, 5, "ended", NULL); /* again: no close, no state, "" */
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CALL), "notify_ended");
    CHECK_STR_EQ(ct.reason, "");
}

static void test_drop_resets(void)
{
    struct wg_contact ct;
    wg_fx_init(&list);
    wg_contact_init(&ct, &list, WG_OWNER_CHAT);
    wg_stream_start(&ct.stream, &list, WG_OWNER_CHAT, 0);
    wg_contact_note_id(&ct, 12);
    ct.last_error = WG_CONTACT_ERR_AUTH;
    fx_str(&list, WG_OWNER_CHAT);
    wg_contact_drop(&ct, 500);
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CHAT), "sse_close");
    CHECK_INT_EQ(ct.last_event_id, 0);
    CHECK_INT_EQ(ct.last_error, WG_CONTACT_ERR_NONE);
    CHECK_INT_EQ(ct.now_ms, 500);
}

static void test_stream_inputs(void)
{
    struct wg_contact ct;
    wg_fx_init(&list);
    wg_contact_init(&ct, &list, WG_OWNER_CALL);
    CHECK_INT_EQ(wg_contact_stream_open(&ct, true, 10), WG_E_STATE); /* closed */
    wg_stream_start(&ct.stream, &list, WG_OWNER_CALL, 0);
    fx_str(&list, WG_OWNER_CALL);
    CHECK_INT_EQ(wg_contact_stream_error(&ct, false, 20), WG_E_STATE); /* not wanted */
    CHECK_INT_EQ(ct.now_ms, 0);
    CHECK_INT_EQ(wg_contact_stream_open(&ct, true, 30), 0);
    CHECK_INT_EQ(ct.now_ms, 30);
    wg_contact_note_id(&ct, 41);
    wg_contact_note_id(&ct, 40); /* a replay: the id never goes back */
    CHECK_INT_EQ(wg_contact_stream_error(&ct, true, 1000), WG_OK);
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CALL), "sse_close");
    CHECK_INT_EQ(wg_contact_tick(&ct, 1999), 0);
    CHECK_INT_EQ(wg_contact_tick(&ct, 2000), 1);
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CALL), "sse_open(41)");
    CHECK_INT_EQ(wg_contact_stream_open(&ct, true, 2100), 1); /* a reopen */
}

static void test_queue_and_agent_events(void)
{
    struct wg_contact ct;
    wg_fx_init(&list);
    wg_contact_init(&ct, &list, WG_OWNER_CHAT);
    struct wg_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.kind = WG_EV_QUEUE;
    ev.position = 3;
    ev.queue_depth = 7;
    ev.est_wait_s = 90;
    CHECK_INT_EQ(wg_contact_event(&ct, &ev), 1);
    CHECK_INT_EQ(ct.queue_position, 3);
    CHECK_INT_EQ(ct.queue_depth, 7);
    CHECK_INT_EQ(ct.est_wait_s, 90);
    ev.kind = WG_EV_PARTICIPANT_JOINED;
    ev.role = WG_ROLE_CUSTOMER;
    ev.display_name = "Me";
    CHECK_INT_EQ(wg_contact_event(&ct, &ev), 0); /* only the agent's name is kept */
    ev.role = WG_ROLE_AGENT;
    ev.display_name = "Ana";
    CHECK_INT_EQ(wg_contact_event(&ct, &ev), 1);
    CHECK_STR_EQ(ct.agent_name, "Ana");
    ev.kind = WG_EV_MESSAGE;
    CHECK_INT_EQ(wg_contact_event(&ct, &ev), 0); /* the machine's own business */
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CHAT), "");
}

static void test_signal_gate(void)
{
    struct wg_contact ct;
    wg_fx_init(&list);
    wg_contact_init(&ct, &list, WG_OWNER_CALL);
    CHECK_INT_EQ(wg_contact_signal(&ct, true, true, 3, WG_SIG_ANSWER, NULL, 4, 1), WG_E_INVAL);
    CHECK_INT_EQ(wg_contact_signal(&ct, true, true, 3, (enum wg_signal_type)9, "x", 1, 1),
                 WG_E_INVAL);
    CHECK_INT_EQ(wg_contact_signal(&ct, false, true, 3, WG_SIG_ANSWER, "x", 1, 2), 0);
    CHECK_INT_EQ(ct.last_event_id, 0); /* not live: a late frame, its id is not kept */
    CHECK_INT_EQ(ct.now_ms, 2);
    CHECK_INT_EQ(wg_contact_signal(&ct, true, false, 4, WG_SIG_OFFER, "x", 1, 3), 0);
    CHECK_INT_EQ(ct.last_event_id, 4); /* unused, but seen */
    while (wg_fx_push(&list, WG_FX_RTC_BYE, WG_OWNER_CALL, 0))
        ;
    list.overflow = false;
    CHECK_INT_EQ(wg_contact_signal(&ct, true, true, 5, WG_SIG_BYE, NULL, 0, 4), WG_E_FULL);
    CHECK_INT_EQ(ct.last_event_id, 4); /* nothing changed: given again after a drain */
    wg_fx_clear(&list);
    CHECK_INT_EQ(wg_contact_signal(&ct, true, true, 5, WG_SIG_BYE, NULL, 0, 5), 1);
    CHECK_INT_EQ(ct.last_event_id, 5);
}

static void test_vocabulary(void)
{
    CHECK(wg_signal_type_valid(WG_SIG_OFFER));
    CHECK(wg_signal_type_valid(WG_SIG_BYE));
    CHECK(wg_signal_type_valid(WG_SIG_UNHOLD));
    CHECK(!wg_signal_type_valid((enum wg_signal_type)6));
    CHECK(!wg_signal_type_valid((enum wg_signal_type)-1));
    CHECK_STR_EQ(wg_contact_error_name(WG_CONTACT_ERR_NONE), "none");
    CHECK_STR_EQ(wg_contact_error_name(WG_CONTACT_ERR_REF_EMAIL), "route_email_mismatch");
    CHECK_STR_EQ(wg_contact_error_name(WG_CONTACT_ERR_NO_CHAT), "no_open_chat");
    CHECK_STR_EQ(wg_contact_error_name((enum wg_contact_error)99), "unknown");
}

int main(void)
{
    UNIT_RUN(test_init_and_reset);
    UNIT_RUN(test_state_and_error_notify);
    UNIT_RUN(test_end_closes_the_stream);
    UNIT_RUN(test_drop_resets);
    UNIT_RUN(test_stream_inputs);
    UNIT_RUN(test_queue_and_agent_events);
    UNIT_RUN(test_signal_gate);
    UNIT_RUN(test_vocabulary);
    return UNIT_DONE();
}
