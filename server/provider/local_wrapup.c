/* local_wrapup.c - the embedded contact center's wrap-up and canned
 * responses, as provider ops (each completes inside the start call, as
 * every local op does):
 *
 * - agent_wrapup ends a contact if it is still open (as agent_end), then
 *   records its disposition with the contact (the store checks, in one
 *   transaction, that it is the agent's) and adds the wrap-up note as a
 *   private note. A disposition must be one of the lists' codes.
 * - agent_canned lists the shared canned responses (--canned FILE, held
 *   by the provider) and then the agent's own (the store, per agent);
 *   agent_canned_add and _delete change the agent's own only. */
#include <stdio.h>
#include <string.h>

#include "common/mem.h"
#include "provider/local_internal.h"

/* The wrap-up, synchronously: 0 or an EDGE_STORE_E* code. */
static int wrapup(edge_provider *p, const edge_identity *agent, const char *contact_id,
                  const char *disposition, const char *note, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    if (disposition != NULL && edge_agent_lists_disposition(lp->lists, disposition) == NULL)
        return EDGE_STORE_EINVAL;
    edge_contact c;
    int rc = edge_store_contact_get(lp->store, contact_id, &c);
    if (rc != 0)
        return rc;
    int mine = strcmp(c.agent_sub, agent->sub) == 0;
    int open = c.state != EDGE_CONTACT_ENDED;
    edge_contact_free(&c);
    if (!mine)
        return EDGE_STORE_ENOTFOUND; /* not this agent's: do not reveal it exists */
    if (open && (rc = edge__local_agent_end(p, agent, contact_id, now_ms)) != 0 &&
        rc != EDGE_STORE_ESTATE) /* ESTATE: it ended meanwhile, which is what we want */
        return rc;
    rc = 0;
    if (disposition != NULL)
        rc = edge_store_disposition_set(lp->store, contact_id, agent->sub, disposition, now_ms);
    if (rc == 0 && note != NULL && note[0] != '\0') {
        edge_note n;
        rc = edge__local_agent_note_add(p, agent, contact_id, note, now_ms, &n);
        edge_note_free(&n);
    }
    return rc;
}

void edge__local_a_agent_wrapup(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                                const char *contact_id, const char *disposition, const char *note)
{
    edge_provider_call_done(c, wrapup(p, agent, contact_id, disposition, note, c->now_ms));
}

void edge__local_a_agent_disposition(edge_provider *p, edge_provider_call *c,
                                     const edge_identity *agent, const char *contact_id,
                                     char code[EDGE_STORE_TEXT_MAX])
{
    edge_provider_call_done(
        c, edge_store_disposition_get(edge__local(p)->store, contact_id, agent->sub, code));
}

void edge__local_a_agent_dispositions(edge_provider *p, edge_provider_call *c,
                                      const edge_identity *agent, const edge_disposition **list,
                                      size_t *count)
{
    (void)agent; /* one list for every agent */
    const edge_agent_lists *l = edge__local(p)->lists;
    *list = l->dispositions;
    *count = l->n_dispositions;
    edge_provider_call_done(c, 0);
}

/* The shared ones (copies) then the agent's own, up to cap. */
static int canned(edge_provider *p, const edge_identity *agent, edge_canned *out, size_t cap,
                  size_t *count, size_t *shared)
{
    const edge_agent_lists *l = edge__local(p)->lists;
    size_t n = 0;
    for (; n < l->n_canned && n < cap; n++) {
        out[n] = l->canned[n];
        out[n].content = edge_xstrdup(l->canned[n].content);
    }
    *shared = n;
    size_t own = 0;
    int rc = edge_store_canned_list(edge__local(p)->store, agent->sub, out + n, cap - n, &own);
    *count = n + own;
    return rc;
}

void edge__local_a_agent_canned(edge_provider *p, edge_provider_call *c, const edge_identity *agent,
                                edge_canned *out, size_t cap, size_t *count, size_t *shared)
{
    edge_provider_call_done(c, canned(p, agent, out, cap, count, shared));
}

void edge__local_a_agent_canned_add(edge_provider *p, edge_provider_call *c,
                                    const edge_identity *agent, const char *title,
                                    const char *content, edge_canned *out)
{
    edge_provider_call_done(c, edge_store_canned_add(edge__local(p)->store, agent->sub, title,
                                                     content, EDGE_CANNED_MAX_BYTES,
                                                     EDGE_CANNED_PER_AGENT, c->now_ms, out));
}

void edge__local_a_agent_canned_delete(edge_provider *p, edge_provider_call *c,
                                       const edge_identity *agent, const char *id)
{
    edge_provider_call_done(c, edge_store_canned_delete(edge__local(p)->store, agent->sub, id));
}
