/* config.c - builds edge_config from defaults and the command line; holds the option table.
 *
 * Every option is one row of the const table edge__config_options[] below:
 * its name (the long flag without dashes and the JSON key), its type, where
 * it lives in edge_config, its range, its default in flag syntax and its help
 * text. The flag parser here, the JSON reader (config_json.c), --help
 * (config_help.c), edge_config_init and edge_config_free all walk that table,
 * so adding an option means adding one row (and one field in config.h).
 * Values from every source go through the same per-type setter in this file,
 * so a flag, a JSON string and a built-in default are checked alike; that is
 * why the setters are shared through config_internal.h rather than copied.
 *
 * Errors are one line, written into a caller-supplied buffer, and always name
 * the option or key at fault. Nothing here keeps state between calls; the
 * table is const. Allocation failure aborts (common/mem.h). */
#include "config/config.h"
#include "config/config_internal.h"

#include "common/errbuf.h"

#include "common/mem.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIB ((uint64_t)1024)
#define MIB ((uint64_t)1024 * 1024)

/* offsetof(edge_config, f), refusing to compile unless f has type T: the
 * setters write through these offsets, so a mismatch would corrupt memory. */
/* clang-format off */
#define FIELD(f, T) \
    (offsetof(edge_config, f) + 0 * sizeof(char[_Generic(((edge_config *)0)->f, T: 1, default: -1)]))
/* clang-format on */

#define STRING_OPT(name_, f, def_, check_, arg_, help_)                                            \
    {                                                                                              \
        .name = name_, .type = EDGE__OPT_STRING, .offset = FIELD(f, char *), .def = def_,          \
        .check = check_, .arg = arg_, .help = help_                                                \
    }
#define LIST_OPT(name_, f, def_list_, check_, arg_, help_)                                         \
    {                                                                                              \
        .name = name_, .type = EDGE__OPT_LIST, .offset = FIELD(f, edge_str_list),                  \
        .def_list = def_list_, .check = check_, .arg = arg_, .help = help_                         \
    }
#define NUMBER_OPT(name_, type_, f, T, min_, max_, def_, arg_, help_)                              \
    {                                                                                              \
        .name = name_, .type = type_, .offset = FIELD(f, T), .min = min_, .max = max_,             \
        .def = def_, .arg = arg_, .help = help_                                                    \
    }
#define SIZE_OPT(name_, f, min_, max_, def_, help_)                                                \
    NUMBER_OPT(name_, EDGE__OPT_SIZE, f, size_t, min_, max_, def_, "BYTES", help_)
#define RATE_OPT(name_, f, def_, help_)                                                            \
    {                                                                                              \
        .name = name_, .type = EDGE__OPT_RATE, .offset = FIELD(f, edge_rate), .def = def_,         \
        .arg = "N/PERIOD", .help = help_                                                           \
    }
#define MS_OPT(name_, f, min_, max_, def_, help_)                                                  \
    NUMBER_OPT(name_, EDGE__OPT_MS, f, uint64_t, min_, max_, def_, "MS", help_)

static const char *check_api_prefix(const char *value);
static const char *check_origin(const char *value);
static const char *check_ice_server(const char *value);
static const char *check_dial_prefix(const char *value);
static const char *check_dial_queue(const char *value);
static const char *check_listen(const char *value);
static const char *check_sip_gateway(const char *value);
static const char *check_sip_route(const char *value);
static const char *check_sip_uri(const char *value);
static const char *check_sip_dtmf(const char *value);
static const char *check_ref_link(const char *value);
static const char *check_store(const char *value);
static const char *check_node_name(const char *value);

static const char *const default_static_roots[] = {"dist", "web", NULL};
static const char *const default_dial_deny[] = {"+1900", "+1976", NULL}; /* premium rate */

