/* errbuf.h - the one way modules report a setup error as text.
 *
 * Functions that can fail for a reason a person must read (a bad flag, an
 * unreadable key file) take a caller-supplied (err, errlen) buffer, like
 * Redis' anet* functions, and fill it with one line without a newline. */
#ifndef EDGE_ERRBUF_H
#define EDGE_ERRBUF_H

#include <stddef.h>

/* Format one line into err (when err is non-NULL and errlen > 0; longer
 * text is cut). Always returns -1, so callers can `return edge_errf(...)`. */
int edge_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
