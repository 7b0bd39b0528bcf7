/* json_strict.c - whole-buffer, duplicate-free JSON objects (see json_strict.h). */
#include "auth/json_strict.h"

#include <string.h>

static int json_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1 when text holds a NUL (raw or as \u0000 in a string) or a raw control
 * byte other than a blank outside strings; 0 when cJSON may read it. A
 * backslash always escapes the next byte, so \\u0000 is a backslash and
 * text, not a NUL. */
static int json_has_control(const char *text, size_t len)
{
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 && (in_string || !json_is_blank((char)c)))
            return 1;
        if (!in_string) {
            in_string = c == '"';
        } else if (c == '"') {
            in_string = 0;
        } else if (c == '\\' && i + 1 < len) {
            if (text[i + 1] == 'u' && len - i >= 6 && memcmp(text + i + 2, "0000", 4) == 0)
                return 1;
            i++; /* skip the escaped byte, which must not be a control byte either */
            if ((unsigned char)text[i] < 0x20)
                return 1;
        }
    }
    return 0;
}

cJSON *edge__json_parse_object(const char *text, size_t len, edge__json_fault *fault)
{
    if (json_has_control(text, len)) {
        *fault = EDGE__JSON_CONTROL;
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root == NULL) {
        *fault = EDGE__JSON_SYNTAX;
        return NULL;
    }
    /* cJSON stops after the first value; anything but blanks after it
     * (a second value, a NUL byte) makes the buffer ambiguous. */
    size_t used = (size_t)(end - text);
    while (used < len && json_is_blank(text[used]))
        used++;
    if (used != len) {
        *fault = EDGE__JSON_SYNTAX;
    } else if (!cJSON_IsObject(root)) {
        *fault = EDGE__JSON_NOT_OBJECT;
    } else if (edge__json_has_duplicate(root)) {
        *fault = EDGE__JSON_DUPLICATE;
    } else {
        return root;
    }
    cJSON_Delete(root);
    return NULL;
}

const char *edge__json_fault_text(edge__json_fault fault)
{
    switch (fault) {
    case EDGE__JSON_SYNTAX:
        return "not valid JSON";
    case EDGE__JSON_NOT_OBJECT:
        return "not a JSON object";
    case EDGE__JSON_DUPLICATE:
        return "a JSON member name is repeated";
    case EDGE__JSON_CONTROL:
        return "a NUL or a raw control character";
    }
    return "invalid JSON";
}

int edge__json_has_duplicate(const cJSON *obj)
{
    /* Quadratic, but inputs are bounded by the token and JWKS size limits
     * and real objects have a handful of members. */
    for (const cJSON *a = obj->child; a != NULL; a = a->next) {
        for (const cJSON *b = a->next; b != NULL; b = b->next) {
            if (a->string && b->string && strcmp(a->string, b->string) == 0)
                return 1;
        }
    }
    return 0;
}

int edge__json_string(const cJSON *item, const char **out)
{
    *out = NULL;
    if (item == NULL)
        return 0;
    if (!cJSON_IsString(item) || item->valuestring == NULL)
        return EDGE__JSON_WRONG_TYPE;
    for (const unsigned char *p = (const unsigned char *)item->valuestring; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return EDGE__JSON_HAS_CONTROL;
    }
    *out = item->valuestring;
    return 1;
}

int edge__json_opt_string(const cJSON *obj, const char *name, const char **out)
{
    return edge__json_string(cJSON_GetObjectItemCaseSensitive(obj, name), out);
}
