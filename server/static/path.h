/* path.h - turns a raw URL path into a relative file path that cannot leave
 * its root.
 *
 * This is the one gate between attacker-controlled bytes and the file
 * system, so it is deliberately strict and pure (no I/O): it decodes percent
 * escapes exactly once and rejects anything that a file name of a built web
 * asset never needs, instead of trying to repair it. Symlinks are a separate
 * matter, checked against the real root by root.c after this. */
#ifndef EDGE_STATIC_PATH_H
#define EDGE_STATIC_PATH_H

#include <stddef.h>

/* Results of edge_path_sanitize besides a length >= 0. */
#define EDGE_PATH_EBAD (-1)     /* malformed or hostile: answer 400 */
#define EDGE_PATH_EHIDDEN (-2)  /* a segment starts with '.': answer 404 */
#define EDGE_PATH_ETOOLONG (-3) /* does not fit in out: answer 404 (no such file) */

/* Sanitize the raw, still percent-encoded request path raw[0..len) (it must
 * start with '/') into out, NUL-terminated.
 *
 * Rules, in the order a byte meets them:
 * - "%XY" is decoded once; a '%' not followed by two hex digits is EBAD.
 * - Decoded '/', '\' or '%' (from %2F, %5C, %25) are EBAD: an encoded slash
 *   must never become a separator, and rejecting '%' means no later layer can
 *   ever decode a second time (%252e stays harmless). Raw '\' is EBAD too.
 * - Control bytes (0x00-0x1F, 0x7F), raw or decoded, are EBAD.
 * - Each segment's decoded bytes must be valid, shortest-form UTF-8 (no
 *   overlong forms such as %C0%AE, no surrogates, nothing above U+10FFFF).
 * - Empty segments ("//") and "." are dropped; ".." anywhere is EBAD (it is
 *   refused rather than resolved, since no page of ours links with it).
 * - A segment starting with '.' (".git", ".env") is EHIDDEN, unless the path
 *   is also EBAD, which wins.
 *
 * The result has no leading '/', segments joined by single '/', and keeps
 * one trailing '/' when the raw path ended in a directory form ("/a/" or
 * "/a/."), so "" means the root itself and "sub/" means a directory.
 * Returns the result length, or one of the EDGE_PATH_E* codes (out is then
 * unspecified). cap counts the NUL. */
int edge_path_sanitize(const char *raw, size_t len, char *out, size_t cap);

#endif
