/* store_redis_agents.c - the Redis store's agent, route and rate-limit
 * ops, including the combined pick-and-ring: one script picks the idle
 * agent and rings the call for them, so two nodes never pick the same
 * agent for two calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_backend.h"
#include "store_redis/store_redis_internal.h"

#define ROUTE_CANDIDATES 5 /* fresh ids tried in one route_create */

static void rs_agent_set_status(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                                const char *name, int available)
{
    if (edge__store_text_ok(agent_sub, 1) || edge__store_text_ok(name, 0)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[] = {agent_sub, name != NULL ? name : "", name != NULL ? "1" : "0",
                          available ? "1" : "0"};
    edge__rs_run(q, RS_AGENT_SET_STATUS, 4, argv, NULL);
}

/* {0, n} into an int */
static int parse_int(edge__rs_req *q, int code, const redisReply *r)
{
    if (code == 0)
        *(int *)q->out[0] = (int)edge__rs_int(r, 1);
    return code;
}

static void rs_agents_available(edge_store_async *s, edge_store_call *c, int *count)
{
    if (count == NULL) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    *count = 0;
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_int);
    if (q == NULL)
        return;
    q->out[0] = count;
    edge__rs_run(q, RS_AGENTS_AVAILABLE, 0, NULL, NULL);
}

/* {0, sub} */
static int parse_pick(edge__rs_req *q, int code, const redisReply *r)
{
    if (code == 0)
        snprintf(q->out[0], EDGE_STORE_TEXT_MAX, "%s", edge__rs_str(r, 1));
    return code;
}

static void pick(edge_store_async *s, edge_store_call *c, const char *contact_id,
                 const char *exclude_sub, char out_sub[EDGE_STORE_TEXT_MAX])
{
    out_sub[0] = '\0';
    if (edge__store_text_ok(exclude_sub, 0)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_pick);
    if (q == NULL)
        return;
    q->out[0] = out_sub;
    const char *argv[] = {exclude_sub != NULL ? exclude_sub : "", contact_id};
    edge__rs_run(q, RS_AGENT_PICK, 2, argv, NULL);
}

static void rs_agent_pick_idle(edge_store_async *s, edge_store_call *c, const char *exclude_sub,
                               char out_sub[EDGE_STORE_TEXT_MAX])
{
    pick(s, c, "", exclude_sub, out_sub);
}

static void rs_agent_pick_ring(edge_store_async *s, edge_store_call *c, const char *contact_id,
                               const char *exclude_sub, char out_sub[EDGE_STORE_TEXT_MAX])
{
    if (edge__store_id_ok(contact_id)) {
        out_sub[0] = '\0';
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    pick(s, c, contact_id, exclude_sub, out_sub);
}

/* ---- routes ---- */

/* {0, route pairs} */
static int parse_route(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    edge_adhoc_route *out = q->out[0];
    const redisReply *h = edge__rs_at(r, 1);
    for (size_t i = 0; h != NULL && i + 1 < h->elements; i += 2) {
        const char *k = edge__rs_str(h, i), *v = edge__rs_str(h, i + 1);
        if (!strcmp(k, "id"))
            snprintf(out->route_id, sizeof(out->route_id), "%s", v);
        else if (!strcmp(k, "agent"))
            snprintf(out->agent_sub, sizeof(out->agent_sub), "%s", v);
        else if (!strcmp(k, "email"))
            snprintf(out->attendee_email, sizeof(out->attendee_email), "%s", v);
        else if (!strcmp(k, "queue"))
            snprintf(out->queue, sizeof(out->queue), "%s", v);
        else if (!strcmp(k, "usedby"))
            snprintf(out->used_by_contact, sizeof(out->used_by_contact), "%s", v);
        else if (!strcmp(k, "created"))
            out->created_ms = strtoll(v, NULL, 10);
        else if (!strcmp(k, "expires"))
            out->expires_ms = strtoll(v, NULL, 10);
        else if (!strcmp(k, "used"))
            out->used_ms = strtoll(v, NULL, 10);
    }
    return out->route_id[0] != '\0' ? 0 : EDGE_STORE_EINTERNAL;
}

static void rs_route_create(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                            const char *attendee_email, const char *queue, int64_t expires_ms,
                            edge_adhoc_route *out)
{
    memset(out, 0, sizeof(*out));
    char ids[ROUTE_CANDIDATES][16], expires[24];
    int rc = edge__store_text_ok(agent_sub, 1) || edge__store_text_ok(attendee_email, 1) ||
                     edge__store_text_ok(queue, 0)
                 ? EDGE_STORE_EINVAL
                 : 0;
    for (int i = 0; rc == 0 && i < ROUTE_CANDIDATES; i++)
        rc = edge__store_new_route_id(ids[i]);
    if (rc != 0) {
        edge_store_call_done(c, rc);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_route);
    if (q == NULL)
        return;
    q->out[0] = out;
    snprintf(expires, sizeof(expires), "%lld", (long long)expires_ms);
    const char *argv[4 + ROUTE_CANDIDATES] = {agent_sub, attendee_email, queue != NULL ? queue : "",
                                              expires};
    for (int i = 0; i < ROUTE_CANDIDATES; i++)
        argv[4 + i] = ids[i];
    edge__rs_run(q, RS_ROUTE_CREATE, 4 + ROUTE_CANDIDATES, argv, NULL);
}

static void rs_route_redeem(edge_store_async *s, edge_store_call *c, const char *route_id,
                            const char *email, const char *contact_id, edge_adhoc_route *out)
{
    memset(out, 0, sizeof(*out));
    if (route_id == NULL || route_id[0] == '\0' || strlen(route_id) >= 16 ||
        edge__store_text_ok(email, 0) || edge__store_id_ok(contact_id)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_route);
    if (q == NULL)
        return;
    q->out[0] = out;
    const char *argv[] = {route_id, email != NULL ? email : "", contact_id};
    edge__rs_run(q, RS_ROUTE_REDEEM, 3, argv, NULL);
}

/* ---- rate limits ---- */

/* {rc, retry after ms} */
static int parse_limit(edge__rs_req *q, int code, const redisReply *r)
{
    if (code == EDGE_STORE_ELIMITED)
        *(int64_t *)q->out[0] = edge__rs_int(r, 1) > 0 ? edge__rs_int(r, 1) : 1;
    return code;
}

static void rs_limit_take(edge_store_async *s, edge_store_call *c, const char *key, uint32_t max,
                          int64_t window_ms, int64_t *retry_after_ms)
{
    if (retry_after_ms == NULL || key == NULL || key[0] == '\0' ||
        strnlen(key, EDGE_STORE_KEY_MAX) >= EDGE_STORE_KEY_MAX || (max > 0 && window_ms <= 0)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    *retry_after_ms = 0;
    if (max == 0) {
        edge_store_call_done(c, 0);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_limit);
    if (q == NULL)
        return;
    q->out[0] = retry_after_ms;
    char m[16], w[24];
    snprintf(m, sizeof(m), "%u", max);
    snprintf(w, sizeof(w), "%lld", (long long)window_ms);
    const char *argv[] = {key, m, w};
    edge__rs_run(q, RS_LIMIT_TAKE, 3, argv, NULL);
}

void edge__rs_agent_ops(edge_store_async_ops *ops)
{
    ops->agent_set_status = rs_agent_set_status;
    ops->agents_available = rs_agents_available;
    ops->agent_pick_idle = rs_agent_pick_idle;
    ops->agent_pick_ring = rs_agent_pick_ring;
    ops->route_create = rs_route_create;
    ops->route_redeem = rs_route_redeem;
    ops->limit_take = rs_limit_take;
}
