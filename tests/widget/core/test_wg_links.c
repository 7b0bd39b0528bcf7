/* test_wg_links.c - link detection in chat messages, with hostile input:
 * only http and https ever link, in any case, at a word start, with a host;
 * other schemes (javascript:, data:, vbscript:, file:) never; quotes, angle
 * brackets, spaces, controls, NUL, invalid UTF-8 and bidi or invisible
 * characters end a link; trailing punctuation and unpartnered brackets are
 * left out; over-long URLs are text; the count is capped; UTF-16 offsets
 * match what JS sees; and every input at every length stays in bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "wg_links.h"

static struct wg_link found[WG_LINKS_MAX];

/* The links of s as "a|b|c" (static buffer). */
static const char *links(const char *s)
{
    static char buf[8192];
    size_t n = wg_links_find(s, strlen(s), found, WG_LINKS_MAX);
    size_t pos = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && pos < sizeof(buf); i++)
        pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%s%.*s", i ? "|" : "",
                                (int)(found[i].end - found[i].start), s + found[i].start);
    return buf;
}

static void test_plain_links(void)
{
    CHECK_STR_EQ(links("see https://example.com/a?b=c#d now"), "https://example.com/a?b=c#d");
    CHECK_STR_EQ(links("http://x.y"), "http://x.y");
    CHECK_STR_EQ(links("HTTPS://Example.COM/Path"), "HTTPS://Example.COM/Path");
    CHECK_STR_EQ(links("two: http://a.b and https://c.d/e"), "http://a.b|https://c.d/e");
    CHECK_STR_EQ(links("http://127.0.0.1:8080/x"), "http://127.0.0.1:8080/x");
    CHECK_STR_EQ(links("https://ex.com/caf\xc3\xa9"), "https://ex.com/caf\xc3\xa9");
    CHECK_STR_EQ(links("no links here"), "");
    CHECK_STR_EQ(links(""), "");
    CHECK_INT_EQ(wg_links_find(NULL, 0, found, WG_LINKS_MAX), 0);
}

static void test_other_schemes_never_link(void)
{
    CHECK_STR_EQ(links("javascript:alert(1)"), "");
    CHECK_STR_EQ(links("JaVaScRiPt:alert(document.cookie)"), "");
    CHECK_STR_EQ(links(" javascript://%0aalert(1)"), "");
    CHECK_STR_EQ(links("data:text/html,<script>alert(1)</script>"), "");
    CHECK_STR_EQ(links("vbscript:msgbox(1) file:///etc/passwd ftp://x.y mailto:a@b.c"), "");
    CHECK_STR_EQ(links("xhttp://evil.com hhttps://evil.com"), ""); /* not at a word start */
    CHECK_STR_EQ(links("http:/evil.com http:evil.com http//evil.com https:\\\\evil"), "");
    CHECK_STR_EQ(links("http:// https:///x http://./ http://?q http://#f http://@evil"), "");
    /* A real link inside a hostile one is only the http part. */
    CHECK_STR_EQ(links("javascript:http://x.y"), "http://x.y");
}

static void test_what_ends_a_link(void)
{
    CHECK_STR_EQ(links("https://x.y/\"onmouseover=\"alert(1)"), "https://x.y/");
    CHECK_STR_EQ(links("<a href=https://x.y/p>t</a>"), "https://x.y/p");
    CHECK_STR_EQ(links("https://x.y/a`b https://x.y/c\\d https://x.y/{e} https://x.y/f|g"),
                 "https://x.y/a|https://x.y/c|https://x.y/|https://x.y/f");
    CHECK_STR_EQ(links("https://x.y/a\tb https://x.y/c\nd https://x.y/e\x7f"),
                 "https://x.y/a|https://x.y/c|https://x.y/e");
    /* U+202E (right-to-left override), U+200B (zero width space), U+00A0,
     * U+3000, U+FEFF end it; so does a byte that is not UTF-8. */
    CHECK_STR_EQ(links("https://x.y/a\xe2\x80\xaegnp.exe"), "https://x.y/a");
    CHECK_STR_EQ(links("https://x.y/a\xe2\x80\x8b" "b"), "https://x.y/a");
    CHECK_STR_EQ(links("https://x.y/a\xc2\xa0" "b https://x.y/c\xe3\x80\x80" "d"),
                 "https://x.y/a|https://x.y/c");
    CHECK_STR_EQ(links("https://x.y/a\xef\xbb\xbf" "b https://x.y/c\xff" "d https://x.y/e\xc0\xaf"),
                 "https://x.y/a|https://x.y/c|https://x.y/e");
    /* A NUL byte inside the text (the length says where it ends). */
    const char nul[] = "https://x.y/a\0https://evil.z";
    size_t n = wg_links_find(nul, sizeof(nul) - 1, found, WG_LINKS_MAX);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(found[0].end, 13);
}

