/* test_api_op.c - the asynchronous provider seam from a route's side
 * (api/api_op.h), over a real loopback socket: the real availability route
 * (api/agent_routes.c) runs against a fake provider whose op completes
 * inside the start call, on a later loop turn, never (the deadline's 504,
 * and the late completion the provider owes is dropped), or is cancelled
 * because the client went away (the provider is told and never calls
 * back). The ?queue= names the fake's behaviour.
 *
 * As in tests/server/net/test_deferred.c, the server runs on the main
 * thread's loop and a client thread with blocking sockets asks the loop
 * thread to act through a uv_async handle. ASan proves each op is freed
 * exactly once and never touched after. */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <uv.h>

#include "api/api_op.h"
#include "api/routes.h"
#include "net/server.h"
#include "server/net/loopback_client.h"
#include "unit.h"

#define MAX_PENDING 8

enum { CMD_NONE, CMD_COMPLETE_OLDEST, CMD_EXPIRE_ALL, CMD_SHUTDOWN };

/* A provider that answers availability as the queue name says. */
typedef struct fake_provider {
    edge_provider base;
    edge_provider_call *pending[MAX_PENDING]; /* calls not completed, by arrival */
    edge_availability *out[MAX_PENDING];
    int started, cancels, completed_late;
} fake_provider;

typedef struct fixture {
    uv_loop_t loop;
    uv_async_t wake;
    edge_server server;
    edge_config cfg;
    edge_router router;
    edge_api_ctx api;
    fake_provider fake;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int cmd, cmd_done, stopped;
} fixture;

static fixture fx;

static void fake_availability(edge_provider *p, edge_provider_call *c, const char *queue,
                              edge_availability *out)
{
    fake_provider *fp = (fake_provider *)p;
    fp->started++;
    if (strcmp(queue, "now") == 0) { /* inside the start call */
        out->agents_available = 2;
        out->queue_depth = 5;
        edge_provider_call_done(c, 0);
        return;
    }
    if (strcmp(queue, "timeout") == 0) { /* the backend's own deadline */
        edge_provider_call_done(c, EDGE_PROVIDER_ETIMEDOUT);
        return;
    }
    for (int i = 0; i < MAX_PENDING; i++) { /* "late", "never", "gone": pending */
        if (fp->pending[i] == NULL) {
            fp->pending[i] = c;
            fp->out[i] = out;
            return;
        }
    }
    edge_provider_call_done(c, EDGE_STORE_EBUSY);
}

static void fake_cancel(edge_provider *p, edge_provider_call *c)
{
    fake_provider *fp = (fake_provider *)p;
    for (int i = 0; i < MAX_PENDING; i++) {
        if (fp->pending[i] == c)
            fp->pending[i] = NULL; /* forgotten: never called back */
    }
    fp->cancels++;
}

static const edge_provider_ops fake_ops = {.availability = fake_availability,
                                           .cancel = fake_cancel};

/* Complete the oldest pending call (rc 0, 7 agents) or every one with
 * ETIMEDOUT (what a provider owes past the deadline). Returns how many. */
static int fake_complete(int all)
{
    int n = 0;
    for (int i = 0; i < MAX_PENDING && (all || n == 0); i++) {
        edge_provider_call *c = fx.fake.pending[i];
        if (c == NULL)
            continue;
        fx.fake.pending[i] = NULL;
        fx.fake.out[i]->agents_available = 7;
        fx.fake.out[i]->queue_depth = 1;
        fx.fake.completed_late++;
        edge_provider_call_done(c, all ? EDGE_PROVIDER_ETIMEDOUT : 0);
        n++;
    }
    return n;
}

static void handle(void *ctx, const edge_request *req, edge_response *res)
{
    int matched = 0;
    char allow[64];
    const edge_route *r = edge_router_find(&fx.router, req, &matched, allow, sizeof(allow));
    if (r == NULL) {
        edge_response_error(res, 404, "not_found", "No route.");
        return;
    }
    r->fn(r->ctx, req, res);
}

