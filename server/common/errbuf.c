/* errbuf.c - see errbuf.h. */
#include "common/errbuf.h"

#include <stdarg.h>
#include <stdio.h>

int edge_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}
