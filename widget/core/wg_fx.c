/* wg_fx.c - the widget's one effect list (see wg_fx.h).
 *
 * A fixed array of effects plus one text arena, both emptied together by
 * wg_fx_clear: the bridge drains after every input, so a bump allocator is
 * all the texts need and nothing is ever freed one by one. */
#include "wg_fx.h"

#include <string.h>

#include "wg_err.h"

void wg_fx_init(struct wg_fx_list *l)
{
    if (l)
        memset(l, 0, sizeof(*l));
}

static struct wg_fx *append(struct wg_fx_list *l, enum wg_fx_kind kind, enum wg_owner owner,
                            int64_t arg)
{
    struct wg_fx *e = &l->items[l->count++];
    e->kind = kind;
    e->owner = owner;
    e->arg = arg;
    e->text = "";
    e->text_len = 0;
    return e;
}

struct wg_fx *wg_fx_push(struct wg_fx_list *l, enum wg_fx_kind kind, enum wg_owner owner,
                         int64_t arg)
{
    if (!l)
        return NULL;
    if (l->count == WG_FX_MAX) {
        l->overflow = true;
        return NULL;
    }
    return append(l, kind, owner, arg);
}

bool wg_fx_room(const struct wg_fx_list *l, size_t n, size_t text_bytes)
{
    if (!l || n > WG_FX_MAX - l->count)
        return false;
    size_t free_bytes = WG_FX_ARENA - l->arena_used;
    return text_bytes <= free_bytes && n <= free_bytes - text_bytes;
}

int wg_fx_push_text(struct wg_fx_list *l, enum wg_fx_kind kind, enum wg_owner owner, int64_t arg,
                    const char *text, size_t len)
{
    if (!l || (!text && len))
        return WG_E_INVAL;
    if (!wg_fx_room(l, 1, len))
        return WG_E_FULL;
    char *copy = l->arena + l->arena_used;
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    l->arena_used += len + 1;
    struct wg_fx *e = append(l, kind, owner, arg);
    e->text = copy;
    e->text_len = len;
    return WG_OK;
}

int wg_fx_push_copy(struct wg_fx_list *l, enum wg_fx_kind kind, enum wg_owner owner, int64_t arg,
                    const char *text, size_t len)
{
    if (!l)
        return WG_E_INVAL;
    int r = wg_fx_push_text(l, kind, owner, arg, text ? text : "", text ? len : 0);
    if (r == WG_E_FULL)
        l->overflow = true;
    return r;
}

void wg_fx_clear(struct wg_fx_list *l)
{
    if (!l)
        return;
    l->count = 0;
    l->arena_used = 0;
    l->overflow = false;
}

const char *wg_fx_kind_name(enum wg_fx_kind kind)
{
    static const char *const names[WG_FX_KIND_COUNT] = {
        [WG_FX_NONE] = "none",
        [WG_FX_HTTP_AVAILABILITY] = "http_availability",
        [WG_FX_HTTP_START] = "http_start",
        [WG_FX_HTTP_SEND] = "http_send",
        [WG_FX_HTTP_TYPING] = "http_typing",
        [WG_FX_HTTP_TRANSCRIPT] = "http_transcript",
        [WG_FX_HTTP_DISCONNECT] = "http_disconnect",
        [WG_FX_HTTP_DIAL] = "http_dial",
        [WG_FX_HTTP_DIGITS] = "http_digits",
        [WG_FX_HTTP_HANGUP] = "http_hangup",
        [WG_FX_HTTP_VIDEO_END] = "http_video_end",
        [WG_FX_HTTP_VIDEO_DECLINE] = "http_video_decline",
        [WG_FX_HTTP_RATE] = "http_rate",
        [WG_FX_SSE_OPEN] = "sse_open",
        [WG_FX_SSE_CLOSE] = "sse_close",
        [WG_FX_MEDIA_ACQUIRE] = "media_acquire",
        [WG_FX_MEDIA_MUTE] = "media_mute",
        [WG_FX_MEDIA_CAMERA] = "media_camera",
        [WG_FX_RTC_START] = "rtc_start",
        [WG_FX_RTC_OFFER] = "rtc_offer",
        [WG_FX_RTC_ANSWER] = "rtc_answer",
        [WG_FX_RTC_CANDIDATE] = "rtc_candidate",
        [WG_FX_RTC_BYE] = "rtc_bye",
        [WG_FX_RTC_DTMF] = "rtc_dtmf",
        [WG_FX_STORE_ACTIVE] = "store_active",
        [WG_FX_NOTIFY_STATE] = "notify_state",
        [WG_FX_NOTIFY_MESSAGE] = "notify_message",
        [WG_FX_DOWNLOAD] = "download",
        [WG_FX_STORE_SEEN] = "store_seen",
        [WG_FX_NOTIFY_ENDED] = "notify_ended",
        [WG_FX_NOTIFY_ERROR] = "notify_error",
    };
    if ((int)kind < 0 || kind >= WG_FX_KIND_COUNT || !names[kind])
        return "unknown";
    return names[kind];
}

const char *wg_owner_name(enum wg_owner owner)
{
    switch (owner) {
    case WG_OWNER_WIDGET:
        return "widget";
    case WG_OWNER_CHAT:
        return "chat";
    case WG_OWNER_CALL:
        return "call";
    case WG_OWNER_VIDEO:
        return "video";
    }
    return "unknown";
}
