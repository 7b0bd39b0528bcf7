/* test_store_async.c - the asynchronous store's behaviour, one suite run
 * against both backends: the SQLite adapter (completes inside the start
 * call) and the Redis store on a real redis-server (completes on a later
 * loop turn). The races run on two "nodes" (two stores on one Redis, or two
 * SQLite handles on one file): 16 starts of one identity give one chat, 12
 * redeems of one code give one winner, two accepts give one winner, two
 * pick-and-rings never pick one agent twice. Redis only: a killed Redis
 * answers EUNAVAILABLE fast and works again after a restart, deadlines,
 * cancel. */
#define _GNU_SOURCE
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

static void node_open(fx *f, node *n)
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
        edge_store_redis_options o = {.prefix = f->prefix};
        n->s = edge_store_redis_open(&f->loop, &addr, &o);
    }
    if (n->s == NULL)
        abort();
}

static void fx_open(fx *f)
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

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void fx_close(fx *f)
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

static void on_done(edge_store_call *c)
{
    ((waiter *)c)->fired++;
}

static void waiter_init(fx *f, waiter *w)
{
    memset(w, 0, sizeof(*w));
    w->c.done = on_done;
    w->c.now_ms = f->now;
    w->c.deadline_ms = f->now + 5000;
}

/* Pump the loop until every waiter in ws[0..n) fired (or 5 s). */
static void wait_all(fx *f, waiter *ws, int n)
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

static int chat(fx *f, node *n, const char *sub, const char *initial, edge_contact *c,
                edge_participant *p, int *resumed)
{
    char email[80];
    snprintf(email, sizeof(email), "%s@example.test", sub);
    edge_chat_start in = {
        .sub = sub, .name = sub, .email = email, .display_name = sub, .initial_message = initial};
    return RUN(f, n, chat_start, &in, c, p, resumed);
}

/* A message event's data as the provider builds it: seq printed plainly. */
static char *event_json(const edge_message *m, void *ctx)
{
    char *out = NULL;
    if (asprintf(&out, "{\"Id\":\"%s\",\"Seq\":%lld,\"Content\":\"%s\"}", m->id, (long long)m->seq,
                 m->content) < 0)
        return NULL;
    return out;
}

static int msg_send(fx *f, node *n, const char *pid, const char *text, const char *token,
                    int64_t cap_msgs, edge_message *m, edge_event *ev, size_t *count, int *replayed)
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

static void free_events(edge_event *ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        edge_event_free(&ev[i]);
}

/* ---- the cases ---- */

static void test_chat_start_resume_open(void)
{
    fx f;
    fx_open(&f);
    edge_contact c, c2;
    edge_participant p, p2;
    int resumed = -1;
    CHECK_INT_EQ(chat(&f, &f.a, "alice", "hello", &c, &p, &resumed), 0);
    CHECK_INT_EQ(resumed, 0);
    CHECK_INT_EQ(c.state, EDGE_CONTACT_QUEUED);
    CHECK_INT_EQ(c.kind, EDGE_CONTACT_CHAT);
    CHECK_INT_EQ(c.priority, 5);
    CHECK_STR_EQ(c.customer_sub, "alice");
    CHECK_STR_EQ(c.customer_email, "alice@example.test");
    CHECK_INT_EQ(c.created_ms, T0);
    CHECK_STR_EQ(p.contact_id, c.id);
    CHECK_INT_EQ(p.role, EDGE_ROLE_CUSTOMER);
    CHECK_STR_EQ(p.display_name, "alice");
    f.now += 10;
    CHECK_INT_EQ(chat(&f, &f.b, "alice", "again", &c2, &p2, &resumed), 0);
    CHECK_INT_EQ(resumed, 1);
    CHECK_STR_EQ(c2.id, c.id);
    CHECK_STR_EQ(p2.id, p.id);
    edge_open_chat oc;
    f.now += 10;
    CHECK_INT_EQ(RUN(&f, &f.b, chat_open, "alice", &oc), 0);
    CHECK_STR_EQ(oc.contact_id, c.id);
    CHECK_STR_EQ(oc.participant_id, p.id);
    CHECK_INT_EQ(RUN(&f, &f.a, chat_open, "bob", &oc), EDGE_STORE_ENOTFOUND);
    edge_contact got;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_get, c.id, &got), 0);
    CHECK_STR_EQ(got.id, c.id);
    CHECK(got.attributes_json == NULL);
    edge_contact_free(&got);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_get, "nope", &got), EDGE_STORE_ENOTFOUND);
    edge_participant pg, list[4];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, participant_get, p.id, &pg), 0);
    CHECK_STR_EQ(pg.contact_id, c.id);
    CHECK_INT_EQ(RUN(&f, &f.a, participants_of, c.id, list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    /* the initial message is in the transcript, once */
    edge_message ms[4];
    int more = -1;
    CHECK_INT_EQ(RUN(&f, &f.a, transcript, c.id, 0, ms, 4, &n, &more), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(ms[0].content, "hello");
    CHECK_INT_EQ(ms[0].seq, 1);
    for (size_t i = 0; i < n; i++)
        edge_message_free(&ms[i]);
    edge_contact_free(&c);
    edge_contact_free(&c2);
    fx_close(&f);
}

static void test_end_and_previous(void)
{
    fx f;
    fx_open(&f);
    edge_contact c, c2;
    edge_participant p, p2;
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "carol", NULL, &c, &p, &resumed), 0);
    f.now += 100;
    CHECK_INT_EQ(RUN(&f, &f.b, contact_end, c.id, "customer"), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_end, c.id, "again"), EDGE_STORE_ESTATE);
    edge_open_chat oc;
    CHECK_INT_EQ(RUN(&f, &f.a, chat_open, "carol", &oc), EDGE_STORE_ENOTFOUND);
    edge_contact got;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_get, c.id, &got), 0);
    CHECK_INT_EQ(got.state, EDGE_CONTACT_ENDED);
    CHECK_STR_EQ(got.end_reason, "customer");
    CHECK_INT_EQ(got.ended_ms, T0 + 100);
    edge_contact_free(&got);
    edge_participant pg;
    CHECK_INT_EQ(RUN(&f, &f.a, participant_get, p.id, &pg), 0);
    CHECK_INT_EQ(pg.left_ms, T0 + 100);
    f.now += 100;
    CHECK_INT_EQ(chat(&f, &f.b, "carol", NULL, &c2, &p2, &resumed), 0);
    CHECK_INT_EQ(resumed, 0);
    CHECK(strcmp(c2.id, c.id) != 0);
    CHECK_STR_EQ(c2.previous_contact_id, c.id);
    edge_contact_free(&c);
    edge_contact_free(&c2);
    fx_close(&f);
}

