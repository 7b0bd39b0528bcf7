/* test_local_redis.c - the local provider's flows on the Redis store alone:
 * no synchronous store at all (NULL), so any op or job that still
 * reached for one would crash here. A chat is started, accepted, gets a
 * message and is ended; a call rings the idle agent and, past the ring
 * timeout, the tick takes the ring back. Each flow is checked in Redis
 * itself (contact states through the asynchronous store) and by the
 * events the jobs stored (events_since on the store the hub writes to).
 * Jobs answer on later loop turns here, so the test pumps the loop until
 * the store shows what it waits for (or 5 s pass).
 */
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "events/hub.h"
#include "provider/provider.h"
#include "server/redis/redis_server.h"
#include "store/store_async.h"
#include "store_redis/store_redis.h"
#include "unit.h"

#define T0 1700000000000LL
#define RING_TIMEOUT_MS 1000

static test_redis server;

typedef struct fx {
    uv_loop_t loop;
    edge_store_async *redis;
    edge_hub *hub;
    edge_ptoken_key key;
    edge_provider *p;
} fx;

static edge_hub *hub_open(fx *f)
{
    edge_hub_options o = {.heartbeat_ms = 15000, .max_queued = 64};
    return edge_hub_create(&f->loop, f->redis, &o);
}

static void fx_open(fx *f, const char *prefix)
{
    memset(f, 0, sizeof(*f));
    uv_loop_init(&f->loop);
    edge_redis_addr addr = {.host = "127.0.0.1", .port = server.port};
    edge_store_redis_options o = {.prefix = prefix};
    f->redis = edge_store_redis_open(&f->loop, &addr, &o);
    if (f->redis == NULL)
        abort();
    f->hub = hub_open(f);
    memset(&f->key, 9, sizeof(f->key));
    edge_local_settings settings;
    memset(&settings, 0, sizeof(settings));
    settings.ring_timeout_ms = RING_TIMEOUT_MS;
    f->p = edge_provider_local_create(f->redis, f->hub, &f->key, &settings, T0);
}

static void fx_close(fx *f)
{
    f->p->ops->destroy(f->p);
    edge_hub_destroy(f->hub);
    edge_store_async_close(f->redis);
    for (int i = 0; i < 10; i++) /* closing handles finish on later turns */
        uv_run(&f->loop, UV_RUN_NOWAIT);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    uv_loop_close(&f->loop);
}

/* ---- waiting for a provider op, or a store op ---------------------------- */

typedef struct waiter {
    edge_provider_call c; /* first */
    int fired;
} waiter;

static void on_done(edge_provider_call *c)
{
    ((waiter *)c)->fired++;
}

static void waiter_init(waiter *w, int64_t now_ms)
{
    memset(w, 0, sizeof(*w));
    w->c.done = on_done;
    w->c.now_ms = now_ms;
    w->c.deadline_ms = now_ms + 5000;
}

typedef struct swaiter {
    edge_store_call c; /* first */
    int fired;
} swaiter;

static void on_store_done(edge_store_call *c)
{
    ((swaiter *)c)->fired = 1;
}

static void swaiter_init(swaiter *w)
{
    memset(w, 0, sizeof(*w));
    w->c.done = on_store_done;
    w->c.now_ms = T0;
    w->c.deadline_ms = T0 + 5000;
}

/* Pump the loop until *flag (or 5 s). */
static void pump(fx *f, const int *flag)
{
    uv_update_time(&f->loop);
    uint64_t end = uv_now(&f->loop) + 5000;
    while (*flag == 0 && uv_now(&f->loop) < end) {
        uv_run(&f->loop, UV_RUN_ONCE);
        uv_update_time(&f->loop);
    }
}

/* Start op on the provider with a fresh waiter at now_ms, then wait. */
#define RUN_OP(f, w, now, op, ...)                                                                 \
    do {                                                                                           \
        waiter_init(&(w), (now));                                                                  \
        (f)->p->ops->op((f)->p, &(w).c, __VA_ARGS__);                                              \
        pump((f), &(w).fired);                                                                     \
    } while (0)

/* The contact as the Redis store has it now: 0 or the store's error. */
static int contact_now(fx *f, const char *id, edge_contact *out)
{
    swaiter w;
    swaiter_init(&w);
    EDGE_STORE_ASYNC(f->redis, contact_get, &w.c, id, out);
    pump(f, &w.fired);
    return w.fired ? w.c.rc : -1;
}

/* Wait until the contact's state is want (the jobs that change it answer
 * on later turns): 1 when it got there. */
static int await_state(fx *f, const char *id, edge_contact_state want, edge_contact *out)
{
    for (int i = 0; i < 500; i++) {
        memset(out, 0, sizeof(*out));
        if (contact_now(f, id, out) == 0 && out->state == want)
            return 1;
        edge_contact_free(out);
    }
    return 0;
}

#define EVENTS_MAX 32
/* How many of participant_id's stored events are of type and contain
 * text in their data (NULL: any). */
static size_t events_of(fx *f, const char *participant_id, const char *type, const char *text)
{
    edge_event ev[EVENTS_MAX];
    size_t count = 0, n = 0;
    swaiter w;
    swaiter_init(&w);
    EDGE_STORE_ASYNC(f->redis, events_since, &w.c, participant_id, 0, ev, EVENTS_MAX, &count);
    pump(f, &w.fired);
    for (size_t i = 0; w.fired && w.c.rc == 0 && i < count; i++) {
        if (strcmp(ev[i].type, type) == 0 &&
            (text == NULL || (ev[i].data_json && strstr(ev[i].data_json, text))))
            n++;
        edge_event_free(&ev[i]);
    }
    return n;
}

