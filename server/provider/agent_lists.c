/* agent_lists.c - reading --dispositions and --canned: whole-file JSON
 * arrays, checked strictly at start so a typo stops the server rather
 * than showing agents a broken list. */
#include "provider/agent_lists.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errbuf.h"
#include "common/mem.h"

#define LIST_FILE_MAX (1024 * 1024)

static const edge_disposition builtin[] = {
    {"resolved", "Resolved"},   {"follow_up", "Follow-up needed"},
    {"escalated", "Escalated"}, {"no_response", "No response from the customer"},
    {"other", "Other"},
};

/* The file's JSON array, or NULL with err set. */
static cJSON *read_array(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        edge_errf(err, errlen, "cannot read %s", path);
        return NULL;
    }
    char *text = edge_xmalloc(LIST_FILE_MAX + 1);
    size_t n = fread(text, 1, LIST_FILE_MAX + 1, f);
    fclose(f);
    cJSON *root = NULL;
    if (n <= LIST_FILE_MAX) {
        text[n] = '\0';
        root = cJSON_Parse(text);
    }
    free(text);
    int size = cJSON_IsArray(root) ? cJSON_GetArraySize(root) : 0;
    if (size < 1 || size > EDGE_LISTS_MAX) {
        cJSON_Delete(root);
        edge_errf(err, errlen, "%s: not a JSON array of 1 to %d entries", path, EDGE_LISTS_MAX);
        return NULL;
    }
    return root;
}

/* The string member key of item when it is 1..max-1 bytes, else NULL. */
static const char *member(const cJSON *item, const char *key, size_t max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, key);
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0' || strlen(v->valuestring) >= max)
        return NULL;
    return v->valuestring;
}

static int code_ok(const char *code)
{
    for (const char *c = code; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
            return 0;
    return 1;
}

static int load_dispositions(edge_agent_lists *out, const char *path, char *err, size_t errlen)
{
    cJSON *root = read_array(path, err, errlen);
    if (root == NULL)
        return -1;
    size_t n = (size_t)cJSON_GetArraySize(root);
    out->dispositions = edge_xcalloc(n, sizeof(*out->dispositions));
    const cJSON *item;
    cJSON_ArrayForEach(item, root)
    {
        const char *code = member(item, "code", EDGE_STORE_TEXT_MAX);
        const char *label = member(item, "label", EDGE_STORE_TEXT_MAX);
        if (code == NULL || label == NULL || !code_ok(code) ||
            edge_agent_lists_disposition(out, code) != NULL) {
            cJSON_Delete(root);
            return edge_errf(err, errlen,
                             "%s: entry %zu needs a unique \"code\" ([a-z0-9_-]) and a \"label\"",
                             path, out->n_dispositions + 1);
        }
        edge_disposition *d = &out->dispositions[out->n_dispositions++];
        snprintf(d->code, sizeof(d->code), "%s", code);
        snprintf(d->label, sizeof(d->label), "%s", label);
    }
    cJSON_Delete(root);
    return 0;
}

static int load_canned(edge_agent_lists *out, const char *path, char *err, size_t errlen)
{
    cJSON *root = read_array(path, err, errlen);
    if (root == NULL)
        return -1;
    size_t n = (size_t)cJSON_GetArraySize(root);
    out->canned = edge_xcalloc(n, sizeof(*out->canned));
    const cJSON *item;
    cJSON_ArrayForEach(item, root)
    {
        const char *title = member(item, "title", EDGE_STORE_TEXT_MAX);
        const char *text = member(item, "text", EDGE_CANNED_MAX_BYTES + 1);
        if (title == NULL || text == NULL) {
            cJSON_Delete(root);
            return edge_errf(err, errlen,
                             "%s: entry %zu needs a \"title\" and a \"text\" (up to %d bytes)",
                             path, out->n_canned + 1, EDGE_CANNED_MAX_BYTES);
        }
        edge_canned *c = &out->canned[out->n_canned];
        snprintf(c->id, sizeof(c->id), "shared-%zu", out->n_canned + 1);
        snprintf(c->title, sizeof(c->title), "%s", title);
        c->content = edge_xstrdup(text);
        out->n_canned++;
    }
    cJSON_Delete(root);
    return 0;
}

int edge_agent_lists_load(edge_agent_lists *out, const char *canned_file,
                          const char *dispositions_file, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    int rc = 0;
    if (dispositions_file != NULL) {
        rc = load_dispositions(out, dispositions_file, err, errlen);
    } else {
        out->dispositions = edge_xmalloc(sizeof(builtin));
        memcpy(out->dispositions, builtin, sizeof(builtin));
        out->n_dispositions = sizeof(builtin) / sizeof(builtin[0]);
    }
    if (rc == 0 && canned_file != NULL)
        rc = load_canned(out, canned_file, err, errlen);
    if (rc != 0)
        edge_agent_lists_free(out);
    return rc;
}

const edge_disposition *edge_agent_lists_disposition(const edge_agent_lists *l, const char *code)
{
    for (size_t i = 0; l != NULL && i < l->n_dispositions; i++)
        if (strcmp(l->dispositions[i].code, code) == 0)
            return &l->dispositions[i];
    return NULL;
}

void edge_agent_lists_free(edge_agent_lists *l)
{
    for (size_t i = 0; i < l->n_canned; i++)
        edge_canned_free(&l->canned[i]);
    free(l->canned);
    free(l->dispositions);
    memset(l, 0, sizeof(*l));
}
