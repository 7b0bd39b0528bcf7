/* json_valid.h - a validating JSON parser for the wasm glue's output
 * (RFC 8259 syntax, no values kept), shared by the glue's unit test
 * (test_c2c_wasm.c) and the widget fuzzer (tests/fuzz/fuzz_widget_core.c).
 *
 * Strict where the glue is: integers only (the glue writes no fractions),
 * control characters escaped, valid UTF-8, nesting at most 32 deep. Header
 * only, static functions: each user is one translation unit. */
#ifndef C2C_TESTS_JSON_VALID_H
#define C2C_TESTS_JSON_VALID_H

#include <stdbool.h>
#include <string.h>

#include "c2c_utf8.h"

struct jp {
    const char *p;
    int depth;
};

static bool jp_value(struct jp *j);

static void jp_ws(struct jp *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
        j->p++;
}

static bool jp_lit(struct jp *j, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(j->p, lit, n) != 0)
        return false;
    j->p += n;
    return true;
}

static bool jp_hex4(const char *p)
{
    for (int i = 0; i < 4; i++)
        if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
            return false;
    return true;
}

static bool jp_string(struct jp *j)
{
    if (*j->p++ != '"')
        return false;
    for (;;) {
        unsigned char c = (unsigned char)*j->p++;
        if (c == '"')
            return true;
        if (c < 0x20)
            return false; /* raw control characters (and the NUL end) are invalid */
        if (c != '\\')
            continue;
        c = (unsigned char)*j->p++;
        if (c == 'u') {
            if (!jp_hex4(j->p))
                return false;
            j->p += 4;
        } else if (!strchr("\"\\/bfnrt", c) || !c) {
            return false;
        }
    }
}

static bool jp_number(struct jp *j)
{
    if (*j->p == '-')
        j->p++;
    if (*j->p == '0')
        j->p++;
    else if (*j->p >= '1' && *j->p <= '9')
        while (*j->p >= '0' && *j->p <= '9')
            j->p++;
    else
        return false;
    return *j->p != '.' && *j->p != 'e' && *j->p != 'E'; /* the glue writes integers only */
}

/* Members or elements up to `close`, each parsed by one. */
static bool jp_list(struct jp *j, char close, bool members)
{
    jp_ws(j);
    if (*j->p == close) {
        j->p++;
        return true;
    }
    for (;;) {
        jp_ws(j);
        if (members) {
            if (!jp_string(j))
                return false;
            jp_ws(j);
            if (*j->p++ != ':')
                return false;
        }
        if (!jp_value(j))
            return false;
        jp_ws(j);
        char c = *j->p++;
        if (c == close)
            return true;
        if (c != ',')
            return false;
    }
}

static bool jp_value(struct jp *j)
{
    jp_ws(j);
    if (++j->depth > 32)
        return false;
    bool ok;
    switch (*j->p) {
    case '{':
        j->p++;
        ok = jp_list(j, '}', true);
        break;
    case '[':
        j->p++;
        ok = jp_list(j, ']', false);
        break;
    case '"':
        ok = jp_string(j);
        break;
    case 't':
        ok = jp_lit(j, "true");
        break;
    case 'f':
        ok = jp_lit(j, "false");
        break;
    case 'n':
        ok = jp_lit(j, "null");
        break;
    default:
        ok = jp_number(j);
        break;
    }
    j->depth--;
    return ok;
}

/* One whole JSON document in valid UTF-8. */
static bool json_valid(const char *s)
{
    if (!s || !c2c_utf8_valid(s, strlen(s)))
        return false;
    struct jp j = {s, 0};
    if (!jp_value(&j))
        return false;
    jp_ws(&j);
    return *j.p == '\0';
}

#endif
