/* local_video.c - video escalation in the embedded contact center.
 *
 * An agent in a connected chat offers video (maybe with screen share); the
 * customer joins with its own WebRTC session, negotiated through the
 * signaling relay (call_signal), and either side may end the video while
 * the chat goes on; the customer may also decline the offer, so that the
 * agent stops waiting for a join. Neither the contact nor the transcript
 * changes: the offer, the end and the decline are events only, to the other
 * side, persisted by the hub like every event so a reconnecting client
 * replays a missed one; the relay is a chain (local_publish.c). Event types: "video.offer" {ContactId,
 * FromParticipantId, DisplayName, ScreenShare, AbsoluteTime}, "video.ended"
 * and "video.declined" {ContactId, FromParticipantId, FromRole,
 * AbsoluteTime}. */
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

/* The event type of action. */
static const char *video_event_type(edge_video_action action)
{
    switch (action) {
    case EDGE_VIDEO_OFFER:
        return "video.offer";
    case EDGE_VIDEO_DECLINE:
        return "video.declined";
    case EDGE_VIDEO_END:
        break;
    }
    return "video.ended";
}

/* An offer is the agent's to make and a decline the customer's (the one
 * offered to); either side may end. */
static int video_allowed(const edge_participant *from, edge_video_action action)
{
    if (action == EDGE_VIDEO_OFFER)
        return from->role == EDGE_ROLE_AGENT;
    if (action == EDGE_VIDEO_DECLINE)
        return from->role == EDGE_ROLE_CUSTOMER;
    return 1;
}

void edge__local_a_video(edge_provider *p, edge_provider_call *c, const edge_participant *from,
                         edge_video_action action, int screen_share)
{
    if (!video_allowed(from, action)) {
        edge_provider_call_done(c, EDGE_PROVIDER_EFORBIDDEN);
        return;
    }
    const char *type = video_event_type(action);
    char *json = video_json(from, action, screen_share, c->now_ms);
    edge__local_a_relay(edge__local(p), c, from, type, json, 1);
    free(json);
}
