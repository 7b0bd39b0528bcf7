/* store_redis.c - the Redis store's core: opening and closing, running one
 * script per op with its deadline and cancel, and reading the replies into
 * the store's structs (store_redis.h, store_redis_internal.h). */
#include "store_redis/store_redis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_redis/store_redis_internal.h"

#define CONTAINER(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#define RS_MAX_ARGS 1200        /* prefix, now, and an op's own arguments */
#define RS_MAX_TIMEOUT_MS 60000 /* a deadline further away than this is cut to it */

/* ---- requests ---- */

edge__rs_req *edge__rs_req_new(edge__rs *rs, edge_store_call *c, edge__rs_parse_fn parse)
{
    edge__rs_req *q = calloc(1, sizeof(*q));
    if (q == NULL) {
        edge_store_call_done(c, EDGE_STORE_EINTERNAL);
        return NULL;
    }
    q->rs = rs;
    q->call = c;
    q->parse = parse;
    return q;
}

void edge__rs_req_free(edge__rs_req *q)
{
    free(q->own[0]);
    free(q->own[1]);
    free(q);
}

static int map_conn_error(int rc, const redisReply *reply)
{
    switch (rc) {
    case EDGE_REDIS_EDOWN:
        return EDGE_STORE_EUNAVAILABLE;
    case EDGE_REDIS_ETIMEDOUT:
        return EDGE_STORE_ETIMEDOUT;
    case EDGE_REDIS_EREPLY:
        fprintf(stderr, "store redis: script error: %s\n",
                reply != NULL && reply->str != NULL ? reply->str : "?");
        return EDGE_STORE_EINTERNAL;
    default:
        fprintf(stderr, "store redis: command failed (%d)\n", rc);
        return EDGE_STORE_EINTERNAL;
    }
}

static void on_reply(edge_redis_cmd *cmd, int rc, const redisReply *reply)
{
    edge__rs_req *q = CONTAINER(cmd, edge__rs_req, cmd);
    edge_store_call *c = q->call;
    int code;
    if (rc != 0) {
        code = map_conn_error(rc, reply);
    } else if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 1 ||
               reply->element[0]->type != REDIS_REPLY_INTEGER) {
        fprintf(stderr, "store redis: unexpected reply shape\n");
        code = EDGE_STORE_EINTERNAL;
    } else {
        code = (int)reply->element[0]->integer;
        if (q->parse != NULL)
            code = q->parse(q, code, reply);
    }
    edge__rs_req_free(q);
    edge_store_call_done(c, code);
}

static unsigned timeout_of(const edge_store_call *c)
{
    int64_t left = c->deadline_ms - c->now_ms;
    if (left > RS_MAX_TIMEOUT_MS)
        left = RS_MAX_TIMEOUT_MS;
    return left > 0 ? (unsigned)left : 0;
}

void edge__rs_run(edge__rs_req *q, edge__rs_script script, int argc, const char **argv,
                  const size_t *lens)
{
    edge_store_call *c = q->call;
    unsigned timeout_ms = timeout_of(c);
    if (timeout_ms == 0 || argc < 0 || argc > RS_MAX_ARGS - 2) {
        edge__rs_req_free(q);
        edge_store_call_done(c, timeout_ms == 0 ? EDGE_STORE_ETIMEDOUT : EDGE_STORE_EINVAL);
        return;
    }
    const char *args[RS_MAX_ARGS];
    size_t arglens[RS_MAX_ARGS];
    char now[24];
    snprintf(now, sizeof(now), "%lld", (long long)c->now_ms);
    args[0] = q->rs->prefix, arglens[0] = strlen(q->rs->prefix);
    args[1] = now, arglens[1] = strlen(now);
    for (int i = 0; i < argc; i++) {
        args[i + 2] = argv[i];
        arglens[i + 2] = lens != NULL ? lens[i] : strlen(argv[i]);
    }
    q->cmd.done = on_reply;
    c->backend = q; /* before the send: done may fire inside it */
    int rc = edge_redis_eval(q->rs->conn, &q->cmd, timeout_ms, &q->rs->scripts[script], 0, argc + 2,
                             args, arglens);
    if (rc != 0) {
        edge__rs_req_free(q);
        edge_store_call_done(c, EDGE_STORE_EINTERNAL);
    }
}

