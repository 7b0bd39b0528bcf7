/* json_text.c - see json_text.h. */
#include "common/json_text.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

void edge_json_append_string(edge_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    edge_buf_reserve(out, len + 2);
    edge_buf_append(out, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            edge_buf_append(out, esc, 2);
        } else if (c < 0x20 || c >= 0x7f) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            edge_buf_append(out, esc, 6);
        } else {
            edge_buf_append(out, (const char *)&c, 1);
        }
    }
    edge_buf_append(out, "\"", 1);
}

char *edge_json_print(const cJSON *json)
{
    char *text = cJSON_PrintUnformatted(json);
    if (text == NULL) {
        fprintf(stderr, "c2c-edge: out of memory printing JSON\n");
        abort();
    }
    return text;
}
