/* redis_conn.c - one self-healing asynchronous Redis connection (see
 * redis_conn.h): pending commands in send order, deadlines, reconnects. */
#include "redis/redis_conn.h"

#include <hiredis/async.h>
#include <mbedtls/sha1.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis/redis_uv.h"

/* One command in flight, in send order; freed when hiredis hands back its
 * reply (or NULL when the connection goes). */
typedef struct pending {
    struct pending *prev, *next;
    edge_redis *r;
    edge_redis_cmd *cmd;  /* NULL once timed out or cancelled, and for internal ones */
    uint64_t sent_ms;     /* loop time */
    uint64_t deadline_ms; /* loop time; 0 for internal commands */
    int internal;         /* SELECT / SCRIPT LOAD: an error drops the connection */
} pending;

struct edge_redis {
    uv_loop_t *loop;
    edge_redis_addr addr;
    edge_redis_options o;
    const edge_redis_script *scripts;
    size_t nscripts;
    redisAsyncContext *ac; /* the connection being made or up, else NULL */
    int connected;         /* ac's connect callback said OK */
    uint64_t connect_started_ms;
    unsigned backoff_ms;
    unsigned generation; /* bumped on every drop */
    uv_timer_t check;    /* deadlines, connect timeout, stalls */
    uv_timer_t retry;    /* the next connection attempt */
    int check_active;
    pending list; /* sentinel of the in-flight list */
    int closing;
    int handles_open;
};

static void start_connect(edge_redis *r);

void edge_redis_script_init(edge_redis_script *s, const char *body)
{
    unsigned char digest[20];
    s->body = body;
    mbedtls_sha1_ret((const unsigned char *)body, strlen(body), digest);
    for (int i = 0; i < 20; i++)
        snprintf(s->sha + 2 * i, 3, "%02x", digest[i]);
}

static void notify(edge_redis *r, int up)
{
    if (r->o.on_state && !r->closing)
        r->o.on_state(r->o.state_opaque, up);
}

static void on_retry(uv_timer_t *t)
{
    start_connect(t->data);
}

static void arm_retry(edge_redis *r)
{
    if (r->closing)
        return;
    uv_timer_start(&r->retry, on_retry, r->backoff_ms, 0);
    r->backoff_ms =
        r->backoff_ms * 2 > r->o.reconnect_max_ms ? r->o.reconnect_max_ms : r->backoff_ms * 2;
}

/* Give up the connection now: in-flight commands get EDGE_REDIS_EDOWN through
 * hiredis's NULL replies (deferred by hiredis when called from inside a
 * reply callback); a new attempt follows after the backoff. */
static void drop(edge_redis *r)
{
    redisAsyncContext *ac = r->ac;
    if (!ac)
        return;
    int was_up = r->connected;
    r->ac = NULL;
    r->connected = 0;
    r->generation++;
    redisAsyncFree(ac);
    arm_retry(r);
    if (was_up)
        notify(r, 0);
}

static void unlink_pending(pending *p)
{
    p->prev->next = p->next;
    p->next->prev = p->prev;
}

static int rc_of(const redisReply *reply)
{
    if (!reply)
        return EDGE_REDIS_EDOWN;
    return reply->type == REDIS_REPLY_ERROR ? EDGE_REDIS_EREPLY : 0;
}

/* After an operator's SCRIPT FLUSH, a reconnect loads the scripts again. */
static int is_noscript(const redisReply *reply)
{
    return reply && reply->type == REDIS_REPLY_ERROR && reply->str &&
           strncmp(reply->str, "NOSCRIPT", 8) == 0;
}

static void on_reply(redisAsyncContext *ac, void *reply_v, void *privdata)
{
    (void)ac;
    pending *p = privdata;
    edge_redis *r = p->r;
    const redisReply *reply = reply_v;
    edge_redis_cmd *cmd = p->cmd;
    int internal = p->internal;
    unlink_pending(p);
    free(p);
    int rc = rc_of(reply);
    if (cmd) {
        cmd->pending = NULL;
        cmd->done(cmd, rc, reply);
    }
    if (reply && ((internal && rc != 0) || is_noscript(reply)) && !r->closing)
        drop(r);
}

static pending *new_pending(edge_redis *r, edge_redis_cmd *cmd, unsigned timeout_ms)
{
    pending *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->r = r;
    p->cmd = cmd;
    p->internal = cmd == NULL;
    p->sent_ms = uv_now(r->loop);
    p->deadline_ms = cmd ? p->sent_ms + timeout_ms : 0;
    return p;
}

