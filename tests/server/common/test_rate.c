/* test_rate.c - the "N/PERIOD" limit syntax (common/rate.c) and client
 * networks as limit keys (common/net_prefix.c): what parses to what, and
 * everything near a valid value that must be refused. */
#include "common/net_prefix.h"
#include "common/rate.h"
#include "unit.h"

static void check_rate(const char *text, long long max, long long window_ms)
{
    edge_rate r = {77, 77};
    int rc = edge_rate_parse(text, &r);
    CHECK_INT_EQ(rc, 0);
    if (rc != 0)
        fprintf(stderr, "    for \"%s\"\n", text);
    CHECK_INT_EQ(r.max, max);
    CHECK_INT_EQ(r.window_ms, window_ms);
}

static void test_valid_rates(void)
{
    check_rate("20/10s", 20, 10000);
    check_rate("5/min", 5, 60000);
    check_rate("10/10min", 10, 600000);
    check_rate("100/h", 100, 3600000);
    check_rate("3/2h", 3, 7200000);
    check_rate("1/s", 1, 1000);
    check_rate("1/1s", 1, 1000);
    check_rate("0", 0, 0);
    check_rate("1000000/s", 1000000, 1000);
    check_rate("1/168h", 1, 168LL * 3600000); /* a week, the longest window */
    check_rate("1/604800s", 1, 604800000LL);
}

static void test_invalid_rates(void)
{
    static const char *const bad[] = {
        "",
        "5",
        "5/",
        "/min",
        "0/min",
        "00",
        "0/10s",
        "-1/min",
        "+5/min",
        "5/week",
        "5/m",
        "5/sec",
        "5/MIN",
        "5/10",
        "5/0s",
        "5/0min",
        "5 /min",
        "5/ min",
        "5/min ",
        " 5/min",
        "5//min",
        "5/10s/1",
        "1000001/s",
        "1/604801s",
        "1/169h",
        "1/8d",
        "5/1.5s",
        "99999999999999999999/s",
        "1/99999999999999999999s",
        "abc",
        "5/min\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        edge_rate r = {77, 77};
        int rc = edge_rate_parse(bad[i], &r);
        CHECK_INT_EQ(rc, -1);
        if (rc != -1)
            fprintf(stderr, "    accepted \"%s\"\n", bad[i]);
        CHECK_INT_EQ(r.max, 77); /* untouched */
        CHECK_INT_EQ(r.window_ms, 77);
    }
    edge_rate r;
    CHECK_INT_EQ(edge_rate_parse(NULL, &r), -1);
}

static void check_net(const char *addr, const char *want)
{
    char out[EDGE_NET_PREFIX_MAX];
    CHECK_INT_EQ(edge_net_prefix(addr, out, sizeof(out)), 0);
    CHECK_STR_EQ(out, want);
}

static void test_networks(void)
{
    check_net("127.0.0.1", "v4:127.0.0.1");
    check_net("203.0.113.9", "v4:203.0.113.9");
    check_net("::ffff:203.0.113.9", "v4:203.0.113.9"); /* mapped: the IPv4 address */
    check_net("2001:db8:1:2:3:4:5:6", "v6:2001:db8:1:2::/64");
    check_net("2001:db8:1:2:ffff::1", "v6:2001:db8:1:2::/64"); /* same /64 */
    check_net("2001:db8:1:3::1", "v6:2001:db8:1:3::/64");      /* the next /64 */
    check_net("::1", "v6:::/64");
    char out[EDGE_NET_PREFIX_MAX] = "x";
    CHECK_INT_EQ(edge_net_prefix("-", out, sizeof(out)), -1);
    CHECK_STR_EQ(out, "");
    CHECK_INT_EQ(edge_net_prefix("1.2.3", out, sizeof(out)), -1);
    CHECK_INT_EQ(edge_net_prefix(NULL, out, sizeof(out)), -1);
    CHECK_INT_EQ(edge_net_prefix("127.0.0.1", out, 8), -1); /* too small a buffer */
}

int main(void)
{
    UNIT_RUN(test_valid_rates);
    UNIT_RUN(test_invalid_rates);
    UNIT_RUN(test_networks);
    return UNIT_DONE();
}
