/* test_deferred.c - deferred responses (http/deferred.h) over a real
 * loopback socket: completion inside the handler and on a later loop turn,
 * pipelined answers kept in order, the deadline's 504 (and the late
 * completion dropped), the client going away (on_cancel once), and a
 * shutdown with answers pending (one completed within the grace period,
 * one cancelled when it runs out).
 *
 * As in test_stream.c, the server runs on the main thread's loop and a
 * client thread with blocking sockets asks the loop thread to act as the
 * handles' owner through a uv_async handle. */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <uv.h>

#include "http/deferred.h"
#include "net/server.h"
#include "server/net/loopback_client.h"
#include "unit.h"

#define MAX_PENDING 8

enum { CMD_NONE, CMD_COMPLETE, CMD_COMPLETE_EXPIRED, CMD_SHUTDOWN };

typedef struct fixture {
    uv_loop_t loop;
    uv_async_t wake;
    edge_server server;
    edge_config cfg;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int cmd, cmd_arg, cmd_done, cmd_result;
    edge_deferred *pending[MAX_PENDING]; /* owned handles, by arrival */
    int slot_of[MAX_PENDING];            /* on_cancel's opaque: the slot number */
    int npending;                        /* slots used so far */
    edge_deferred *expired;              /* a handle whose deadline answered */
    int cancels, stopped;
} fixture;

static fixture fx;

static void on_cancel(edge_deferred *d, void *opaque)
{
    int slot = *(int *)opaque;
    if (fx.pending[slot] == d)
        fx.pending[slot] = NULL; /* must not be touched again */
    fx.cancels++;
}

static edge_deferred *defer_into_slot(edge_response *res, uint32_t timeout_ms)
{
    int slot = fx.npending++ % MAX_PENDING;
    fx.slot_of[slot] = slot;
    edge_deferred *d = edge_response_defer(res, timeout_ms, on_cancel, &fx.slot_of[slot]);
    fx.pending[slot] = d;
    return d;
}

static void handle(void *ctx, const edge_request *req, edge_response *res)
{
    if (edge_request_path_is(req, "/now")) { /* completed before the handler returns */
        edge_response_add_header(res, "X-Before", "kept"); /* set before deferring */
        edge_deferred *d = edge_response_defer(res, 0, on_cancel, NULL);
        edge_response_set_body(edge_deferred_response(d), 200, "text/plain", "now", 3);
        edge_response_complete(d);
        edge_response_add_header(res, "X-After", "merged"); /* like CORS in app.c */
        return;
    }
    if (edge_request_path_is(req, "/later")) {
        defer_into_slot(res, 0);
        edge_response_add_header(res, "X-After", "merged");
        return;
    }
    if (edge_request_path_is(req, "/unset")) { /* completed without an answer: a bug */
        edge_response_complete(edge_response_defer(res, 0, NULL, NULL));
        return;
    }
    if (edge_request_path_is(req, "/slow")) {
        defer_into_slot(res, 100);
        return;
    }
    edge_response_set_body(res, 200, "text/plain", "plain", 5);
}

static void on_stopped(edge_server *s)
{
    fx.stopped = 1;
    uv_close((uv_handle_t *)&fx.wake, NULL);
}

/* Complete the handle in slot with body "later<slot>". */
static int complete_slot(int slot)
{
    edge_deferred *d = fx.pending[slot];
    if (d == NULL)
        return -2;
    fx.pending[slot] = NULL;
    if (edge_deferred_expired(d))
        fx.expired = d;
    char body[16];
    int n = snprintf(body, sizeof(body), "later%d", slot);
    edge_response_set_body(edge_deferred_response(d), 200, "text/plain", body, (size_t)n);
    edge_response_complete(d);
    return 0;
}

/* Runs on the loop thread: carry out the client thread's command. */
static void on_wake(uv_async_t *a)
{
    pthread_mutex_lock(&fx.lock);
    int cmd = fx.cmd, result = 0;
    if (cmd == CMD_COMPLETE)
        result = complete_slot(fx.cmd_arg);
    if (cmd == CMD_COMPLETE_EXPIRED) { /* is the handle still marked expired? */
        edge_deferred *d = fx.pending[fx.cmd_arg];
        result = d != NULL && edge_deferred_expired(d) ? complete_slot(fx.cmd_arg) : -3;
    }
    if (cmd == CMD_SHUTDOWN)
        edge_server_shutdown(&fx.server, on_stopped);
    if (cmd != CMD_NONE) {
        fx.cmd = CMD_NONE;
        fx.cmd_result = result;
        fx.cmd_done = 1;
        pthread_cond_signal(&fx.done_cond);
    }
    pthread_mutex_unlock(&fx.lock);
}