static void test_message_send_events_token_cap(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p, ag;
    int resumed, replayed = -1;
    CHECK_INT_EQ(chat(&f, &f.a, "dave", NULL, &c, &p, &resumed), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_accept, c.id, "agent-1", "Agent One", &ag), 0);
    edge_message m;
    edge_event ev[8];
    size_t n = 0;
    f.now += 5;
    CHECK_INT_EQ(msg_send(&f, &f.a, p.id, "one", "tok-1", 3, &m, ev, &n, &replayed), 0);
    CHECK_INT_EQ(replayed, 0);
    CHECK_INT_EQ(m.seq, 1);
    CHECK_INT_EQ(m.created_ms, T0 + 5);
    CHECK_STR_EQ(m.content, "one");
    CHECK_INT_EQ(n, 2); /* customer first, then the agent */
    if (n == 2) {
        CHECK_STR_EQ(ev[0].participant_id, p.id);
        CHECK_STR_EQ(ev[1].participant_id, ag.id);
        CHECK(ev[1].id > ev[0].id);
        CHECK_STR_EQ(ev[0].type, "message");
        CHECK_STR_EQ(ev[0].contact_id, c.id);
        char want[128];
        snprintf(want, sizeof(want), "{\"Id\":\"%s\",\"Seq\":1,\"Content\":\"one\"}", m.id);
        CHECK_STR_EQ(ev[0].data_json, want);
    }
    free_events(ev, n);
    char first_id[EDGE_STORE_ID_MAX];
    snprintf(first_id, sizeof(first_id), "%s", m.id);
    edge_message_free(&m);
    /* a repeated ClientToken stores nothing and answers the original */
    CHECK_INT_EQ(msg_send(&f, &f.b, p.id, "one", "tok-1", 3, &m, ev, &n, &replayed), 0);
    CHECK_INT_EQ(replayed, 1);
    CHECK_INT_EQ(n, 0);
    CHECK_STR_EQ(m.id, first_id);
    CHECK_INT_EQ(m.seq, 1);
    edge_message_free(&m);
    /* digits in the content are the content's: only the seq is filled in */
    CHECK_INT_EQ(msg_send(&f, &f.b, ag.id, "1000000000000000", NULL, 3, &m, ev, &n, &replayed), 0);
    CHECK_INT_EQ(m.seq, 2);
    if (n >= 1) {
        char want[160];
        snprintf(want, sizeof(want), "{\"Id\":\"%s\",\"Seq\":2,\"Content\":\"1000000000000000\"}",
                 m.id);
        CHECK_STR_EQ(ev[0].data_json, want);
    }
    CHECK_INT_EQ(m.role, EDGE_ROLE_AGENT);
    free_events(ev, n);
    edge_message_free(&m);
    CHECK_INT_EQ(msg_send(&f, &f.a, p.id, "three", NULL, 3, &m, ev, &n, &replayed), 0);
    free_events(ev, n);
    edge_message_free(&m);
    /* the cap: a fourth is refused and nothing of it is stored */
    CHECK_INT_EQ(msg_send(&f, &f.a, p.id, "four", "tok-4", 3, &m, ev, &n, &replayed),
                 EDGE_STORE_ECAP);
    CHECK_INT_EQ(n, 0);
    CHECK(m.content == NULL);
    edge_message page[2];
    int more = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, transcript, c.id, 0, page, 2, &n, &more), 0);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(more, 1);
    for (size_t i = 0; i < n; i++)
        edge_message_free(&page[i]);
    CHECK_INT_EQ(RUN(&f, &f.a, transcript, c.id, 2, page, 2, &n, &more), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(more, 0);
    if (n == 1)
        CHECK_STR_EQ(page[0].content, "three");
    for (size_t i = 0; i < n; i++)
        edge_message_free(&page[i]);
    CHECK_INT_EQ(RUN(&f, &f.a, transcript, "nope", 0, page, 2, &n, &more), EDGE_STORE_ENOTFOUND);
    /* after the end: no more messages, but the token still answers */
    CHECK_INT_EQ(RUN(&f, &f.a, contact_end, c.id, "agent"), 0);
    CHECK_INT_EQ(msg_send(&f, &f.a, p.id, "late", NULL, 0, &m, ev, &n, &replayed),
                 EDGE_STORE_ESTATE);
    CHECK_INT_EQ(msg_send(&f, &f.a, p.id, "one", "tok-1", 0, &m, ev, &n, &replayed), 0);
    CHECK_INT_EQ(replayed, 1);
    CHECK_STR_EQ(m.id, first_id);
    edge_message_free(&m);
    /* the events are in the feeds, in order */
    edge_event got[8];
    CHECK_INT_EQ(RUN(&f, &f.a, events_since, ag.id, 0, got, 8, &n), 0);
    CHECK_INT_EQ(n, 3);
    int64_t last = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, events_last_id, ag.id, &last), 0);
    if (n == 3) {
        CHECK_INT_EQ(last, got[2].id);
        CHECK_STR_EQ(got[0].type, "message");
        CHECK_INT_EQ(got[0].created_ms, T0 + 5);
    }
    int64_t after = n > 0 ? got[0].id : 0;
    free_events(got, n);
    CHECK_INT_EQ(RUN(&f, &f.a, events_since, ag.id, after, got, 8, &n), 0);
    CHECK_INT_EQ(n, 2);
    free_events(got, n);
    edge_contact_free(&c);
    fx_close(&f);
}

