/* hex.h - hexadecimal digits, shared by every percent-decoder. */
#ifndef EDGE_HEX_H
#define EDGE_HEX_H

/* The value of one hex digit (either case), or -1 when c is not one. */
static inline int edge_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
