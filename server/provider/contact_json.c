/* contact_json.c - see contact_json.h. */
#include "provider/contact_json.h"

#include <stdio.h>
#include <time.h>

const char *edge_role_name(edge_role role)
{
    return role == EDGE_ROLE_AGENT ? "AGENT" : "CUSTOMER";
}

const char *edge_contact_state_name(edge_contact_state state)
{
    switch (state) {
    case EDGE_CONTACT_QUEUED: return "QUEUED";
    case EDGE_CONTACT_RINGING: return "RINGING";
    case EDGE_CONTACT_CONNECTED: return "CONNECTED";
    default: return "ENDED";
    }
}

void edge_format_time_ms(int64_t ms, char *out, size_t cap)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char day[24];
    strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, cap, "%s.%03dZ", day, (int)(ms % 1000));
}

cJSON *edge_message_to_json(const edge_message *m)
{
    char when[32];
    edge_format_time_ms(m->created_ms, when, sizeof(when));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Id", m->id);
    cJSON_AddStringToObject(o, "Type", "MESSAGE");
    cJSON_AddStringToObject(o, "ContentType", m->content_type);
    cJSON_AddStringToObject(o, "Content", m->content ? m->content : "");
    cJSON_AddStringToObject(o, "AbsoluteTime", when);
    cJSON_AddStringToObject(o, "ParticipantId", m->participant_id);
    cJSON_AddStringToObject(o, "DisplayName", m->display_name);
    cJSON_AddStringToObject(o, "ParticipantRole", edge_role_name(m->role));
    cJSON_AddStringToObject(o, "ContactId", m->contact_id);
    cJSON_AddNumberToObject(o, "Seq", (double)m->seq);
    return o;
}
