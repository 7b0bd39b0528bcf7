/* store_notes.c - the public edge_store_note* functions: validate, then
 * dispatch to the backend (as store.c does for everything else). Agents'
 * private notes are their own concern, so their checks live here. */
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

int edge_store_note_add(edge_store *st, const char *contact_id, const char *agent_sub,
                        const char *agent_name, const char *content, size_t max_bytes,
                        int64_t max_count, int64_t now_ms, edge_note *out)
{
    if (out == NULL)
        return EDGE_STORE_EINVAL;
    memset(out, 0, sizeof(*out));
    if (st == NULL || bounded(contact_id, EDGE_STORE_ID_MAX) ||
        bounded(agent_sub, EDGE_STORE_TEXT_MAX) || agent_name == NULL ||
        strnlen(agent_name, EDGE_STORE_TEXT_MAX) >= EDGE_STORE_TEXT_MAX || content == NULL ||
        max_count < 0)
        return EDGE_STORE_EINVAL;
    size_t len = strlen(content);
    if (len == 0 || len > max_bytes)
        return EDGE_STORE_EINVAL;
    int rc =
        st->ops->note_add(st, contact_id, agent_sub, agent_name, content, max_count, now_ms, out);
    if (rc != 0) {
        edge_note_free(out);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

int edge_store_notes(edge_store *st, const char *contact_id, const char *agent_sub, edge_note *out,
                     size_t cap, size_t *count)
{
    if (count == NULL)
        return EDGE_STORE_EINVAL;
    *count = 0;
    if (st == NULL || (cap > 0 && out == NULL) || bounded(contact_id, EDGE_STORE_ID_MAX) ||
        bounded(agent_sub, EDGE_STORE_TEXT_MAX))
        return EDGE_STORE_EINVAL;
    return st->ops->notes(st, contact_id, agent_sub, out, cap, count);
}

void edge_note_free(edge_note *n)
{
    if (n == NULL)
        return;
    free(n->content);
    n->content = NULL;
}