static void test_events_add(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "erin", NULL, &c, &p, &resumed), 0);
    edge_event_in in[2] = {{p.id, c.id, "queue", "{\"Position\":1}"},
                           {"a:agent-9", NULL, "status", "{}"}};
    int64_t ids[2] = {0, 0};
    CHECK_INT_EQ(RUN(&f, &f.a, events_add, in, 2, ids), 0);
    CHECK(ids[0] > 0 && ids[1] > ids[0]);
    edge_event_in bad[2] = {{p.id, c.id, "queue", "{}"}, {"no-such", NULL, "x", "{}"}};
    int64_t ids2[2];
    CHECK_INT_EQ(RUN(&f, &f.a, events_add, bad, 2, ids2), EDGE_STORE_ENOTFOUND);
    edge_event got[4];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.b, events_since, p.id, 0, got, 4, &n), 0);
    CHECK_INT_EQ(n, 1); /* all or none: the bad batch left nothing */
    if (n == 1) {
        CHECK_INT_EQ(got[0].id, ids[0]);
        CHECK_STR_EQ(got[0].data_json, "{\"Position\":1}");
        CHECK_STR_EQ(got[0].participant_id, p.id);
    }
    free_events(got, n);
    CHECK_INT_EQ(RUN(&f, &f.b, events_since, "a:agent-9", 0, got, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    free_events(got, n);
    CHECK_INT_EQ(RUN(&f, &f.b, events_since, "no-such", 0, got, 4, &n), EDGE_STORE_ENOTFOUND);
    edge_contact_free(&c);
    fx_close(&f);
}

static void test_accept_rules(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p, ag;
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "fred", NULL, &c, &p, &resumed), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_ring, c.id, "agent-1"), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_ring, c.id, "agent-2"), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(RUN(&f, &f.b, contact_accept, c.id, "agent-2", "Two", &ag), EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(RUN(&f, &f.b, contact_requeue, c.id, "agent-2"), EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(RUN(&f, &f.b, contact_requeue, c.id, "agent-1"), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, contact_requeue, c.id, NULL), EDGE_STORE_ESTATE);
    f.now += 7;
    CHECK_INT_EQ(RUN(&f, &f.b, contact_accept, c.id, "agent-2", "Two", &ag), 0);
    CHECK_INT_EQ(ag.role, EDGE_ROLE_AGENT);
    CHECK_STR_EQ(ag.sub, "agent-2");
    CHECK_STR_EQ(ag.contact_id, c.id);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_accept, c.id, "agent-1", "One", &ag), EDGE_STORE_ECONFLICT);
    edge_contact list[4];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, agent_open_contacts, "agent-2", list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++) {
        CHECK_INT_EQ(list[i].state, EDGE_CONTACT_CONNECTED);
        CHECK_STR_EQ(list[i].agent_sub, "agent-2");
        edge_contact_free(&list[i]);
    }
    CHECK_INT_EQ(RUN(&f, &f.a, contact_end, c.id, "agent"), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_open_contacts, "agent-2", list, 4, &n), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_contacts, "agent-2", list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_accept, c.id, "agent-1", "One", &ag), EDGE_STORE_ESTATE);
    edge_contact_free(&c);
    fx_close(&f);
}

