/* test_sip_pure.c - the SIP bridge's pure parts: route matching and URI
 * templates (sip/sip_route.c), the INVITE's custom headers
 * (sip/sip_headers.c), and what Janus SIP plugin events and final SIP
 * statuses mean for a call (sip/sip_event.c). */
#include <string.h>

#include "sip/sip_event.h"
#include "sip/sip_headers.h"
#include "sip/sip_route.h"
#include "unit.h"

static void test_route_longest_prefix_wins(void)
{
    const char *items[] = {"+1=sip:{e164}@us.example", "+44=sip:{number}@uk.example",
                           "+4420=sips:london-{number}@10.0.0.1:5061;transport=tls", "bad"};
    edge_sip_routes r = {items, 4};
    CHECK_INT_EQ(edge_sip_route_find(&r, "+17035550122"), 0);
    CHECK_INT_EQ(edge_sip_route_find(&r, "+442079460958"), 2);
    CHECK_INT_EQ(edge_sip_route_find(&r, "+441632960961"), 1);
    CHECK_INT_EQ(edge_sip_route_find(&r, "+33142685300"), -1);
    edge_sip_routes none = {NULL, 0};
    CHECK_INT_EQ(edge_sip_route_find(&none, "+17035550122"), -1);
}

static void test_route_templates(void)
{
    const char *items[] = {"+1=sip:{e164}@us.example", "+44=sip:{number}@uk.example;x={number}",
                           "+33=sip:fixed@fr.example", "+49=sip:{numbe}@de.example"};
    edge_sip_routes r = {items, 4};
    char uri[EDGE_SIP_URI_MAX];
    CHECK_INT_EQ(edge_sip_route_uri(&r, 0, "+17035550122", uri, sizeof(uri)), 0);
    CHECK_STR_EQ(uri, "sip:+17035550122@us.example");
    CHECK_INT_EQ(edge_sip_route_uri(&r, 1, "+442079460958", uri, sizeof(uri)), 0);
    CHECK_STR_EQ(uri, "sip:442079460958@uk.example;x=442079460958");
    CHECK_INT_EQ(edge_sip_route_uri(&r, 2, "+33142685300", uri, sizeof(uri)), 0);
    CHECK_STR_EQ(uri, "sip:fixed@fr.example");
    CHECK_INT_EQ(edge_sip_route_uri(&r, 3, "+4930123456", uri, sizeof(uri)), 0);
    CHECK_STR_EQ(uri, "sip:{numbe}@de.example"); /* not a placeholder: kept as is */
    char small[16];
    CHECK_INT_EQ(edge_sip_route_uri(&r, 0, "+17035550122", small, sizeof(small)), -1);
    CHECK_STR_EQ(small, "");
    CHECK_INT_EQ(edge_sip_route_uri(&r, 4, "+17035550122", uri, sizeof(uri)), -1);
    CHECK_INT_EQ(edge_sip_route_uri(&r, -1, "+17035550122", uri, sizeof(uri)), -1);
}

