/* test_static_path.c - edge_path_sanitize against hostile and good paths.
 *
 * Table-driven so that adding a newly found trick is one line. Each hostile
 * row names the expected refusal; a row that slips through prints itself. */
#include <string.h>

#include "static/path.h"
#include "unit.h"

typedef struct path_case {
    const char *raw;
    int want;        /* EDGE_PATH_E* or >= 0 for success */
    const char *out; /* expected result when want >= 0 */
} path_case;

/* One row per idea reads better than one row per line. */
/* clang-format off */
#define OK_(raw, out) {raw, 0, out}
#define BAD(raw) {raw, EDGE_PATH_EBAD, NULL}
#define HID(raw) {raw, EDGE_PATH_EHIDDEN, NULL}

static const path_case cases[] = {
    /* dot-dot in every spelling */
    BAD("/.."), BAD("/../"), BAD("/../etc/passwd"), BAD("/a/../b"), BAD("/a/.."),
    BAD("/a/b/../../.."), BAD("/%2e%2e/etc/passwd"), BAD("/%2E%2E/x"), BAD("/%2E%2e/"),
    BAD("/.%2e/x"), BAD("/%2e./x"), BAD("/.%2E"), BAD("/a/%2e%2e"), BAD("/..%2fetc/passwd"),
    BAD("/..%2Fetc"), BAD("/..;/x/../y"),
    /* encoded separators and backslashes */
    BAD("/a%2fb"), BAD("/a%2Fb"), BAD("/%2f"), BAD("/%2Fetc%2Fpasswd"), BAD("/a\\b"),
    BAD("/..\\..\\windows"), BAD("/\\"), BAD("/a%5cb"), BAD("/a%5Cb"), BAD("/..%5c..%5cx"),
    /* NUL and control bytes, raw or encoded */
    BAD("/a%00b"), BAD("/index.html%00.png"), BAD("/%00"), BAD("/a%0a"), BAD("/a%0D%0Ab"),
    BAD("/a%09"), BAD("/a%1f"), BAD("/a%7f"), BAD("/a%7F"), BAD("/a\tb"), BAD("/a\x01"),
    BAD("/a\x7f"), BAD("/a b\r"),
    /* invalid percent escapes */
    BAD("/%"), BAD("/a%"), BAD("/%2"), BAD("/a%2"), BAD("/%zz"), BAD("/%g0"), BAD("/%0g"),
    BAD("/%%30%30"), BAD("/% 2e"),
    /* double encoding: the decoded '%' is refused, so nothing decodes twice */
    BAD("/%252e%252e/etc/passwd"), BAD("/%252f"), BAD("/%25"), BAD("/a%25b.html"),
    BAD("/%25%32%65"),
    /* invalid, overlong and out-of-range UTF-8 */
    BAD("/%c0%ae%c0%ae/etc/passwd"), BAD("/%c0%ae"), BAD("/%c0%af"), BAD("/%C0%AF"),
    BAD("/%c1%9c"), BAD("/%e0%80%ae"), BAD("/%e0%80%af"), BAD("/%f0%80%80%ae"),
    BAD("/%f8%80%80%80%ae"), BAD("/%fc%80%80%80%80%af"), BAD("/%ed%a0%80"),
    BAD("/%ed%bf%bf"), BAD("/%f4%90%80%80"), BAD("/%f5%80%80%80"), BAD("/%ff"), BAD("/%fe"),
    BAD("/%c3"), BAD("/%c3%28"), BAD("/%e2%82"), BAD("/%80"), BAD("/a%bfb"),
    BAD("/\xc0\xae\xc0\xae/x"), BAD("/\xe0\x80\xae"), BAD("/caf\xe9.html"),
    /* not an origin-form path at all */
    BAD(""), BAD("a/b"), BAD("index.html"), BAD("*"), BAD("http://x/a"),
    /* dotfiles and dot-directories are hidden, not bad */
    HID("/.git/config"), HID("/.git"), HID("/.env"), HID("/a/.hidden"), HID("/.%2e%2e"),
    HID("/%2egit/HEAD"), HID("/%2Eenv"), HID("/..."), HID("/a/.b/c"), HID("/.well-known/x"),
    HID("//.ssh/id_rsa"), HID("/./.env"),
    /* bad wins over hidden */
    BAD("/.git/../x"), BAD("/.env%00"),
    /* good paths */
    OK_("/", ""), OK_("//", ""), OK_("///", ""), OK_("/.", ""), OK_("/./", ""),
    OK_("/index.html", "index.html"), OK_("//etc/passwd", "etc/passwd"), OK_("/./a", "a"),
    OK_("/a/./b", "a/b"), OK_("/a//b", "a/b"), OK_("/a/", "a/"), OK_("/a/.", "a/"),
    OK_("/a/b/", "a/b/"), OK_("/a//", "a/"), OK_("/sub/index.html", "sub/index.html"),
    OK_("/caf%c3%a9.html", "caf\xc3\xa9.html"), OK_("/caf%C3%A9.html", "caf\xc3\xa9.html"),
    OK_("/caf\xc3\xa9.html", "caf\xc3\xa9.html"), OK_("/%61pp.js", "app.js"),
    OK_("/c2c.3f9a1b2c.wasm", "c2c.3f9a1b2c.wasm"), OK_("/a..b", "a..b"), OK_("/a.", "a."),
    OK_("/a..", "a.."), OK_("/%7e", "~"), OK_("/a%20b", "a b"), OK_("/a+b", "a+b"),
    OK_("/e%f0%9f%98%80.png", "e\xf0\x9f\x98\x80.png"), OK_("/%ef%bf%bd", "\xef\xbf\xbd"),
    OK_("/%f4%8f%bf%bf", "\xf4\x8f\xbf\xbf"), OK_("/x/%2e/y", "x/y"), OK_("/a;b=c", "a;b=c"),
};
/* clang-format on */

