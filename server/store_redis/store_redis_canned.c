/* store_redis_canned.c - the Redis store's agents' own canned responses:
 * one list per agent ("cn:<sub>", oldest first), each element
 * [id, title, content, created] as JSON. The cap check and the append are
 * one script, so an agent at the cap stays there across nodes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_backend.h"
#include "store_redis/store_redis_internal.h"

static void fail(edge_store_call *c)
{
    edge_store_call_done(c, EDGE_STORE_EINVAL);
}

/* A canned response from its stored form [id, title, content, created]. */
static int read_canned(const redisReply *e, edge_canned *n)
{
    memset(n, 0, sizeof(*n));
    snprintf(n->id, sizeof(n->id), "%s", edge__rs_str(e, 0));
    snprintf(n->title, sizeof(n->title), "%s", edge__rs_str(e, 1));
    n->created_ms = edge__rs_int(e, 3);
    n->content = strdup(edge__rs_str(e, 2));
    return n->content != NULL ? 0 : EDGE_STORE_EINTERNAL;
}

/* {0, canned} */
static int parse_one(edge__rs_req *q, int code, const redisReply *r)
{
    return code != 0 ? code : read_canned(edge__rs_at(r, 1), q->out[0]);
}

static void rs_canned_add(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                          const char *title, const char *content, size_t max_bytes,
                          int64_t max_count, edge_canned *out)
{
    if (out == NULL)
        return fail(c);
    memset(out, 0, sizeof(*out));
    size_t len = content != NULL ? strlen(content) : 0;
    char id[EDGE_STORE_ID_MAX], max[24];
    if (edge__store_text_ok(agent_sub, 1) || edge__store_text_ok(title, 1) || len == 0 ||
        len > max_bytes || max_count < 0)
        return fail(c);
    if (edge__store_new_id(id) != 0)
        return edge_store_call_done(c, EDGE_STORE_EINTERNAL);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_one);
    if (q == NULL)
        return;
    q->out[0] = out;
    snprintf(max, sizeof(max), "%lld", (long long)max_count);
    const char *argv[] = {agent_sub, title, content, max, id};
    edge__rs_run(q, RS_CANNED_ADD, 5, argv, NULL);
}

/* {0, [canned...]} */
static int parse_list(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *list = edge__rs_at(r, 1);
    edge_canned *out = q->out[0];
    size_t *count = q->out[1];
    for (size_t i = 0; list != NULL && i < list->elements && *count < q->cap; i++) {
        int rc = read_canned(list->element[i], &out[*count]);
        (*count)++;
        if (rc != 0) {
            for (size_t j = 0; j < *count; j++)
                edge_canned_free(&out[j]);
            *count = 0;
            return rc;
        }
    }
    return 0;
}

static void rs_canned_list(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                           edge_canned *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count) || edge__store_text_ok(agent_sub, 1))
        return fail(c);
    if (cap == 0)
        return edge_store_call_done(c, 0);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_list);
    if (q == NULL)
        return;
    q->out[0] = out, q->out[1] = count, q->cap = cap;
    char n[24];
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {agent_sub, n};
    edge__rs_run(q, RS_CANNED_LIST, 2, argv, NULL);
}

static void rs_canned_delete(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                             const char *id)
{
    if (edge__store_text_ok(agent_sub, 1) || edge__store_id_ok(id))
        return fail(c);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[] = {agent_sub, id};
    edge__rs_run(q, RS_CANNED_DELETE, 2, argv, NULL);
}

void edge__rs_canned_ops(edge_store_async_ops *ops)
{
    ops->canned_add = rs_canned_add;
    ops->canned_list = rs_canned_list;
    ops->canned_delete = rs_canned_delete;
}
