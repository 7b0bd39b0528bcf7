/* store_transfer.c - the public edge_store transfer functions: validate,
 * then dispatch to the backend. Handing a contact to a queue is the
 * store's concern so that the rule ("only its agent, only while
 * connected") and the agent's leaving happen in one transaction. */
#include <string.h>

#include "store/store.h"
#include "store/store_backend.h"

int edge_store_contact_transfer(edge_store *st, const char *contact_id, const char *from_agent_sub,
                                const char *to_queue, int64_t now_ms)
{
    if (st == NULL || contact_id == NULL || from_agent_sub == NULL || to_queue == NULL ||
        contact_id[0] == '\0' || from_agent_sub[0] == '\0' ||
        strnlen(contact_id, EDGE_STORE_ID_MAX) >= EDGE_STORE_ID_MAX ||
        strnlen(from_agent_sub, EDGE_STORE_TEXT_MAX) >= EDGE_STORE_TEXT_MAX ||
        strnlen(to_queue, EDGE_STORE_TEXT_MAX) >= EDGE_STORE_TEXT_MAX)
        return EDGE_STORE_EINVAL;
    return st->ops->contact_transfer(st, contact_id, from_agent_sub, to_queue, now_ms);
}

int edge_store_agents_available_list(edge_store *st, edge_agent_entry *out, size_t cap,
                                     size_t *count)
{
    if (count == NULL)
        return EDGE_STORE_EINVAL;
    *count = 0;
    if (st == NULL || (cap > 0 && out == NULL))
        return EDGE_STORE_EINVAL;
    return st->ops->agents_available_list(st, out, cap, count);
}
