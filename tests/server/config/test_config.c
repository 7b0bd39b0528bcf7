/* test_config.c - unit tests for server/config: defaults, flags, JSON, layering, errors, --help.
 *
 * Everything goes through the public API in config.h, the way main.c uses
 * it. Config files are real temporary files so that --config is exercised
 * end to end. Each test frees what it builds, so ASan's leak check covers
 * every path, error paths included. */
#include "config/config.h"

#include "unit.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK_CONTAINS(hay, needle)                                                                \
    do {                                                                                           \
        if (strstr((hay), (needle)) == NULL) {                                                     \
            fprintf(stderr, "  %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,       \
                    (hay), (needle));                                                              \
            unit__current_failed = 1;                                                              \
        }                                                                                          \
    } while (0)

#define MAX_ARGS 32

/* Run edge_config_parse_args on a fresh config with the NULL-terminated
 * flags that follow; argv[0] is supplied. stdout is silenced (for --help). */
static int parse_flags(edge_config *cfg, char *err, size_t errlen, ...)
{
    char *argv[MAX_ARGS];
    int argc = 0, rc, saved, devnull;
    va_list ap;

    argv[argc++] = "c2c-edge";
    va_start(ap, errlen);
    for (char *a = va_arg(ap, char *); a != NULL && argc < MAX_ARGS; a = va_arg(ap, char *))
        argv[argc++] = a;
    va_end(ap);
    err[0] = '\0';
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    rc = edge_config_parse_args(cfg, argc, argv, err, errlen);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(devnull);
    return rc;
}

#define PARSE(cfg, err, ...) parse_flags((cfg), (err), sizeof(err), __VA_ARGS__, (char *)NULL)

static int parse_json(edge_config *cfg, char *err, size_t errlen, const char *json)
{
    err[0] = '\0';
    return edge_config_parse_json(cfg, json, strlen(json), err, errlen);
}

/* Write text to a new temporary file; its name goes into path. */
static void write_temp(char *path, size_t size, const char *text)
{
    const char *dir = getenv("TMPDIR");
    int fd;

    snprintf(path, size, "%s/c2c-config-XXXXXX", dir != NULL ? dir : "/tmp");
    fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    CHECK_INT_EQ(write(fd, text, strlen(text)), (long long)strlen(text));
    close(fd);
}

/* Expect flags to fail with an error containing want. */
#define EXPECT_FLAG_ERROR(want, ...)                                                               \
    do {                                                                                           \
        edge_config c_;                                                                            \
        char e_[256];                                                                              \
        edge_config_init(&c_);                                                                     \
        CHECK_INT_EQ(PARSE(&c_, e_, __VA_ARGS__), -1);                                             \
        CHECK_CONTAINS(e_, want);                                                                  \
        CHECK(strchr(e_, '\n') == NULL);                                                           \
        edge_config_free(&c_);                                                                     \
    } while (0)

/* Expect a JSON document to fail with an error containing want. */
#define EXPECT_JSON_ERROR(json, want)                                                              \
    do {                                                                                           \
        edge_config c_;                                                                            \
        char e_[256];                                                                              \
        edge_config_init(&c_);                                                                     \
        CHECK_INT_EQ(parse_json(&c_, e_, sizeof e_, json), -1);                                    \
        CHECK_CONTAINS(e_, want);                                                                  \
        CHECK(strchr(e_, '\n') == NULL);                                                           \
        edge_config_free(&c_);                                                                     \
    } while (0)

static void test_defaults(void)
{
    edge_config cfg;

    edge_config_init(&cfg);
    CHECK_STR_EQ(cfg.listen_host, "127.0.0.1");
    CHECK_INT_EQ(cfg.listen_port, 8080);
    CHECK_INT_EQ(cfg.static_roots.count, 2);
    CHECK_STR_EQ(cfg.static_roots.items[0], "dist");
    CHECK_STR_EQ(cfg.static_roots.items[1], "web");
    CHECK_STR_EQ(cfg.data_dir, "data");
    CHECK(cfg.jwks_file == NULL);
    CHECK(cfg.canned_file == NULL);
    CHECK(cfg.dispositions_file == NULL);
    CHECK(cfg.issuer == NULL);
    CHECK(cfg.audience == NULL);
    CHECK_INT_EQ(cfg.allow_origins.count, 0);
    CHECK_INT_EQ(cfg.demo, 0);
    CHECK_INT_EQ(cfg.record_calls, 0);
    CHECK_STR_EQ(cfg.api_prefix, "/api/");
    CHECK_INT_EQ(cfg.ice_servers.count, 0);
    CHECK_INT_EQ(cfg.dial_allow.count, 0);
    CHECK_INT_EQ(cfg.dial_deny.count, 2);
    CHECK_STR_EQ(cfg.dial_deny.items[0], "+1900");
    CHECK_STR_EQ(cfg.dial_deny.items[1], "+1976");
    CHECK_INT_EQ(cfg.dial_queues.count, 0);
    CHECK_INT_EQ(cfg.max_header_bytes, 16 * 1024);
    CHECK_INT_EQ(cfg.max_uri_bytes, 8 * 1024);
    CHECK_INT_EQ(cfg.max_body_bytes, 64 * 1024);
    CHECK_INT_EQ(cfg.max_token_bytes, 8 * 1024);
    CHECK_INT_EQ(cfg.max_connections, 10000);
    CHECK_INT_EQ(cfg.idle_timeout_ms, 60000);
    CHECK_INT_EQ(cfg.header_timeout_ms, 10000);
    CHECK_INT_EQ(cfg.body_timeout_ms, 30000);
    CHECK_INT_EQ(cfg.token_leeway_s, 60);
    CHECK_INT_EQ(cfg.shutdown_grace_ms, 10000);
    CHECK_INT_EQ(cfg.static_recheck_ms, 1000);
    CHECK_INT_EQ(cfg.static_max_file_bytes, 16 * 1024 * 1024);
    edge_config_free(&cfg);
    CHECK(cfg.listen_host == NULL && cfg.data_dir == NULL && cfg.static_roots.count == 0);
    edge_config_free(&cfg); /* a second free is harmless */
}

static void test_no_args_keeps_defaults(void)
{
    edge_config cfg;
    char err[256];
    char *argv[] = {"c2c-edge", NULL};

    edge_config_init(&cfg);
    CHECK_INT_EQ(edge_config_parse_args(&cfg, 1, argv, err, sizeof err), 0);
    CHECK_INT_EQ(edge_config_parse_args(&cfg, 0, argv, err, sizeof err), 0);
    CHECK_STR_EQ(cfg.listen_host, "127.0.0.1");
    CHECK_INT_EQ(cfg.static_roots.count, 2);
    edge_config_free(&cfg);
}

static void test_flags_every_type(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--listen", "0.0.0.0:9090", "--static", "a", "--static", "b/c",
                       "--data", "/var/c2c", "--jwks", "keys.json", "--issuer", "https://iss",
                       "--audience", "c2c", "--allow-origin", "https://x.example", "--demo",
                       "--api-prefix", "/v1/", "--ice-server", "stun:stun.example:3478",
                       "--max-body-bytes", "1000", "--max-connections", "5", "--idle-timeout-ms",
                       "1234", "--token-leeway-s", "0"),
                 0);
    CHECK_STR_EQ(err, "");
    CHECK_INT_EQ(PARSE(&cfg, err, "--canned", "canned.json", "--dispositions", "codes.json"), 0);
    CHECK_STR_EQ(cfg.canned_file, "canned.json");
    CHECK_STR_EQ(cfg.dispositions_file, "codes.json");
    CHECK_STR_EQ(cfg.listen_host, "0.0.0.0");
    CHECK_INT_EQ(cfg.listen_port, 9090);
    CHECK_INT_EQ(cfg.static_roots.count, 2);
    CHECK_STR_EQ(cfg.static_roots.items[0], "a");
    CHECK_STR_EQ(cfg.static_roots.items[1], "b/c");
    CHECK_STR_EQ(cfg.data_dir, "/var/c2c");
    CHECK_STR_EQ(cfg.jwks_file, "keys.json");
    CHECK_STR_EQ(cfg.issuer, "https://iss");
    CHECK_STR_EQ(cfg.audience, "c2c");
    CHECK_INT_EQ(cfg.allow_origins.count, 1);
    CHECK_STR_EQ(cfg.allow_origins.items[0], "https://x.example");
    CHECK_INT_EQ(cfg.demo, 1);
    CHECK_STR_EQ(cfg.api_prefix, "/v1/");
    CHECK_INT_EQ(cfg.ice_servers.count, 1);
    CHECK_STR_EQ(cfg.ice_servers.items[0], "stun:stun.example:3478");
    CHECK_INT_EQ(cfg.max_body_bytes, 1000);
    CHECK_INT_EQ(cfg.max_connections, 5);
    CHECK_INT_EQ(cfg.idle_timeout_ms, 1234);
    CHECK_INT_EQ(cfg.token_leeway_s, 0);
    edge_config_free(&cfg);
}

static void test_equals_form(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--listen=[::]:0", "--static=s1", "--issuer=a=b",
                       "--max-header-bytes=32k", "--header-timeout-ms=5", "--demo=true",
                       "--allow-origin=*", "--allow-origin=http://localhost:5173"),
                 0);
    CHECK_STR_EQ(cfg.listen_host, "::");
    CHECK_INT_EQ(cfg.listen_port, 0);
    CHECK_INT_EQ(cfg.static_roots.count, 1);
    CHECK_STR_EQ(cfg.static_roots.items[0], "s1");
    CHECK_STR_EQ(cfg.issuer, "a=b"); /* only the first '=' splits */
    CHECK_INT_EQ(cfg.max_header_bytes, 32 * 1024);
    CHECK_INT_EQ(cfg.header_timeout_ms, 5);
    CHECK_INT_EQ(cfg.demo, 1);
    CHECK_INT_EQ(cfg.allow_origins.count, 2);
    CHECK_STR_EQ(cfg.allow_origins.items[0], "*");
    CHECK_STR_EQ(cfg.allow_origins.items[1], "http://localhost:5173");
    /* --demo=false turns off what a config file turned on. */
    CHECK_INT_EQ(PARSE(&cfg, err, "--demo=false"), 0);
    CHECK_INT_EQ(cfg.demo, 0);
    edge_config_free(&cfg);
}

