/* test_http_client_parse.c - the upstream client's response parser
 * (upstream/http_client_parse.c) fed directly: responses split at every
 * byte, keep-alive rules, limits, interim responses, bodies read to EOF and
 * bytes that follow a response. */
#include <string.h>

#include "unit.h"
#include "upstream/http_client_internal.h"

/* Feed s in pieces of step bytes; returns the last feed result and sets
 * *used to the bytes consumed in total when the response completed. */
static int feed(edge__upstream_parser *p, const char *s, size_t step, size_t *used)
{
    size_t len = strlen(s), off = 0;
    int rc = 0;
    *used = 0;
    while (off < len) {
        size_t n = len - off < step ? len - off : step, consumed = 0;
        rc = edge__upstream_parser_feed(p, s + off, n, &consumed);
        if (rc != 0) {
            *used = off + consumed;
            return rc;
        }
        off += n;
    }
    *used = off;
    return rc;
}

static const char *header(const edge__upstream_parser *p, const char *name)
{
    edge_upstream_result r = {.head = p->head.data, .header_count = p->header_count};
    return edge_upstream_result_header(&r, name);
}

static void test_split_at_every_byte(void)
{
    static const char resp[] = "HTTP/1.1 201 Created\r\nX-A: one\r\nTransfer-Encoding: chunked\r\n"
                               "X-B:  two  \r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n";
    for (size_t step = 1; step <= sizeof(resp); step++) {
        edge__upstream_parser p;
        edge__upstream_parser_init(&p, 1024, 1024);
        edge__upstream_parser_reset(&p, 0);
        size_t used;
        CHECK_INT_EQ(feed(&p, resp, step, &used), 1);
        CHECK_INT_EQ(used, strlen(resp));
        CHECK_INT_EQ(p.status, 201);
        CHECK_INT_EQ(p.body.len, 5);
        CHECK(p.body.data && memcmp(p.body.data, "abcde", 5) == 0);
        CHECK_STR_EQ(header(&p, "x-a"), "one");
        CHECK_STR_EQ(header(&p, "X-B"), "two");
        CHECK(header(&p, "X-C") == NULL);
        CHECK_INT_EQ(p.keep_alive, 1);
        edge__upstream_parser_free(&p);
    }
}

static void test_keep_alive_rules(void)
{
    edge__upstream_parser p;
    size_t used;
    edge__upstream_parser_init(&p, 1024, 1024);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(
        feed(&p, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 64, &used),
        1);
    CHECK_INT_EQ(p.keep_alive, 0);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 64, &used), 1);
    CHECK_INT_EQ(p.keep_alive, 0);
    edge__upstream_parser_reset(&p, 0);
    /* Bytes after the response are left unconsumed for the caller to see. */
    CHECK_INT_EQ(feed(&p, "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1", 64, &used), 1);
    CHECK_INT_EQ(used, strlen("HTTP/1.1 204 No Content\r\n\r\n"));
    CHECK_INT_EQ(p.keep_alive, 1);
    edge__upstream_parser_free(&p);
}

static void test_limits_and_garbage(void)
{
    edge__upstream_parser p;
    size_t used;
    edge__upstream_parser_init(&p, 64, 8);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", 64, &used),
                 EDGE_UPSTREAM_ETOOLARGE);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p,
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n"
                      "4\r\n6789\r\n",
                      7, &used),
                 EDGE_UPSTREAM_ETOOLARGE);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p,
                      "HTTP/1.1 200 OK\r\nX-Long: 0123456789012345678901234567890123456789"
                      "01234567890123456789\r\n\r\n",
                      64, &used),
                 EDGE_UPSTREAM_ETOOLARGE);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 64, &used),
                 EDGE_UPSTREAM_EBADRESP);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p, "HTTP/2.0 200 OK\r\n\r\n", 64, &used), EDGE_UPSTREAM_EBADRESP);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", 64, &used),
                 EDGE_UPSTREAM_EBADRESP);
    edge__upstream_parser_free(&p);
}

static void test_interim_head_and_eof(void)
{
    edge__upstream_parser p;
    size_t used;
    edge__upstream_parser_init(&p, 1024, 1024);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p,
                      "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\n"
                      "Content-Length: 1\r\n\r\nx",
                      5, &used),
                 1);
    CHECK_INT_EQ(p.status, 200);
    CHECK(header(&p, "Link") == NULL); /* the interim response's headers are dropped */
    edge__upstream_parser_reset(&p, 1);
    CHECK_INT_EQ(feed(&p, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 64, &used), 1);
    CHECK_INT_EQ(p.body.len, 0);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p, "HTTP/1.1 200 OK\r\n\r\nto the end", 64, &used), 0);
    CHECK_INT_EQ(edge__upstream_parser_eof(&p), 1);
    CHECK_INT_EQ(p.body.len, 10);
    CHECK_INT_EQ(p.keep_alive, 0);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(feed(&p, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 64, &used), 0);
    CHECK_INT_EQ(edge__upstream_parser_eof(&p), EDGE_UPSTREAM_ECLOSED);
    edge__upstream_parser_reset(&p, 0);
    CHECK_INT_EQ(edge__upstream_parser_eof(&p), EDGE_UPSTREAM_ECLOSED); /* nothing came */
    CHECK_INT_EQ(p.got_bytes, 0);
    edge__upstream_parser_free(&p);
}

int main(void)
{
    UNIT_RUN(test_split_at_every_byte);
    UNIT_RUN(test_keep_alive_rules);
    UNIT_RUN(test_limits_and_garbage);
    UNIT_RUN(test_interim_head_and_eof);
    return UNIT_DONE();
}