static void on_stopped(edge_server *s)
{
    fx.stopped = 1;
    uv_close((uv_handle_t *)&fx.wake, NULL);
}

static void on_wake(uv_async_t *a)
{
    pthread_mutex_lock(&fx.lock);
    int cmd = fx.cmd;
    if (cmd == CMD_COMPLETE_OLDEST)
        fake_complete(0);
    if (cmd == CMD_EXPIRE_ALL)
        fake_complete(1);
    if (cmd == CMD_SHUTDOWN)
        edge_server_shutdown(&fx.server, on_stopped);
    if (cmd != CMD_NONE) {
        fx.cmd = CMD_NONE;
        fx.cmd_done = 1;
        pthread_cond_signal(&fx.done_cond);
    }
    pthread_mutex_unlock(&fx.lock);
}

static void run_on_loop(int cmd)
{
    pthread_mutex_lock(&fx.lock);
    fx.cmd = cmd;
    fx.cmd_done = 0;
    uv_async_send(&fx.wake);
    while (!fx.cmd_done)
        pthread_cond_wait(&fx.done_cond, &fx.lock);
    pthread_mutex_unlock(&fx.lock);
}

static int locked_int(int *field)
{
    pthread_mutex_lock(&fx.lock);
    int v = *field;
    pthread_mutex_unlock(&fx.lock);
    return v;
}

static void wait_until(int *field, int want)
{
    for (int i = 0; i < 300 && locked_int(field) < want; i++)
        usleep(5000);
}

static int connect_client(int timeout_ms)
{
    return edge_test_connect(fx.server.port, timeout_ms);
}

/* Read until needle appears: 1, 0 on EOF, -1 on the receive timeout. */
static int read_until(int fd, const char *needle, char *acc, size_t cap)
{
    return edge_test_read_until(fd, needle, acc, cap);
}

static void send_str(int fd, const char *s)
{
    (void)!send(fd, s, strlen(s), MSG_NOSIGNAL);
}

#define GET(q) "GET /api/availability?queue=" q " HTTP/1.1\r\nHost: t\r\n\r\n"

static void test_completed_inside_the_start_call(void)
{
    int fd = connect_client(2000);
    char acc[4096] = "";
    send_str(fd, GET("now"));
    CHECK_INT_EQ(read_until(fd, "}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(strstr(acc, "\"agentsAvailable\":2") != NULL);
    CHECK(strstr(acc, "\"queueDepth\":5") != NULL);
    close(fd);
}

static void test_completed_on_a_later_turn(void)
{
    int fd = connect_client(50); /* well inside the deadline */
    char acc[4096] = "";
    int started = locked_int(&fx.fake.started);
    send_str(fd, GET("late"));
    wait_until(&fx.fake.started, started + 1);
    CHECK_INT_EQ(read_until(fd, "HTTP/1.1", acc, sizeof(acc)), -1); /* nothing yet */
    run_on_loop(CMD_COMPLETE_OLDEST);
    struct timeval tv = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    CHECK_INT_EQ(read_until(fd, "}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(strstr(acc, "\"queue\":\"late\"") != NULL); /* the route kept what it needs */
    CHECK(strstr(acc, "\"agentsAvailable\":7") != NULL);
    acc[0] = '\0';
    send_str(fd, GET("now")); /* the connection goes on */
    CHECK_INT_EQ(read_until(fd, "\"queueDepth\":5", acc, sizeof(acc)), 1);
    close(fd);
}

static void test_backend_timeout_is_a_504(void)
{
    int fd = connect_client(2000);
    char acc[4096] = "";
    send_str(fd, GET("timeout"));
    CHECK_INT_EQ(read_until(fd, "}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 504 ", 13) == 0);
    CHECK(strstr(acc, "{\"error\":\"upstream_timeout\"") != NULL);
    close(fd);
}

