/* test_store_contacts.c - contacts and participants in one process: chat
 * start and resume, the link to the previous chat, the one-open-chat index
 * behind the API, calls, the queued/ringing/connected/ended transitions and
 * their ESTATE/ECONFLICT cases, queue order and agent history. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

static void test_chat_start_creates(void)
{
    tk t;
    tk_setup(&t);
    edge_chat_start in = {.sub = "alice",
                          .name = "Alice",
                          .email = "alice@example.test",
                          .display_name = "Ali",
                          .queue = "sales",
                          .priority = 2,
                          .attributes_json = "{\"page\":\"/pricing\"}",
                          .initial_message = "hi there"};
    edge_contact c;
    edge_participant p;
    int resumed = -1;
    CHECK_INT_EQ(edge_store_chat_start(t.st, &in, T0, &c, &p, &resumed), 0);
    CHECK_INT_EQ(resumed, 0);
    CHECK_INT_EQ(strlen(c.id), 32);
    CHECK_INT_EQ(c.kind, EDGE_CONTACT_CHAT);
    CHECK_INT_EQ(c.state, EDGE_CONTACT_QUEUED);
    CHECK_STR_EQ(c.queue, "sales");
    CHECK_INT_EQ(c.priority, 2);
    CHECK_STR_EQ(c.customer_sub, "alice");
    CHECK_STR_EQ(c.customer_name, "Alice");
    CHECK_STR_EQ(c.customer_email, "alice@example.test");
    CHECK_STR_EQ(c.agent_sub, "");
    CHECK_STR_EQ(c.previous_contact_id, "");
    CHECK_STR_EQ(c.end_reason, "");
    CHECK_INT_EQ(c.created_ms, T0);
    CHECK_INT_EQ(c.updated_ms, T0);
    CHECK_INT_EQ(c.ended_ms, 0);
    CHECK_STR_EQ(c.attributes_json, "{\"page\":\"/pricing\"}");
    CHECK_INT_EQ(strlen(p.id), 32);
    CHECK(strcmp(p.id, c.id) != 0);
    CHECK_STR_EQ(p.contact_id, c.id);
    CHECK_INT_EQ(p.role, EDGE_ROLE_CUSTOMER);
    CHECK_STR_EQ(p.sub, "alice");
    CHECK_STR_EQ(p.display_name, "Ali");
    CHECK_INT_EQ(p.joined_ms, T0);
    CHECK_INT_EQ(p.left_ms, 0);

    edge_message m[2];
    size_t n = 0;
    int more = 0;
    CHECK_INT_EQ(edge_store_transcript(t.st, c.id, 0, m, 2, &n, &more), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1) {
        CHECK_INT_EQ(m[0].seq, 1);
        CHECK_STR_EQ(m[0].content, "hi there");
        CHECK_STR_EQ(m[0].content_type, "text/plain");
        CHECK_STR_EQ(m[0].participant_id, p.id);
        CHECK_STR_EQ(m[0].display_name, "Ali");
        edge_message_free(&m[0]);
    }
    edge_contact_free(&c);
    tk_teardown(&t);
}

static void test_chat_defaults(void)
{
    tk t;
    tk_setup(&t);
    edge_chat_start in = {.sub = "bob"};
    edge_contact c;
    edge_participant p;
    int resumed = -1;
    CHECK_INT_EQ(edge_store_chat_start(t.st, &in, T0, &c, &p, &resumed), 0);
    CHECK_STR_EQ(c.queue, "");
    CHECK_INT_EQ(c.priority, 5);
    CHECK(c.attributes_json == NULL);
    CHECK_STR_EQ(p.display_name, "");
    edge_message m;
    size_t n = 9;
    int more = 9;
    CHECK_INT_EQ(edge_store_transcript(t.st, c.id, 0, &m, 1, &n, &more), 0);
    CHECK_INT_EQ(n, 0); /* no initial message */
    edge_contact_free(&c);
    tk_teardown(&t);
}

