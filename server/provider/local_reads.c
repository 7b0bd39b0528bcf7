/* local_reads.c - the embedded contact center's read-only ops, each a
 * chain of asynchronous store steps (local_op.h): the customer's and the
 * agent's transcript, an agent's history, the queue an agent looks at,
 * and the availability check. Nothing here changes state or tells anyone.
 *
 * The agent's transcript and queue keep the privacy rules: a contact that
 * is not the agent's reads as unknown, and another agent's personal queue
 * ("agent:<hex>", where a chat started with their reference code waits)
 * lists as empty; an agent's own queue view (queue "") is their personal
 * queue first, then the default queue. */
#include <string.h>

#include "provider/local_op.h"

/* ---- transcripts ------------------------------------------------------- */

typedef struct transcript_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    char agent_sub[EDGE_STORE_TEXT_MAX]; /* "" for the customer's own */
    int64_t after_seq;
    edge_message *out; /* the caller's */
    size_t cap, *count;
    int *more;
    edge_contact contact; /* the agent's: as read, to check it is theirs */
} transcript_op;

/* The agent's: their contact only (anyone else's reads as unknown). */
static void tr_check(edge__local_op *op)
{
    transcript_op *o = (transcript_op *)op;
    if (o->agent_sub[0] == '\0') {
        edge__local_op_next(op);
        return;
    }
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

static void tr_read(edge__local_op *op)
{
    transcript_op *o = (transcript_op *)op;
    if (o->agent_sub[0] != '\0' && strcmp(o->contact.agent_sub, o->agent_sub) != 0) {
        edge__local_op_end(op, EDGE_STORE_ENOTFOUND);
        return;
    }
    EDGE__LOCAL_STORE(op, transcript, o->contact_id, o->after_seq, o->out, o->cap, o->count,
                      o->more);
}

static int tr_done(edge__local_op *op, int rc)
{
    transcript_op *o = (transcript_op *)op;
    if (rc != 0) { /* the store's outputs are empty after a failure; a refusal's too */
        *o->count = 0;
        *o->more = 0;
    }
    return rc;
}

static void tr_release(edge__local_op *op)
{
    edge_contact_free(&((transcript_op *)op)->contact);
}

static const edge__local_chain TRANSCRIPT = {EDGE__LOCAL_STEPS(tr_check, tr_read), tr_done,
                                             tr_release};

/* Start a transcript read of contact_id (for agent_sub's eyes, or the
 * customer's when NULL). */
static void transcript(edge_provider *p, edge_provider_call *c, const char *contact_id,
                       const char *agent_sub, int64_t after_seq, edge_message *out, size_t cap,
                       size_t *count, int *more)
{
    transcript_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &TRANSCRIPT);
    o->after_seq = after_seq;
    o->out = out;
    o->cap = cap;
    o->count = count;
    o->more = more;
    int rc = edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id);
    if (rc == 0)
        rc = edge__local_op_copy(o->agent_sub, sizeof(o->agent_sub), agent_sub);
    if (rc != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_ENOTFOUND); /* no id is that long */
        return;
    }
    edge__local_op_run(&o->base);
}

void edge__local_a_chat_transcript(edge_provider *p, edge_provider_call *c,
                                   const edge_participant *who, int64_t after_seq,
                                   edge_message *out, size_t cap, size_t *count, int *more)
{
    transcript(p, c, who->contact_id, NULL, after_seq, out, cap, count, more);
}

void edge__local_a_agent_transcript(edge_provider *p, edge_provider_call *c,
                                    const edge_identity *agent, const char *contact_id,
                                    int64_t after_seq, edge_message *out, size_t cap,
                                    size_t *count, int *more)
{
    transcript(p, c, contact_id, agent->sub, after_seq, out, cap, count, more);
}

/* ---- lists of contacts --------------------------------------------------- */

typedef struct list_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX];
    char queue[EDGE_STORE_TEXT_MAX];    /* the queue listed first */
    char mine[EDGE_STORE_TEXT_MAX];     /* the agent's personal queue */
    edge_contact *out;                  /* the caller's */
    size_t cap, *count;
    size_t first, second;               /* listed by each step */
    int then_shared;                    /* queue "": the default queue after the personal one */
    int delivered;                      /* the caller owns what is in out */
} list_op;

