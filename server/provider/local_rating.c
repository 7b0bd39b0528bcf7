/* local_rating.c - the embedded contact center's ratings: the customer
 * rates their contact once (score 1..5, optional comment), open or ended.
 * Who may rate is checked here (the contact's customer, never its agent);
 * "once" is the store's rule (edge_store_contact_rate), so it holds across
 * nodes. The contact's agent hears "contact.rated" on their own feed, so
 * their history and open consoles show it at once. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "common/json_text.h"
#include "provider/local_internal.h"

/* "contact.rated" to the contact's agent, if it had one. Best effort: the
 * rating is stored whatever happens here, and a console that missed the
 * event reads it with the contact (history, contacts). */
static void tell_rated(edge_local_provider *lp, const char *contact_id, int score,
                       const char *comment, int64_t now_ms)
{
    edge_contact c;
    if (edge_store_contact_get(lp->store, contact_id, &c) != 0)
        return;
    if (c.agent_sub[0]) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "ContactId", contact_id);
        cJSON_AddNumberToObject(o, "Score", score);
        if (comment != NULL && comment[0])
            cJSON_AddStringToObject(o, "Comment", comment);
        char *text = edge_json_print(o);
        cJSON_Delete(o);
        if (text != NULL)
            (void)edge__local_tell_agent(lp, c.agent_sub, contact_id, "contact.rated", text,
                                         now_ms);
        free(text);
    }
    edge_contact_free(&c);
}

int edge__local_chat_rate(edge_provider *p, const edge_participant *who, int score,
                          const char *comment, int64_t now_ms)
{
    edge_local_provider *lp = edge__local(p);
    if (who->role != EDGE_ROLE_CUSTOMER)
        return EDGE_PROVIDER_EFORBIDDEN;
    int rc = edge_store_contact_rate(lp->store, who->contact_id, score, comment, now_ms);
    if (rc == 0)
        tell_rated(lp, who->contact_id, score, comment, now_ms);
    return rc;
}