static void test_chat_start_resumes(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c1, c2, c3;
    edge_participant p1, p2, p3;
    int r1 = -1, r2 = -1, r3 = -1;
    CHECK_INT_EQ(tk_chat(t.st, "alice", "first", T0, &c1, &p1, &r1), 0);
    CHECK_INT_EQ(tk_chat(t.st, "alice", "again", T0 + 10, &c2, &p2, &r2), 0);
    CHECK_INT_EQ(r1, 0);
    CHECK_INT_EQ(r2, 1);
    CHECK_STR_EQ(c2.id, c1.id);
    CHECK_STR_EQ(p2.id, p1.id);
    CHECK_INT_EQ(c2.created_ms, T0);
    CHECK_INT_EQ(tk_chat(t.st, "bob", NULL, T0 + 20, &c3, &p3, &r3), 0);
    CHECK_INT_EQ(r3, 0);
    CHECK(strcmp(c3.id, c1.id) != 0);

    edge_message m[3];
    size_t n = 0;
    int more = 0;
    CHECK_INT_EQ(edge_store_transcript(t.st, c1.id, 0, m, 3, &n, &more), 0);
    CHECK_INT_EQ(n, 1); /* the second start did not add "again" */
    for (size_t i = 0; i < n; i++)
        edge_message_free(&m[i]);
    edge_contact_free(&c1);
    edge_contact_free(&c2);
    edge_contact_free(&c3);
    tk_teardown(&t);
}

static void test_chat_after_end_links_previous(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c1, c2, c3;
    edge_participant p;
    int r = -1;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c1, &p, &r), 0);
    CHECK_INT_EQ(edge_store_contact_end(t.st, c1.id, "customer left", T0 + 5), 0);
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0 + 10, &c2, &p, &r), 0);
    CHECK_INT_EQ(r, 0);
    CHECK(strcmp(c2.id, c1.id) != 0);
    CHECK_STR_EQ(c2.previous_contact_id, c1.id);
    CHECK_INT_EQ(edge_store_contact_end(t.st, c2.id, "done", T0 + 15), 0);
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0 + 20, &c3, &p, &r), 0);
    CHECK_STR_EQ(c3.previous_contact_id, c2.id); /* the most recent one */
    edge_contact_free(&c1);
    edge_contact_free(&c2);
    edge_contact_free(&c3);
    tk_teardown(&t);
}

