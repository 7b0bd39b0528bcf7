/* test_http_client.c - the upstream HTTP/1.1 client (upstream/http_client.h)
 * against a real loopback server.
 *
 * The server (tiny_server.h) is a small libuv HTTP server on the same loop
 * as the client whose behaviour is picked by the request path (echo JSON,
 * chunked, hang, oversize, garbage, cut mid-body, Connection: close, drop
 * the next request on a kept-alive connection, ...). It counts accepted
 * connections and requests so that pooling is checked from the server's
 * side. Every test ends by closing the upstream and the server and checking
 * that the loop closes with no handle left (and, under ASan, no leak). */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "server/upstream/tiny_server.h"
#include "unit.h"
#include "upstream/http_client.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct got {
    int fired, error, status;
    char body[2048];
    char header[128];
    const char *want_header;
    edge_upstream_req *self;
    int same_req;
} got;

static void on_done(edge_upstream_req *req, const edge_upstream_result *res, void *opaque)
{
    got *g = opaque;
    g->fired++;
    g->error = res->error;
    g->status = res->status;
    g->same_req = g->self == NULL || g->self == req;
    snprintf(g->body, sizeof(g->body), "%.*s", (int)res->body_len, res->body ? res->body : "");
    const char *h = g->want_header ? edge_upstream_result_header(res, g->want_header) : NULL;
    snprintf(g->header, sizeof(g->header), "%s", h ? h : "");
}

typedef struct env {
    uv_loop_t loop;
    tserver srv;
    edge_upstream *u;
    uv_timer_t guard;
    int guard_fired;
    int closed;
} env;

static void on_guard(uv_timer_t *t)
{
    ((env *)t->data)->guard_fired = 1;
}

static void env_start(env *e, const edge_upstream_options *o, const char *path)
{
    memset(e, 0, sizeof(*e));
    uv_loop_init(&e->loop);
    srv_start(&e->srv, &e->loop);
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", e->srv.port, path ? path : "");
    CHECK_INT_EQ(edge_upstream_create(&e->loop, url, o, &e->u), 0);
    uv_timer_init(&e->loop, &e->guard);
    e->guard.data = e;
}

/* Run the loop until *flag >= want, or 5 s pass (a failure). */
static int run_until(env *e, const int *flag, int want)
{
    e->guard_fired = 0;
    uv_timer_start(&e->guard, on_guard, 5000, 0);
    while (*flag < want && !e->guard_fired)
        uv_run(&e->loop, UV_RUN_ONCE);
    uv_timer_stop(&e->guard);
    return *flag >= want;
}

static void on_upstream_closed(edge_upstream *u, void *opaque)
{
    ((env *)opaque)->closed = 1;
}

static void env_stop(env *e)
{
    edge_upstream_close(e->u, on_upstream_closed, e);
    srv_stop(&e->srv);
    uv_close((uv_handle_t *)&e->guard, NULL);
    uv_run(&e->loop, UV_RUN_DEFAULT);
    CHECK(e->closed);
    CHECK_INT_EQ(uv_loop_close(&e->loop), 0);
}

static int get(edge_upstream *u, const char *method, const char *path, got *g)
{
    edge_upstream_request r = {.method = method, .path = path};
    return edge_upstream_start(u, &r, on_done, g, &g->self);
}

static edge_upstream_options small_opts(void)
{
    edge_upstream_options o;
    edge_upstream_options_default(&o);
    o.max_body_bytes = 1024;
    o.max_header_bytes = 1024;
    return o;
}

/* ---- tests -------------------------------------------------------------- */

