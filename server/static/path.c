/* path.c - the URL-path sanitizer (rules and results are in path.h).
 *
 * One pass over the raw bytes: each segment is decoded straight into out,
 * then judged as a whole (".", "..", dotfile, UTF-8). Any hostile byte
 * returns at once, so there is no partially trusted state to reason about. */
#include "static/path.h"

#include <string.h>

#include "common/hex.h"

/* Check that s[0..n) is UTF-8 in shortest form, without surrogates and at
 * most U+10FFFF. Lead bytes C0, C1 and F5-FF can never start a valid
 * sequence, which alone rules out the classic overlong "%C0%AE". */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t need;
        unsigned long cp, min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1, cp = c & 0x1F, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2, cp = c & 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i - 1 < need)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            unsigned b = s[i + k];
            if ((b & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* Read one byte of the segment at raw[*i], decoding a percent escape.
 * Returns the byte, or -1 when it is malformed or not allowed in a name. */
static int next_byte(const char *raw, size_t len, size_t *i)
{
    unsigned char c = (unsigned char)raw[*i];
    if (c == '%') {
        if (len - *i < 3)
            return -1;
        int hi = edge_hex_digit((unsigned char)raw[*i + 1]);
        int lo = edge_hex_digit((unsigned char)raw[*i + 2]);
        if (hi < 0 || lo < 0)
            return -1;
        c = (unsigned char)(hi * 16 + lo);
        *i += 3;
        /* An escaped separator or '%' is never a legitimate asset name. */
        if (c == '/' || c == '\\' || c == '%')
            return -1;
    } else {
        *i += 1;
        if (c == '\\')
            return -1;
    }
    if (c < 0x20 || c == 0x7F)
        return -1;
    return c;
}

int edge_path_sanitize(const char *raw, size_t len, char *out, size_t cap)
{
    if (len == 0 || raw[0] != '/' || cap == 0)
        return EDGE_PATH_EBAD;
    size_t o = 0;   /* bytes of out in use */
    size_t i = 1;   /* next raw byte; raw[0] is the leading '/' */
    int hidden = 0; /* a dotfile segment was seen */
    int dir_form = 0;
    for (;;) {
        size_t before = o; /* rollback point if this segment is dropped */
        if (o > 0) {
            if (o + 1 >= cap)
                return EDGE_PATH_ETOOLONG;
            out[o++] = '/';
        }
        size_t seg = o;
        while (i < len && raw[i] != '/') {
            int c = next_byte(raw, len, &i);
            if (c < 0)
                return EDGE_PATH_EBAD;
            if (o + 1 >= cap)
                return EDGE_PATH_ETOOLONG;
            out[o++] = (char)c;
        }
        size_t n = o - seg;
        if (n == 0 || (n == 1 && out[seg] == '.')) {
            o = before;
            dir_form = 1;
        } else if (n == 2 && out[seg] == '.' && out[seg + 1] == '.') {
            return EDGE_PATH_EBAD;
        } else {
            if (!utf8_valid((const unsigned char *)out + seg, n))
                return EDGE_PATH_EBAD;
            if (out[seg] == '.')
                hidden = 1;
            dir_form = 0;
        }
        if (i >= len)
            break;
        i++; /* skip the raw '/' */
    }
    if (dir_form && o > 0) {
        if (o + 1 >= cap)
            return EDGE_PATH_ETOOLONG;
        out[o++] = '/';
    }
    out[o] = '\0';
    if (hidden)
        return EDGE_PATH_EHIDDEN;
    return (int)o;
}
