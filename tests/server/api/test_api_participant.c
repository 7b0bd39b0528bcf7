/* test_api_participant.c - a participant's request from a route's side
 * (edge_api_participant_op in api/api_op.h), over a real loopback socket:
 * the real chat routes (participant/disconnect, participant/events) run
 * against a fake provider whose participant_auth answers as the token
 * says: at once or on a later loop turn, yes or no or "the store is
 * unreachable", or never (the deadline's 504). The request's own op runs
 * only after a yes, on the same response; the event stream opens on the
 * deferred response when the check answered later; a client that goes
 * away during the check cancels it and nothing more starts.
 *
 * As in test_api_op.c, the server runs on the main thread's loop and a
 * client thread with blocking sockets asks the loop thread to act through
 * a uv_async handle. ASan proves each op is freed exactly once. */
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
#include "http/stream.h"
#include "net/server.h"
#include "server/net/loopback_client.h"
#include "store/store_async.h"
#include "unit.h"

#define MAX_PENDING 8

enum { CMD_NONE, CMD_COMPLETE_OLDEST, CMD_EXPIRE_ALL, CMD_SHUTDOWN };

/* A provider whose participant_auth answers as the token's text says:
 * "now" yes at once, "bad" no at once, "late" yes later, "late-down"
 * EUNAVAILABLE later, "never"/"gone" pending until told. */
typedef struct fake_provider {
    edge_provider base;
    edge_provider_call *pending[MAX_PENDING]; /* auth calls not completed, by arrival */
    edge_participant *out[MAX_PENDING];
    int pending_rc[MAX_PENDING];
    int auths, cancels, disconnects, streams;
    char last_who[EDGE_STORE_ID_MAX]; /* the participant the last disconnect was for */
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

static void fill_who(edge_participant *out, const char *token)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->id, sizeof(out->id), "p-%s", token);
    snprintf(out->contact_id, sizeof(out->contact_id), "c-1");
    out->role = EDGE_ROLE_CUSTOMER;
}

static void fake_auth(edge_provider *p, edge_provider_call *c, const char *token, size_t len,
                      edge_participant_use use, edge_participant *out)
{
    fake_provider *fp = (fake_provider *)p;
    char t[32];
    snprintf(t, sizeof(t), "%.*s", (int)(len < sizeof(t) ? len : sizeof(t) - 1), token);
    fp->auths++;
    if (strcmp(t, "now") == 0) {
        fill_who(out, t);
        edge_provider_call_done(c, 0);
        return;
    }
    if (strcmp(t, "bad") == 0) {
        edge_provider_call_done(c, EDGE_STORE_ENOTFOUND);
        return;
    }
    for (int i = 0; i < MAX_PENDING; i++) {
        if (fp->pending[i] == NULL) {
            fp->pending[i] = c;
            fp->out[i] = out;
            fp->pending_rc[i] = strcmp(t, "late-down") == 0 ? EDGE_STORE_EUNAVAILABLE : 0;
            if (fp->pending_rc[i] == 0)
                fill_who(out, t); /* written before done, as a backend does */
            return;
        }
    }
    edge_provider_call_done(c, EDGE_STORE_EBUSY);
}

static void fake_disconnect(edge_provider *p, edge_provider_call *c, const edge_participant *who)
{
    fake_provider *fp = (fake_provider *)p;
    fp->disconnects++;
    snprintf(fp->last_who, sizeof(fp->last_who), "%s", who->id);
    edge_provider_call_done(c, 0);
}

static void on_stream_open(edge_stream *s, void *opaque)
{
    static const char hello[] = "event: hello\ndata: {}\n\n";
    edge_stream_write(s, hello, sizeof(hello) - 1);
    edge_stream_end(s);
}

