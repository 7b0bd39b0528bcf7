/* wg_chat.c - the chat state machine (see wg_chat.h for the contract).
 *
 * Every input function first checks that it applies, then changes state and
 * appends effects (owner WG_OWNER_CHAT) to the widget's list; nothing here
 * performs I/O or reads a clock. State changes, endings and errors go
 * through set_state, to_ended and set_error so that their notifications
 * cannot be forgotten by one transition. */
#include "wg_chat.h"

#include <string.h>

#include "c2c_str.h"
#include "c2c_utf8.h"
#include "wg_err.h"

static void push(struct wg_chat *c, enum wg_fx_kind kind, int64_t arg)
{
    wg_contact_push(&c->ct, kind, arg);
}

static void set_state(struct wg_chat *c, enum wg_chat_state s)
{
    wg_contact_set_state(&c->ct, (int)s, wg_chat_state_name(s));
}

bool wg_chat_live(const struct wg_chat *c)
{
    return c->ct.state == WG_CHAT_WAITING || c->ct.state == WG_CHAT_CONNECTED;
}

/* A line of the chat's own (type: WG_CHAT_LINE_*) into the transcript,
 * after the newest message held: its Seq, and a time later than that
 * message's (the server's clock may be ahead of ours). Its Id is tag and
 * the event id, so that a replayed event finds it held. */
static void add_line(struct wg_chat *c, const char *type, const char *tag, int64_t event_id,
                     const char *name, const char *text)
{
    if (!c->transcript)
        return;
    char id[32];
    size_t n = strlen(tag);
    memcpy(id, tag, n);
    char digits[24];
    size_t d = 0;
    uint64_t v = event_id > 0 ? (uint64_t)event_id : 0;
    do
        digits[d++] = (char)('0' + v % 10);
    while ((v /= 10) && d < sizeof(digits));
    while (d && n < sizeof(id) - 1)
        id[n++] = digits[--d];
    id[n] = '\0';
    struct wg_msg m = {.id = id,
                       .seq = wg_transcript_last_seq(c->transcript),
                       .time_ms = c->ct.now_ms,
                       .role = WG_ROLE_SYSTEM,
                       .display_name = name,
                       .content_type = type,
                       .content = text,
                       .content_len = strlen(text)};
    size_t held = wg_transcript_count(c->transcript);
    struct wg_tr_view last;
    if (held && wg_transcript_at(c->transcript, held - 1, &last) == WG_OK &&
        last.time_ms >= m.time_ms && last.time_ms < INT64_MAX)
        m.time_ms = last.time_ms + 1;
    wg_transcript_add(c->transcript, &m);
}

void wg_chat_video_lines(struct wg_chat *c)
{
    bool active = c->video.state == WG_VIDEO_ACTIVE;
    if (active != (c->video_lines & 1))
        add_line(c, WG_CHAT_LINE_VIDEO, "line-video-", ++c->video_lines, "",
                 active ? "started" : "ended");
}

static void to_ended(struct wg_chat *c, const char *reason, int64_t event_id)
{
    c->typing_name[0] = '\0';
    c->typing_until_ms = 0;
    c->transferring = false;
    c->send_in_flight = false; /* an answer still coming is refused (WG_E_STATE) */
    wg_video_ended(&c->video, c->ct.fx);
    wg_chat_video_lines(c);
    wg_contact_end(&c->ct, WG_CHAT_ENDED, wg_chat_state_name(WG_CHAT_ENDED), reason);
    add_line(c, WG_CHAT_LINE_ENDED, "line-ended-", event_id, c->ct.agent_name, c->ct.reason);
    push(c, WG_FX_STORE_ACTIVE, 0);
}

/* Per-chat state, cleared at init and at each new start. */
static void reset_chat(struct wg_chat *c)
{
    wg_contact_reset(&c->ct);
    wg_video_reset(&c->video);
    c->video_lines = 0;
    c->transferring = false;
    c->started_ms = 0;
    c->resume_only = false;
    c->resumed = false;
    c->send_in_flight = false;
    c->held_len = 0;
    c->read_seq = 0;
    c->typing_name[0] = '\0';
    c->typing_until_ms = 0;
    if (c->transcript)
        wg_transcript_clear(c->transcript);
}

void wg_chat_init(struct wg_chat *c, struct wg_transcript *transcript, struct wg_fx_list *fx)
{
    if (!c)
        return;
    memset(c, 0, sizeof(*c));
    wg_contact_init(&c->ct, fx, WG_OWNER_CHAT);
    c->transcript = transcript;
    reset_chat(c);
}

