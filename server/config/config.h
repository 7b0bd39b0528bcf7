/* config.h - the edge server's configuration as one typed struct.
 *
 * Configuration comes from three layers, later ones winning: built-in
 * defaults, then an optional JSON file (--config FILE, same key names as the
 * long flags without the dashes, e.g. {"listen": "127.0.0.1:8080",
 * "static": ["dist", "web"], "max-body-bytes": 65536}), then the command
 * line. Everything is parsed once into edge_config; no other module sees argv
 * or JSON. Repeatable flags (--static, --allow-origin, --ice-server, --dial-*) replace
 * the list from a lower layer rather than appending to it, so a flag always
 * means exactly what it says.
 *
 * Values: sizes (*-bytes) are bytes, optionally with a k/K (KiB) or m/M
 * (MiB) suffix, which JSON may give as a string ("64k"); other numbers are
 * plain non-negative integers. --demo alone means true; --demo=false undoes a
 * file's "demo": true. --listen takes HOST:PORT or [IPV6]:PORT; the first --listen of a
 * layer is listen_host/listen_port, later ones in that layer listen_more (a JSON
 * "listen" is one string or an array of them).
 *
 * Every option is one row of a table in config.c, which drives the flag
 * parser, the JSON reader, the defaults and --help alike; add an option
 * there (and its field here) and nothing else needs to change. */
#ifndef EDGE_CONFIG_H
#define EDGE_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/rate.h"

#define EDGE_CONFIG_MAX_LIST 16 /* entries in each repeatable option */

typedef struct edge_str_list {
    char *items[EDGE_CONFIG_MAX_LIST]; /* owned strings */
    size_t count;
} edge_str_list;

