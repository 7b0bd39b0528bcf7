/* test_wg_video.c - the video escalation: every transition (offer, join,
 * decline, camera, connected, failures, end from either side, a join that
 * never connects) with the effects it pushes, and every input refused in
 * the states where it makes no sense, changing nothing. */
#include <stdint.h>
#include <string.h>

#include "fx_str.h"
#include "unit.h"
#include "wg_err.h"
#include "wg_video.h"

static struct wg_fx_list list;
static struct wg_video v;

static void init(void)
{
    wg_fx_init(&list);
    wg_video_reset(&v);
}

static const char *fx(void)
{
    return fx_str(&list, WG_OWNER_VIDEO);
}

/* Offered by Bob, then joined; effects drained. */
static void joining(void)
{
    init();
    wg_video_offered(&v, "Bob", false);
    wg_video_join(&v, &list, 0);
    fx();
}

static void test_offer(void)
{
    init();
    CHECK_INT_EQ(v.state, WG_VIDEO_NONE);
    CHECK(!v.camera_on);
    CHECK_INT_EQ(v.media_error, WG_MEDIA_ERR_NONE);
    CHECK_INT_EQ(wg_video_offered(&v, "Bob", true), 1);
    CHECK_INT_EQ(v.state, WG_VIDEO_OFFERED);
    CHECK(v.screen_share);
    CHECK_STR_EQ(v.from, "Bob");
    CHECK_INT_EQ(wg_video_offered(&v, "Bob", true), 0);  /* the same again */
    CHECK_INT_EQ(wg_video_offered(&v, "Bob", false), 1); /* without the screen now */
    CHECK(!v.screen_share);
    CHECK_INT_EQ(wg_video_offered(&v, "Ann", false), 1);
    CHECK_STR_EQ(v.from, "Ann");
    CHECK_INT_EQ(wg_video_offered(&v, NULL, false), 1);
    CHECK_STR_EQ(v.from, "");
    CHECK_STR_EQ(fx(), ""); /* an offer only shows */
    /* A long name is cut to the field. */
    char name[300];
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    CHECK_INT_EQ(wg_video_offered(&v, name, false), 1);
    CHECK_INT_EQ(strlen(v.from), WG_TR_NAME_MAX - 1);
    CHECK_INT_EQ(wg_video_offered(&v, name, false), 0);
    /* While joining or active a repeated offer changes nothing. */
    joining();
    CHECK_INT_EQ(wg_video_offered(&v, "Ann", true), 0);
    CHECK_INT_EQ(v.state, WG_VIDEO_JOINING);
    CHECK_STR_EQ(v.from, "Bob");
    CHECK(!v.screen_share);
    CHECK_INT_EQ(wg_video_offered(NULL, "Bob", false), WG_E_INVAL);
}

