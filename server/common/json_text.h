/* json_text.h - JSON as text: escaping a string by hand, printing a tree.
 *
 * edge_json_append_string is for where a whole cJSON tree would be wasteful
 * (one access-log line per request); bytes that are not printable ASCII are
 * escaped as \u00XX so the output is always one valid JSON line, whatever a
 * client put in its URL. edge_json_print applies the out-of-memory policy
 * (common/mem.h) to cJSON's printer. */
#ifndef EDGE_JSON_TEXT_H
#define EDGE_JSON_TEXT_H

#include <stddef.h>

#include "common/buf.h"

/* Append "s" (with the quotes) to out, escaping quotes, backslashes, control
 * characters and bytes >= 0x80. */
void edge_json_append_string(edge_buf *out, const char *s, size_t len);

struct cJSON;
/* Print json compactly (one line). Never NULL: aborts when out of memory.
 * The caller frees the text. */
char *edge_json_print(const struct cJSON *json);

#endif
