/* wg_links.c - web links in a chat message (see wg_links.h for the rules).
 *
 * One pass: at each word start, a case-insensitive "http://" or "https://"
 * followed by a host character opens a candidate, which runs to the first
 * stop character and then loses its trailing punctuation. Characters are
 * taken whole (c2c_utf8_char_len), so a link never ends inside one and the
 * UTF-16 offsets count a 4-byte character as two units. */
#include "wg_links.h"

#include <stdbool.h>

#include "c2c_utf8.h"

static char lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* s[0..len) starts with the lowercase literal lit, ASCII case ignored. */
static bool starts(const char *s, size_t len, const char *lit)
{
    size_t i = 0;
    for (; lit[i]; i++)
        if (i >= len || lower(s[i]) != lit[i])
            return false;
    return true;
}

static bool alnum(unsigned char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           ch >= 0x80; /* a letter of another script: no word start inside it */
}

/* The code point of the valid n-byte character at s. */
static uint32_t code_point(const unsigned char *s, size_t n)
{
    if (n == 1)
        return s[0];
    uint32_t cp = s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

/* Whether the n-byte character at s ends a link. n 0: invalid UTF-8. */
static bool stops(const unsigned char *s, size_t n)
{
    if (n == 0)
        return true;
    uint32_t cp = code_point(s, n);
    if (cp <= 0x20 || cp == 0x7F)
        return true;
    if (cp < 0x80) {
        static const char stop[] = "\"<>`\\{}|^";
        for (const char *p = stop; *p; p++)
            if ((uint32_t)(unsigned char)*p == cp)
                return true;
        return false;
    }
    return cp <= 0xA0 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF;
}

/* How many of s[0..n) an open bracket `open` leaves unmatched by `close`. */
static long balance(const char *s, size_t n, char open, char close)
{
    long depth = 0;
    for (size_t i = 0; i < n; i++)
        depth += s[i] == open ? 1 : s[i] == close ? -1 : 0;
    return depth;
}

/* The link's end once trailing punctuation is left out. */
static size_t trim(const char *s, size_t start, size_t end)
{
    while (end > start) {
        char ch = s[end - 1];
        const char *pairs = "()[]{}";
        bool closing = false;
        for (size_t k = 0; pairs[k]; k += 2)
            if (ch == pairs[k + 1]) {
                /* Kept when the link opened it: "x.y/a_(b)". */
                closing = balance(s + start, end - start, pairs[k], pairs[k + 1]) < 0;
                if (!closing)
                    return end;
            }
        if (!closing && ch != '.' && ch != ',' && ch != ';' && ch != ':' && ch != '!' &&
            ch != '?' && ch != '\'' && ch != '*')
            return end;
        end--;
    }
    return end;
}

/* A link starting at s[i]: its end (bytes), or i when there is none. An
 * over-long candidate sets *skip to where its scan stopped, so that nothing
 * inside it is scanned again (the whole pass stays linear). */
static size_t link_at(const char *s, size_t len, size_t i, size_t *skip)
{
    size_t scheme = starts(s + i, len - i, "https://") ? 8 : starts(s + i, len - i, "http://") ? 7 : 0;
    if (!scheme)
        return i;
    size_t end = i + scheme;
    while (end < len) {
        size_t n = c2c_utf8_char_len(s + end, len - end);
        if (stops((const unsigned char *)s + end, n))
            break;
        end += n;
        if (end - i > WG_LINK_MAX_BYTES) {
            *skip = end;
            return i;
        }
    }
    end = trim(s, i + scheme, end);
    /* At least one host character, and not one that cannot start a host. */
    if (end == i + scheme || s[i + scheme] == '/' || s[i + scheme] == '.' ||
        s[i + scheme] == '?' || s[i + scheme] == '#' || s[i + scheme] == '@')
        return i;
    return end;
}

/* UTF-16 code units in s[from..to) as the bridge receives the text: a
 * 4-byte character is a surrogate pair, an invalid byte one U+FFFD (as
 * json_out writes it). */
static uint32_t units(const char *s, size_t from, size_t to)
{
    uint32_t u = 0;
    for (size_t i = from; i < to;) {
        size_t n = c2c_utf8_char_len(s + i, to - i);
        u += n == 4 ? 2 : 1;
        i += n ? n : 1;
    }
    return u;
}

size_t wg_links_find(const char *s, size_t len, struct wg_link *out, size_t max)
{
    if (!s || !out)
        return 0;
    size_t found = 0, i = 0, done = 0;
    uint32_t u = 0;
    while (i < len && found < max) {
        bool word_start = i == 0 || !alnum((unsigned char)s[i - 1]);
        size_t skip = 0;
        size_t end = word_start ? link_at(s, len, i, &skip) : i;
        if (skip) {
            i = skip;
            continue;
        }
        if (end > i) {
            u += units(s, done, i);
            out[found].start = i;
            out[found].end = end;
            out[found].u16_start = u;
            u += units(s, i, end);
            out[found].u16_end = u;
            found++;
            done = i = end;
            continue;
        }
        size_t n = c2c_utf8_char_len(s + i, len - i);
        i += n ? n : 1;
    }
    return found;
}