const edge__config_opt edge__config_options[] = {
    {.name = "listen",
     .type = EDGE__OPT_LISTEN,
     .def = "127.0.0.1:8080",
     .arg = "HOST:PORT",
     .help = "Address to listen on: an IPv4 address or host name, or an IPv6 address in "
             "brackets such as [::1]:8080. Port 0 picks a free port. Repeatable: every "
             "address serves the same site, all over HTTPS when --tls-cert is given."},
    LIST_OPT("tls-cert", tls_certs, NULL, NULL, "FILE",
             "PEM certificate chain (ECDSA P-256 or RSA) to serve HTTPS with; repeatable, each "
             "paired with the --tls-key at the same position. A client's SNI name picks the "
             "pair; the first is the default. Makes every --listen address HTTPS."),
    LIST_OPT("tls-key", tls_keys, NULL, NULL, "FILE",
             "PEM private key of the --tls-cert at the same position."),
    NUMBER_OPT("tls-ticket-rotate-s", EDGE__OPT_SECONDS, tls_ticket_rotate_s, int64_t, 60,
               7 * 86400, "3600", "S",
               "How often the session-ticket key changes; a ticket resumes a session for up to "
               "twice this long."),
    STRING_OPT("redirect-http", redirect_http, NULL, check_listen, "HOST:PORT",
               "Also listen for plain HTTP here and answer every request with 308 to the same "
               "URL over https (except /healthz); needs --tls-cert."),
    NUMBER_OPT("hsts", EDGE__OPT_SECONDS, hsts_s, int64_t, 0, 2 * 365 * 86400, "0", "SECONDS",
               "Send Strict-Transport-Security: max-age=SECONDS on HTTPS responses; 0 sends none."),
    LIST_OPT("static", static_roots, default_static_roots, NULL, "DIR",
             "Directory of static files to serve; repeat for more roots, searched in order."),
    STRING_OPT("data", data_dir, "data", NULL, "DIR", "Directory for the server's own data."),
    STRING_OPT("store", store_url, NULL, check_store, "URL",
               "Keep the contact-center state in Redis at redis://HOST:PORT[/DB] (HOST an IP "
               "address or localhost), shared by every node given the same URL; default: the "
               "SQLite store in --data, for one node."),
    STRING_OPT("node-name", node_name, NULL, check_node_name, "NAME",
               "This node's name in the --store Redis (1 to 63 of A-Z a-z 0-9 . _ : -), unique "
               "among the nodes and the same across restarts: presence is counted per node, and "
               "a restarted node forgets only its own streams; default: the host name and the "
               "first --listen port."),
    STRING_OPT("jwks", jwks_file, NULL, NULL, "FILE",
               "JWKS file holding the public keys that sign access tokens."),
    STRING_OPT("canned", canned_file, NULL, NULL, "FILE",
               "JSON file of canned responses every agent may insert: [{\"title\": ..., "
               "\"text\": ...}]; read at start (a bad file stops the server)."),
    STRING_OPT("dispositions", dispositions_file, NULL, NULL, "FILE",
               "JSON file of the disposition codes an agent closes a contact with: "
               "[{\"code\": ..., \"label\": ...}]; default resolved, follow_up, escalated, "
               "no_response, other."),
    STRING_OPT("issuer", issuer, NULL, NULL, "STR",
               "Required token issuer (iss); not checked when unset."),
    STRING_OPT("audience", audience, NULL, NULL, "STR",
               "Required token audience (aud); not checked when unset."),
    LIST_OPT("allow-origin", allow_origins, NULL, check_origin, "ORIGIN",
             "Origin allowed cross-origin requests (CORS), such as https://example.com, or * "
             "for any; repeatable."),
    {.name = "demo",
     .type = EDGE__OPT_BOOL,
     .offset = FIELD(demo, int),
     .help = "Mint demo tokens for local testing; never use in production."},
    {.name = "es256-allow-high-s",
     .type = EDGE__OPT_BOOL,
     .offset = FIELD(es256_allow_high_s, int),
     .help = "Accept ES256 signatures whose s is above n/2. Off by default (one token, one "
             "spelling); turn it on only if your issuer signs without normalizing s (OpenSSL, "
             "Node.js and Java do not), or about half its tokens get 401 invalid_signature."},
    STRING_OPT("api-prefix", api_prefix, "/api/", check_api_prefix, "PATH",
               "URL path under which the JSON API is served; starts and ends with /."),
    LIST_OPT("ice-server", ice_servers, NULL, check_ice_server, "URL",
             "STUN or TURN server (stun:, stuns:, turn: or turns: URL) handed to callers; "
             "repeatable."),
    LIST_OPT("dial-allow", dial_allow, NULL, check_dial_prefix, "PREFIX",
             "E.164 prefix (such as +44) callers may dial; repeatable. When none is given, "
             "every number not denied may be dialled."),
    LIST_OPT("dial-deny", dial_deny, default_dial_deny, check_dial_prefix, "PREFIX",
             "E.164 prefix callers may never dial; repeatable. Wins over --dial-allow."),
    LIST_OPT("dial-queue", dial_queues, NULL, check_dial_queue, "PREFIX=QUEUE",
             "Calls to numbers starting with PREFIX wait in QUEUE; repeatable, the longest "
             "matching prefix wins, other calls go to the default queue."),
    STRING_OPT("sip-gateway", sip_gateway, NULL, check_sip_gateway, "URL",
               "Janus's HTTP API (http://HOST:PORT/janus, HOST an IP address or localhost): "
               "calls to numbers with a --sip-route go out through its SIP plugin."),
    LIST_OPT("sip-route", sip_routes, NULL, check_sip_route, "PREFIX=URI",
             "Calls to numbers starting with PREFIX go to the SIP URI (sip: or sips:; {number} "
             "is the number without +, {e164} with it); repeatable, the longest matching "
             "prefix wins. Needs --sip-gateway."),
    STRING_OPT("sip-from", sip_from, "sip:c2c@localhost", check_sip_uri, "URI",
               "The SIP identity (From) bridged calls come from: the caller ID."),
    NUMBER_OPT("sip-answer-timeout-s", EDGE__OPT_SECONDS, sip_answer_timeout_s, int64_t, 1, 600,
               "60", "S", "A bridged call the far end has not answered this long ends (no_answer)."),
    STRING_OPT("sip-dtmf", sip_dtmf, "auto", check_sip_dtmf, "MODE",
               "How keypad digits reach a bridged call: rfc4733 (the caller's browser sends "
               "telephone-events), info (SIP INFO through the gateway) or auto (rfc4733 when the "
               "far end's answer offers telephone-event, else info)."),
    {.name = "record-calls",
     .type = EDGE__OPT_BOOL,
     .offset = FIELD(record_calls, int),
     .help = "Record bridged SIP calls (both legs, by Janus, which must be able to write to "
             "--data/recordings/raw) and keep one WAV per call in --data/recordings, for "
             "supervisors (GET /api/recordings/ID). Off by default."},
    SIZE_OPT("max-header-bytes", max_header_bytes, 1 * KIB, 1 * MIB, "16k",
             "Largest request line plus headers."),
    SIZE_OPT("max-uri-bytes", max_uri_bytes, 64, 1 * MIB, "8k",
             "Longest request target; at most max-header-bytes."),
    SIZE_OPT("max-body-bytes", max_body_bytes, 0, 64 * MIB, "64k", "Largest request body."),
    SIZE_OPT("max-token-bytes", max_token_bytes, 256, 1 * MIB, "8k", "Longest access token."),
    NUMBER_OPT("max-connections", EDGE__OPT_COUNT, max_connections, unsigned, 1, 1000000, "10000",
               "N", "Most connections open at once."),
    MS_OPT("idle-timeout-ms", idle_timeout_ms, 1, 86400000, "60000",
           "How long a keep-alive connection may sit idle."),
    MS_OPT("header-timeout-ms", header_timeout_ms, 1, 3600000, "10000",
           "How long the whole request head may take to arrive."),
    MS_OPT("body-timeout-ms", body_timeout_ms, 1, 3600000, "30000",
           "How long the whole request body may take to arrive."),
    NUMBER_OPT("token-leeway-s", EDGE__OPT_SECONDS, token_leeway_s, int64_t, 0, 3600, "60", "S",
               "Clock skew allowed when checking a token's exp, nbf and iat."),
    NUMBER_OPT("token-fail-limit", EDGE__OPT_COUNT, token_fail_limit, unsigned, 0, 1000000, "100",
               "N", "Tokens whose signature does not verify (forgeries: verifying one costs up "
               "to a millisecond) allowed per client address (IPv6: per /64) in 10 s; past it, "
               "that address's new tokens get 429 until the 10 s are up. 0: no limit (behind "
               "a reverse proxy every client has the proxy's address)."),
    NUMBER_OPT("no-agent-timeout-s", EDGE__OPT_SECONDS, no_agent_timeout_s, int64_t, 0, 86400,
               "120", "S", "A call still waiting for an agent after this long ends; 0 never."),
    NUMBER_OPT("ring-timeout-s", EDGE__OPT_SECONDS, ring_timeout_s, int64_t, 1, 600, "30", "S",
               "A call ringing an agent this long without an answer rings the next idle agent, "
               "or waits in the queue again."),
    NUMBER_OPT("retention-days", EDGE__OPT_COUNT, retention_days, unsigned, 0, 36500, "30", "N",
               "Contacts that ended more than N days ago are deleted with their transcripts, "
               "events and participants (and reference codes expired that long); 0 keeps "
               "everything."),
    NUMBER_OPT("transcript-grace-s", EDGE__OPT_SECONDS, transcript_grace_s, int64_t, 0, 30 * 86400,
               "3600", "S",
               "How long after a contact ends its customer's ParticipantToken may still read "
               "the transcript; 0: not at all. An agent's token stops working at the end."),
    RATE_OPT("limit-dials", limit_dials, "5/min",
             "Dial attempts allowed per identity (sub), such as 5/min or 20/10s (PERIOD: s, min "
             "or h, optionally with a count); past it 429 rate_limited. 0: no limit. An "
             "identity also has at most one call that has not ended."),
    RATE_OPT("limit-messages", limit_messages, "20/10s",
             "Chat messages allowed per participant; past it 429 rate_limited. 0: no limit."),
    RATE_OPT("limit-redeems", limit_redeems, "10/10min",
             "Reference-code redeems (startChatContact with Attributes.videoReferenceId) "
             "allowed per identity and, separately, per client address (IPv6: per /64); past "
             "either 429 rate_limited. 0: no limit."),
    NUMBER_OPT("max-messages-per-contact", EDGE__OPT_COUNT, max_messages_per_contact, unsigned, 0,
               100000000, "5000", "N",
               "Messages a contact's transcript may hold; past it the contact takes no more "
               "(409 contact_full). 0: no cap."),
    NUMBER_OPT("personal-queue-s", EDGE__OPT_SECONDS, personal_queue_s, int64_t, 1, 86400, "120",
               "S", "A chat waiting in an agent's personal queue (it came with that agent's "
               "reference code) is that agent's alone for this long, then falls back to the "
               "default queue."),
    NUMBER_OPT("agent-away-s", EDGE__OPT_SECONDS, agent_away_s, int64_t, 0, 86400, "30", "S",
               "An available agent with no agent event stream open this long goes offline, "
               "and a call ringing them moves on; 0 never."),
    NUMBER_OPT("caller-gone-s", EDGE__OPT_SECONDS, caller_gone_s, int64_t, 0, 86400, "20", "S",
               "A call whose caller has had no event stream open this long ends "
               "(caller_gone); 0 never."),
    NUMBER_OPT("max-streams-per-participant", EDGE__OPT_COUNT, max_streams_per_participant,
               unsigned, 1, 1000, "4", "N",
               "Event streams one ParticipantToken (or one agent) may hold open; one more "
               "ends the oldest."),
    NUMBER_OPT("adhoc-ttl-s", EDGE__OPT_SECONDS, adhoc_ttl_s, int64_t, 1, 7 * 86400, "900", "S",
               "How long an agent's ad-hoc reference code stays valid."),
    STRING_OPT("ref-link", ref_link, NULL, check_ref_link, "URL",
               "The page with the widget, such as https://example.com/help: a reference code's "
               "link is then this absolute URL plus ?c2c-ref=CODE, which the widget opens and "
               "turns into a link when an agent sends it. Unset: the relative "
               "/?videoReferenceId=CODE."),
    MS_OPT("shutdown-grace-ms", shutdown_grace_ms, 0, 600000, "10000",
           "Longest wait for in-flight requests when shutting down."),
    MS_OPT("static-recheck-ms", static_recheck_ms, 0, 3600000, "1000",
           "How often a cached static file is checked for changes; 0 checks on every request."),
    SIZE_OPT("static-max-file-bytes", static_max_file_bytes, 1, 1024 * MIB, "16m",
             "Static files larger than this are not served."),
    {.name = "config",
     .type = EDGE__OPT_CONFIG,
     .arg = "FILE",
     .help = "JSON file of options, keyed by the names above without dashes, e.g. "
             "{\"listen\": \"[::1]:8080\", \"static\": [\"dist\"]}. Read before the rest of the "
             "command line, which overrides it."},
    {.name = "help", .type = EDGE__OPT_HELP, .help = "Print this help and exit."},
};