static void l_history(edge__local_op *op)
{
    list_op *o = (list_op *)op;
    EDGE__LOCAL_STORE(op, agent_contacts, o->sub, o->out, o->cap, &o->first);
}

static void l_queue(edge__local_op *op)
{
    list_op *o = (list_op *)op;
    EDGE__LOCAL_STORE(op, queue_list, o->queue, o->out, o->cap, &o->first);
}

static void l_shared(edge__local_op *op)
{
    list_op *o = (list_op *)op;
    if (!o->then_shared || o->first >= o->cap) {
        edge__local_op_next(op);
        return;
    }
    EDGE__LOCAL_STORE(op, queue_list, "", o->out + o->first, o->cap - o->first, &o->second);
}

/* A failed second step leaves the first's contacts: they go here. */
static int l_done(edge__local_op *op, int rc)
{
    list_op *o = (list_op *)op;
    o->delivered = rc == 0;
    *o->count = rc == 0 ? o->first + o->second : 0;
    return rc;
}

static void l_release(edge__local_op *op)
{
    list_op *o = (list_op *)op;
    if (o->delivered)
        return;
    for (size_t i = 0; i < o->first; i++) /* cancelled or failed after the first step */
        edge_contact_free(&o->out[i]);
}

static const edge__local_chain HISTORY = {EDGE__LOCAL_STEPS(l_history), l_done, l_release};
static const edge__local_chain QUEUE = {EDGE__LOCAL_STEPS(l_queue, l_shared), l_done, l_release};

static list_op *list_new(edge_provider *p, edge_provider_call *c, const edge__local_chain *chain,
                         const edge_identity *agent, edge_contact *out, size_t cap, size_t *count)
{
    list_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), chain);
    o->out = out;
    o->cap = cap;
    o->count = count;
    (void)edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub); /* the same size */
    return o;
}

void edge__local_a_agent_history(edge_provider *p, edge_provider_call *c,
                                 const edge_identity *agent, edge_contact *out, size_t cap,
                                 size_t *count)
{
    edge__local_op_run(&list_new(p, c, &HISTORY, agent, out, cap, count)->base);
}

void edge__local_a_agent_queue(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                               const char *queue, edge_contact *out, size_t cap, size_t *count)
{
    list_op *o = list_new(p, c, &QUEUE, agent, out, cap, count);
    edge__local_personal_queue(agent->sub, o->mine, sizeof(o->mine));
    if (edge__local_someone_elses(agent->sub, queue)) {
        edge__local_op_end(&o->base, 0); /* private: lists as empty, as a queue nobody waits in */
        return;
    }
    o->then_shared = queue[0] == '\0';
    int rc = edge__local_op_copy(o->queue, sizeof(o->queue), o->then_shared ? o->mine : queue);
    edge__local_op_start(&o->base, rc);
}

/* ---- availability ------------------------------------------------------ */

typedef struct availability_op {
    edge__local_op base;
    char queue[EDGE_STORE_TEXT_MAX];
    edge_availability got;
    edge_availability *out; /* the caller's */
} availability_op;

static void av_agents(edge__local_op *op)
{
    availability_op *o = (availability_op *)op;
    EDGE__LOCAL_STORE(op, agents_available, &o->got.agents_available);
}

static void av_depth(edge__local_op *op)
{
    availability_op *o = (availability_op *)op;
    EDGE__LOCAL_STORE(op, queue_depth, o->queue, &o->got.queue_depth);
}

static int av_done(edge__local_op *op, int rc)
{
    availability_op *o = (availability_op *)op;
    if (rc == 0)
        *o->out = o->got;
    else
        memset(o->out, 0, sizeof(*o->out));
    return rc;
}

static const edge__local_chain AVAILABILITY = {EDGE__LOCAL_STEPS(av_agents, av_depth), av_done,
                                               NULL};

void edge__local_a_availability(edge_provider *p, edge_provider_call *c, const char *queue,
                                edge_availability *out)
{
    availability_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &AVAILABILITY);
    o->out = out;
    int rc = edge__local_op_copy(o->queue, sizeof(o->queue), queue);
    edge__local_op_start(&o->base, rc);
}