/* A plain GET's answer: a string for parse (code 0), or nil (ENOTFOUND,
 * parse not called). */
static void on_get_reply(edge_redis_cmd *cmd, int rc, const redisReply *reply)
{
    edge__rs_req *q = CONTAINER(cmd, edge__rs_req, cmd);
    edge_store_call *c = q->call;
    int code;
    if (rc != 0)
        code = map_conn_error(rc, reply);
    else if (reply->type == REDIS_REPLY_NIL)
        code = EDGE_STORE_ENOTFOUND;
    else if (reply->type != REDIS_REPLY_STRING)
        code = EDGE_STORE_EINTERNAL;
    else
        code = q->parse(q, 0, reply);
    edge__rs_req_free(q);
    edge_store_call_done(c, code);
}

void edge__rs_get(edge__rs_req *q, const char *key)
{
    edge_store_call *c = q->call;
    unsigned timeout_ms = timeout_of(c);
    char full[256];
    int n = snprintf(full, sizeof(full), "%s%s", q->rs->prefix, key);
    if (timeout_ms == 0 || n < 0 || (size_t)n >= sizeof(full)) {
        edge__rs_req_free(q);
        edge_store_call_done(c, timeout_ms == 0 ? EDGE_STORE_ETIMEDOUT : EDGE_STORE_EINVAL);
        return;
    }
    const char *argv[] = {"GET", full};
    size_t lens[] = {3, (size_t)n};
    q->cmd.done = on_get_reply;
    c->backend = q; /* before the send: done may fire inside it */
    if (edge_redis_send(q->rs->conn, &q->cmd, timeout_ms, 2, argv, lens) != 0) {
        edge__rs_req_free(q);
        edge_store_call_done(c, EDGE_STORE_EINTERNAL);
    }
}

static void rs_cancel(edge_store_async *s, edge_store_call *c)
{
    edge__rs_req *q = c->backend;
    if (q == NULL)
        return;
    edge_redis_cancel(((edge__rs *)s)->conn, &q->cmd);
    c->backend = NULL;
    edge__rs_req_free(q);
}

/* ---- reading replies ---- */

const redisReply *edge__rs_at(const redisReply *r, size_t i)
{
    if (r == NULL || r->type != REDIS_REPLY_ARRAY || i >= r->elements)
        return NULL;
    return r->element[i];
}

const char *edge__rs_str(const redisReply *r, size_t i)
{
    const redisReply *e = edge__rs_at(r, i);
    return e != NULL && e->type == REDIS_REPLY_STRING ? e->str : "";
}

