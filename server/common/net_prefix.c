/* net_prefix.c - client address to network key (net_prefix.h). */
#include "common/net_prefix.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

int edge_net_prefix(const char *addr, char *out, size_t cap)
{
    static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    unsigned char raw[16];
    char text[INET6_ADDRSTRLEN];
    if (cap > 0)
        out[0] = '\0';
    if (addr == NULL || cap < EDGE_NET_PREFIX_MAX)
        return -1;
    if (inet_pton(AF_INET, addr, raw) == 1) {
        snprintf(out, cap, "v4:%u.%u.%u.%u", raw[0], raw[1], raw[2], raw[3]);
        return 0;
    }
    if (inet_pton(AF_INET6, addr, raw) != 1)
        return -1;
    if (memcmp(raw, v4_mapped, sizeof(v4_mapped)) == 0) {
        snprintf(out, cap, "v4:%u.%u.%u.%u", raw[12], raw[13], raw[14], raw[15]);
        return 0;
    }
    memset(raw + 8, 0, 8); /* the /64 */
    if (inet_ntop(AF_INET6, raw, text, sizeof(text)) == NULL)
        return -1;
    snprintf(out, cap, "v6:%s/64", text);
    return 0;
}
