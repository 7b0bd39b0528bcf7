/* config_json.c - the --config JSON reader: one object, keyed like the long flags.
 *
 * The file is parsed whole with cJSON, then each member is looked up in the
 * option table (config.c) and handed to the same setters the command line
 * uses, so a value means the same from either source. Only what is JSON's
 * own lives here: the type of each value (numbers, booleans, arrays), file
 * reading, parse-error positions and repeated keys, which cJSON keeps
 * silently. A JSON array replaces a list whole; a size may be a number or a
 * string with a suffix ("64k"). Errors are one line prefixed with the source
 * ("config file x.json: ..."). */
#include "config/config.h"
#include "config/config_internal.h"

#include "common/buf.h"
#include "common/errbuf.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CONFIG_FILE_MAX ((size_t)1024 * 1024) /* 1 MiB; a config file larger is a mistake */

/* A JSON number as a uint64_t for a numeric option; -1 if it is negative or
 * has a fraction. Values beyond 2^64 saturate (then fail the range check). */
static int json_to_u64(double d, uint64_t *out)
{
    if (isnan(d) || d < 0)
        return -1;
    if (d >= 18446744073709551616.0) {
        *out = UINT64_MAX;
        return 0;
    }
    if ((double)(uint64_t)d != d)
        return -1;
    *out = (uint64_t)d;
    return 0;
}

static int json_number(const edge__config_ctx *c, const edge__config_opt *o, const cJSON *item)
{
    char shown[40];
    uint64_t v;

    if (cJSON_IsString(item) && o->type == EDGE__OPT_SIZE) /* "64k" reads well in a file */
        return edge__config_apply_text(c, o, item->valuestring);
    if (!cJSON_IsNumber(item))
        return edge__config_fail(c, o, "expected %s as a JSON number",
                                 edge__config_number_noun(o->type));
    snprintf(shown, sizeof shown, "%.15g", item->valuedouble);
    if (json_to_u64(item->valuedouble, &v) != 0)
        return edge__config_fail(c, o, "expected %s, got %s", edge__config_number_noun(o->type),
                                 shown);
    return edge__config_store_number(c, o, v, shown);
}

/* A JSON array replaces the whole list, defaults included. */
static int json_list(const edge__config_ctx *c, const edge__config_opt *o, const cJSON *item)
{
    const cJSON *elem;

    if (!cJSON_IsArray(item))
        return edge__config_fail(c, o, "expected an array of strings");
    edge__config_list_clear(edge__config_field(c, o));
    cJSON_ArrayForEach(elem, item)
    {
        if (!cJSON_IsString(elem))
            return edge__config_fail(c, o, "expected an array of strings");
        if (edge__config_apply_text(c, o, elem->valuestring) != 0)
            return -1;
    }
    return 0;
}

/* "listen": one address, or an array whose first entry is the primary. */
static int json_listen(const edge__config_ctx *c, const edge__config_opt *o, const cJSON *item)
{
    const cJSON *elem;
    int first = 1;

    edge__config_list_clear(&c->cfg->listen_more);
    if (cJSON_IsString(item))
        return edge__config_apply_text(c, o, item->valuestring);
    if (!cJSON_IsArray(item) || cJSON_GetArraySize(item) == 0)
        return edge__config_fail(c, o, "expected a string or a non-empty array of strings");
    cJSON_ArrayForEach(elem, item)
    {
        if (!cJSON_IsString(elem))
            return edge__config_fail(c, o, "expected a string or an array of strings");
        int rc = first ? edge__config_apply_text(c, o, elem->valuestring)
                       : edge__config_listen_more(c, o, elem->valuestring);
        if (rc != 0)
            return -1;
        first = 0;
    }
    return 0;
}

static int json_value(const edge__config_ctx *c, const edge__config_opt *o, const cJSON *item)
{
    switch (o->type) {
    case EDGE__OPT_LISTEN:
        return json_listen(c, o, item);
    case EDGE__OPT_STRING:
        if (!cJSON_IsString(item))
            return edge__config_fail(c, o, "expected a string");
        return edge__config_apply_text(c, o, item->valuestring);
    case EDGE__OPT_LIST:
        return json_list(c, o, item);
    case EDGE__OPT_RATE: /* "20/10s", or 0 (a number or "0") for none */
        if (cJSON_IsNumber(item) && item->valuedouble == 0)
            return edge__config_apply_text(c, o, "0");
        if (!cJSON_IsString(item))
            return edge__config_fail(c, o, "expected a string such as \"20/10s\", or 0");
        return edge__config_apply_text(c, o, item->valuestring);
    case EDGE__OPT_BOOL:
        if (!cJSON_IsBool(item))
            return edge__config_fail(c, o, "expected true or false");
        *(int *)edge__config_field(c, o) = cJSON_IsTrue(item) ? 1 : 0;
        return 0;
    default:
        return json_number(c, o, item);
    }
}