static void test_size_suffixes(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--max-body-bytes", "64K", "--max-header-bytes", "1M",
                       "--max-uri-bytes", "2k", "--static-max-file-bytes", "3m"),
                 0);
    CHECK_INT_EQ(cfg.max_body_bytes, 64 * 1024);
    CHECK_INT_EQ(cfg.max_header_bytes, 1024 * 1024);
    CHECK_INT_EQ(cfg.max_uri_bytes, 2048);
    CHECK_INT_EQ(cfg.static_max_file_bytes, 3 * 1024 * 1024);
    edge_config_free(&cfg);
    /* Suffixes are for sizes only; "k" on a count or a timeout is an error. */
    EXPECT_FLAG_ERROR("--max-connections: expected a whole number, got \"5k\"", "--max-connections",
                      "5k");
    EXPECT_FLAG_ERROR("--idle-timeout-ms: expected a number of milliseconds", "--idle-timeout-ms",
                      "1k");
    EXPECT_FLAG_ERROR("--max-body-bytes: expected a size, got \"1kb\"", "--max-body-bytes", "1kb");
}

static void test_listen_forms(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--listen", "[::1]:8443"), 0);
    CHECK_STR_EQ(cfg.listen_host, "::1");
    CHECK_INT_EQ(cfg.listen_port, 8443);
    CHECK_INT_EQ(PARSE(&cfg, err, "--listen", "[fe80::1%eth0]:65535"), 0);
    CHECK_STR_EQ(cfg.listen_host, "fe80::1%eth0");
    CHECK_INT_EQ(cfg.listen_port, 65535);
    CHECK_INT_EQ(PARSE(&cfg, err, "--listen", "localhost:0"), 0);
    CHECK_STR_EQ(cfg.listen_host, "localhost");
    CHECK_INT_EQ(cfg.listen_port, 0);
    edge_config_free(&cfg);

    EXPECT_FLAG_ERROR("--listen: put an IPv6 address in brackets", "--listen", "::1:8080");
    EXPECT_FLAG_ERROR("--listen: expected [IPV6]:PORT", "--listen", "[::1]");
    EXPECT_FLAG_ERROR("--listen: expected [IPV6]:PORT", "--listen", "[::1]8080");
    EXPECT_FLAG_ERROR("--listen: bad host", "--listen", "[]:80");
    EXPECT_FLAG_ERROR("--listen: bad host", "--listen", "[1.2.3.4]:80");
    EXPECT_FLAG_ERROR("--listen: bad host", "--listen", ":80");
    EXPECT_FLAG_ERROR("--listen: bad host", "--listen", "a b:80");
    EXPECT_FLAG_ERROR("--listen: expected HOST:PORT, got \"8080\"", "--listen", "8080");
    EXPECT_FLAG_ERROR("--listen: expected a port", "--listen", "host:65536");
    EXPECT_FLAG_ERROR("--listen: expected a port", "--listen", "host:");
    EXPECT_FLAG_ERROR("--listen: expected a port", "--listen", "host:-1");
    EXPECT_FLAG_ERROR("--listen: expected a port", "--listen", "host:80x");
    EXPECT_FLAG_ERROR("--listen: expected a port", "--listen", "host:99999999999999999999999");
}

