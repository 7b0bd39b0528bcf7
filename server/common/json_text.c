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
    size_t run = 0; /* start of the bytes that need no escape, appended in one go */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            continue;
        edge_buf_append(out, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            edge_buf_append(out, esc, 2);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            edge_buf_append(out, esc, 6);
        }
    }
    edge_buf_append(out, s + run, len - run);
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
