/* json_body.c - see json_body.h. */
#include "api/json_body.h"

#include "c2c_utf8.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* 1 when a JSON string in text escapes NUL (\u0000): cJSON would decode it
 * into a C string that silently ends there, losing the rest of the value.
 * A small lexer pass: inside strings, skip every escape pair, so an escaped
 * backslash followed by "u0000" is (rightly) not mistaken for one. */
static int has_escaped_nul(const char *text, size_t len)
{
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (!in_string) {
            in_string = c == '"';
            continue;
        }
        if (c == '"') {
            in_string = 0;
        } else if (c == '\\' && i + 1 < len) {
            if (text[i + 1] == 'u' && i + 5 < len && memcmp(text + i + 2, "0000", 4) == 0)
                return 1;
            i++; /* the escaped character */
        }
    }
    return 0;
}

cJSON *edge_json_body(const edge_request *req, edge_response *res)
{
    const edge_header *ct = edge_request_header(req, "Content-Type");
    if (req->body_len > 0 && ct && strncasecmp(ct->value, "application/json", 16) != 0 &&
        strncasecmp(ct->value, "text/plain", 10) != 0) {
        edge_response_error(res, 415, "unsupported_media_type",
                            "The request body must be JSON (Content-Type: application/json).");
        return NULL;
    }
    if (req->body_len == 0)
        return cJSON_CreateObject();
    if (!c2c_utf8_valid(req->body, req->body_len) ||
        has_escaped_nul(req->body, req->body_len)) {
        edge_response_error(res, 400, "bad_json",
                            "The request body must be UTF-8 JSON without NUL characters.");
        return NULL;
    }
    const char *end = NULL, *stop = req->body + req->body_len;
    cJSON *obj = cJSON_ParseWithLengthOpts(req->body, req->body_len, &end, 0);
    /* cJSON stops right after the value; JSON allows whitespace after it
     * (RFC 8259 section 2), as in a body ending with a newline. */
    while (end && end < stop && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
        end++;
    if (obj == NULL || !cJSON_IsObject(obj) || end != stop) {
        cJSON_Delete(obj);
        edge_response_error(res, 400, "bad_json", "The request body is not a JSON object.");
        return NULL;
    }
    return obj;
}

int edge_json_string_field(const cJSON *obj, const char *name, size_t max_len, int required,
                           edge_response *res, const char **out)
{
    char msg[160];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    *out = NULL;
    if (v == NULL || cJSON_IsNull(v)) {
        if (!required)
            return 1;
        snprintf(msg, sizeof(msg), "%s is required.", name);
        edge_response_error(res, 400, "bad_request", msg);
        return -1;
    }
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0' || strlen(v->valuestring) > max_len) {
        snprintf(msg, sizeof(msg), "%s must be a string of 1 to %zu bytes.", name, max_len);
        edge_response_error(res, 400, "bad_request", msg);
        return -1;
    }
    *out = v->valuestring;
    return 0;
}
