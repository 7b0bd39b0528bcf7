/* test_redis_conn.c - the asynchronous Redis connection against a real
 * redis-server: replies in order, error replies, deadlines, cancel, stalls,
 * scripts (also after SCRIPT FLUSH), Redis killed and back, a reset by the
 * peer, close. */
#include "redis/redis_conn.h"

#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/redis/redis_server.h"
#include "unit.h"

static test_redis server;

typedef struct result {
    edge_redis_cmd cmd;
    int fired; /* how many times done ran */
    int rc;
    long long integer;
    char str[128];
} result;

static void on_done(edge_redis_cmd *cmd, int rc, const redisReply *reply)
{
    result *res = (result *)cmd;
    res->fired++;
    res->rc = rc;
    if (reply && reply->type == REDIS_REPLY_INTEGER)
        res->integer = reply->integer;
    if (reply && reply->str)
        snprintf(res->str, sizeof res->str, "%s", reply->str);
}

static void result_init(result *res)
{
    memset(res, 0, sizeof *res);
    res->cmd.done = on_done;
}

static int send_str(edge_redis *r, result *res, unsigned timeout_ms, const char *a0, const char *a1,
                    const char *a2)
{
    const char *argv[] = {a0, a1, a2};
    int argc = a2 ? 3 : a1 ? 2 : 1;
    result_init(res);
    return edge_redis_send(r, &res->cmd, timeout_ms, argc, argv, NULL);
}

static edge_redis_addr addr_of_server(void)
{
    edge_redis_addr a;
    char url[64], err[128];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d/3", server.port);
    if (edge_redis_url_parse(url, &a, err, sizeof err) != 0)
        fprintf(stderr, "%s\n", err);
    return a;
}

typedef struct states {
    int ups, downs;
} states;

static void on_state(void *opaque, int up)
{
    states *s = opaque;
    if (up)
        s->ups++;
    else
        s->downs++;
}

static void close_and_drain(uv_loop_t *loop, edge_redis *r)
{
    edge_redis_close(r);
    uv_run(loop, UV_RUN_DEFAULT);
}

static void test_url(void)
{
    edge_redis_addr a;
    char err[128];
    CHECK_INT_EQ(edge_redis_url_parse("redis://127.0.0.1:6380/2", &a, err, sizeof err), 0);
    CHECK_STR_EQ(a.host, "127.0.0.1");
    CHECK_INT_EQ(a.port, 6380);
    CHECK_INT_EQ(a.db, 2);
    CHECK_INT_EQ(edge_redis_url_parse("redis://localhost", &a, err, sizeof err), 0);
    CHECK_STR_EQ(a.host, "127.0.0.1");
    CHECK_INT_EQ(a.port, 6379);
    CHECK_INT_EQ(a.db, 0);
    CHECK_INT_EQ(edge_redis_url_parse("redis://[::1]:7000/", &a, err, sizeof err), 0);
    CHECK_STR_EQ(a.host, "::1");
    CHECK_INT_EQ(a.port, 7000);
    const char *bad[] = {"http://127.0.0.1",
                         "redis://example.com:6379",
                         "redis://127.0.0.1:0",
                         "redis://127.0.0.1:65536",
                         "redis://127.0.0.1/16",
                         "redis://user:pw@127.0.0.1",
                         "redis://127.0.0.1?db=1",
                         "redis://[::1",
                         "redis://",
                         "redis://127.0.0.1:12a",
                         NULL};
    for (int i = 0; bad[i]; i++) {
        err[0] = '\0';
        CHECK_INT_EQ(edge_redis_url_parse(bad[i], &a, err, sizeof err), -1);
        CHECK(strncmp(err, "redis URL:", 10) == 0);
    }
}

static void test_replies_in_order_and_errors(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    edge_redis_addr a = addr_of_server();
    edge_redis *r = edge_redis_open(&loop, &a, NULL, NULL, 0);
    result set, get, bad;
    send_str(r, &set, 1000, "SET", "greeting", "hello");
    send_str(r, &get, 1000, "GET", "greeting", NULL);
    send_str(r, &bad, 1000, "INCR", "greeting", NULL); /* not an integer */
    CHECK_INT_EQ(test_redis_run_until(&loop, &bad.fired, 2000), 0);
    CHECK_INT_EQ(set.rc, 0);
    CHECK_STR_EQ(get.str, "hello");
    CHECK_INT_EQ(bad.rc, EDGE_REDIS_EREPLY);
    CHECK(strstr(bad.str, "not an integer") != NULL);
    CHECK(edge_redis_up(r));

    /* 300 pipelined INCRs come back 1..300, each once */
    enum { N = 300 };
    static result incr[N];
    for (int i = 0; i < N; i++)
        send_str(r, &incr[i], 2000, "INCR", "counter", NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &incr[N - 1].fired, 3000), 0);
    int in_order = 1;
    for (int i = 0; i < N; i++)
        in_order &= incr[i].fired == 1 && incr[i].rc == 0 && incr[i].integer == i + 1;
    CHECK(in_order);

    /* the database of the URL (3) was selected */
    result db;
    send_str(r, &db, 1000, "CLIENT", "INFO", NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &db.fired, 2000), 0);
    CHECK(strstr(db.str, " db=3 ") != NULL);
    close_and_drain(&loop, r);
    uv_loop_close(&loop);
}

