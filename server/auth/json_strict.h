/* json_strict.h - cJSON helpers for input that must mean exactly one thing.
 *
 * Token headers, token payloads and JWKS documents are security input.
 * cJSON is lenient in two ways that matter there: it accepts an object that
 * names the same member twice (keeping both, while lookups find the first),
 * and its member lookup ignores case unless asked not to. These helpers
 * parse a whole buffer into one object, reject repeated member names, and
 * read members case-sensitively with explicit "absent" versus "wrong type"
 * answers.
 *
 * Control characters: cJSON decodes "\u0000" into a NUL byte inside a C
 * string, silently cutting the value there ("agents\u0000x" would read as
 * "agents"), and it takes raw control bytes (invalid JSON) both inside
 * strings and as blanks. So the parser refuses any NUL, escaped or raw, and
 * any raw byte below 0x20 that is not a JSON blank between values: what
 * cJSON cannot represent faithfully never reaches a caller. The string
 * readers then refuse values holding any other control character
 * (U+0001-U+001F, U+007F, escaped), so every string the server reads is
 * printable; strings it does not read may hold them (an address with a
 * line break in a claim we ignore does not cost a user the login).
 * Internal to server/auth (edge__ prefix). */
#ifndef EDGE_AUTH_JSON_STRICT_H
#define EDGE_AUTH_JSON_STRICT_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Why edge__json_parse_object failed. */
typedef enum edge__json_fault {
    EDGE__JSON_SYNTAX = 1,     /* not JSON, or bytes after the value */
    EDGE__JSON_NOT_OBJECT = 2, /* valid JSON but not an object */
    EDGE__JSON_DUPLICATE = 3,  /* a top-level member name appears twice */
    EDGE__JSON_CONTROL = 4,    /* a NUL (raw or \u0000) or a raw control byte */
} edge__json_fault;

/* Parse exactly len bytes (not necessarily NUL-terminated) as one JSON
 * object with no member named twice at its top level. Returns the tree,
 * owned by the caller (cJSON_Delete), or NULL with *fault set. */
cJSON *edge__json_parse_object(const char *text, size_t len, edge__json_fault *fault);

/* A static one-line description of fault. */
const char *edge__json_fault_text(edge__json_fault fault);

/* 1 when two members of obj share a name (case-sensitive), else 0. */
int edge__json_has_duplicate(const cJSON *obj);

/* What the string readers answer besides 0 (absent) and 1 (a clean string). */
enum {
    EDGE__JSON_WRONG_TYPE = -1, /* present with another type */
    EDGE__JSON_HAS_CONTROL = -2 /* a string holding U+0001-U+001F or U+007F */
};

/* Read item as a string. Returns 0 with *out = NULL when item is NULL, 1
 * with *out = item's text (valid while item lives) when it is a string
 * without control characters, else EDGE__JSON_WRONG_TYPE or
 * EDGE__JSON_HAS_CONTROL with *out = NULL. */
int edge__json_string(const cJSON *item, const char **out);

/* edge__json_string of obj's member name (case-sensitive): 0 absent, 1,
 * EDGE__JSON_WRONG_TYPE or EDGE__JSON_HAS_CONTROL. */
int edge__json_opt_string(const cJSON *obj, const char *name, const char **out);

#endif
