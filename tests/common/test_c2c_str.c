/* test_c2c_str.c - the bounded copy: whole, cut to fit, NULL as "". */
#include "c2c_str.h"
#include "unit.h"

static void test_fits_and_cuts(void)
{
    char buf[4] = "zzz";
    CHECK_INT_EQ(c2c_copy_str(buf, sizeof(buf), "abc"), 1);
    CHECK_STR_EQ(buf, "abc");
    CHECK_INT_EQ(c2c_copy_str(buf, sizeof(buf), "abcd"), 0); /* cut: one byte is the NUL */
    CHECK_STR_EQ(buf, "abc");
    CHECK_INT_EQ(c2c_copy_str(buf, 1, "x"), 0);
    CHECK_STR_EQ(buf, "");
}

static void test_null_is_empty(void)
{
    char buf[8] = "junk";
    CHECK_INT_EQ(c2c_copy_str(buf, sizeof(buf), NULL), 1);
    CHECK_STR_EQ(buf, "");
}

int main(void)
{
    UNIT_RUN(test_fits_and_cuts);
    UNIT_RUN(test_null_is_empty);
    return UNIT_DONE();
}
