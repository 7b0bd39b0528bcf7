/* json_out.c - the glue's JSON writer (see json_out.h). Everything goes
 * through put(), the one place that grows the buffer, so the out-of-memory
 * rule (sticky error, nothing more written) holds everywhere. No printf:
 * integers are formatted by hand, which keeps the wasm module small. */
#include "json_out.h"

#include "c2c_utf8.h"

#include <stdlib.h>
#include <string.h>

#define JSON_OUT_MIN_CAP 4096

void json_out_init(struct json_out *j)
{
    j->buf = NULL;
    j->len = j->cap = 0;
    j->comma = false;
    j->err = 0;
}

void json_out_free(struct json_out *j)
{
    free(j->buf);
    json_out_init(j);
}

void json_out_reset(struct json_out *j)
{
    j->len = 0;
    j->comma = false;
    j->err = 0;
}

/* Room for n more bytes and a NUL; doubles the buffer as needed. */
static int reserve(struct json_out *j, size_t n)
{
    if (j->err)
        return j->err;
    if (n < j->cap - j->len)
        return 0;
    size_t cap = j->cap ? j->cap : JSON_OUT_MIN_CAP;
    while (n >= cap - j->len) {
        if (cap > SIZE_MAX / 2)
            return j->err = JSON_E_NOMEM;
        cap *= 2;
    }
    char *p = realloc(j->buf, cap);
    if (!p)
        return j->err = JSON_E_NOMEM;
    j->buf = p;
    j->cap = cap;
    return 0;
}

static int put(struct json_out *j, const char *s, size_t n)
{
    if (reserve(j, n))
        return j->err;
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    return 0;
}

/* Starts a value: the comma owed to the previous sibling, if any. */
static int value_start(struct json_out *j)
{
    bool comma = j->comma;
    j->comma = false;
    return comma ? put(j, ",", 1) : j->err;
}

/* Ends a value: the next sibling owes a comma. */
static int value_end(struct json_out *j)
{
    j->comma = true;
    return j->err;
}

int json_out_object_begin(struct json_out *j)
{
    value_start(j);
    return put(j, "{", 1);
}

int json_out_object_end(struct json_out *j)
{
    put(j, "}", 1);
    return value_end(j);
}

int json_out_array_begin(struct json_out *j)
{
    value_start(j);
    return put(j, "[", 1);
}

int json_out_array_end(struct json_out *j)
{
    put(j, "]", 1);
    return value_end(j);
}

/* The escape for byte c, or NULL when it goes out as is. buf >= 7 bytes. */
static const char *escape(unsigned char c, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    if (c == '"')
        return "\\\"";
    if (c == '\\')
        return "\\\\";
    if (c >= 0x20)
        return NULL;
    memcpy(buf, "\\u00", 4);
    buf[4] = hex[c >> 4];
    buf[5] = hex[c & 15];
    buf[6] = '\0';
    return buf;
}

/* The quoted body: runs of plain bytes are copied in one go. A byte that
 * does not start a valid UTF-8 character becomes U+FFFD, as a browser's
 * decoder would make it, so the document stays JSON (RFC 8259 8.1) whatever
 * bytes a field was given. */
static int string_body(struct json_out *j, const char *s, size_t len)
{
    size_t run = 0;
    char buf[7];
    for (size_t i = 0; i < len; i++) {
        const char *esc = escape((unsigned char)s[i], buf);
        if (!esc && (unsigned char)s[i] >= 0x80) {
            size_t n = c2c_utf8_char_len(s + i, len - i);
            if (n > 0) {
                i += n - 1; /* a whole character goes out as is */
                continue;
            }
            esc = "\\ufffd";
        }
        if (!esc)
            continue;
        put(j, s + run, i - run);
        put(j, esc, strlen(esc));
        run = i + 1;
    }
    return put(j, s + run, len - run);
}

static int string_raw(struct json_out *j, const char *s, size_t len)
{
    put(j, "\"", 1);
    if (s)
        string_body(j, s, len);
    return put(j, "\"", 1);
}

int json_out_key(struct json_out *j, const char *key)
{
    value_start(j);
    string_raw(j, key, key ? strlen(key) : 0);
    return put(j, ":", 1);
}

int json_out_string(struct json_out *j, const char *s, size_t len)
{
    value_start(j);
    string_raw(j, s, len);
    return value_end(j);
}

int json_out_cstring(struct json_out *j, const char *s)
{
    return json_out_string(j, s, s ? strlen(s) : 0);
}

int json_out_int(struct json_out *j, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    /* Through uint64_t so that INT64_MIN negates without overflow. */
    uint64_t u = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
    do {
        tmp[sizeof(tmp) - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[sizeof(tmp) - 1 - n++] = '-';
    value_start(j);
    put(j, tmp + sizeof(tmp) - n, n);
    return value_end(j);
}

int json_out_bool(struct json_out *j, bool v)
{
    value_start(j);
    put(j, v ? "true" : "false", v ? 4 : 5);
    return value_end(j);
}

const char *json_out_finish(struct json_out *j)
{
    if (reserve(j, 0))
        return NULL;
    j->buf[j->len] = '\0';
    return j->buf;
}
