/* redis_uv.h - hiredis's asynchronous context driven by a libuv poll
 * handle, for redis_conn.c only.
 *
 * hiredis 0.14 ships a libuv adapter, but it ignores a poll error: when
 * the kernel reports an error on the socket (Redis killed while a command
 * was being written: the peer answers with a reset), libuv stops the poll
 * handle and the adapter returns, so hiredis never reads the error and
 * the connection sits "up" until a stall timeout. This adapter hands an
 * error to hiredis as a read, which then sees the failure and disconnects
 * at once (every command in flight completes, the connection goes down). */
#ifndef EDGE_REDIS_UV_H
#define EDGE_REDIS_UV_H

#include <hiredis/async.h>
#include <uv.h>

/* Drive ac's socket from loop: sets ac->ev. 0, or -1 (out of memory or an
 * invalid socket; ac is untouched then and the caller frees it). The
 * poll handle is closed and freed when hiredis frees ac. */
int edge__redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop);

#endif
