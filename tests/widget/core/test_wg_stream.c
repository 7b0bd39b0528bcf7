/* test_wg_stream.c - the event-stream connection: connect, open, drop,
 * backoff from the input clock, reopen, close and reset. */
#include "unit.h"
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

int main(void)
{
    UNIT_RUN(test_backoff_doubles_to_a_ceiling);
    UNIT_RUN(test_drop_and_reopen);
    UNIT_RUN(test_close_and_reset);
    return UNIT_DONE();
}
