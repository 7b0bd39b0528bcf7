/* http_date.h - HTTP dates (RFC 9110 section 5.6.7) for Last-Modified and
 * If-Modified-Since.
 *
 * Written by hand instead of strftime/strptime because those depend on the
 * process locale (day and month names) and strptime is not in C11; HTTP
 * dates are always English and always GMT. Nothing here touches global
 * state, so it is safe from any thread. */
#ifndef EDGE_STATIC_HTTP_DATE_H
#define EDGE_STATIC_HTTP_DATE_H

#include <stddef.h>
#include <stdint.h>

#define EDGE_HTTP_DATE_LEN 29 /* "Sun, 06 Nov 1994 08:49:37 GMT" without NUL */

/* Write t (seconds since the Unix epoch) as an IMF-fixdate into out, which
 * must hold EDGE_HTTP_DATE_LEN + 1 bytes. Returns 0, or -1 when t cannot be
 * represented (year outside 0..9999); out is then "". */
int edge_http_date_format(int64_t t, char *out);

/* Parse s[0..len) in any of the three formats a recipient must accept
 * (IMF-fixdate, obsolete RFC 850 with a two-digit year, asctime). The day
 * name is checked for shape only, not against the date. Returns 0 and sets
 * *t, or -1 when the text is not a valid date. */
int edge_http_date_parse(const char *s, size_t len, int64_t *t);

#endif