/* Wait until at least want such events are stored: 1 when they are. */
static int await_events(fx *f, const char *participant_id, const char *type, const char *text,
                        size_t want)
{
    for (int i = 0; i < 500; i++)
        if (events_of(f, participant_id, type, text) >= want)
            return 1;
    return 0;
}

static edge_identity identity(const char *sub, const char *name)
{
    edge_identity who;
    memset(&who, 0, sizeof(who));
    snprintf(who.sub, sizeof(who.sub), "%s", sub);
    snprintf(who.name, sizeof(who.name), "%s", name);
    return who;
}

/* A chat: started (QUEUED), accepted (CONNECTED), a message, ended. */
static void test_chat_flow(void)
{
    fx f;
    fx_open(&f, "lpredis1:");
    edge_identity customer = identity("cust-1", "Carla"), agent = identity("agent-1", "Ann");
    waiter w;
    edge_chat_request req = {.display_name = "Carla"};
    edge_chat_started started;
    RUN_OP(&f, w, T0, chat_start, &customer, &req, &started);
    CHECK_INT_EQ(w.c.rc, 0);
    edge_contact c;
    CHECK(await_state(&f, started.contact_id, EDGE_CONTACT_QUEUED, &c));
    edge_contact_free(&c);

    RUN_OP(&f, w, T0 + 10, agent_set_status, &agent, EDGE_AGENT_AVAILABLE);
    CHECK_INT_EQ(w.c.rc, 0);
    edge_joined joined;
    RUN_OP(&f, w, T0 + 20, agent_accept, &agent, started.contact_id, &joined);
    CHECK_INT_EQ(w.c.rc, 0);
    CHECK(await_state(&f, started.contact_id, EDGE_CONTACT_CONNECTED, &c));
    CHECK_STR_EQ(c.agent_sub, "agent-1");
    edge_contact_free(&c);

    edge_participant from;
    memset(&from, 0, sizeof(from));
    snprintf(from.id, sizeof(from.id), "%s", started.participant_id);
    snprintf(from.contact_id, sizeof(from.contact_id), "%s", started.contact_id);
    from.role = EDGE_ROLE_CUSTOMER;
    edge_message m;
    memset(&m, 0, sizeof(m));
    RUN_OP(&f, w, T0 + 30, chat_send, &from, "text/plain", "hello there", NULL, &m);
    CHECK_INT_EQ(w.c.rc, 0);
    edge_message_free(&m);

    RUN_OP(&f, w, T0 + 40, agent_end, &agent, started.contact_id);
    CHECK_INT_EQ(w.c.rc, 0);
    CHECK(await_state(&f, started.contact_id, EDGE_CONTACT_ENDED, &c));
    CHECK_STR_EQ(c.end_reason, "agent_ended");
    edge_contact_free(&c);
    RUN_OP(&f, w, T0 + 50, agent_end, &agent, started.contact_id);
    CHECK_INT_EQ(w.c.rc, EDGE_STORE_ESTATE); /* the end is the op's own step */

    const char *pid = started.participant_id;
    CHECK(await_events(&f, pid, "contact.state", "QUEUED", 1));
    CHECK(await_events(&f, pid, "participant.joined", "Ann", 1));
    CHECK(await_events(&f, pid, "contact.state", "CONNECTED", 1));
    CHECK(await_events(&f, joined.participant_id, "message", "hello there", 1));
    CHECK(await_events(&f, pid, "contact.state", "agent_ended", 1));
    CHECK(await_events(&f, joined.participant_id, "contact.state", "ENDED", 1));
    fx_close(&f);
}

/* A call rings the only idle agent; past the ring timeout the tick takes
 * the ring back and, with nobody else, the call waits queued again. */
static void test_ring_timeout_by_tick(void)
{
    fx f;
    fx_open(&f, "lpredis2:");
    edge_identity caller = identity("caller-1", "Cal"), agent = identity("agent-2", "Bo");
    waiter w;
    RUN_OP(&f, w, T0, agent_set_status, &agent, EDGE_AGENT_AVAILABLE);
    CHECK_INT_EQ(w.c.rc, 0);
    edge_call_request req = {.to_number = "+15550100", .queue = ""};
    edge_call_started started;
    RUN_OP(&f, w, T0 + 10, call_start, &caller, &req, &started);
    CHECK_INT_EQ(w.c.rc, 0);
    edge_contact c;
    CHECK(await_state(&f, started.contact_id, EDGE_CONTACT_RINGING, &c));
    CHECK_STR_EQ(c.offered_to, "agent-2");
    edge_contact_free(&c);

    CHECK_INT_EQ(f.p->ops->tick(f.p, T0 + 100), 0); /* not due yet */
    /* Due: a tick while the last one's jobs still run does nothing, so
     * tick until the store shows the ring taken back. */
    int queued = 0;
    for (int i = 0; i < 500 && !queued; i++) {
        CHECK_INT_EQ(f.p->ops->tick(f.p, T0 + 10 + RING_TIMEOUT_MS + 1000), 0);
        memset(&c, 0, sizeof(c));
        queued = contact_now(&f, started.contact_id, &c) == 0 && c.state == EDGE_CONTACT_QUEUED;
        if (queued)
            CHECK_STR_EQ(c.offered_to, "");
        edge_contact_free(&c);
    }
    CHECK(queued);

    const char *pid = started.participant_id;
    CHECK(await_events(&f, pid, "contact.state", "RINGING", 1));
    CHECK(await_events(&f, pid, "contact.state", "QUEUED", 2)); /* at the dial and after */
    fx_close(&f);
}

int main(void)
{
    if (test_redis_start(&server) != 0) {
        fprintf(stderr, "cannot start redis-server\n");
        return 1;
    }
    UNIT_RUN(test_chat_flow);
    UNIT_RUN(test_ring_timeout_by_tick);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
