/* json_out.h - a small growable JSON writer for the wasm glue's output.
 *
 * The glue serializes the effects and the view after every input; cJSON
 * would build a tree only to print it, and weighs more than the rest of the
 * module, so this writes straight into one buffer that grows with realloc
 * and is reused from one output to the next. Commas are placed by the
 * writer itself: a value written right after another value (or a closed
 * container) at the same level gets one, a value after a key does not.
 *
 * Errors are sticky: once an allocation fails every call returns
 * JSON_E_NOMEM and json_out_finish returns NULL, so a caller can write a
 * whole document and check once. Strings are written as given (UTF-8 passes
 * through unchanged); '"', '\\' and the control characters U+0000-U+001F are
 * escaped, the latter as \u00XX, and a byte that is not part of a valid
 * UTF-8 character is written as \ufffd, so the output is always JSON.
 * Nesting is the caller's business: the writer does not check that begins
 * and ends match. */
#ifndef C2C_JSON_OUT_H
#define C2C_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_E_NOMEM (-1)

struct json_out {
    char *buf;  /* malloc'd, NUL-terminated after json_out_finish */
    size_t len; /* bytes written (no NUL) */
    size_t cap;
    bool comma; /* the next value at this level needs a comma first */
    int err;    /* 0 or JSON_E_NOMEM, sticky until json_out_reset */
};

/* Empty, nothing allocated. */
void json_out_init(struct json_out *j);

/* Frees the buffer; j is empty again. */
void json_out_free(struct json_out *j);

/* Starts a new document, keeping the buffer (and clearing the error). */
void json_out_reset(struct json_out *j);

/* Each returns 0 or JSON_E_NOMEM. */
int json_out_object_begin(struct json_out *j);
int json_out_object_end(struct json_out *j);
int json_out_array_begin(struct json_out *j);
int json_out_array_end(struct json_out *j);
/* An object key (NUL-terminated); the next call writes its value. */
int json_out_key(struct json_out *j, const char *key);
/* s[0..len) as a JSON string; NULL with len 0 is "". */
int json_out_string(struct json_out *j, const char *s, size_t len);
/* A NUL-terminated string (NULL is ""). */
int json_out_cstring(struct json_out *j, const char *s);
int json_out_int(struct json_out *j, int64_t v);
int json_out_bool(struct json_out *j, bool v);

/* The document, NUL-terminated (owned by j, valid until the next write,
 * reset or free), or NULL after an allocation failure. */
const char *json_out_finish(struct json_out *j);

#endif
