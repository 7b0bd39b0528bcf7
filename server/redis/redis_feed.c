/* redis_feed.c - participant event feeds in Redis Streams: publishing by
 * script, replay by XRANGE, one fan-out tail per node (see redis_feed.h). */
#include "redis/redis_feed.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTAINER(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

enum { PREFIX_MAX = 64, MAX_BATCH = 256, MAX_REPLAY = 1000, TAIL_COUNT = 512 };

/* Append a batch, all or none: keys are checked before anything is
 * written, then each event gets the next id, goes to its feed (id n-0)
 * and to the fan-out stream. KEYS: seq, fanout, one feed per event.
 * ARGV: now, fanout cap, then feed id, contact, type, data per event. */
static const char publish_lua[] = EDGE_REDIS_FEED_APPEND_LUA
    "local n = #KEYS - 2\n"
    "for i = 3, #KEYS do\n"
    "  local t = redis.call('TYPE', KEYS[i]).ok\n"
    "  if t ~= 'stream' and t ~= 'none' then return redis.error_reply('WRONGTYPE feed') end\n"
    "end\n"
    "local ids = {}\n"
    "for i = 1, n do\n"
    "  local b = 2 + (i - 1) * 4\n"
    "  ids[i] = feed_append(KEYS[1], KEYS[2], ARGV[2], KEYS[2 + i], ARGV[b + 1],\n"
    "                       ARGV[b + 2], ARGV[b + 3], ARGV[b + 4], ARGV[1])\n"
    "end\n"
    "return ids\n";

struct edge_redis_feed {
    uv_loop_t *loop;
    edge_redis_feed_options o;
    char prefix[PREFIX_MAX];
    char key_seq[PREFIX_MAX + 8];
    char key_fanout[PREFIX_MAX + 8];
    edge_redis_script publish;
    edge_redis *cmds; /* publishing and replay */
    edge_redis *tail; /* XREAD BLOCK on the fan-out stream, NULL without live */
    edge_redis_cmd tail_cmd;
    int tail_busy;   /* tail_cmd in flight */
    int have_cursor; /* cursor is known (else ask for the newest entry first) */
    char cursor[48]; /* the last fan-out entry seen */
    uv_timer_t retry;
    int closing;
};

/* ---- reading entries ---- */

static const char *field(const redisReply *fields, const char *name)
{
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        const redisReply *k = fields->element[i], *v = fields->element[i + 1];
        if (k->type == REDIS_REPLY_STRING && strcmp(k->str, name) == 0 &&
            v->type == REDIS_REPLY_STRING)
            return v->str;
    }
    return NULL;
}

/* entry: [id, [field, value, ...]]; id_override for the fan-out (field i). */
static int parse_entry(const redisReply *entry, const char *feed_id, edge_redis_event *ev)
{
    if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2 ||
        entry->element[0]->type != REDIS_REPLY_STRING ||
        entry->element[1]->type != REDIS_REPLY_ARRAY)
        return -1;
    const redisReply *fields = entry->element[1];
    const char *id = feed_id ? entry->element[0]->str : field(fields, "i");
    ev->feed_id = feed_id ? feed_id : field(fields, "f");
    ev->contact_id = field(fields, "c");
    ev->type = field(fields, "t");
    ev->data_json = field(fields, "d");
    const char *at = field(fields, "at");
    if (!id || !ev->feed_id || !ev->contact_id || !ev->type || !ev->data_json || !at)
        return -1;
    ev->id = strtoll(id, NULL, 10); /* "n-0" in a feed, "n" in the fan-out */
    ev->created_ms = strtoll(at, NULL, 10);
    return ev->id > 0 ? 0 : -1;
}

/* ---- the tail ---- */

static void tail_next(edge_redis_feed *f);

static void on_retry(uv_timer_t *t)
{
    tail_next(t->data);
}

static void tail_later(edge_redis_feed *f)
{
    if (!f->closing)
        uv_timer_start(&f->retry, on_retry, 100, 0);
}

static void deliver(edge_redis_feed *f, const redisReply *entries)
{
    for (size_t i = 0; i < entries->elements && !f->closing; i++) {
        const redisReply *entry = entries->element[i];
        edge_redis_event ev;
        if (entry->type == REDIS_REPLY_ARRAY && entry->elements == 2 &&
            entry->element[0]->type == REDIS_REPLY_STRING) {
            snprintf(f->cursor, sizeof f->cursor, "%s", entry->element[0]->str);
            f->have_cursor = 1;
        }
        if (parse_entry(entry, NULL, &ev) == 0)
            f->o.live(f->o.live_ctx, &ev);
    }
}