static void test_chat_validation(void)
{
    tk t;
    tk_setup(&t);
    char long_text[EDGE_STORE_TEXT_MAX + 1];
    memset(long_text, 'x', sizeof(long_text) - 1);
    long_text[EDGE_STORE_TEXT_MAX] = '\0'; /* 256 bytes: one too many */
    edge_contact c;
    edge_participant p;
    int r = 7;
    edge_chat_start in = {.sub = ""};
    CHECK_INT_EQ(edge_store_chat_start(t.st, &in, T0, &c, &p, &r), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(r, 0);
    CHECK_STR_EQ(c.id, "");
    in.sub = NULL;
    CHECK_INT_EQ(edge_store_chat_start(t.st, &in, T0, &c, &p, &r), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_chat_start(t.st, NULL, T0, &c, &p, &r), EDGE_STORE_EINVAL);
    in.sub = long_text;
    CHECK_INT_EQ(edge_store_chat_start(t.st, &in, T0, &c, &p, &r), EDGE_STORE_EINVAL);
    in.sub = "alice";
    in.email = long_text;
    CHECK_INT_EQ(edge_store_chat_start(t.st, &in, T0, &c, &p, &r), EDGE_STORE_EINVAL);
    in.email = NULL;
    in.queue = long_text;
    CHECK_INT_EQ(edge_store_chat_start(t.st, &in, T0, &c, &p, &r), EDGE_STORE_EINVAL);
    long_text[EDGE_STORE_TEXT_MAX - 1] = '\0'; /* 255 bytes: the most allowed */
    CHECK_INT_EQ(edge_store_chat_start(t.st, &in, T0, &c, &p, &r), 0);
    CHECK_STR_EQ(c.queue, long_text);
    edge_contact_free(&c);
    tk_teardown(&t);
}

/* The partial unique index refuses a second open chat even to raw SQL on
 * another connection, while ended chats and calls for the sub are fine. */
static void test_unique_index_raw_sql(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant p;
    int r;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c, &p, &r), 0);
    sqlite3 *db = tk_raw(t.dir);
    const char *ins = "INSERT INTO contacts (id, kind, state, priority, customer_sub,"
                      " created_ms, updated_ms) VALUES ('%s', '%s', '%s', 5, 'alice', 1, 1)";
    char sql[256];
    snprintf(sql, sizeof(sql), ins, "raw1", "chat", "queued");
    CHECK_INT_EQ(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_CONSTRAINT);
    snprintf(sql, sizeof(sql), ins, "raw2", "chat", "connected");
    CHECK_INT_EQ(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_CONSTRAINT);
    snprintf(sql, sizeof(sql), ins, "raw3", "chat", "ended");
    CHECK_INT_EQ(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    snprintf(sql, sizeof(sql), ins, "raw4", "call", "queued");
    CHECK_INT_EQ(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    /* After the store ends its chat, the slot is free. */
    CHECK_INT_EQ(edge_store_contact_end(t.st, c.id, "bye", T0 + 1), 0);
    snprintf(sql, sizeof(sql), ins, "raw5", "chat", "queued");
    CHECK_INT_EQ(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    edge_contact_free(&c);
    tk_teardown(&t);
}

/* What the no-agent timeout sees: waiting calls created by a time, oldest
 * first; never chats, never connected or ended calls. */
static void test_calls_waiting_since(void)
{
    tk t;
    tk_setup(&t);
    edge_call_start in = {.sub = "dan", .name = "Dan", .email = "", .to_number = "+4930123456"};
    edge_contact old1, old2, young, chat, list[4];
    edge_participant p, pc, agent;
    int r;
    size_t n = 9;
    CHECK_INT_EQ(edge_store_call_start(t.st, &in, T0, &old1, &p), 0);
    CHECK_INT_EQ(edge_store_call_start(t.st, &in, T0 + 10, &old2, &p), 0);
    CHECK_INT_EQ(edge_store_call_start(t.st, &in, T0 + 5000, &young, &p), 0);
    CHECK_INT_EQ(tk_chat(t.st, "dan", NULL, T0, &chat, &pc, &r), 0);
    CHECK_INT_EQ(edge_store_calls_waiting_since(t.st, T0 + 1000, list, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_STR_EQ(list[0].id, old1.id);
        CHECK_STR_EQ(list[1].id, old2.id);
    }
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, old1.id, "agent-1", "A", T0 + 20, &agent), 0);
    CHECK_INT_EQ(edge_store_contact_end(t.st, old2.id, "customer_hangup", T0 + 30), 0);
    CHECK_INT_EQ(edge_store_calls_waiting_since(t.st, T0 + 10000, list, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_STR_EQ(list[0].id, young.id);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&list[i]);
    edge_contact_free(&old1);
    edge_contact_free(&old2);
    edge_contact_free(&young);
    edge_contact_free(&chat);
    tk_teardown(&t);
}

static void test_call_start(void)
{
    tk t;
    tk_setup(&t);
    edge_call_start in = {.sub = "carol",
                          .name = "Carol",
                          .email = "carol@example.test",
                          .queue = "support",
                          .to_number = "+4930123456"};
    edge_contact c1, c2, chat;
    edge_participant p1, p2, pc;
    int r;
    CHECK_INT_EQ(edge_store_call_start(t.st, &in, T0, &c1, &p1), 0);
    CHECK_INT_EQ(edge_store_call_start(t.st, &in, T0 + 1, &c2, &p2), 0);
    CHECK_INT_EQ(c1.kind, EDGE_CONTACT_CALL);
    CHECK_INT_EQ(c1.state, EDGE_CONTACT_QUEUED);
    CHECK_STR_EQ(c1.queue, "support");
    CHECK_INT_EQ(c1.priority, 5);
    CHECK_STR_EQ(p1.display_name, "Carol");
    CHECK_INT_EQ(p1.role, EDGE_ROLE_CUSTOMER);
    CHECK(strcmp(c1.id, c2.id) != 0); /* every dial is a new call */
    /* An open call does not count as the identity's open chat. */
    CHECK_INT_EQ(tk_chat(t.st, "carol", NULL, T0 + 2, &chat, &pc, &r), 0);
    CHECK_INT_EQ(r, 0);
    sqlite3 *db = tk_raw(t.dir);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM contacts"
                                " WHERE to_number = '+4930123456' AND kind = 'call'"),
                 2);
    sqlite3_close(db);
    in.to_number = NULL;
    in.sub = "";
    CHECK_INT_EQ(edge_store_call_start(t.st, &in, T0, &c1, &p1), EDGE_STORE_EINVAL);
    edge_contact_free(&c1);
    edge_contact_free(&c2);
    edge_contact_free(&chat);
    tk_teardown(&t);
}

