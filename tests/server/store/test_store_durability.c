/* test_store_durability.c - "an acknowledged write survives kill -9": a
 * child appends messages as fast as it can and, after each message_add
 * returns 0, writes the seq to a pipe. The parent SIGKILLs it mid-stream,
 * drains the acknowledgements already sent, reopens the store and checks
 * that every acknowledged message is in the transcript, intact and in
 * order. Three rounds on one file also exercise WAL recovery after a kill
 * followed by more writes. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

#define CHILD_CAP 200000 /* the child stops (and waits to be killed) here */

/* The child: append "m<seq>" forever, acknowledging each seq. Never returns. */
static void appender(const char *dir, const char *participant_id, int ack)
{
    edge_store *st = tk_open(dir);
    for (int i = 0; i < CHILD_CAP; i++) {
        edge_message m;
        char text[32];
        snprintf(text, sizeof(text), "m-%d", i);
        if (edge_store_message_add(st, participant_id, "text/plain", text, 64, T0 + i, &m) != 0)
            _exit(3);
        int64_t seq = m.seq;
        edge_message_free(&m);
        if (write(ack, &seq, sizeof(seq)) != (ssize_t)sizeof(seq))
            _exit(4);
    }
    for (;;)
        pause();
}

/* Run one child, kill it after `wait_for` acks; return the highest acked seq
 * (and the first in *first). */
static int64_t kill_round(const char *dir, const char *participant_id, int wait_for, int64_t *first)
{
    int ack[2];
    if (pipe(ack) != 0)
        abort();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        close(ack[0]);
        appender(dir, participant_id, ack[1]);
    }
    close(ack[1]);
    int64_t seq = 0, last = 0;
    int got = 0;
    *first = 0;
    while (got < wait_for && read(ack[0], &seq, sizeof(seq)) == (ssize_t)sizeof(seq)) {
        if (got++ == 0)
            *first = seq;
        last = seq;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    /* Acks written before the kill are still in the pipe: they count too. */
    while (read(ack[0], &seq, sizeof(seq)) == (ssize_t)sizeof(seq))
        last = seq;
    close(ack[0]);
    CHECK(got >= wait_for);
    return last;
}

/* Every message 1..acked is present with seq order intact; returns how many
 * messages the transcript has in total. */
static int64_t check_transcript(edge_store *st, const char *contact_id, int64_t acked)
{
    edge_message page[64];
    size_t n = 0;
    int more = 1;
    int64_t after = 0, total = 0, bad = 0;
    while (more) {
        if (edge_store_transcript(st, contact_id, after, page, 64, &n, &more) != 0) {
            CHECK(0);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            bad += page[i].seq != after + 1;
            after = page[i].seq;
            edge_message_free(&page[i]);
        }
        total += (int64_t)n;
        if (n == 0)
            break;
    }
    CHECK_INT_EQ(bad, 0);
    CHECK(total >= acked);
    return total;
}

static void test_kill9_keeps_acknowledged(void)
{
    char dir[64];
    tk_mkdtemp(dir);
    char cid[EDGE_STORE_ID_MAX], pid[EDGE_STORE_ID_MAX];
    edge_store *st = tk_open(dir);
    edge_contact c;
    edge_participant p;
    int r;
    CHECK_INT_EQ(tk_chat(st, "alice", NULL, T0, &c, &p, &r), 0);
    memcpy(cid, c.id, sizeof(cid));
    memcpy(pid, p.id, sizeof(pid));
    edge_contact_free(&c);
    edge_store_close(st);

    static const int rounds[] = {50, 400, 150};
    int64_t before = 0;
    for (size_t i = 0; i < sizeof(rounds) / sizeof(rounds[0]); i++) {
        int64_t first = 0;
        int64_t acked = kill_round(dir, pid, rounds[i], &first);
        CHECK_INT_EQ(first, before + 1); /* the round continued the transcript */
        CHECK(acked >= before + rounds[i]);
        st = tk_open(dir); /* the restart: WAL recovery happens here */
        before = check_transcript(st, cid, acked);
        /* The newest acknowledged message reads back exactly. */
        edge_message m;
        size_t n = 0;
        int more = 0;
        CHECK_INT_EQ(edge_store_transcript(st, cid, acked - 1, &m, 1, &n, &more), 0);
        CHECK_INT_EQ(n, 1);
        if (n == 1) {
            char want[32];
            snprintf(want, sizeof(want), "m-%lld", (long long)(acked - first));
            CHECK_STR_EQ(m.content, want);
            CHECK_INT_EQ(m.seq, acked);
            edge_message_free(&m);
        }
        edge_store_close(st);
    }
    tk_rmtree(dir);
}

int main(void)
{
    UNIT_RUN(test_kill9_keeps_acknowledged);
    return UNIT_DONE();
}