static void test_queue_order(void)
{
    fx f;
    fx_open(&f);
    const char *subs[] = {"q1", "q2", "q3"};
    int prios[] = {5, 5, 2};
    char ids[3][EDGE_STORE_ID_MAX];
    for (int i = 0; i < 3; i++) {
        edge_chat_start in = {.sub = subs[i], .queue = "sales", .priority = prios[i]};
        edge_contact c;
        edge_participant p;
        int resumed;
        f.now += 1;
        CHECK_INT_EQ(RUN(&f, &f.a, chat_start, &in, &c, &p, &resumed), 0);
        snprintf(ids[i], sizeof(ids[i]), "%s", c.id);
        edge_contact_free(&c);
    }
    edge_contact list[4];
    size_t n = 0, depth = 0;
    CHECK_INT_EQ(RUN(&f, &f.b, queue_list, "sales", list, 4, &n), 0);
    CHECK_INT_EQ(n, 3);
    if (n == 3) {
        CHECK_STR_EQ(list[0].id, ids[2]); /* priority first */
        CHECK_STR_EQ(list[1].id, ids[0]); /* then age */
        CHECK_STR_EQ(list[2].id, ids[1]);
    }
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    CHECK_INT_EQ(RUN(&f, &f.b, queue_depth, "sales", &depth), 0);
    CHECK_INT_EQ(depth, 3);
    CHECK_INT_EQ(RUN(&f, &f.b, queue_depth, "", &depth), 0);
    CHECK_INT_EQ(depth, 0);
    edge_participant ag;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_accept, ids[2], "agent-1", "One", &ag), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, queue_depth, "sales", &depth), 0);
    CHECK_INT_EQ(depth, 2);
    fx_close(&f);
}

static void test_agents_pick_ring(void)
{
    fx f;
    fx_open(&f);
    int avail = -1;
    CHECK_INT_EQ(RUN(&f, &f.a, agent_set_status, "ag-b", "B", 1), 0);
    f.now += 10;
    CHECK_INT_EQ(RUN(&f, &f.a, agent_set_status, "ag-a", "A", 1), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_set_status, "ag-c", "C", 0), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agents_available, &avail), 0);
    CHECK_INT_EQ(avail, 2);
    char sub[EDGE_STORE_TEXT_MAX];
    CHECK_INT_EQ(RUN(&f, &f.a, agent_pick_idle, NULL, sub), 0);
    CHECK_STR_EQ(sub, "ag-b"); /* idle longest */
    CHECK_INT_EQ(RUN(&f, &f.a, agent_pick_idle, "ag-b", sub), 0);
    CHECK_STR_EQ(sub, "ag-a");
    edge_call_start in1 = {.sub = "caller-1", .to_number = "+15550001", .max_live = 1};
    edge_call_start in2 = {.sub = "caller-2", .to_number = "+15550002", .max_live = 1};
    edge_call_start in3 = {.sub = "caller-3", .to_number = "+15550003"};
    edge_contact c1, c2, c3;
    edge_participant p;
    CHECK_INT_EQ(RUN(&f, &f.a, call_start, &in1, &c1, &p), 0);
    CHECK_INT_EQ(c1.kind, EDGE_CONTACT_CALL);
    edge_contact dup;
    CHECK_INT_EQ(RUN(&f, &f.b, call_start, &in1, &dup, &p), EDGE_STORE_ELIMITED);
    CHECK_INT_EQ(RUN(&f, &f.a, call_start, &in2, &c2, &p), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, call_start, &in3, &c3, &p), 0);
    /* two nodes ring two calls at once: two different agents */
    waiter w[2];
    char s1[EDGE_STORE_TEXT_MAX], s2[EDGE_STORE_TEXT_MAX];
    waiter_init(&f, &w[0]);
    waiter_init(&f, &w[1]);
    EDGE_STORE_ASYNC(f.a.s, agent_pick_ring, &w[0].c, c1.id, NULL, s1);
    EDGE_STORE_ASYNC(f.b.s, agent_pick_ring, &w[1].c, c2.id, NULL, s2);
    wait_all(&f, w, 2);
    CHECK_INT_EQ(w[0].c.rc, 0);
    CHECK_INT_EQ(w[1].c.rc, 0);
    CHECK(strcmp(s1, s2) != 0);
    edge_contact got;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_get, c1.id, &got), 0);
    CHECK_INT_EQ(got.state, EDGE_CONTACT_RINGING);
    CHECK_STR_EQ(got.offered_to, s1);
    edge_contact_free(&got);
    /* nobody left to ring the third; it stays queued */
    CHECK_INT_EQ(RUN(&f, &f.a, agent_pick_ring, c3.id, NULL, sub), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_pick_ring, c1.id, NULL, sub), EDGE_STORE_ESTATE);
    /* a call in progress keeps its agent busy after the ring ends */
    edge_participant ag;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_accept, c1.id, s1, "x", &ag), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_requeue, c2.id, s2), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_pick_ring, c3.id, s2, sub), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_pick_ring, c3.id, NULL, sub), 0);
    CHECK_STR_EQ(sub, s2);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_end, c1.id, "hangup"), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_pick_ring, c2.id, NULL, sub), 0);
    CHECK_STR_EQ(sub, s1);
    edge_contact_free(&c1);
    edge_contact_free(&c2);
    edge_contact_free(&c3);
    fx_close(&f);
}

