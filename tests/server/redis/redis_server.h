/* redis_server.h - a real redis-server for C tests: started on a free
 * loopback port in a private temporary directory, stopped (SIGKILL, as a
 * crash would) and restarted on the same port, removed at the end.
 * Header-only so that every Redis test can use it. */
#ifndef C2C_TESTS_REDIS_SERVER_H
#define C2C_TESTS_REDIS_SERVER_H

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

typedef struct test_redis {
    int port;
    pid_t pid;
    char dir[64];
} test_redis;

static int test_redis__free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return ntohs(a.sin_port);
}

/* PING until it answers or about 5 s pass: 0 when up. */
static int test_redis__wait_up(int port)
{
    for (int i = 0; i < 250; i++) {
        struct timeval tv = {0, 200000};
        redisContext *c = redisConnectWithTimeout("127.0.0.1", port, tv);
        if (c && !c->err) {
            redisReply *rep = redisCommand(c, "PING");
            int ok = rep && rep->type == REDIS_REPLY_STATUS;
            freeReplyObject(rep);
            redisFree(c);
            if (ok)
                return 0;
        } else if (c) {
            redisFree(c);
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

/* (Re)start redis-server on t->port (a free one the first time). */
static int test_redis_start(test_redis *t)
{
    if (t->port == 0) {
        snprintf(t->dir, sizeof t->dir, "/tmp/c2c-redis-XXXXXX");
        if (!mkdtemp(t->dir))
            return -1;
        t->port = test_redis__free_port();
    }
    char port[16];
    snprintf(port, sizeof port, "%d", t->port);
    t->pid = fork();
    if (t->pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(126);
        execlp("redis-server", "redis-server", "--port", port, "--bind", "127.0.0.1", "--dir",
               t->dir, "--save", "", "--appendonly", "no", "--loglevel", "warning", (char *)NULL);
        _exit(127);
    }
    return t->pid > 0 ? test_redis__wait_up(t->port) : -1;
}

/* SIGKILL, as a crash: no goodbye to the clients. */
static void test_redis_kill(test_redis *t)
{
    if (t->pid > 0) {
        kill(t->pid, SIGKILL);
        waitpid(t->pid, NULL, 0);
        t->pid = 0;
    }
}

static void test_redis_cleanup(test_redis *t)
{
    test_redis_kill(t);
    if (t->dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", t->dir);
    }
}

/* Run loop until *flag is set or ms of loop time pass: 0 when it was. */
static inline int test_redis_run_until(uv_loop_t *loop, const int *flag, unsigned ms)
{
    uint64_t end = uv_now(loop) + ms;
    while (!*flag && uv_now(loop) < end) {
        uv_run(loop, UV_RUN_ONCE);
        uv_update_time(loop);
    }
    return *flag ? 0 : -1;
}

/* A test file's start: SIGPIPE ignored, t started; -1 (said on stderr)
 * when redis-server would not start. */
static inline int test_redis_begin(test_redis *t)
{
    signal(SIGPIPE, SIG_IGN);
    if (test_redis_start(t) == 0)
        return 0;
    fprintf(stderr, "FAIL: could not start redis-server (is it installed?)\n");
    test_redis_cleanup(t);
    return -1;
}

#endif