enum { N_OPTIONS = sizeof edge__config_options / sizeof edge__config_options[0] };
_Static_assert(N_OPTIONS <= EDGE__CONFIG_MAX_OPTIONS, "raise EDGE__CONFIG_MAX_OPTIONS");

const size_t edge__config_n_options = N_OPTIONS;

/* Like edge_errf, prefixed with the option and where its value came from:
 * "--name: ..." on the command line, "SOURCE: \"name\": ..." in JSON. */
int edge__config_fail(const edge__config_ctx *c, const edge__config_opt *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (c->err == NULL || c->errlen == 0)
        return -1;
    if (c->source != NULL)
        n = snprintf(c->err, c->errlen, "%s: \"%s\": ", c->source, o->name);
    else
        n = snprintf(c->err, c->errlen, "--%s: ", o->name);
    if (n >= 0 && (size_t)n < c->errlen) {
        va_start(ap, fmt);
        vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* s in double quotes for an error message, cut short with "..." and with
 * control bytes shown as '?', so that odd input cannot garble the line.
 * buf must hold at least 6 bytes; returns buf. */
const char *edge__config_quote(char *buf, size_t size, const char *s)
{
    size_t n = 0;

    buf[n++] = '"';
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (n + 5 >= size) { /* room left for exactly ..." and the NUL */
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        buf[n++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return buf;
}

const edge__config_opt *edge__config_find(const char *name, size_t len)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (strlen(edge__config_options[i].name) == len &&
            memcmp(edge__config_options[i].name, name, len) == 0)
            return &edge__config_options[i];
    }
    return NULL;
}

void *edge__config_field(const edge__config_ctx *c, const edge__config_opt *o)
{
    return (char *)c->cfg + o->offset;
}

void edge__config_list_clear(edge_str_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i]);
        list->items[i] = NULL;
    }
    list->count = 0;
}