static edge_contact_state state_of(edge_store *st, const char *id)
{
    edge_contact c;
    if (edge_store_contact_get(st, id, &c) != 0)
        return (edge_contact_state)-1;
    edge_contact_state state = c.state;
    edge_contact_free(&c);
    return state;
}

static void test_transitions(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant cust, ag;
    int r;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c, &cust, &r), 0);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, c.id, "agent-a", T0 + 1), 0);
    CHECK_INT_EQ(state_of(t.st, c.id), EDGE_CONTACT_RINGING);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, c.id, "agent-b", T0 + 2), EDGE_STORE_ESTATE);
    /* Offered to agent-a: agent-b cannot take it. */
    CHECK_INT_EQ(edge_store_contact_accept(t.st, c.id, "agent-b", "B", T0 + 3, &ag),
                 EDGE_STORE_ECONFLICT);
    CHECK_STR_EQ(ag.id, "");
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, c.id, NULL, T0 + 4), 0);
    CHECK_INT_EQ(state_of(t.st, c.id), EDGE_CONTACT_QUEUED);
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, c.id, NULL, T0 + 5), EDGE_STORE_ESTATE);
    /* Queued: any agent may accept directly. */
    CHECK_INT_EQ(edge_store_contact_accept(t.st, c.id, "agent-b", "Bea", T0 + 6, &ag), 0);
    CHECK_INT_EQ(ag.role, EDGE_ROLE_AGENT);
    CHECK_STR_EQ(ag.sub, "agent-b");
    CHECK_STR_EQ(ag.display_name, "Bea");
    CHECK_STR_EQ(ag.contact_id, c.id);
    CHECK_INT_EQ(ag.joined_ms, T0 + 6);
    edge_contact got;
    CHECK_INT_EQ(edge_store_contact_get(t.st, c.id, &got), 0);
    CHECK_INT_EQ(got.state, EDGE_CONTACT_CONNECTED);
    CHECK_STR_EQ(got.agent_sub, "agent-b");
    CHECK_INT_EQ(got.updated_ms, T0 + 6);
    edge_contact_free(&got);
    edge_participant again;
    CHECK_INT_EQ(edge_store_contact_accept(t.st, c.id, "agent-b", "Bea", T0 + 7, &again),
                 EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, c.id, "agent-a", T0 + 7), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, c.id, NULL, T0 + 7), EDGE_STORE_ESTATE);

    CHECK_INT_EQ(edge_store_contact_end(t.st, c.id, "resolved", T0 + 8), 0);
    CHECK_INT_EQ(edge_store_contact_get(t.st, c.id, &got), 0);
    CHECK_INT_EQ(got.state, EDGE_CONTACT_ENDED);
    CHECK_STR_EQ(got.end_reason, "resolved");
    CHECK_INT_EQ(got.ended_ms, T0 + 8);
    edge_contact_free(&got);
    edge_participant ps[4];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_participants_of(t.st, c.id, ps, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    for (size_t i = 0; i < n; i++)
        CHECK_INT_EQ(ps[i].left_ms, T0 + 8);
    CHECK_INT_EQ(edge_store_contact_end(t.st, c.id, "again", T0 + 9), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, c.id, "agent-c", "C", T0 + 9, &again),
                 EDGE_STORE_ESTATE);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, c.id, "agent-c", T0 + 9), EDGE_STORE_ESTATE);
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, c.id, NULL, T0 + 9), EDGE_STORE_ESTATE);
    edge_contact_free(&c);
    tk_teardown(&t);
}

