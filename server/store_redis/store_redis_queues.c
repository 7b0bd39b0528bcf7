/* store_redis_queues.c - the Redis store's queue ops (who waits where,
 * what they were told, personal queues falling back) and the scans the
 * provider's timeouts run over calls (waiting, ringing, caller gone). */
#include <stdio.h>
#include <string.h>

#include "store_redis/store_redis_internal.h"

static void fail(edge_store_call *c)
{
    edge_store_call_done(c, EDGE_STORE_EINVAL);
}

/* {0, [[contact, customer, position, wait, at]...]} */
static int parse_customers(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *list = edge__rs_at(r, 1);
    edge_queue_entry *out = q->out[0];
    size_t *count = q->out[1];
    for (size_t i = 0; list != NULL && i < list->elements && *count < q->cap; i++) {
        const redisReply *e = list->element[i];
        edge_queue_entry *x = &out[(*count)++];
        memset(x, 0, sizeof(*x));
        snprintf(x->contact_id, sizeof(x->contact_id), "%s", edge__rs_str(e, 0));
        snprintf(x->customer_id, sizeof(x->customer_id), "%s", edge__rs_str(e, 1));
        x->told_position = edge__rs_int(e, 2);
        x->told_wait_s = edge__rs_int(e, 3);
        x->told_ms = edge__rs_int(e, 4);
    }
    return 0;
}

static void rs_queue_customers(edge_store_async *s, edge_store_call *c, const char *queue,
                               edge_queue_entry *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count) || edge__store_text_ok(queue, 0))
        return fail(c);
    if (cap == 0)
        return edge_store_call_done(c, 0);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_customers);
    if (q == NULL)
        return;
    q->out[0] = out, q->out[1] = count, q->cap = cap;
    char n[24];
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {queue != NULL ? queue : "", n};
    edge__rs_run(q, RS_QUEUE_CUSTOMERS, 2, argv, NULL);
}

/* {0, [name...]} */
static int parse_names(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *list = edge__rs_at(r, 1);
    char(*out)[EDGE_STORE_TEXT_MAX] = q->out[0];
    size_t *count = q->out[1];
    for (size_t i = 0; list != NULL && i < list->elements && *count < q->cap; i++)
        snprintf(out[(*count)++], EDGE_STORE_TEXT_MAX, "%s", edge__rs_str(list, i));
    return 0;
}

static void rs_queues_waiting(edge_store_async *s, edge_store_call *c,
                              char (*out)[EDGE_STORE_TEXT_MAX], size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count))
        return fail(c);
    char n[24];
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {n};
    edge__rs_run_list((edge__rs *)s, c, RS_QUEUES_WAITING, parse_names, 1, argv, out, cap, count);
}

#define TOLD_MAX 256 /* entries in one queue_told */

static void rs_queue_told(edge_store_async *s, edge_store_call *c, const edge_queue_told *in,
                          size_t n)
{
    if ((n > 0 && in == NULL) || n > TOLD_MAX)
        return fail(c);
    for (size_t i = 0; i < n; i++)
        if (edge__store_id_ok(in[i].contact_id) || in[i].position < 1 || in[i].wait_s < 0)
            return fail(c);
    if (n == 0)
        return edge_store_call_done(c, 0);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[1 + 3 * TOLD_MAX];
    char nums[TOLD_MAX][2][24], count[24];
    snprintf(count, sizeof(count), "%zu", n);
    argv[0] = count;
    for (size_t i = 0; i < n; i++) {
        snprintf(nums[i][0], sizeof(nums[i][0]), "%lld", (long long)in[i].position);
        snprintf(nums[i][1], sizeof(nums[i][1]), "%lld", (long long)in[i].wait_s);
        argv[1 + 3 * i] = in[i].contact_id;
        argv[2 + 3 * i] = nums[i][0];
        argv[3 + 3 * i] = nums[i][1];
    }
    edge__rs_run(q, RS_QUEUE_TOLD, (int)(1 + 3 * n), argv, NULL);
}

static void rs_queue_fallback(edge_store_async *s, edge_store_call *c, const char *prefix,
                              int64_t created_before_ms, size_t *moved)
{
    if (edge__store_text_ok(prefix, 1))
        return fail(c);
    if (moved != NULL) /* may be NULL: then only the rc */
        *moved = 0;
    edge__rs_req *q =
        edge__rs_req_new((edge__rs *)s, c, moved != NULL ? edge__rs_parse_size : NULL);
    if (q == NULL)
        return;
    q->out[0] = moved;
    char before[24];
    snprintf(before, sizeof(before), "%lld", (long long)created_before_ms);
    const char *argv[] = {prefix, before};
    edge__rs_run(q, RS_QUEUE_FALLBACK, 2, argv, NULL);
}

/* ---- the timeouts' scans ---- */

static void scan_calls(edge_store_async *s, edge_store_call *c, const char *which, int64_t before,
                       edge_contact *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count))
        return fail(c);
    char b[24], n[24];
    snprintf(b, sizeof(b), "%lld", (long long)before);
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {which, b, n};
    edge__rs_run_contacts((edge__rs *)s, c, RS_CALLS_SCAN, 3, argv, out, cap, count);
}

static void rs_calls_waiting_since(edge_store_async *s, edge_store_call *c,
                                   int64_t created_before_ms, edge_contact *out, size_t cap,
                                   size_t *count)
{
    scan_calls(s, c, "waiting", created_before_ms, out, cap, count);
}

static void rs_calls_ringing_since(edge_store_async *s, edge_store_call *c, int64_t rung_before_ms,
                                   edge_contact *out, size_t cap, size_t *count)
{
    scan_calls(s, c, "ringing", rung_before_ms, out, cap, count);
}

static void rs_calls_caller_gone(edge_store_async *s, edge_store_call *c, int64_t away_before_ms,
                                 edge_contact *out, size_t cap, size_t *count)
{
    scan_calls(s, c, "gone", away_before_ms, out, cap, count);
}

/* {0, contact pairs} */
static int parse_one(edge__rs_req *q, int code, const redisReply *r)
{
    return code != 0 ? code : edge__rs_contact(edge__rs_at(r, 1), q->out[0]);
}

static void rs_call_next_queued(edge_store_async *s, edge_store_call *c, const char *queue,
                                edge_contact *out)
{
    memset(out, 0, sizeof(*out));
    if (edge__store_text_ok(queue, 0))
        return fail(c);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_one);
    if (q == NULL)
        return;
    q->out[0] = out;
    const char *argv[] = {queue != NULL ? queue : ""};
    edge__rs_run(q, RS_CALL_NEXT_QUEUED, 1, argv, NULL);
}

void edge__rs_queue_ops(edge_store_async_ops *ops)
{
    ops->queue_customers = rs_queue_customers;
    ops->queues_waiting = rs_queues_waiting;
    ops->queue_told = rs_queue_told;
    ops->queue_fallback = rs_queue_fallback;
    ops->calls_waiting_since = rs_calls_waiting_since;
    ops->calls_ringing_since = rs_calls_ringing_since;
    ops->calls_caller_gone = rs_calls_caller_gone;
    ops->call_next_queued = rs_call_next_queued;
}
