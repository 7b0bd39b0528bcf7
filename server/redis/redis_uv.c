/* redis_uv.c - hiredis events on a libuv poll handle (see redis_uv.h). */
#include "redis/redis_uv.h"

#include <stdlib.h>

typedef struct uv_events {
    uv_poll_t poll;        /* poll.data == this */
    redisAsyncContext *ac; /* NULL once hiredis has let go of it */
    int events;            /* UV_READABLE | UV_WRITABLE wanted */
} uv_events;

static void on_poll(uv_poll_t *h, int status, int events)
{
    uv_events *e = h->data;
    if (e->ac == NULL)
        return;
    if (status < 0) {
        /* libuv has stopped the handle: let hiredis read the error (it
         * disconnects), and poll again if it is still there. */
        redisAsyncHandleRead(e->ac);
        if (e->ac != NULL && e->events != 0)
            uv_poll_start(&e->poll, e->events, on_poll);
        return;
    }
    if (e->ac != NULL && (events & UV_READABLE))
        redisAsyncHandleRead(e->ac);
    if (e->ac != NULL && (events & UV_WRITABLE))
        redisAsyncHandleWrite(e->ac);
}

/* Poll for the events in e->events, or stop when there are none. */
static void update(uv_events *e)
{
    if (e->events != 0)
        uv_poll_start(&e->poll, e->events, on_poll);
    else
        uv_poll_stop(&e->poll);
}

static void add_read(void *d)
{
    uv_events *e = d;
    e->events |= UV_READABLE;
    update(e);
}

static void del_read(void *d)
{
    uv_events *e = d;
    e->events &= ~UV_READABLE;
    update(e);
}

static void add_write(void *d)
{
    uv_events *e = d;
    e->events |= UV_WRITABLE;
    update(e);
}

static void del_write(void *d)
{
    uv_events *e = d;
    e->events &= ~UV_WRITABLE;
    update(e);
}

static void on_closed(uv_handle_t *h)
{
    free(h->data);
}

/* hiredis is freeing the context (its socket closes right after). */
static void cleanup(void *d)
{
    uv_events *e = d;
    e->ac = NULL;
    e->events = 0;
    uv_close((uv_handle_t *)&e->poll, on_closed);
}

int edge__redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop)
{
    if (ac->ev.data != NULL)
        return -1;
    uv_events *e = calloc(1, sizeof(*e));
    if (e == NULL)
        return -1;
    if (uv_poll_init_socket(loop, &e->poll, ac->c.fd) != 0) {
        free(e);
        return -1;
    }
    e->poll.data = e;
    e->ac = ac;
    ac->ev.addRead = add_read;
    ac->ev.delRead = del_read;
    ac->ev.addWrite = add_write;
    ac->ev.delWrite = del_write;
    ac->ev.cleanup = cleanup;
    ac->ev.data = e;
    return 0;
}