static void test_get_and_post_json(void)
{
    env e;
    env_start(&e, NULL, "/base/");
    got g1 = {.want_header = "content-type"}, g2 = {0};
    CHECK_INT_EQ(get(e.u, "GET", "/thing?x=1", &g1), 0);
    CHECK_INT_EQ(g1.fired, 0); /* never inside the start call */
    CHECK(run_until(&e, &g1.fired, 1));
    CHECK_INT_EQ(g1.error, 0);
    CHECK_INT_EQ(g1.status, 200);
    CHECK(g1.same_req);
    CHECK_STR_EQ(g1.header, "application/json");
    CHECK(strstr(g1.body, "\"path\":\"/base/thing?x=1\"") != NULL);

    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "janus", "create");
    CHECK_INT_EQ(edge_upstream_start_json(e.u, "POST", "", body, 0, on_done, &g2, NULL), 0);
    cJSON_Delete(body);
    CHECK(run_until(&e, &g2.fired, 1));
    CHECK_INT_EQ(g2.status, 200);
    CHECK_STR_EQ(e.srv.last_body, "{\"janus\":\"create\"}");
    edge_upstream_result res = {.body = g2.body, .body_len = strlen(g2.body)};
    cJSON *j = edge_upstream_result_json(&res);
    CHECK(j != NULL);
    CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetObjectItem(j, "method")), "POST");
    CHECK_STR_EQ(cJSON_GetStringValue(cJSON_GetObjectItem(j, "path")), "/base");
    cJSON_Delete(j);
    res.body = "{} x";
    res.body_len = 4;
    CHECK(edge_upstream_result_json(&res) == NULL); /* not exactly one value */
    env_stop(&e);
}

static void test_keep_alive_reuse(void)
{
    env e;
    env_start(&e, NULL, NULL);
    got g[5];
    memset(g, 0, sizeof(g));
    for (int i = 0; i < 5; i++) { /* one after the other */
        CHECK_INT_EQ(get(e.u, "GET", "/echo", &g[i]), 0);
        CHECK(run_until(&e, &g[i].fired, 1));
        CHECK_INT_EQ(g[i].status, 200);
        CHECK(strstr(g[i].body, "\"conn\":1") != NULL);
    }
    CHECK_INT_EQ(e.srv.accepts, 1);
    CHECK_INT_EQ(e.srv.requests, 5);
    edge_upstream_stats st;
    edge_upstream_get_stats(e.u, &st);
    CHECK_INT_EQ(st.connects, 1);
    CHECK_INT_EQ(st.reuses, 4);
    CHECK_INT_EQ(st.idle, 1);
    env_stop(&e);
}

static void test_chunked_interim_head_and_eof(void)
{
    env e;
    env_start(&e, NULL, NULL);
    got g1 = {.want_header = "X-Test"}, g2 = {0}, g3 = {0}, g4 = {0}, g5 = {0};
    get(e.u, "GET", "/chunked", &g1);
    CHECK(run_until(&e, &g1.fired, 1));
    CHECK_INT_EQ(g1.error, 0);
    CHECK_STR_EQ(g1.body, "hello world");
    CHECK_STR_EQ(g1.header, "yes");
    get(e.u, "GET", "/interim", &g2);
    CHECK(run_until(&e, &g2.fired, 1));
    CHECK_INT_EQ(g2.status, 200);
    CHECK_STR_EQ(g2.body, "ok");
    get(e.u, "HEAD", "/head", &g3); /* Content-Length 50, no body */
    CHECK(run_until(&e, &g3.fired, 1));
    CHECK_INT_EQ(g3.error, 0);
    CHECK_STR_EQ(g3.body, "");
    get(e.u, "GET", "/missing", &g4); /* a 404 is a result, not an error */
    CHECK(run_until(&e, &g4.fired, 1));
    CHECK_INT_EQ(g4.error, 0);
    CHECK_INT_EQ(g4.status, 404);
    CHECK_INT_EQ(e.srv.accepts, 1); /* all of them on one connection */
    get(e.u, "GET", "/eof", &g5);   /* a body that ends when the server closes */
    CHECK(run_until(&e, &g5.fired, 1));
    CHECK_INT_EQ(g5.error, 0);
    CHECK_STR_EQ(g5.body, "read until eof");
    env_stop(&e);
}