static const char *hdr(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_headers_basic_and_sanitized(void)
{
    cJSON *h = edge_sip_headers_build(
        "ann@example.com", "c0ffee",
        "{\"orderId\":\"A-17\",\"odd key\\r\\nX-Evil\":\"v\\r\\nInjected: 1\","
        "\"caf\\u00e9\":\"cr\\u00e8me  br\\u00fbl\\u00e9e \",\"n\":5,\"empty\":\"\","
        "\"!!!\":\"x\",\"ORDERID\":\"dup\"}");
    CHECK_STR_EQ(hdr(h, "X-RequestorEmail"), "ann@example.com");
    CHECK_STR_EQ(hdr(h, "X-C2C-Contact-Id"), "c0ffee");
    CHECK_STR_EQ(hdr(h, "X-C2C-Attr-orderId"), "A-17");
    CHECK_STR_EQ(hdr(h, "X-C2C-Attr-odd-key--X-Evil"), "v??Injected: 1");
    CHECK_STR_EQ(hdr(h, "X-C2C-Attr-caf--"), "cr??me br??l??e"); /* UTF-8 bytes: ? each */
    CHECK(hdr(h, "X-C2C-Attr-n") == NULL);                       /* not a string */
    CHECK(hdr(h, "X-C2C-Attr-empty") == NULL);                   /* nothing left to send */
    CHECK_STR_EQ(hdr(h, "X-C2C-Attr----"), "x"); /* a key of symbols becomes dashes */
    CHECK(hdr(h, "X-C2C-Attr-ORDERID") == NULL); /* repeats a header, as SIP compares names */
    cJSON_Delete(h);

    h = edge_sip_headers_build("", "c1", NULL); /* no email: no X-RequestorEmail */
    CHECK(hdr(h, "X-RequestorEmail") == NULL);
    CHECK_INT_EQ(cJSON_GetArraySize(h), 1);
    cJSON_Delete(h);
    h = edge_sip_headers_build(NULL, "c1", "[1,2]"); /* not an object: ignored */
    CHECK_INT_EQ(cJSON_GetArraySize(h), 1);
    cJSON_Delete(h);
}

static void test_headers_bounded(void)
{
    /* 30 attributes with long keys and values: at most EDGE_SIP_ATTR_MAX go,
     * each cut to its bounds, all within EDGE_SIP_HEADERS_MAX_BYTES */
    cJSON *attrs = cJSON_CreateObject();
    char key[80], value[400];
    memset(value, 'v', sizeof(value) - 1);
    value[sizeof(value) - 1] = '\0';
    for (int i = 0; i < 30; i++) {
        memset(key, 'k', sizeof(key) - 1);
        key[sizeof(key) - 1] = '\0';
        key[0] = (char)('a' + i % 26);
        key[1] = (char)('a' + i / 26);
        cJSON_AddStringToObject(attrs, key, value);
    }
    char *text = cJSON_PrintUnformatted(attrs);
    cJSON *h = edge_sip_headers_build("ann@example.com", "c0ffee", text);
    size_t total = 0, n = 0;
    for (const cJSON *v = h->child; v; v = v->next, n++) {
        CHECK(strlen(v->valuestring) <= EDGE_SIP_VALUE_MAX);
        if (strncmp(v->string, "X-C2C-Attr-", 11) == 0)
            CHECK(strlen(v->string) - 11 <= EDGE_SIP_ATTR_KEY_MAX);
        total += strlen(v->string) + 2 + strlen(v->valuestring) + 2;
    }
    CHECK(n >= 3);
    CHECK(n <= 2 + EDGE_SIP_ATTR_MAX);
    CHECK(total <= EDGE_SIP_HEADERS_MAX_BYTES);
    CHECK_STR_EQ(hdr(h, "X-RequestorEmail"), "ann@example.com"); /* always first in */
    cJSON_Delete(h);
    cJSON_free(text);
    cJSON_Delete(attrs);

    char out[8];
    CHECK_INT_EQ((int)edge_sip_header_value("  a\tb  c ", out, sizeof(out)), 5);
    CHECK_STR_EQ(out, "a b c");
    CHECK_INT_EQ((int)edge_sip_header_value("abcdefghij", out, sizeof(out)), 7);
    CHECK_STR_EQ(out, "abcdefg");
}

static edge_sip_event parse(const char *json, uint64_t handle)
{
    cJSON *msg = cJSON_Parse(json);
    CHECK(msg != NULL);
    edge_sip_event ev;
    edge_sip_event_parse(msg, handle, &ev);
    CHECK(ev.sdp == NULL || strncmp(ev.sdp, "v=0", 3) == 0);
    ev.sdp = ev.sdp ? "answer" : NULL; /* msg goes now */
    cJSON_Delete(msg);
    return ev;
}

#define SIP_EV(result, extra)                                                                      \
    "{\"janus\":\"event\",\"session_id\":1,\"sender\":7,\"plugindata\":{\"plugin\":"               \
    "\"janus.plugin.sip\",\"data\":{\"sip\":\"event\",\"result\":" result "}}" extra "}"

static void test_events(void)
{
    edge_sip_event ev = parse(SIP_EV("{\"event\":\"registered\",\"username\":\"c2c\"}", ""), 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_REGISTERED);
    ev = parse(SIP_EV("{\"event\":\"calling\"}", ""), 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_CALLING);
    ev = parse(SIP_EV("{\"event\":\"ringing\"}", ""), 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_RINGING);
    ev = parse(SIP_EV("{\"event\":\"proceeding\",\"code\":180}", ""), 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_IGNORED);
    ev = parse(
        SIP_EV("{\"event\":\"progress\"}", ",\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\"}"), 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_PROGRESS);
    CHECK(ev.sdp != NULL);
    ev = parse(
        SIP_EV("{\"event\":\"accepted\"}", ",\"jsep\":{\"type\":\"answer\",\"sdp\":\"v=0\"}"), 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_ACCEPTED);
    CHECK(ev.sdp != NULL);
    ev = parse(SIP_EV("{\"event\":\"accepted\"}", ",\"jsep\":{\"type\":\"offer\",\"sdp\":\"v=0\"}"),
               7);
    CHECK(ev.sdp == NULL); /* only an answer is an answer */
    ev = parse(SIP_EV("{\"event\":\"hangup\",\"code\":486,\"reason\":\"Busy Here\"}", ""), 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_HANGUP);
    CHECK_INT_EQ(ev.code, 486);
    ev = parse(SIP_EV("{\"event\":\"dtmfsent\"}", ""), 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_DTMF_SENT);
    ev = parse(SIP_EV("{\"event\":\"hangup\",\"code\":486}", ""), 8); /* another handle */
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_IGNORED);
    ev = parse("{\"janus\":\"event\",\"sender\":7,\"plugindata\":{\"data\":{\"sip\":\"event\","
               "\"error_code\":449,\"error\":\"Wrong state\"}}}",
               7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_ERROR);
    CHECK_INT_EQ(ev.code, 449);
    ev = parse("{\"janus\":\"keepalive\"}", 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_IGNORED);
    ev = parse("{\"janus\":\"timeout\",\"session_id\":1}", 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_GONE);
    ev = parse("{\"janus\":\"detached\",\"sender\":7}", 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_GONE);
    ev = parse("{\"janus\":\"webrtcup\",\"sender\":7}", 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_IGNORED);
    ev = parse("[1]", 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_IGNORED);
    ev = parse(SIP_EV("{\"event\":42}", ""), 7);
    CHECK_INT_EQ(ev.kind, EDGE_SIP_EV_IGNORED);
}

