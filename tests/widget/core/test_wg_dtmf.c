/* test_wg_dtmf.c - DTMF pad: valid and invalid keys, FIFO order, coalescing
 * into requests of at most 20 digits, one in flight, retry after failure,
 * the bounded queue and the shown digits. */
#include <string.h>

#include "unit.h"
#include "wg_dtmf.h"
#include "wg_err.h"

static void press_all(struct wg_dtmf *d, const char *keys)
{
    for (; *keys; keys++)
        CHECK_INT_EQ(wg_dtmf_press(d, *keys), 0);
}

static void test_valid_and_invalid_keys(void)
{
    const char *ok = "0123456789*#ABCD";
    for (const char *p = ok; *p; p++)
        CHECK_INT_EQ(wg_dtmf_key(*p), *p);
    CHECK_INT_EQ(wg_dtmf_key('b'), 'B');
    const char *bad = "EeZz+- .\n";
    for (const char *p = bad; *p; p++)
        CHECK_INT_EQ(wg_dtmf_key(*p), 0);
    CHECK_INT_EQ(wg_dtmf_key('\0'), 0);
    struct wg_dtmf d;
    wg_dtmf_init(&d);
    CHECK_INT_EQ(wg_dtmf_press(&d, 'E'), WG_E_KEY);
    CHECK_INT_EQ(wg_dtmf_press(&d, '+'), WG_E_KEY);
    CHECK_INT_EQ(wg_dtmf_pending(&d), 0);
    CHECK_STR_EQ(wg_dtmf_shown(&d), "");
    CHECK_INT_EQ(wg_dtmf_press(NULL, '1'), WG_E_INVAL);
}

static void test_order_and_coalescing(void)
{
    struct wg_dtmf d;
    char out[32];
    wg_dtmf_init(&d);
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 20), 0);
    CHECK_STR_EQ(out, "");
    CHECK_INT_EQ(wg_dtmf_done(&d, true), WG_E_STATE);
    press_all(&d, "1");
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 20), 1);
    CHECK_STR_EQ(out, "1");
    /* Keys pressed while the request is in flight wait for the next one. */
    press_all(&d, "2#a*");
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 20), WG_E_BUSY);
    CHECK_INT_EQ(wg_dtmf_pending(&d), 5);
    CHECK_INT_EQ(wg_dtmf_done(&d, true), 0);
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 20), 4);
    CHECK_STR_EQ(out, "2#A*");
    CHECK_INT_EQ(wg_dtmf_done(&d, true), 0);
    CHECK_INT_EQ(wg_dtmf_pending(&d), 0);
    CHECK_STR_EQ(wg_dtmf_shown(&d), "12#A*");
}

static void test_chunks_of_at_most_20(void)
{
    struct wg_dtmf d;
    char out[64];
    wg_dtmf_init(&d);
    press_all(&d, "0123456789012345678901234"); /* 25 */
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 100), 20);
    CHECK_STR_EQ(out, "01234567890123456789");
    wg_dtmf_done(&d, true);
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 100), 5);
    CHECK_STR_EQ(out, "01234");
    wg_dtmf_done(&d, true);
    /* A smaller max_chars or a small buffer bound the chunk too. */
    press_all(&d, "98765");
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 2), 2);
    CHECK_STR_EQ(out, "98");
    wg_dtmf_done(&d, true);
    char small[3];
    CHECK_INT_EQ(wg_dtmf_take(&d, small, sizeof(small), 20), 2);
    CHECK_STR_EQ(small, "76");
    wg_dtmf_done(&d, true);
    CHECK_INT_EQ(wg_dtmf_take(&d, out, 1, 20), WG_E_INVAL);
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 20), 1);
    CHECK_STR_EQ(out, "5");
}

static void test_failed_request_is_retried_in_order(void)
{
    struct wg_dtmf d;
    char out[32];
    wg_dtmf_init(&d);
    press_all(&d, "12");
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 20), 2);
    press_all(&d, "3");
    CHECK_INT_EQ(wg_dtmf_done(&d, false), 0);
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 20), 3);
    CHECK_STR_EQ(out, "123");
}

static void test_queue_is_bounded_and_wraps(void)
{
    struct wg_dtmf d;
    char out[32];
    wg_dtmf_init(&d);
    for (int i = 0; i < WG_DTMF_QUEUE_MAX; i++)
        CHECK_INT_EQ(wg_dtmf_press(&d, (char)('0' + i % 10)), 0);
    CHECK_INT_EQ(wg_dtmf_press(&d, '1'), WG_E_FULL);
    CHECK_INT_EQ(wg_dtmf_pending(&d), WG_DTMF_QUEUE_MAX);
    CHECK_INT_EQ(strlen(wg_dtmf_shown(&d)), WG_DTMF_SHOWN_MAX);
    /* Drain 20, refill across the ring's end, order holds. */
    CHECK_INT_EQ(wg_dtmf_take(&d, out, sizeof(out), 20), 20);
    wg_dtmf_done(&d, true);
    press_all(&d, "ABCD");
    int total = 0;
    char last[32] = "";
    int n;
    while ((n = wg_dtmf_take(&d, out, sizeof(out), 20)) > 0) {
        total += n;
        strcpy(last, out);
        wg_dtmf_done(&d, true);
    }
    CHECK_INT_EQ(total, WG_DTMF_QUEUE_MAX - 20 + 4);
    CHECK_INT_EQ(last[strlen(last) - 4], 'A');
    CHECK_STR_EQ(last + strlen(last) - 4, "ABCD");
}

int main(void)
{
    UNIT_RUN(test_valid_and_invalid_keys);
    UNIT_RUN(test_order_and_coalescing);
    UNIT_RUN(test_chunks_of_at_most_20);
    UNIT_RUN(test_failed_request_is_retried_in_order);
    UNIT_RUN(test_queue_is_bounded_and_wraps);
    return UNIT_DONE();
}
