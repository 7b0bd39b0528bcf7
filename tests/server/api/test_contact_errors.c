/* test_contact_errors.c - the contact center's errors as HTTP answers
 * (api/contact_errors.c): the asynchronous store's two errors (a shared
 * store that cannot be reached, one that did not answer in time) answer
 * 503 store_unavailable with Retry-After and 504, in the JSON error shape. */
#include <string.h>

#include "api/contact_errors.h"
#include "store/store_async.h"
#include "unit.h"

/* The answer code's JSON body contains needle. */
static int body_has(const edge_response *res, const char *needle)
{
    size_t n = edge_response_body_len(res);
    const char *b = edge_response_body_ptr(res);
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(b + i, needle, k) == 0)
            return 1;
    return 0;
}

static int has_header(const edge_response *res, const char *line)
{
    const char *h = (const char *)res->headers.data;
    size_t n = res->headers.len, k = strlen(line);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(h + i, line, k) == 0)
            return 1;
    return 0;
}

static void test_unavailable_is_503_with_retry_after(void)
{
    edge_response res;
    edge_response_init(&res);
    edge_contact_error(&res, EDGE_STORE_EUNAVAILABLE);
    CHECK_INT_EQ(res.status, 503);
    CHECK(body_has(&res, "\"error\":\"store_unavailable\""));
    CHECK(body_has(&res, "\"message\":"));
    CHECK(has_header(&res, "Retry-After: 1\r\n"));
    edge_response_free(&res);
}

static void test_timeout_is_504(void)
{
    edge_response res;
    edge_response_init(&res);
    edge_contact_error(&res, EDGE_STORE_ETIMEDOUT);
    CHECK_INT_EQ(res.status, 504);
    CHECK(body_has(&res, "\"error\":\"upstream_timeout\""));
    CHECK(!has_header(&res, "Retry-After"));
    edge_response_free(&res);
}

static void test_unsupported_is_internal(void)
{
    edge_response res;
    edge_response_init(&res);
    edge_contact_error(&res, EDGE_STORE_ENOTSUP);
    CHECK_INT_EQ(res.status, 500);
    CHECK(body_has(&res, "\"error\":\"internal\""));
    edge_response_free(&res);
}

int main(void)
{
    UNIT_RUN(test_unavailable_is_503_with_retry_after);
    UNIT_RUN(test_timeout_is_504);
    UNIT_RUN(test_unsupported_is_internal);
    return UNIT_DONE();
}