static void test_accept_while_ringing_for_me(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant cust, ag;
    int r;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c, &cust, &r), 0);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, c.id, "agent-a", T0 + 1), 0);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, c.id, "agent-a", NULL, T0 + 2, &ag), 0);
    CHECK_STR_EQ(ag.display_name, "");
    /* Ending from ringing or queued is allowed too. */
    edge_contact c2;
    CHECK_INT_EQ(tk_chat(t.st, "bob", NULL, T0, &c2, &cust, &r), 0);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, c2.id, "agent-a", T0 + 1), 0);
    CHECK_INT_EQ(edge_store_contact_end(t.st, c2.id, NULL, T0 + 2), 0);
    edge_contact_free(&c);
    edge_contact_free(&c2);
    tk_teardown(&t);
}

static void test_unknown_ids(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant p;
    size_t n = 0;
    CHECK_INT_EQ(edge_store_contact_get(t.st, "nope", &c), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, "nope", "a", T0), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, "nope", "a", "A", T0, &p), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_contact_requeue(t.st, "nope", NULL, T0), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_contact_end(t.st, "nope", "x", T0), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_participant_get(t.st, "nope", &p), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_participants_of(t.st, "nope", &p, 1, &n), EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_contact_get(t.st, "", &c), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, "x", "", T0), EDGE_STORE_EINVAL);
    tk_teardown(&t);
}

/* Start a chat for sub at time now with priority prio in queue q. */
static void start_in(edge_store *st, const char *sub, const char *q, int prio, int64_t now,
                     char id[EDGE_STORE_ID_MAX])
{
    edge_chat_start in = {.sub = sub, .queue = q, .priority = prio};
    edge_contact c;
    edge_participant p;
    int r;
    CHECK_INT_EQ(edge_store_chat_start(st, &in, now, &c, &p, &r), 0);
    memcpy(id, c.id, EDGE_STORE_ID_MAX);
    edge_contact_free(&c);
}

