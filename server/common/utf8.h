/* utf8.h - strict UTF-8 validation, shared by every input check.
 *
 * Strict means what RFC 3629 allows and nothing more: shortest form only
 * (no overlong encodings, which are how "/" or "." sneak past filters),
 * no UTF-16 surrogates, nothing above U+10FFFF. */
#ifndef EDGE_UTF8_H
#define EDGE_UTF8_H

#include <stddef.h>

/* 1 when s[0..n) is valid UTF-8 in that strict sense, else 0. */
int edge_utf8_valid(const unsigned char *s, size_t n);

#endif
