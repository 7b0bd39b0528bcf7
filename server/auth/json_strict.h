/* json_strict.h - cJSON helpers for input that must mean exactly one thing.
 *
 * Token headers, token payloads and JWKS documents are security input.
 * cJSON is lenient in two ways that matter there: it accepts an object that
 * names the same member twice (keeping both, while lookups find the first),
 * and its member lookup ignores case unless asked not to. These helpers
 * parse a whole buffer into one object, reject repeated member names, and
 * read members case-sensitively with explicit "absent" versus "wrong type"
 * answers. Internal to server/auth (edge__ prefix). */
#ifndef EDGE_AUTH_JSON_STRICT_H
#define EDGE_AUTH_JSON_STRICT_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Why edge__json_parse_object failed. */
typedef enum edge__json_fault {
    EDGE__JSON_SYNTAX = 1,     /* not JSON, or bytes after the value */
    EDGE__JSON_NOT_OBJECT = 2, /* valid JSON but not an object */
    EDGE__JSON_DUPLICATE = 3,  /* a top-level member name appears twice */
} edge__json_fault;

/* Parse exactly len bytes (not necessarily NUL-terminated) as one JSON
 * object with no member named twice at its top level. Returns the tree,
 * owned by the caller (cJSON_Delete), or NULL with *fault set. */
cJSON *edge__json_parse_object(const char *text, size_t len, edge__json_fault *fault);

/* A static one-line description of fault. */
const char *edge__json_fault_text(edge__json_fault fault);

/* 1 when two members of obj share a name (case-sensitive), else 0. */
int edge__json_has_duplicate(const cJSON *obj);

/* Read an optional string member. Returns 0 with *out = NULL when absent,
 * 1 with *out pointing into obj (valid while obj lives) when it is a string,
 * -1 when it is present with another type. */
int edge__json_opt_string(const cJSON *obj, const char *name, const char **out);

#endif
