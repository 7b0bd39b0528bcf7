/* store_async_kit.h - the fixture of the asynchronous store's suite
 * (test_store_async*.c): every case runs twice, against the SQLite adapter
 * (completes inside the start call) and against the Redis store on a real
 * redis-server (completes on a later loop turn), each time with two
 * "nodes" sharing the store (two stores on one Redis with a fresh key
 * prefix, or two SQLite handles on one file in a fresh directory). RUN
 * starts an op and pumps the loop until it completes. Header-only, one
 * per test file (define _GNU_SOURCE first). */
#ifndef C2C_TESTS_STORE_ASYNC_KIT_H
#define C2C_TESTS_STORE_ASYNC_KIT_H
#include <cjson/cJSON.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "server/redis/redis_server.h"
#include "store/store_async.h"
#include "store_redis/store_redis.h"
#include "unit.h"

#define T0 1700000000000LL

typedef enum { BACKEND_SQLITE, BACKEND_REDIS } backend;

static test_redis server;  /* one redis-server for the whole run */
static backend mode;       /* the backend the current test runs on */
static int prefix_counter; /* a fresh key prefix per fixture */

/* One node: a store on the shared loop. */
typedef struct node {
    edge_store *sync; /* SQLite only */
    edge_store_async *s;
} node;

typedef struct fx {
    uv_loop_t loop;
    char dir[64];
    char prefix[32];
    node a, b; /* two nodes sharing one store */
    int64_t now;
} fx;

static inline void node_open(fx *f, node *n)
{
    if (mode == BACKEND_SQLITE) {
        char err[256] = "";
        n->sync = edge_store_open_sqlite(f->dir, err, sizeof(err));
        if (n->sync == NULL) {
            fprintf(stderr, "sqlite: %s\n", err);
            abort();
        }
        n->s = edge_store_async_sqlite(n->sync);
    } else {
        edge_redis_addr addr = {.host = "127.0.0.1", .port = server.port};
        /* each node its own name: presence is counted per node */
        edge_store_redis_options o = {.prefix = f->prefix, .node = n == &f->a ? "a" : "b"};
        n->s = edge_store_redis_open(&f->loop, &addr, &o);
    }
    if (n->s == NULL)
        abort();
}

static inline void fx_open(fx *f)
{
    memset(f, 0, sizeof(*f));
    uv_loop_init(&f->loop);
    snprintf(f->dir, sizeof(f->dir), "/tmp/c2c-async-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        abort();
    snprintf(f->prefix, sizeof(f->prefix), "t%d-%d:", (int)getpid(), ++prefix_counter);
    f->now = T0;
    node_open(f, &f->a);
    node_open(f, &f->b);
}

static inline int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static inline void fx_close(fx *f)
{
    node *nodes[] = {&f->a, &f->b};
    for (int i = 0; i < 2; i++) {
        edge_store_async_close(nodes[i]->s);
        edge_store_close(nodes[i]->sync);
    }
    for (int i = 0; i < 10; i++) /* closing handles finish on later turns */
        uv_run(&f->loop, UV_RUN_NOWAIT);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    uv_loop_close(&f->loop);
    nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* ---- running calls ---- */

typedef struct waiter {
    edge_store_call c; /* first */
    int fired;
} waiter;

static inline void on_done(edge_store_call *c)
{
    ((waiter *)c)->fired++;
}

static inline void waiter_init(fx *f, waiter *w)
{
    memset(w, 0, sizeof(*w));
    w->c.done = on_done;
    w->c.now_ms = f->now;
    w->c.deadline_ms = f->now + 5000;
}

/* Pump the loop until every waiter in ws[0..n) fired (or 5 s). */
static inline void wait_all(fx *f, waiter *ws, int n)
{
    uv_update_time(&f->loop);
    uint64_t end = uv_now(&f->loop) + 5000;
    for (;;) {
        int all = 1;
        for (int i = 0; i < n; i++)
            all &= ws[i].fired >= 1;
        if (all || uv_now(&f->loop) > end)
            break;
        uv_run(&f->loop, UV_RUN_ONCE);
        uv_update_time(&f->loop);
    }
    for (int i = 0; i < n; i++)
        CHECK_INT_EQ(ws[i].fired, 1);
}

/* Start op on node n and wait for it: evaluates to its rc. */
#define RUN(f, n, op, ...)                                                                         \
    ({                                                                                             \
        waiter w_;                                                                                 \
        waiter_init((f), &w_);                                                                     \
        EDGE_STORE_ASYNC((n)->s, op, &w_.c, ##__VA_ARGS__);                                        \
        wait_all((f), &w_, 1);                                                                     \
        w_.c.rc;                                                                                   \
    })

static inline int chat(fx *f, node *n, const char *sub, const char *initial, edge_contact *c,
                       edge_participant *p, int *resumed)
{
    char email[80];
    snprintf(email, sizeof(email), "%s@example.test", sub);
    edge_chat_start in = {
        .sub = sub, .name = sub, .email = email, .display_name = sub, .initial_message = initial};
    return RUN(f, n, chat_start, &in, c, p, resumed);
}

/* A message event's data as the provider builds it: cJSON prints the seq
 * (which, for a placeholder, must come out as a plain integer). */
static char *event_json(const edge_message *m, void *ctx)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Id", m->id);
    cJSON_AddNumberToObject(o, "Seq", (double)m->seq);
    cJSON_AddStringToObject(o, "Content", m->content);
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

static inline int msg_send(fx *f, node *n, const char *pid, const char *text, const char *token,
                           int64_t cap_msgs, edge_message *m, edge_event *ev, size_t *count,
                           int *replayed)
{
    edge_message_send in = {.participant_id = pid,
                            .content_type = "text/plain",
                            .content = text,
                            .max_bytes = 4000,
                            .client_token = token,
                            .max_count = cap_msgs,
                            .event_type = "message",
                            .event_json = event_json};
    return RUN(f, n, message_send, &in, m, ev, 8, count, replayed);
}

static inline void free_events(edge_event *ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        edge_event_free(&ev[i]);
}

#define RUN_BOTH(fn)                                                                               \
    do {                                                                                           \
        mode = BACKEND_SQLITE;                                                                     \
        fprintf(stderr, "[sqlite] ");                                                              \
        UNIT_RUN(fn);                                                                              \
        mode = BACKEND_REDIS;                                                                      \
        fprintf(stderr, "[redis]  ");                                                              \
        UNIT_RUN(fn);                                                                              \
    } while (0)

/* Start the run's redis-server: 0, or 1 after saying why. */
static inline int kit_start(void)
{
    if (test_redis_start(&server) != 0) {
        fprintf(stderr, "cannot start redis-server\n");
        return 1;
    }
    return 0;
}

#endif