int64_t edge__rs_int(const redisReply *r, size_t i)
{
    const redisReply *e = edge__rs_at(r, i);
    if (e == NULL)
        return 0;
    if (e->type == REDIS_REPLY_INTEGER)
        return e->integer;
    return e->type == REDIS_REPLY_STRING ? strtoll(e->str, NULL, 10) : 0;
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

/* One field of a contact hash into out. */
static int contact_field(edge_contact *c, const char *k, const char *v)
{
    if (!strcmp(k, "id"))
        copy(c->id, sizeof(c->id), v);
    else if (!strcmp(k, "kind"))
        c->kind = !strcmp(v, "call") ? EDGE_CONTACT_CALL : EDGE_CONTACT_CHAT;
    else if (!strcmp(k, "state"))
        c->state = !strcmp(v, "ringing")     ? EDGE_CONTACT_RINGING
                   : !strcmp(v, "connected") ? EDGE_CONTACT_CONNECTED
                   : !strcmp(v, "ended")     ? EDGE_CONTACT_ENDED
                                             : EDGE_CONTACT_QUEUED;
    else if (!strcmp(k, "queue"))
        copy(c->queue, sizeof(c->queue), v);
    else if (!strcmp(k, "prio"))
        c->priority = atoi(v);
    else if (!strcmp(k, "sub"))
        copy(c->customer_sub, sizeof(c->customer_sub), v);
    else if (!strcmp(k, "name"))
        copy(c->customer_name, sizeof(c->customer_name), v);
    else if (!strcmp(k, "email"))
        copy(c->customer_email, sizeof(c->customer_email), v);
    else if (!strcmp(k, "offered"))
        copy(c->offered_to, sizeof(c->offered_to), v);
    else if (!strcmp(k, "agent"))
        copy(c->agent_sub, sizeof(c->agent_sub), v);
    else if (!strcmp(k, "prev"))
        copy(c->previous_contact_id, sizeof(c->previous_contact_id), v);
    else if (!strcmp(k, "reason"))
        copy(c->end_reason, sizeof(c->end_reason), v);
    else if (!strcmp(k, "created"))
        c->created_ms = strtoll(v, NULL, 10);
    else if (!strcmp(k, "updated"))
        c->updated_ms = strtoll(v, NULL, 10);
    else if (!strcmp(k, "ended"))
        c->ended_ms = strtoll(v, NULL, 10);
    else if (!strcmp(k, "away"))
        c->customer_away_ms = strtoll(v, NULL, 10);
    else if (!strcmp(k, "attrs") && c->attributes_json == NULL) {
        c->attributes_json = strdup(v);
        if (c->attributes_json == NULL)
            return EDGE_STORE_EINTERNAL;
    } else if (!strcmp(k, "rscore"))
        c->rating_score = atoi(v);
    else if (!strcmp(k, "rcomment") && v[0] != '\0' && c->rating_comment == NULL) {
        c->rating_comment = strdup(v);
        if (c->rating_comment == NULL)
            return EDGE_STORE_EINTERNAL;
    }
    return 0;
}

int edge__rs_contact(const redisReply *pairs, edge_contact *out)
{
    memset(out, 0, sizeof(*out));
    if (pairs == NULL || pairs->type != REDIS_REPLY_ARRAY || pairs->elements < 2)
        return EDGE_STORE_EINTERNAL;
    for (size_t i = 0; i + 1 < pairs->elements; i += 2) {
        if (contact_field(out, edge__rs_str(pairs, i), edge__rs_str(pairs, i + 1)) != 0) {
            edge_contact_free(out);
            memset(out, 0, sizeof(*out));
            return EDGE_STORE_EINTERNAL;
        }
    }
    return 0;
}

int edge__rs_participant(const redisReply *pairs, edge_participant *out)
{
    memset(out, 0, sizeof(*out));
    if (pairs == NULL || pairs->type != REDIS_REPLY_ARRAY || pairs->elements < 2)
        return EDGE_STORE_ENOTFOUND;
    for (size_t i = 0; i + 1 < pairs->elements; i += 2) {
        const char *k = edge__rs_str(pairs, i), *v = edge__rs_str(pairs, i + 1);
        if (!strcmp(k, "id"))
            copy(out->id, sizeof(out->id), v);
        else if (!strcmp(k, "contact"))
            copy(out->contact_id, sizeof(out->contact_id), v);
        else if (!strcmp(k, "role"))
            out->role = !strcmp(v, "agent") ? EDGE_ROLE_AGENT : EDGE_ROLE_CUSTOMER;
        else if (!strcmp(k, "sub"))
            copy(out->sub, sizeof(out->sub), v);
        else if (!strcmp(k, "dname"))
            copy(out->display_name, sizeof(out->display_name), v);
        else if (!strcmp(k, "joined"))
            out->joined_ms = strtoll(v, NULL, 10);
        else if (!strcmp(k, "left"))
            out->left_ms = strtoll(v, NULL, 10);
    }
    return 0;
}

int edge__rs_contacts(const redisReply *list, edge_contact *out, size_t cap, size_t *count)
{
    *count = 0;
    if (list == NULL || list->type != REDIS_REPLY_ARRAY)
        return EDGE_STORE_EINTERNAL;
    for (size_t i = 0; i < list->elements && *count < cap; i++) {
        if (edge__rs_contact(list->element[i], &out[*count]) != 0) {
            for (size_t j = 0; j < *count; j++)
                edge_contact_free(&out[j]);
            *count = 0;
            return EDGE_STORE_EINTERNAL;
        }
        (*count)++;
    }
    return 0;
}

/* {0, [contact pairs...]} into out[0] (cap, out[1] the count) */
static int parse_contacts(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    return edge__rs_contacts(edge__rs_at(r, 1), q->out[0], q->cap, q->out[1]);
}

void edge__rs_run_list(edge__rs *rs, edge_store_call *c, edge__rs_script script,
                       edge__rs_parse_fn parse, int argc, const char **argv, void *out, size_t cap,
                       size_t *count)
{
    if (cap == 0) {
        edge_store_call_done(c, 0);
        return;
    }
    edge__rs_req *q = edge__rs_req_new(rs, c, parse);
    if (q == NULL)
        return;
    q->out[0] = out, q->out[1] = count, q->cap = cap;
    edge__rs_run(q, script, argc, argv, NULL);
}

void edge__rs_run_contacts(edge__rs *rs, edge_store_call *c, edge__rs_script script, int argc,
                           const char **argv, edge_contact *out, size_t cap, size_t *count)
{
    edge__rs_run_list(rs, c, script, parse_contacts, argc, argv, out, cap, count);
}

int edge__rs_parse_size(edge__rs_req *q, int code, const redisReply *r)
{
    if (code == 0)
        *(size_t *)q->out[0] = (size_t)edge__rs_int(r, 1);
    return code;
}

/* ---- open, close ---- */

static void rs_close(edge_store_async *s)
{
    edge__rs *rs = (edge__rs *)s;
    edge_redis_close(rs->conn); /* ops in flight: EUNAVAILABLE */
    free(rs);
}

edge_store_async *edge_store_redis_open(uv_loop_t *loop, const edge_redis_addr *addr,
                                        const edge_store_redis_options *options)
{
    edge__rs *rs = calloc(1, sizeof(*rs));
    if (rs == NULL)
        return NULL;
    snprintf(rs->prefix, sizeof(rs->prefix), "%s",
             options != NULL && options->prefix != NULL ? options->prefix : "c2c:");
    snprintf(rs->node, sizeof(rs->node), "%s",
             options != NULL && options->node != NULL ? options->node : "node");
    rs->ops.name = "redis";
    rs->ops.close = rs_close;
    rs->ops.cancel = rs_cancel;
    edge__rs_contact_ops(&rs->ops);
    edge__rs_chat_ops(&rs->ops);
    edge__rs_agent_ops(&rs->ops);
    edge__rs_queue_ops(&rs->ops);
    edge__rs_presence_ops(&rs->ops);
    edge__rs_retention_ops(&rs->ops);
    edge__rs_wrapup_ops(&rs->ops);
    edge__rs_canned_ops(&rs->ops);
    edge__rs_rating_ops(&rs->ops);
    edge__rs_transfer_ops(&rs->ops);
    rs->base.ops = &rs->ops;
    for (int i = 0; i < RS_SCRIPT_COUNT; i++)
        edge_redis_script_init(&rs->scripts[i], edge__rs_lua((edge__rs_script)i));
    edge_redis_options o = {0};
    if (options != NULL) {
        o.on_state = options->on_state;
        o.state_opaque = options->state_opaque;
    }
    rs->conn = edge_redis_open(loop, addr, &o, rs->scripts, RS_SCRIPT_COUNT);
    if (rs->conn == NULL) {
        free(rs);
        return NULL;
    }
    return &rs->base;
}
