/* redis_url.c - parsing `redis://HOST:PORT[/DB]` (see redis_url.h). */
#include "redis/redis_url.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t cap, const char *why)
{
    snprintf(err, cap, "%s", why);
    return -1;
}

/* A decimal in [lo, hi] spanning exactly s[0..len). */
static int parse_range(const char *s, size_t len, long lo, long hi, long *out)
{
    if (len == 0 || len > 6)
        return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Split "HOST[:PORT]" (HOST maybe "[v6]") into a numeric host and port. */
static int parse_authority(const char *s, size_t len, edge_redis_addr *out, char *err, size_t cap)
{
    const char *host = s, *port = NULL;
    size_t host_len = len;
    if (len > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return fail(err, cap, "redis URL: unclosed '[' in the host");
        host = s + 1;
        host_len = (size_t)(close - host);
        if (close + 1 < s + len) {
            if (close[1] != ':')
                return fail(err, cap, "redis URL: expected ':' after the IPv6 host");
            port = close + 2;
        }
    } else {
        const char *colon = memchr(s, ':', len);
        if (colon) {
            host_len = (size_t)(colon - s);
            port = colon + 1;
        }
    }
    if (host_len == 0 || host_len >= sizeof out->host)
        return fail(err, cap, "redis URL: missing or overlong host");
    memcpy(out->host, host, host_len);
    out->host[host_len] = '\0';
    if (strcmp(out->host, "localhost") == 0)
        snprintf(out->host, sizeof out->host, "127.0.0.1");
    unsigned char bin[16];
    if (inet_pton(AF_INET, out->host, bin) != 1 && inet_pton(AF_INET6, out->host, bin) != 1)
        return fail(err, cap, "redis URL: the host must be an IP address or localhost");
    long v = 6379;
    if (port && parse_range(port, (size_t)(s + len - port), 1, 65535, &v) != 0)
        return fail(err, cap, "redis URL: the port must be 1 to 65535");
    out->port = (int)v;
    return 0;
}

int edge_redis_url_parse(const char *url, edge_redis_addr *out, char *err, size_t cap)
{
    static const char scheme[] = "redis://";
    memset(out, 0, sizeof *out);
    if (!url || strncmp(url, scheme, sizeof scheme - 1) != 0)
        return fail(err, cap, "redis URL: must start with redis://");
    const char *rest = url + sizeof scheme - 1;
    if (strpbrk(rest, "@?#"))
        return fail(err, cap, "redis URL: user info, query and fragment are not supported");
    const char *slash = strchr(rest, '/');
    size_t auth_len = slash ? (size_t)(slash - rest) : strlen(rest);
    if (parse_authority(rest, auth_len, out, err, cap) != 0)
        return -1;
    long db = 0;
    if (slash && slash[1] != '\0' && parse_range(slash + 1, strlen(slash + 1), 0, 15, &db) != 0)
        return fail(err, cap, "redis URL: the database must be 0 to 15");
    out->db = (int)db;
    return 0;
}