static void test_cancel_and_deadline(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    edge_redis_addr a = addr_of_server();
    edge_redis_options o = {.stall_ms = 400};
    states st = {0, 0};
    o.on_state = on_state;
    o.state_opaque = &st;
    edge_redis *r = edge_redis_open(&loop, &a, &o, NULL, 0);
    result cancelled, later;
    send_str(r, &cancelled, 1000, "GET", "x", NULL);
    edge_redis_cancel(r, &cancelled.cmd);
    send_str(r, &later, 1000, "PING", NULL, NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &later.fired, 2000), 0);
    CHECK_INT_EQ(cancelled.fired, 0);
    CHECK_INT_EQ(st.ups, 1);

    /* BLPOP holds the connection for 5 s: the deadline answers at 100 ms,
     * then the stall (400 ms) drops the connection and it comes back */
    result blocked;
    uint64_t t0 = uv_now(&loop);
    send_str(r, &blocked, 100, "BLPOP", "nothing-here", "5");
    CHECK_INT_EQ(test_redis_run_until(&loop, &blocked.fired, 2000), 0);
    CHECK_INT_EQ(blocked.rc, EDGE_REDIS_ETIMEDOUT);
    CHECK(uv_now(&loop) - t0 < 1000);
    int two_ups = 0;
    for (int i = 0; i < 200 && st.ups < 2; i++)
        test_redis_run_until(&loop, &two_ups, 10);
    CHECK_INT_EQ(st.downs, 1);
    CHECK_INT_EQ(st.ups, 2);
    result after;
    send_str(r, &after, 1000, "PING", NULL, NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &after.fired, 2000), 0);
    CHECK_INT_EQ(after.rc, 0);
    CHECK_INT_EQ(blocked.fired, 1);
    close_and_drain(&loop, r);
    uv_loop_close(&loop);
}

static void test_scripts_survive_flush(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    edge_redis_addr a = addr_of_server();
    edge_redis_script s;
    edge_redis_script_init(&s, "return redis.call('INCRBY', KEYS[1], ARGV[1])");
    CHECK_INT_EQ(strlen(s.sha), 40);
    edge_redis *r = edge_redis_open(&loop, &a, NULL, &s, 1);
    const char *args[] = {"scripted", "5"};
    result one, flush, noscript, again;
    result_init(&one);
    edge_redis_eval(r, &one.cmd, 1000, &s, 1, 2, args, NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &one.fired, 2000), 0);
    CHECK_INT_EQ(one.rc, 0);
    CHECK_INT_EQ(one.integer, 5);
    send_str(r, &flush, 1000, "SCRIPT", "FLUSH", NULL);
    result_init(&noscript);
    edge_redis_eval(r, &noscript.cmd, 1000, &s, 1, 2, args, NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &noscript.fired, 2000), 0);
    CHECK_INT_EQ(noscript.rc, EDGE_REDIS_EREPLY);
    /* the NOSCRIPT dropped the link; the next connection loads it again */
    CHECK(!edge_redis_up(r));
    int idle = 0, sent = 0;
    result_init(&again);
    for (int i = 0; i < 200 && !again.fired; i++) {
        test_redis_run_until(&loop, &idle, 10);
        if (edge_redis_up(r) && !sent) {
            sent = 1;
            edge_redis_eval(r, &again.cmd, 1000, &s, 1, 2, args, NULL);
        }
    }
    CHECK_INT_EQ(again.rc, 0);
    CHECK_INT_EQ(again.integer, 10);
    close_and_drain(&loop, r);
    uv_loop_close(&loop);
}

