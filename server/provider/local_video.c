/* local_video.c - video escalation in the embedded contact center.
 *
 * An agent in a connected chat offers video (maybe with screen share); the
 * customer joins with its own WebRTC session, negotiated through the
 * signaling relay (call_signal), and either side may end the video while
 * the chat goes on. Neither the contact nor the transcript changes: the
 * offer and the end are events only, to the other side, persisted by the
 * hub like every event so a reconnecting client replays a missed offer.
 * Event types: "video.offer" {ContactId, FromParticipantId, DisplayName,
 * ScreenShare, AbsoluteTime} and "video.ended" {ContactId,
 * FromParticipantId, FromRole, AbsoluteTime}. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "common/json_text.h"
#include "provider/contact_json.h"
#include "provider/local_internal.h"

/* The event data for action from from, at now_ms. Caller frees. */
static char *video_json(const edge_participant *from, edge_video_action action, int screen_share,
                        int64_t now_ms)
{
    char when[32];
    edge_format_time_ms(now_ms, when, sizeof(when));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", from->contact_id);
    cJSON_AddStringToObject(o, "FromParticipantId", from->id);
    if (action == EDGE_VIDEO_OFFER) {
        cJSON_AddStringToObject(o, "DisplayName", from->display_name);
        cJSON_AddBoolToObject(o, "ScreenShare", screen_share != 0);
    } else {
        cJSON_AddStringToObject(o, "FromRole", edge_role_name(from->role));
    }
    cJSON_AddStringToObject(o, "AbsoluteTime", when);
    char *json = edge_json_print(o);
    cJSON_Delete(o);
    return json;
}

int edge__local_video(edge_provider *p, const edge_participant *from, edge_video_action action,
                      int screen_share, int64_t now_ms)
{
    if (action == EDGE_VIDEO_OFFER && from->role != EDGE_ROLE_AGENT)
        return EDGE_PROVIDER_EFORBIDDEN;
    const char *type = action == EDGE_VIDEO_OFFER ? "video.offer" : "video.ended";
    char *json = video_json(from, action, screen_share, now_ms);
    int rc = edge__local_relay(edge__local(p), from, type, json, now_ms);
    free(json);
    return rc;
}
