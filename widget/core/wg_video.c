/* wg_video.c - the video escalation sub-machine (see wg_video.h).
 *
 * Small on purpose: the chat owns the stream and the server requests; this
 * file only decides which of the four states the video is in and which
 * RTC/MEDIA effects (owner WG_OWNER_VIDEO) each input asks for. */
#include "wg_video.h"

#include <string.h>

#include "c2c_str.h"
#include "wg_err.h"

bool wg_video_has_peer(const struct wg_video *v)
{
    return v->state == WG_VIDEO_JOINING || v->state == WG_VIDEO_ACTIVE;
}

/* Back to NONE; the media error stays to be shown. */
static void to_none(struct wg_video *v)
{
    v->state = WG_VIDEO_NONE;
    v->screen_share = false;
    v->camera_on = false;
    v->join_deadline_ms = 0;
    v->from[0] = '\0';
}

void wg_video_reset(struct wg_video *v)
{
    if (v)
        memset(v, 0, sizeof(*v));
}

int wg_video_offered(struct wg_video *v, const char *from, bool screen_share)
{
    if (!v)
        return WG_E_INVAL;
    if (wg_video_has_peer(v))
        return 0; /* a replayed or repeated offer while already in it */
    const char *name = from ? from : "";
    bool same = v->state == WG_VIDEO_OFFERED && v->screen_share == screen_share &&
                strncmp(v->from, name, sizeof(v->from) - 1) == 0;
    v->state = WG_VIDEO_OFFERED;
    v->screen_share = screen_share;
    c2c_copy_str(v->from, sizeof(v->from), name);
    return same ? 0 : 1;
}

int wg_video_join(struct wg_video *v, struct wg_fx_list *fx, int64_t now_ms)
{
    if (!v)
        return WG_E_INVAL;
    if (v->state != WG_VIDEO_OFFERED)
        return WG_E_STATE;
    v->state = WG_VIDEO_JOINING;
    v->camera_on = false;
    v->media_error = WG_MEDIA_ERR_NONE;
    v->join_deadline_ms = now_ms > INT64_MAX - WG_VIDEO_JOIN_TIMEOUT_MS
                              ? INT64_MAX
                              : now_ms + WG_VIDEO_JOIN_TIMEOUT_MS;
    wg_fx_push(fx, WG_FX_RTC_START, WG_OWNER_VIDEO, 0);
    return WG_OK;
}

int wg_video_decline(struct wg_video *v, struct wg_fx_list *fx)
{
    if (!v)
        return WG_E_INVAL;
    if (v->state != WG_VIDEO_OFFERED)
        return WG_E_STATE;
    /* Without it the agent's console would wait for a join that never comes. */
    wg_fx_push(fx, WG_FX_HTTP_VIDEO_DECLINE, WG_OWNER_VIDEO, 0);
    to_none(v);
    return WG_OK;
}

int wg_video_camera_toggle(struct wg_video *v, struct wg_fx_list *fx)
{
    if (!v)
        return WG_E_INVAL;
    if (!wg_video_has_peer(v))
        return WG_E_STATE;
    v->camera_on = !v->camera_on;
    wg_fx_push(fx, WG_FX_MEDIA_CAMERA, WG_OWNER_VIDEO, v->camera_on ? 1 : 0);
    return WG_OK;
}

int wg_video_camera_failed(struct wg_video *v, enum wg_media_error err)
{
    if (!v)
        return WG_E_INVAL;
    if (!wg_video_has_peer(v))
        return WG_E_STATE;
    v->camera_on = false;
    v->media_error = err;
    return WG_OK;
}

int wg_video_media_active(struct wg_video *v)
{
    if (!v)
        return WG_E_INVAL;
    if (v->state != WG_VIDEO_JOINING)
        return WG_E_STATE;
    v->state = WG_VIDEO_ACTIVE;
    return WG_OK;
}

int wg_video_media_failed(struct wg_video *v, enum wg_media_error err, struct wg_fx_list *fx)
{
    if (!v)
        return WG_E_INVAL;
    if (!wg_video_has_peer(v))
        return WG_E_STATE;
    /* The agent's side would otherwise wait for a peer that never comes. */
    wg_fx_push(fx, WG_FX_RTC_BYE, WG_OWNER_VIDEO, 0);
    wg_fx_push(fx, WG_FX_HTTP_VIDEO_END, WG_OWNER_VIDEO, 0);
    to_none(v);
    v->media_error = err;
    return WG_OK;
}

int wg_video_tick(struct wg_video *v, struct wg_fx_list *fx, int64_t now_ms)
{
    if (!v)
        return WG_E_INVAL;
    if (v->state != WG_VIDEO_JOINING || now_ms < v->join_deadline_ms)
        return 0;
    /* No answer, or no connection, in time: without this the customer
     * would wait on "Connecting video..." for ever. */
    wg_video_media_failed(v, WG_MEDIA_ERR_FAILED, fx);
    return 1;
}

int wg_video_end(struct wg_video *v, struct wg_fx_list *fx)
{
    if (!v)
        return WG_E_INVAL;
    if (!wg_video_has_peer(v))
        return WG_E_STATE;
    wg_fx_push(fx, WG_FX_HTTP_VIDEO_END, WG_OWNER_VIDEO, 0);
    wg_fx_push(fx, WG_FX_RTC_BYE, WG_OWNER_VIDEO, 0);
    to_none(v);
    return WG_OK;
}

int wg_video_ended(struct wg_video *v, struct wg_fx_list *fx)
{
    if (!v)
        return WG_E_INVAL;
    if (v->state == WG_VIDEO_NONE)
        return 0;
    if (wg_video_has_peer(v))
        wg_fx_push(fx, WG_FX_RTC_BYE, WG_OWNER_VIDEO, 0);
    to_none(v);
    return 1;
}

const char *wg_media_error_code(enum wg_media_error err, bool camera)
{
    switch (err) {
    case WG_MEDIA_ERR_NONE:
        return "";
    case WG_MEDIA_ERR_DENIED:
        return camera ? "camera_denied" : "microphone_denied";
    case WG_MEDIA_ERR_UNAVAILABLE:
        return camera ? "camera_unavailable" : "microphone_unavailable";
    case WG_MEDIA_ERR_FAILED:
        return "media_failed";
    }
    return "media_failed";
}