static void test_never_completed_answers_504_at_the_deadline(void)
{
    int fd = connect_client(2000);
    char acc[4096] = "";
    int cancels = locked_int(&fx.fake.cancels);
    send_str(fd, GET("never")); /* the api's deadline: 300 ms */
    CHECK_INT_EQ(read_until(fd, "}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 504 ", 13) == 0);
    CHECK(strstr(acc, "{\"error\":\"upstream_timeout\"") != NULL);
    acc[0] = '\0';
    send_str(fd, GET("now")); /* the connection goes on */
    CHECK_INT_EQ(read_until(fd, "\"queueDepth\":5", acc, sizeof(acc)), 1);
    /* The provider's late completion (it owes one past the deadline) is
     * accepted and dropped; the op is freed (ASan) and nothing is sent. */
    int late = locked_int(&fx.fake.completed_late);
    run_on_loop(CMD_EXPIRE_ALL);
    CHECK_INT_EQ(locked_int(&fx.fake.completed_late), late + 1);
    CHECK_INT_EQ(locked_int(&fx.fake.cancels), cancels); /* a deadline is no cancel */
    struct timeval tv = {0, 100000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    acc[0] = '\0';
    CHECK_INT_EQ(read_until(fd, "HTTP/1.1", acc, sizeof(acc)), -1);
    close(fd);
}

static void test_client_gone_cancels_the_call(void)
{
    int fd = connect_client(2000);
    int started = locked_int(&fx.fake.started);
    int cancels = locked_int(&fx.fake.cancels);
    int late = locked_int(&fx.fake.completed_late);
    send_str(fd, GET("gone"));
    wait_until(&fx.fake.started, started + 1);
    close(fd);
    wait_until(&fx.fake.cancels, cancels + 1);
    CHECK_INT_EQ(locked_int(&fx.fake.cancels), cancels + 1);
    /* Nothing is left for the provider to call back. */
    run_on_loop(CMD_EXPIRE_ALL);
    CHECK_INT_EQ(locked_int(&fx.fake.completed_late), late);
}

static void *client_main(void *arg)
{
    UNIT_RUN(test_completed_inside_the_start_call);
    UNIT_RUN(test_completed_on_a_later_turn);
    UNIT_RUN(test_backend_timeout_is_a_504);
    UNIT_RUN(test_never_completed_answers_504_at_the_deadline);
    UNIT_RUN(test_client_gone_cancels_the_call);
    run_on_loop(CMD_SHUTDOWN);
    return NULL;
}

int main(void)
{
    char err[256];
    uv_loop_init(&fx.loop);
    pthread_mutex_init(&fx.lock, NULL);
    pthread_cond_init(&fx.done_cond, NULL);
    edge_config_init(&fx.cfg);
    fx.cfg.listen_port = 0;
    fx.cfg.shutdown_grace_ms = 300;
    fx.fake.base.ops = &fake_ops;
    edge_router_init(&fx.router);
    fx.api = (edge_api_ctx){.loop = &fx.loop,
                            .cfg = &fx.cfg,
                            .provider = &fx.fake.base,
                            .router = &fx.router,
                            .op_timeout_ms = 300};
    edge_routes_agents(&fx.api);
    uv_async_init(&fx.loop, &fx.wake, on_wake);
    edge_server_hooks hooks = {handle, NULL, &fx, NULL};
    if (edge_server_start(&fx.server, &fx.loop, &fx.cfg, &hooks, err, sizeof(err)) < 0) {
        fprintf(stderr, "start: %s\n", err);
        return 1;
    }
    pthread_t client;
    pthread_create(&client, NULL, client_main, NULL);
    uv_run(&fx.loop, UV_RUN_DEFAULT); /* ends once the client thread stopped the server */
    pthread_join(client, NULL);
    CHECK(fx.stopped);
    uv_loop_close(&fx.loop);
    edge_router_free(&fx.router);
    edge_config_free(&fx.cfg);
    return UNIT_DONE();
}