typedef struct edge_config {
    char *listen_host; /* owned; default "127.0.0.1"; IPv6 without brackets */
    int listen_port;   /* default 8080; 0 picks a free port */
    edge_str_list listen_more;  /* further --listen addresses, "HOST:PORT" as given */
    edge_str_list tls_certs;    /* PEM certificate files; none: plain HTTP */
    edge_str_list tls_keys;     /* PEM key files, one per certificate, same order */
    int64_t tls_ticket_rotate_s; /* session-ticket key lifetime; default 3600 */
    char *redirect_http;        /* owned or NULL: "HOST:PORT" answering 308 to https */
    int64_t hsts_s;             /* Strict-Transport-Security max-age; 0 none */
    edge_str_list static_roots; /* default {"dist", "web"} */
    char *data_dir;             /* owned; default "data" */
    char *store_url;            /* owned or NULL (SQLite in data_dir): "redis://HOST:PORT[/DB]" */
    char *node_name; /* owned or NULL (the host name and the first --listen port): this node's
                        name in the shared store (presence is counted per node) */
    char *jwks_file;            /* owned or NULL */
    char *canned_file;          /* owned or NULL: shared canned responses (JSON) */
    char *dispositions_file;    /* owned or NULL: disposition codes (JSON); NULL: built-in list */
    char *issuer;               /* owned or NULL: iss not checked */
    char *audience;             /* owned or NULL: aud not checked */
    edge_str_list allow_origins; /* CORS; "*" only when given */
    int demo;                    /* --demo: mint demo tokens */
    int es256_allow_high_s;      /* accept ES256 signatures with a high s; default off */
    char *api_prefix;            /* owned; default "/api/"; starts and ends with / */
    edge_str_list ice_servers;   /* stun:/turn: URLs for callers; default none */
    edge_str_list dial_allow;    /* E.164 prefixes callers may dial; none = all not denied */
    edge_str_list dial_deny;     /* E.164 prefixes never dialled; default {"+1900", "+1976"} */
    edge_str_list dial_queues;   /* "PREFIX=QUEUE": longest matching prefix picks the queue */
    char *sip_gateway;           /* owned or NULL: Janus's HTTP API URL (the SIP bridge) */
    edge_str_list sip_routes;    /* "PREFIX=URI": longest matching prefix goes out over SIP */
    char *sip_from;              /* owned; default "sip:c2c@localhost" */
    int64_t sip_answer_timeout_s; /* an unanswered bridged call ends (no_answer); 60 */
    char *sip_dtmf;              /* owned; "auto" (default), "rfc4733" or "info" */
    int record_calls;            /* --record-calls: Janus records bridged calls; default off */

    /* limits */
    size_t max_header_bytes;  /* request line + headers; default 16 KiB */
    size_t max_uri_bytes;     /* default 8 KiB */
    size_t max_body_bytes;    /* default 64 KiB */
    size_t max_token_bytes;   /* default 8 KiB */
    unsigned max_connections; /* default 10000 */
    uint64_t idle_timeout_ms;   /* keep-alive idle; default 60000 */
    uint64_t header_timeout_ms; /* whole request head must arrive; default 10000 */
    uint64_t body_timeout_ms;   /* whole body must arrive; default 30000 */
    int64_t token_leeway_s;     /* exp/nbf/iat leeway; default 60 */
    unsigned token_fail_limit;  /* costly token failures per address per 10 s; 100, 0 none */
    int64_t adhoc_ttl_s;        /* life of an ad-hoc reference code; default 900 */
    char *ref_link;             /* owned or NULL: the page with the widget, an absolute
                                   http(s) URL; a code's link is it plus ?c2c-ref=CODE */
    int64_t no_agent_timeout_s; /* unanswered calls end after this; default 120, 0 never */
    int64_t ring_timeout_s;     /* a ring unanswered this long goes to the next agent; 30 */
    unsigned retention_days;    /* contacts ended longer ago are deleted; 30, 0 keeps all */
    int64_t transcript_grace_s; /* a customer reads the transcript this long after the end; 3600 */
    edge_rate limit_dials;      /* dial attempts per identity; default 5/min */
    edge_rate limit_messages;   /* chat messages per participant; default 20/10s */
    edge_rate limit_redeems;    /* reference-code redeems per identity and per network; 10/10min */
    unsigned max_messages_per_contact; /* a contact takes no more past this; 5000, 0 none */
    int64_t personal_queue_s;   /* a personal queue's contact falls back after this; 120 */
    int64_t agent_away_s;       /* an agent with no stream open this long goes offline; 30 */
    int64_t caller_gone_s;      /* a call whose caller has no stream this long ends; 20 */
    unsigned max_streams_per_participant; /* event streams per token (or agent); 4 */
    uint64_t shutdown_grace_ms; /* longest wait for in-flight work; default 10000 */
    uint64_t static_recheck_ms; /* how often a cached file is stat()ed; default 1000 */
    size_t static_max_file_bytes; /* larger files are not served; default 16 MiB */
} edge_config;

/* Fill cfg with the defaults. Always succeeds; free with edge_config_free. */
void edge_config_init(edge_config *cfg);

/* Apply argv (argv[0] is skipped), loading --config FILE first wherever it
 * appears. Returns 0 on success; 1 when --help was given (help text already
 * written to stdout); -1 on error, with one line naming the problem in
 * err (no trailing newline). cfg may be partly updated on error. */
int edge_config_parse_args(edge_config *cfg, int argc, char **argv, char *err, size_t errlen);

/* Apply a JSON document (the --config file's contents). Unknown keys, keys
 * given twice, "config" and wrongly typed values are errors; so are limits
 * that contradict each other afterwards (max-uri-bytes > max-header-bytes).
 * Returns 0 or -1 with one line in err. cfg may be partly updated on error. */
int edge_config_parse_json(edge_config *cfg, const char *json, size_t len, char *err,
                           size_t errlen);

/* Split "HOST:PORT" or "[IPV6]:PORT" (as --listen takes it). Returns 0
 * with *host a new string (caller frees) and *port, or -1 with err. */
int edge_config_split_listen(const char *text, char **host, int *port, char *err, size_t errlen);

/* Write the --help text: every option with its meaning, range and default. */
void edge_config_print_help(FILE *out);

/* Free every owned string. cfg is left empty (all NULL/0) and may be freed
 * again or re-initialised with edge_config_init. */
void edge_config_free(edge_config *cfg);

#endif
