/* test_store_async_tick.c - the asynchronous store's ops for the
 * provider's tick and housekeeping on both backends (store_async_kit.h):
 * queue positions told and personal queues falling back, the timeouts'
 * call scans, agent and participant presence and the reset, agents'
 * private notes, retention. */
#define _GNU_SOURCE
#include "server/store_redis/store_async_kit.h"

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

/* Redis: a participant or agent streams while ANY node holds a stream of
 * theirs; a node's reset leaves only its own streams. */
static void test_presence_per_node(void)
{
    fx f;
    fx_open(&f);
    edge_agent_row row;
    char cid[EDGE_STORE_ID_MAX], pid[EDGE_STORE_ID_MAX];
    CHECK_INT_EQ(RUN(&f, &f.a, agent_presence, "ag", 1), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agent_presence, "ag", 1), 0); /* moved to b before a's close */
    f.now = T0 + 3;
    CHECK_INT_EQ(RUN(&f, &f.a, agent_presence, "ag", 0), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_get, "ag", &row), 0);
    CHECK_INT_EQ(row.away_since_ms, 0); /* b still streams it */
    start_in(&f, "cust", "", 0, cid, pid);
    CHECK_INT_EQ(RUN(&f, &f.a, participant_presence, pid, 1), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, participant_presence, pid, 1), 0);
    f.now = T0 + 4;
    CHECK_INT_EQ(RUN(&f, &f.a, presence_reset), 0); /* a restarted: b's streams stay */
    CHECK_INT_EQ(RUN(&f, &f.a, agent_get, "ag", &row), 0);
    CHECK_INT_EQ(row.away_since_ms, 0);
    edge_contact c;
    CHECK_INT_EQ(RUN(&f, &f.a, contact_get, cid, &c), 0);
    CHECK_INT_EQ(c.customer_away_ms, 0);
    edge_contact_free(&c);
    f.now = T0 + 6;
    CHECK_INT_EQ(RUN(&f, &f.b, participant_presence, pid, 0), 0);
    CHECK_INT_EQ(RUN(&f, &f.b, agent_presence, "ag", 0), 0);
    CHECK_INT_EQ(RUN(&f, &f.a, agent_get, "ag", &row), 0);
    CHECK_INT_EQ(row.away_since_ms, T0 + 6);
    CHECK_INT_EQ(RUN(&f, &f.a, contact_get, cid, &c), 0);
    CHECK_INT_EQ(c.customer_away_ms, T0 + 6);
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
    edge_open_chat open;
    CHECK_INT_EQ(RUN(&f, &f.b, chat_open, "old", &open), 0);
    CHECK_STR_EQ(open.contact_id, c2.id);
    CHECK_STR_EQ(open.participant_id, p2.id);
    CHECK_STR_EQ(open.previous_contact_id, c.id);
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
    CHECK_INT_EQ(RUN(&f, &f.b, chat_open, "old", &open), 0); /* the fast path forgets it too */
    CHECK_STR_EQ(open.contact_id, c2.id);
    CHECK_STR_EQ(open.previous_contact_id, "");
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

int main(void)
{
    if (kit_start() != 0)
        return 1;
    RUN_BOTH(test_queue_positions_fallback);
    RUN_BOTH(test_call_scans);
    RUN_BOTH(test_agent_presence);
    RUN_BOTH(test_notes);
    mode = BACKEND_REDIS; /* one node is all the SQLite store has */
    fprintf(stderr, "[redis]  ");
    UNIT_RUN(test_presence_per_node);
    RUN_BOTH(test_retention);
    test_redis_cleanup(&server);
    return UNIT_DONE();
}
