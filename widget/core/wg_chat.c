/* wg_chat.c - the chat state machine (see wg_chat.h for the contract).
 *
 * Every input function first checks that it applies, then changes state and
 * queues effects; nothing here performs I/O or reads a clock. */
#include "wg_chat.h"

#include <string.h>

#include "c2c_str.h"
#include "wg_err.h"
#include "c2c_utf8.h"

static struct wg_effect *push(struct wg_chat *c, enum wg_effect_kind kind, int64_t arg)
{
    if (c->n_effects == WG_CHAT_EFFECTS_MAX) {
        c->effects_overflow = true;
        return NULL;
    }
    struct wg_effect *e = &c->effects[c->n_effects++];
    e->kind = kind;
    e->arg = arg;
    e->text = NULL;
    e->text_len = 0;
    return e;
}

static void set_state(struct wg_chat *c, enum wg_chat_state s)
{
    if (c->state == s)
        return;
    c->state = s;
    push(c, WG_FX_STATE_CHANGED, (int64_t)s);
}

static bool active(const struct wg_chat *c)
{
    return c->state == WG_CHAT_WAITING || c->state == WG_CHAT_CONNECTED;
}

static void close_stream(struct wg_chat *c)
{
    if (wg_stream_close(&c->stream))
        push(c, WG_FX_SSE_CLOSE, 0);
}

static void to_ended(struct wg_chat *c, const char *reason)
{
    c2c_copy_str(c->reason, sizeof(c->reason), reason);
    c->typing_name[0] = '\0';
    c->typing_until_ms = 0;
    c->video_offered = false;
    close_stream(c);
    set_state(c, WG_CHAT_ENDED);
}

/* Per-chat state, cleared at init and at each new start. */
static void reset_chat(struct wg_chat *c)
{
    wg_stream_reset(&c->stream);
    c->last_event_id = 0;
    c->resumed = false;
    c->queue_position = c->queue_depth = c->est_wait_s = -1;
    c->agent_name[0] = c->reason[0] = c->typing_name[0] = c->video_from[0] = '\0';
    c->typing_until_ms = 0;
    c->video_offered = c->video_screen_share = false;
    c->last_error = WG_CHAT_ERR_NONE;
    if (c->transcript)
        wg_transcript_clear(c->transcript);
}

void wg_chat_init(struct wg_chat *c, struct wg_transcript *transcript)
{
    if (!c)
        return;
    memset(c, 0, sizeof(*c));
    c->transcript = transcript;
    c->state = WG_CHAT_IDLE;
    reset_chat(c);
}

int wg_chat_start(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->state != WG_CHAT_IDLE && c->state != WG_CHAT_ENDED)
        return WG_E_STATE;
    c->now_ms = now_ms;
    reset_chat(c);
    set_state(c, WG_CHAT_STARTING);
    push(c, WG_FX_HTTP_START, 0);
    return WG_OK;
}

int wg_chat_start_ok(struct wg_chat *c, bool resumed, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->state != WG_CHAT_STARTING)
        return WG_E_STATE;
    c->now_ms = now_ms;
    c->resumed = resumed;
    c->last_error = WG_CHAT_ERR_NONE;
    set_state(c, WG_CHAT_WAITING);
    if (resumed)
        push(c, WG_FX_HTTP_TRANSCRIPT, 0);
    wg_stream_connect(&c->stream);
    push(c, WG_FX_SSE_OPEN, c->last_event_id);
    return WG_OK;
}

int wg_chat_start_failed(struct wg_chat *c, enum wg_chat_error err, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->state != WG_CHAT_STARTING)
        return WG_E_STATE;
    c->now_ms = now_ms;
    c->last_error = err;
    set_state(c, WG_CHAT_IDLE);
    return WG_OK;
}

static bool all_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' &&
            s[i] != '\v')
            return false;
    return true;
}

int wg_chat_send(struct wg_chat *c, const char *text, size_t len, int64_t now_ms)
{
    if (!c || (!text && len))
        return WG_E_INVAL;
    if (!active(c))
        return WG_E_STATE;
    if (len > WG_CHAT_TEXT_MAX)
        return WG_E_TOO_LONG;
    if (!c2c_utf8_valid(text, len) || (len > 0 && memchr(text, 0, len) != NULL))
        return WG_E_UTF8;
    if (all_space(text, len))
        return WG_E_EMPTY;
    for (size_t i = 0; i < c->n_effects; i++)
        if (c->effects[i].kind == WG_FX_HTTP_SEND)
            return WG_E_BUSY;
    if (c->n_effects == WG_CHAT_EFFECTS_MAX)
        return WG_E_FULL;
    c->now_ms = now_ms;
    memcpy(c->outbox, text, len);
    c->outbox[len] = '\0';
    struct wg_effect *e = push(c, WG_FX_HTTP_SEND, 0);
    e->text = c->outbox;
    e->text_len = len;
    c->last_error = WG_CHAT_ERR_NONE;
    return WG_OK;
}

int wg_chat_send_failed(struct wg_chat *c, enum wg_chat_error err, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!active(c))
        return WG_E_STATE;
    c->now_ms = now_ms;
    c->last_error = err;
    if (err == WG_CHAT_ERR_ENDED)
        to_ended(c, "contact_ended");
    return WG_OK;
}

int wg_chat_end(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!active(c))
        return WG_E_STATE;
    c->now_ms = now_ms;
    push(c, WG_FX_HTTP_DISCONNECT, 0);
    to_ended(c, "customer");
    return WG_OK;
}

