/* local_notes.c - the embedded contact center's private notes: an agent's
 * notes on a contact they accepted, kept by the store beside the contact
 * (never as messages or participant events, so no participant stream or
 * transcript can carry one to the customer). The store checks, in one
 * transaction, that the contact is the agent's and the per-contact cap.
 * A new note is announced on the agent's own feed only ("contact.note"
 * {ContactId, NoteId}, no content), so the agent's other consoles load it. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "common/json_text.h"
#include "provider/local_internal.h"

/* "contact.note" to the author's own feed. Best effort: the note is stored
 * whatever happens here, and a console that missed the event still gets the
 * note when it next loads the contact's notes. */
static void tell_note(edge_local_provider *lp, const edge_note *n, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", n->contact_id);
    cJSON_AddStringToObject(o, "NoteId", n->id);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    if (text != NULL)
        (void)edge__local_tell_agent(lp, n->author_sub, n->contact_id, "contact.note", text,
                                     now_ms);
    free(text);
}

int edge__local_agent_note_add(edge_provider *p, const edge_identity *agent, const char *contact_id,
                               const char *content, int64_t now_ms, edge_note *out)
{
    edge_local_provider *lp = edge__local(p);
    const char *name = agent->name[0] ? agent->name : agent->sub;
    int rc = edge_store_note_add(lp->store, contact_id, agent->sub, name, content,
                                 EDGE_NOTE_MAX_BYTES, EDGE_NOTES_PER_CONTACT, now_ms, out);
    if (rc == 0)
        tell_note(lp, out, now_ms);
    return rc;
}

int edge__local_agent_notes(edge_provider *p, const edge_identity *agent, const char *contact_id,
                            edge_note *out, size_t cap, size_t *count)
{
    return edge_store_notes(edge__local(p)->store, contact_id, agent->sub, out, cap, count);
}
