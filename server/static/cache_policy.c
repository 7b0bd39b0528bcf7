/* cache_policy.c - the hashed-name rule and Cache-Control choice (see
 * cache_policy.h). */
#include "static/cache_policy.h"

#include <string.h>

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_delim(char c)
{
    return c == '.' || c == '-' || c == '_';
}

/* Is s[0..n) at least 8 hex digits including a decimal digit? */
static int token_is_hash(const char *s, size_t n)
{
    int has_digit = 0;
    if (n < 8)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_hex(s[i]))
            return 0;
        has_digit |= s[i] >= '0' && s[i] <= '9';
    }
    return has_digit;
}

int edge_cache_name_is_hashed(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    size_t stem = dot ? (size_t)(dot - base) : strlen(base);
    size_t start = 0;
    for (size_t i = 0; i <= stem; i++) {
        if (i == stem || is_delim(base[i])) {
            if (token_is_hash(base + start, i - start))
                return 1;
            start = i + 1;
        }
    }
    return 0;
}

const char *edge_cache_control_for(const char *name, const char *content_type)
{
    if (strncmp(content_type, "text/html", 9) == 0)
        return EDGE_CACHE_REVALIDATE;
    return edge_cache_name_is_hashed(name) ? EDGE_CACHE_IMMUTABLE : EDGE_CACHE_REVALIDATE;
}
