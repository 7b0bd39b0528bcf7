/* c2c_str.c - see c2c_str.h. */
#include "c2c_str.h"

#include <string.h>

int c2c_copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    int whole = n < cap;
    if (!whole)
        n = cap - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
    return whole;
}
