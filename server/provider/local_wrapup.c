/* local_wrapup.c - the embedded contact center's wrap-up and canned
 * responses, as provider ops, each a chain of asynchronous store steps
 * (local_op.h):
 *
 * - agent_wrapup ends a contact if it is still open (as agent_end), then
 *   records its disposition with the contact (the store checks, in one
 *   transaction, that it is the agent's) and adds the wrap-up note as a
 *   private note. A disposition must be one of the lists' codes.
 * - agent_canned lists the shared canned responses (--canned FILE, held
 *   by the provider) and then the agent's own (the store, per agent);
 *   agent_canned_add and _delete change the agent's own only. */
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "provider/local_op.h"

/* ---- agent_wrapup ------------------------------------------------------- */

typedef struct wrapup_op {
    edge__local_op base;
    edge_identity agent;
    char contact_id[EDGE_STORE_ID_MAX];
    char disposition[EDGE_STORE_TEXT_MAX]; /* "" = none */
    char *note;                            /* owned; NULL = none */
    edge_contact contact;                  /* as read by the first step */
    int ending;                            /* wrapup_end started the store's end */
    edge_note added;                       /* the note, once added */
} wrapup_op;

static void wrapup_get(edge__local_op *op)
{
    wrapup_op *o = (wrapup_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

/* Only the contact's agent may; an open contact ends first, as agent_end
 * ends it (ESTATE: it ended meanwhile, as wanted). */
static void wrapup_end(edge__local_op *op)
{
    wrapup_op *o = (wrapup_op *)op;
    if (strcmp(o->contact.agent_sub, o->agent.sub) != 0) {
        edge__local_op_end(op, EDGE_STORE_ENOTFOUND); /* not theirs: do not reveal it exists */
        return;
    }
    if (o->contact.state == EDGE_CONTACT_ENDED) {
        edge__local_op_next(op);
        return;
    }
    o->ending = 1;
    EDGE__LOCAL_STORE_OR(op, EDGE_STORE_ESTATE, contact_end, o->contact_id, "agent_ended");
}

/* What follows an end (a job), then the disposition. */
static void wrapup_disposition(edge__local_op *op)
{
    wrapup_op *o = (wrapup_op *)op;
    if (o->ending && op->sc.rc == 0)
        edge__local_ended(op->lp, &o->contact, op->now_ms);
    if (o->disposition[0] == '\0') {
        edge__local_op_next(op);
        return;
    }
    EDGE__LOCAL_STORE(op, disposition_set, o->contact_id, o->agent.sub, o->disposition);
}

static void wrapup_note(edge__local_op *op)
{
    wrapup_op *o = (wrapup_op *)op;
    if (o->note == NULL) {
        edge__local_op_next(op);
        return;
    }
    const char *name = o->agent.name[0] ? o->agent.name : o->agent.sub;
    EDGE__LOCAL_STORE(op, note_add, o->contact_id, o->agent.sub, name, o->note,
                      EDGE_NOTE_MAX_BYTES, EDGE_NOTES_PER_CONTACT, &o->added);
}

static int wrapup_done(edge__local_op *op, int rc)
{
    wrapup_op *o = (wrapup_op *)op;
    if (rc == 0 && o->note != NULL)
        edge__local_tell_note(op->lp, &o->added, op->now_ms);
    return rc;
}

static void wrapup_release(edge__local_op *op)
{
    wrapup_op *o = (wrapup_op *)op;
    free(o->note);
    edge_contact_free(&o->contact);
    edge_note_free(&o->added);
}

static const edge__local_chain WRAPUP = {
    EDGE__LOCAL_STEPS(wrapup_get, wrapup_end, wrapup_disposition, wrapup_note), wrapup_done,
    wrapup_release};

void edge__local_a_agent_wrapup(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                                const char *contact_id, const char *disposition, const char *note)
{
    edge_local_provider *lp = edge__local(p);
    wrapup_op *o = edge__local_op_new(lp, c, sizeof(*o), &WRAPUP);
    o->agent = *agent;
    if (note != NULL && note[0] != '\0')
        o->note = edge_xstrdup(note);
    if ((disposition != NULL && edge_agent_lists_disposition(lp->lists, disposition) == NULL) ||
        edge__local_op_copy(o->disposition, sizeof(o->disposition), disposition) != 0 ||
        edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_op_run(&o->base);
}

/* ---- agent_disposition: one step --------------------------------------- */

typedef struct disposition_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    char sub[EDGE_STORE_TEXT_MAX];
    char *code; /* the caller's, EDGE_STORE_TEXT_MAX bytes */
} disposition_op;

static void disposition_get(edge__local_op *op)
{
    disposition_op *o = (disposition_op *)op;
    EDGE__LOCAL_STORE(op, disposition_get, o->contact_id, o->sub, o->code);
}

static const edge__local_chain DISPOSITION = {EDGE__LOCAL_STEPS(disposition_get), NULL, NULL};

void edge__local_a_agent_disposition(edge_provider *p, edge_provider_call *c,
                                     const edge_identity *agent, const char *contact_id,
                                     char code[EDGE_STORE_TEXT_MAX])
{
    disposition_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &DISPOSITION);
    o->code = code;
    if (edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0 ||
        edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_op_run(&o->base);
}

void edge__local_a_agent_dispositions(edge_provider *p, edge_provider_call *c,
                                      const edge_identity *agent, const edge_disposition **list,
                                      size_t *count)
{
    (void)agent; /* one list for every agent, held by the provider: no store */
    const edge_agent_lists *l = edge__local(p)->lists;
    *list = l->dispositions;
    *count = l->n_dispositions;
    edge_provider_call_done(c, 0);
}

/* ---- canned responses -------------------------------------------------- */

typedef struct canned_op {
    edge__local_op base;
    char sub[EDGE_STORE_TEXT_MAX];
    char title[EDGE_STORE_TEXT_MAX];
    char id[EDGE_STORE_ID_MAX];
    char *content;      /* owned (add) */
    edge_canned *out;   /* the caller's: a list (canned) or one (add) */
    size_t cap, shared; /* canned: the list's room, the shared ones at its head */
    size_t own;         /* canned: the agent's own, after the shared ones */
    size_t *count, *shared_out;
} canned_op;

static void canned_release(edge__local_op *op)
{
    free(((canned_op *)op)->content);
}

/* The agent's own, after the shared ones the start copied in. */
static void canned_list(edge__local_op *op)
{
    canned_op *o = (canned_op *)op;
    EDGE__LOCAL_STORE(op, canned_list, o->sub, o->out + o->shared, o->cap - o->shared, &o->own);
}

/* The shared ones (copies) in the room left for them at the head, once
 * the agent's own are there: results are written only just before done. */
static int canned_listed(edge__local_op *op, int rc)
{
    canned_op *o = (canned_op *)op;
    const edge_agent_lists *l = op->lp->lists;
    if (rc != 0)
        o->shared = o->own = 0;
    for (size_t i = 0; i < o->shared; i++) {
        o->out[i] = l->canned[i];
        o->out[i].content = edge_xstrdup(l->canned[i].content);
    }
    *o->shared_out = o->shared;
    *o->count = o->shared + o->own;
    return rc;
}

static const edge__local_chain CANNED = {EDGE__LOCAL_STEPS(canned_list), canned_listed,
                                         canned_release};

void edge__local_a_agent_canned(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                                edge_canned *out, size_t cap, size_t *count, size_t *shared)
{
    const edge_agent_lists *l = edge__local(p)->lists;
    canned_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &CANNED);
    o->out = out;
    o->cap = cap;
    o->count = count;
    o->shared_out = shared;
    o->shared = l->n_canned < cap ? l->n_canned : cap;
    if (edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_op_run(&o->base);
}

static void canned_add(edge__local_op *op)
{
    canned_op *o = (canned_op *)op;
    EDGE__LOCAL_STORE(op, canned_add, o->sub, o->title, o->content, EDGE_CANNED_MAX_BYTES,
                      EDGE_CANNED_PER_AGENT, o->out);
}

static const edge__local_chain CANNED_ADD = {EDGE__LOCAL_STEPS(canned_add), NULL, canned_release};

void edge__local_a_agent_canned_add(edge_provider *p, edge_provider_call *c,
                                    const edge_identity *agent, const char *title,
                                    const char *content, edge_canned *out)
{
    canned_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &CANNED_ADD);
    o->out = out;
    o->content = edge_xstrdup(content);
    if (edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub) != 0 ||
        edge__local_op_copy(o->title, sizeof(o->title), title) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_op_run(&o->base);
}

static void canned_delete(edge__local_op *op)
{
    canned_op *o = (canned_op *)op;
    EDGE__LOCAL_STORE(op, canned_delete, o->sub, o->id);
}

static const edge__local_chain CANNED_DELETE = {EDGE__LOCAL_STEPS(canned_delete), NULL, NULL};

void edge__local_a_agent_canned_delete(edge_provider *p, edge_provider_call *c,
                                       const edge_identity *agent, const char *id)
{
    canned_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &CANNED_DELETE);
    int rc = edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub);
    if (rc == 0 && edge__local_op_copy(o->id, sizeof(o->id), id) != 0)
        rc = EDGE_STORE_ENOTFOUND; /* no id is that long */
    edge__local_op_start(&o->base, rc);
}