static void test_json_every_type(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(parse_json(&cfg, err, sizeof err,
                            "{\"listen\": \"[::1]:7000\", \"static\": [\"x\", \"y\", \"z\"],"
                            " \"data\": \"d\", \"jwks\": \"j.json\", \"issuer\": \"i\","
                            " \"audience\": \"a\", \"allow-origin\": [\"https://o.example\"],"
                            " \"demo\": true, \"api-prefix\": \"/rpc/\","
                            " \"ice-server\": [\"turn:t.example\", \"stuns:s.example\"],"
                            " \"max-header-bytes\": 2048, \"max-uri-bytes\": 1024,"
                            " \"max-body-bytes\": \"1m\", \"max-token-bytes\": 4096,"
                            " \"max-connections\": 7, \"idle-timeout-ms\": 11,"
                            " \"header-timeout-ms\": 12, \"body-timeout-ms\": 13,"
                            " \"token-leeway-s\": 14, \"shutdown-grace-ms\": 0,"
                            " \"static-recheck-ms\": 16, \"static-max-file-bytes\": 17}"),
                 0);
    CHECK_STR_EQ(err, "");
    CHECK_STR_EQ(cfg.listen_host, "::1");
    CHECK_INT_EQ(cfg.listen_port, 7000);
    CHECK_INT_EQ(cfg.static_roots.count, 3);
    CHECK_STR_EQ(cfg.static_roots.items[2], "z");
    CHECK_STR_EQ(cfg.data_dir, "d");
    CHECK_STR_EQ(cfg.jwks_file, "j.json");
    CHECK_STR_EQ(cfg.issuer, "i");
    CHECK_STR_EQ(cfg.audience, "a");
    CHECK_INT_EQ(cfg.allow_origins.count, 1);
    CHECK_STR_EQ(cfg.allow_origins.items[0], "https://o.example");
    CHECK_INT_EQ(cfg.demo, 1);
    CHECK_STR_EQ(cfg.api_prefix, "/rpc/");
    CHECK_INT_EQ(cfg.ice_servers.count, 2);
    CHECK_STR_EQ(cfg.ice_servers.items[1], "stuns:s.example");
    CHECK_INT_EQ(cfg.max_header_bytes, 2048);
    CHECK_INT_EQ(cfg.max_uri_bytes, 1024);
    CHECK_INT_EQ(cfg.max_body_bytes, 1024 * 1024);
    CHECK_INT_EQ(cfg.max_token_bytes, 4096);
    CHECK_INT_EQ(cfg.max_connections, 7);
    CHECK_INT_EQ(cfg.idle_timeout_ms, 11);
    CHECK_INT_EQ(cfg.header_timeout_ms, 12);
    CHECK_INT_EQ(cfg.body_timeout_ms, 13);
    CHECK_INT_EQ(cfg.token_leeway_s, 14);
    CHECK_INT_EQ(cfg.shutdown_grace_ms, 0);
    CHECK_INT_EQ(cfg.static_recheck_ms, 16);
    CHECK_INT_EQ(cfg.static_max_file_bytes, 17);
    /* false, an empty list and an empty object are all fine. */
    CHECK_INT_EQ(parse_json(&cfg, err, sizeof err, "{\"demo\": false, \"static\": []}"), 0);
    CHECK_INT_EQ(cfg.demo, 0);
    CHECK_INT_EQ(cfg.static_roots.count, 0);
    CHECK_INT_EQ(parse_json(&cfg, err, sizeof err, " {}\n"), 0);
    edge_config_free(&cfg);
}

static void test_json_not_nul_terminated(void)
{
    edge_config cfg;
    char err[256];
    const char text[] = {'{', '"', 'd', 'a', 't', 'a', '"', ':', '"', 'q', '"', '}'};

    edge_config_init(&cfg);
    CHECK_INT_EQ(edge_config_parse_json(&cfg, text, sizeof text, err, sizeof err), 0);
    CHECK_STR_EQ(cfg.data_dir, "q");
    edge_config_free(&cfg);
}

static void test_layering(void)
{
    edge_config cfg;
    char err[512], path[256];

    write_temp(path, sizeof path,
               "{\"listen\": \"10.0.0.1:81\", \"static\": [\"j1\", \"j2\"], \"data\": \"jd\","
               " \"allow-origin\": [\"https://a.example\"], \"max-body-bytes\": 100,"
               " \"demo\": true}");
    edge_config_init(&cfg);
    /* --config comes last but is applied first: the flags still win. */
    CHECK_INT_EQ(PARSE(&cfg, err, "--listen", "127.0.0.1:82", "--static", "f1", "--config", path),
                 0);
    CHECK_STR_EQ(err, "");
    CHECK_STR_EQ(cfg.listen_host, "127.0.0.1");
    CHECK_INT_EQ(cfg.listen_port, 82);
    CHECK_INT_EQ(cfg.static_roots.count, 1); /* replaced, not ["j1", "j2", "f1"] */
    CHECK_STR_EQ(cfg.static_roots.items[0], "f1");
    CHECK_STR_EQ(cfg.data_dir, "jd");              /* from the file */
    CHECK_INT_EQ(cfg.allow_origins.count, 1);      /* from the file */
    CHECK_INT_EQ(cfg.max_body_bytes, 100);         /* from the file */
    CHECK_INT_EQ(cfg.demo, 1);                     /* from the file */
    CHECK_INT_EQ(cfg.max_header_bytes, 16 * 1024); /* default */
    edge_config_free(&cfg);

    /* Without list flags the file's list stands; --config=FILE works too. */
    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--config=", "--data", "fd"), -1); /* empty path */
    edge_config_free(&cfg);
    edge_config_init(&cfg);
    {
        char flag[300];
        snprintf(flag, sizeof flag, "--config=%s", path);
        CHECK_INT_EQ(PARSE(&cfg, err, flag, "--data", "fd", "--allow-origin", "*", "--allow-origin",
                           "https://b.example"),
                     0);
    }
    CHECK_INT_EQ(cfg.static_roots.count, 2);
    CHECK_STR_EQ(cfg.static_roots.items[1], "j2");
    CHECK_STR_EQ(cfg.data_dir, "fd");
    CHECK_INT_EQ(cfg.allow_origins.count, 2);
    CHECK_STR_EQ(cfg.allow_origins.items[0], "*");
    CHECK_STR_EQ(cfg.allow_origins.items[1], "https://b.example");
    edge_config_free(&cfg);
    unlink(path);
}

/* The dial policy lists: a flag replaces the default deny list. */
static void test_dial_flags(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--dial-allow", "+44", "--dial-allow", "+1703", "--dial-deny",
                       "+4470", "--dial-queue", "+44=uk", "--dial-queue", "+4420=london.1_a-b"),
                 0);
    CHECK_STR_EQ(err, "");
    CHECK_INT_EQ(cfg.dial_allow.count, 2);
    CHECK_STR_EQ(cfg.dial_allow.items[1], "+1703");
    CHECK_INT_EQ(cfg.dial_deny.count, 1);
    CHECK_STR_EQ(cfg.dial_deny.items[0], "+4470");
    CHECK_INT_EQ(cfg.dial_queues.count, 2);
    CHECK_STR_EQ(cfg.dial_queues.items[1], "+4420=london.1_a-b");
    edge_config_free(&cfg);
}

/* --store: SQLite in --data by default; redis://... taken as given (the app
 * parses the address), anything else refused with the flag's name. */