static void test_routes(void)
{
    fx f;
    fx_open(&f);
    edge_adhoc_route r, got;
    CHECK_INT_EQ(RUN(&f, &f.a, route_create, "agent-1", "Guest@Example.test", "vip", T0 + 1000, &r),
                 0);
    CHECK_INT_EQ(strlen(r.route_id), 8);
    CHECK_STR_EQ(r.queue, "vip");
    CHECK_INT_EQ(r.expires_ms, T0 + 1000);
    CHECK_INT_EQ(RUN(&f, &f.b, route_redeem, "00000000", "x@y", "cid-1", &got),
                 EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.b, route_redeem, r.route_id, "other@example.test", "cid-1", &got),
                 EDGE_STORE_EMISMATCH);
    /* a chat that comes with the code redeems it and waits in its queue */
    edge_chat_start in = {.sub = "guest", .email = "guest@example.test", .route_id = r.route_id};
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(RUN(&f, &f.a, chat_start, &in, &c, &p, &resumed), 0);
    CHECK_STR_EQ(c.queue, "vip");
    CHECK_INT_EQ(c.priority, EDGE_STORE_ROUTE_PRIORITY);
    edge_contact_free(&c);
    CHECK_INT_EQ(RUN(&f, &f.b, route_redeem, r.route_id, "guest@example.test", "cid-2", &got),
                 EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(RUN(&f, &f.a, route_create, "agent-1", "late@example.test", "", T0 + 1000, &r), 0);
    f.now = T0 + 1000;
    CHECK_INT_EQ(RUN(&f, &f.b, route_redeem, r.route_id, "late@example.test", "cid-3", &got),
                 EDGE_STORE_EEXPIRED);
    fx_close(&f);
}

static void test_limit_take(void)
{
    fx f;
    fx_open(&f);
    /* SQLite keeps counters in each handle's memory (store.h allows it):
     * only Redis counts across nodes */
    node *other = mode == BACKEND_REDIS ? &f.b : &f.a;
    int64_t retry = -1;
    CHECK_INT_EQ(RUN(&f, &f.a, limit_take, "dial:x", 2, 1000, &retry), 0);
    f.now += 100;
    CHECK_INT_EQ(RUN(&f, other, limit_take, "dial:x", 2, 1000, &retry), 0);
    f.now += 100;
    CHECK_INT_EQ(RUN(&f, &f.a, limit_take, "dial:x", 2, 1000, &retry), EDGE_STORE_ELIMITED);
    CHECK_INT_EQ(retry, 800);
    CHECK_INT_EQ(RUN(&f, &f.a, limit_take, "dial:y", 2, 1000, &retry), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, limit_take, "dial:x", 0, 1000, &retry), 0);
    f.now = T0 + 1000;
    CHECK_INT_EQ(RUN(&f, other, limit_take, "dial:x", 2, 1000, &retry), 0);
    fx_close(&f);
}

static void start_in(fx *f, const char *sub, const char *queue, int prio,
                     char id[EDGE_STORE_ID_MAX], char pid[EDGE_STORE_ID_MAX])
{
    edge_chat_start in = {.sub = sub, .queue = queue, .priority = prio};
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(RUN(f, &f->a, chat_start, &in, &c, &p, &resumed), 0);
    snprintf(id, EDGE_STORE_ID_MAX, "%s", c.id);
    if (pid != NULL)
        snprintf(pid, EDGE_STORE_ID_MAX, "%s", p.id);
    edge_contact_free(&c);
}

static void test_queue_positions_fallback(void)
{
    fx f;
    fx_open(&f);
    char a[EDGE_STORE_ID_MAX], b[EDGE_STORE_ID_MAX], d[EDGE_STORE_ID_MAX], pa[EDGE_STORE_ID_MAX];
    start_in(&f, "s-a", "personal:ag1", 0, a, pa);
    f.now += 10;
    start_in(&f, "s-d", "", 0, d, NULL);
    f.now += 10;
    start_in(&f, "s-b", "personal:ag1", 0, b, NULL);
    edge_queue_entry qe[4];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.b, queue_customers, "personal:ag1", qe, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_STR_EQ(qe[0].contact_id, a);
        CHECK_STR_EQ(qe[0].customer_id, pa);
        CHECK_INT_EQ(qe[0].told_ms, 0);
    }
    edge_queue_told told[1] = {{a, 1, 30}};
    CHECK_INT_EQ(RUN(&f, &f.b, queue_told, told, 1), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, queue_customers, "personal:ag1", qe, 4, &n), 0);
    if (n >= 1) {
        CHECK_INT_EQ(qe[0].told_position, 1);
        CHECK_INT_EQ(qe[0].told_wait_s, 30);
        CHECK_INT_EQ(qe[0].told_ms, f.now);
    }
    char names[4][EDGE_STORE_TEXT_MAX];
    CHECK_INT_EQ(RUN(&f, &f.a, queues_waiting, names, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_STR_EQ(names[0], "");
        CHECK_STR_EQ(names[1], "personal:ag1");
    }
    /* only the older personal contact falls back, keeping its age */
    size_t moved = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, queue_fallback, "personal:", T0 + 5, &moved), 0);
    CHECK_INT_EQ(moved, 1);
    edge_contact list[4];
    CHECK_INT_EQ(RUN(&f, &f.a, queue_list, "", list, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_STR_EQ(list[0].id, a);
        CHECK_STR_EQ(list[1].id, d);
    }
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    CHECK_INT_EQ(RUN(&f, &f.a, queue_list, "personal:ag1", list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    fx_close(&f);
}

static void test_call_scans(void)
{
    fx f;
    fx_open(&f);
    edge_call_start in1 = {.sub = "c-1", .to_number = "+15550001"};
    edge_call_start in2 = {.sub = "c-2", .to_number = "+15550002"};
    edge_contact c1, c2, list[4];
    edge_participant p1, p2;
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, call_start, &in1, &c1, &p1), 0);
    f.now += 10;
    CHECK_INT_EQ(RUN(&f, &f.a, call_start, &in2, &c2, &p2), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, calls_waiting_since, T0 + 5, list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_STR_EQ(list[0].id, c1.id);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    f.now = T0 + 20;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_ring, c1.id, "agent-1"), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, calls_ringing_since, T0 + 19, list, 4, &n), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(RUN(&f, &f.b, calls_ringing_since, T0 + 20, list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    edge_contact next;
    CHECK_INT_EQ(RUN(&f, &f.b, call_next_queued, "", &next), 0);
    CHECK_STR_EQ(next.id, c2.id);
    edge_contact_free(&next);
    /* the first caller has a stream open: only the second is gone */
    CHECK_INT_EQ(RUN(&f, &f.a, participant_presence, p1.id, 1), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, calls_caller_gone, T0 + 30, list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_STR_EQ(list[0].id, c2.id);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_get, c1.id, &next), 0);
    CHECK_INT_EQ(next.customer_away_ms, 0);
    edge_contact_free(&next);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_end, c2.id, "gone"), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, participant_presence, p2.id, 1), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(RUN(&f, &f.b, calls_caller_gone, T0 + 30, list, 4, &n), 0);
    CHECK_INT_EQ(n, 0);
    edge_contact_free(&c1);
    edge_contact_free(&c2);
    fx_close(&f);
}