static int run_on_loop(int cmd, int arg)
{
    pthread_mutex_lock(&fx.lock);
    fx.cmd = cmd;
    fx.cmd_arg = arg;
    fx.cmd_done = 0;
    uv_async_send(&fx.wake);
    while (!fx.cmd_done)
        pthread_cond_wait(&fx.done_cond, &fx.lock);
    int result = fx.cmd_result;
    pthread_mutex_unlock(&fx.lock);
    return result;
}

static int locked_int(int *field)
{
    pthread_mutex_lock(&fx.lock);
    int v = *field;
    pthread_mutex_unlock(&fx.lock);
    return v;
}

/* Wait until the loop has handed out `want` handles (the request arrived). */
static void wait_for_pending(int want)
{
    for (int i = 0; i < 300 && locked_int(&fx.npending) < want; i++)
        usleep(5000);
}

static void wait_for_cancels(int want)
{
    for (int i = 0; i < 300 && locked_int(&fx.cancels) < want; i++)
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

static int count_of(const char *s, const char *needle)
{
    int n = 0;
    while ((s = strstr(s, needle)) != NULL) {
        n++;
        s++;
    }
    return n;
}

/* Read until needle appears n times. Returns 1, 0 on EOF, -1 on timeout. */
static int read_count(int fd, const char *needle, int n, char *acc, size_t cap)
{
    size_t len = strlen(acc);
    while (count_of(acc, needle) < n && len + 1 < cap) {
        ssize_t got = recv(fd, acc + len, cap - len - 1, 0);
        if (got <= 0)
            return got == 0 ? 0 : -1;
        len += (size_t)got;
        acc[len] = '\0';
    }
    return count_of(acc, needle) >= n;
}

static void send_str(int fd, const char *s)
{
    (void)!send(fd, s, strlen(s), MSG_NOSIGNAL);
}

#define GET(path) "GET " path " HTTP/1.1\r\nHost: t\r\n\r\n"

static void test_completed_inside_the_handler(void)
{
    int fd = connect_client(2000);
    char acc[4096] = "";
    send_str(fd, GET("/now"));
    CHECK_INT_EQ(read_until(fd, "\r\n\r\nnow", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(strstr(acc, "X-Before: kept\r\n") != NULL);
    CHECK(strstr(acc, "X-After: merged\r\n") != NULL);
    close(fd);
}

static void test_an_unset_answer_is_a_500(void)
{
    int fd = connect_client(2000);
    char acc[4096] = "";
    send_str(fd, GET("/unset"));
    CHECK_INT_EQ(read_until(fd, "}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 500 ", 13) == 0);
    CHECK(strstr(acc, "{\"error\":\"internal\"") != NULL);
    close(fd);
}

/* Without a transport (tests, fuzzers), freeing a response whose handle
 * nobody took cancels it: the owner hears of it once. One completed inside
 * the handler is simply freed. */
static void count_cancel(edge_deferred *d, void *opaque)
{
    ++*(int *)opaque;
}

static void test_untaken_handle_is_cancelled_by_free(void)
{
    int calls = 0;
    edge_response res;
    edge_response_init(&res);
    edge_response_add_header(&res, "X-Early", "1");
    edge_deferred *d = edge_response_defer(&res, 0, count_cancel, &calls);
    CHECK(res.deferred == d);
    CHECK(res.headers.len == 0); /* moved into the deferred response */
    CHECK(strstr(edge_deferred_response(d)->headers.data, "X-Early: 1") != NULL);
    edge_response_free(&res);
    CHECK(res.deferred == NULL);
    CHECK_INT_EQ(calls, 1);
    edge_response_init(&res);
    d = edge_response_defer(&res, 0, count_cancel, &calls);
    edge_response_complete(d);
    edge_response_free(&res); /* freed, not cancelled (ASan: no leak) */
    CHECK_INT_EQ(calls, 1);
}

static void test_completed_on_a_later_turn(void)
{
    int fd = connect_client(200);
    char acc[4096] = "";
    int first = locked_int(&fx.npending);
    send_str(fd, GET("/later"));
    wait_for_pending(first + 1);
    CHECK_INT_EQ(read_until(fd, "HTTP/1.1", acc, sizeof(acc)), -1); /* nothing yet */
    CHECK_INT_EQ(run_on_loop(CMD_COMPLETE, first), 0);
    char want[32];
    snprintf(want, sizeof(want), "\r\n\r\nlater%d", first);
    CHECK_INT_EQ(read_until(fd, want, acc, sizeof(acc)), 1);
    CHECK(strstr(acc, "X-After: merged\r\n") != NULL);
    CHECK(strstr(acc, "Connection: close") == NULL);
    acc[0] = '\0';
    send_str(fd, GET("/plain")); /* the connection goes on */
    CHECK_INT_EQ(read_until(fd, "plain", acc, sizeof(acc)), 1);
    close(fd);
}

static void test_pipelined_answers_keep_their_order(void)
{
    int fd = connect_client(200);
    char acc[8192] = "";
    int first = locked_int(&fx.npending);
    /* plain, deferred, plain, deferred, plain in one write */
    send_str(fd, GET("/plain") GET("/later") GET("/plain") GET("/later") GET("/plain"));
    wait_for_pending(first + 1);
    CHECK_INT_EQ(read_until(fd, "\r\n\r\nplain", acc, sizeof(acc)), 1); /* the first plain */
    CHECK_INT_EQ(read_until(fd, "later", acc, sizeof(acc)), -1);        /* then it waits */
    CHECK_INT_EQ(count_of(acc, "\r\n\r\nplain"), 1); /* the 2nd plain waits too */
    CHECK_INT_EQ(run_on_loop(CMD_COMPLETE, first), 0);
    wait_for_pending(first + 2); /* the second deferred request was parsed */
    CHECK_INT_EQ(locked_int(&fx.npending), first + 2);
    CHECK_INT_EQ(run_on_loop(CMD_COMPLETE, first + 1), 0);
    CHECK_INT_EQ(read_count(fd, "\r\n\r\nplain", 3, acc, sizeof(acc)), 1); /* all five */
    const char *a = strstr(acc, "\r\n\r\nplain");
    const char *b = a ? strstr(a, "\r\n\r\nlater") : NULL;
    const char *c = b ? strstr(b, "\r\n\r\nplain") : NULL;
    const char *d = c ? strstr(c, "\r\n\r\nlater") : NULL;
    const char *e = d ? strstr(d, "\r\n\r\nplain") : NULL;
    CHECK(e != NULL);
    char l1[32], l2[32];
    snprintf(l1, sizeof(l1), "later%d", first);
    snprintf(l2, sizeof(l2), "later%d", first + 1);
    CHECK(b != NULL && strncmp(b + 4, l1, strlen(l1)) == 0);
    CHECK(d != NULL && strncmp(d + 4, l2, strlen(l2)) == 0);
    close(fd);
}

static void test_deadline_answers_504_and_drops_the_late_completion(void)
{
    int fd = connect_client(2000);
    char acc[4096] = "";
    int slot = locked_int(&fx.npending);
    int cancels = locked_int(&fx.cancels);
    send_str(fd, GET("/slow")); /* a 100 ms deadline */
    CHECK_INT_EQ(read_until(fd, "}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 504 Gateway Timeout\r\n", 30) == 0);
    CHECK(strstr(acc, "{\"error\":\"upstream_timeout\"") != NULL);
    CHECK(strstr(acc, "Connection: close") == NULL);
    acc[0] = '\0';
    send_str(fd, GET("/plain")); /* the connection goes on */
    CHECK_INT_EQ(read_until(fd, "plain", acc, sizeof(acc)), 1);
    /* The owner still holds the handle, marked expired; completing it is
     * accepted and nothing more is sent (ASan checks it is freed). */
    CHECK_INT_EQ(run_on_loop(CMD_COMPLETE_EXPIRED, slot), 0);
    CHECK(locked_int(&fx.cancels) == cancels); /* a deadline is not a cancel */
    struct timeval tv = {0, 200000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    acc[0] = '\0';
    CHECK_INT_EQ(read_until(fd, "later", acc, sizeof(acc)), -1);
    close(fd);
}

static void test_too_much_behind_a_pending_answer_closes(void)
{
    int fd = connect_client(2000);
    int slot = locked_int(&fx.npending);
    int cancels = locked_int(&fx.cancels);
    send_str(fd, GET("/later"));
    wait_for_pending(slot + 1);
    static char junk[80 * 1024]; /* over the 64 KiB held behind it */
    memset(junk, 'x', sizeof(junk));
    (void)!send(fd, junk, sizeof(junk), MSG_NOSIGNAL);
    wait_for_cancels(cancels + 1);
    CHECK_INT_EQ(locked_int(&fx.cancels), cancels + 1);
    char acc[256] = "";
    CHECK(read_until(fd, "HTTP/1.1", acc, sizeof(acc)) <= 0); /* closed, unanswered */
    close(fd);
}

static void test_client_gone_cancels_once(void)
{
    int fd = connect_client(2000);
    int slot = locked_int(&fx.npending);
    int cancels = locked_int(&fx.cancels);
    send_str(fd, GET("/later"));
    wait_for_pending(slot + 1);
    close(fd);
    wait_for_cancels(cancels + 1);
    CHECK_INT_EQ(locked_int(&fx.cancels), cancels + 1);
    usleep(50000);
    CHECK_INT_EQ(locked_int(&fx.cancels), cancels + 1); /* once */
    CHECK_INT_EQ(run_on_loop(CMD_COMPLETE, slot), -2);  /* the owner forgot it */
}

static void test_shutdown_with_answers_pending(void)
{
    int a = connect_client(3000), b = connect_client(3000);
    int slot = locked_int(&fx.npending);
    int cancels = locked_int(&fx.cancels);
    send_str(a, GET("/later"));
    wait_for_pending(slot + 1);
    send_str(b, GET("/later"));
    wait_for_pending(slot + 2);
    run_on_loop(CMD_SHUTDOWN, 0);
    /* a is completed within the grace period: answered, then closed */
    CHECK_INT_EQ(run_on_loop(CMD_COMPLETE, slot), 0);
    char acc[4096] = "";
    CHECK_INT_EQ(read_until(a, "\r\n\r\nlater", acc, sizeof(acc)), 1);
    CHECK(strstr(acc, "Connection: close\r\n") != NULL);
    char tail[64];
    CHECK(recv(a, tail, sizeof(tail), 0) == 0);
    /* b never is: when the grace runs out its owner is told, the client
     * sees the connection close, and the server stops. */
    acc[0] = '\0';
    CHECK(read_until(b, "HTTP/1.1", acc, sizeof(acc)) <= 0);
    CHECK(acc[0] == '\0');
    wait_for_cancels(cancels + 1);
    CHECK_INT_EQ(locked_int(&fx.cancels), cancels + 1);
    close(a);
    close(b);
}

static void *client_main(void *arg)
{
    UNIT_RUN(test_completed_inside_the_handler);
    UNIT_RUN(test_an_unset_answer_is_a_500);
    UNIT_RUN(test_completed_on_a_later_turn);
    UNIT_RUN(test_pipelined_answers_keep_their_order);
    UNIT_RUN(test_deadline_answers_504_and_drops_the_late_completion);
    UNIT_RUN(test_too_much_behind_a_pending_answer_closes);
    UNIT_RUN(test_client_gone_cancels_once);
    UNIT_RUN(test_shutdown_with_answers_pending); /* last: stops the server */
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
    uv_async_init(&fx.loop, &fx.wake, on_wake);
    fx.wake.data = &fx;
    edge_server_hooks hooks = {handle, NULL, &fx, NULL};
    if (edge_server_start(&fx.server, &fx.loop, &fx.cfg, &hooks, err, sizeof(err)) < 0) {
        fprintf(stderr, "start: %s\n", err);
        return 1;
    }
    UNIT_RUN(test_untaken_handle_is_cancelled_by_free);
    pthread_t client;
    pthread_create(&client, NULL, client_main, NULL);
    uv_run(&fx.loop, UV_RUN_DEFAULT); /* ends once the shutdown test stopped the server */
    pthread_join(client, NULL);
    CHECK(fx.stopped);
    uv_loop_close(&fx.loop);
    edge_config_free(&fx.cfg);
    return UNIT_DONE();
}
