/* json_strict.c - whole-buffer, duplicate-free JSON objects (see json_strict.h). */
#include "auth/json_strict.h"

#include <string.h>

static int json_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

cJSON *edge__json_parse_object(const char *text, size_t len, edge__json_fault *fault)
{
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

int edge__json_opt_string(const cJSON *obj, const char *name, const char **out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    *out = NULL;
    if (item == NULL)
        return 0;
    if (!cJSON_IsString(item) || item->valuestring == NULL)
        return -1;
    *out = item->valuestring;
    return 1;
}