static void test_agent_presence(void)
{
    fx f;
    fx_open(&f);
    edge_agent_row row, rows[4];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, agent_get, "ag", &row), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_presence, "ag", 1), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agent_get, "ag", &row), 0);
    CHECK_STR_EQ(row.sub, "ag");
    CHECK_INT_EQ(row.available, 0);
    CHECK_INT_EQ(row.away_since_ms, 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agents_listening, rows, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    f.now = T0 + 1;
    CHECK_INT_EQ(RUN(&f, &f.a, agent_set_status, "ag", "Ag", 1), 0);
    f.now = T0 + 5;
    CHECK_INT_EQ(RUN(&f, &f.a, agent_presence, "ag", 0), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agents_away_since, T0 + 4, rows, 4, &n), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agents_away_since, T0 + 5, rows, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_INT_EQ(rows[0].away_since_ms, T0 + 5);
    CHECK_INT_EQ(RUN(&f, &f.b, agent_expire, "ag", T0 + 4), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(RUN(&f, &f.b, agent_expire, "ag", T0 + 5), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agent_get, "ag", &row), 0);
    CHECK_INT_EQ(row.available, 0);
    int avail = -1;
    CHECK_INT_EQ(RUN(&f, &f.b, agents_available, &avail), 0);
    CHECK_INT_EQ(avail, 0);
    /* a restarted node: whoever looked streaming is away since now */
    CHECK_INT_EQ(RUN(&f, &f.a, agent_presence, "ag2", 1), 0);
    char cid[EDGE_STORE_ID_MAX], pid[EDGE_STORE_ID_MAX];
    start_in(&f, "cust", "", 0, cid, pid);
    CHECK_INT_EQ(RUN(&f, &f.a, participant_presence, pid, 1), 0);
    f.now = T0 + 9;
    CHECK_INT_EQ(RUN(&f, &f.a, presence_reset), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agent_get, "ag2", &row), 0);
    CHECK_INT_EQ(row.away_since_ms, T0 + 9);
    edge_contact c;
    CHECK_INT_EQ(RUN(&f, &f.b, contact_get, cid, &c), 0);
    CHECK_INT_EQ(c.customer_away_ms, T0 + 9);
    edge_contact_free(&c);
    fx_close(&f);
}

static void test_notes(void)
{
    fx f;
    fx_open(&f);
    char cid[EDGE_STORE_ID_MAX];
    start_in(&f, "noted", "", 0, cid, NULL);
    edge_participant ag;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_accept, cid, "agent-1", "One", &ag), 0);
    edge_note note, list[4];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.b, note_add, cid, "agent-2", "Two", "x", 100, 1, &note),
                 EDGE_STORE_ENOTFOUND);
    f.now += 3;
    CHECK_INT_EQ(RUN(&f, &f.b, note_add, cid, "agent-1", "One", "private", 100, 1, &note), 0);
    CHECK_STR_EQ(note.content, "private");
    CHECK_STR_EQ(note.author_name, "One");
    CHECK_INT_EQ(note.created_ms, T0 + 3);
    edge_note_free(&note);
    CHECK_INT_EQ(RUN(&f, &f.b, note_add, cid, "agent-1", "One", "more", 100, 1, &note),
                 EDGE_STORE_ECAP);
    CHECK_INT_EQ(RUN(&f, &f.a, notes, cid, "agent-1", list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++)
        edge_note_free(&list[i]);
    CHECK_INT_EQ(RUN(&f, &f.a, notes, cid, "agent-2", list, 4, &n), EDGE_STORE_ENOTFOUND);
    fx_close(&f);
}

