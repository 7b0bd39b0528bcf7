/* sse_client.h - the hub tests' HTTP side: a handler that serves a hub's
 * event streams, and a blocking loopback client that reads them while it
 * pumps the server's loop on the same thread.
 *
 * GET /events?feed=F&after=N is feed F's stream after id N (the hub reads
 * Last-Event-ID the same way from its routes). Header-only (static
 * functions) because each test is its own executable. */
#ifndef EDGE_TEST_SSE_CLIENT_H
#define EDGE_TEST_SSE_CLIENT_H

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <uv.h>

#include "events/hub.h"
#include "http/request.h"
#include "server/net/loopback_client.h"

/* The server's handler; ctx is the edge_hub. */
static inline void edge_test_hub_handle(void *ctx, const edge_request *req, edge_response *res)
{
    char feed[EDGE_STORE_ID_MAX] = "", after[24] = "0";
    edge_request_query_param(req, "feed", feed, sizeof(feed));
    edge_request_query_param(req, "after", after, sizeof(after));
    edge_hub_feed hf = {feed, NULL};
    edge_hub_serve(ctx, &hf, strtoll(after, NULL, 10), res);
}

/* Connect to 127.0.0.1:port and ask for feed's stream after id after. */
static inline int edge_test_sse_open(int port, const char *feed, int64_t after)
{
    int fd = edge_test_connect(port, 3000);
    char req[256];
    int n = snprintf(req, sizeof(req), "GET /events?feed=%s&after=%lld HTTP/1.1\r\nHost: t\r\n\r\n",
                     feed, (long long)after);
    if (fd >= 0)
        (void)!send(fd, req, (size_t)n, MSG_NOSIGNAL);
    return fd;
}

/* Run loop without blocking and read fd until needle is in acc (a
 * NUL-terminated buffer of cap bytes): 1, or 0 on EOF or after ms. */
static inline int edge_test_sse_read_until(uv_loop_t *loop, int fd, const char *needle, char *acc,
                                           size_t cap, int ms)
{
    size_t len = strlen(acc);
    for (int i = 0; i < ms && strstr(acc, needle) == NULL; i++) {
        uv_run(loop, UV_RUN_NOWAIT);
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 1) <= 0)
            continue;
        ssize_t n = recv(fd, acc + len, cap - len - 1, MSG_DONTWAIT);
        if (n == 0)
            break;
        if (n > 0) {
            len += (size_t)n;
            acc[len] = '\0';
        }
    }
    return strstr(acc, needle) != NULL;
}

/* How many times the frame of event id was received in acc. */
static inline int edge_test_sse_times_sent(const char *acc, int64_t id)
{
    char needle[32];
    snprintf(needle, sizeof(needle), "id: %lld\n", (long long)id);
    int n = 0;
    for (const char *p = strstr(acc, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

#endif