static void link_pending(edge_redis *r, pending *p)
{
    p->next = &r->list;
    p->prev = r->list.prev;
    r->list.prev->next = p;
    r->list.prev = p;
}

static void on_check(uv_timer_t *t);

static void arm_check(edge_redis *r)
{
    if (r->check_active || r->closing)
        return;
    r->check_active = 1;
    uv_timer_start(&r->check, on_check, r->o.check_ms, r->o.check_ms);
}

/* Queue argv on the current connection; p is linked on success. */
static int queue_on_link(edge_redis *r, pending *p, int argc, const char **argv,
                         const size_t *argvlen)
{
    if (redisAsyncCommandArgv(r->ac, on_reply, p, argc, argv, argvlen) != REDIS_OK)
        return -1;
    link_pending(r, p);
    arm_check(r);
    return 0;
}

static void send_internal(edge_redis *r, int argc, const char **argv, const size_t *argvlen)
{
    pending *p = new_pending(r, NULL, 0);
    if (!p || queue_on_link(r, p, argc, argv, argvlen) != 0)
        free(p);
}

/* SELECT and SCRIPT LOAD go first on every connection. */
static void send_preamble(edge_redis *r)
{
    if (r->addr.db != 0) {
        char db[8];
        snprintf(db, sizeof db, "%d", r->addr.db);
        const char *argv[] = {"SELECT", db};
        send_internal(r, 2, argv, NULL);
    }
    for (size_t i = 0; i < r->nscripts; i++) {
        const char *argv[] = {"SCRIPT", "LOAD", r->scripts[i].body};
        send_internal(r, 3, argv, NULL);
    }
}

static void on_connect(const redisAsyncContext *ac, int status)
{
    edge_redis *r = ac->data;
    if (!r || r->ac != ac)
        return;
    if (status != REDIS_OK) { /* hiredis frees ac after this returns */
        r->ac = NULL;
        r->generation++;
        arm_retry(r);
        return;
    }
    r->connected = 1;
    r->backoff_ms = r->o.reconnect_min_ms;
    notify(r, 1);
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    (void)status;
    edge_redis *r = ac->data;
    if (!r || r->ac != ac) /* dropped by us: already handled */
        return;
    int was_up = r->connected;
    r->ac = NULL;
    r->connected = 0;
    r->generation++;
    arm_retry(r);
    if (was_up)
        notify(r, 0);
}

static void start_connect(edge_redis *r)
{
    if (r->closing || r->ac)
        return;
    redisAsyncContext *ac = redisAsyncConnect(r->addr.host, r->addr.port);
    if (!ac || ac->err || edge__redis_uv_attach(ac, r->loop) != 0) {
        if (ac)
            redisAsyncFree(ac);
        arm_retry(r);
        return;
    }
    ac->data = r;
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    r->ac = ac;
    r->connected = 0;
    r->connect_started_ms = uv_now(r->loop);
    send_preamble(r);
    arm_check(r);
}

/* Deadlines first (each expired command completes with ETIMEDOUT), then
 * the link itself: a connect or an oldest reply taking too long drops it. */
static void expire_deadlines(edge_redis *r, uint64_t now)
{
    unsigned gen = r->generation;
    pending *p = r->list.next;
    while (p != &r->list) {
        pending *next = p->next;
        edge_redis_cmd *cmd = p->cmd;
        if (cmd && now >= p->deadline_ms) {
            p->cmd = NULL;
            cmd->pending = NULL;
            cmd->done(cmd, EDGE_REDIS_ETIMEDOUT, NULL);
            if (r->closing || r->generation != gen)
                return; /* the list went with the connection */
        }
        p = next;
    }
}

static void on_check(uv_timer_t *t)
{
    edge_redis *r = t->data;
    uint64_t now = uv_now(r->loop);
    expire_deadlines(r, now);
    if (r->closing)
        return;
    if (r->ac && !r->connected && now - r->connect_started_ms >= r->o.connect_timeout_ms)
        drop(r);
    else if (r->list.next != &r->list && now - r->list.next->sent_ms >= r->o.stall_ms)
        drop(r);
    if (r->list.next == &r->list && (!r->ac || r->connected)) {
        uv_timer_stop(&r->check);
        r->check_active = 0;
    }
}