static void test_retention(void)
{
    fx f;
    fx_open(&f);
    edge_contact c, c2;
    edge_participant p, p2;
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "old", "hi", &c, &p, &resumed), 0);
    f.now = T0 + 10;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_end, c.id, "done"), 0);
    CHECK_INT_EQ(chat(&f, &f.a, "old", NULL, &c2, &p2, &resumed), 0);
    CHECK_STR_EQ(c2.previous_contact_id, c.id);
    size_t purged = 9;
    CHECK_INT_EQ(RUN(&f, &f.b, purge_ended, T0 + 10, 10, &purged), 0);
    CHECK_INT_EQ(purged, 0); /* ended at, not before */
    CHECK_INT_EQ(RUN(&f, &f.b, purge_ended, T0 + 11, 10, &purged), 0);
    CHECK_INT_EQ(purged, 1);
    edge_contact got;
    edge_participant pg;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_get, c.id, &got), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, participant_get, p.id, &pg), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_get, c2.id, &got), 0);
    CHECK_STR_EQ(got.previous_contact_id, "");
    edge_contact_free(&got);
    edge_event_in in = {"a:console", NULL, "status", "{}"};
    int64_t id = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, events_add, &in, 1, &id), 0);
    size_t pruned = 9;
    CHECK_INT_EQ(RUN(&f, &f.b, prune_unbound_events, T0 + 10, 10, &pruned), 0);
    CHECK_INT_EQ(pruned, 0);
    CHECK_INT_EQ(RUN(&f, &f.b, prune_unbound_events, T0 + 11, 10, &pruned), 0);
    CHECK_INT_EQ(pruned, 1);
    edge_event ev[2];
    size_t n = 9;
    CHECK_INT_EQ(RUN(&f, &f.a, events_since, "a:console", 0, ev, 2, &n), 0);
    CHECK_INT_EQ(n, 0);
    edge_contact_free(&c);
    edge_contact_free(&c2);
    fx_close(&f);
}

/* ---- races between two nodes ---- */

static void test_race_sixteen_starts(void)
{
    fx f;
    fx_open(&f);
    enum { N = 16 };
    waiter w[N];
    edge_contact c[N];
    edge_participant p[N];
    int resumed[N];
    edge_chat_start in = {.sub = "racer", .initial_message = "hi"};
    for (int i = 0; i < N; i++) {
        waiter_init(&f, &w[i]);
        EDGE_STORE_ASYNC(i % 2 ? f.b.s : f.a.s, chat_start, &w[i].c, &in, &c[i], &p[i],
                         &resumed[i]);
    }
    wait_all(&f, w, N);
    int created = 0;
    for (int i = 0; i < N; i++) {
        CHECK_INT_EQ(w[i].c.rc, 0);
        created += resumed[i] == 0;
        CHECK_STR_EQ(c[i].id, c[0].id);
        edge_contact_free(&c[i]);
    }
    CHECK_INT_EQ(created, 1);
    edge_message ms[4];
    size_t n = 0;
    int more;
    CHECK_INT_EQ(RUN(&f, &f.a, transcript, c[0].id, 0, ms, 4, &n, &more), 0);
    CHECK_INT_EQ(n, 1); /* the initial message once */
    for (size_t i = 0; i < n; i++)
        edge_message_free(&ms[i]);
    fx_close(&f);
}

static void test_race_twelve_redeems(void)
{
    fx f;
    fx_open(&f);
    edge_adhoc_route r, got[12];
    CHECK_INT_EQ(RUN(&f, &f.a, route_create, "agent-1", "g@example.test", "", T0 + 60000, &r), 0);
    waiter w[12];
    for (int i = 0; i < 12; i++) {
        waiter_init(&f, &w[i]);
        EDGE_STORE_ASYNC(i % 2 ? f.b.s : f.a.s, route_redeem, &w[i].c, r.route_id, "g@example.test",
                         "contact-x", &got[i]);
    }
    wait_all(&f, w, 12);
    int won = 0, lost = 0;
    for (int i = 0; i < 12; i++) {
        won += w[i].c.rc == 0;
        lost += w[i].c.rc == EDGE_STORE_ECONFLICT;
    }
    CHECK_INT_EQ(won, 1);
    CHECK_INT_EQ(lost, 11);
    fx_close(&f);
}

static void test_race_two_accepts(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p, ag[2];
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "gina", NULL, &c, &p, &resumed), 0);
    waiter w[2];
    waiter_init(&f, &w[0]);
    waiter_init(&f, &w[1]);
    EDGE_STORE_ASYNC(f.a.s, contact_accept, &w[0].c, c.id, "agent-a", "A", &ag[0]);
    EDGE_STORE_ASYNC(f.b.s, contact_accept, &w[1].c, c.id, "agent-b", "B", &ag[1]);
    wait_all(&f, w, 2);
    CHECK_INT_EQ((w[0].c.rc == 0) + (w[1].c.rc == 0), 1);
    CHECK_INT_EQ((w[0].c.rc == EDGE_STORE_ECONFLICT) + (w[1].c.rc == EDGE_STORE_ECONFLICT), 1);
    edge_participant list[4];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, participants_of, c.id, list, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    edge_contact_free(&c);
    fx_close(&f);
}

/* ---- Redis only ---- */

