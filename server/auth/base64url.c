/* base64url.c - strict unpadded base64url (see base64url.h for why strict).
 *
 * Decoding works in groups of four characters (three bytes); the tail of
 * two or three characters carries one or two bytes, and the bits it holds
 * beyond those bytes must be zero so that each value has one spelling. */
#include "auth/base64url.h"

#include <stdint.h>

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The 6-bit value of one character, or -1 when it is not in the alphabet. */
static int b64url_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

size_t edge_b64url_decoded_max(size_t len)
{
    return len / 4 * 3 + 2;
}

/* Read count (2..4) characters into one 24-bit group, left-aligned.
 * Returns -1 on a character outside the alphabet. */
static int b64url_group(const char *in, size_t count, uint32_t *group)
{
    uint32_t g = 0;
    for (size_t i = 0; i < 4; i++) {
        int v = 0;
        if (i < count) {
            v = b64url_value((unsigned char)in[i]);
            if (v < 0)
                return -1;
        }
        g = (g << 6) | (uint32_t)v;
    }
    *group = g;
    return 0;
}

int edge_b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap, size_t *outlen)
{
    size_t tail = len % 4;
    if (tail == 1)
        return -1; /* six bits cannot make a byte */
    size_t need = len / 4 * 3 + (tail ? tail - 1 : 0);
    if (need > cap)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        size_t count = len - i < 4 ? len - i : 4;
        uint32_t g;
        if (b64url_group(in + i, count, &g) != 0)
            return -1;
        size_t bytes = count - 1;
        /* Bits below the last whole byte must be zero: "Zh" and "Zg" would
         * otherwise both decode to "f". */
        if (bytes < 3 && (g & ((1u << (8 * (3 - bytes))) - 1)) != 0)
            return -1;
        for (size_t b = 0; b < bytes; b++)
            out[o++] = (unsigned char)(g >> (16 - 8 * b));
    }
    *outlen = o;
    return 0;
}

size_t edge_b64url_encoded_len(size_t n)
{
    return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

void edge_b64url_encode(const void *in, size_t n, char *out)
{
    const unsigned char *p = in;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        size_t count = n - i < 3 ? n - i : 3;
        uint32_t g = (uint32_t)p[i] << 16;
        if (count > 1)
            g |= (uint32_t)p[i + 1] << 8;
        if (count > 2)
            g |= p[i + 2];
        for (size_t c = 0; c < count + 1; c++)
            out[o++] = b64url_alphabet[(g >> (18 - 6 * c)) & 63];
    }
    out[o] = '\0';
}

void edge_b64url_append(edge_buf *b, const void *in, size_t n)
{
    size_t len = edge_b64url_encoded_len(n);
    edge_buf_reserve(b, len);
    edge_b64url_encode(in, n, b->data + b->len);
    b->len += len;
}
