/* store_redis_presence.c - the Redis store's presence ops: who has an
 * event stream open (agents and participants), the agents the presence
 * grace takes offline, whom queue changes are told, and the reset a
 * restarted node does. Presence is counted per node: a participant or
 * agent streams while any node holds a stream of theirs (a set of node
 * names each), so a client moving from one node to another through the
 * load balancer never looks gone because the old node's close arrived
 * after the new node's open; a restarted node leaves every set it was in. */
#include <stdio.h>
#include <string.h>

#include "store_redis/store_redis_internal.h"

static void fail(edge_store_call *c)
{
    edge_store_call_done(c, EDGE_STORE_EINVAL);
}

/* {0, [[sub, available, away]...]} into out[0] (cap, count out[1]) */
static int parse_rows(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *list = edge__rs_at(r, 1);
    edge_agent_row *out = q->out[0];
    size_t *count = q->out[1];
    for (size_t i = 0; list != NULL && i < list->elements && *count < q->cap; i++) {
        const redisReply *e = list->element[i];
        edge_agent_row *a = &out[(*count)++];
        memset(a, 0, sizeof(*a));
        snprintf(a->sub, sizeof(a->sub), "%s", edge__rs_str(e, 0));
        a->available = edge__rs_int(e, 1) == 1;
        a->away_since_ms = edge__rs_int(e, 2);
    }
    return 0;
}

static void run_rows(edge_store_async *s, edge_store_call *c, edge__rs_script script, int argc,
                     const char **argv, edge_agent_row *out, size_t cap, size_t *count)
{
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_rows);
    if (q == NULL)
        return;
    q->out[0] = out, q->out[1] = count, q->cap = cap;
    edge__rs_run(q, script, argc, argv, NULL);
}

static void rs_agent_get(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                         edge_agent_row *out)
{
    memset(out, 0, sizeof(*out));
    if (edge__store_text_ok(agent_sub, 1))
        return fail(c);
    /* one row: the list parse with cap 1 and a count of its own */
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_rows);
    if (q == NULL)
        return;
    q->out[0] = out, q->out[1] = &q->own_count, q->cap = 1;
    edge__rs_run(q, RS_AGENT_GET, 1, &agent_sub, NULL);
}

static void scan_agents(edge_store_async *s, edge_store_call *c, const char *which, int64_t before,
                        edge_agent_row *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count))
        return fail(c);
    if (cap == 0)
        return edge_store_call_done(c, 0);
    char b[24], n[24];
    snprintf(b, sizeof(b), "%lld", (long long)before);
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {which, b, n};
    run_rows(s, c, RS_AGENTS_SCAN, 3, argv, out, cap, count);
}

static void rs_agents_away_since(edge_store_async *s, edge_store_call *c, int64_t away_before_ms,
                                 edge_agent_row *out, size_t cap, size_t *count)
{
    scan_agents(s, c, "away", away_before_ms, out, cap, count);
}

static void rs_agents_listening(edge_store_async *s, edge_store_call *c, edge_agent_row *out,
                                size_t cap, size_t *count)
{
    scan_agents(s, c, "listening", 0, out, cap, count);
}

static void rs_agent_presence(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                              int streaming)
{
    if (edge__store_text_ok(agent_sub, 1))
        return fail(c);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[] = {agent_sub, streaming ? "1" : "0", q->rs->node};
    edge__rs_run(q, RS_AGENT_PRESENCE, 3, argv, NULL);
}

static void rs_agent_expire(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                            int64_t away_before_ms)
{
    if (edge__store_text_ok(agent_sub, 1))
        return fail(c);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    char b[24];
    snprintf(b, sizeof(b), "%lld", (long long)away_before_ms);
    const char *argv[] = {agent_sub, b};
    edge__rs_run(q, RS_AGENT_EXPIRE, 2, argv, NULL);
}

static void rs_participant_presence(edge_store_async *s, edge_store_call *c,
                                    const char *participant_id, int streaming)
{
    if (edge__store_id_ok(participant_id))
        return fail(c);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[] = {participant_id, streaming ? "1" : "0", q->rs->node};
    edge__rs_run(q, RS_PARTICIPANT_PRESENCE, 3, argv, NULL);
}

static void rs_presence_reset(edge_store_async *s, edge_store_call *c)
{
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    const char *argv[] = {((edge__rs *)s)->node};
    if (q != NULL)
        edge__rs_run(q, RS_PRESENCE_RESET, 1, argv, NULL);
}

void edge__rs_presence_ops(edge_store_async_ops *ops)
{
    ops->agent_get = rs_agent_get;
    ops->agents_away_since = rs_agents_away_since;
    ops->agents_listening = rs_agents_listening;
    ops->agent_presence = rs_agent_presence;
    ops->agent_expire = rs_agent_expire;
    ops->participant_presence = rs_participant_presence;
    ops->presence_reset = rs_presence_reset;
}