/* wg_chat_start and wg_chat_resume: resume_only is HTTP_START's arg. */
static int start(struct wg_chat *c, const char *reference, size_t len, bool resume_only,
                 int64_t now_ms)
{
    if (c->ct.state != WG_CHAT_IDLE && c->ct.state != WG_CHAT_ENDED)
        return WG_E_STATE;
    if (!wg_fx_room(c->ct.fx, 1, len))
        return WG_E_FULL;
    c->ct.now_ms = now_ms;
    reset_chat(c);
    c->started_ms = now_ms;
    c->resume_only = resume_only;
    set_state(c, WG_CHAT_STARTING);
    wg_fx_push_text(c->ct.fx, WG_FX_HTTP_START, WG_OWNER_CHAT, resume_only ? 1 : 0,
                    reference ? reference : "", reference ? len : 0);
    return WG_OK;
}

int wg_chat_start(struct wg_chat *c, const char *reference, size_t len, int64_t now_ms)
{
    if (!c || (!reference && len))
        return WG_E_INVAL;
    return start(c, reference, len, false, now_ms);
}

int wg_chat_resume(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    return start(c, NULL, 0, true, now_ms);
}

int wg_chat_start_ok(struct wg_chat *c, bool resumed, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state != WG_CHAT_STARTING)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    c->resumed = resumed;
    c->ct.last_error = WG_CONTACT_ERR_NONE;
    set_state(c, WG_CHAT_WAITING);
    push(c, WG_FX_STORE_ACTIVE, 1);
    if (resumed)
        push(c, WG_FX_HTTP_TRANSCRIPT, 0);
    wg_stream_start(&c->ct.stream, c->ct.fx, WG_OWNER_CHAT, c->ct.last_event_id);
    if (c->held_len) {
        wg_fx_push_copy(c->ct.fx, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, c->held, c->held_len);
        c->send_in_flight = true;
        c->held_len = 0;
    }
    return WG_OK;
}

int wg_chat_start_failed(struct wg_chat *c, enum wg_contact_error err, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state != WG_CHAT_STARTING)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    c->held_len = 0; /* the message typed meanwhile goes with the attempt */
    if (err == WG_CONTACT_ERR_NO_CHAT) {
        /* The stored "a chat is open" flag was stale (the chat ended while
         * the page was closed): nothing went wrong, there is nothing to
         * resume, and the flag is forgotten. */
        c->ct.last_error = WG_CONTACT_ERR_NONE;
        set_state(c, WG_CHAT_IDLE);
        push(c, WG_FX_STORE_ACTIVE, 0);
        return WG_OK;
    }
    wg_contact_set_error(&c->ct, err);
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
    bool starting = c->ct.state == WG_CHAT_STARTING;
    if (!wg_chat_live(c) && !starting)
        return WG_E_STATE;
    if (len > WG_CHAT_TEXT_MAX)
        return WG_E_TOO_LONG;
    if (!c2c_utf8_valid(text, len) || (len > 0 && memchr(text, 0, len) != NULL))
        return WG_E_UTF8;
    if (all_space(text, len))
        return WG_E_EMPTY;
    if (c->send_in_flight || (starting && c->held_len))
        return WG_E_BUSY;
    if (starting) {
        memcpy(c->held, text, len);
        c->held[len] = '\0';
        c->held_len = len;
        c->ct.now_ms = now_ms;
        return WG_OK;
    }
    if (wg_fx_push_text(c->ct.fx, WG_FX_HTTP_SEND, WG_OWNER_CHAT, 0, text, len) < 0)
        return WG_E_FULL;
    c->ct.now_ms = now_ms;
    c->send_in_flight = true;
    c->ct.last_error = WG_CONTACT_ERR_NONE;
    return WG_OK;
}

int wg_chat_send_ok(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!wg_chat_live(c) || !c->send_in_flight)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    c->send_in_flight = false;
    return WG_OK;
}

int wg_chat_send_failed(struct wg_chat *c, enum wg_contact_error err, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!wg_chat_live(c) || !c->send_in_flight)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    c->send_in_flight = false;
    wg_contact_set_error(&c->ct, err);
    if (err == WG_CONTACT_ERR_ENDED)
        to_ended(c, "contact_ended", 0);
    return WG_OK;
}

int wg_chat_transcript_failed(struct wg_chat *c, enum wg_contact_error err, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (c->ct.state == WG_CHAT_IDLE || c->ct.state == WG_CHAT_STARTING)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    wg_contact_set_error(&c->ct, err);
    return WG_OK;
}

