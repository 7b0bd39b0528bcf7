/* local_notes.c - the embedded contact center's private notes: an agent's
 * notes on a contact they accepted, kept by the store beside the contact
 * (never as messages or participant events, so no participant stream or
 * transcript can carry one to the customer). The store checks, in one
 * transaction, that the contact is the agent's and the per-contact cap.
 * A new note is announced on the agent's own feed only ("contact.note"
 * {ContactId, NoteId}, no content), so the agent's other consoles load it.
 * Both ops are one asynchronous store step each (local_op.h). */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/local_op.h"

void edge__local_tell_note(edge_local_provider *lp, const edge_note *n, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", n->contact_id);
    cJSON_AddStringToObject(o, "NoteId", n->id);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    if (text != NULL)
        edge__local_tell_agent(lp, n->author_sub, n->contact_id, "contact.note", text,
                                     now_ms);
    free(text);
}

/* ---- agent_note_add ---------------------------------------------------- */

typedef struct note_add_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    char sub[EDGE_STORE_TEXT_MAX];
    char name[EDGE_STORE_TEXT_MAX];
    char *content; /* owned */
    edge_note *out; /* the caller's */
} note_add_op;

static void note_add_step(edge__local_op *op)
{
    note_add_op *o = (note_add_op *)op;
    EDGE__LOCAL_STORE(op, note_add, o->contact_id, o->sub, o->name, o->content,
                      EDGE_NOTE_MAX_BYTES, EDGE_NOTES_PER_CONTACT, o->out);
}

static int note_added(edge__local_op *op, int rc)
{
    if (rc == 0)
        edge__local_tell_note(op->lp, ((note_add_op *)op)->out, op->now_ms);
    return rc;
}

static void note_add_release(edge__local_op *op)
{
    free(((note_add_op *)op)->content);
}

static const edge__local_chain NOTE_ADD = {EDGE__LOCAL_STEPS(note_add_step), note_added,
                                           note_add_release};

void edge__local_a_agent_note_add(edge_provider *p, edge_provider_call *c,
                                  const edge_identity *agent, const char *contact_id,
                                  const char *content, edge_note *out)
{
    const char *name = agent->name[0] ? agent->name : agent->sub;
    note_add_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &NOTE_ADD);
    o->out = out;
    o->content = edge_xstrdup(content);
    if (edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0 ||
        edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub) != 0 ||
        edge__local_op_copy(o->name, sizeof(o->name), name) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_op_run(&o->base);
}

/* ---- agent_notes --------------------------------------------------------- */

typedef struct notes_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    char sub[EDGE_STORE_TEXT_MAX];
    edge_note *out; /* the caller's */
    size_t cap;
    size_t *count;
} notes_op;

static void notes_step(edge__local_op *op)
{
    notes_op *o = (notes_op *)op;
    EDGE__LOCAL_STORE(op, notes, o->contact_id, o->sub, o->out, o->cap, o->count);
}

static const edge__local_chain NOTES = {EDGE__LOCAL_STEPS(notes_step), NULL, NULL};

void edge__local_a_agent_notes(edge_provider *p, edge_provider_call *c,
                               const edge_identity *agent, const char *contact_id,
                               edge_note *out, size_t cap, size_t *count)
{
    notes_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &NOTES);
    o->out = out;
    o->cap = cap;
    o->count = count;
    if (edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id) != 0 ||
        edge__local_op_copy(o->sub, sizeof(o->sub), agent->sub) != 0) {
        edge__local_op_end(&o->base, EDGE_STORE_EINVAL);
        return;
    }
    edge__local_op_run(&o->base);
}
