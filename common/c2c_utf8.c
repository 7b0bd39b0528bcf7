/* c2c_utf8.c - see c2c_utf8.h. A byte-at-a-time decoder with explicit ranges
 * for the second byte, which is where overlong forms, surrogates and values
 * above U+10FFFF show up. */
#include "c2c_utf8.h"

size_t c2c_utf8_char_len(const void *s, size_t len)
{
    const unsigned char *p = s;
    if (len == 0 || s == NULL)
        return 0;
    unsigned char c = p[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, or F5..FF */
    }
    if (len - 1 < need)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k <= need; k++)
        if (p[k] < 0x80 || p[k] > 0xBF)
            return 0;
    return need + 1;
}

int c2c_utf8_valid(const void *s, size_t len)
{
    const unsigned char *p = s;
    size_t i = 0;
    if (len > 0 && s == NULL)
        return 0;
    while (i < len) {
        size_t n = c2c_utf8_char_len(p + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

size_t c2c_utf8_count(const void *s, size_t len)
{
    const unsigned char *p = s;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += (p[i] & 0xC0) != 0x80;
    return n;
}