/* XREAD's answer: nil on timeout, else [[stream, [entries...]]]. The
 * first read of a connection's life asks XREVRANGE for the newest entry. */
static void on_tail(edge_redis_cmd *cmd, int rc, const redisReply *reply)
{
    edge_redis_feed *f = CONTAINER(cmd, edge_redis_feed, tail_cmd);
    f->tail_busy = 0;
    if (f->closing)
        return;
    if (rc != 0) {
        tail_later(f);
        return;
    }
    if (!f->have_cursor) {
        snprintf(f->cursor, sizeof f->cursor, "0-0");
        if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 1 &&
            reply->element[0]->type == REDIS_REPLY_ARRAY && reply->element[0]->elements == 2)
            snprintf(f->cursor, sizeof f->cursor, "%s", reply->element[0]->element[0]->str);
        f->have_cursor = 1;
    } else if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 1 &&
               reply->element[0]->type == REDIS_REPLY_ARRAY && reply->element[0]->elements == 2) {
        deliver(f, reply->element[0]->element[1]);
    }
    tail_next(f);
}

static void tail_next(edge_redis_feed *f)
{
    if (f->closing || f->tail_busy)
        return;
    char block[16], count[16];
    snprintf(block, sizeof block, "%u", f->o.block_ms);
    snprintf(count, sizeof count, "%d", TAIL_COUNT);
    f->tail_cmd.done = on_tail;
    f->tail_busy = 1;
    if (!f->have_cursor) {
        const char *argv[] = {"XREVRANGE", f->key_fanout, "+", "-", "COUNT", "1"};
        edge_redis_send(f->tail, &f->tail_cmd, 2000, 6, argv, NULL);
        return;
    }
    const char *argv[] = {"XREAD", "COUNT",   count,         "BLOCK",
                          block,   "STREAMS", f->key_fanout, f->cursor};
    edge_redis_send(f->tail, &f->tail_cmd, f->o.block_ms + 2000, 8, argv, NULL);
}

/* ---- open, close ---- */

edge_redis_feed *edge_redis_feed_open(uv_loop_t *loop, const edge_redis_addr *addr,
                                      const edge_redis_feed_options *options)
{
    edge_redis_feed *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->loop = loop;
    if (options)
        f->o = *options;
    if (!f->o.fanout_max)
        f->o.fanout_max = 100000;
    if (!f->o.block_ms)
        f->o.block_ms = 1000;
    snprintf(f->prefix, sizeof f->prefix, "%s", f->o.prefix ? f->o.prefix : "c2c:");
    f->o.prefix = f->prefix;
    snprintf(f->key_seq, sizeof f->key_seq, "%sseq", f->prefix);
    snprintf(f->key_fanout, sizeof f->key_fanout, "%sfanout", f->prefix);
    edge_redis_script_init(&f->publish, publish_lua);
    edge_redis_options co = {.on_state = f->o.on_state, .state_opaque = f->o.state_opaque};
    f->cmds = edge_redis_open(loop, addr, &co, &f->publish, 1);
    uv_timer_init(loop, &f->retry);
    f->retry.data = f;
    if (f->o.live) {
        edge_redis_options to = {.stall_ms = f->o.block_ms + 3000};
        f->tail = edge_redis_open(loop, addr, &to, NULL, 0);
    }
    if (!f->cmds || (f->o.live && !f->tail)) {
        edge_redis_feed_close(f);
        return NULL;
    }
    if (f->tail)
        tail_next(f);
    return f;
}

static void on_retry_closed(uv_handle_t *h)
{
    free(h->data);
}

void edge_redis_feed_close(edge_redis_feed *f)
{
    f->closing = 1;
    if (f->cmds)
        edge_redis_close(f->cmds);
    if (f->tail)
        edge_redis_close(f->tail);
    uv_close((uv_handle_t *)&f->retry, on_retry_closed);
}

/* ---- publishing ---- */

static void on_published(edge_redis_cmd *cmd, int rc, const redisReply *reply)
{
    edge_redis_publish *call = CONTAINER(cmd, edge_redis_publish, cmd);
    if (rc == 0 && (reply->type != REDIS_REPLY_ARRAY || reply->elements != call->n))
        rc = EDGE_REDIS_EREPLY;
    for (size_t i = 0; rc == 0 && i < call->n; i++)
        call->ids[i] = reply->element[i]->integer;
    call->done(call, rc);
}

