/* video_routes.c - video escalation of a chat: POST participant/video.
 *
 * {Action: "offer", ScreenShare?} from the contact's agent offers video to
 * the customer; {Action: "decline"} from the customer turns the offer down
 * (the agent gets video.declined); {Action: "end"} from either side stops
 * it. Authorized by the ParticipantToken like the rest of the participant
 * API. The WebRTC offers, answers and candidates themselves go through
 * participant/signal (call_routes.c); the chat goes on throughout. */
#include <cjson/cJSON.h>
#include <llhttp.h>
#include <string.h>

#include "api/api_op.h"
#include "api/contact_errors.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "common/clock.h"

#define VIDEO_ACTION_MAX 16

/* Action as an edge_video_action. 0 with *out, or -1 after a 400. */
static int read_action(const cJSON *body, edge_response *res, edge_video_action *out)
{
    const char *action = NULL;
    if (edge_json_string_field(body, "Action", VIDEO_ACTION_MAX, 1, res, &action) < 0)
        return -1;
    if (strcmp(action, "offer") == 0) {
        *out = EDGE_VIDEO_OFFER;
    } else if (strcmp(action, "end") == 0) {
        *out = EDGE_VIDEO_END;
    } else if (strcmp(action, "decline") == 0) {
        *out = EDGE_VIDEO_DECLINE;
    } else {
        edge_response_error(res, 400, "bad_request", "Action must be offer, end or decline.");
        return -1;
    }
    return 0;
}

/* ScreenShare: a boolean, false when absent. 0 with *out, or -1 after a 400. */
static int read_screen_share(const cJSON *body, edge_response *res, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "ScreenShare");
    if (v != NULL && !cJSON_IsNull(v) && !cJSON_IsBool(v)) {
        edge_response_error(res, 400, "bad_request", "ScreenShare must be true or false.");
        return -1;
    }
    *out = cJSON_IsTrue(v);
    return 0;
}

/* 1 after starting the video op, 0 after refusing (res filled). */
static int video_act(edge_api_op *op, const edge_participant *who, edge_video_action action,
                     int screen_share, edge_response *res)
{
    if (action == EDGE_VIDEO_OFFER && who->role != EDGE_ROLE_AGENT) {
        edge_response_error(res, 403, "agents_only", "Only the agent may offer video.");
        return 0;
    }
    if (action == EDGE_VIDEO_DECLINE && who->role != EDGE_ROLE_CUSTOMER) {
        edge_response_error(res, 403, "forbidden", "Only the customer may decline video.");
        return 0;
    }
    op->api->provider->ops->video(op->api->provider, &op->call, who, action, screen_share);
    return 1;
}

static int start_video(edge_api_op *op, const edge_request *req, edge_response *res,
                       const edge_participant *who)
{
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return 0;
    edge_video_action action = EDGE_VIDEO_END;
    int screen_share = 0, started = 0;
    if (read_action(body, res, &action) == 0 && read_screen_share(body, res, &screen_share) == 0)
        started = video_act(op, who, action, screen_share, res);
    cJSON_Delete(body);
    return started;
}

static void handle_video(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_participant_op(ctx, req, res, EDGE_PARTICIPANT_LIVE, sizeof(edge_api_op),
                            edge_api_answer_empty, start_video);
}

void edge_routes_video(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_POST, "participant/video", "video", handle_video);
}
