/* c2c_str.h - bounded string copy for fixed-size fields (libc only; see
 * c2c_utf8.h for why common/ exists). */
#ifndef C2C_STR_H
#define C2C_STR_H

#include <stddef.h>

/* Copy src (NULL = "") into dst of cap bytes (cap >= 1), cutting it short
 * when it does not fit; dst is always NUL-terminated. Returns 1 when the
 * whole of src fit, 0 when it was cut. */
int c2c_copy_str(char *dst, size_t cap, const char *src);

#endif