static void test_join_and_connect(void)
{
    init();
    CHECK_INT_EQ(wg_video_join(&v, &list, 0), WG_E_STATE); /* nothing offered */
    CHECK_STR_EQ(fx(), "");
    wg_video_offered(&v, "Bob", true);
    CHECK_INT_EQ(wg_video_join(&v, &list, 0), 0);
    CHECK_INT_EQ(v.state, WG_VIDEO_JOINING);
    CHECK(!v.camera_on); /* the customer joins with the camera off */
    CHECK_STR_EQ(fx(), "rtc_start");
    CHECK_INT_EQ(wg_video_join(&v, &list, 0), WG_E_STATE);
    CHECK_INT_EQ(wg_video_decline(&v, &list), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
    CHECK_INT_EQ(wg_video_media_active(&v), 0);
    CHECK_INT_EQ(v.state, WG_VIDEO_ACTIVE);
    CHECK_INT_EQ(wg_video_media_active(&v), WG_E_STATE);
    CHECK_INT_EQ(wg_video_join(&v, &list, 0), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
    init();
    CHECK_INT_EQ(wg_video_media_active(&v), WG_E_STATE);
    wg_video_offered(&v, "Bob", false);
    CHECK_INT_EQ(wg_video_media_active(&v), WG_E_STATE);
    CHECK_INT_EQ(v.state, WG_VIDEO_OFFERED);
}

static void test_decline(void)
{
    init();
    CHECK_INT_EQ(wg_video_decline(&v, &list), WG_E_STATE);
    wg_video_offered(&v, "Bob", true);
    CHECK_INT_EQ(wg_video_decline(&v, &list), 0);
    CHECK_INT_EQ(v.state, WG_VIDEO_NONE);
    CHECK_STR_EQ(v.from, "");
    CHECK(!v.screen_share);
    /* The agent is told, so the console stops waiting for a join. */
    CHECK_STR_EQ(fx(), "http_video_decline");
    CHECK_INT_EQ(wg_video_decline(&v, &list), WG_E_STATE);
    CHECK_STR_EQ(fx(), ""); /* once */
    /* The agent may offer again. */
    CHECK_INT_EQ(wg_video_offered(&v, "Bob", false), 1);
    CHECK_INT_EQ(v.state, WG_VIDEO_OFFERED);
    /* Once joined there is nothing to decline (that is an end). */
    joining();
    CHECK_INT_EQ(wg_video_decline(&v, &list), WG_E_STATE);
    CHECK_INT_EQ(v.state, WG_VIDEO_JOINING);
    CHECK_STR_EQ(fx(), "");
}

static void test_camera(void)
{
    init();
    CHECK_INT_EQ(wg_video_camera_toggle(&v, &list), WG_E_STATE);
    wg_video_offered(&v, "Bob", false);
    CHECK_INT_EQ(wg_video_camera_toggle(&v, &list), WG_E_STATE);
    CHECK_INT_EQ(wg_video_camera_failed(&v, WG_MEDIA_ERR_DENIED), WG_E_STATE);
    CHECK_INT_EQ(v.media_error, WG_MEDIA_ERR_NONE);
    CHECK_STR_EQ(fx(), "");
    joining();
    CHECK_INT_EQ(wg_video_camera_toggle(&v, &list), 0);
    CHECK(v.camera_on);
    CHECK_STR_EQ(fx(), "media_camera(1)");
    wg_video_media_active(&v);
    CHECK_INT_EQ(wg_video_camera_toggle(&v, &list), 0);
    CHECK(!v.camera_on);
    CHECK_STR_EQ(fx(), "media_camera");
    wg_video_camera_toggle(&v, &list);
    fx();
    /* The camera could not be turned on: off, error kept, video goes on. */
    CHECK_INT_EQ(wg_video_camera_failed(&v, WG_MEDIA_ERR_DENIED), 0);
    CHECK(!v.camera_on);
    CHECK_INT_EQ(v.media_error, WG_MEDIA_ERR_DENIED);
    CHECK_INT_EQ(v.state, WG_VIDEO_ACTIVE);
    CHECK_STR_EQ(fx(), "");
    /* The next toggle tries again. */
    CHECK_INT_EQ(wg_video_camera_toggle(&v, &list), 0);
    CHECK_STR_EQ(fx(), "media_camera(1)");
}

static void test_user_ends(void)
{
    init();
    CHECK_INT_EQ(wg_video_end(&v, &list), WG_E_STATE);
    wg_video_offered(&v, "Bob", false);
    CHECK_INT_EQ(wg_video_end(&v, &list), WG_E_STATE); /* that is decline */
    CHECK_STR_EQ(fx(), "");
    joining();
    CHECK_INT_EQ(wg_video_end(&v, &list), 0);
    CHECK_INT_EQ(v.state, WG_VIDEO_NONE);
    CHECK_STR_EQ(fx(), "http_video_end rtc_bye");
    joining();
    wg_video_media_active(&v);
    wg_video_camera_toggle(&v, &list);
    fx();
    CHECK_INT_EQ(wg_video_end(&v, &list), 0);
    CHECK(!v.camera_on);
    CHECK_STR_EQ(v.from, "");
    CHECK_STR_EQ(fx(), "http_video_end rtc_bye");
    CHECK_INT_EQ(wg_video_end(&v, &list), WG_E_STATE);
    CHECK_STR_EQ(fx(), "");
}

static void test_other_side_ends(void)
{
    init();
    CHECK_INT_EQ(wg_video_ended(&v, &list), 0); /* nothing to end */
    wg_video_offered(&v, "Bob", false);
    CHECK_INT_EQ(wg_video_ended(&v, &list), 1); /* the offer is withdrawn */
    CHECK_INT_EQ(v.state, WG_VIDEO_NONE);
    CHECK_STR_EQ(fx(), ""); /* no peer: nothing to close */
    joining();
    CHECK_INT_EQ(wg_video_ended(&v, &list), 1);
    CHECK_STR_EQ(fx(), "rtc_bye");
    joining();
    wg_video_media_active(&v);
    CHECK_INT_EQ(wg_video_ended(&v, &list), 1);
    CHECK_INT_EQ(v.state, WG_VIDEO_NONE);
    CHECK_STR_EQ(fx(), "rtc_bye");
    CHECK_INT_EQ(wg_video_ended(&v, &list), 0);
    CHECK_STR_EQ(fx(), "");
}

static void test_media_failed(void)
{
    init();
    CHECK_INT_EQ(wg_video_media_failed(&v, WG_MEDIA_ERR_FAILED, &list), WG_E_STATE);
    wg_video_offered(&v, "Bob", false);
    CHECK_INT_EQ(wg_video_media_failed(&v, WG_MEDIA_ERR_FAILED, &list), WG_E_STATE);
    CHECK_INT_EQ(v.media_error, WG_MEDIA_ERR_NONE);
    CHECK_STR_EQ(fx(), "");
    /* The microphone refused while joining. */
    joining();
    CHECK_INT_EQ(wg_video_media_failed(&v, WG_MEDIA_ERR_DENIED, &list), 0);
    CHECK_INT_EQ(v.state, WG_VIDEO_NONE);
    CHECK_INT_EQ(v.media_error, WG_MEDIA_ERR_DENIED);
    CHECK_STR_EQ(fx(), "rtc_bye http_video_end");
    /* The error stays shown until the next join. */
    wg_video_offered(&v, "Bob", false);
    CHECK_INT_EQ(v.media_error, WG_MEDIA_ERR_DENIED);
    wg_video_join(&v, &list, 0);
    CHECK_INT_EQ(v.media_error, WG_MEDIA_ERR_NONE);
    fx();
    /* The connection fails once active. */
    wg_video_media_active(&v);
    CHECK_INT_EQ(wg_video_media_failed(&v, WG_MEDIA_ERR_FAILED, &list), 0);
    CHECK_INT_EQ(v.media_error, WG_MEDIA_ERR_FAILED);
    CHECK_STR_EQ(fx(), "rtc_bye http_video_end");
}

static void test_join_times_out(void)
{
    init();
    wg_video_offered(&v, "Bob", false);
    CHECK_INT_EQ(wg_video_join(&v, &list, 5000), 0);
    CHECK_INT_EQ(v.join_deadline_ms, 5000 + WG_VIDEO_JOIN_TIMEOUT_MS);
    fx();
    /* The camera works while joining, as before. */
    CHECK_INT_EQ(wg_video_camera_toggle(&v, &list), 0);
    CHECK_STR_EQ(fx(), "media_camera(1)");
    CHECK_INT_EQ(wg_video_tick(&v, &list, 5000 + WG_VIDEO_JOIN_TIMEOUT_MS - 1), 0);
    CHECK_INT_EQ(v.state, WG_VIDEO_JOINING);
    CHECK_STR_EQ(fx(), "");
    /* No answer in time: as a failed peer connection. */
    CHECK_INT_EQ(wg_video_tick(&v, &list, 5000 + WG_VIDEO_JOIN_TIMEOUT_MS), 1);
    CHECK_INT_EQ(v.state, WG_VIDEO_NONE);
    CHECK(!v.camera_on);
    CHECK_INT_EQ(v.media_error, WG_MEDIA_ERR_FAILED);
    CHECK_STR_EQ(fx(), "rtc_bye http_video_end");
    CHECK_INT_EQ(wg_video_tick(&v, &list, 100000), 0); /* once */
    CHECK_STR_EQ(fx(), "");

    /* Connected in time: no deadline any more. */
    init();
    wg_video_offered(&v, "Bob", false);
    wg_video_join(&v, &list, 0);
    wg_video_media_active(&v);
    fx();
    CHECK_INT_EQ(wg_video_tick(&v, &list, 10 * WG_VIDEO_JOIN_TIMEOUT_MS), 0);
    CHECK_INT_EQ(v.state, WG_VIDEO_ACTIVE);
    CHECK_STR_EQ(fx(), "");
    /* Nothing to time out in the other states; a join at the end of time. */
    init();
    CHECK_INT_EQ(wg_video_tick(&v, &list, INT64_MAX), 0);
    wg_video_offered(&v, "Bob", false);
    CHECK_INT_EQ(wg_video_tick(&v, &list, INT64_MAX), 0);
    CHECK_INT_EQ(wg_video_join(&v, &list, INT64_MAX - 1), 0);
    CHECK_INT_EQ(v.join_deadline_ms, INT64_MAX);
    CHECK_INT_EQ(wg_video_tick(&v, &list, INT64_MAX), 1);
    CHECK_INT_EQ(wg_video_tick(NULL, &list, 0), WG_E_INVAL);
}

static void test_codes_and_nulls(void)
{
    CHECK_STR_EQ(wg_media_error_code(WG_MEDIA_ERR_NONE, false), "");
    CHECK_STR_EQ(wg_media_error_code(WG_MEDIA_ERR_DENIED, false), "microphone_denied");
    CHECK_STR_EQ(wg_media_error_code(WG_MEDIA_ERR_DENIED, true), "camera_denied");
    CHECK_STR_EQ(wg_media_error_code(WG_MEDIA_ERR_UNAVAILABLE, false), "microphone_unavailable");
    CHECK_STR_EQ(wg_media_error_code(WG_MEDIA_ERR_UNAVAILABLE, true), "camera_unavailable");
    CHECK_STR_EQ(wg_media_error_code(WG_MEDIA_ERR_FAILED, true), "media_failed");
    CHECK_STR_EQ(wg_media_error_code(WG_MEDIA_ERR_FAILED, false), "media_failed");
    CHECK_INT_EQ(wg_video_join(NULL, &list, 0), WG_E_INVAL);
    CHECK_INT_EQ(wg_video_decline(NULL, &list), WG_E_INVAL);
    CHECK_INT_EQ(wg_video_camera_toggle(NULL, &list), WG_E_INVAL);
    CHECK_INT_EQ(wg_video_camera_failed(NULL, WG_MEDIA_ERR_DENIED), WG_E_INVAL);
    CHECK_INT_EQ(wg_video_media_active(NULL), WG_E_INVAL);
    CHECK_INT_EQ(wg_video_media_failed(NULL, WG_MEDIA_ERR_FAILED, &list), WG_E_INVAL);
    CHECK_INT_EQ(wg_video_end(NULL, &list), WG_E_INVAL);
    CHECK_INT_EQ(wg_video_ended(NULL, &list), WG_E_INVAL);
    wg_video_reset(NULL);
    /* Without a list the transitions still happen (the effects are lost). */
    init();
    wg_video_offered(&v, "Bob", false);
    CHECK_INT_EQ(wg_video_join(&v, NULL, 0), 0);
    CHECK_INT_EQ(v.state, WG_VIDEO_JOINING);
}

int main(void)
{
    UNIT_RUN(test_offer);
    UNIT_RUN(test_join_and_connect);
    UNIT_RUN(test_decline);
    UNIT_RUN(test_camera);
    UNIT_RUN(test_user_ends);
    UNIT_RUN(test_other_side_ends);
    UNIT_RUN(test_media_failed);
    UNIT_RUN(test_join_times_out);
    UNIT_RUN(test_codes_and_nulls);
    return UNIT_DONE();
}