static void test_trailing_punctuation(void)
{
    CHECK_STR_EQ(links("Go to https://x.y/a."), "https://x.y/a");
    CHECK_STR_EQ(links("https://x.y/a, https://x.y/b; https://x.y/c!?"),
                 "https://x.y/a|https://x.y/b|https://x.y/c");
    CHECK_STR_EQ(links("(see https://x.y/a)"), "https://x.y/a");
    CHECK_STR_EQ(links("(see https://en.wikipedia.org/wiki/C_(language))."),
                 "https://en.wikipedia.org/wiki/C_(language)");
    CHECK_STR_EQ(links("[https://x.y/a]"), "https://x.y/a");
    CHECK_STR_EQ(links("'https://x.y/a'"), "https://x.y/a");
    CHECK_STR_EQ(links("https://x.y/a))))))"), "https://x.y/a");
    CHECK_STR_EQ(links("https://...."), "");
}

static void test_limits(void)
{
    static char big[WG_LINK_MAX_BYTES + 64];
    memcpy(big, "https://x.y/", 12);
    memset(big + 12, 'a', sizeof(big) - 13);
    big[sizeof(big) - 1] = '\0';
    CHECK_STR_EQ(links(big), ""); /* over-long: text */
    big[WG_LINK_MAX_BYTES] = ' ';
    CHECK_INT_EQ(strlen(links(big)), WG_LINK_MAX_BYTES); /* exactly the cap: a link */

    char many[1024] = "";
    for (int i = 0; i < 20; i++)
        strcat(many, "http://a.b ");
    CHECK_INT_EQ(wg_links_find(many, strlen(many), found, WG_LINKS_MAX), WG_LINKS_MAX);
    CHECK_INT_EQ(wg_links_find(many, strlen(many), found, 2), 2);

    /* A long run of schemes is scanned once, not once per position: an
     * over-long candidate is skipped whole, whatever follows it. */
    static char schemes[8192 + 1];
    for (size_t i = 0; i + 7 <= sizeof(schemes) - 1; i += 7)
        memcpy(schemes + i, "http://", 7);
    schemes[sizeof(schemes) - 1] = '\0';
    size_t got = wg_links_find(schemes, strlen(schemes), found, WG_LINKS_MAX);
    CHECK(got <= 1);
    CHECK(got == 0 || found[0].start >= WG_LINK_MAX_BYTES); /* never the over-long head */
}

static void test_utf16_offsets(void)
{
    /* "é" is 2 bytes, 1 unit; "😀" 4 bytes, 2 units; an invalid byte 1. */
    const char *s = "\xc3\xa9\xf0\x9f\x98\x80\xff https://x.y/\xf0\x9f\x98\x80 z";
    size_t n = wg_links_find(s, strlen(s), found, WG_LINKS_MAX);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(found[0].start, 8);
    CHECK_INT_EQ(found[0].u16_start, 5);
    CHECK_INT_EQ(found[0].end, 24);
    CHECK_INT_EQ(found[0].u16_end, 19);
}

/* Every prefix of hostile text: the results stay inside the text and in
 * order (ASan watches the reads). */
static void test_every_length_in_bounds(void)
{
    const char *s = "(https://a.b/\xf0\x9f\x98\x80)) http://\xe2\x80\xae HTTP://c.d/e'\xff https://";
    size_t len = strlen(s);
    for (size_t l = 0; l <= len; l++) {
        char *copy = (char *)malloc(l ? l : 1);
        memcpy(copy, s, l);
        size_t n = wg_links_find(copy, l, found, WG_LINKS_MAX);
        size_t last = 0;
        for (size_t i = 0; i < n; i++) {
            CHECK(found[i].start >= last && found[i].end > found[i].start && found[i].end <= l);
            CHECK(found[i].u16_end > found[i].u16_start);
            last = found[i].end;
        }
        free(copy);
    }
}

int main(void)
{
    UNIT_RUN(test_plain_links);
    UNIT_RUN(test_other_schemes_never_link);
    UNIT_RUN(test_what_ends_a_link);
    UNIT_RUN(test_trailing_punctuation);
    UNIT_RUN(test_limits);
    UNIT_RUN(test_utf16_offsets);
    UNIT_RUN(test_every_length_in_bounds);
    return UNIT_DONE();
}
