/* store_redis_transfer.c - the Redis store's side of transfers: the
 * hand-over (one script: the contact waits queued again, the agent's
 * participant leaves) and the available agents someone may transfer to,
 * by name then sub (the order SQLite's ORDER BY name, sub gives). */
#include <stdio.h>
#include <string.h>

#include "store/store_backend.h"
#include "store_redis/store_redis_internal.h"

/* {0, [[sub, name]...]} */
static int parse_entries(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *list = edge__rs_at(r, 1);
    edge_agent_entry *out = q->out[0];
    size_t *count = q->out[1];
    for (size_t i = 0; list != NULL && i < list->elements && *count < q->cap; i++) {
        const redisReply *e = list->element[i];
        snprintf(out[*count].sub, sizeof(out[*count].sub), "%s", edge__rs_str(e, 0));
        snprintf(out[*count].name, sizeof(out[*count].name), "%s", edge__rs_str(e, 1));
        (*count)++;
    }
    return 0;
}

static void rs_agents_available_list(edge_store_async *s, edge_store_call *c, edge_agent_entry *out,
                                     size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count))
        return edge_store_call_done(c, EDGE_STORE_EINVAL);
    char n[24];
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {n};
    edge__rs_run_list((edge__rs *)s, c, RS_AGENTS_AVAILABLE_LIST, parse_entries, 1, argv, out, cap,
                      count);
}

static void rs_contact_transfer(edge_store_async *s, edge_store_call *c, const char *contact_id,
                                const char *from_agent_sub, const char *to_queue)
{
    if (edge__store_id_ok(contact_id) || edge__store_text_ok(from_agent_sub, 1) ||
        edge__store_text_ok(to_queue, 0))
        return edge_store_call_done(c, EDGE_STORE_EINVAL);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[] = {contact_id, from_agent_sub, to_queue != NULL ? to_queue : ""};
    edge__rs_run(q, RS_CONTACT_TRANSFER, 3, argv, NULL);
}

void edge__rs_transfer_ops(edge_store_async_ops *ops)
{
    ops->contact_transfer = rs_contact_transfer;
    ops->agents_available_list = rs_agents_available_list;
}