static void fake_events(edge_provider *p, const edge_participant *who, int64_t last_event_id,
                        edge_response *res)
{
    ((fake_provider *)p)->streams++;
    edge_response_start_stream(res, 200, "text/event-stream", on_stream_open, NULL, NULL, 0);
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

static const edge_provider_ops fake_ops = {.participant_auth = fake_auth,
                                           .chat_disconnect = fake_disconnect,
                                           .events_serve = fake_events,
                                           .cancel = fake_cancel};

/* Complete the oldest pending check with its rc, or every one with
 * ETIMEDOUT (what a provider owes past the deadline). */
static void fake_complete(int all)
{
    int n = 0;
    for (int i = 0; i < MAX_PENDING && (all || n == 0); i++) {
        edge_provider_call *c = fx.fake.pending[i];
        if (c == NULL)
            continue;
        fx.fake.pending[i] = NULL;
        edge_provider_call_done(c, all ? EDGE_PROVIDER_ETIMEDOUT : fx.fake.pending_rc[i]);
        n++;
    }
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

static void send_str(int fd, const char *s)
{
    (void)!send(fd, s, strlen(s), MSG_NOSIGNAL);
}

static void set_timeout(int fd, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

#define DISCONNECT(tok)                                                                            \
    "POST /api/participant/disconnect HTTP/1.1\r\nHost: t\r\nX-Amz-Bearer: " tok                   \
    "\r\nContent-Length: 2\r\n\r\n{}"
#define EVENTS(tok)                                                                                \
    "GET /api/participant/events HTTP/1.1\r\nHost: t\r\nX-Amz-Bearer: " tok "\r\n\r\n"

/* Send request, then read until needle: 1, 0 on EOF, -1 on timeout. */
static int ask(int fd, const char *request, const char *needle, char *acc, size_t cap)
{
    acc[0] = '\0';
    send_str(fd, request);
    return edge_test_read_until(fd, needle, acc, cap);
}

static void test_checked_at_once(void)
{
    int fd = edge_test_connect(fx.server.port, 2000);
    char acc[4096];
    int before = locked_int(&fx.fake.disconnects);
    CHECK_INT_EQ(ask(fd, DISCONNECT("now"), "{}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK_INT_EQ(locked_int(&fx.fake.disconnects), before + 1);
    CHECK_STR_EQ(fx.fake.last_who, "p-now");
    CHECK_INT_EQ(ask(fd, DISCONNECT("bad"), "}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 401 ", 13) == 0);
    CHECK(strstr(acc, "\"invalid_participant_token\"") != NULL);
    CHECK(strstr(acc, "WWW-Authenticate: Bearer") != NULL);
    CHECK_INT_EQ(locked_int(&fx.fake.disconnects), before + 1); /* no op after a no */
    close(fd);
}

static void test_missing_or_in_url_never_reaches_the_provider(void)
{
    int fd = edge_test_connect(fx.server.port, 2000);
    char acc[4096];
    int auths = locked_int(&fx.fake.auths);
    CHECK_INT_EQ(ask(fd,
                     "POST /api/participant/disconnect HTTP/1.1\r\nHost: t\r\n"
                     "Content-Length: 2\r\n\r\n{}",
                     "}", acc, sizeof(acc)),
                 1);
    CHECK(strncmp(acc, "HTTP/1.1 401 ", 13) == 0);
    CHECK(strstr(acc, "\"missing_participant_token\"") != NULL);
    CHECK_INT_EQ(ask(fd,
                     "GET /api/participant/events?token=now HTTP/1.1\r\nHost: t\r\n"
                     "X-Amz-Bearer: now\r\n\r\n",
                     "}", acc, sizeof(acc)),
                 1);
    CHECK(strncmp(acc, "HTTP/1.1 400 ", 13) == 0);
    CHECK(strstr(acc, "\"token_in_url\"") != NULL);
    CHECK_INT_EQ(locked_int(&fx.fake.auths), auths);
    close(fd);
}

/* The check answers on a later turn: then the op runs, on the same
 * (deferred) response, and the connection goes on. */
static void test_checked_later_then_the_op(void)
{
    int fd = edge_test_connect(fx.server.port, 50);
    char acc[4096];
    int auths = locked_int(&fx.fake.auths);
    int before = locked_int(&fx.fake.disconnects);
    CHECK_INT_EQ(ask(fd, DISCONNECT("late"), "HTTP/1.1", acc, sizeof(acc)), -1);
    wait_until(&fx.fake.auths, auths + 1);
    CHECK_INT_EQ(locked_int(&fx.fake.disconnects), before); /* not before the check */
    run_on_loop(CMD_COMPLETE_OLDEST);
    set_timeout(fd, 2000);
    CHECK_INT_EQ(edge_test_read_until(fd, "{}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK_INT_EQ(locked_int(&fx.fake.disconnects), before + 1);
    CHECK_STR_EQ(fx.fake.last_who, "p-late");
    CHECK_INT_EQ(ask(fd, DISCONNECT("now"), "{}", acc, sizeof(acc)), 1);
    close(fd);
}

static void test_store_unreachable_is_a_503(void)
{
    int fd = edge_test_connect(fx.server.port, 50);
    char acc[4096];
    int auths = locked_int(&fx.fake.auths);
    int before = locked_int(&fx.fake.disconnects);
    CHECK_INT_EQ(ask(fd, DISCONNECT("late-down"), "HTTP/1.1", acc, sizeof(acc)), -1);
    wait_until(&fx.fake.auths, auths + 1);
    run_on_loop(CMD_COMPLETE_OLDEST);
    set_timeout(fd, 2000);
    CHECK_INT_EQ(edge_test_read_until(fd, "}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 503 ", 13) == 0);
    CHECK(strstr(acc, "{\"error\":\"store_unavailable\"") != NULL);
    CHECK_INT_EQ(locked_int(&fx.fake.disconnects), before);
    close(fd);
}

/* The event stream after a check that answered later: the deferred
 * response becomes the stream. */
static void test_stream_after_a_later_check(void)
{
    int fd = edge_test_connect(fx.server.port, 50);
    char acc[4096];
    int auths = locked_int(&fx.fake.auths);
    CHECK_INT_EQ(ask(fd, EVENTS("late"), "HTTP/1.1", acc, sizeof(acc)), -1);
    wait_until(&fx.fake.auths, auths + 1);
    CHECK_INT_EQ(locked_int(&fx.fake.streams), 0);
    run_on_loop(CMD_COMPLETE_OLDEST);
    set_timeout(fd, 2000);
    CHECK_INT_EQ(edge_test_read_until(fd, "\r\n0\r\n\r\n", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(strstr(acc, "Content-Type: text/event-stream") != NULL);
    CHECK(strstr(acc, "event: hello\n") != NULL);
    CHECK_INT_EQ(locked_int(&fx.fake.streams), 1);
    CHECK_INT_EQ(ask(fd, DISCONNECT("now"), "{}", acc, sizeof(acc)), 1); /* keep-alive goes on */
    close(fd);
}

static void test_client_gone_during_the_check(void)
{
    int fd = edge_test_connect(fx.server.port, 2000);
    int auths = locked_int(&fx.fake.auths);
    int cancels = locked_int(&fx.fake.cancels);
    int before = locked_int(&fx.fake.disconnects);
    send_str(fd, DISCONNECT("gone"));
    wait_until(&fx.fake.auths, auths + 1);
    close(fd);
    wait_until(&fx.fake.cancels, cancels + 1);
    CHECK_INT_EQ(locked_int(&fx.fake.cancels), cancels + 1);
    run_on_loop(CMD_EXPIRE_ALL); /* nothing left to call back */
    CHECK_INT_EQ(locked_int(&fx.fake.disconnects), before);
}

/* The check never answers: 504 at the deadline; its late answer is
 * dropped and the op never starts. */
static void test_deadline_during_the_check(void)
{
    int fd = edge_test_connect(fx.server.port, 2000);
    char acc[4096];
    int before = locked_int(&fx.fake.disconnects);
    CHECK_INT_EQ(ask(fd, DISCONNECT("never"), "}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 504 ", 13) == 0);
    CHECK(strstr(acc, "{\"error\":\"upstream_timeout\"") != NULL);
    run_on_loop(CMD_EXPIRE_ALL);
    CHECK_INT_EQ(locked_int(&fx.fake.disconnects), before);
    CHECK_INT_EQ(ask(fd, DISCONNECT("now"), "{}", acc, sizeof(acc)), 1);
    CHECK(strncmp(acc, "HTTP/1.1 200 OK\r\n", 17) == 0); /* only the new answer */
    close(fd);
}

static void *client_main(void *arg)
{
    UNIT_RUN(test_checked_at_once);
    UNIT_RUN(test_missing_or_in_url_never_reaches_the_provider);
    UNIT_RUN(test_checked_later_then_the_op);
    UNIT_RUN(test_store_unreachable_is_a_503);
    UNIT_RUN(test_stream_after_a_later_check);
    UNIT_RUN(test_client_gone_during_the_check);
    UNIT_RUN(test_deadline_during_the_check);
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
    edge_routes_chat(&fx.api);
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
