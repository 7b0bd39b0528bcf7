/* local_console.c - what an agent's console restores (provider op
 * agent_contacts), as a chain of asynchronous store steps (local_op.h):
 * the newest event id of the agent's feed first (whatever changes after
 * it is replayed to a stream opened with it), their status, then their
 * open contacts, each with the participant they joined as and a fresh
 * ParticipantToken for it. A contact whose participant cannot be read is
 * left out rather than failing the whole restore. */
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "provider/local_op.h"

#define CONSOLE_PARTS_MAX 8 /* participants of one contact looked through */

typedef struct console_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX];
    char feed[EDGE__LOCAL_FEED_ID_MAX];
    edge_agent_console got;
    edge_agent_row row;
    edge_contact *list;        /* owned: the open contacts, cap of them */
    edge_agent_contact *ready; /* owned until delivered: the ones kept */
    size_t cap, n, done, kept; /* done: list entries handed on or freed */
    edge_participant parts[CONSOLE_PARTS_MAX];
    size_t n_parts;
    int walking; /* co_walk has started a pass */
    int delivered;
    edge_agent_console *console; /* the caller's */
    edge_agent_contact *out;
    size_t *count;
} console_op;

static void co_last_id(edge__local_op *op)
{
    console_op *o = (console_op *)op;
    EDGE__LOCAL_STORE(op, events_last_id, o->feed, &o->got.last_event_id);
}

static void co_status(edge__local_op *op)
{
    console_op *o = (console_op *)op;
    EDGE__LOCAL_STORE_OR(op, EDGE_STORE_ENOTFOUND, agent_get, o->sub, &o->row);
}

static void co_list(edge__local_op *op)
{
    console_op *o = (console_op *)op;
    if (op->sc.rc == 0) /* ENOTFOUND: a new agent, offline */
        o->got.status = o->row.available ? EDGE_AGENT_AVAILABLE
                        : o->row.away    ? EDGE_AGENT_AWAY
                                         : EDGE_AGENT_OFFLINE;
    EDGE__LOCAL_STORE(op, agent_open_contacts, o->sub, o->list, o->cap, &o->n);
}

/* Keep list[o->done] when o->parts (its participants, read without error
 * when ok) hold the agent's: moved to ready with a token. */
static void keep_or_drop(console_op *o, int ok)
{
    edge_contact *c = &o->list[o->done++];
    for (size_t i = 0; ok && i < o->n_parts; i++) {
        const edge_participant *me = &o->parts[i];
        if (me->role != EDGE_ROLE_AGENT || strcmp(me->sub, o->sub) != 0)
            continue;
        edge_agent_contact *r = &o->ready[o->kept];
        if (edge_ptoken_make(o->base.lp->key, me->id, r->participant_token,
                             sizeof(r->participant_token)) != 0)
            break;
        r->contact = *c;
        memset(c, 0, sizeof(*c)); /* moved */
        memcpy(r->participant_id, me->id, sizeof(r->participant_id));
        r->accepted_ms = me->joined_ms;
        o->kept++;
        return;
    }
    edge_contact_free(c);
}

/* One contact per pass: the previous pass's answer first. */
static void co_walk(edge__local_op *op)
{
    console_op *o = (console_op *)op;
    if (o->walking)
        keep_or_drop(o, op->sc.rc == 0);
    o->walking = 1;
    if (o->done >= o->n) {
        edge__local_op_next(op);
        return;
    }
    o->n_parts = 0;
    edge__local_op_again(op);
    EDGE__LOCAL_STORE_OR(op, EDGE__LOCAL_ANY_ERROR, participants_of, o->list[o->done].id,
                         o->parts, CONSOLE_PARTS_MAX, &o->n_parts);
}

static int co_done(edge__local_op *op, int rc)
{
    console_op *o = (console_op *)op;
    memset(o->console, 0, sizeof(*o->console));
    *o->count = 0;
    if (rc != 0)
        return rc;
    *o->console = o->got;
    memcpy(o->out, o->ready, o->kept * sizeof(*o->out));
    *o->count = o->kept;
    o->delivered = 1;
    return 0;
}

static void co_release(edge__local_op *op)
{
    console_op *o = (console_op *)op;
    for (size_t i = o->done; i < o->n; i++)
        edge_contact_free(&o->list[i]);
    for (size_t i = 0; !o->delivered && i < o->kept; i++)
        edge_contact_free(&o->ready[i].contact);
    free(o->list);
    free(o->ready);
}

static const edge__local_chain CONSOLE = {
    EDGE__LOCAL_STEPS(co_last_id, co_status, co_list, co_walk), co_done, co_release};

void edge__local_a_agent_contacts(edge_provider *p, edge_provider_call *c,
                                  const edge_identity *agent, edge_agent_console *console,
                                  edge_agent_contact *out, size_t cap, size_t *count)
{
    console_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &CONSOLE);
    o->console = console;
    o->out = out;
    o->count = count;
    o->cap = cap;
    o->list = edge_xcalloc(cap > 0 ? cap : 1, sizeof(*o->list));
    o->ready = edge_xcalloc(cap > 0 ? cap : 1, sizeof(*o->ready));
    edge__local_agent_feed_id(agent->sub, o->feed);
    if (edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_op_run(&o->base);
}
