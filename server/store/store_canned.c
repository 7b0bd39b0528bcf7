/* store_canned.c - the public edge_store_canned* functions: validate, then
 * dispatch to the backend. An agent's own canned responses (the shared
 * ones are the provider's, from a file). */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_backend.h"

/* 0 when s is a non-empty string shorter than max. */
static int bounded(const char *s, size_t max)
{
    if (s == NULL)
        return EDGE_STORE_EINVAL;
    size_t n = strnlen(s, max);
    return n == 0 || n >= max ? EDGE_STORE_EINVAL : 0;
}

int edge_store_canned_add(edge_store *st, const char *agent_sub, const char *title,
                          const char *content, size_t max_bytes, int64_t max_count, int64_t now_ms,
                          edge_canned *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || bounded(agent_sub, EDGE_STORE_TEXT_MAX) ||
        bounded(title, EDGE_STORE_TEXT_MAX) || content == NULL || max_count < 0)
        return EDGE_STORE_EINVAL;
    size_t len = strlen(content);
    if (len == 0 || len > max_bytes)
        return EDGE_STORE_EINVAL;
    int rc = st->ops->canned_add(st, agent_sub, title, content, max_count, now_ms, out);
    if (rc != 0) {
        edge_canned_free(out);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

int edge_store_canned_list(edge_store *st, const char *agent_sub, edge_canned *out, size_t cap,
                           size_t *count)
{
    if (count == NULL)
        return EDGE_STORE_EINVAL;
    *count = 0;
    if (st == NULL || (cap > 0 && out == NULL) || bounded(agent_sub, EDGE_STORE_TEXT_MAX))
        return EDGE_STORE_EINVAL;
    return st->ops->canned_list(st, agent_sub, out, cap, count);
}

int edge_store_canned_delete(edge_store *st, const char *agent_sub, const char *id)
{
    if (st == NULL || bounded(agent_sub, EDGE_STORE_TEXT_MAX) || bounded(id, EDGE_STORE_ID_MAX))
        return EDGE_STORE_EINVAL;
    return st->ops->canned_delete(st, agent_sub, id);
}

void edge_canned_free(edge_canned *c)
{
    if (c == NULL)
        return;
    free(c->content);
    c->content = NULL;
}
