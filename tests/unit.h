/* unit.h - the smallest test harness that does the job for C unit tests.
 *
 * A test file defines static void test_xxx(void) functions and a main that
 * calls UNIT_RUN(test_xxx) for each, then returns UNIT_DONE(). A failed
 * CHECK prints file:line and the expression and marks the test failed but
 * goes on, so one run shows every broken assertion. The exit code is the
 * number of failed tests (0 = all passed), which is what ctest reads. */
#ifndef C2C_TESTS_UNIT_H
#define C2C_TESTS_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit__failed_tests;
static int unit__passed_tests;
static int unit__current_failed;

#define CHECK(expr)                                                                    \
    do {                                                                               \
        if (!(expr)) {                                                                 \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr); \
            unit__current_failed = 1;                                                  \
        }                                                                              \
    } while (0)

#define CHECK_INT_EQ(a, b)                                                                     \
    do {                                                                                       \
        long long unit__a = (long long)(a), unit__b = (long long)(b);                          \
        if (unit__a != unit__b) {                                                              \
            fprintf(stderr, "  %s:%d: CHECK failed: %s == %s (%lld != %lld)\n", __FILE__,      \
                    __LINE__, #a, #b, unit__a, unit__b);                                       \
            unit__current_failed = 1;                                                          \
        }                                                                                      \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                                     \
    do {                                                                                       \
        const char *unit__a = (a), *unit__b = (b);                                             \
        if (unit__a == NULL || unit__b == NULL || strcmp(unit__a, unit__b) != 0) {             \
            fprintf(stderr, "  %s:%d: CHECK failed: %s == %s (\"%s\" != \"%s\")\n", __FILE__,  \
                    __LINE__, #a, #b, unit__a ? unit__a : "(null)", unit__b ? unit__b : "(null)"); \
            unit__current_failed = 1;                                                          \
        }                                                                                      \
    } while (0)

#define UNIT_RUN(fn)                                                  \
    do {                                                              \
        unit__current_failed = 0;                                     \
        fn();                                                         \
        if (unit__current_failed) {                                   \
            unit__failed_tests++;                                     \
            fprintf(stderr, "FAIL %s\n", #fn);                        \
        } else {                                                      \
            unit__passed_tests++;                                     \
            fprintf(stderr, "ok   %s\n", #fn);                        \
        }                                                             \
    } while (0)

#define UNIT_DONE()                                                                        \
    (fprintf(stderr, "%d passed, %d failed\n", unit__passed_tests, unit__failed_tests),    \
     unit__failed_tests)

#endif
