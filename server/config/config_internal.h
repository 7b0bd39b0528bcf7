/* config_internal.h - what config.c shares with config_json.c and config_help.c.
 *
 * The option table and the per-type setters live in config.c; the JSON
 * reader and the --help printer walk the same table and call the same
 * setters, so that a flag, a JSON value and a default are checked alike and
 * every option is described in one place. Names here are edge__config_ /
 * EDGE__ (internal but shared between these files); nothing outside
 * server/config/ includes this header. */
#ifndef EDGE_CONFIG_INTERNAL_H
#define EDGE_CONFIG_INTERNAL_H

#include "config/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EDGE__CONFIG_QUOTE_BUF 72   /* quoted user input in messages is cut to fit */
#define EDGE__CONFIG_MAX_OPTIONS 80 /* rows the table may grow to; checked in config.c */

typedef enum edge__config_opt_type {
    EDGE__OPT_STRING,  /* char *, owned */
    EDGE__OPT_LIST,    /* edge_str_list; a flag appends, the first one in a layer clears */
    EDGE__OPT_LISTEN,  /* HOST:PORT or [IPV6]:PORT into listen_host and listen_port */
    EDGE__OPT_BOOL,    /* int; a bare flag means true, --name=true|false also works */
    EDGE__OPT_SIZE,    /* size_t bytes, with an optional k or m suffix */
    EDGE__OPT_COUNT,   /* unsigned */
    EDGE__OPT_MS,      /* uint64_t milliseconds */
    EDGE__OPT_SECONDS, /* int64_t seconds (never negative here) */
    EDGE__OPT_RATE,    /* edge_rate: "N/PERIOD" (20/10s, 5/min) or 0 for none */
    EDGE__OPT_CONFIG,  /* --config FILE: command line only, handled before the rest */
    EDGE__OPT_HELP,    /* --help / -h: command line only */
} edge__config_opt_type;

/* Extra check of a string value: NULL when fine, else what was expected. */
typedef const char *(*edge__config_check)(const char *value);

/* One row of the option table. */
typedef struct edge__config_opt {
    const char *name;            /* long flag without "--", and the JSON key */
    edge__config_opt_type type;  /* how the value is parsed and stored */
    size_t offset;               /* of the field in edge_config (typed rows only) */
    uint64_t min, max;           /* numeric rows: accepted range, inclusive */
    const char *def;             /* default in flag syntax; NULL: NULL, 0 or off */
    const char *const *def_list; /* EDGE__OPT_LIST default, NULL-terminated; NULL: empty */
    edge__config_check check;    /* extra validation of string values, or NULL */
    const char *arg;             /* value placeholder in --help; NULL: takes none */
    const char *help;            /* one sentence or two for --help */
} edge__config_opt;

/* Where a value comes from and where an error about it goes. */
typedef struct edge__config_ctx {
    edge_config *cfg;
    const char *source; /* NULL for the command line, else e.g. "config file x.json" */
    char *err;
    size_t errlen;
} edge__config_ctx;

/* The option table (config.c), in --help order: the single source of every
 * flag, JSON key, default and help line. */
extern const edge__config_opt edge__config_options[];
extern const size_t edge__config_n_options;

/* ---- config.c ---- */

/* Like edge_errf, prefixed with the option and where its value came from:
 * "--name: ..." on the command line, "SOURCE: \"name\": ..." in JSON.
 * Always returns -1. */
int edge__config_fail(const edge__config_ctx *c, const edge__config_opt *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* s in double quotes for an error message, cut short with "..." and with
 * control bytes shown as '?', so that odd input cannot garble the line.
 * buf must hold at least 6 bytes; returns buf. */
const char *edge__config_quote(char *buf, size_t size, const char *s);

/* The row named by the len bytes at name, or NULL. */
const edge__config_opt *edge__config_find(const char *name, size_t len);

/* The row's field inside c->cfg. */
void *edge__config_field(const edge__config_ctx *c, const edge__config_opt *o);

/* Free every entry of list and leave it empty. */
void edge__config_list_clear(edge_str_list *list);

/* Apply one value given as text (a flag's value, a JSON string or a
 * default). Lists append; clearing them is up to the caller. text is NULL
 * only for a flag without value. Returns 0 or -1 with c->err filled. */
int edge__config_apply_text(const edge__config_ctx *c, const edge__config_opt *o, const char *text);

/* Validate a second or later --listen address of a layer and append it to
 * listen_more. Returns 0 or -1 with c->err filled. */
int edge__config_listen_more(const edge__config_ctx *c, const edge__config_opt *o,
                             const char *text);

/* Range-check v and store it in a numeric row's field; shown is v as the
 * user wrote it, for the error message. Returns 0 or -1. */
int edge__config_store_number(const edge__config_ctx *c, const edge__config_opt *o, uint64_t v,
                              const char *shown);

/* True for the numeric types (size, count, milliseconds, seconds). */
bool edge__config_is_number(edge__config_opt_type type);

/* "a size", "a number of milliseconds"...: what a numeric type expects. */
const char *edge__config_number_noun(edge__config_opt_type type);

/* v as text into buf: sizes that are whole KiB or MiB use the suffix, as
 * in --help. Returns buf. */
const char *edge__config_format_number(char *buf, size_t size, edge__config_opt_type type,
                                       uint64_t v);

/* Limits that depend on each other, checked once every layer is applied.
 * Returns 0 or -1 with err filled. */
int edge__config_check_limits(const edge_config *cfg, char *err, size_t errlen);

/* ---- config_json.c ---- */

/* Read the JSON file at path and apply it to cfg, without the cross-option
 * checks. Returns 0 or -1 with one line in err naming the file. */
int edge__config_load_file(edge_config *cfg, const char *path, char *err, size_t errlen);

#endif
