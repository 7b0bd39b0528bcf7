/* test_static_negotiate.c - Accept-Encoding choice and If-None-Match
 * matching, as tables. */
#include <string.h>

#include "static/negotiate.h"
#include "unit.h"

#define ALL (EDGE_ENC_BIT(EDGE_ENC_GZIP) | EDGE_ENC_BIT(EDGE_ENC_BR))
#define GZ_ONLY EDGE_ENC_BIT(EDGE_ENC_GZIP)
#define BR_ONLY EDGE_ENC_BIT(EDGE_ENC_BR)

typedef struct ae_case {
    const char *value;
    unsigned available;
    edge_encoding want;
} ae_case;

static const ae_case ae_cases[] = {
    {"gzip, deflate, br", ALL, EDGE_ENC_BR},
    {"br, gzip", ALL, EDGE_ENC_BR},
    {"gzip, br", ALL, EDGE_ENC_BR}, /* tie: br preferred whatever the order */
    {"gzip", ALL, EDGE_ENC_GZIP},
    {"x-gzip", ALL, EDGE_ENC_GZIP},
    {"GZIP", ALL, EDGE_ENC_GZIP},
    {"Br", ALL, EDGE_ENC_BR},
    {"br", GZ_ONLY, EDGE_ENC_IDENTITY},
    {"gzip, br", GZ_ONLY, EDGE_ENC_GZIP},
    {"gzip, br", BR_ONLY, EDGE_ENC_BR},
    {"gzip, br", 0, EDGE_ENC_IDENTITY},
    {"br;q=0, gzip", ALL, EDGE_ENC_GZIP},
    {"br;q=0.0, gzip;q=0", ALL, EDGE_ENC_IDENTITY},
    {"br;q=0.5, gzip", ALL, EDGE_ENC_GZIP},
    {"br;q=0.5, gzip;q=0.4", ALL, EDGE_ENC_BR},
    {"br ; q=0.8 , gzip ; Q=0.9", ALL, EDGE_ENC_GZIP},
    {"br;q=1.000, gzip;q=1", ALL, EDGE_ENC_BR},
    {"identity", ALL, EDGE_ENC_IDENTITY},
    {"identity;q=1, br;q=0.5", ALL, EDGE_ENC_IDENTITY},
    {"br;q=0.5, identity;q=0.5", ALL, EDGE_ENC_BR},
    {"*", ALL, EDGE_ENC_BR},
    {"*;q=0.5, br;q=0", ALL, EDGE_ENC_GZIP},
    {"*;q=0", ALL, EDGE_ENC_IDENTITY}, /* nothing acceptable: identity anyway */
    {"deflate", ALL, EDGE_ENC_IDENTITY},
    {"", ALL, EDGE_ENC_IDENTITY},
    {" , ,", ALL, EDGE_ENC_IDENTITY},
    {"br;q=2", ALL, EDGE_ENC_IDENTITY}, /* malformed q: element ignored */
    {"br;q=abc, gzip", ALL, EDGE_ENC_GZIP},
    {"br;q=0.0001, gzip", ALL, EDGE_ENC_GZIP},
    {"br;q=1.5", ALL, EDGE_ENC_IDENTITY},
    {"br;q=", ALL, EDGE_ENC_IDENTITY},
    {"br;level=5", ALL, EDGE_ENC_BR},       /* other parameters are ignored */
    {"br;q=0, br", ALL, EDGE_ENC_IDENTITY}, /* first mention wins */
    {"brotli, gzipx", ALL, EDGE_ENC_IDENTITY},
    {"br\t;\tq=0.1", ALL, EDGE_ENC_BR},
    {"br;q=0.001", ALL, EDGE_ENC_BR}, /* any q > 0 beats unnamed identity */
    {"identity;q=0.5, br;q=0.4", ALL, EDGE_ENC_IDENTITY},
    {"*;q=0.5, identity;q=0.9", ALL, EDGE_ENC_IDENTITY},
};

static void test_accept_encoding(void)
{
    for (size_t i = 0; i < sizeof(ae_cases) / sizeof(ae_cases[0]); i++) {
        const ae_case *c = &ae_cases[i];
        edge_encoding got = edge_accept_encoding_pick(c->value, strlen(c->value), c->available);
        if (got != c->want)
            fprintf(stderr, "  \"%s\" avail %u: got %d want %d\n", c->value, c->available, (int)got,
                    (int)c->want);
        CHECK(got == c->want);
    }
    CHECK(edge_accept_encoding_pick(NULL, 0, ALL) == EDGE_ENC_IDENTITY);
    /* Only len bytes count: "br" cut down to "b" is no coding at all. */
    CHECK(edge_accept_encoding_pick("br", 1, ALL) == EDGE_ENC_IDENTITY);
}

typedef struct inm_case {
    const char *value;
    int want;
} inm_case;

static const inm_case inm_cases[] = {
    {"\"abc\"", 1},
    {"W/\"abc\"", 1},
    {"\"x\", \"abc\"", 1},
    {"\"x\",\"abc\"", 1},
    {"  \"x\" ,  W/\"abc\"  ", 1},
    {"*", 1},
    {"\"abcd\"", 0},
    {"\"ab\"", 0},
    {"abc", 0},
    {"\"abc", 0},
    {"", 0},
    {"\"x\", junk, \"abc\"", 0}, /* parsing stops at the junk */
    {"\"abc-br\"", 0},
    {"w/\"abc\"", 0},
};

static void test_if_none_match(void)
{
    for (size_t i = 0; i < sizeof(inm_cases) / sizeof(inm_cases[0]); i++) {
        const inm_case *c = &inm_cases[i];
        int got = edge_etag_list_match(c->value, strlen(c->value), "\"abc\"");
        if (got != c->want)
            fprintf(stderr, "  \"%s\": got %d\n", c->value, got);
        CHECK_INT_EQ(got, c->want);
    }
    CHECK_INT_EQ(edge_etag_list_match("\"abc-br\"", 8, "\"abc-br\""), 1);
    CHECK_INT_EQ(edge_etag_list_match("\"abc\"", 4, "\"abc\""), 0); /* len respected */
}

int main(void)
{
    UNIT_RUN(test_accept_encoding);
    UNIT_RUN(test_if_none_match);
    return UNIT_DONE();
}
