/* json_escape.h - append a string to a buffer as a JSON string literal.
 *
 * Used where a whole cJSON tree would be wasteful (one access-log line per
 * request). Bytes that are not valid UTF-8 text are escaped as \u00XX so the
 * output is always one valid JSON line, whatever a client put in its URL. */
#ifndef EDGE_JSON_ESCAPE_H
#define EDGE_JSON_ESCAPE_H

#include <stddef.h>

#include "common/buf.h"

/* Append "s" (with the quotes) to out, escaping quotes, backslashes, control
 * characters and bytes >= 0x80. */
void edge_json_append_string(edge_buf *out, const char *s, size_t len);

#endif
