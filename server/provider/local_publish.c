/* local_publish.c - telling a contact's participants: the one place the
 * local provider decides who of a contact gets an event.
 *
 * Every notification about a contact (a message, typing, DTMF, signaling,
 * video, a state change) goes to some of its participants: all of them,
 * everyone but the sender, or the other side of a call. One function
 * picks the audience and hands all its events to the hub in one
 * transaction, so a contact's participants either all get an event or
 * none does. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "provider/contact_json.h"
#include "provider/local_internal.h"

#define LOCAL_MAX_PARTICIPANTS 8

/* Is participant p in the audience? */
static int reaches(const edge_participant *p, const edge__local_audience *to)
{
    if (to == NULL)
        return 1;
    if (to->skip_id && strcmp(p->id, to->skip_id) == 0)
        return 0;
    return !(to->skip_role_set && p->role == to->skip_role);
}

int edge__local_publish(edge_local_provider *lp, const char *contact_id,
                        const edge__local_audience *to, const char *type, const char *data_json,
                        int64_t now_ms, size_t *reached)
{
    edge_participant parts[LOCAL_MAX_PARTICIPANTS];
    edge_event_in events[LOCAL_MAX_PARTICIPANTS];
    size_t count = 0, n = 0;
    if (reached)
        *reached = 0;
    int rc = edge_store_participants_of(lp->store, contact_id, parts, LOCAL_MAX_PARTICIPANTS,
                                        &count);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        if (!reaches(&parts[i], to))
            continue;
        events[n].participant_id = parts[i].id;
        events[n].contact_id = contact_id;
        events[n].type = type;
        events[n].data_json = data_json;
        n++;
    }
    if (rc == 0 && n > 0)
        rc = edge_hub_publish_many(lp->hub, events, n, now_ms);
    if (rc == 0 && reached)
        *reached = n;
    return rc;
}

int edge__local_publish_state(edge_local_provider *lp, const edge_contact *c, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", c->id);
    cJSON_AddStringToObject(o, "State", edge_contact_state_name(c->state));
    if (c->end_reason[0])
        cJSON_AddStringToObject(o, "Reason", c->end_reason);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    int rc = edge__local_publish(lp, c->id, NULL, "contact.state", text, now_ms, NULL);
    free(text);
    return rc != 0 ? rc : edge__local_tell_agent_state(lp, c, now_ms);
}

int edge__local_relay(edge_local_provider *lp, const edge_participant *from, const char *type,
                      const char *data_json, int64_t now_ms)
{
    if (from->left_ms != 0)
        return EDGE_STORE_ESTATE; /* ending a contact marks everyone left */
    edge__local_audience others = {.skip_id = from->id};
    size_t reached = 0;
    int rc = edge__local_publish(lp, from->contact_id, &others, type, data_json, now_ms, &reached);
    if (rc == 0 && reached == 0)
        return EDGE_PROVIDER_ENOTCONNECTED;
    return rc;
}
