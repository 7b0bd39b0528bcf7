/* loopback_client.h - the blocking client side of the socket tests: connect
 * to a test server on 127.0.0.1 and read its answer until a marker.
 *
 * The transport tests (stream, deferred responses, the provider seam) run
 * the real server on its own thread's loop and talk to it over loopback
 * like any HTTP client; this is that client, once. Header-only (static
 * functions) because each test is its own executable. */
#ifndef EDGE_TEST_LOOPBACK_CLIENT_H
#define EDGE_TEST_LOOPBACK_CLIENT_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* A blocking socket connected to 127.0.0.1:port whose reads give up after
 * timeout_ms; -1 when the connection is refused. The caller closes it. */
static inline int edge_test_connect(int port, int timeout_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Append what fd sends to acc (a NUL-terminated buffer of cap bytes) until
 * needle appears in it. Returns 1 when found, 0 on EOF (or a full buffer),
 * -1 on the receive timeout. */
static inline int edge_test_read_until(int fd, const char *needle, char *acc, size_t cap)
{
    size_t len = strlen(acc);
    while (strstr(acc, needle) == NULL && len + 1 < cap) {
        ssize_t n = recv(fd, acc + len, cap - len - 1, 0);
        if (n <= 0)
            return n == 0 ? 0 : -1;
        len += (size_t)n;
        acc[len] = '\0';
    }
    return strstr(acc, needle) != NULL;
}

#endif
