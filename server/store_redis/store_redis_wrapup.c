/* store_redis_wrapup.c - the Redis store's dispositions: the code an agent
 * closed a contact with, a field of the contact's hash ("disp"), so it is
 * deleted with the contact. Only the contact's agent may set or read it;
 * the check and the write are one script. */
#include <stdio.h>
#include <string.h>

#include "store/store_backend.h"
#include "store_redis/store_redis_internal.h"

static void rs_disposition_set(edge_store_async *s, edge_store_call *c, const char *contact_id,
                               const char *agent_sub, const char *code)
{
    if (edge__store_id_ok(contact_id) || edge__store_text_ok(agent_sub, 1) ||
        edge__store_text_ok(code, 1))
        return edge_store_call_done(c, EDGE_STORE_EINVAL);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[] = {contact_id, agent_sub, code};
    edge__rs_run(q, RS_DISPOSITION_SET, 3, argv, NULL);
}

/* {0, code} into the buffer at out[0]. */
static int parse_code(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    snprintf(q->out[0], EDGE_STORE_TEXT_MAX, "%s", edge__rs_str(r, 1));
    return 0;
}

static void rs_disposition_get(edge_store_async *s, edge_store_call *c, const char *contact_id,
                               const char *agent_sub, char code[EDGE_STORE_TEXT_MAX])
{
    if (code == NULL)
        return edge_store_call_done(c, EDGE_STORE_EINVAL);
    code[0] = '\0';
    if (edge__store_id_ok(contact_id) || edge__store_text_ok(agent_sub, 1))
        return edge_store_call_done(c, EDGE_STORE_EINVAL);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_code);
    if (q == NULL)
        return;
    q->out[0] = code;
    const char *argv[] = {contact_id, agent_sub};
    edge__rs_run(q, RS_DISPOSITION_GET, 2, argv, NULL);
}

void edge__rs_wrapup_ops(edge_store_async_ops *ops)
{
    ops->disposition_set = rs_disposition_set;
    ops->disposition_get = rs_disposition_get;
}
