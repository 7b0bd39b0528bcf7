/* test_stream.c - streaming responses (http/stream.h) over a real loopback
 * socket: chunked framing, end and keep-alive, client disconnect, the slow
 * reader bound, bytes behind a stream, and graceful shutdown.
 *
 * The server runs on the main thread's uv loop; a client thread talks to it
 * with blocking sockets and asks the loop thread to act as the stream's
 * owner (write, end, shut down) through a uv_async handle, because libuv
 * handles may only be touched from their loop's thread. */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <uv.h>

#include "http/stream.h"
#include "net/server.h"
#include "server/net/loopback_client.h"
#include "unit.h"

enum { CMD_NONE, CMD_WRITE, CMD_WRITE_FLOOD, CMD_END, CMD_SHUTDOWN };

typedef struct fixture {
    uv_loop_t loop;
    uv_async_t wake;
    edge_server server;
    edge_config cfg;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int cmd, cmd_done, cmd_result;
    edge_stream *stream; /* owned by the connection; NULL once closed */
    int opens, closes, stopped;
} fixture;

static fixture fx;

static void on_stream_open(edge_stream *s, void *opaque)
{
    fixture *f = opaque;
    f->stream = s;
    f->opens++;
    edge_stream_write(s, "data: hello\n\n", 13);
}

static void on_stream_close(edge_stream *s, void *opaque)
{
    fixture *f = opaque;
    f->stream = NULL;
    f->closes++;
}

static void handle(void *ctx, const edge_request *req, edge_response *res)
{
    if (edge_request_path_is(req, "/stream")) {
        edge_response_start_stream(res, 200, "text/event-stream", on_stream_open, on_stream_close,
                                   ctx, 64 * 1024);
        return;
    }
    edge_response_set_body(res, 200, "text/plain", "plain", 5);
}

static void on_stopped(edge_server *s)
{
    fx.stopped = 1;
    uv_close((uv_handle_t *)&fx.wake, NULL);
}

/* Runs on the loop thread: carry out the client thread's command. */
static void on_wake(uv_async_t *a)
{
    fixture *f = a->data;
    pthread_mutex_lock(&f->lock);
    int cmd = f->cmd, result = 0;
    if (cmd == CMD_WRITE)
        result = f->stream ? edge_stream_write(f->stream, "data: more\n\n", 12) : -2;
    if (cmd == CMD_WRITE_FLOOD) {
        static char block[16384];
        memset(block, 'x', sizeof(block));
        result = -2;
        for (int i = 0; i < 1000 && f->stream; i++)
            result = edge_stream_write(f->stream, block, sizeof(block));
    }
    if (cmd == CMD_END && f->stream) {
        edge_stream_end(f->stream);
        f->stream = NULL;
    }
    if (cmd == CMD_SHUTDOWN)
        edge_server_shutdown(&f->server, on_stopped);
    if (cmd != CMD_NONE) {
        f->cmd = CMD_NONE;
        f->cmd_result = result;
        f->cmd_done = 1;
        pthread_cond_signal(&f->done_cond);
    }
    pthread_mutex_unlock(&f->lock);
}

/* Client side: ask the loop to run cmd and wait for it. */
static int run_on_loop(int cmd)
{
    pthread_mutex_lock(&fx.lock);
    fx.cmd = cmd;
    fx.cmd_done = 0;
    uv_async_send(&fx.wake);
    while (!fx.cmd_done)
        pthread_cond_wait(&fx.done_cond, &fx.lock);
    int result = fx.cmd_result;
    pthread_mutex_unlock(&fx.lock);
    return result;
}

static int loop_counter(int *field)
{
    pthread_mutex_lock(&fx.lock);
    int v = *field;
    pthread_mutex_unlock(&fx.lock);
    return v;
}

static int connect_client(void)
{
    return edge_test_connect(fx.server.port, 2000);
}

/* Read until needle appears: 1 when found, 0 on EOF or the timeout. */
static int read_until(int fd, const char *needle, char *acc, size_t cap)
{
    return edge_test_read_until(fd, needle, acc, cap) == 1;
}

static void send_str(int fd, const char *s)
{
    (void)!send(fd, s, strlen(s), MSG_NOSIGNAL);
}

static const char stream_req[] = "GET /stream HTTP/1.1\r\nHost: t\r\n\r\n";