static void test_table(void)
{
    char out[256];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const path_case *c = &cases[i];
        int r = edge_path_sanitize(c->raw, strlen(c->raw), out, sizeof(out));
        int ok = c->want >= 0 ? (r >= 0 && (size_t)r == strlen(c->out) && strcmp(out, c->out) == 0)
                              : r == c->want;
        if (!ok)
            fprintf(stderr, "  case %zu \"%s\": got %d \"%s\"\n", i, c->raw, r, r >= 0 ? out : "");
        CHECK(ok);
    }
}

static void test_never_leading_slash_or_dotdot(void)
{
    /* Whatever mix of separators and dots, a success never yields an
     * absolute path or a ".." segment. */
    static const char *const pieces[] = {"/", "//", ".", "..", "%2e", "a", "%2f", "\\", "%00"};
    char raw[64], out[128];
    size_t np = sizeof(pieces) / sizeof(pieces[0]);
    for (size_t a = 0; a < np; a++)
        for (size_t b = 0; b < np; b++)
            for (size_t c = 0; c < np; c++) {
                snprintf(raw, sizeof(raw), "/%s%s%s", pieces[a], pieces[b], pieces[c]);
                int r = edge_path_sanitize(raw, strlen(raw), out, sizeof(out));
                if (r < 0)
                    continue;
                CHECK(out[0] != '/');
                CHECK(strcmp(out, "..") != 0 && strncmp(out, "../", 3) != 0);
                CHECK(strstr(out, "/../") == NULL);
                CHECK(strlen(out) < 3 || strcmp(out + strlen(out) - 3, "/..") != 0);
                CHECK(strchr(out, '\\') == NULL);
            }
}

static void test_length_is_not_nul_terminated_input(void)
{
    /* The request path is not NUL-terminated: only len bytes count. */
    char out[64];
    const char raw[] = "/index.html?x=1";
    CHECK_INT_EQ(edge_path_sanitize(raw, 11, out, sizeof(out)), 10);
    CHECK_STR_EQ(out, "index.html");
    CHECK_INT_EQ(edge_path_sanitize("/a%2", 3, out, sizeof(out)), EDGE_PATH_EBAD);
}

static void test_too_long(void)
{
    char out[8]; /* seven bytes of path plus the NUL */
    CHECK_INT_EQ(edge_path_sanitize("/abcdefg", 8, out, sizeof(out)), 7);
    CHECK_INT_EQ(edge_path_sanitize("/abcdefgh", 9, out, sizeof(out)), EDGE_PATH_ETOOLONG);
    CHECK_INT_EQ(edge_path_sanitize("/abc/defg", 9, out, sizeof(out)), EDGE_PATH_ETOOLONG);
    CHECK_INT_EQ(edge_path_sanitize("/abcdefg/", 9, out, sizeof(out)), EDGE_PATH_ETOOLONG);
    CHECK_INT_EQ(edge_path_sanitize("/abc/def", 8, out, sizeof(out)), 7);
    CHECK_INT_EQ(edge_path_sanitize("/abcdef", 7, out, 1), EDGE_PATH_ETOOLONG);
    CHECK_INT_EQ(edge_path_sanitize("/", 1, out, 1), 0);
}

int main(void)
{
    UNIT_RUN(test_table);
    UNIT_RUN(test_never_leading_slash_or_dotdot);
    UNIT_RUN(test_length_is_not_nul_terminated_input);
    UNIT_RUN(test_too_long);
    return UNIT_DONE();
}