static void defaults(edge_redis_options *o)
{
    if (!o->connect_timeout_ms)
        o->connect_timeout_ms = 1000;
    if (!o->stall_ms)
        o->stall_ms = 3000;
    if (!o->reconnect_min_ms)
        o->reconnect_min_ms = 50;
    if (!o->reconnect_max_ms)
        o->reconnect_max_ms = 2000;
    if (!o->check_ms)
        o->check_ms = 20;
}

edge_redis *edge_redis_open(uv_loop_t *loop, const edge_redis_addr *addr,
                            const edge_redis_options *options, const edge_redis_script *scripts,
                            size_t n)
{
    edge_redis *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->loop = loop;
    r->addr = *addr;
    if (options)
        r->o = *options;
    defaults(&r->o);
    r->scripts = scripts;
    r->nscripts = n;
    r->backoff_ms = r->o.reconnect_min_ms;
    r->list.next = r->list.prev = &r->list;
    uv_timer_init(loop, &r->check);
    uv_timer_init(loop, &r->retry);
    r->check.data = r->retry.data = r;
    r->handles_open = 2;
    start_connect(r);
    return r;
}

int edge_redis_up(const edge_redis *r)
{
    return r->ac != NULL && r->connected;
}

int edge_redis_send(edge_redis *r, edge_redis_cmd *cmd, unsigned timeout_ms, int argc,
                    const char **argv, const size_t *argvlen)
{
    if (!cmd || !cmd->done || argc < 1 || !argv)
        return EDGE_REDIS_EINVAL;
    cmd->pending = NULL;
    if (!r->ac || r->closing) {
        cmd->done(cmd, EDGE_REDIS_EDOWN, NULL);
        return 0;
    }
    pending *p = new_pending(r, cmd, timeout_ms);
    if (!p)
        return EDGE_REDIS_ENOMEM;
    if (queue_on_link(r, p, argc, argv, argvlen) != 0) {
        free(p);
        cmd->done(cmd, EDGE_REDIS_EDOWN, NULL);
        return 0;
    }
    cmd->pending = p;
    return 0;
}

int edge_redis_eval(edge_redis *r, edge_redis_cmd *cmd, unsigned timeout_ms,
                    const edge_redis_script *script, int nkeys, int nargs, const char **argv,
                    const size_t *argvlen)
{
    enum { INLINE = 32 };
    if (nkeys < 0 || nargs < nkeys || (nargs > 0 && !argv))
        return EDGE_REDIS_EINVAL;
    const char *inline_argv[INLINE];
    size_t inline_len[INLINE];
    int total = nargs + 3;
    const char **av = total <= INLINE ? inline_argv : malloc(sizeof *av * (size_t)total);
    size_t *al = total <= INLINE ? inline_len : malloc(sizeof *al * (size_t)total);
    char nk[16];
    int rc = EDGE_REDIS_ENOMEM;
    if (av && al) {
        snprintf(nk, sizeof nk, "%d", nkeys);
        av[0] = "EVALSHA", al[0] = 7;
        av[1] = script->sha, al[1] = 40;
        av[2] = nk, al[2] = strlen(nk);
        for (int i = 0; i < nargs; i++) {
            av[3 + i] = argv[i];
            al[3 + i] = argvlen ? argvlen[i] : strlen(argv[i]);
        }
        rc = edge_redis_send(r, cmd, timeout_ms, total, av, al);
    }
    if (av != inline_argv)
        free(av);
    if (al != inline_len)
        free(al);
    return rc;
}

void edge_redis_cancel(edge_redis *r, edge_redis_cmd *cmd)
{
    (void)r;
    pending *p = cmd->pending;
    if (p) {
        p->cmd = NULL;
        cmd->pending = NULL;
    }
}

static void on_handle_closed(uv_handle_t *h)
{
    edge_redis *r = h->data;
    if (--r->handles_open == 0)
        free(r);
}

void edge_redis_close(edge_redis *r)
{
    if (r->closing)
        return;
    r->closing = 1;
    if (r->ac) {
        redisAsyncContext *ac = r->ac;
        r->ac = NULL;
        r->connected = 0;
        r->generation++;
        redisAsyncFree(ac);
    }
    uv_close((uv_handle_t *)&r->check, on_handle_closed);
    uv_close((uv_handle_t *)&r->retry, on_handle_closed);
}