int wg_chat_end(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    if (!wg_chat_live(c))
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    push(c, WG_FX_HTTP_DISCONNECT, 0);
    to_ended(c, "customer", 0);
    return WG_OK;
}

int wg_chat_drop(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    wg_video_ended(&c->video, c->ct.fx);
    wg_contact_drop(&c->ct, now_ms);
    reset_chat(c);
    set_state(c, WG_CHAT_IDLE);
    return WG_OK;
}

int wg_chat_stream_open(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    int r = wg_contact_stream_open(&c->ct, wg_chat_live(c), now_ms);
    if (r < 0)
        return r;
    /* A reopen after a drop: events are replayed from Last-Event-ID, but the
     * issue asks for a transcript backfill too (it also covers a server that
     * pruned old events). Dedupe makes the overlap harmless. */
    if (r == 1)
        push(c, WG_FX_HTTP_TRANSCRIPT, c->transcript ? wg_transcript_last_seq(c->transcript) : 0);
    return WG_OK;
}

int wg_chat_stream_error(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    return wg_contact_stream_error(&c->ct, wg_chat_live(c), now_ms);
}

int wg_chat_tick(struct wg_chat *c, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    int changed = wg_contact_tick(&c->ct, now_ms);
    if (c->typing_until_ms && now_ms >= c->typing_until_ms) {
        c->typing_name[0] = '\0';
        c->typing_until_ms = 0;
        changed = 1;
    }
    if (wg_video_tick(&c->video, c->ct.fx, now_ms) == 1) {
        /* Told as wg_widget tells a failed peer connection. */
        const char *code = wg_media_error_code(WG_MEDIA_ERR_FAILED, false);
        wg_fx_push_copy(c->ct.fx, WG_FX_NOTIFY_ERROR, WG_OWNER_VIDEO, 0, code, strlen(code));
        changed = 1;
    }
    return changed;
}

static int on_contact_state(struct wg_chat *c, const struct wg_event *ev)
{
    int before = c->ct.state;
    switch (ev->contact_state) {
    case WG_CS_QUEUED:
    case WG_CS_RINGING:
        set_state(c, WG_CHAT_WAITING);
        break;
    case WG_CS_CONNECTED:
        set_state(c, WG_CHAT_CONNECTED);
        break;
    case WG_CS_ENDED:
        to_ended(c, ev->reason, ev->id);
        return 1;
    case WG_CS_DIALING: /* a phone bridge's call state: never a chat's */
    case WG_CS_COUNT:
        break;
    }
    return c->ct.state != before;
}

/* Whether m is new to the user rather than replayed from before the
 * (re)start: its server time is at most WG_CHAT_REPLAY_SLACK_MS before
 * started_ms (clock skew), or unknown. Written so that no subtraction can
 * overflow. */
static bool since_start(const struct wg_chat *c, const struct wg_msg *m)
{
    if (m->time_ms <= 0 || m->time_ms >= c->started_ms)
        return true;
    return c->started_ms - m->time_ms <= WG_CHAT_REPLAY_SLACK_MS;
}

static int on_message(struct wg_chat *c, const struct wg_event *ev)
{
    const struct wg_msg *m = &ev->message;
    int r = c->transcript ? wg_transcript_add(c->transcript, m) : 1;
    if (r != 1)
        return 0; /* a replay of one already shown, or unusable */
    bool shown = c->transcript != NULL;
    /* A message from whoever was typing ends their indicator. */
    if (m->role == WG_ROLE_AGENT && c->typing_until_ms) {
        c->typing_name[0] = '\0';
        c->typing_until_ms = 0;
        shown = true;
    }
    if (since_start(c, m))
        wg_fx_push_copy(c->ct.fx, WG_FX_NOTIFY_MESSAGE, WG_OWNER_CHAT, (int64_t)m->role, m->content,
                        m->content_len);
    return shown ? 1 : 0;
}

static int on_typing(struct wg_chat *c, const struct wg_event *ev, int64_t now_ms)
{
    if (ev->role == WG_ROLE_CUSTOMER)
        return 0; /* the echo of our own */
    /* A replayed one (a resume replays from event 0): its indicator would
     * already be over. time_ms 0 is unknown: shown as before. */
    if (ev->time_ms > 0 && now_ms > ev->time_ms && now_ms - ev->time_ms >= WG_CHAT_TYPING_MS)
        return 0;
    c2c_copy_str(c->typing_name, sizeof(c->typing_name),
                 ev->display_name && ev->display_name[0] ? ev->display_name : c->ct.agent_name);
    c->typing_until_ms = now_ms + WG_CHAT_TYPING_MS;
    return 1;
}

