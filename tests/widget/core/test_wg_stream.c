/* test_wg_stream.c - the event-stream connection: connect, open, drop,
 * backoff from the input clock, reopen, close and reset; the retry time
 * shared with the call's digits; the machines' side (inputs refused when no
 * stream is wanted, SSE_OPEN/SSE_CLOSE with the owner given, a late error,
 * the tick's reopen from the last event id) and the Last-Event-ID rule. */
#include "fx_str.h"
#include "unit.h"
#include "wg_err.h"
#include "wg_stream.h"

static void test_backoff_doubles_to_a_ceiling(void)
{
    CHECK_INT_EQ(wg_stream_backoff_ms(0), 1000);
    CHECK_INT_EQ(wg_stream_backoff_ms(3), 8000);
    CHECK_INT_EQ(wg_stream_backoff_ms(5), 30000);
    CHECK_INT_EQ(wg_stream_backoff_ms(4000000000u), 30000);
}

static void test_drop_and_reopen(void)
{
    struct wg_stream s;
    wg_stream_reset(&s);
    wg_stream_connect(&s);
    CHECK_INT_EQ(s.conn, WG_CONN_CONNECTING);
    CHECK(!wg_stream_opened(&s)); /* the first open is no reopen */
    CHECK(wg_stream_failed(&s, 10000));
    CHECK(!wg_stream_failed(&s, 10001)); /* a late error: already scheduled */
    CHECK_INT_EQ(s.retry_at_ms, 11000);
    CHECK(!wg_stream_retry_due(&s, 10999));
    CHECK(wg_stream_retry_due(&s, 11000));
    CHECK_INT_EQ(s.conn, WG_CONN_CONNECTING);
    CHECK(wg_stream_failed(&s, 20000)); /* failed again before opening: 2 s */
    CHECK_INT_EQ(s.retry_at_ms, 22000);
    CHECK(wg_stream_retry_due(&s, 22000));
    CHECK(wg_stream_opened(&s)); /* a reopen: callers backfill */
    CHECK_INT_EQ(s.retry_attempt, 0);
    CHECK(wg_stream_failed(&s, 30000));
    CHECK_INT_EQ(s.retry_at_ms, 31000); /* the backoff started over */
}

static void test_close_and_reset(void)
{
    struct wg_stream s;
    wg_stream_reset(&s);
    CHECK(!wg_stream_close(&s)); /* nothing to close */
    wg_stream_connect(&s);
    wg_stream_opened(&s);
    CHECK(wg_stream_close(&s));
    CHECK_INT_EQ(s.conn, WG_CONN_CLOSED);
    CHECK(!wg_stream_retry_due(&s, 1000000));
    CHECK(s.was_open); /* closing keeps the history; reset clears it */
    wg_stream_reset(&s);
    CHECK(!s.was_open);
}

static void test_retry_at_counts_failures(void)
{
    unsigned attempt = 0;
    CHECK_INT_EQ(wg_stream_retry_at(&attempt, 5000), 6000);
    CHECK_INT_EQ(attempt, 1);
    CHECK_INT_EQ(wg_stream_retry_at(&attempt, 5000), 7000);
    CHECK_INT_EQ(attempt, 2);
    for (int i = 0; i < 100; i++)
        wg_stream_retry_at(&attempt, 0);
    unsigned counted = attempt;
    CHECK_INT_EQ(wg_stream_retry_at(&attempt, 0), 30000);
    CHECK_INT_EQ(attempt, counted); /* the count stops well before it could wrap */
}

static void test_machine_side(void)
{
    static struct wg_fx_list list;
    wg_fx_init(&list);
    struct wg_stream s;
    wg_stream_reset(&s);
    /* Nothing to report on while closed, or while no stream is wanted. */
    CHECK_INT_EQ(wg_stream_report_open(&s, true), WG_E_STATE);
    CHECK_INT_EQ(wg_stream_report_error(&s, true, &list, WG_OWNER_CALL, 0), WG_E_STATE);
    wg_stream_start(&s, &list, WG_OWNER_CALL, 7);
    CHECK_INT_EQ(s.conn, WG_CONN_CONNECTING);
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CHAT), "sse_open@call(7)");
    CHECK_INT_EQ(wg_stream_report_open(&s, false), WG_E_STATE);
    CHECK_INT_EQ(wg_stream_report_error(&s, false, &list, WG_OWNER_CALL, 0), WG_E_STATE);
    CHECK_INT_EQ(s.conn, WG_CONN_CONNECTING);
    CHECK_INT_EQ(wg_stream_report_open(&s, true), 0); /* the first open */

    CHECK_INT_EQ(wg_stream_report_error(&s, true, &list, WG_OWNER_CALL, 10000), WG_OK);
    CHECK_INT_EQ(wg_stream_report_error(&s, true, &list, WG_OWNER_CALL, 10001), WG_OK); /* late */
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CALL), "sse_close"); /* one close, one retry */
    CHECK_INT_EQ(wg_stream_tick(&s, &list, WG_OWNER_CALL, 9, 10999), 0);
    CHECK_INT_EQ(wg_stream_tick(&s, &list, WG_OWNER_CALL, 9, 11000), 1);
    CHECK_INT_EQ(wg_stream_tick(&s, &list, WG_OWNER_CALL, 9, 11001), 0); /* once */
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CALL), "sse_open(9)");
    CHECK_INT_EQ(wg_stream_report_open(&s, true), 1); /* a reopen */

    wg_stream_stop(&s, &list, WG_OWNER_CHAT);
    wg_stream_stop(&s, &list, WG_OWNER_CHAT); /* closed already: no second close */
    CHECK_STR_EQ(fx_str(&list, WG_OWNER_CALL), "sse_close@chat");
    CHECK_INT_EQ(s.conn, WG_CONN_CLOSED);
}

static void test_last_event_id_only_grows(void)
{
    int64_t last = 0;
    wg_stream_note_id(&last, 5);
    CHECK_INT_EQ(last, 5);
    wg_stream_note_id(&last, 3); /* a replay */
    wg_stream_note_id(&last, 0); /* no id */
    CHECK_INT_EQ(last, 5);
    wg_stream_note_id(&last, 6);
    CHECK_INT_EQ(last, 6);
}

int main(void)
{
    UNIT_RUN(test_backoff_doubles_to_a_ceiling);
    UNIT_RUN(test_drop_and_reopen);
    UNIT_RUN(test_close_and_reset);
    UNIT_RUN(test_retry_at_counts_failures);
    UNIT_RUN(test_machine_side);
    UNIT_RUN(test_last_event_id_only_grows);
    return UNIT_DONE();
}