static void test_store_flag(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK(cfg.store_url == NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--store", "redis://127.0.0.1:6390/2"), 0);
    CHECK_STR_EQ(cfg.store_url, "redis://127.0.0.1:6390/2");
    CHECK_INT_EQ(PARSE(&cfg, err, "--store", "sqlite://data"), -1);
    CHECK(strstr(err, "store") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--store", "redis://"), -1);
    CHECK(strstr(err, "redis://HOST:PORT") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--store", ""), -1);
    CHECK(cfg.node_name == NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--node-name", "edge-2:8082"), 0);
    CHECK_STR_EQ(cfg.node_name, "edge-2:8082");
    CHECK_INT_EQ(PARSE(&cfg, err, "--node-name", "a b"), -1);
    CHECK(strstr(err, "node-name") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--node-name", ""), -1);
    edge_config_free(&cfg);
}

/* The SIP bridge's flags: defaults, checks, and routes needing a gateway. */
static void test_sip_flags(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK(cfg.sip_gateway == NULL);
    CHECK_INT_EQ(cfg.sip_routes.count, 0);
    CHECK_STR_EQ(cfg.sip_from, "sip:c2c@localhost");
    CHECK_INT_EQ(cfg.sip_answer_timeout_s, 60);
    CHECK_STR_EQ(cfg.sip_dtmf, "auto");
    CHECK_INT_EQ(PARSE(&cfg, err, "--sip-gateway", "http://127.0.0.1:8088/janus", "--sip-route",
                       "+1=sip:{e164}@pbx.example.com", "--sip-route", "+4420=sips:{number}@10.0.0.1:5061",
                       "--sip-from", "sip:shop@example.com", "--sip-answer-timeout-s", "2",
                       "--sip-dtmf", "info"),
                 0);
    CHECK_STR_EQ(err, "");
    CHECK_STR_EQ(cfg.sip_gateway, "http://127.0.0.1:8088/janus");
    CHECK_INT_EQ(cfg.sip_routes.count, 2);
    CHECK_STR_EQ(cfg.sip_routes.items[1], "+4420=sips:{number}@10.0.0.1:5061");
    CHECK_STR_EQ(cfg.sip_from, "sip:shop@example.com");
    CHECK_INT_EQ(cfg.sip_answer_timeout_s, 2);
    CHECK_STR_EQ(cfg.sip_dtmf, "info");
    CHECK_INT_EQ(PARSE(&cfg, err, "--sip-dtmf", "rfc2833"), -1);
    CHECK(strstr(err, "sip-dtmf") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--sip-answer-timeout-s", "0"), -1);
    CHECK(strstr(err, "sip-answer-timeout-s") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--sip-gateway", "https://127.0.0.1/janus"), -1);
    CHECK(strstr(err, "sip-gateway") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--sip-route", "+1=tel:{e164}"), -1);
    CHECK(strstr(err, "sip-route") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--sip-route", "1=sip:{e164}@pbx"), -1);
    CHECK_INT_EQ(PARSE(&cfg, err, "--sip-route", "+1=sip:a b@pbx"), -1);
    CHECK_INT_EQ(PARSE(&cfg, err, "--sip-from", "sip:<x>@pbx"), -1);
    CHECK(strstr(err, "sip-from") != NULL);
    edge_config_free(&cfg);

    edge_config_init(&cfg); /* a route without a gateway is a start-up error */
    CHECK_INT_EQ(PARSE(&cfg, err, "--sip-route", "+1=sip:{e164}@pbx.example.com"), -1);
    CHECK(strstr(err, "--sip-route needs --sip-gateway") != NULL);
    edge_config_free(&cfg);

    edge_config_init(&cfg); /* recording is the bridge's: off by default, needs a gateway */
    CHECK_INT_EQ(cfg.record_calls, 0);
    CHECK_INT_EQ(PARSE(&cfg, err, "--record-calls"), -1);
    CHECK(strstr(err, "--record-calls needs --sip-gateway") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--record-calls", "--sip-gateway", "http://127.0.0.1:8088/janus"),
                 0);
    CHECK_INT_EQ(cfg.record_calls, 1);
    edge_config_free(&cfg);
}

/* The contact-center timers: reference-code life, the no-agent timeout and
 * the ring timeout. */
static void test_contact_timeouts(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(cfg.adhoc_ttl_s, 900);
    CHECK_INT_EQ(cfg.no_agent_timeout_s, 120);
    CHECK_INT_EQ(PARSE(&cfg, err, "--adhoc-ttl-s", "60", "--no-agent-timeout-s", "0"), 0);
    CHECK_INT_EQ(cfg.adhoc_ttl_s, 60);
    CHECK_INT_EQ(cfg.no_agent_timeout_s, 0); /* 0 = calls wait for ever */
    CHECK_INT_EQ(PARSE(&cfg, err, "--adhoc-ttl-s", "0"), -1);
    CHECK(strstr(err, "adhoc-ttl-s") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--no-agent-timeout-s", "86401"), -1);
    CHECK(strstr(err, "no-agent-timeout-s") != NULL);
    edge_config_free(&cfg);

    edge_config_init(&cfg);
    CHECK(cfg.ref_link == NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--ref-link", "https://shop.example.com/help?lang=en"), 0);
    CHECK_STR_EQ(cfg.ref_link, "https://shop.example.com/help?lang=en");
    CHECK_INT_EQ(PARSE(&cfg, err, "--ref-link", "http://127.0.0.1:8080/"), 0);
    static const char *const bad_links[] = {"/help",
                                            "javascript:alert(1)",
                                            "https://",
                                            "https:///path",
                                            "https://a.example/x#frag",
                                            "https://a.example/a b",
                                            "https://a.example/\"q\"",
                                            "https://a.example/<x>",
                                            "ftp://a.example/"};
    for (size_t i = 0; i < sizeof(bad_links) / sizeof(bad_links[0]); i++) {
        CHECK_INT_EQ(PARSE(&cfg, err, "--ref-link", bad_links[i]), -1);
        CHECK(strstr(err, "ref-link") != NULL);
    }
    edge_config_free(&cfg);

    edge_config_init(&cfg);
    CHECK_INT_EQ(cfg.ring_timeout_s, 30);
    CHECK_INT_EQ(PARSE(&cfg, err, "--ring-timeout-s", "1"), 0);
    CHECK_INT_EQ(cfg.ring_timeout_s, 1);
    CHECK_INT_EQ(PARSE(&cfg, err, "--ring-timeout-s", "600"), 0);
    CHECK_INT_EQ(cfg.ring_timeout_s, 600);
    CHECK_INT_EQ(PARSE(&cfg, err, "--ring-timeout-s", "0"), -1); /* a ring always ends */
    CHECK(strstr(err, "ring-timeout-s") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--ring-timeout-s", "601"), -1);
    CHECK(strstr(err, "ring-timeout-s") != NULL);
    edge_config_free(&cfg);

    edge_config_init(&cfg);
    CHECK_INT_EQ(cfg.transcript_grace_s, 3600);
    CHECK_INT_EQ(PARSE(&cfg, err, "--transcript-grace-s", "0"), 0); /* 0: not at all */
    CHECK_INT_EQ(cfg.transcript_grace_s, 0);
    CHECK_INT_EQ(PARSE(&cfg, err, "--transcript-grace-s=2592000"), 0);
    CHECK_INT_EQ(cfg.transcript_grace_s, 2592000);
    CHECK_INT_EQ(PARSE(&cfg, err, "--transcript-grace-s", "-1"), -1);
    CHECK(strstr(err, "transcript-grace-s") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--transcript-grace-s", "2592001"), -1);
    CHECK(strstr(err, "transcript-grace-s") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--transcript-grace-s", "soon"), -1);
    CHECK(strstr(err, "transcript-grace-s") != NULL);
    edge_config_free(&cfg);
}

/* --retention-days: 30 by default, 0 keeps everything, at most 100 years. */
static void test_retention_days(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(cfg.retention_days, 30);
    CHECK_INT_EQ(PARSE(&cfg, err, "--retention-days", "0"), 0);
    CHECK_INT_EQ(cfg.retention_days, 0);
    CHECK_INT_EQ(PARSE(&cfg, err, "--retention-days=36500"), 0);
    CHECK_INT_EQ(cfg.retention_days, 36500);
    CHECK_INT_EQ(PARSE(&cfg, err, "--retention-days", "36501"), -1);
    CHECK(strstr(err, "retention-days") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--retention-days", "-1"), -1);
    CHECK(strstr(err, "retention-days") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--retention-days", "7d"), -1);
    CHECK(strstr(err, "retention-days") != NULL);
    edge_config_free(&cfg);
}

/* The abuse limits: N/PERIOD rates (default, flag, JSON string, 0), a
 * bad rate naming its option, and the two numbers beside them. */
static void test_limit_flags(void)
{
    edge_config cfg;
    char err[256];
    edge_config_init(&cfg);
    CHECK_INT_EQ(cfg.limit_dials.max, 5);
    CHECK_INT_EQ(cfg.limit_dials.window_ms, 60000);
    CHECK_INT_EQ(cfg.limit_messages.max, 20);
    CHECK_INT_EQ(cfg.limit_messages.window_ms, 10000);
    CHECK_INT_EQ(cfg.limit_redeems.max, 10);
    CHECK_INT_EQ(cfg.limit_redeems.window_ms, 600000);
    CHECK_INT_EQ(cfg.max_messages_per_contact, 5000);
    CHECK_INT_EQ(cfg.personal_queue_s, 120);
    CHECK_INT_EQ(PARSE(&cfg, err, "--limit-dials", "2/h", "--limit-messages=0",
                       "--limit-redeems", "3/30s", "--max-messages-per-contact", "0",
                       "--personal-queue-s", "1"),
                 0);
    CHECK_INT_EQ(cfg.limit_dials.max, 2);
    CHECK_INT_EQ(cfg.limit_dials.window_ms, 3600000);
    CHECK_INT_EQ(cfg.limit_messages.max, 0); /* no limit */
    CHECK_INT_EQ(cfg.limit_redeems.window_ms, 30000);
    CHECK_INT_EQ(cfg.max_messages_per_contact, 0);
    CHECK_INT_EQ(cfg.personal_queue_s, 1);
    static const char *const bad[][2] = {
        {"--limit-dials", "5"},         {"--limit-dials", "5/week"},
        {"--limit-messages", "0/10s"},  {"--limit-redeems", "x"},
        {"--limit-redeems", "10/10"},   {"--personal-queue-s", "0"},
        {"--personal-queue-s", "86401"}, {"--max-messages-per-contact", "-1"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_INT_EQ(PARSE(&cfg, err, bad[i][0], bad[i][1]), -1);
        CHECK(strstr(err, bad[i][0] + 2) != NULL);
        CHECK(strchr(err, '\n') == NULL);
    }
    CHECK_INT_EQ(parse_json(&cfg, err, sizeof err,
                            "{\"limit-dials\": \"7/min\", \"limit-messages\": 0,"
                            " \"limit-redeems\": \"0\"}"),
                 0);
    CHECK_INT_EQ(cfg.limit_dials.max, 7);
    CHECK_INT_EQ(cfg.limit_messages.max, 0);
    CHECK_INT_EQ(cfg.limit_redeems.max, 0);
    CHECK_INT_EQ(parse_json(&cfg, err, sizeof err, "{\"limit-dials\": 5}"), -1);
    CHECK(strstr(err, "limit-dials") != NULL);
    CHECK_INT_EQ(parse_json(&cfg, err, sizeof err, "{\"limit-dials\": \"5/fortnight\"}"), -1);
    CHECK(strstr(err, "limit-dials") != NULL);
    edge_config_free(&cfg);
}

/* Presence and liveness: the agent grace, the caller grace, the stream
 * bound per participant. */
static void test_presence_flags(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(cfg.agent_away_s, 30);
    CHECK_INT_EQ(cfg.caller_gone_s, 20);
    CHECK_INT_EQ(cfg.max_streams_per_participant, 4);
    CHECK_INT_EQ(PARSE(&cfg, err, "--agent-away-s", "0", "--caller-gone-s", "2",
                       "--max-streams-per-participant", "1"), 0);
    CHECK_INT_EQ(cfg.agent_away_s, 0); /* 0 = never */
    CHECK_INT_EQ(cfg.caller_gone_s, 2);
    CHECK_INT_EQ(cfg.max_streams_per_participant, 1);
    CHECK_INT_EQ(PARSE(&cfg, err, "--agent-away-s", "86401"), -1);
    CHECK(strstr(err, "agent-away-s") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--caller-gone-s", "-1"), -1);
    CHECK(strstr(err, "caller-gone-s") != NULL);
    CHECK_INT_EQ(PARSE(&cfg, err, "--max-streams-per-participant", "0"), -1);
    CHECK(strstr(err, "max-streams-per-participant") != NULL);
    edge_config_free(&cfg);
}

static void test_flag_list_replaces_defaults(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--static", "only"), 0);
    CHECK_INT_EQ(cfg.static_roots.count, 1);
    CHECK_STR_EQ(cfg.static_roots.items[0], "only");
    edge_config_free(&cfg);
}

static void test_replacing_values_frees(void)
{
    edge_config cfg;
    char err[256];

    /* Under ASan a leaked earlier value fails the run. */
    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--data", "a", "--data", "b", "--issuer", "x", "--issuer", "y",
                       "--listen", "h1:1", "--listen", "h2:2"),
                 0);
    CHECK_STR_EQ(cfg.data_dir, "b");
    CHECK_STR_EQ(cfg.issuer, "y");
    CHECK_STR_EQ(cfg.listen_host, "h1"); /* a second --listen is a second listener */
    CHECK_INT_EQ((int)cfg.listen_more.count, 1);
    CHECK_STR_EQ(cfg.listen_more.items[0], "h2:2");
    CHECK_INT_EQ(parse_json(&cfg, err, sizeof err,
                            "{\"data\": \"c\", \"static\": [\"s\"], \"listen\": \"h3:3\"}"),
                 0);
    CHECK_STR_EQ(cfg.data_dir, "c");
    CHECK_INT_EQ(cfg.static_roots.count, 1);
    /* An error half way leaves the config consistent and freeable. */
    CHECK_INT_EQ(PARSE(&cfg, err, "--data", "e", "--static", "t", "--max-body-bytes", "x"), -1);
    CHECK_STR_EQ(cfg.data_dir, "e");
    edge_config_free(&cfg);
}

static void test_list_limit(void)
{
    edge_config cfg;
    char err[256];
    char *argv[2 + 2 * (EDGE_CONFIG_MAX_LIST + 1)];
    int argc = 0;

    argv[argc++] = "c2c-edge";
    for (int i = 0; i < EDGE_CONFIG_MAX_LIST; i++) {
        argv[argc++] = "--static";
        argv[argc++] = "d";
    }
    edge_config_init(&cfg);
    CHECK_INT_EQ(edge_config_parse_args(&cfg, argc, argv, err, sizeof err), 0);
    CHECK_INT_EQ(cfg.static_roots.count, EDGE_CONFIG_MAX_LIST);
    argv[argc++] = "--static";
    argv[argc++] = "one-too-many";
    CHECK_INT_EQ(edge_config_parse_args(&cfg, argc, argv, err, sizeof err), -1);
    CHECK_CONTAINS(err, "--static: too many values (at most 16)");
    edge_config_free(&cfg);
}

static void test_flag_errors(void)
{
    EXPECT_FLAG_ERROR("unknown option --foo", "--foo");
    EXPECT_FLAG_ERROR("unknown option --foo", "--foo=1");
    EXPECT_FLAG_ERROR("unknown option --", "--");
    EXPECT_FLAG_ERROR("unexpected argument \"-x\"", "-x");
    EXPECT_FLAG_ERROR("unexpected argument \"stray\"", "--demo", "stray");
    EXPECT_FLAG_ERROR("--listen: missing value (HOST:PORT)", "--listen");
    EXPECT_FLAG_ERROR("--jwks: missing value (FILE)", "--jwks", "--demo");
    EXPECT_FLAG_ERROR("--config: missing value (FILE)", "--config");
    EXPECT_FLAG_ERROR("--max-body-bytes: expected a size, got \"abc\"", "--max-body-bytes", "abc");
    EXPECT_FLAG_ERROR("--max-body-bytes: expected a size, got \"-1\"", "--max-body-bytes", "-1");
    EXPECT_FLAG_ERROR("--max-body-bytes: expected a size, got \"\"", "--max-body-bytes=");
    EXPECT_FLAG_ERROR("--max-body-bytes: expected a size, got \" 5\"", "--max-body-bytes", " 5");
    EXPECT_FLAG_ERROR("--token-leeway-s: expected a number of seconds", "--token-leeway-s", "-5");
    EXPECT_FLAG_ERROR("--demo: expected true or false, got \"yes\"", "--demo=yes");
    EXPECT_FLAG_ERROR("--help takes no value", "--help=1");
    EXPECT_FLAG_ERROR("--data: expected a non-empty value", "--data=");
    EXPECT_FLAG_ERROR("--config: given more than once", "--config", "a", "--config", "b");
    EXPECT_FLAG_ERROR("--api-prefix: expected a path that starts and ends with /, got \"api\"",
                      "--api-prefix", "api");
    EXPECT_FLAG_ERROR("--api-prefix: expected a path", "--api-prefix", "/api");
    EXPECT_FLAG_ERROR("--allow-origin: expected * or scheme://host[:port] with no path",
                      "--allow-origin", "https://a.example/");
    EXPECT_FLAG_ERROR("--allow-origin: expected *", "--allow-origin", "a.example");
    EXPECT_FLAG_ERROR("--allow-origin: expected *", "--allow-origin", "null");
    EXPECT_FLAG_ERROR("--ice-server: expected a stun:", "--ice-server", "http://x");
    EXPECT_FLAG_ERROR("--ice-server: expected a stun:", "--ice-server", "turn:");
    EXPECT_FLAG_ERROR("--dial-allow: expected + and 1 to 15 digits", "--dial-allow", "44");
    EXPECT_FLAG_ERROR("--dial-deny: expected + and 1 to 15 digits", "--dial-deny", "+0");
    EXPECT_FLAG_ERROR("--dial-deny: expected + and 1 to 15 digits", "--dial-deny", "+");
    EXPECT_FLAG_ERROR("--dial-queue: expected PREFIX=QUEUE", "--dial-queue", "+44");
    EXPECT_FLAG_ERROR("--dial-queue: expected PREFIX=QUEUE", "--dial-queue", "+44=");
    EXPECT_FLAG_ERROR("--dial-queue: expected PREFIX=QUEUE", "--dial-queue", "44=uk");
    EXPECT_FLAG_ERROR("--dial-queue: expected PREFIX=QUEUE", "--dial-queue", "+44=u k");
    /* The first error is the one reported. */
    EXPECT_FLAG_ERROR("unknown option --first", "--first", "--second");
}

static void test_ranges(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--max-header-bytes", "1024", "--max-uri-bytes", "1024"), 0);
    CHECK_INT_EQ(PARSE(&cfg, err, "--max-header-bytes", "1m", "--max-body-bytes", "64m",
                       "--max-body-bytes", "0", "--shutdown-grace-ms", "0"),
                 0);
    CHECK_INT_EQ(cfg.max_body_bytes, 0);
    CHECK_INT_EQ(PARSE(&cfg, err, "--max-connections", "1", "--idle-timeout-ms", "1"), 0);
    /* The cross check runs after all flags: raising the header limit after
     * the URI limit in the same command line is fine. */
    CHECK_INT_EQ(PARSE(&cfg, err, "--max-header-bytes", "16k", "--max-uri-bytes", "32k",
                       "--max-header-bytes", "64k"),
                 0);
    edge_config_free(&cfg);

    EXPECT_FLAG_ERROR("--max-header-bytes: \"1023\" is out of range (1k to 1m)",
                      "--max-header-bytes", "1023");
    EXPECT_FLAG_ERROR("--max-header-bytes: \"1048577\" is out of range", "--max-header-bytes",
                      "1048577");
    EXPECT_FLAG_ERROR("--max-body-bytes: \"65m\" is out of range (0 to 64m)", "--max-body-bytes",
                      "65m");
    EXPECT_FLAG_ERROR("--max-connections: \"0\" is out of range (1 to", "--max-connections", "0");
    EXPECT_FLAG_ERROR("--idle-timeout-ms: \"0\" is out of range", "--idle-timeout-ms", "0");
    EXPECT_FLAG_ERROR("--header-timeout-ms: \"0\" is out of range", "--header-timeout-ms", "0");
    EXPECT_FLAG_ERROR("--body-timeout-ms: \"0\" is out of range", "--body-timeout-ms", "0");
    EXPECT_FLAG_ERROR("--token-leeway-s: \"3601\" is out of range", "--token-leeway-s", "3601");
    EXPECT_FLAG_ERROR("--max-body-bytes: \"99999999999999999999999\" is out of range",
                      "--max-body-bytes", "99999999999999999999999");
    EXPECT_FLAG_ERROR("--max-body-bytes: \"18014398509481984m\" is out of range",
                      "--max-body-bytes", "18014398509481984m");
    EXPECT_FLAG_ERROR("max-uri-bytes (32768) must not exceed max-header-bytes (16384)",
                      "--max-uri-bytes", "32k");
    EXPECT_JSON_ERROR("{\"max-uri-bytes\": 20000}",
                      "max-uri-bytes (20000) must not exceed max-header-bytes (16384)");
    EXPECT_JSON_ERROR("{\"max-body-bytes\": 67108865}",
                      "config: \"max-body-bytes\": 67108865 is out of range (0 to 64m)");
    EXPECT_JSON_ERROR("{\"max-body-bytes\": 1e300}", "\"max-body-bytes\": 1e+300 is out of range");
}

static void test_json_errors(void)
{
    EXPECT_JSON_ERROR("{\"lisen\": \"x:1\"}", "config: unknown key \"lisen\"");
    EXPECT_JSON_ERROR("{\"help\": true}", "unknown key \"help\"");
    EXPECT_JSON_ERROR("{\"config\": \"other.json\"}", "\"config\" is not allowed inside");
    EXPECT_JSON_ERROR("{\"data\": \"a\", \"data\": \"b\"}", "\"data\": given more than once");
    EXPECT_JSON_ERROR("{\"listen\": 8080}", "\"listen\": expected a string");
    EXPECT_JSON_ERROR("{\"data\": null}", "\"data\": expected a string");
    EXPECT_JSON_ERROR("{\"static\": \"dist\"}", "\"static\": expected an array of strings");
    EXPECT_JSON_ERROR("{\"static\": [\"a\", 1]}", "\"static\": expected an array of strings");
    EXPECT_JSON_ERROR("{\"static\": [\"\"]}", "\"static\": expected a non-empty value");
    EXPECT_JSON_ERROR("{\"demo\": \"true\"}", "\"demo\": expected true or false");
    EXPECT_JSON_ERROR("{\"demo\": 1}", "\"demo\": expected true or false");
    EXPECT_JSON_ERROR("{\"max-connections\": \"5\"}",
                      "\"max-connections\": expected a whole number as a JSON number");
    EXPECT_JSON_ERROR("{\"max-body-bytes\": \"lots\"}",
                      "\"max-body-bytes\": expected a size, got \"lots\"");
    EXPECT_JSON_ERROR("{\"max-body-bytes\": true}", "\"max-body-bytes\": expected a size");
    EXPECT_JSON_ERROR("{\"max-body-bytes\": -1}", "\"max-body-bytes\": expected a size, got -1");
    EXPECT_JSON_ERROR("{\"idle-timeout-ms\": 1.5}",
                      "\"idle-timeout-ms\": expected a number of milliseconds, got 1.5");
    EXPECT_JSON_ERROR("{\"listen\": \"nope\"}", "\"listen\": expected HOST:PORT");
    EXPECT_JSON_ERROR("{\"ice-server\": [\"ftp://x\"]}", "\"ice-server\": expected a stun:");
    EXPECT_JSON_ERROR("[\"listen\"]", "config: expected a JSON object at the top level");
    EXPECT_JSON_ERROR("\"x\"", "expected a JSON object");
    EXPECT_JSON_ERROR("{\"data\": \"a\",}", "config: invalid JSON at line 1");
    EXPECT_JSON_ERROR("{\n  \"data\": \"a\"\n  \"x\": 1}", "config: invalid JSON at line 3");
    EXPECT_JSON_ERROR("{} {}", "config: invalid JSON at line 1, column 4");
    EXPECT_JSON_ERROR("", "config: invalid JSON at line 1, column 1");
}

static void test_config_file_errors(void)
{
    edge_config cfg;
    char err[512], path[256], want[400];

    EXPECT_FLAG_ERROR("config file /nonexistent/c2c.json: cannot read: No such file or directory",
                      "--config", "/nonexistent/c2c.json");
    EXPECT_FLAG_ERROR("config file /: cannot read: Is a directory", "--config", "/");

    write_temp(path, sizeof path, "{\"lisen\": \"x:1\"}");
    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--config", path), -1);
    snprintf(want, sizeof want, "config file %s: unknown key \"lisen\"", path);
    CHECK_STR_EQ(err, want);
    edge_config_free(&cfg);
    unlink(path);

    write_temp(path, sizeof path, "{\n\"data\": }");
    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--config", path), -1);
    snprintf(want, sizeof want, "config file %s: invalid JSON at line 2", path);
    CHECK_CONTAINS(err, want);
    edge_config_free(&cfg);
    unlink(path);

    write_temp(path, sizeof path, "{\"max-body-bytes\": \"abc\"}");
    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--config", path), -1);
    snprintf(want, sizeof want, "config file %s: \"max-body-bytes\": expected a size, got \"abc\"",
             path);
    CHECK_STR_EQ(err, want);
    edge_config_free(&cfg);
    unlink(path);

    write_temp(path, sizeof path, "{\"config\": \"again.json\"}");
    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--config", path), -1);
    CHECK_CONTAINS(err, "\"config\" is not allowed inside a config file");
    edge_config_free(&cfg);
    unlink(path);

    write_temp(path, sizeof path, "");
    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--config", path), -1);
    CHECK_CONTAINS(err, "invalid JSON");
    edge_config_free(&cfg);
    unlink(path);
}

static void test_help(void)
{
    edge_config cfg;
    char err[256], *text = NULL;
    size_t len = 0;
    FILE *out;
    static const char *const names[] = {"--listen HOST:PORT",
                                        "--static DIR",
                                        "--data DIR",
                                        "--jwks FILE",
                                        "--issuer STR",
                                        "--audience STR",
                                        "--allow-origin ORIGIN",
                                        "--demo",
                                        "--api-prefix PATH",
                                        "--ice-server URL",
                                        "--max-header-bytes BYTES",
                                        "--max-uri-bytes BYTES",
                                        "--max-body-bytes BYTES",
                                        "--max-token-bytes BYTES",
                                        "--max-connections N",
                                        "--idle-timeout-ms MS",
                                        "--header-timeout-ms MS",
                                        "--body-timeout-ms MS",
                                        "--token-leeway-s S",
                                        "--transcript-grace-s S",
                                        "--shutdown-grace-ms MS",
                                        "--static-recheck-ms MS",
                                        "--static-max-file-bytes BYTES",
                                        "--config FILE",
                                        "-h, --help"};
    static const char *const defaults[] = {"Default: 127.0.0.1:8080.",
                                           "Default: dist, web.",
                                           "Default: data.",
                                           "Default: /api/.",
                                           "Default: 16k.",
                                           "Default: 8k.",
                                           "Default: 64k.",
                                           "Default: 10000.",
                                           "Default: 60000.",
                                           "Default: 16m.",
                                           "Default: 3600.",
                                           "Default: off.",
                                           "Default: none.",
                                           "Range: 1k to 1m.",
                                           "Range: 0 to 64m."};

    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--help"), 1);
    CHECK_INT_EQ(PARSE(&cfg, err, "-h"), 1);
    /* --help wins over other flags, even broken ones and a missing file. */
    CHECK_INT_EQ(PARSE(&cfg, err, "--bogus", "--config", "/nonexistent", "-h"), 1);
    /* ...but not when it is the value of another option. */
    CHECK_INT_EQ(PARSE(&cfg, err, "--issuer", "-h"), 0);
    CHECK_STR_EQ(cfg.issuer, "-h");
    edge_config_free(&cfg);

    out = open_memstream(&text, &len);
    CHECK(out != NULL);
    if (out == NULL)
        return;
    edge_config_print_help(out);
    fclose(out);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK_CONTAINS(text, names[i]);
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        CHECK_CONTAINS(text, defaults[i]);
    for (char *line = text; line != NULL && *line != '\0';) {
        char *nl = strchr(line, '\n');
        size_t n = nl != NULL ? (size_t)(nl - line) : strlen(line);
        CHECK(n <= 100);
        line = nl != NULL ? nl + 1 : NULL;
    }
    free(text);
}

static void test_small_error_buffer(void)
{
    edge_config cfg;
    char err[8];
    char *argv[] = {"c2c-edge", "--max-body-bytes", "a-very-long-bad-value", NULL};

    edge_config_init(&cfg);
    memset(err, 'x', sizeof err);
    CHECK_INT_EQ(edge_config_parse_args(&cfg, 3, argv, err, sizeof err), -1);
    CHECK_STR_EQ(err, "--max-b");
    CHECK_INT_EQ(edge_config_parse_args(&cfg, 3, argv, NULL, 0), -1);
    CHECK_INT_EQ(edge_config_parse_json(&cfg, "{\"x\":1}", 7, NULL, 0), -1);
    edge_config_free(&cfg);
}

static void test_long_value_is_cut_in_message(void)
{
    edge_config cfg;
    char err[512], value[300];

    memset(value, '7', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    value[10] = 'x';
    edge_config_init(&cfg);
    CHECK_INT_EQ(PARSE(&cfg, err, "--max-body-bytes", value), -1);
    CHECK_CONTAINS(err, "--max-body-bytes: expected a size, got \"7777777777x");
    CHECK_CONTAINS(err, "...\"");
    CHECK(strlen(err) < 120);
    /* Control characters never reach the terminal raw. */
    CHECK_INT_EQ(PARSE(&cfg, err, "--max-body-bytes", "1\x1b[2J"), -1);
    CHECK(strchr(err, '\x1b') == NULL);
    edge_config_free(&cfg);
}

/* HTTPS flags: pairs, defaults, ranges, --redirect-http needs certificates,
 * several --listen addresses from flags and from JSON. */
static void test_tls_flags(void)
{
    edge_config cfg;
    char err[256];

    edge_config_init(&cfg);
    CHECK_INT_EQ((int)cfg.tls_ticket_rotate_s, 3600);
    CHECK_INT_EQ((int)cfg.hsts_s, 0);
    CHECK(cfg.redirect_http == NULL && cfg.tls_certs.count == 0);
    CHECK_INT_EQ(PARSE(&cfg, err, "--tls-cert", "a.pem", "--tls-key", "a.key", "--tls-cert",
                       "b.pem", "--tls-key", "b.key", "--listen", "127.0.0.1:8443", "--listen",
                       "[::1]:8443", "--redirect-http", "127.0.0.1:8080", "--hsts", "31536000",
                       "--tls-ticket-rotate-s", "600"),
                 0);
    CHECK_INT_EQ((int)cfg.tls_certs.count, 2);
    CHECK_STR_EQ(cfg.tls_keys.items[1], "b.key");
    CHECK_STR_EQ(cfg.listen_host, "127.0.0.1");
    CHECK_INT_EQ(cfg.listen_port, 8443);
    CHECK_INT_EQ((int)cfg.listen_more.count, 1);
    CHECK_STR_EQ(cfg.listen_more.items[0], "[::1]:8443");
    CHECK_STR_EQ(cfg.redirect_http, "127.0.0.1:8080");
    CHECK_INT_EQ((int)cfg.hsts_s, 31536000);
    CHECK_INT_EQ((int)cfg.tls_ticket_rotate_s, 600);
    CHECK_INT_EQ(parse_json(&cfg, err, sizeof err, "{\"listen\": [\"h1:1\", \"h2:2\", \"h3:3\"]}"),
                 0);
    CHECK_STR_EQ(cfg.listen_host, "h1");
    CHECK_INT_EQ((int)cfg.listen_more.count, 2);
    CHECK_STR_EQ(cfg.listen_more.items[1], "h3:3");
    CHECK_INT_EQ(parse_json(&cfg, err, sizeof err, "{\"listen\": \"h4:4\"}"), 0);
    CHECK_INT_EQ((int)cfg.listen_more.count, 0);
    edge_config_free(&cfg);

    EXPECT_FLAG_ERROR("come in pairs", "--tls-cert", "a.pem");
    EXPECT_FLAG_ERROR("--redirect-http needs --tls-cert", "--redirect-http", "127.0.0.1:80");
    EXPECT_FLAG_ERROR("--redirect-http: expected HOST:PORT", "--tls-cert", "a", "--tls-key", "b",
                      "--redirect-http", "nowhere");
    EXPECT_FLAG_ERROR("--listen: bad host", "--listen", "a:1", "--listen", "a b:2");
    EXPECT_FLAG_ERROR("--tls-ticket-rotate-s", "--tls-ticket-rotate-s", "5");
    EXPECT_FLAG_ERROR("--hsts", "--hsts", "-1");
}

int main(void)
{
    UNIT_RUN(test_defaults);
    UNIT_RUN(test_no_args_keeps_defaults);
    UNIT_RUN(test_flags_every_type);
    UNIT_RUN(test_limit_flags);
    UNIT_RUN(test_equals_form);
    UNIT_RUN(test_size_suffixes);
    UNIT_RUN(test_listen_forms);
    UNIT_RUN(test_json_every_type);
    UNIT_RUN(test_json_not_nul_terminated);
    UNIT_RUN(test_layering);
    UNIT_RUN(test_dial_flags);
    UNIT_RUN(test_contact_timeouts);
    UNIT_RUN(test_retention_days);
    UNIT_RUN(test_presence_flags);
    UNIT_RUN(test_flag_list_replaces_defaults);
    UNIT_RUN(test_replacing_values_frees);
    UNIT_RUN(test_list_limit);
    UNIT_RUN(test_flag_errors);
    UNIT_RUN(test_ranges);
    UNIT_RUN(test_json_errors);
    UNIT_RUN(test_config_file_errors);
    UNIT_RUN(test_help);
    UNIT_RUN(test_sip_flags);
    UNIT_RUN(test_store_flag);
    UNIT_RUN(test_small_error_buffer);
    UNIT_RUN(test_long_value_is_cut_in_message);
    UNIT_RUN(test_tls_flags);
    return UNIT_DONE();
}