/* The empty string is never a meaningful value; then the row's own check. */
static int check_text(const edge__config_ctx *c, const edge__config_opt *o, const char *text)
{
    char q[EDGE__CONFIG_QUOTE_BUF];
    const char *why;

    if (text[0] == '\0')
        return edge__config_fail(c, o, "expected a non-empty value");
    why = o->check != NULL ? o->check(text) : NULL;
    if (why != NULL)
        return edge__config_fail(c, o, "%s, got %s", why, edge__config_quote(q, sizeof q, text));
    return 0;
}

/* Replace a string option; the old value is freed. */
static int set_string(const edge__config_ctx *c, const edge__config_opt *o, const char *text)
{
    char **field = edge__config_field(c, o);

    if (check_text(c, o, text) != 0)
        return -1;
    free(*field);
    *field = edge_xstrdup(text);
    return 0;
}

static int list_append(const edge__config_ctx *c, const edge__config_opt *o, const char *text)
{
    edge_str_list *list = edge__config_field(c, o);

    if (check_text(c, o, text) != 0)
        return -1;
    if (list->count == EDGE_CONFIG_MAX_LIST)
        return edge__config_fail(c, o, "too many values (at most %d)", EDGE_CONFIG_MAX_LIST);
    list->items[list->count++] = edge_xstrdup(text);
    return 0;
}

/* Parse a decimal number, optionally followed by k/K (KiB) or m/M (MiB)
 * when suffixes are allowed. No sign, no spaces. A value too large for
 * uint64_t saturates to UINT64_MAX, which every range then rejects, so
 * overflow reads as "out of range" rather than "not a number". */
static int parse_u64(const char *s, bool suffix_ok, uint64_t *out)
{
    uint64_t v = 0, mult = 1;

    if (*s < '0' || *s > '9')
        return -1;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
    }
    if (suffix_ok && (*s == 'k' || *s == 'K'))
        mult = KIB, s++;
    else if (suffix_ok && (*s == 'm' || *s == 'M'))
        mult = MIB, s++;
    if (*s != '\0')
        return -1;
    *out = v > UINT64_MAX / mult ? UINT64_MAX : v * mult;
    return 0;
}

