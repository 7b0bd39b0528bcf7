/* wg_video.h - video escalation inside a chat, as a pure function of its
 * inputs.
 *
 * The agent offers video (`video.offer` on the chat's stream, perhaps with
 * screen share); the customer joins with the camera OFF (audio only is
 * sent, the agent's video is received), may turn the camera on and off,
 * and either side ends the video while the chat goes on. The customer's
 * widget is the WebRTC offerer (RTC_START); the agent's console answers.
 * Signals (answer, candidates, bye) arrive as `signal` events on the chat's
 * stream and become RTC_* effects with owner WG_OWNER_VIDEO.
 *
 * States: NONE -> OFFERED (video.offer) -> JOINING (user joins: RTC_START)
 * -> ACTIVE (the bridge reports the peer connected) -> NONE (either side
 * ends: video.ended, user end, the chat ending, or a `bye` signal). A
 * declined offer goes back to NONE and tells the agent (HTTP_VIDEO_DECLINE:
 * the server sends the agent `video.declined`, so the console stops
 * waiting). The camera flag is only meaningful in JOINING/ACTIVE. A
 * JOINING that has not become ACTIVE after WG_VIDEO_JOIN_TIMEOUT_MS (the
 * agent never answered, or ICE never connected) fails as the peer
 * connection would (wg_video_tick).
 *
 * Lives inside struct wg_chat (field `video`) and pushes to the chat's
 * effect list; wg_chat routes the video inputs here. */
#ifndef WG_VIDEO_H
#define WG_VIDEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_fx.h"
#include "wg_transcript.h"

#define WG_VIDEO_JOIN_TIMEOUT_MS 30000 /* JOINING gives up after this */

enum wg_video_state { WG_VIDEO_NONE = 0, WG_VIDEO_OFFERED, WG_VIDEO_JOINING, WG_VIDEO_ACTIVE };

/* Why the bridge could not use a camera or microphone. */
enum wg_media_error {
    WG_MEDIA_ERR_NONE = 0,
    WG_MEDIA_ERR_DENIED,      /* NotAllowedError: the user or the browser said no */
    WG_MEDIA_ERR_UNAVAILABLE, /* no such device, or it is busy */
    WG_MEDIA_ERR_FAILED       /* the peer connection failed */
};

struct wg_video {
    enum wg_video_state state;
    bool screen_share;                /* the offer includes the agent's screen */
    bool camera_on;                   /* the customer's camera is sent */
    enum wg_media_error media_error;  /* the last media failure, shown until the next join */
    int64_t join_deadline_ms;         /* JOINING: when wg_video_tick gives up */
    char from[WG_TR_NAME_MAX];        /* who offered */
};

/* NONE, camera off, no error. */
void wg_video_reset(struct wg_video *v);

/* Stream: `video.offer`. NONE/OFFERED -> OFFERED (a repeated offer while
 * JOINING/ACTIVE changes nothing). Returns 1 when shown state changed. */
int wg_video_offered(struct wg_video *v, const char *from, bool screen_share);

/* User: join. OFFERED -> JOINING, camera off, the deadline at now_ms +
 * WG_VIDEO_JOIN_TIMEOUT_MS; pushes RTC_START(VIDEO). 0 or WG_E_STATE. */
int wg_video_join(struct wg_video *v, struct wg_fx_list *fx, int64_t now_ms);

/* User: decline the offer. OFFERED -> NONE; pushes HTTP_VIDEO_DECLINE so
 * the agent learns of it. 0 or WG_E_STATE. */
int wg_video_decline(struct wg_video *v, struct wg_fx_list *fx);

/* User: toggle the camera (JOINING/ACTIVE). Pushes MEDIA_CAMERA(VIDEO,
 * on). 0 or WG_E_STATE. */
int wg_video_camera_toggle(struct wg_video *v, struct wg_fx_list *fx);

/* Bridge: the camera could not be turned on: camera off, error kept.
 * 0 or WG_E_STATE. */
int wg_video_camera_failed(struct wg_video *v, enum wg_media_error err);

/* Bridge: the peer connection is connected. JOINING -> ACTIVE. 0 or
 * WG_E_STATE. */
int wg_video_media_active(struct wg_video *v);

/* Bridge: the peer connection (or its microphone) failed: pushes RTC_BYE
 * and HTTP_VIDEO_END, -> NONE with the error kept. 0 or WG_E_STATE. */
int wg_video_media_failed(struct wg_video *v, enum wg_media_error err, struct wg_fx_list *fx);

/* Time passes: a video still JOINING at its deadline fails as
 * wg_video_media_failed(WG_MEDIA_ERR_FAILED) does (RTC_BYE, HTTP_VIDEO_END,
 * -> NONE with the error kept). Returns 1 when it did (the caller tells the
 * user), 0 otherwise, WG_E_INVAL for NULL. */
int wg_video_tick(struct wg_video *v, struct wg_fx_list *fx, int64_t now_ms);

/* User: end the video (JOINING/ACTIVE). Pushes HTTP_VIDEO_END and RTC_BYE,
 * -> NONE. 0 or WG_E_STATE. */
int wg_video_end(struct wg_video *v, struct wg_fx_list *fx);

/* Stream: `video.ended` from the other side, or the chat ended. Pushes
 * RTC_BYE when there was a peer; -> NONE. Returns 1 when something changed. */
int wg_video_ended(struct wg_video *v, struct wg_fx_list *fx);

/* The customer has (or is setting up) a peer connection: JOINING or
 * ACTIVE. The chat, the widget and the view ask too. */
bool wg_video_has_peer(const struct wg_video *v);

/* The c2c:error code for a media failure of the camera (camera true) or
 * the microphone: "camera_denied", "microphone_unavailable", ... and
 * "media_failed" for WG_MEDIA_ERR_FAILED whatever the device; "" for
 * WG_MEDIA_ERR_NONE. */
const char *wg_media_error_code(enum wg_media_error err, bool camera);

#endif
