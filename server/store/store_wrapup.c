/* store_wrapup.c - the public edge_store_disposition* functions: validate,
 * then dispatch to the backend. A disposition is the code an agent closes
 * a contact with; its list is the provider's, the rule "only the contact's
 * agent" the backend's. */
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

int edge_store_disposition_set(edge_store *st, const char *contact_id, const char *agent_sub,
                               const char *code, int64_t now_ms)
{
    if (st == NULL || bounded(contact_id, EDGE_STORE_ID_MAX) ||
        bounded(agent_sub, EDGE_STORE_TEXT_MAX) || bounded(code, EDGE_STORE_TEXT_MAX))
        return EDGE_STORE_EINVAL;
    return st->ops->disposition_set(st, contact_id, agent_sub, code, now_ms);
}

int edge_store_disposition_get(edge_store *st, const char *contact_id, const char *agent_sub,
                               char code[EDGE_STORE_TEXT_MAX])
{
    if (code == NULL)
        return EDGE_STORE_EINVAL;
    code[0] = '\0';
    if (st == NULL || bounded(contact_id, EDGE_STORE_ID_MAX) ||
        bounded(agent_sub, EDGE_STORE_TEXT_MAX))
        return EDGE_STORE_EINVAL;
    return st->ops->disposition_get(st, contact_id, agent_sub, code);
}