static void test_chunked_events_end_and_keep_alive(void)
{
    int fd = connect_client();
    CHECK(fd >= 0);
    char acc[8192] = "";
    send_str(fd, stream_req);
    CHECK(read_until(fd, "data: hello\n\n\r\n", acc, sizeof(acc)));
    CHECK(strstr(acc, "Transfer-Encoding: chunked\r\n") != NULL);
    CHECK(strstr(acc, "Content-Type: text/event-stream\r\n") != NULL);
    CHECK(strstr(acc, "Content-Length") == NULL);
    CHECK(strstr(acc, "\r\n\r\nd\r\ndata: hello\n\n\r\n") != NULL); /* 13 bytes = 0xd */
    CHECK_INT_EQ(run_on_loop(CMD_WRITE), 0);
    CHECK(read_until(fd, "c\r\ndata: more\n\n\r\n", acc, sizeof(acc)));
    run_on_loop(CMD_END);
    CHECK(read_until(fd, "\r\n0\r\n\r\n", acc, sizeof(acc)));
    acc[0] = '\0';
    send_str(fd, "GET /plain HTTP/1.1\r\nHost: t\r\n\r\n"); /* the connection is reusable */
    CHECK(read_until(fd, "plain", acc, sizeof(acc)));
    close(fd);
    CHECK_INT_EQ(loop_counter(&fx.closes), 0); /* ended by its owner: no close callback */
}

static void wait_for_closes(int want)
{
    for (int i = 0; i < 200 && loop_counter(&fx.closes) < want; i++)
        usleep(10000);
}

static void test_client_disconnect_notifies_owner(void)
{
    int before = loop_counter(&fx.closes);
    int fd = connect_client();
    char acc[4096] = "";
    send_str(fd, stream_req);
    CHECK(read_until(fd, "data: hello", acc, sizeof(acc)));
    close(fd);
    wait_for_closes(before + 1);
    CHECK_INT_EQ(loop_counter(&fx.closes), before + 1);
    CHECK_INT_EQ(run_on_loop(CMD_WRITE), -2); /* the owner forgot the stream */
}

static void test_slow_reader_is_dropped(void)
{
    int before = loop_counter(&fx.closes);
    int fd = connect_client();
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    char acc[4096] = "";
    send_str(fd, stream_req);
    CHECK(read_until(fd, "data: hello", acc, sizeof(acc)));
    /* 16 MB offered to a client that reads nothing: the 64 KiB bound trips. */
    CHECK_INT_EQ(run_on_loop(CMD_WRITE_FLOOD), -1);
    CHECK_INT_EQ(loop_counter(&fx.closes), before + 1);
    close(fd);
}

static void test_bytes_behind_a_stream_drop_the_client(void)
{
    int before = loop_counter(&fx.closes);
    int fd = connect_client();
    char acc[4096] = "";
    send_str(fd, stream_req);
    CHECK(read_until(fd, "data: hello", acc, sizeof(acc)));
    send_str(fd, "GET /plain HTTP/1.1\r\nHost: t\r\n\r\n");
    wait_for_closes(before + 1);
    CHECK_INT_EQ(loop_counter(&fx.closes), before + 1);
    close(fd);
}

static void test_shutdown_ends_streams(void)
{
    int before = loop_counter(&fx.closes);
    int fd = connect_client();
    char acc[4096] = "";
    send_str(fd, stream_req);
    CHECK(read_until(fd, "data: hello\n\n\r\n", acc, sizeof(acc)));
    run_on_loop(CMD_SHUTDOWN);
    CHECK(read_until(fd, "\r\n0\r\n\r\n", acc, sizeof(acc))); /* terminating chunk */
    char tail[64];
    CHECK(recv(fd, tail, sizeof(tail), 0) == 0); /* then the server closes */
    CHECK_INT_EQ(loop_counter(&fx.closes), before + 1);
    close(fd);
}

static void *client_main(void *arg)
{
    UNIT_RUN(test_chunked_events_end_and_keep_alive);
    UNIT_RUN(test_client_disconnect_notifies_owner);
    UNIT_RUN(test_slow_reader_is_dropped);
    UNIT_RUN(test_bytes_behind_a_stream_drop_the_client);
    UNIT_RUN(test_shutdown_ends_streams); /* last: stops the server */
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
    fx.cfg.shutdown_grace_ms = 2000;
    uv_async_init(&fx.loop, &fx.wake, on_wake);
    fx.wake.data = &fx;
    edge_server_hooks hooks = {handle, NULL, &fx, NULL};
    if (edge_server_start(&fx.server, &fx.loop, &fx.cfg, &hooks, err, sizeof(err)) < 0) {
        fprintf(stderr, "start: %s\n", err);
        return 1;
    }
    pthread_t client;
    pthread_create(&client, NULL, client_main, NULL);
    uv_run(&fx.loop, UV_RUN_DEFAULT); /* ends once the shutdown test stopped the server */
    pthread_join(client, NULL);
    CHECK(fx.stopped);
    uv_loop_close(&fx.loop);
    edge_config_free(&fx.cfg);
    return UNIT_DONE();
}