static void test_queue_list(void)
{
    tk t;
    tk_setup(&t);
    char a[EDGE_STORE_ID_MAX], b[EDGE_STORE_ID_MAX], c[EDGE_STORE_ID_MAX], d[EDGE_STORE_ID_MAX],
        e[EDGE_STORE_ID_MAX], f[EDGE_STORE_ID_MAX], g[EDGE_STORE_ID_MAX];
    start_in(t.st, "a", NULL, 5, T0 + 1, a);
    start_in(t.st, "b", NULL, 1, T0 + 2, b); /* urgent: first despite arriving later */
    start_in(t.st, "c", NULL, 5, T0 + 0, c); /* oldest at priority 5 */
    start_in(t.st, "d", NULL, 5, T0 + 3, d); /* will be connected */
    start_in(t.st, "e", NULL, 5, T0 + 4, e); /* will be ended */
    start_in(t.st, "f", "sales", 1, T0, f);  /* another queue */
    start_in(t.st, "g", NULL, 9, T0 + 5, g); /* ringing still waits */
    edge_participant ag;
    CHECK_INT_EQ(edge_store_contact_accept(t.st, d, "agent", "A", T0 + 6, &ag), 0);
    CHECK_INT_EQ(edge_store_contact_end(t.st, e, "gone", T0 + 6), 0);
    CHECK_INT_EQ(edge_store_contact_ring(t.st, g, "agent", T0 + 6), 0);

    edge_contact out[10];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_queue_list(t.st, "", out, 10, &n), 0);
    CHECK_INT_EQ(n, 4);
    if (n == 4) {
        CHECK_STR_EQ(out[0].id, b);
        CHECK_STR_EQ(out[1].id, c);
        CHECK_STR_EQ(out[2].id, a);
        CHECK_STR_EQ(out[3].id, g);
        CHECK_INT_EQ(out[3].state, EDGE_CONTACT_RINGING);
    }
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&out[i]);
    CHECK_INT_EQ(edge_store_queue_list(t.st, NULL, out, 2, &n), 0); /* NULL = default */
    CHECK_INT_EQ(n, 2);
    if (n == 2)
        CHECK_STR_EQ(out[1].id, c);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&out[i]);
    CHECK_INT_EQ(edge_store_queue_list(t.st, "sales", out, 10, &n), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_STR_EQ(out[0].id, f);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&out[i]);
    size_t depth = 99;
    CHECK_INT_EQ(edge_store_queue_depth(t.st, "", &depth), 0);
    CHECK_INT_EQ(depth, 4);
    CHECK_INT_EQ(edge_store_queue_depth(t.st, NULL, &depth), 0);
    CHECK_INT_EQ(depth, 4);
    CHECK_INT_EQ(edge_store_queue_depth(t.st, "sales", &depth), 0);
    CHECK_INT_EQ(depth, 1);
    CHECK_INT_EQ(edge_store_queue_depth(t.st, "nobody", &depth), 0);
    CHECK_INT_EQ(depth, 0);
    CHECK_INT_EQ(edge_store_queue_depth(t.st, "", NULL), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_queue_list(t.st, "nobody", out, 10, &n), 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(edge_store_queue_list(t.st, "", NULL, 0, &n), 0);
    CHECK_INT_EQ(edge_store_queue_list(t.st, "", NULL, 3, &n), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_queue_list(t.st, "", out, 3, NULL), EDGE_STORE_EINVAL);

    /* The same queue as contact and customer ids, in the same order. */
    edge_queue_entry q[10];
    CHECK_INT_EQ(edge_store_queue_customers(t.st, "", q, 10, &n), 0);
    CHECK_INT_EQ(n, 4);
    const char *order[4] = {b, c, a, g};
    for (size_t i = 0; i < n && i < 4; i++) {
        CHECK_STR_EQ(q[i].contact_id, order[i]);
        edge_participant ps[2];
        size_t np = 0;
        CHECK_INT_EQ(edge_store_participants_of(t.st, order[i], ps, 2, &np), 0);
        CHECK_STR_EQ(q[i].customer_id, ps[0].id);
        CHECK_INT_EQ(ps[0].role, EDGE_ROLE_CUSTOMER);
    }
    CHECK_INT_EQ(edge_store_queue_customers(t.st, "", q, 2, &n), 0);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(edge_store_queue_customers(t.st, "sales", q, 10, &n), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(edge_store_queue_customers(t.st, "", NULL, 3, &n), EDGE_STORE_EINVAL);
    tk_teardown(&t);
}

/* A list read that stops at cap leaves rows unread; the store must still
 * end its read snapshot, or later reads would miss other processes'
 * writes (and a later BEGIN IMMEDIATE would fail with BUSY_SNAPSHOT). */
static void test_no_stale_snapshot(void)
{
    tk t;
    tk_setup(&t);
    char a[EDGE_STORE_ID_MAX], b[EDGE_STORE_ID_MAX];
    start_in(t.st, "a", NULL, 0, T0, a);
    start_in(t.st, "b", NULL, 0, T0 + 1, b);
    edge_contact out[1];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_queue_list(t.st, "", out, 1, &n), 0); /* one of two rows */
    CHECK_INT_EQ(n, 1);
    edge_contact_free(&out[0]);
    sqlite3 *db = tk_raw(t.dir);
    CHECK_INT_EQ(sqlite3_exec(db,
                              "INSERT INTO contacts (id, kind, state, priority, customer_sub,"
                              " created_ms, updated_ms) VALUES ('raw', 'call', 'queued', 5, 'r',"
                              " 1, 1)",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    size_t depth = 0;
    CHECK_INT_EQ(edge_store_queue_depth(t.st, "", &depth), 0);
    CHECK_INT_EQ(depth, 3);
    edge_message m[1];
    int more = 0;
    edge_participant p;
    CHECK_INT_EQ(edge_store_participants_of(t.st, a, &p, 1, &n), 0);
    CHECK_INT_EQ(edge_store_message_add(t.st, p.id, "text/plain", "1", 9, T0, &m[0]), 0);
    edge_message_free(&m[0]);
    CHECK_INT_EQ(edge_store_message_add(t.st, p.id, "text/plain", "2", 9, T0, &m[0]), 0);
    edge_message_free(&m[0]);
    CHECK_INT_EQ(edge_store_transcript(t.st, a, 0, m, 1, &n, &more), 0); /* more = 1 */
    CHECK_INT_EQ(more, 1);
    edge_message_free(&m[0]);
    CHECK_INT_EQ(
        sqlite3_exec(db, "UPDATE contacts SET priority = 1 WHERE id = 'raw'", NULL, NULL, NULL),
        SQLITE_OK);
    CHECK_INT_EQ(edge_store_queue_list(t.st, "", out, 1, &n), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_STR_EQ(out[0].id, "raw");
    edge_contact_free(&out[0]);
    sqlite3_close(db);
    tk_teardown(&t);
}

static void test_agent_contacts(void)
{
    tk t;
    tk_setup(&t);
    char x[EDGE_STORE_ID_MAX], y[EDGE_STORE_ID_MAX], z[EDGE_STORE_ID_MAX], w[EDGE_STORE_ID_MAX];
    start_in(t.st, "x", NULL, 0, T0 + 1, x);
    start_in(t.st, "y", NULL, 0, T0 + 2, y);
    start_in(t.st, "z", NULL, 0, T0 + 3, z);
    start_in(t.st, "w", NULL, 0, T0 + 4, w);
    edge_participant ag;
    CHECK_INT_EQ(edge_store_contact_accept(t.st, x, "amy", "Amy", T0 + 5, &ag), 0);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, y, "ben", "Ben", T0 + 5, &ag), 0);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, z, "amy", "Amy", T0 + 5, &ag), 0);
    CHECK_INT_EQ(edge_store_contact_end(t.st, x, "done", T0 + 6), 0);
    edge_contact out[5];
    size_t n = 0;
    CHECK_INT_EQ(edge_store_agent_contacts(t.st, "amy", out, 5, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_STR_EQ(out[0].id, z); /* newest first, ended ones included */
        CHECK_STR_EQ(out[1].id, x);
        CHECK_INT_EQ(out[1].state, EDGE_CONTACT_ENDED);
    }
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&out[i]);
    CHECK_INT_EQ(edge_store_agent_contacts(t.st, "amy", out, 1, &n), 0);
    CHECK_INT_EQ(n, 1);
    for (size_t i = 0; i < n; i++)
        edge_contact_free(&out[i]);
    CHECK_INT_EQ(edge_store_agent_contacts(t.st, "nobody", out, 5, &n), 0);
    CHECK_INT_EQ(n, 0);
    tk_teardown(&t);
}