/* v as text: sizes that are whole KiB or MiB use the suffix, as in --help. */
const char *edge__config_format_number(char *buf, size_t size, edge__config_opt_type type,
                                       uint64_t v)
{
    if (type == EDGE__OPT_SIZE && v != 0 && v % MIB == 0)
        snprintf(buf, size, "%" PRIu64 "m", v / MIB);
    else if (type == EDGE__OPT_SIZE && v != 0 && v % KIB == 0)
        snprintf(buf, size, "%" PRIu64 "k", v / KIB);
    else
        snprintf(buf, size, "%" PRIu64, v);
    return buf;
}

bool edge__config_is_number(edge__config_opt_type type)
{
    return type == EDGE__OPT_SIZE || type == EDGE__OPT_COUNT || type == EDGE__OPT_MS ||
           type == EDGE__OPT_SECONDS;
}

const char *edge__config_number_noun(edge__config_opt_type type)
{
    switch (type) {
    case EDGE__OPT_SIZE:
        return "a size";
    case EDGE__OPT_MS:
        return "a number of milliseconds";
    case EDGE__OPT_SECONDS:
        return "a number of seconds";
    default:
        return "a whole number";
    }
}

/* Range-check v and store it in the row's field; shown is v as the user
 * wrote it, for the error message. */
int edge__config_store_number(const edge__config_ctx *c, const edge__config_opt *o, uint64_t v,
                              const char *shown)
{
    char lo[32], hi[32];
    void *field = edge__config_field(c, o);

    if (v < o->min || v > o->max)
        return edge__config_fail(c, o, "%s is out of range (%s to %s)", shown,
                                 edge__config_format_number(lo, sizeof lo, o->type, o->min),
                                 edge__config_format_number(hi, sizeof hi, o->type, o->max));
    switch (o->type) {
    case EDGE__OPT_SIZE:
        *(size_t *)field = (size_t)v;
        break;
    case EDGE__OPT_COUNT:
        *(unsigned *)field = (unsigned)v;
        break;
    case EDGE__OPT_MS:
        *(uint64_t *)field = v;
        break;
    case EDGE__OPT_SECONDS:
        *(int64_t *)field = (int64_t)v;
        break;
    default:
        break;
    }
    return 0;
}

static int set_number_text(const edge__config_ctx *c, const edge__config_opt *o, const char *text)
{
    char q[EDGE__CONFIG_QUOTE_BUF];
    uint64_t v;

    edge__config_quote(q, sizeof q, text);
    if (parse_u64(text, o->type == EDGE__OPT_SIZE, &v) != 0)
        return edge__config_fail(c, o, "expected %s, got %s", edge__config_number_noun(o->type), q);
    return edge__config_store_number(c, o, v, q);
}

static int set_rate_text(const edge__config_ctx *c, const edge__config_opt *o, const char *text)
{
    char q[EDGE__CONFIG_QUOTE_BUF];
    edge_rate r;

    if (text == NULL || edge_rate_parse(text, &r) != 0)
        return edge__config_fail(c, o,
                                 "expected N/PERIOD such as 20/10s, 5/min or 10/10min (PERIOD: "
                                 "s, min or h), or 0, got %s",
                                 edge__config_quote(q, sizeof q, text ? text : ""));
    *(edge_rate *)edge__config_field(c, o) = r;
    return 0;
}

static int set_bool_text(const edge__config_ctx *c, const edge__config_opt *o, const char *text)
{
    char q[EDGE__CONFIG_QUOTE_BUF];
    int *field = edge__config_field(c, o);

    if (text == NULL || strcmp(text, "true") == 0)
        *field = 1;
    else if (strcmp(text, "false") == 0)
        *field = 0;
    else
        return edge__config_fail(c, o, "expected true or false, got %s",
                                 edge__config_quote(q, sizeof q, text));
    return 0;
}

/* Host names and IP literals only; anything else (spaces, '/', '@'...) is a
 * typo that would otherwise surface later as a puzzling resolver error. */
static bool host_ok(const char *host, size_t len, bool ipv6)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = host[i];
        bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                     (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
        if (!plain && !(ipv6 && (ch == ':' || ch == '%')))
            return false;
    }
    return true;
}

/* HOST:PORT or [IPV6]:PORT. A bare IPv6 address is refused: in "::1:8080"
 * nobody can tell where the address ends. On success *host is a new string
 * (caller frees) and *port the port; else -1 with what was wrong in why. */
static int parse_listen(const char *text, char **host_out, int *port_out, char *why, size_t whylen)
{
    char q[EDGE__CONFIG_QUOTE_BUF];
    const char *host = text, *port_text;
    size_t host_len;
    bool ipv6 = text[0] == '[';
    uint64_t port;

    edge__config_quote(q, sizeof q, text);
    if (ipv6) {
        const char *close = strchr(text, ']');
        if (close == NULL || close[1] != ':')
            return edge_errf(why, whylen, "expected [IPV6]:PORT, got %s", q);
        host = text + 1;
        host_len = (size_t)(close - host);
        port_text = close + 2;
    } else {
        const char *colon = strrchr(text, ':');
        if (colon == NULL)
            return edge_errf(why, whylen, "expected HOST:PORT, got %s", q);
        host_len = (size_t)(colon - text);
        port_text = colon + 1;
        if (memchr(host, ':', host_len) != NULL)
            return edge_errf(why, whylen,
                             "put an IPv6 address in brackets, e.g. [::1]:8080, got %s", q);
    }
    if (!host_ok(host, host_len, ipv6) || (ipv6 && memchr(host, ':', host_len) == NULL))
        return edge_errf(why, whylen, "bad host in %s", q);
    if (parse_u64(port_text, false, &port) != 0 || port > 65535)
        return edge_errf(why, whylen, "expected a port from 0 to 65535 in %s", q);
    *host_out = edge_xstrndup(host, host_len);
    *port_out = (int)port;
    return 0;
}

