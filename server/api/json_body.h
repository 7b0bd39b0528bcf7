/* json_body.h - reading a request's JSON body and its fields, with errors
 * in the product's shape. Each function that can fail fills res with a 400
 * (naming the field) and returns -1 / NULL, so a route stops at the first
 * problem with a message a person can act on. */
#ifndef EDGE_JSON_BODY_H
#define EDGE_JSON_BODY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "http/request.h"
#include "http/response.h"

/* The body as a JSON object (an empty body is an empty object). NULL after
 * filling res with 400 bad_json / 415 unsupported_media_type. */
cJSON *edge_json_body(const edge_request *req, edge_response *res);

/* Field name of obj as a string of 1..max_len bytes. Returns 0 and *out
 * (borrowed from obj), 1 when absent and not required (*out = NULL), or -1
 * after filling res (wrong type, empty, too long, missing and required). */
int edge_json_string_field(const cJSON *obj, const char *name, size_t max_len, int required,
                           edge_response *res, const char **out);

#endif
