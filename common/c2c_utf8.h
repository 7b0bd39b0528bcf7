/* c2c_utf8.h - strict UTF-8 validation, shared by the server and the widget.
 *
 * common/ holds the little C that both sides need, with no dependency
 * beyond libc, so it compiles for the edge server (gcc) and for the
 * widget's WebAssembly core (Emscripten) alike. Strict means exactly what
 * RFC 3629 allows: shortest form only (no overlong encodings, which are how
 * "/" or "." sneak past filters), no UTF-16 surrogates, nothing above
 * U+10FFFF. U+0000 is valid UTF-8; callers that refuse NUL check for it. */
#ifndef C2C_UTF8_H
#define C2C_UTF8_H

#include <stddef.h>

/* 1 when s[0..len) is valid UTF-8 in that strict sense, else 0. s may be
 * NULL only when len is 0. */
int c2c_utf8_valid(const void *s, size_t len);

/* The length (1 to 4) of the valid character that starts s[0..len), or 0
 * when s does not start with one (or len is 0): for code that repairs text
 * rather than refusing it. */
size_t c2c_utf8_char_len(const void *s, size_t len);

/* The characters of valid UTF-8 text s[0..len): the bytes that start one
 * (what a "1000 characters" limit counts; check validity first). */
size_t c2c_utf8_count(const void *s, size_t len);

#endif
