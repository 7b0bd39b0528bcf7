/* sip_event.c - reading Janus SIP plugin events and SIP final statuses
 * (see sip_event.h). */
#include <string.h>
#include <strings.h>

#include "sip/sip_event.h"

static const char *str_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int int_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? v->valueint : 0;
}

static uint64_t id_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 ? (uint64_t)v->valuedouble : 0;
}

/* result.event of the plugin's data, mapped. */
static edge_sip_event_kind result_kind(const char *event)
{
    static const struct {
        const char *name;
        edge_sip_event_kind kind;
    } map[] = {
        {"registered", EDGE_SIP_EV_REGISTERED}, {"calling", EDGE_SIP_EV_CALLING},
        {"ringing", EDGE_SIP_EV_RINGING},       {"proceeding", EDGE_SIP_EV_IGNORED},
        {"progress", EDGE_SIP_EV_PROGRESS},     {"accepted", EDGE_SIP_EV_ACCEPTED},
        {"hangup", EDGE_SIP_EV_HANGUP},         {"dtmfsent", EDGE_SIP_EV_DTMF_SENT},
    };
    for (size_t i = 0; event && i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(event, map[i].name) == 0)
            return map[i].kind;
    }
    return EDGE_SIP_EV_IGNORED;
}

static void plugin_event(const cJSON *msg, edge_sip_event *out)
{
    const cJSON *pd = cJSON_GetObjectItemCaseSensitive(msg, "plugindata");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(pd, "data");
    if (!cJSON_IsObject(data))
        return;
    if (cJSON_HasObjectItem(data, "error_code")) {
        out->kind = EDGE_SIP_EV_ERROR;
        out->code = int_of(data, "error_code");
        return;
    }
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(data, "result");
    out->kind = result_kind(str_of(result, "event"));
    if (out->kind == EDGE_SIP_EV_HANGUP || out->kind == EDGE_SIP_EV_RINGING)
        out->code = int_of(result, "code");
    const cJSON *jsep = cJSON_GetObjectItemCaseSensitive(msg, "jsep");
    const char *type = str_of(jsep, "type");
    if (type != NULL && strcmp(type, "answer") == 0)
        out->sdp = str_of(jsep, "sdp");
}

void edge_sip_event_parse(const cJSON *msg, uint64_t handle_id, edge_sip_event *out)
{
    memset(out, 0, sizeof(*out));
    const char *janus = str_of(msg, "janus");
    if (janus == NULL)
        return;
    if (strcmp(janus, "timeout") == 0) { /* the whole session expired */
        out->kind = EDGE_SIP_EV_GONE;
        return;
    }
    if (id_of(msg, "sender") != handle_id)
        return;
    if (strcmp(janus, "detached") == 0)
        out->kind = EDGE_SIP_EV_GONE;
    else if (strcmp(janus, "event") == 0)
        plugin_event(msg, out);
}

const char *edge_sip_end_reason(int code)
{
    switch (code) {
    case 486:
    case 600:
        return "busy";
    case 603:
        return "declined";
    case 408:
    case 480:
        return "no_answer";
    default:
        return "failed";
    }
}

int edge_sip_sdp_has_telephone_event(const char *sdp)
{
    /* "a=rtpmap:101 telephone-event/8000", any case */
    for (const char *s = sdp ? strstr(sdp, "a=rtpmap:") : NULL; s; s = strstr(s + 1, "a=rtpmap:")) {
        const char *space = strchr(s, ' ');
        const char *eol = strpbrk(s, "\r\n");
        if (space && (eol == NULL || space < eol) &&
            strncasecmp(space + 1, "telephone-event/", 16) == 0)
            return 1;
    }
    return 0;
}