static void test_connection_close_honoured(void)
{
    env e;
    env_start(&e, NULL, NULL);
    got g1 = {0}, g2 = {0}, g3 = {0};
    get(e.u, "GET", "/close", &g1);
    CHECK(run_until(&e, &g1.fired, 1));
    CHECK_STR_EQ(g1.body, "ok");
    get(e.u, "GET", "/trailing", &g2); /* bytes after the response: not reused */
    CHECK(run_until(&e, &g2.fired, 1));
    CHECK_STR_EQ(g2.body, "ok");
    get(e.u, "GET", "/echo", &g3);
    CHECK(run_until(&e, &g3.fired, 1));
    CHECK_INT_EQ(g3.status, 200);
    CHECK_INT_EQ(e.srv.accepts, 3);
    edge_upstream_stats st;
    edge_upstream_get_stats(e.u, &st);
    CHECK_INT_EQ(st.reuses, 0);
    env_stop(&e);
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(fd, (struct sockaddr *)&a, sizeof(a));
    socklen_t len = sizeof(a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_connect_refused(void)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/janus", free_port());
    edge_upstream *u;
    CHECK_INT_EQ(edge_upstream_create(&loop, url, NULL, &u), 0);
    got g = {0};
    CHECK_INT_EQ(get(u, "GET", "/info", &g), 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT_EQ(g.fired, 1);
    CHECK_INT_EQ(g.error, EDGE_UPSTREAM_EREFUSED);
    edge_upstream_close(u, NULL, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT_EQ(uv_loop_close(&loop), 0);
}

/* A listener whose accept queue is full never completes a handshake: the
 * kernel drops the SYN, so connecting to it outlasts any connect timeout. */
static void test_connect_timeout(void)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(lfd, (struct sockaddr *)&a, sizeof(a));
    socklen_t len = sizeof(a);
    getsockname(lfd, (struct sockaddr *)&a, &len);
    listen(lfd, 0);
    int fill[3];
    for (int i = 0; i < 3; i++) {
        fill[i] = socket(AF_INET, SOCK_STREAM, 0);
        fcntl(fill[i], F_SETFL, O_NONBLOCK);
        connect(fill[i], (struct sockaddr *)&a, sizeof(a));
    }
    usleep(20000); /* let the fillers' handshakes land in the queue */
    uv_loop_t loop;
    uv_loop_init(&loop);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", ntohs(a.sin_port));
    edge_upstream_options o;
    edge_upstream_options_default(&o);
    o.connect_timeout_ms = 100;
    edge_upstream *u;
    CHECK_INT_EQ(edge_upstream_create(&loop, url, &o, &u), 0);
    got g = {0};
    get(u, "GET", "/", &g);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT_EQ(g.fired, 1);
    CHECK_INT_EQ(g.error, EDGE_UPSTREAM_ETIMEOUT);
    edge_upstream_close(u, NULL, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT_EQ(uv_loop_close(&loop), 0);
    for (int i = 0; i < 3; i++)
        close(fill[i]);
    close(lfd);
}

static void test_response_timeout(void)
{
    env e;
    env_start(&e, NULL, NULL);
    got g = {0}, g2 = {0};
    edge_upstream_request r = {.method = "GET", .path = "/hang", .timeout_ms = 80};
    CHECK_INT_EQ(edge_upstream_start(e.u, &r, on_done, &g, NULL), 0);
    CHECK(run_until(&e, &g.fired, 1));
    CHECK_INT_EQ(g.error, EDGE_UPSTREAM_ETIMEOUT);
    CHECK_INT_EQ(e.srv.requests, 1);
    CHECK(run_until(&e, &e.srv.closed, 1)); /* the connection is not reused */
    get(e.u, "GET", "/echo", &g2);
    CHECK(run_until(&e, &g2.fired, 1));
    CHECK_INT_EQ(g2.status, 200);
    CHECK_INT_EQ(e.srv.accepts, 2);
    env_stop(&e);
}

static void test_oversize_and_garbage(void)
{
    edge_upstream_options o = small_opts();
    env e;
    env_start(&e, &o, NULL);
    got g1 = {0}, g2 = {0}, g3 = {0}, g4 = {0}, g5 = {0};
    get(e.u, "GET", "/big", &g1); /* declared Content-Length over the limit */
    CHECK(run_until(&e, &g1.fired, 1));
    CHECK_INT_EQ(g1.error, EDGE_UPSTREAM_ETOOLARGE);
    get(e.u, "GET", "/bigchunked", &g2); /* a chunked body that grows past it */
    CHECK(run_until(&e, &g2.fired, 1));
    CHECK_INT_EQ(g2.error, EDGE_UPSTREAM_ETOOLARGE);
    get(e.u, "GET", "/bighead", &g3);
    CHECK(run_until(&e, &g3.fired, 1));
    CHECK_INT_EQ(g3.error, EDGE_UPSTREAM_ETOOLARGE);
    get(e.u, "GET", "/garbage", &g4);
    CHECK(run_until(&e, &g4.fired, 1));
    CHECK_INT_EQ(g4.error, EDGE_UPSTREAM_EBADRESP);
    get(e.u, "GET", "/cut", &g5); /* the server closes mid-body */
    CHECK(run_until(&e, &g5.fired, 1));
    CHECK_INT_EQ(g5.error, EDGE_UPSTREAM_ECLOSED);
    CHECK_INT_EQ(e.srv.accepts, 5); /* a failed connection is never reused */
    env_stop(&e);
}

static void test_stale_connection_retry(void)
{
    env e;
    env_start(&e, NULL, NULL);
    got g1 = {0}, g2 = {0}, g3 = {0}, g4 = {0}, g5 = {0}, g6 = {0};
    /* GET on a connection the server drops: sent again on a fresh one. */
    get(e.u, "GET", "/stale", &g1);
    CHECK(run_until(&e, &g1.fired, 1));
    get(e.u, "GET", "/echo", &g2);
    CHECK(run_until(&e, &g2.fired, 1));
    CHECK_INT_EQ(g2.error, 0);
    CHECK(strstr(g2.body, "\"conn\":2") != NULL);
    /* A POST that may have reached the server is not sent twice. */
    edge_upstream_request post = {.method = "POST", .path = "/stale", .body = "a", .body_len = 1};
    edge_upstream_start(e.u, &post, on_done, &g3, NULL);
    CHECK(run_until(&e, &g3.fired, 1));
    post.path = "/echo";
    edge_upstream_start(e.u, &post, on_done, &g4, NULL);
    CHECK(run_until(&e, &g4.fired, 1));
    CHECK_INT_EQ(g4.error, EDGE_UPSTREAM_ECLOSED);
    /* ... unless the caller says it is idempotent. */
    post.path = "/stale";
    edge_upstream_start(e.u, &post, on_done, &g5, NULL);
    CHECK(run_until(&e, &g5.fired, 1));
    CHECK_INT_EQ(g5.error, 0);
    post.path = "/echo";
    post.idempotent = 1;
    edge_upstream_start(e.u, &post, on_done, &g6, NULL);
    CHECK(run_until(&e, &g6.fired, 1));
    CHECK_INT_EQ(g6.error, 0);
    CHECK_INT_EQ(g6.status, 200);
    edge_upstream_stats st;
    edge_upstream_get_stats(e.u, &st);
    CHECK_INT_EQ(st.retries, 2);
    env_stop(&e);
}

static void test_cancel(void)
{
    env e;
    env_start(&e, NULL, NULL);
    got g1 = {0}, g2 = {0}, g3 = {0};
    get(e.u, "GET", "/hang", &g1); /* cancelled while connecting */
    edge_upstream_cancel(g1.self);
    CHECK_INT_EQ(g1.fired, 1);
    CHECK_INT_EQ(g1.error, EDGE_UPSTREAM_ECANCELLED);
    get(e.u, "GET", "/hang", &g2); /* cancelled while waiting for the response */
    CHECK(run_until(&e, &e.srv.requests, 1));
    CHECK_INT_EQ(g2.fired, 0);
    edge_upstream_cancel(g2.self);
    CHECK_INT_EQ(g2.fired, 1);
    CHECK_INT_EQ(g2.error, EDGE_UPSTREAM_ECANCELLED);
    CHECK(run_until(&e, &e.srv.closed, e.srv.accepts)); /* its connection is closed */
    get(e.u, "GET", "/echo", &g3);
    CHECK(run_until(&e, &g3.fired, 1));
    CHECK_INT_EQ(g3.status, 200);
    CHECK_INT_EQ(g1.fired + g2.fired, 2); /* exactly once each */
    env_stop(&e);
}

static void test_concurrency_beyond_pool(void)
{
    edge_upstream_options o;
    edge_upstream_options_default(&o);
    o.max_connections = 3;
    o.max_idle = 2;
    env e;
    env_start(&e, &o, NULL);
    enum { N = 40 };
    got g[N];
    memset(g, 0, sizeof(g));
    int done = 0;
    for (int i = 0; i < N; i++)
        CHECK_INT_EQ(get(e.u, "GET", "/echo", &g[i]), 0);
    edge_upstream_stats st;
    edge_upstream_get_stats(e.u, &st);
    CHECK_INT_EQ(st.open, 3);
    CHECK_INT_EQ(st.queued, N - 3);
    for (;;) {
        done = 0;
        for (int i = 0; i < N; i++)
            done += g[i].fired;
        if (done == N || uv_run(&e.loop, UV_RUN_ONCE) == 0)
            break;
    }
    CHECK_INT_EQ(done, N);
    for (int i = 0; i < N; i++)
        CHECK_INT_EQ(g[i].status, 200);
    CHECK(e.srv.max_open <= 3);
    CHECK_INT_EQ(e.srv.accepts, 3);
    CHECK_INT_EQ(e.srv.requests, N);
    edge_upstream_get_stats(e.u, &st);
    CHECK_INT_EQ(st.idle, 2); /* max_idle: the third was closed */
    CHECK_INT_EQ(st.queued, 0);
    env_stop(&e);
}

static void test_queue_bound_and_invalid(void)
{
    edge_upstream_options o;
    edge_upstream_options_default(&o);
    o.max_connections = 1;
    o.max_queued = 2;
    env e;
    env_start(&e, &o, NULL);
    got g[4];
    memset(g, 0, sizeof(g));
    CHECK_INT_EQ(get(e.u, "GET", "/echo", &g[0]), 0); /* on the connection */
    CHECK_INT_EQ(get(e.u, "GET", "/echo", &g[1]), 0);
    CHECK_INT_EQ(get(e.u, "GET", "/echo", &g[2]), 0);
    CHECK_INT_EQ(get(e.u, "GET", "/echo", &g[3]), EDGE_UPSTREAM_EBUSY);
    CHECK_INT_EQ(get(e.u, "GET", "/a\r\nX: y", &g[3]), EDGE_UPSTREAM_EINVAL);
    CHECK_INT_EQ(get(e.u, "GE T", "/", &g[3]), EDGE_UPSTREAM_EINVAL);
    edge_upstream_header bad[] = {{"Content-Length", "5"}};
    edge_upstream_request r = {.method = "GET", .path = "/", .headers = bad, .n_headers = 1};
    CHECK_INT_EQ(edge_upstream_start(e.u, &r, on_done, &g[3], NULL), EDGE_UPSTREAM_EINVAL);
    CHECK(run_until(&e, &g[2].fired, 1));
    CHECK_INT_EQ(g[0].status + g[1].status + g[2].status, 600);
    CHECK_INT_EQ(g[3].fired, 0);
    CHECK_INT_EQ(e.srv.accepts, 1);
    edge_upstream *bad_u = NULL;
    CHECK_INT_EQ(edge_upstream_create(&e.loop, "https://127.0.0.1/", NULL, &bad_u),
                 EDGE_UPSTREAM_EINVAL);
    CHECK_INT_EQ(edge_upstream_create(&e.loop, "http://example.com/", NULL, &bad_u),
                 EDGE_UPSTREAM_EINVAL);
    CHECK_INT_EQ(edge_upstream_create(&e.loop, "http://127.0.0.1:70000/", NULL, &bad_u),
                 EDGE_UPSTREAM_EINVAL);
    CHECK(bad_u == NULL);
    env_stop(&e);
}

static void test_idle_timeout(void)
{
    edge_upstream_options o;
    edge_upstream_options_default(&o);
    o.idle_timeout_ms = 30;
    env e;
    env_start(&e, &o, NULL);
    got g = {0};
    get(e.u, "GET", "/echo", &g);
    CHECK(run_until(&e, &g.fired, 1));
    CHECK(run_until(&e, &e.srv.closed, 1)); /* the idle connection is closed */
    edge_upstream_stats st;
    edge_upstream_get_stats(e.u, &st);
    CHECK_INT_EQ(st.open, 0);
    env_stop(&e);
}

typedef struct chain {
    env *e;
    got g;
    int restarted;
} chain;

static void on_done_start_again(edge_upstream_req *req, const edge_upstream_result *res, void *op)
{
    chain *c = op;
    on_done(req, res, &c->g);
    /* Starting from a callback during shutdown is refused, not queued. */
    c->restarted = get(c->e->u, "GET", "/echo", &c->g);
}

static void test_shutdown_with_requests_in_flight(void)
{
    edge_upstream_options o;
    edge_upstream_options_default(&o);
    o.max_connections = 2;
    env e;
    env_start(&e, &o, NULL);
    got g[5];
    memset(g, 0, sizeof(g));
    for (int i = 0; i < 5; i++)
        get(e.u, "GET", "/hang", &g[i]);
    chain c = {.e = &e};
    edge_upstream_request r = {.method = "GET", .path = "/hang"};
    edge_upstream_start(e.u, &r, on_done_start_again, &c, NULL);
    CHECK(run_until(&e, &e.srv.requests, 2));
    edge_upstream_close(e.u, on_upstream_closed, &e);
    for (int i = 0; i < 5; i++) {
        CHECK_INT_EQ(g[i].fired, 1);
        CHECK_INT_EQ(g[i].error, EDGE_UPSTREAM_ECANCELLED);
    }
    CHECK_INT_EQ(c.g.fired, 1);
    CHECK_INT_EQ(c.restarted, EDGE_UPSTREAM_EBUSY);
    CHECK_INT_EQ(e.closed, 0);                        /* on_closed waits for the close callbacks */
    edge_upstream_close(e.u, on_upstream_closed, &e); /* a no-op */
    CHECK(run_until(&e, &e.srv.closed, 2));           /* the server sees both sockets close */
    CHECK(run_until(&e, &e.closed, 1));
    e.u = NULL;
    srv_stop(&e.srv);
    uv_close((uv_handle_t *)&e.guard, NULL);
    uv_run(&e.loop, UV_RUN_DEFAULT);
    CHECK_INT_EQ(uv_loop_close(&e.loop), 0);
}

typedef struct reentry {
    env *e;
    got a, b, c;
    edge_upstream_req *b_req;
} reentry;

static void on_a_cancels_b(edge_upstream_req *req, const edge_upstream_result *res, void *op)
{
    reentry *r = op;
    on_done(req, res, &r->a);
    edge_upstream_cancel(r->b_req); /* fires b's callback here, once */
}

static void on_c_closes(edge_upstream_req *req, const edge_upstream_result *res, void *op)
{
    reentry *r = op;
    on_done(req, res, &r->c);
    edge_upstream_close(r->e->u, on_upstream_closed, r->e);
}

/* Callbacks may cancel other requests and close the upstream. */
static void test_reentrant_callbacks(void)
{
    edge_upstream_options o;
    edge_upstream_options_default(&o);
    o.max_connections = 1;
    env e;
    env_start(&e, &o, NULL);
    reentry r = {.e = &e};
    edge_upstream_request echo = {.method = "GET", .path = "/echo"};
    edge_upstream_request hang = {.method = "GET", .path = "/hang"};
    edge_upstream_start(e.u, &echo, on_a_cancels_b, &r, NULL);
    edge_upstream_start(e.u, &hang, on_done, &r.b, &r.b_req); /* queued behind a */
    edge_upstream_start(e.u, &echo, on_c_closes, &r, NULL);
    CHECK(run_until(&e, &e.closed, 1));
    CHECK_INT_EQ(r.a.fired, 1);
    CHECK_INT_EQ(r.a.status, 200);
    CHECK_INT_EQ(r.b.fired, 1);
    CHECK_INT_EQ(r.b.error, EDGE_UPSTREAM_ECANCELLED);
    CHECK_INT_EQ(r.c.fired, 1);
    CHECK_INT_EQ(r.c.status, 200);
    CHECK_INT_EQ(e.srv.accepts, 1); /* c reused a's connection */
    CHECK_INT_EQ(e.srv.requests, 2);
    srv_stop(&e.srv);
    uv_close((uv_handle_t *)&e.guard, NULL);
    uv_run(&e.loop, UV_RUN_DEFAULT);
    CHECK_INT_EQ(uv_loop_close(&e.loop), 0);
}

int main(void)
{
    UNIT_RUN(test_get_and_post_json);
    UNIT_RUN(test_keep_alive_reuse);
    UNIT_RUN(test_chunked_interim_head_and_eof);
    UNIT_RUN(test_connection_close_honoured);
    UNIT_RUN(test_connect_refused);
    UNIT_RUN(test_connect_timeout);
    UNIT_RUN(test_response_timeout);
    UNIT_RUN(test_oversize_and_garbage);
    UNIT_RUN(test_stale_connection_retry);
    UNIT_RUN(test_cancel);
    UNIT_RUN(test_concurrency_beyond_pool);
    UNIT_RUN(test_queue_bound_and_invalid);
    UNIT_RUN(test_idle_timeout);
    UNIT_RUN(test_shutdown_with_requests_in_flight);
    UNIT_RUN(test_reentrant_callbacks);
    return UNIT_DONE();
}