int wg_chat_stream_open(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!active(c) || c->stream.conn == WG_CONN_CLOSED)
        return WG_E_STATE;
    c->now_ms = now_ms;
    /* A reopen after a drop: events are replayed from Last-Event-ID, but the
     * issue asks for a transcript backfill too (it also covers a server that
     * pruned old events). Dedupe makes the overlap harmless. */
    if (wg_stream_opened(&c->stream))
        push(c, WG_FX_HTTP_TRANSCRIPT, c->transcript ? wg_transcript_last_seq(c->transcript) : 0);
    return WG_OK;
}

int wg_chat_stream_error(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!active(c) || c->stream.conn == WG_CONN_CLOSED)
        return WG_E_STATE;
    c->now_ms = now_ms;
    if (wg_stream_failed(&c->stream, now_ms)) /* else: a late error from the closed stream */
        push(c, WG_FX_SSE_CLOSE, 0);
    return WG_OK;
}

int wg_chat_tick(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    int changed = 0;
    c->now_ms = now_ms;
    if (wg_stream_retry_due(&c->stream, now_ms)) {
        push(c, WG_FX_SSE_OPEN, c->last_event_id);
        changed = 1;
    }
    if (c->typing_until_ms && now_ms >= c->typing_until_ms) {
        c->typing_name[0] = '\0';
        c->typing_until_ms = 0;
        changed = 1;
    }
    return changed;
}

int wg_chat_event(struct wg_chat *c, const struct wg_event *ev, int64_t now_ms)
{
    if (!c || !ev)
        return WG_E_INVAL;
    c->now_ms = now_ms;
    if (!active(c))
        return 0; /* a late frame from a stream we closed */
    if (ev->id > c->last_event_id)
        c->last_event_id = ev->id;
    enum wg_chat_state before = c->state;
    switch (ev->kind) {
    case WG_EV_CONTACT_STATE:
        switch (ev->contact_state) {
        case WG_CS_QUEUED:
        case WG_CS_RINGING:
            set_state(c, WG_CHAT_WAITING);
            break;
        case WG_CS_CONNECTED:
            set_state(c, WG_CHAT_CONNECTED);
            break;
        case WG_CS_ENDED:
            to_ended(c, ev->reason);
            return 1;
        }
        return c->state != before;
    case WG_EV_QUEUE:
        c->queue_position = ev->position;
        c->queue_depth = ev->queue_depth;
        c->est_wait_s = ev->est_wait_s;
        return 1;
    case WG_EV_PARTICIPANT_JOINED:
        if (ev->role != WG_ROLE_AGENT)
            return 0;
        c2c_copy_str(c->agent_name, sizeof(c->agent_name), ev->display_name);
        return 1;
    case WG_EV_MESSAGE: {
        int r = c->transcript ? wg_transcript_add(c->transcript, &ev->message) : 0;
        /* A message from whoever was typing ends their indicator. */
        if (r == 1 && ev->message.role == WG_ROLE_AGENT && c->typing_until_ms) {
            c->typing_name[0] = '\0';
            c->typing_until_ms = 0;
        }
        return r == 1;
    }
    case WG_EV_TYPING:
        if (ev->role == WG_ROLE_CUSTOMER)
            return 0;
        c2c_copy_str(c->typing_name, sizeof(c->typing_name),
                 ev->display_name && ev->display_name[0] ? ev->display_name : c->agent_name);
        c->typing_until_ms = now_ms + WG_CHAT_TYPING_MS;
        return 1;
    case WG_EV_VIDEO_OFFER:
        c->video_offered = true;
        c->video_screen_share = ev->screen_share;
        c2c_copy_str(c->video_from, sizeof(c->video_from), ev->display_name);
        return 1;
    case WG_EV_VIDEO_ENDED:
        if (!c->video_offered)
            return 0;
        c->video_offered = false;
        return 1;
    case WG_EV_READ:
    case WG_EV_DTMF:
    case WG_EV_OTHER:
        return 0;
    }
    return 0;
}

int wg_chat_transcript_page(struct wg_chat *c, const struct wg_msg *msgs, size_t n, bool more,
                            int64_t now_ms)
{
    if (!c || (!msgs && n))
        return WG_E_INVAL;
    if (c->state == WG_CHAT_IDLE || c->state == WG_CHAT_STARTING)
        return WG_E_STATE;
    c->now_ms = now_ms;
    if (!c->transcript)
        return 0;
    int added = wg_transcript_add_page(c->transcript, msgs, n);
    if (added >= 0 && more && n > 0)
        push(c, WG_FX_HTTP_TRANSCRIPT, wg_transcript_last_seq(c->transcript));
    return added;
}

const struct wg_effect *wg_chat_effects(const struct wg_chat *c, size_t *n)
{
    if (n)
        *n = c ? c->n_effects : 0;
    return c ? c->effects : NULL;
}

void wg_chat_effects_clear(struct wg_chat *c)
{
    if (!c)
        return;
    c->n_effects = 0;
    c->effects_overflow = false;
}

int64_t wg_chat_last_event_id(const struct wg_chat *c)
{
    return c ? c->last_event_id : 0;
}

const char *wg_chat_state_name(enum wg_chat_state s)
{
    switch (s) {
    case WG_CHAT_IDLE:
        return "idle";
    case WG_CHAT_STARTING:
        return "starting";
    case WG_CHAT_WAITING:
        return "waiting";
    case WG_CHAT_CONNECTED:
        return "connected";
    case WG_CHAT_ENDED:
        return "ended";
    }
    return "unknown";
}