static void test_redis_down_then_back(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p;
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "hank", NULL, &c, &p, &resumed), 0);
    test_redis_kill(&server);
    uv_update_time(&f.loop);
    uint64_t t0 = uv_now(&f.loop);
    edge_open_chat oc;
    int rc = RUN(&f, &f.a, chat_open, "hank", &oc);
    uv_update_time(&f.loop);
    CHECK_INT_EQ(rc, EDGE_STORE_EUNAVAILABLE);
    CHECK(uv_now(&f.loop) - t0 < 1000); /* no hang */
    CHECK_INT_EQ(RUN(&f, &f.b, chat_open, "hank", &oc), EDGE_STORE_EUNAVAILABLE);
    CHECK_INT_EQ(test_redis_start(&server), 0);
    /* the connection comes back by itself (backoff up to 2 s) */
    uv_update_time(&f.loop);
    uint64_t end = uv_now(&f.loop) + 8000;
    do {
        uv_run(&f.loop, UV_RUN_NOWAIT);
        rc = RUN(&f, &f.a, chat_open, "hank", &oc);
        if (rc == EDGE_STORE_EUNAVAILABLE) {
            waiter idle; /* let the reconnect timer run */
            waiter_init(&f, &idle);
            uv_run(&f.loop, UV_RUN_ONCE);
        }
        uv_update_time(&f.loop);
    } while (rc == EDGE_STORE_EUNAVAILABLE && uv_now(&f.loop) < end);
    /* Redis here keeps no data across a kill (no AOF in tests) */
    CHECK_INT_EQ(rc, EDGE_STORE_ENOTFOUND);
    edge_contact c2;
    CHECK_INT_EQ(chat(&f, &f.a, "hank", NULL, &c2, &p, &resumed), 0);
    CHECK_INT_EQ(resumed, 0);
    edge_contact_free(&c);
    edge_contact_free(&c2);
    fx_close(&f);
}

static void test_redis_deadline_and_cancel(void)
{
    fx f;
    fx_open(&f);
    waiter w;
    edge_open_chat oc;
    waiter_init(&f, &w);
    w.c.deadline_ms = w.c.now_ms; /* already due */
    EDGE_STORE_ASYNC(f.a.s, chat_open, &w.c, "ivy", &oc);
    CHECK_INT_EQ(w.fired, 1);
    CHECK_INT_EQ(w.c.rc, EDGE_STORE_ETIMEDOUT);
    waiter_init(&f, &w);
    EDGE_STORE_ASYNC(f.a.s, chat_open, &w.c, "ivy", &oc);
    CHECK_INT_EQ(w.fired, 0); /* later, on the loop */
    edge_store_async_cancel(f.a.s, &w.c);
    waiter probe;
    waiter_init(&f, &probe);
    EDGE_STORE_ASYNC(f.a.s, chat_open, &probe.c, "ivy", &oc);
    wait_all(&f, &probe, 1); /* the cancelled one's reply came before this one's */
    CHECK_INT_EQ(w.fired, 0);
    /* closing a store with an op in flight completes it first */
    node extra = {0};
    node_open(&f, &extra);
    waiter_init(&f, &w);
    EDGE_STORE_ASYNC(extra.s, chat_open, &w.c, "ivy", &oc);
    edge_store_async_close(extra.s);
    CHECK_INT_EQ(w.fired, 1);
    CHECK_INT_EQ(w.c.rc, EDGE_STORE_EUNAVAILABLE);
    fx_close(&f);
}

/* An op missing from a backend's table answers ENOTSUP at once. */
static void test_missing_op(void)
{
    static const edge_store_async_ops none = {.name = "none"};
    edge_store_async fake = {&none};
    waiter w;
    memset(&w, 0, sizeof(w));
    w.c.done = on_done;
    edge_open_chat oc;
    EDGE_STORE_ASYNC(&fake, chat_open, &w.c, "x", &oc);
    CHECK_INT_EQ(w.fired, 1);
    CHECK_INT_EQ(w.c.rc, EDGE_STORE_ENOTSUP);
    EDGE_STORE_ASYNC(&fake, presence_reset, &w.c);
    CHECK_INT_EQ(w.fired, 2);
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

int main(void)
{
    if (test_redis_start(&server) != 0) {
        fprintf(stderr, "cannot start redis-server\n");
        return 1;
    }
    RUN_BOTH(test_chat_start_resume_open);
    RUN_BOTH(test_end_and_previous);
    RUN_BOTH(test_message_send_events_token_cap);
    RUN_BOTH(test_events_add);
    RUN_BOTH(test_accept_rules);
    RUN_BOTH(test_queue_order);
    RUN_BOTH(test_agents_pick_ring);
    RUN_BOTH(test_routes);
    RUN_BOTH(test_limit_take);
    RUN_BOTH(test_queue_positions_fallback);
    RUN_BOTH(test_call_scans);
    RUN_BOTH(test_agent_presence);
    RUN_BOTH(test_notes);
    RUN_BOTH(test_retention);
    RUN_BOTH(test_race_sixteen_starts);
    RUN_BOTH(test_race_twelve_redeems);
    RUN_BOTH(test_race_two_accepts);
    mode = BACKEND_REDIS;
    UNIT_RUN(test_redis_down_then_back);
    UNIT_RUN(test_redis_deadline_and_cancel);
    UNIT_RUN(test_missing_op);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
