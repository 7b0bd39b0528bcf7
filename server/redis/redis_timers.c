/* redis_timers.c - due-times in one sorted set, claimed by one script (see
 * redis_timers.h). */
#include "redis/redis_timers.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTAINER(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

enum { NAME_MAX_BYTES = 200, CLAIM_MAX = 1000 };

/* KEYS[1] the set; ARGV now, max. Returns name, due, name, due, ... */
static const char claim_lua[] =
    "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES',\n"
    "                       'LIMIT', 0, tonumber(ARGV[2]))\n"
    "for i = 1, #due, 2 do redis.call('ZREM', KEYS[1], due[i]) end\n"
    "return due\n";

struct edge_redis_timers {
    edge_redis *r;
    const edge_redis_script *claim;
    char key[80];
};

void edge_redis_timers_script_init(edge_redis_script *s)
{
    edge_redis_script_init(s, claim_lua);
}

edge_redis_timers *edge_redis_timers_create(edge_redis *r, const edge_redis_script *claim,
                                            const char *prefix)
{
    edge_redis_timers *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->r = r;
    t->claim = claim;
    snprintf(t->key, sizeof t->key, "%sdue", prefix ? prefix : "c2c:");
    return t;
}

void edge_redis_timers_destroy(edge_redis_timers *t)
{
    free(t);
}

static int name_ok(const char *name)
{
    return name && name[0] && strlen(name) <= NAME_MAX_BYTES;
}

int edge_redis_timer_set(edge_redis_timers *t, edge_redis_cmd *cmd, const char *name,
                         int64_t due_ms, unsigned timeout_ms)
{
    if (!name_ok(name) || due_ms < 0)
        return EDGE_REDIS_EINVAL;
    char score[24];
    snprintf(score, sizeof score, "%lld", (long long)due_ms);
    const char *argv[] = {"ZADD", t->key, score, name};
    return edge_redis_send(t->r, cmd, timeout_ms, 4, argv, NULL);
}

int edge_redis_timer_cancel(edge_redis_timers *t, edge_redis_cmd *cmd, const char *name,
                            unsigned timeout_ms)
{
    if (!name_ok(name))
        return EDGE_REDIS_EINVAL;
    const char *argv[] = {"ZREM", t->key, name};
    return edge_redis_send(t->r, cmd, timeout_ms, 3, argv, NULL);
}

static void on_claimed(edge_redis_cmd *cmd, int rc, const redisReply *reply)
{
    edge_redis_claim *c = CONTAINER(cmd, edge_redis_claim, cmd);
    if (rc == 0 && reply->type != REDIS_REPLY_ARRAY)
        rc = EDGE_REDIS_EREPLY;
    for (size_t i = 0; rc == 0 && i + 1 < reply->elements; i += 2) {
        const redisReply *name = reply->element[i], *due = reply->element[i + 1];
        if (name->type == REDIS_REPLY_STRING && due->type == REDIS_REPLY_STRING)
            c->claimed(c, name->str, strtoll(due->str, NULL, 10));
    }
    c->done(c, rc);
}

int edge_redis_timers_claim(edge_redis_timers *t, edge_redis_claim *c, int64_t now_ms, unsigned max,
                            unsigned timeout_ms)
{
    if (!c || !c->claimed || !c->done || max == 0 || max > CLAIM_MAX)
        return EDGE_REDIS_EINVAL;
    char now[24], count[16];
    snprintf(now, sizeof now, "%lld", (long long)now_ms);
    snprintf(count, sizeof count, "%u", max);
    const char *argv[] = {t->key, now, count};
    c->cmd.done = on_claimed;
    return edge_redis_eval(t->r, &c->cmd, timeout_ms, t->claim, 1, 3, argv, NULL);
}
