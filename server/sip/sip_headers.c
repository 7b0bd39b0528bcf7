/* sip_headers.c - sanitizing and bounding the INVITE's custom headers
 * (see sip_headers.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sip/sip_headers.h"

#define ATTR_PREFIX "X-C2C-Attr-"

size_t edge_sip_header_value(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    size_t limit = cap - 1 < EDGE_SIP_VALUE_MAX ? cap - 1 : EDGE_SIP_VALUE_MAX;
    for (const unsigned char *s = (const unsigned char *)(in ? in : ""); *s && n < limit; s++) {
        char c = *s >= 0x20 && *s < 0x7f ? (char)*s : *s == '\t' ? ' ' : '?';
        if (c == ' ' && (n == 0 || out[n - 1] == ' '))
            continue; /* no leading spaces, no runs */
        out[n++] = c;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return n;
}

/* "X-C2C-Attr-" and the key with bytes outside A-Z a-z 0-9 - turned into
 * "-", cut at EDGE_SIP_ATTR_KEY_MAX. 0, or -1 when the key is empty. */
static int attr_name(const char *key, char *out, size_t cap)
{
    size_t n = strlen(ATTR_PREFIX), k = 0;
    if (cap < n + EDGE_SIP_ATTR_KEY_MAX + 1)
        return -1;
    memcpy(out, ATTR_PREFIX, n);
    for (const unsigned char *s = (const unsigned char *)key; *s && k < EDGE_SIP_ATTR_KEY_MAX;
         s++, k++) {
        int ok = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
                 *s == '-';
        out[n + k] = ok ? (char)*s : '-';
    }
    out[n + k] = '\0';
    return k > 0 ? 0 : -1;
}

/* Is name (case-insensitively, as SIP compares names) in o already? */
static int has_header(const cJSON *o, const char *name)
{
    for (const cJSON *h = o->child; h; h = h->next) {
        if (strcasecmp(h->string, name) == 0)
            return 1;
    }
    return 0;
}

/* Add name: value when it fits in *budget bytes; 0 or -1 (not added). */
static int add(cJSON *o, const char *name, const char *raw, size_t *budget)
{
    char value[EDGE_SIP_VALUE_MAX + 1];
    size_t len = edge_sip_header_value(raw, value, sizeof(value));
    size_t cost = strlen(name) + 2 + len + 2;
    if (len == 0 || cost > *budget || has_header(o, name))
        return -1;
    cJSON_AddStringToObject(o, name, value);
    *budget -= cost;
    return 0;
}

cJSON *edge_sip_headers_build(const char *email, const char *contact_id,
                              const char *attributes_json)
{
    cJSON *o = cJSON_CreateObject();
    size_t budget = EDGE_SIP_HEADERS_MAX_BYTES;
    if (email != NULL && email[0] != '\0')
        add(o, "X-RequestorEmail", email, &budget);
    add(o, "X-C2C-Contact-Id", contact_id, &budget);
    cJSON *attrs = attributes_json ? cJSON_Parse(attributes_json) : NULL;
    size_t taken = 0;
    for (const cJSON *a = cJSON_IsObject(attrs) ? attrs->child : NULL;
         a && taken < EDGE_SIP_ATTR_MAX; a = a->next) {
        char name[sizeof(ATTR_PREFIX) + EDGE_SIP_ATTR_KEY_MAX + 1];
        if (cJSON_IsString(a) && attr_name(a->string, name, sizeof(name)) == 0 &&
            add(o, name, a->valuestring, &budget) == 0)
            taken++;
    }
    cJSON_Delete(attrs);
    return o;
}
