/* test_static_date.c - HTTP date formatting and the three parse formats. */
#include <string.h>

#include "static/http_date.h"
#include "unit.h"

static int parse(const char *s, int64_t *t)
{
    return edge_http_date_parse(s, strlen(s), t);
}

static void test_format(void)
{
    char out[EDGE_HTTP_DATE_LEN + 1];
    CHECK_INT_EQ(edge_http_date_format(784111777, out), 0);
    CHECK_STR_EQ(out, "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK_INT_EQ(edge_http_date_format(0, out), 0);
    CHECK_STR_EQ(out, "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK_INT_EQ(edge_http_date_format(951782400, out), 0); /* leap day 2000 */
    CHECK_STR_EQ(out, "Tue, 29 Feb 2000 00:00:00 GMT");
    CHECK_INT_EQ(edge_http_date_format(253402300799LL, out), 0);
    CHECK_STR_EQ(out, "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK_INT_EQ(edge_http_date_format(253402300800LL, out), -1);
    CHECK_STR_EQ(out, "");
}

static void test_parse_formats(void)
{
    int64_t t = 0;
    CHECK_INT_EQ(parse("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
    CHECK_INT_EQ(t, 784111777);
    t = 0;
    CHECK_INT_EQ(parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
    CHECK_INT_EQ(t, 784111777);
    t = 0;
    CHECK_INT_EQ(parse("Sun Nov  6 08:49:37 1994", &t), 0);
    CHECK_INT_EQ(t, 784111777);
    CHECK_INT_EQ(parse("Tue, 29 Feb 2000 00:00:00 GMT", &t), 0);
    CHECK_INT_EQ(t, 951782400);
    CHECK_INT_EQ(parse("Wednesday, 01-Jan-25 00:00:00 GMT", &t), 0);
    CHECK_INT_EQ(t, 1735689600);
    CHECK_INT_EQ(parse("Fri, 31 Dec 9999 23:59:59 GMT", &t), 0);
    CHECK_INT_EQ(t, 253402300799LL);
}

static void test_round_trip(void)
{
    char out[EDGE_HTTP_DATE_LEN + 1];
    for (int64_t t = 0; t < 4102444800LL; t += 86399 * 37 + 13) {
        int64_t back = -1;
        CHECK_INT_EQ(edge_http_date_format(t, out), 0);
        CHECK_INT_EQ(parse(out, &back), 0);
        CHECK_INT_EQ(back, t);
    }
}

static void test_parse_rejects(void)
{
    static const char *const bad[] = {
        "",
        "yesterday",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 29 Feb 1900 00:00:00 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 19a4 08:49:37 GMT",
        "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Funday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        " Sun, 06 Nov 1994 08:49:37 GMT",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t t;
        int r = parse(bad[i], &t);
        if (r != -1)
            fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
        CHECK_INT_EQ(r, -1);
    }
}

int main(void)
{
    UNIT_RUN(test_format);
    UNIT_RUN(test_parse_formats);
    UNIT_RUN(test_round_trip);
    UNIT_RUN(test_parse_rejects);
    return UNIT_DONE();
}
