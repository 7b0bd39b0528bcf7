/* redis_conn.h - one asynchronous connection to Redis on the loop, that
 * comes back by itself.
 *
 * Built on hiredis's async API on a libuv poll handle (redis_uv.h): commands are
 * pipelined on one socket and their replies come back in order, each to
 * its command's callback on the loop's thread. Nothing here ever blocks
 * the loop: no DNS (addresses are numeric, redis_url.h), no blocking
 * connect, no waiting for a reply.
 *
 * Life of the connection: edge_redis_open starts connecting; every
 * connection first SELECTs the database and SCRIPT LOADs the registered
 * scripts, pipelined before any command, so EVALSHA always finds them. A
 * dropped connection (Redis gone, a connect that takes longer than
 * connect_timeout_ms, a reply outstanding longer than stall_ms, or a
 * NOSCRIPT error after an operator's SCRIPT FLUSH) is retried after a delay
 * that doubles from reconnect_min_ms to reconnect_max_ms and resets once
 * connected. The state callback hears each change between up and down.
 *
 * Commands: every command started with edge_redis_send completes exactly
 * once through cmd->done (unless cancelled): with 0 and the reply, with
 * EDGE_REDIS_EREPLY and the error reply, with EDGE_REDIS_ETIMEDOUT at its
 * deadline, or with EDGE_REDIS_EDOWN when there is no connection (at once,
 * inside the send call: a down store fails fast) or the connection drops
 * before the reply. A command sent while a connection is being made is
 * queued in it and written once connected.
 *
 * Ownership: the connection owns its pending records; the caller owns
 * each edge_redis_cmd and keeps it alive until done fires or it cancels.
 * Replies belong to hiredis and live only during the callback. */
#ifndef EDGE_REDIS_CONN_H
#define EDGE_REDIS_CONN_H

#include <hiredis/hiredis.h>
#include <stddef.h>
#include <uv.h>

#include "redis/redis_url.h"

enum {
    EDGE_REDIS_EDOWN = -40,     /* no connection, or it dropped before the reply */
    EDGE_REDIS_ETIMEDOUT = -41, /* no reply by the command's deadline */
    EDGE_REDIS_EREPLY = -42,    /* Redis answered with an error reply (given to done) */
    EDGE_REDIS_ENOMEM = -43,    /* out of memory */
    EDGE_REDIS_EINVAL = -44     /* bad arguments to a start call */
};

typedef struct edge_redis edge_redis;
typedef struct edge_redis_cmd edge_redis_cmd;

/* A command's completion: rc 0 (reply is Redis's answer), EDGE_REDIS_EREPLY
 * (reply is the error reply) or another error (reply NULL). The reply is
 * valid only until the callback returns. cmd may be freed inside. */
typedef void (*edge_redis_done_fn)(edge_redis_cmd *cmd, int rc, const redisReply *reply);

struct edge_redis_cmd {
    edge_redis_done_fn done; /* the caller's */
    void *opaque;            /* the caller's */
    void *pending;           /* the connection's while in flight, else NULL */
};

/* Up or down (0); fires on every change, never inside edge_redis_send. */
typedef void (*edge_redis_state_fn)(void *opaque, int up);

typedef struct edge_redis_options {
    unsigned connect_timeout_ms; /* default 1000 */
    unsigned stall_ms;           /* an outstanding reply this old drops the link (default 3000) */
    unsigned reconnect_min_ms;   /* default 50 */
    unsigned reconnect_max_ms;   /* default 2000 */
    unsigned check_ms;           /* how often deadlines are checked (default 20) */
    edge_redis_state_fn on_state;
    void *state_opaque;
} edge_redis_options;

/* A Lua script registered with a connection: loaded on every connection,
 * called by its SHA-1 (EVALSHA). body is borrowed and must outlive the
 * connection. */
typedef struct edge_redis_script {
    const char *body;
    char sha[41]; /* filled by edge_redis_script_init */
} edge_redis_script;

/* Fill s->sha from body (hex SHA-1, as Redis names scripts). */
void edge_redis_script_init(edge_redis_script *s, const char *body);

/* Start a connection to addr on loop (options may be NULL: defaults).
 * scripts (n of them, borrowed, initialised) are loaded on each
 * connection. Returns NULL only when out of memory. */
edge_redis *edge_redis_open(uv_loop_t *loop, const edge_redis_addr *addr,
                            const edge_redis_options *options, const edge_redis_script *scripts,
                            size_t n);

/* Is the connection up (connected, not dropping)? */
int edge_redis_up(const edge_redis *r);

/* Send one command (argv[0..argc) with lengths, borrowed for this call
 * only) with a deadline timeout_ms from now. Returns 0: cmd->done will
 * fire (maybe already has, with EDGE_REDIS_EDOWN when down). Returns
 * EDGE_REDIS_EINVAL / ENOMEM without firing anything. Not for SUBSCRIBE,
 * MONITOR or other commands with several replies. */
int edge_redis_send(edge_redis *r, edge_redis_cmd *cmd, unsigned timeout_ms, int argc,
                    const char **argv, const size_t *argvlen);

/* EVALSHA of a registered script: keys then args, as edge_redis_send. */
int edge_redis_eval(edge_redis *r, edge_redis_cmd *cmd, unsigned timeout_ms,
                    const edge_redis_script *script, int nkeys, int nargs, const char **argv,
                    const size_t *argvlen);

/* Forget cmd (in flight): done never fires for it. Its command may still
 * run in Redis; the reply is dropped. Safe on a cmd already completed. */
void edge_redis_cancel(edge_redis *r, edge_redis_cmd *cmd);

/* Close: every command still in flight completes with EDGE_REDIS_EDOWN
 * (before this returns, or right after the reply callback it is called
 * from), then the memory is released on a later loop turn. r must not be
 * used afterwards. */
void edge_redis_close(edge_redis *r);

#endif