int edge_config_split_listen(const char *text, char **host, int *port, char *err, size_t errlen)
{
    return parse_listen(text, host, port, err, errlen);
}

/* The first --listen of a layer is the primary address (listen_host and
 * listen_port); later ones in the same layer go to listen_more. */
static int set_listen(const edge__config_ctx *c, const edge__config_opt *o, const char *text)
{
    char why[160];
    char *host;
    int port;

    if (parse_listen(text, &host, &port, why, sizeof why) != 0)
        return edge__config_fail(c, o, "%s", why);
    free(c->cfg->listen_host);
    c->cfg->listen_host = host;
    c->cfg->listen_port = port;
    return 0;
}

int edge__config_listen_more(const edge__config_ctx *c, const edge__config_opt *o,
                             const char *text)
{
    char why[160];
    char *host;
    int port;

    if (parse_listen(text, &host, &port, why, sizeof why) != 0)
        return edge__config_fail(c, o, "%s", why);
    free(host);
    if (c->cfg->listen_more.count + 1 >= EDGE_CONFIG_MAX_LIST)
        return edge__config_fail(c, o, "at most %d addresses", EDGE_CONFIG_MAX_LIST);
    c->cfg->listen_more.items[c->cfg->listen_more.count++] = edge_xstrdup(text);
    return 0;
}

static const char *check_listen(const char *value)
{
    char why[160];
    char *host;
    int port;

    if (parse_listen(value, &host, &port, why, sizeof why) != 0)
        return "expected HOST:PORT or [IPV6]:PORT";
    free(host);
    return NULL;
}

/* Apply one value given as text (a flag's value, a JSON string or a
 * default). Lists append; clearing them is up to the caller. text is NULL
 * only for a flag without value. */
int edge__config_apply_text(const edge__config_ctx *c, const edge__config_opt *o, const char *text)
{
    switch (o->type) {
    case EDGE__OPT_STRING:
        return set_string(c, o, text);
    case EDGE__OPT_LIST:
        return list_append(c, o, text);
    case EDGE__OPT_LISTEN:
        return set_listen(c, o, text);
    case EDGE__OPT_BOOL:
        return set_bool_text(c, o, text);
    case EDGE__OPT_RATE:
        return set_rate_text(c, o, text);
    case EDGE__OPT_SIZE:
    case EDGE__OPT_COUNT:
    case EDGE__OPT_MS:
    case EDGE__OPT_SECONDS:
        return set_number_text(c, o, text);
    default:
        return edge__config_fail(c, o, "cannot be set here");
    }
}

static const char *check_api_prefix(const char *value)
{
    size_t len = strlen(value);

    if (value[0] != '/' || value[len - 1] != '/' || strpbrk(value, "?# \t") != NULL)
        return "expected a path that starts and ends with /";
    return NULL;
}

/* An Origin header is scheme://host[:port] and nothing more; a trailing
 * slash or path here would silently never match, so refuse it now. */
static const char *check_origin(const char *value)
{
    const char *rest;

    if (strcmp(value, "*") == 0)
        return NULL;
    if (strncmp(value, "https://", 8) == 0)
        rest = value + 8;
    else if (strncmp(value, "http://", 7) == 0)
        rest = value + 7;
    else
        rest = NULL;
    if (rest == NULL || rest[0] == '\0' || strpbrk(rest, "/?#@ \t") != NULL)
        return "expected * or scheme://host[:port] with no path";
    return NULL;
}

/* An absolute http(s) URL with a host, no fragment, and nothing that would
 * end a link in a chat message (blanks, quotes, angle brackets, controls,
 * non-ASCII), at most 512 bytes. */
static const char *check_ref_link(const char *value)
{
    size_t skip = 0;
    if (strncmp(value, "https://", 8) == 0)
        skip = 8;
    else if (strncmp(value, "http://", 7) == 0)
        skip = 7;
    const char *p = value + skip;
    int ok = skip && *p && !strchr("/?#:@", *p) && strlen(value) <= 512 && !strchr(value, '#');
    for (; ok && *p; p++)
        ok = *p > ' ' && *p < 127 && !strchr("\"'<>`\\{}|^", *p);
    return ok ? NULL : "expected an absolute http(s) URL with no fragment, blank or quote";
}

static const char *check_ice_server(const char *value)
{
    static const char *const schemes[] = {"stun:", "stuns:", "turn:", "turns:"};

    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncmp(value, schemes[i], n) == 0 && value[n] != '\0')
            return NULL;
    }
    return "expected a stun:, stuns:, turn: or turns: URL";
}

/* "+" and 1 to 15 digits, the first not 0: the start of an E.164 number. */
static const char *check_dial_prefix(const char *value)
{
    size_t digits = strspn(value + 1, "0123456789");

    if (value[0] != '+' || value[1] < '1' || value[1] > '9' || digits > 15 ||
        value[1 + digits] != '\0')
        return "expected + and 1 to 15 digits, such as +44";
    return NULL;
}

/* PREFIX=QUEUE; queue names are short and plain (letters, digits, . _ -),
 * since agents pass them back in ?queue=. */
