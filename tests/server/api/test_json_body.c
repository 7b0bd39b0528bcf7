/* test_json_body.c - reading a request's JSON body (api/json_body.c):
 * whitespace around the object is JSON and is accepted (a body ending in a
 * newline was once refused: found by tests/fuzz/fuzz_http_request), while
 * anything else after the object, escaped NULs, non-objects and other
 * media types are refused with the product's errors. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "api/json_body.h"
#include "unit.h"

/* A POST whose body is text (copied without a NUL after it, as the
 * transport's bytes need not have one) and whose Content-Type is ct. */
static cJSON *parse(const char *text, const char *ct, int *status)
{
    edge_request req;
    memset(&req, 0, sizeof(req));
    if (ct) {
        req.headers[0] = (edge_header){"Content-Type", 12, ct, strlen(ct)};
        req.header_count = 1;
    }
    size_t len = strlen(text);
    char *body = len ? malloc(len) : NULL;
    if (body)
        memcpy(body, text, len);
    req.body = body;
    req.body_len = len;
    edge_response res;
    edge_response_init(&res);
    cJSON *obj = edge_json_body(&req, &res);
    *status = res.status;
    edge_response_free(&res);
    free(body);
    return obj;
}

static int accepted(const char *text)
{
    int status;
    cJSON *obj = parse(text, "application/json", &status);
    cJSON_Delete(obj);
    return obj != NULL && status == 0;
}

static void test_whitespace_around_the_object(void)
{
    CHECK(accepted("{\"a\":1}"));
    CHECK(accepted("{\"a\":1}\n"));
    CHECK(accepted("{\"a\":1}\r\n"));
    CHECK(accepted(" \t{\"a\":1} \t\r\n "));
    CHECK(accepted(""));
}

static void test_refused(void)
{
    int status;
    CHECK(!accepted("{\"a\":1}x"));
    CHECK(!accepted("{\"a\":1} {}"));
    CHECK(!accepted("{\"a\":1}\n\f"));
    CHECK(!accepted("[1]"));
    CHECK(!accepted(" "));
    CHECK(!accepted("{\"a\":\"x\\u0000y\"}"));
    CHECK(!accepted("{\"a\":\"\xff\"}"));
    CHECK(parse("{}", "application/x-www-form-urlencoded", &status) == NULL);
    CHECK_INT_EQ(status, 415);
    CHECK(parse("{} x", "application/json", &status) == NULL);
    CHECK_INT_EQ(status, 400);
}

int main(void)
{
    UNIT_RUN(test_whitespace_around_the_object);
    UNIT_RUN(test_refused);
    return UNIT_DONE();
}