/* Line and column (1-based) of byte pos in text, for parse errors. */
static void text_position(const char *text, size_t pos, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < pos; i++) {
        if (text[i] == '\n')
            (*line)++, *col = 1;
        else
            (*col)++;
    }
}

/* Parse len bytes as one JSON object with nothing after it but whitespace.
 * Returns the tree (caller deletes) or NULL with err filled. */
static cJSON *parse_object(const char *json, size_t len, const char *source, char *err,
                           size_t errlen)
{
    const char *end = json;
    size_t line, col;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);

    if (root != NULL) {
        while (end < json + len && *end != '\0' && strchr(" \t\r\n", *end) != NULL)
            end++;
        if (end < json + len) {
            cJSON_Delete(root);
            root = NULL;
        }
    }
    if (root == NULL) {
        text_position(json, (size_t)(end - json), &line, &col);
        edge_errf(err, errlen, "%s: invalid JSON at line %zu, column %zu", source, line, col);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        edge_errf(err, errlen, "%s: expected a JSON object at the top level", source);
        return NULL;
    }
    return root;
}

/* Apply one member of the top-level object; seen[] catches repeated keys,
 * which cJSON keeps silently. */
static int json_member(const edge__config_ctx *c, const cJSON *item,
                       bool seen[EDGE__CONFIG_MAX_OPTIONS])
{
    char q[EDGE__CONFIG_QUOTE_BUF];
    const edge__config_opt *o = edge__config_find(item->string, strlen(item->string));

    if (o == NULL || o->type == EDGE__OPT_HELP)
        return edge_errf(c->err, c->errlen, "%s: unknown key %s", c->source,
                         edge__config_quote(q, sizeof q, item->string));
    if (o->type == EDGE__OPT_CONFIG)
        return edge_errf(c->err, c->errlen, "%s: \"config\" is not allowed inside a config file",
                         c->source);
    if (seen[o - edge__config_options])
        return edge__config_fail(c, o, "given more than once");
    seen[o - edge__config_options] = true;
    return json_value(c, o, item);
}

/* Apply a JSON document without the cross-option checks, which wait until
 * every layer is in. source prefixes every error. */
static int apply_json(edge_config *cfg, const char *json, size_t len, const char *source, char *err,
                      size_t errlen)
{
    edge__config_ctx c = {cfg, source, err, errlen};
    bool seen[EDGE__CONFIG_MAX_OPTIONS] = {false};
    const cJSON *item;
    int rc = 0;
    cJSON *root = parse_object(json, len, source, err, errlen);

    if (root == NULL)
        return -1;
    cJSON_ArrayForEach(item, root)
    {
        rc = json_member(&c, item, seen);
        if (rc != 0)
            break;
    }
    cJSON_Delete(root);
    return rc;
}

int edge_config_parse_json(edge_config *cfg, const char *json, size_t len, char *err, size_t errlen)
{
    if (apply_json(cfg, json, len, "config", err, errlen) != 0)
        return -1;
    return edge__config_check_limits(cfg, err, errlen);
}

/* Read path whole into b. Returns 0, or -1 with errno set (EFBIG if the
 * file is over CONFIG_FILE_MAX). */
static int read_file(const char *path, edge_buf *b)
{
    char chunk[4096];
    size_t n;
    int saved;
    FILE *f = fopen(path, "rb");

    if (f == NULL)
        return -1;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        edge_buf_append(b, chunk, n);
        if (b->len > CONFIG_FILE_MAX) {
            fclose(f);
            errno = EFBIG;
            return -1;
        }
    }
    saved = errno;
    if (ferror(f)) {
        fclose(f);
        errno = saved != 0 ? saved : EIO;
        return -1;
    }
    fclose(f);
    return 0;
}

int edge__config_load_file(edge_config *cfg, const char *path, char *err, size_t errlen)
{
    edge_buf text = EDGE_BUF_INIT, source = EDGE_BUF_INIT;
    int rc;

    edge_buf_appendf(&source, "config file %s", path);
    errno = 0;
    if (read_file(path, &text) != 0)
        rc = edge_errf(err, errlen, "%s: cannot read: %s", source.data, strerror(errno));
    else
        rc =
            apply_json(cfg, text.data != NULL ? text.data : "", text.len, source.data, err, errlen);
    edge_buf_free(&text);
    edge_buf_free(&source);
    return rc;
}
