/* test_store_async.c - the asynchronous store's behaviour on both
 * backends (store_async_kit.h): chats started, resumed and ended, messages
 * with their events, ClientToken and cap, event feeds, the accept rules,
 * queue order, agents and the combined pick-and-ring, ad-hoc routes (and
 * the name of a redeemed code's agent), rate limits. */
#define _GNU_SOURCE
#include "server/store_redis/store_async_kit.h"

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

/* Every message event carries its message's seq, whatever placeholder the
 * backend printed first: 40 sends, each placeholder drawn afresh (16-digit
 * placeholders often came out of cJSON as 6.92878799225096e+15, were never
 * replaced, and clients saw a huge Seq: messages out of order). */
static void test_message_events_carry_the_real_seq(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p;
    int resumed, replayed = -1;
    CHECK_INT_EQ(chat(&f, &f.a, "seq-check", NULL, &c, &p, &resumed), 0);
    for (int i = 1; i <= 40; i++) {
        edge_message m;
        edge_event ev[8];
        size_t n = 0;
        CHECK_INT_EQ(msg_send(&f, &f.a, p.id, "x", NULL, 0, &m, ev, &n, &replayed), 0);
        CHECK_INT_EQ(m.seq, i);
        CHECK_INT_EQ(n, 1);
        char want[48];
        snprintf(want, sizeof(want), "\"Seq\":%d,", i);
        for (size_t k = 0; k < n; k++)
            CHECK(strstr(ev[k].data_json, want) != NULL);
        free_events(ev, n);
        edge_message_free(&m);
    }
    fx_close(&f);
}

/* The event data names the sender as the store knows it: its contact, role
 * and name (Redis builds the data before it reads the sender, from
 * in->sender; SQLite from its own rows). */
static char *sender_json(const edge_message *m, void *ctx)
{
    char *out = NULL;
    if (asprintf(&out, "%s|%d|%s|%s", m->contact_id, (int)m->role, m->display_name, m->content) < 0)
        return NULL;
    return out;
}

static void test_message_events_name_the_sender(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p, ag;
    int resumed, replayed = -1;
    CHECK_INT_EQ(chat(&f, &f.a, "erin", NULL, &c, &p, &resumed), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, contact_accept, c.id, "agent-2", "Agent Two", &ag), 0);
    edge_message_send in = {.participant_id = ag.id,
                            .content_type = "text/plain",
                            .content = "hello",
                            .max_bytes = 4000,
                            .event_type = "message",
                            .event_json = sender_json,
                            .sender = &ag};
    edge_message m;
    edge_event ev[8];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, message_send, &in, &m, ev, 8, &n, &replayed), 0);
    CHECK_INT_EQ(n, 2);
    char want[256];
    snprintf(want, sizeof(want), "%s|%d|Agent Two|hello", c.id, (int)EDGE_ROLE_AGENT);
    for (size_t k = 0; k < n; k++)
        CHECK_STR_EQ(ev[k].data_json, want);
    free_events(ev, n);
    edge_message_free(&m);
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
    CHECK_INT_EQ(RUN(&f, &f.a, agent_set_status, "agent-1", "Amy Ng", 0), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, chat_start, &in, &c, &p, &resumed), 0);
    CHECK_STR_EQ(c.queue, "vip");
    CHECK_INT_EQ(c.priority, EDGE_STORE_ROUTE_PRIORITY);
    CHECK_STR_EQ(c.route_agent_name, "Amy Ng"); /* the redeemer is told who issued it */
    edge_contact_free(&c);
    CHECK_INT_EQ(RUN(&f, &f.b, chat_start, &in, &c, &p, &resumed), 0);
    CHECK_INT_EQ(resumed, 1);
    CHECK_STR_EQ(c.route_agent_name, ""); /* a resume redeems nothing */
    edge_contact_free(&c);
    CHECK_INT_EQ(RUN(&f, &f.b, route_redeem, r.route_id, "guest@example.test", "cid-2", &got),
                 EDGE_STORE_ECONFLICT);
    /* A code of an agent the store has no name for: "" */
    CHECK_INT_EQ(RUN(&f, &f.a, route_create, "agent-2", "anon@example.test", "", T0 + 1000, &r), 0);
    edge_chat_start anon = {.sub = "anon", .email = "anon@example.test", .route_id = r.route_id};
    CHECK_INT_EQ(RUN(&f, &f.b, chat_start, &anon, &c, &p, &resumed), 0);
    CHECK_INT_EQ(resumed, 0);
    CHECK_STR_EQ(c.route_agent_name, "");
    edge_contact_free(&c);
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