/* The agent read a message: every message up to its Seq is read. */
static int on_read(struct wg_chat *c, const struct wg_event *ev)
{
    if (ev->role != WG_ROLE_AGENT || !ev->message_id || !c->transcript)
        return 0;
    int64_t seq = wg_transcript_seq_of(c->transcript, ev->message_id);
    if (seq <= c->read_seq)
        return 0;
    c->read_seq = seq;
    return 1;
}

int wg_chat_event(struct wg_chat *c, const struct wg_event *ev, int64_t now_ms)
{
    if (!c || !ev)
        return WG_E_INVAL;
    c->ct.now_ms = now_ms;
    if (!wg_chat_live(c))
        return 0; /* a late frame from a stream we closed */
    wg_contact_note_id(&c->ct, ev->id);
    switch (ev->kind) {
    case WG_EV_CONTACT_STATE:
        return on_contact_state(c, ev);
    case WG_EV_QUEUE:
        return wg_contact_event(&c->ct, ev);
    case WG_EV_PARTICIPANT_JOINED:
        if (wg_contact_event(&c->ct, ev) != 1)
            return 0;
        c->transferring = false;
        add_line(c, WG_CHAT_LINE_JOINED, "line-joined-", ev->id, c->ct.agent_name, "");
        return 1;
    case WG_EV_TRANSFERRING:
        c->transferring = true;
        add_line(c, WG_CHAT_LINE_TRANSFER, "line-transfer-", ev->id, c->ct.agent_name, "");
        return 1;
    case WG_EV_READ:
        return on_read(c, ev);
    case WG_EV_MESSAGE:
        return on_message(c, ev);
    case WG_EV_TYPING:
        return on_typing(c, ev, now_ms);
    case WG_EV_VIDEO_OFFER:
        return wg_video_offered(&c->video, ev->display_name, ev->screen_share);
    case WG_EV_VIDEO_ENDED:
        return wg_video_ended(&c->video, c->ct.fx);
    case WG_EV_DTMF:
    case WG_EV_DTMF_PLAY:
    case WG_EV_OTHER:
        return 0;
    }
    return 0;
}

int wg_chat_signal(struct wg_chat *c, int64_t id, enum wg_signal_type type, const char *payload,
                   size_t len, int64_t now_ms)
{
    if (!c)
        return WG_E_INVAL;
    /* The customer is the offerer: only a peer's answer, candidates and bye
     * are used (hold is the call's). */
    bool used = wg_video_has_peer(&c->video) && type != WG_SIG_OFFER && type < WG_SIG_HOLD;
    int r = wg_contact_signal(&c->ct, wg_chat_live(c), used, id, type, payload, len, now_ms);
    if (r <= 0)
        return r;
    if (type == WG_SIG_BYE)
        return wg_video_ended(&c->video, c->ct.fx);
    wg_fx_push_text(c->ct.fx, type == WG_SIG_ANSWER ? WG_FX_RTC_ANSWER : WG_FX_RTC_CANDIDATE,
                    WG_OWNER_VIDEO, 0, payload ? payload : "", payload ? len : 0);
    return 1;
}

int wg_chat_transcript_page(struct wg_chat *c, const struct wg_msg *msgs, size_t n, bool more,
                            int64_t now_ms)
{
    if (!c || (!msgs && n))
        return WG_E_INVAL;
    if (c->ct.state == WG_CHAT_IDLE || c->ct.state == WG_CHAT_STARTING)
        return WG_E_STATE;
    c->ct.now_ms = now_ms;
    if (!c->transcript)
        return 0;
    int added = wg_transcript_add_page(c->transcript, msgs, n);
    /* The server's NextToken is the last Seq of the page it sent. The
     * transcript's own last Seq may be ahead of it: live or replayed
     * messages that arrived meanwhile would make the next page skip. */
    int64_t next = 0;
    for (size_t i = 0; i < n; i++)
        if (msgs[i].seq > next)
            next = msgs[i].seq;
    if (added >= 0 && more && next > 0)
        push(c, WG_FX_HTTP_TRANSCRIPT, next);
    return added;
}

int64_t wg_chat_last_event_id(const struct wg_chat *c)
{
    return c ? c->ct.last_event_id : 0;
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
