/* wg_plain.c - the chat as plain text (see wg_plain.h).
 *
 * One writer that counts every byte and copies what fits, so both
 * functions answer "how long" and "write it" in one pass. Dates are UTC
 * (the core has no time zone; the file says so), from the days since
 * 1970 by the usual proleptic Gregorian arithmetic in 400-year eras. */
#include "wg_plain.h"

#include <string.h>

#include "wg_chat.h"
#include "wg_err.h"
#include "wg_widget.h"

struct out {
    char *buf;
    size_t cap, len;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->cap && o->len < o->cap - 1) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void puts0(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static size_t finish(struct out *o)
{
    if (o->cap)
        o->buf[o->len < o->cap ? o->len : o->cap - 1] = '\0';
    return o->len;
}

/* pattern with its one "%s" replaced by value (a loop rather than strstr,
 * whose general algorithm costs more than a kilobyte of WebAssembly). */
static void fill(struct out *o, const char *pattern, const char *value)
{
    const char *at = pattern;
    while (*at && (at[0] != '%' || at[1] != 's'))
        at++;
    put(o, pattern, (size_t)(at - pattern));
    if (!*at)
        return;
    puts0(o, value);
    puts0(o, at + 2);
}

bool wg_plain_own_line(const struct wg_tr_view *m)
{
    return m->role == WG_ROLE_SYSTEM && strncmp(m->content_type, "application/x-c2c.", 18) == 0;
}

static void line(struct out *o, const struct wg_texts *loc, const struct wg_tr_view *m)
{
    const char *who = m->display_name[0] ? m->display_name : wg_texts_get(loc, WG_T_AGENT);
    const char *r = m->content;
    if (strcmp(m->content_type, WG_CHAT_LINE_VIDEO) == 0)
        puts0(o, wg_texts_get(loc, r[0] == 's' ? WG_T_SYS_VIDEO_STARTED : WG_T_SYS_VIDEO_ENDED));
    else if (strcmp(m->content_type, WG_CHAT_LINE_JOINED) == 0)
        fill(o, wg_texts_get(loc, WG_T_SYS_JOINED), who);
    else if (strcmp(m->content_type, WG_CHAT_LINE_TRANSFER) == 0)
        fill(o, wg_texts_get(loc, WG_T_SYS_TRANSFERRED), who);
    else if (strncmp(r, "customer", 8) == 0)
        puts0(o, wg_texts_get(loc, WG_T_SYS_ENDED_YOU));
    else if (strcmp(r, "agent_disconnected") == 0)
        fill(o, wg_texts_get(loc, WG_T_SYS_LEFT), who);
    else if (strncmp(r, "agent", 5) == 0)
        fill(o, wg_texts_get(loc, WG_T_SYS_ENDED_AGENT), who);
    else
        puts0(o, wg_texts_get(loc, WG_T_SYS_ENDED));
}

size_t wg_plain_line(const struct wg_texts *texts, const struct wg_tr_view *m, char *out,
                     size_t cap)
{
    struct out o = {out, cap, 0};
    line(&o, texts, m);
    return finish(&o);
}

/* n as exactly `width` decimal digits (n >= 0). */
static void digits(struct out *o, int64_t n, int width)
{
    char d[20];
    for (int i = width - 1; i >= 0; i--, n /= 10)
        d[i] = (char)('0' + n % 10);
    put(o, d, (size_t)width);
}

/* "2026-12-04 15:10 UTC" for ms since 1970 (before 1970: the epoch). */
static void timestamp(struct out *o, int64_t ms)
{
    int64_t s = ms > 0 ? ms / 1000 : 0, z = s / 86400 + 719468, min = s % 86400 / 60;
    int64_t era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    digits(o, yoe + era * 400 + (month <= 2), 4);
    put(o, "-", 1);
    digits(o, month, 2);
    put(o, "-", 1);
    digits(o, day, 2);
    put(o, " ", 1);
    digits(o, min / 60, 2);
    put(o, ":", 1);
    digits(o, min % 60, 2);
    puts0(o, " UTC");
}

size_t wg_plain_transcript(const struct wg_widget *w, char *out, size_t cap)
{
    struct out o = {out, cap, 0};
    if (!w)
        return finish(&o);
    size_t n = wg_transcript_count(&w->transcript);
    struct wg_tr_view m;
    for (size_t i = 0; i < n; i++) {
        if (wg_transcript_at(&w->transcript, i, &m) != WG_OK)
            continue;
        put(&o, "[", 1);
        timestamp(&o, m.time_ms);
        puts0(&o, "] ");
        if (wg_plain_own_line(&m)) {
            line(&o, &w->texts, &m);
        } else {
            const char *name = m.display_name;
            if (!name[0])
                name = wg_texts_get(&w->texts, m.role == WG_ROLE_CUSTOMER ? WG_T_YOU : WG_T_AGENT);
            puts0(&o, name);
            puts0(&o, ": ");
            put(&o, m.content, m.content_len);
        }
        put(&o, "\n", 1);
    }
    return finish(&o);
}