static void test_redis_down_and_back(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    edge_redis_addr a = addr_of_server();
    states st = {0, 0};
    edge_redis_options o = {.on_state = on_state, .state_opaque = &st, .reconnect_max_ms = 200};
    edge_redis *r = edge_redis_open(&loop, &a, &o, NULL, 0);
    result ping;
    send_str(r, &ping, 1000, "PING", NULL, NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &ping.fired, 2000), 0);

    result inflight;
    send_str(r, &inflight, 5000, "BLPOP", "nothing-here", "10");
    test_redis_run_until(&loop, &inflight.fired, 50);
    test_redis_kill(&server);
    CHECK_INT_EQ(test_redis_run_until(&loop, &inflight.fired, 2000), 0);
    CHECK_INT_EQ(inflight.rc, EDGE_REDIS_EDOWN);
    CHECK_INT_EQ(inflight.fired, 1);
    CHECK_INT_EQ(st.downs, 1);
    CHECK(!edge_redis_up(r));

    /* while down, a command fails at once (inside the send) or as soon as
     * the pending reconnect is refused: never waits for its deadline */
    result fast;
    uint64_t t0 = uv_now(&loop);
    send_str(r, &fast, 5000, "PING", NULL, NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &fast.fired, 1000), 0);
    CHECK_INT_EQ(fast.rc, EDGE_REDIS_EDOWN);
    CHECK(uv_now(&loop) - t0 < 500);

    CHECK_INT_EQ(test_redis_start(&server), 0);
    int flag = 0;
    for (int i = 0; i < 300 && !edge_redis_up(r); i++)
        test_redis_run_until(&loop, &flag, 10);
    CHECK(edge_redis_up(r));
    CHECK_INT_EQ(st.ups, 2);
    result back;
    send_str(r, &back, 1000, "PING", NULL, NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &back.fired, 2000), 0);
    CHECK_INT_EQ(back.rc, 0);
    close_and_drain(&loop, r);
    uv_loop_close(&loop);
}

static void test_nobody_listening_and_close(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    edge_redis_addr a = {.host = "127.0.0.1", .port = test_redis__free_port(), .db = 0};
    edge_redis *r = edge_redis_open(&loop, &a, NULL, NULL, 0);
    result ping;
    send_str(r, &ping, 5000, "PING", NULL, NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &ping.fired, 1500), 0);
    CHECK_INT_EQ(ping.rc, EDGE_REDIS_EDOWN);
    close_and_drain(&loop, r);

    /* close with commands in flight: each completes once with EDOWN */
    edge_redis_addr up = addr_of_server();
    r = edge_redis_open(&loop, &up, NULL, NULL, 0);
    result x, y;
    send_str(r, &x, 1000, "BLPOP", "nothing-here", "5");
    send_str(r, &y, 1000, "PING", NULL, NULL);
    edge_redis_close(r);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT_EQ(x.fired, 1);
    CHECK_INT_EQ(x.rc, EDGE_REDIS_EDOWN);
    CHECK_INT_EQ(y.fired, 1);
    CHECK_INT_EQ(uv_loop_close(&loop), 0);
}

/* A "Redis" that takes one connection, reads the first command and
 * answers it with a reset (SO_LINGER 0), as a killed Redis's kernel does
 * to a command written after the process died. */
typedef struct resetter {
    int listen_fd, port;
} resetter;

static void *reset_one(void *arg)
{
    resetter *rs = arg;
    int fd = accept(rs->listen_fd, NULL, NULL);
    if (fd >= 0) {
        char buf[256];
        (void)!read(fd, buf, sizeof buf);
        struct linger l = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        close(fd);
    }
    return NULL;
}

static int resetter_listen(resetter *rs)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    rs->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (rs->listen_fd < 0 || bind(rs->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(rs->listen_fd, 1) != 0 || getsockname(rs->listen_fd, (struct sockaddr *)&sa, &len))
        return -1;
    rs->port = ntohs(sa.sin_port);
    return 0;
}

/* A reset on the socket (an error, not an orderly close) takes the
 * connection down at once: the command in flight completes with EDOWN
 * long before the stall timeout would drop the connection. */
static void test_reset_by_peer(void)
{
    resetter rs;
    CHECK_INT_EQ(resetter_listen(&rs), 0);
    pthread_t th;
    pthread_create(&th, NULL, reset_one, &rs);
    uv_loop_t loop;
    uv_loop_init(&loop);
    edge_redis_addr a = {.host = "127.0.0.1", .port = rs.port, .db = 0};
    states st = {0, 0};
    edge_redis_options o = {.on_state = on_state, .state_opaque = &st, .stall_ms = 60000};
    edge_redis *r = edge_redis_open(&loop, &a, &o, NULL, 0);
    result ping;
    send_str(r, &ping, 60000, "PING", NULL, NULL);
    CHECK_INT_EQ(test_redis_run_until(&loop, &ping.fired, 3000), 0);
    CHECK_INT_EQ(ping.rc, EDGE_REDIS_EDOWN);
    CHECK_INT_EQ(st.downs, 1);
    pthread_join(th, NULL);
    close(rs.listen_fd);
    close_and_drain(&loop, r);
    uv_loop_close(&loop);
}

int main(void)
{
    if (test_redis_begin(&server) != 0)
        return 1;
    UNIT_RUN(test_url);
    UNIT_RUN(test_replies_in_order_and_errors);
    UNIT_RUN(test_cancel_and_deadline);
    UNIT_RUN(test_scripts_survive_flush);
    UNIT_RUN(test_redis_down_and_back);
    UNIT_RUN(test_reset_by_peer);
    UNIT_RUN(test_nobody_listening_and_close);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
