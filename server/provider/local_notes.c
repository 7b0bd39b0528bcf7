/* local_notes.c - the embedded contact center's private notes: an agent's
 * notes on a contact they accepted, kept by the store beside the contact
 * (never as messages or events, so no participant stream or transcript
 * can carry one to the customer). The store checks, in one transaction,
 * that the contact is the agent's and the per-contact cap. */
#include "provider/local_internal.h"

int edge__local_agent_note_add(edge_provider *p, const edge_identity *agent,
                               const char *contact_id, const char *content, int64_t now_ms,
                               edge_note *out)
{
    edge_local_provider *lp = edge__local(p);
    const char *name = agent->name[0] ? agent->name : agent->sub;
    return edge_store_note_add(lp->store, contact_id, agent->sub, name, content,
                               EDGE_NOTE_MAX_BYTES, EDGE_NOTES_PER_CONTACT, now_ms, out);
}

int edge__local_agent_notes(edge_provider *p, const edge_identity *agent, const char *contact_id,
                            edge_note *out, size_t cap, size_t *count)
{
    return edge_store_notes(edge__local(p)->store, contact_id, agent->sub, out, cap, count);
}
