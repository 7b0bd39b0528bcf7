/* path.c - the URL-path sanitizer (rules and results are in path.h).
 *
 * One pass over the raw bytes: each segment is decoded straight into out,
 * then judged as a whole (".", "..", dotfile, UTF-8). Any hostile byte
 * returns at once, so there is no partially trusted state to reason about. */
#include "static/path.h"

#include <string.h>

#include "common/hex.h"
#include "c2c_utf8.h"

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
            if (!c2c_utf8_valid(out + seg, n))
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
