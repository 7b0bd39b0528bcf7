/* http_date.c - format and parse HTTP dates (see http_date.h).
 *
 * The calendar arithmetic is a direct count of days (years, leap days,
 * months) rather than timegm(), which is a GNU extension and would make the
 * parser depend on libc details for out-of-range input. */
#include "static/http_date.h"

#include <string.h>
#include <time.h>

static const char day_names[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
/* Days before the first of each month in a common year. */
static const int month_start[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

/* Write v as exactly width decimal digits at p; returns the end. */
static char *put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + width;
}

static char *put_text(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

int edge_http_date_format(int64_t t, char *out)
{
    out[0] = '\0';
    time_t tt = (time_t)t;
    struct tm tm;
    if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL)
        return -1;
    if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
        return -1;
    char *p = put_text(out, day_names[tm.tm_wday], 3);
    p = put_text(p, ", ", 2);
    p = put_digits(p, tm.tm_mday, 2);
    *p++ = ' ';
    p = put_text(p, month_names[tm.tm_mon], 3);
    *p++ = ' ';
    p = put_digits(p, tm.tm_year + 1900, 4);
    *p++ = ' ';
    p = put_digits(p, tm.tm_hour, 2);
    *p++ = ':';
    p = put_digits(p, tm.tm_min, 2);
    *p++ = ':';
    p = put_digits(p, tm.tm_sec, 2);
    p = put_text(p, " GMT", 4);
    *p = '\0';
    return 0;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap years in 1..y-1 (y >= 1). */
static int64_t leaps_before(int64_t y)
{
    return (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
}

/* Seconds since the epoch for a validated civil date and time in UTC. */
static int64_t to_epoch(int64_t year, int mon, int day, int h, int m, int s)
{
    int64_t days = 365 * (year - 1970) + leaps_before(year) - leaps_before(1970);
    days += month_start[mon] + (mon > 1 && is_leap(year)) + (day - 1);
    return days * 86400 + h * 3600 + m * 60 + s;
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int month_index(const char *s)
{
    for (int i = 0; i < 12; i++) {
        if (memcmp(s, month_names[i], 3) == 0)
            return i;
    }
    return -1;
}

static int day_index(const char *s)
{
    for (int i = 0; i < 7; i++) {
        if (memcmp(s, day_names[i], 3) == 0)
            return i;
    }
    return -1;
}

/* "HH:MM:SS" at s (8 bytes). */
static int parse_clock(const char *s, int *h, int *m, int *sec)
{
    if (s[2] != ':' || s[5] != ':')
        return -1;
    if (digits(s, 2, h) || digits(s + 3, 2, m) || digits(s + 6, 2, sec))
        return -1;
    return (*h > 23 || *m > 59 || *sec > 60) ? -1 : 0;
}

/* Validate the pieces and convert; sec 60 (a leap second) counts as 59. */
static int finish(int year, int mon, int day, int h, int m, int s, int64_t *t)
{
    if (mon < 0 || day < 1)
        return -1;
    int mdays = (mon == 11) ? 31 : month_start[mon + 1] - month_start[mon];
    if (mon == 1 && is_leap(year))
        mdays = 29;
    if (day > mdays)
        return -1;
    *t = to_epoch(year, mon, day, h, m, s == 60 ? 59 : s);
    return 0;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
static int parse_imf(const char *s, int64_t *t)
{
    int day, year, h, m, sec;
    if (day_index(s) < 0 || memcmp(s + 3, ", ", 2) != 0 || s[7] != ' ' || s[11] != ' ' ||
        s[16] != ' ' || memcmp(s + 25, " GMT", 4) != 0)
        return -1;
    if (digits(s + 5, 2, &day) || digits(s + 12, 4, &year) || parse_clock(s + 17, &h, &m, &sec))
        return -1;
    return finish(year, month_index(s + 8), day, h, m, sec, t);
}

/* "Sunday, 06-Nov-94 08:49:37 GMT": the tail after the comma is fixed. */
static int parse_rfc850(const char *s, size_t len, int64_t *t)
{
    static const char *const long_days[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                             "Thursday", "Friday", "Saturday"};
    const char *comma = memchr(s, ',', len);
    if (comma == NULL)
        return -1;
    size_t name_len = (size_t)(comma - s);
    int known = 0;
    for (int i = 0; i < 7; i++)
        known |= strlen(long_days[i]) == name_len && memcmp(s, long_days[i], name_len) == 0;
    const char *p = comma + 1;
    if (!known || len - name_len != 24 || p[0] != ' ' || p[3] != '-' || p[7] != '-' ||
        p[10] != ' ' || memcmp(p + 19, " GMT", 4) != 0)
        return -1;
    int day, yy, h, m, sec;
    if (digits(p + 1, 2, &day) || digits(p + 8, 2, &yy) || parse_clock(p + 11, &h, &m, &sec))
        return -1;
    /* Two-digit years: 70-99 are 19xx, the rest 20xx (files are post-1970). */
    return finish(yy >= 70 ? 1900 + yy : 2000 + yy, month_index(p + 4), day, h, m, sec, t);
}

/* "Sun Nov  6 08:49:37 1994" */
static int parse_asctime(const char *s, int64_t *t)
{
    int day, year, h, m, sec;
    if (day_index(s) < 0 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ')
        return -1;
    char dd[2] = {s[8] == ' ' ? '0' : s[8], s[9]};
    if (digits(dd, 2, &day) || parse_clock(s + 11, &h, &m, &sec) || digits(s + 20, 4, &year))
        return -1;
    return finish(year, month_index(s + 4), day, h, m, sec, t);
}

int edge_http_date_parse(const char *s, size_t len, int64_t *t)
{
    if (len == EDGE_HTTP_DATE_LEN && s[3] == ',')
        return parse_imf(s, t);
    if (len == 24)
        return parse_asctime(s, t);
    if (len > 23 && len < 40)
        return parse_rfc850(s, len, t);
    return -1;
}
