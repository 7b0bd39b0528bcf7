/* test_c2c_utf8.c - strict UTF-8 validation: well-formed text of every
 * length, and the forms the server refuses (truncated, overlong, surrogate,
 * above U+10FFFF, stray continuation, NUL). */
#include <string.h>

#include "unit.h"
#include "c2c_utf8.h"

static int valid(const char *s)
{
    return c2c_utf8_valid(s, strlen(s));
}

static void test_accepts_well_formed(void)
{
    CHECK(c2c_utf8_valid(NULL, 0));
    CHECK(valid("hello"));
    CHECK(valid("caf\xc3\xa9"));      /* é */
    CHECK(valid("\xe2\x82\xac"));     /* € */
    CHECK(valid("\xf0\x9f\x98\x80")); /* U+1F600 */
    CHECK(valid("\xf4\x8f\xbf\xbf")); /* U+10FFFF */
    CHECK(valid("\xed\x9f\xbf"));     /* U+D7FF */
}

static void test_rejects_malformed(void)
{
    CHECK(!c2c_utf8_valid(NULL, 1));
    CHECK(!valid("\xc3"));             /* truncated */
    CHECK(!valid("\xe2\x82"));         /* truncated */
    CHECK(!valid("\x80"));             /* stray continuation */
    CHECK(!valid("\xc0\xaf"));         /* overlong '/' */
    CHECK(!valid("\xe0\x80\xaf"));     /* overlong */
    CHECK(!valid("\xf0\x80\x80\xaf")); /* overlong */
    CHECK(!valid("\xed\xa0\x80"));     /* surrogate U+D800 */
    CHECK(!valid("\xf4\x90\x80\x80")); /* U+110000 */
    CHECK(!valid("\xf5\x80\x80\x80"));
    CHECK(!valid("\xff"));
    CHECK(!valid("a\xc3(b"));         /* bad continuation */
    CHECK(c2c_utf8_valid("a\0b", 3)); /* U+0000 is UTF-8; refusing NUL is the caller's rule */
}

int main(void)
{
    UNIT_RUN(test_accepts_well_formed);
    UNIT_RUN(test_rejects_malformed);
    return UNIT_DONE();
}
