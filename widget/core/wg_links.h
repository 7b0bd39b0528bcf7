/* wg_links.h - finds the web links in a chat message, for the view to turn
 * into anchors.
 *
 * Only http:// and https:// (scheme in any case) count, and only where the
 * scheme starts a word (not "xhttp://"); a link needs at least one host
 * character after "//". It runs to the first ASCII space or control
 * character, one of " < > ` \ { } | ^, an invalid UTF-8 byte, or a Unicode
 * space, bidirectional or invisible format character (U+0080-U+00A0,
 * U+2000-U+206F, U+3000, U+FEFF), and is capped at WG_LINK_MAX_BYTES
 * (longer: not a link). Trailing . , ; : ! ? ' * and closing brackets that
 * have no partner inside the link are left out ("(see https://x.y/a_(b))."
 * links "https://x.y/a_(b)"). No other scheme is ever a link: javascript:,
 * data:, vbscript:, file: and the like stay text, whatever their case or
 * padding. Offsets are given both in bytes and in UTF-16 code units (what a
 * JS string's slice() takes). Pure C, no allocation. */
#ifndef WG_LINKS_H
#define WG_LINKS_H

#include <stddef.h>
#include <stdint.h>

#define WG_LINK_MAX_BYTES 2048 /* longer URLs are left as text */
#define WG_LINKS_MAX 8         /* links per message; later ones stay text */

struct wg_link {
    size_t start, end;         /* bytes, [start, end) */
    uint32_t u16_start, u16_end; /* UTF-16 code units, [u16_start, u16_end) */
};

/* Finds up to max links in s[0..len) (NULL with len 0: none), in order,
 * into out. Returns how many. */
size_t wg_links_find(const char *s, size_t len, struct wg_link *out, size_t max);

#endif
