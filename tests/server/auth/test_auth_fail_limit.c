/* test_auth_fail_limit.c - the per-address failure table: the limit holds
 * within a window and lifts when it ends, addresses are counted apart,
 * IPv6 by its /64 and IPv4-mapped IPv6 as IPv4, text that is no address
 * is never limited, and a full set gives way to new addresses. */
#include <stdio.h>

#include "auth/fail_limit.h"
#include "unit.h"

#define NOW 1700000000

static void test_limit_and_window(void)
{
    edge_fail_limit *l = edge_fail_limit_create(64, 3, 10);
    for (int i = 0; i < 3; i++) {
        CHECK_INT_EQ(edge_fail_limit_wait(l, "192.0.2.1", NOW + i), 0);
        edge_fail_limit_count(l, "192.0.2.1", NOW + i);
    }
    CHECK_INT_EQ(edge_fail_limit_wait(l, "192.0.2.1", NOW + 2), 8); /* the window began at NOW */
    CHECK_INT_EQ(edge_fail_limit_wait(l, "192.0.2.1", NOW + 9), 1);
    CHECK_INT_EQ(edge_fail_limit_wait(l, "192.0.2.2", NOW + 2), 0); /* another address */
    CHECK_INT_EQ(edge_fail_limit_wait(l, "192.0.2.1", NOW + 10), 0); /* the window is over */
    edge_fail_limit_count(l, "192.0.2.1", NOW + 10); /* a new window: one failure */
    CHECK_INT_EQ(edge_fail_limit_wait(l, "192.0.2.1", NOW + 11), 0);
    edge_fail_limit_free(l);
}

static void test_address_grouping(void)
{
    edge_fail_limit *l = edge_fail_limit_create(64, 2, 10);
    edge_fail_limit_count(l, "2001:db8:1:2::1", NOW);
    edge_fail_limit_count(l, "2001:db8:1:2:ffff::9", NOW); /* the same /64 */
    CHECK(edge_fail_limit_wait(l, "2001:db8:1:2::77", NOW) > 0);
    CHECK_INT_EQ(edge_fail_limit_wait(l, "2001:db8:1:3::1", NOW), 0); /* the next /64 */
    edge_fail_limit_count(l, "::ffff:198.51.100.7", NOW);
    edge_fail_limit_count(l, "198.51.100.7", NOW);
    CHECK(edge_fail_limit_wait(l, "198.51.100.7", NOW) > 0);
    CHECK(edge_fail_limit_wait(l, "::ffff:198.51.100.7", NOW) > 0);
    CHECK_INT_EQ(edge_fail_limit_wait(l, "198.51.100.8", NOW), 0);
    for (int i = 0; i < 5; i++)
        edge_fail_limit_count(l, "-", NOW); /* no address: nothing to count */
    CHECK_INT_EQ(edge_fail_limit_wait(l, "-", NOW), 0);
    CHECK_INT_EQ(edge_fail_limit_wait(l, "", NOW), 0);
    edge_fail_limit_free(l);
}

/* With 4 entries (one set), a fifth address takes the place of the one
 * whose window began first. */
static void test_full_set_gives_way(void)
{
    edge_fail_limit *l = edge_fail_limit_create(4, 1, 100);
    char addr[32];
    for (int i = 1; i <= 4; i++) {
        snprintf(addr, sizeof(addr), "10.0.0.%d", i);
        edge_fail_limit_count(l, addr, NOW + i);
    }
    for (int i = 1; i <= 4; i++) {
        snprintf(addr, sizeof(addr), "10.0.0.%d", i);
        CHECK(edge_fail_limit_wait(l, addr, NOW + 5) > 0);
    }
    edge_fail_limit_count(l, "10.0.0.5", NOW + 5);
    CHECK(edge_fail_limit_wait(l, "10.0.0.5", NOW + 5) > 0);
    CHECK_INT_EQ(edge_fail_limit_wait(l, "10.0.0.1", NOW + 5), 0); /* the oldest gave way */
    CHECK(edge_fail_limit_wait(l, "10.0.0.2", NOW + 5) > 0);
    edge_fail_limit_free(l);
}

int main(void)
{
    UNIT_RUN(test_limit_and_window);
    UNIT_RUN(test_address_grouping);
    UNIT_RUN(test_full_set_gives_way);
    return UNIT_DONE();
}