static const char *check_dial_queue(const char *value)
{
    const char *eq = strchr(value, '=');
    char prefix[20];
    size_t qlen = eq != NULL ? strlen(eq + 1) : 0;

    if (eq == NULL || (size_t)(eq - value) >= sizeof prefix)
        return "expected PREFIX=QUEUE, such as +44=uk";
    memcpy(prefix, value, (size_t)(eq - value));
    prefix[eq - value] = '\0';
    if (check_dial_prefix(prefix) != NULL || qlen == 0 || qlen > 64 ||
        strspn(eq + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != qlen)
        return "expected PREFIX=QUEUE (+ and digits, then 1 to 64 of A-Z a-z 0-9 . _ -)";
    return NULL;
}

/* redis://... with something after the scheme; the app parses the rest
 * (redis/redis_url.h, a layer above this one) and exits 2 with its reason. */
static const char *check_store(const char *value)
{
    if (strncmp(value, "redis://", 8) != 0 || value[8] == '\0')
        return "expected redis://HOST:PORT[/DB], such as redis://127.0.0.1:6379/0";
    return NULL;
}

/* 1 to 63 of A-Z a-z 0-9 . _ : - (it goes into Redis keys' members). */
static const char *check_node_name(const char *value)
{
    size_t n = strlen(value);
    if (n == 0 || n > 63 || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789._:-") != n)
        return "expected 1 to 63 of A-Z a-z 0-9 . _ : -";
    return NULL;
}

/* http://HOST[:PORT][/PATH] with no query, user info or spaces (the
 * upstream client checks the host when the server starts). */
static const char *check_sip_gateway(const char *value)
{
    if (strncmp(value, "http://", 7) != 0 || value[7] == '\0' || value[7] == '/' ||
        strpbrk(value, "?#@ \t\r\n") != NULL)
        return "expected http://HOST:PORT/PATH, such as http://127.0.0.1:8088/janus";
    return NULL;
}

/* sip: or sips: and at least one more byte, none of them a control byte,
 * a space, a quote or angle brackets (the URI goes into headers as is). */
static const char *check_sip_uri(const char *value)
{
    size_t skip = strncmp(value, "sip:", 4) == 0 ? 4 : strncmp(value, "sips:", 5) == 0 ? 5 : 0;
    if (skip == 0 || value[skip] == '\0' || strlen(value) > 256)
        return "expected a sip: or sips: URI of at most 256 bytes";
    for (const unsigned char *s = (const unsigned char *)value; *s; s++) {
        if (*s <= 0x20 || *s == 0x7f || strchr("\"<>", *s) != NULL)
            return "expected a sip: or sips: URI without spaces, quotes or angle brackets";
    }
    return NULL;
}

/* PREFIX=URI: an E.164 prefix and a SIP URI template. */
static const char *check_sip_route(const char *value)
{
    const char *eq = strchr(value, '=');
    char prefix[20];

    if (eq == NULL || (size_t)(eq - value) >= sizeof prefix)
        return "expected PREFIX=URI, such as +1=sip:{e164}@pbx.example.com";
    memcpy(prefix, value, (size_t)(eq - value));
    prefix[eq - value] = '\0';
    if (check_dial_prefix(prefix) != NULL || check_sip_uri(eq + 1) != NULL)
        return "expected PREFIX=URI (+ and digits, then a sip: or sips: URI)";
    return NULL;
}

static const char *check_sip_dtmf(const char *value)
{
    if (strcmp(value, "auto") != 0 && strcmp(value, "rfc4733") != 0 && strcmp(value, "info") != 0)
        return "expected auto, rfc4733 or info";
    return NULL;
}

/* Limits that depend on each other, checked once every layer is applied. */
int edge__config_check_limits(const edge_config *cfg, char *err, size_t errlen)
{
    if (cfg->tls_certs.count != cfg->tls_keys.count)
        return edge_errf(err, errlen, "--tls-cert and --tls-key come in pairs: %zu certificates, "
                         "%zu keys", cfg->tls_certs.count, cfg->tls_keys.count);
    if (cfg->redirect_http != NULL && cfg->tls_certs.count == 0)
        return edge_errf(err, errlen, "--redirect-http needs --tls-cert and --tls-key");
    if (cfg->sip_routes.count > 0 && cfg->sip_gateway == NULL)
        return edge_errf(err, errlen, "--sip-route needs --sip-gateway (Janus's HTTP API)");
    if (cfg->record_calls && cfg->sip_gateway == NULL)
        return edge_errf(err, errlen,
                         "--record-calls needs --sip-gateway (Janus records the calls)");
    if (cfg->max_uri_bytes > cfg->max_header_bytes)
        return edge_errf(err, errlen, "max-uri-bytes (%zu) must not exceed max-header-bytes (%zu)",
                         cfg->max_uri_bytes, cfg->max_header_bytes);
    return 0;
}

void edge_config_init(edge_config *cfg)
{
    char err[256];
    edge__config_ctx c = {cfg, "built-in default", err, sizeof err};

    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const edge__config_opt *o = &edge__config_options[i];
        int rc = 0;
        if (o->def != NULL)
            rc = edge__config_apply_text(&c, o, o->def);
        for (size_t j = 0; rc == 0 && o->def_list != NULL && o->def_list[j] != NULL; j++)
            rc = edge__config_apply_text(&c, o, o->def_list[j]);
        if (rc != 0) { /* a bad row in the table: a bug, caught by the first test run */
            fprintf(stderr, "c2c-edge: %s\n", err);
            abort();
        }
    }
}

void edge_config_free(edge_config *cfg)
{
    edge__config_ctx c = {cfg, NULL, NULL, 0};

    for (size_t i = 0; i < N_OPTIONS; i++) {
        const edge__config_opt *o = &edge__config_options[i];
        if (o->type == EDGE__OPT_STRING) {
            char **field = edge__config_field(&c, o);
            free(*field);
        } else if (o->type == EDGE__OPT_LIST) {
            edge__config_list_clear(edge__config_field(&c, o));
        } else if (o->type == EDGE__OPT_LISTEN) {
            free(cfg->listen_host);
            edge__config_list_clear(&cfg->listen_more);
        }
    }
    memset(cfg, 0, sizeof *cfg);
}

/* ---- command line (the --config file is read by config_json.c) ---- */

/* Split the flag at argv[*i] into its row and value and advance *i past
 * both. value is NULL for a flag given without one. Returns 0 or -1 with
 * err filled (the flag is still skipped, so scanning can go on). */
static int next_flag(int argc, char **argv, int *i, const edge__config_opt **o, const char **value,
                     char *err, size_t errlen)
{
    const char *arg = argv[(*i)++], *name, *eq;
    size_t len;

    *value = NULL;
    if (strcmp(arg, "-h") == 0) {
        *o = edge__config_find("help", 4);
        return 0;
    }
    if (strncmp(arg, "--", 2) != 0)
        return edge_errf(err, errlen, "unexpected argument \"%.64s\"", arg);
    name = arg + 2;
    eq = strchr(name, '=');
    len = eq != NULL ? (size_t)(eq - name) : strlen(name);
    *o = edge__config_find(name, len);
    if (*o == NULL || len == 0)
        return edge_errf(err, errlen, "unknown option --%.*s", (int)(len > 64 ? 64 : len), name);
    if (eq != NULL) {
        if ((*o)->arg == NULL && (*o)->type != EDGE__OPT_BOOL)
            return edge_errf(err, errlen, "--%s takes no value", (*o)->name);
        *value = eq + 1;
    } else if ((*o)->arg != NULL) {
        /* "--jwks --demo" is a forgotten value, not a file named --demo. */
        if (*i >= argc || strncmp(argv[*i], "--", 2) == 0)
            return edge_errf(err, errlen, "--%s: missing value (%s)", (*o)->name, (*o)->arg);
        *value = argv[(*i)++];
    }
    return 0;
}

/* First pass: check the syntax of every flag and find --help and --config.
 * Goes on after an error so that --help anywhere still wins; err keeps the
 * first error. */
static int scan_args(int argc, char **argv, const char **config_path, bool *help, char *err,
                     size_t errlen)
{
    char spare[1];
    bool failed = false;
    const edge__config_opt *o;
    const char *value;

    for (int i = 1; i < argc;) {
        char *e = failed ? spare : err;
        size_t elen = failed ? sizeof spare : errlen;
        if (next_flag(argc, argv, &i, &o, &value, e, elen) != 0) {
            failed = true;
        } else if (o->type == EDGE__OPT_HELP) {
            *help = true;
        } else if (o->type == EDGE__OPT_CONFIG && *config_path != NULL) {
            edge_errf(e, elen, "--config: given more than once");
            failed = true;
        } else if (o->type == EDGE__OPT_CONFIG) {
            *config_path = value;
        }
    }
    return failed ? -1 : 0;
}

/* Second pass: apply every flag but --config and --help. The first use of a
 * repeatable flag clears the list the lower layers built. */
static int apply_args(edge_config *cfg, int argc, char **argv, char *err, size_t errlen)
{
    edge__config_ctx c = {cfg, NULL, err, errlen};
    bool cleared[N_OPTIONS] = {false};
    const edge__config_opt *o;
    const char *value;

    for (int i = 1; i < argc;) {
        if (next_flag(argc, argv, &i, &o, &value, err, errlen) != 0)
            return -1;
        if (o->type == EDGE__OPT_CONFIG || o->type == EDGE__OPT_HELP)
            continue;
        if (o->type == EDGE__OPT_LISTEN && cleared[o - edge__config_options]) {
            if (edge__config_listen_more(&c, o, value) != 0)
                return -1;
            continue;
        }
        if (o->type == EDGE__OPT_LISTEN) {
            edge__config_list_clear(&cfg->listen_more);
            cleared[o - edge__config_options] = true;
        }
        if (o->type == EDGE__OPT_LIST && !cleared[o - edge__config_options]) {
            edge__config_list_clear(edge__config_field(&c, o));
            cleared[o - edge__config_options] = true;
        }
        if (edge__config_apply_text(&c, o, value) != 0)
            return -1;
    }
    return 0;
}

int edge_config_parse_args(edge_config *cfg, int argc, char **argv, char *err, size_t errlen)
{
    const char *config_path = NULL;
    bool help = false;
    int rc = scan_args(argc, argv, &config_path, &help, err, errlen);

    if (help) {
        edge_config_print_help(stdout);
        return 1;
    }
    if (rc != 0)
        return -1;
    if (config_path != NULL && edge__config_load_file(cfg, config_path, err, errlen) != 0)
        return -1;
    if (apply_args(cfg, argc, argv, err, errlen) != 0)
        return -1;
    return edge__config_check_limits(cfg, err, errlen);
}