int edge_redis_feed_publish(edge_redis_feed *f, edge_redis_publish *call,
                            const edge_redis_event_in *events, size_t n, int64_t now_ms,
                            unsigned timeout_ms)
{
    if (!call || !call->done || !call->ids || n == 0 || n > MAX_BATCH)
        return EDGE_REDIS_EINVAL;
    size_t nargs = 2 + n + 2 + 4 * n;
    const char **argv = malloc(nargs * sizeof *argv);
    char *keys = malloc(n * (PREFIX_MAX + 8 + 128));
    char now[24], cap[16];
    int rc = EDGE_REDIS_ENOMEM;
    if (argv && keys) {
        snprintf(now, sizeof now, "%lld", (long long)now_ms);
        snprintf(cap, sizeof cap, "%u", f->o.fanout_max);
        argv[0] = f->key_seq, argv[1] = f->key_fanout;
        argv[2 + n] = now, argv[3 + n] = cap;
        rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
            char *key = keys + i * (PREFIX_MAX + 8 + 128);
            if (!events[i].feed_id || strlen(events[i].feed_id) >= 128 || !events[i].type ||
                !events[i].data_json)
                rc = EDGE_REDIS_EINVAL;
            snprintf(key, PREFIX_MAX + 8 + 128, "%sfeed:%s", f->prefix,
                     events[i].feed_id ? events[i].feed_id : "");
            argv[2 + i] = key;
            const char **ev = argv + 4 + n + 4 * i;
            ev[0] = events[i].feed_id, ev[1] = events[i].contact_id ? events[i].contact_id : "";
            ev[2] = events[i].type, ev[3] = events[i].data_json;
        }
        call->n = n;
        call->cmd.done = on_published;
        if (rc == 0)
            rc = edge_redis_eval(f->cmds, &call->cmd, timeout_ms, &f->publish, (int)(2 + n),
                                 (int)nargs, argv, NULL);
    }
    free(argv);
    free(keys);
    return rc;
}

void edge_redis_feed_publish_cancel(edge_redis_feed *f, edge_redis_publish *call)
{
    edge_redis_cancel(f->cmds, &call->cmd);
}

/* ---- replay ---- */

static void on_replayed(edge_redis_cmd *cmd, int rc, const redisReply *reply)
{
    edge_redis_replay *call = CONTAINER(cmd, edge_redis_replay, cmd);
    unsigned cap = (unsigned)(uintptr_t)cmd->opaque;
    if (rc != 0 || reply->type != REDIS_REPLY_ARRAY) {
        call->done(call, rc != 0 ? rc : EDGE_REDIS_EREPLY, 0);
        return;
    }
    size_t shown = reply->elements > cap ? cap : reply->elements;
    for (size_t i = 0; i < shown; i++) {
        edge_redis_event ev;
        if (parse_entry(reply->element[i], call->feed_id, &ev) == 0)
            call->event(call, &ev);
    }
    call->done(call, 0, reply->elements > cap);
}

int edge_redis_feed_replay(edge_redis_feed *f, edge_redis_replay *call, const char *feed_id,
                           int64_t after_id, unsigned cap, unsigned timeout_ms)
{
    if (!call || !call->event || !call->done || !feed_id ||
        strlen(feed_id) >= sizeof call->feed_id || cap == 0 || cap > MAX_REPLAY || after_id < 0)
        return EDGE_REDIS_EINVAL;
    char key[PREFIX_MAX + 8 + 128], start[32], count[16];
    snprintf(call->feed_id, sizeof call->feed_id, "%s", feed_id);
    snprintf(key, sizeof key, "%sfeed:%s", f->prefix, feed_id);
    snprintf(start, sizeof start, "(%lld-0", (long long)after_id);
    snprintf(count, sizeof count, "%u", cap + 1);
    const char *argv[] = {"XRANGE", key, start, "+", "COUNT", count};
    call->cmd.done = on_replayed;
    call->cmd.opaque = (void *)(uintptr_t)cap;
    return edge_redis_send(f->cmds, &call->cmd, timeout_ms, 6, argv, NULL);
}

void edge_redis_feed_replay_cancel(edge_redis_feed *f, edge_redis_replay *call)
{
    edge_redis_cancel(f->cmds, &call->cmd);
}