/* The ops added for ratings, transfer, wrap-up and canned responses: the
 * SQLite adapter runs the synchronous store's (whose own tests hold their
 * rules) and the Redis backend its own scripts: the same answers. */
static void test_rate_transfer_wrapup_canned(void)
{
    fx f;
    fx_open(&f);
    edge_contact c;
    edge_participant p, ag;
    int resumed;
    CHECK_INT_EQ(chat(&f, &f.a, "gina", NULL, &c, &p, &resumed), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_accept, c.id, "agent-1", "One", &ag), 0);
    /* rating: both backends; once, carried by contact reads */
    CHECK_INT_EQ(RUN(&f, &f.a, contact_rate, c.id, 4, "fine"), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, contact_rate, c.id, 5, NULL), EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(RUN(&f, &f.b, contact_rate, "nope", 5, NULL), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.b, contact_rate, c.id, 6, NULL), EDGE_STORE_EINVAL);
    edge_contact rated;
    CHECK_INT_EQ(RUN(&f, &f.b, contact_get, c.id, &rated), 0);
    CHECK_INT_EQ(rated.rating_score, 4);
    CHECK(rated.rating_comment != NULL && strcmp(rated.rating_comment, "fine") == 0);
    edge_contact_free(&rated);
    /* dispositions: both backends; only the contact's agent, one code */
    char code[EDGE_STORE_TEXT_MAX] = "x";
    CHECK_INT_EQ(RUN(&f, &f.b, disposition_get, c.id, "agent-1", code), 0);
    CHECK_STR_EQ(code, "");
    CHECK_INT_EQ(RUN(&f, &f.a, disposition_set, c.id, "agent-1", "sale"), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, disposition_set, c.id, "agent-1", "resolved"), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, disposition_set, c.id, "agent-2", "sale"), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, disposition_set, "nope", "agent-1", "sale"), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, disposition_set, c.id, "agent-1", ""), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(RUN(&f, &f.b, disposition_get, c.id, "agent-1", code), 0);
    CHECK_STR_EQ(code, "resolved");
    CHECK_INT_EQ(RUN(&f, &f.b, disposition_get, c.id, "agent-2", code), EDGE_STORE_ENOTFOUND);
    CHECK_STR_EQ(code, "");
    /* canned responses: both backends; the agent's own, capped, shared by nodes */
    edge_canned cn, cn2, list[4];
    size_t n = 0;
    CHECK_INT_EQ(RUN(&f, &f.a, canned_add, "agent-1", "Hi", "Hello there", 100, 2, &cn), 0);
    CHECK_STR_EQ(cn.title, "Hi");
    CHECK_STR_EQ(cn.content, "Hello there");
    CHECK_INT_EQ(cn.created_ms, T0);
    CHECK_INT_EQ(RUN(&f, &f.b, canned_add, "agent-1", "Bye", "Goodbye", 100, 2, &cn2), 0);
    edge_canned over;
    CHECK_INT_EQ(RUN(&f, &f.a, canned_add, "agent-1", "3", "three", 100, 2, &over), EDGE_STORE_ECAP);
    CHECK(over.content == NULL);
    CHECK_INT_EQ(RUN(&f, &f.a, canned_add, "agent-1", "", "x", 100, 2, &over), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(RUN(&f, &f.a, canned_add, "agent-1", "t", "too long", 3, 2, &over), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(RUN(&f, &f.b, canned_list, "agent-1", list, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_STR_EQ(list[0].id, cn.id);
        CHECK_STR_EQ(list[1].content, "Goodbye");
    }
    for (size_t i = 0; i < n; i++)
        edge_canned_free(&list[i]);
    CHECK_INT_EQ(RUN(&f, &f.a, canned_delete, "agent-2", cn.id), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, canned_delete, "agent-1", cn.id), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, canned_delete, "agent-1", cn.id), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.b, canned_list, "agent-1", list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++)
        edge_canned_free(&list[i]);
    CHECK_INT_EQ(RUN(&f, &f.b, canned_list, "agent-2", list, 4, &n), 0);
    CHECK_INT_EQ(n, 0);
    edge_canned_free(&cn);
    edge_canned_free(&cn2);
    /* available agents: both backends, by name then sub, up to cap */
    edge_agent_entry agents[4];
    CHECK_INT_EQ(RUN(&f, &f.a, agent_set_status, "agent-2", "Zed", 1), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agent_set_status, "agent-4", "Amy", 1), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_set_status, "agent-3", "Amy", 1), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_set_status, "agent-5", "Bob", 0), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agents_available_list, agents, 4, &n), 0);
    CHECK_INT_EQ(n, 3);
    if (n == 3) {
        CHECK_STR_EQ(agents[0].sub, "agent-3");
        CHECK_STR_EQ(agents[1].sub, "agent-4");
        CHECK_STR_EQ(agents[2].name, "Zed");
    }
    CHECK_INT_EQ(RUN(&f, &f.b, agents_available_list, agents, 1, &n), 0);
    CHECK_INT_EQ(n, 1);
    /* transfer: both backends; only the agent's connected contact */
    CHECK_INT_EQ(RUN(&f, &f.a, contact_transfer, c.id, "agent-2", "billing"), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_transfer, "nope", "agent-1", "billing"), EDGE_STORE_ENOTFOUND);
    f.now += 5;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_transfer, c.id, "agent-1", "billing"), 0);
    edge_contact got, q[2];
    CHECK_INT_EQ(RUN(&f, &f.b, contact_get, c.id, &got), 0);
    CHECK_INT_EQ(got.state, EDGE_CONTACT_QUEUED);
    CHECK_STR_EQ(got.queue, "billing");
    CHECK_STR_EQ(got.agent_sub, "");
    CHECK_INT_EQ(got.created_ms, T0);
    edge_contact_free(&got);
    CHECK_INT_EQ(RUN(&f, &f.b, queue_list, "billing", q, 2, &n), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&q[i]);
    CHECK_INT_EQ(RUN(&f, &f.b, agent_open_contacts, "agent-1", q, 2, &n), 0);
    CHECK_INT_EQ(n, 0);
    edge_participant left;
    CHECK_INT_EQ(RUN(&f, &f.b, participant_get, ag.id, &left), 0);
    CHECK_INT_EQ(left.left_ms, T0 + 5);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_transfer, c.id, "agent-1", "billing"), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_accept, c.id, "agent-3", "Amy", &ag), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_end, c.id, "agent"), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_transfer, c.id, "agent-3", "billing"), EDGE_STORE_ESTATE);
    edge_contact_free(&c);
    fx_close(&f);
}

int main(void)
{
    if (kit_start() != 0)
        return 1;
    RUN_BOTH(test_chat_start_resume_open);
    RUN_BOTH(test_end_and_previous);
    RUN_BOTH(test_message_send_events_token_cap);
    RUN_BOTH(test_message_events_carry_the_real_seq);
    RUN_BOTH(test_message_events_name_the_sender);
    RUN_BOTH(test_events_add);
    RUN_BOTH(test_accept_rules);
    RUN_BOTH(test_queue_order);
    RUN_BOTH(test_agents_pick_ring);
    RUN_BOTH(test_routes);
    RUN_BOTH(test_limit_take);
    RUN_BOTH(test_rate_transfer_wrapup_canned);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