static void test_end_reasons(void)
{
    CHECK_STR_EQ(edge_sip_end_reason(486), "busy");
    CHECK_STR_EQ(edge_sip_end_reason(600), "busy");
    CHECK_STR_EQ(edge_sip_end_reason(603), "declined");
    CHECK_STR_EQ(edge_sip_end_reason(408), "no_answer");
    CHECK_STR_EQ(edge_sip_end_reason(480), "no_answer");
    CHECK_STR_EQ(edge_sip_end_reason(404), "failed");
    CHECK_STR_EQ(edge_sip_end_reason(503), "failed");
    CHECK_STR_EQ(edge_sip_end_reason(0), "failed");
}

static void test_telephone_event(void)
{
    CHECK(edge_sip_sdp_has_telephone_event("v=0\r\nm=audio 9 RTP/AVP 0 101\r\na=rtpmap:0 "
                                           "PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"));
    CHECK(edge_sip_sdp_has_telephone_event("a=rtpmap:96 TELEPHONE-EVENT/48000\n"));
    CHECK(!edge_sip_sdp_has_telephone_event("v=0\r\na=rtpmap:0 PCMU/8000\r\n"
                                            "a=fmtp:0 telephone-event/8000\r\n"));
    CHECK(!edge_sip_sdp_has_telephone_event("a=rtpmap:0\r\na=x telephone-event/8000\r\n"));
    CHECK(!edge_sip_sdp_has_telephone_event(""));
    CHECK(!edge_sip_sdp_has_telephone_event(NULL));
}

int main(void)
{
    UNIT_RUN(test_route_longest_prefix_wins);
    UNIT_RUN(test_route_templates);
    UNIT_RUN(test_headers_basic_and_sanitized);
    UNIT_RUN(test_headers_bounded);
    UNIT_RUN(test_events);
    UNIT_RUN(test_end_reasons);
    UNIT_RUN(test_telephone_event);
    return UNIT_DONE();
}