static void test_participants(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant cust, ag, got, ps[4];
    int r;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c, &cust, &r), 0);
    size_t n = 0;
    CHECK_INT_EQ(edge_store_participants_of(t.st, c.id, ps, 4, &n), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, c.id, "amy", "Amy", T0 + 1, &ag), 0);
    CHECK_INT_EQ(edge_store_participants_of(t.st, c.id, ps, 4, &n), 0);
    CHECK_INT_EQ(n, 2);
    if (n == 2) {
        CHECK_STR_EQ(ps[0].id, cust.id);
        CHECK_STR_EQ(ps[1].id, ag.id);
    }
    CHECK_INT_EQ(edge_store_participants_of(t.st, c.id, ps, 1, &n), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(edge_store_participant_get(t.st, ag.id, &got), 0);
    CHECK_STR_EQ(got.sub, "amy");
    CHECK_INT_EQ(got.role, EDGE_ROLE_AGENT);
    edge_contact_free(&c);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_chat_start_creates);
    UNIT_RUN(test_chat_defaults);
    UNIT_RUN(test_chat_start_resumes);
    UNIT_RUN(test_chat_after_end_links_previous);
    UNIT_RUN(test_chat_validation);
    UNIT_RUN(test_unique_index_raw_sql);
    UNIT_RUN(test_call_start);
    UNIT_RUN(test_calls_waiting_since);
    UNIT_RUN(test_transitions);
    UNIT_RUN(test_accept_while_ringing_for_me);
    UNIT_RUN(test_unknown_ids);
    UNIT_RUN(test_queue_list);
    UNIT_RUN(test_no_stale_snapshot);
    UNIT_RUN(test_agent_contacts);
    UNIT_RUN(test_participants);
    return UNIT_DONE();
}
