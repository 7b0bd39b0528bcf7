/* wg_view.c - the widget's node tree, decided in C (see wg_view.h).
 *
 * One builder per region (launcher, header, video, chat, reference, call),
 * each appending nodes in document order. Messages fill the room the fixed
 * nodes leave, newest first; to know that room exactly the frame is built
 * twice: once without messages (counting the fixed nodes, which do not
 * depend on the messages), then for real. Both passes are cheap and keep
 * every builder ignorant of how much is still to come.
 *
 * Texts come from wg_i18n in the widget's locale; the few with a "%s" are
 * filled into the view's arena by hand (no printf: a translation can only
 * hold "%s", so nothing else is ever interpreted). When the frame is full,
 * add() hands out a spare node that is never shown, so builders need no
 * NULL checks; children of a spare parent are spares too, since everything
 * after the first spare is. */
#include "wg_view.h"

#include <string.h>

#include "wg_dtmf.h"
#include "wg_err.h"
#include "wg_plain.h"

struct build {
    const struct wg_widget *w;
    struct wg_view *v;
    size_t msg_room;      /* messages allowed in this pass */
    struct wg_node spare; /* handed out when the frame is full */
};

/* ---- nodes and texts ---------------------------------------------------- */

static const char *tx(const struct build *b, enum wg_text t)
{
    return wg_texts_get(&b->w->texts, t);
}

static void set_text(struct wg_node *n, const char *s)
{
    n->text = s;
    n->text_len = strlen(s);
}

static struct wg_node *add(struct build *b, enum wg_node_kind kind, const char *part, int parent)
{
    struct wg_node *n = &b->spare;
    if (b->v->count < WG_VIEW_MAX)
        n = &b->v->nodes[b->v->count++];
    *n = (struct wg_node){.kind = kind,
                          .part = part,
                          .key = "",
                          .parent = parent,
                          .text = "",
                          .name = "",
                          .label = "",
                          .variant = "",
                          .tone = "",
                          .receipt = "",
                          .action = WG_ACT_NONE,
                          .owner = WG_OWNER_WIDGET,
                          .enabled = true,
                          .pressed = -1,
                          .expanded = -1};
    return n;
}

/* The index of n for its children's `parent` (-1 for the spare). */
static int index_of(const struct build *b, const struct wg_node *n)
{
    return n == &b->spare ? -1 : (int)(n - b->v->nodes);
}

/* A button's role, by its part: the main action of a step, one that ends
 * something, the panel's close, or any other. */
static const char *button_tone(const char *part)
{
    static const char *const primary[] = {"launcher",   "chat-start", "chat-send",
                                          "dial",       "video-join", "reference-submit",
                                          "ref-accept", "rate-send"};
    static const char *const danger[] = {"chat-end", "hangup", "video-end", "end-yes"};
    for (size_t i = 0; i < sizeof(primary) / sizeof(primary[0]); i++)
        if (strcmp(part, primary[i]) == 0)
            return "primary";
    for (size_t i = 0; i < sizeof(danger) / sizeof(danger[0]); i++)
        if (strcmp(part, danger[i]) == 0)
            return "danger";
    return strcmp(part, "close") == 0 ? "close" : "secondary";
}

static struct wg_node *button(struct build *b, const char *part, int parent, enum wg_action act,
                              const char *text, bool enabled)
{
    struct wg_node *n = add(b, WG_NODE_BUTTON, part, parent);
    n->tone = button_tone(part);
    set_text(n, text);
    n->action = act;
    n->enabled = enabled;
    return n;
}

static struct wg_node *text_node(struct build *b, const char *part, int parent, const char *text,
                                 bool live)
{
    struct wg_node *n = add(b, WG_NODE_TEXT, part, parent);
    set_text(n, text);
    n->live = live;
    return n;
}

static struct wg_node *input(struct build *b, const char *part, int parent, enum wg_action act,
                             const char *label, int max_len)
{
    struct wg_node *n = add(b, WG_NODE_INPUT, part, parent);
    n->action = act;
    n->label = label;
    n->max_len = max_len;
    return n;
}

/* a + b + c into the arena; "" when it does not fit (4 KiB holds every
 * text of a frame many times over, so that is a bug, not a case). */
static const char *join3(struct build *b, const char *x, const char *y, const char *z)
{
    size_t lx = strlen(x), ly = strlen(y), lz = strlen(z);
    struct wg_view *v = b->v;
    if (lx + ly + lz + 1 > WG_VIEW_ARENA - v->arena_used)
        return "";
    char *out = v->arena + v->arena_used;
    memcpy(out, x, lx);
    memcpy(out + lx, y, ly);
    memcpy(out + lx + ly, z, lz);
    out[lx + ly + lz] = '\0';
    v->arena_used += lx + ly + lz + 1;
    return out;
}

/* The text t with its "%s" replaced by value (t as is when it has none). */
static const char *fill(struct build *b, enum wg_text t, const char *value)
{
    const char *pattern = tx(b, t);
    const char *at = strstr(pattern, "%s");
    if (!at)
        return pattern;
    char head[256];
    size_t n = (size_t)(at - pattern);
    if (n >= sizeof(head))
        return "";
    memcpy(head, pattern, n);
    head[n] = '\0';
    return join3(b, head, value, at + 2);
}

/* Decimal digits of a non-negative int, into buf (>= 12 bytes). */
static const char *decimal(char *buf, int value)
{
    char tmp[12];
    size_t n = 0;
    unsigned u = value < 0 ? 0u : (unsigned)value;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

/* ---- what the widget is doing -------------------------------------------- */

/* The capacity check applies: nobody free, and nothing the user is in the
 * middle of (a live contact, or the open panel) would be taken away. */
static bool unavailable(const struct wg_widget *w)
{
    return w->agents_available == 0 && !wg_widget_busy(w) && !w->open;
}

static const char *agent_or(const struct build *b, const char *name)
{
    return name && name[0] ? name : tx(b, WG_T_AGENT);
}

/* The ended reasons the server (and the machines) write. */
static enum wg_text reason_text(const char *reason)
{
    static const struct {
        const char *reason;
        enum wg_text text;
    } map[] = {
        {"no_agent", WG_T_REASON_NO_AGENT},
        {"agent_rejected", WG_T_REASON_REJECTED},
        {"agent_hangup", WG_T_REASON_AGENT},
        {"agent_disconnected", WG_T_REASON_AGENT},
        {"agent", WG_T_REASON_AGENT},
        {"customer_hangup", WG_T_REASON_YOU},
        {"customer_disconnected", WG_T_REASON_YOU},
        {"customer", WG_T_REASON_YOU},
        {"far_end_hangup", WG_T_REASON_FAR_END},
        {"busy", WG_T_REASON_BUSY},
        {"declined", WG_T_REASON_DECLINED},
        {"no_answer", WG_T_REASON_NO_ANSWER},
        {"failed", WG_T_REASON_FAILED},
        {"gateway_lost", WG_T_REASON_GATEWAY},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(reason, map[i].reason) == 0)
            return map[i].text;
    return WG_T_NONE;
}

static const char *ended_text(const struct build *b, const char *reason, enum wg_text fallback)
{
    enum wg_text t = reason_text(reason);
    return tx(b, t != WG_T_NONE ? t : fallback);
}

/* ---- header: launcher, panel, status, queue, connection, error ----------- */

static const char *launcher_text(const struct build *b)
{
    if (b->w->label[0])
        return b->w->label;
    if (b->w->mode == WG_MODE_CALL)
        return tx(b, WG_T_LAUNCH_CALL);
    return tx(b, b->w->mode == WG_MODE_VIDEO ? WG_T_LAUNCH_VIDEO : WG_T_LAUNCH_CHAT);
}

static void build_launcher(struct build *b)
{
    const struct wg_widget *w = b->w;
    struct wg_node *n = button(b, "launcher", -1, WG_ACT_TOGGLE, launcher_text(b), true);
    n->expanded = w->open ? 1 : 0;
    if (wg_widget_away(w)) {
        n->variant = "away";
        if (!w->open)
            set_text(n, join3(b, tx(b, WG_T_AWAY), " \xc2\xb7 ", tx(b, WG_T_BTN_LEAVE_MESSAGE)));
    } else if (w->hide == WG_HIDE_GREY && unavailable(w)) {
        n->enabled = false;
        n->variant = "unavailable";
        /* The visible text stays in the accessible name, the reason follows. */
        n->label = join3(b, n->text, " (", join3(b, tx(b, WG_T_UNAVAILABLE), ")", ""));
    }
    if (w->floating && w->unread > 0 && !w->open) {
        char digits[12];
        const char *count = decimal(digits, w->unread);
        n->label = join3(b, n->text, " (", join3(b, fill(b, WG_T_UNREAD, count), ")", ""));
        text_node(b, "unread", -1, join3(b, count, "", ""), false);
    }
}

static const char *chat_status(struct build *b)
{
    const struct wg_chat *c = &b->w->chat;
    switch ((enum wg_chat_state)c->ct.state) {
    case WG_CHAT_IDLE:
        return tx(b, wg_widget_away(b->w) ? WG_T_AWAY_STATUS : WG_T_CHAT_IDLE);
    case WG_CHAT_STARTING:
        return tx(b, WG_T_CHAT_STARTING);
    case WG_CHAT_WAITING:
        return tx(b, c->transferring ? WG_T_TRANSFERRING : WG_T_CHAT_WAITING);
    case WG_CHAT_CONNECTED:
        if (c->transferring)
            return tx(b, WG_T_TRANSFERRING);
        return fill(b, WG_T_CHAT_CONNECTED, agent_or(b, c->ct.agent_name));
    case WG_CHAT_ENDED:
        return ended_text(b, c->ct.reason, WG_T_CHAT_ENDED);
    }
    return "";
}

static const char *call_status(struct build *b)
{
    const struct wg_call *c = &b->w->call;
    switch ((enum wg_call_state)c->ct.state) {
    case WG_CALL_IDLE:
        return tx(b, WG_T_CALL_IDLE);
    case WG_CALL_DIALING:
        if (c->bridged)
            return fill(b, WG_T_CALL_PHONE_DIALING, c->number);
        return tx(b, c->media_pending ? WG_T_CALL_MEDIA : WG_T_CALL_DIALING);
    case WG_CALL_QUEUED:
        return tx(b, WG_T_CALL_QUEUED);
    case WG_CALL_RINGING:
        return tx(b, WG_T_CALL_RINGING);
    case WG_CALL_CONNECTED:
        if (c->bridged)
            return fill(b, WG_T_CALL_PHONE_CONNECTED, c->number);
        if (c->on_hold)
            return tx(b, WG_T_CALL_HOLD);
        return fill(b, WG_T_CALL_CONNECTED, agent_or(b, c->ct.agent_name));
    case WG_CALL_ENDED:
        if (c->sip_status && strcmp(c->ct.reason, "failed") == 0) {
            char code[12];
            return fill(b, WG_T_REASON_FAILED_CODE, decimal(code, c->sip_status));
        }
        return ended_text(b, c->ct.reason, WG_T_CALL_ENDED);
    }
    return "";
}

static void build_status(struct build *b, int panel)
{
    const char *s = b->w->mode == WG_MODE_CALL ? call_status(b) : chat_status(b);
    struct wg_node *n = text_node(b, "status", panel, s, true);
    n->variant = wg_widget_state_name(b->w);
}

/* The queue position while waiting (1-based; -1 until a queue event), with
 * the estimated wait in whole minutes (rounded up) when the server gave one. */
static void build_queue(struct build *b, int panel)
{
    const struct wg_widget *w = b->w;
    bool call = w->mode == WG_MODE_CALL;
    if (call ? w->call.ct.state != WG_CALL_QUEUED : w->chat.ct.state != WG_CHAT_WAITING)
        return;
    int pos = call ? w->call.ct.queue_position : w->chat.ct.queue_position;
    int wait_s = call ? w->call.ct.est_wait_s : w->chat.ct.est_wait_s;
    if (pos < 1)
        return;
    char digits[12];
    const char *s = fill(b, WG_T_QUEUE, decimal(digits, pos));
    if (wait_s > 0) /* minutes, rounded up; (wait_s + 59) / 60 overflows near INT_MAX */
        s = join3(b, s, " · ",
                  fill(b, WG_T_QUEUE_WAIT, decimal(digits, wait_s / 60 + (wait_s % 60 != 0))));
    text_node(b, "queue", panel, s, true);
}

/* Reconnecting is shown only once the stream had been open: the first
 * connect is part of starting or waiting. */
static void build_connection(struct build *b, int panel)
{
    const struct wg_widget *w = b->w;
    bool call = w->mode == WG_MODE_CALL;
    const struct wg_stream *s = call ? &w->call.ct.stream : &w->chat.ct.stream;
    bool live = call ? wg_call_live(&w->call) : wg_chat_live(&w->chat);
    if (live && s->was_open && s->conn != WG_CONN_OPEN)
        text_node(b, "connection", panel, tx(b, WG_T_RECONNECTING), true);
}

/* ---- errors --------------------------------------------------------------- */

static enum wg_text request_error_text(enum wg_contact_error e)
{
    switch (e) {
    case WG_CONTACT_ERR_NONE:
    case WG_CONTACT_ERR_NO_CHAT: /* a resume with nothing to resume: not an error */
    case WG_CONTACT_ERR_RATED:   /* rated already: the rating is done */
        return WG_T_NONE;
    case WG_CONTACT_ERR_AUTH:
        return WG_T_ERR_AUTH;
    case WG_CONTACT_ERR_NETWORK:
        return WG_T_ERR_NETWORK;
    case WG_CONTACT_ERR_SERVER:
        return WG_T_ERR_SERVER;
    case WG_CONTACT_ERR_REJECTED:
        return WG_T_ERR_REJECTED;
    case WG_CONTACT_ERR_ENDED:
        return WG_T_ERR_ENDED;
    case WG_CONTACT_ERR_REF_NOT_FOUND:
        return WG_T_ERR_REF_NOT_FOUND;
    case WG_CONTACT_ERR_REF_USED:
        return WG_T_ERR_REF_USED;
    case WG_CONTACT_ERR_REF_EXPIRED:
        return WG_T_ERR_REF_EXPIRED;
    case WG_CONTACT_ERR_REF_EMAIL:
        return WG_T_ERR_REF_EMAIL;
    case WG_CONTACT_ERR_NUMBER:
        return WG_T_ERR_NUMBER;
    }
    return WG_T_ERR_SERVER;
}

/* A rejected user input, by the action it came from. One that was fine but
 * could not be taken now (WG_E_STATE: a click that came too late, WG_E_BUSY,
 * WG_E_FULL) shows nothing, as wg_widget reports it: not the input's fault. */
static enum wg_text input_error_text(int code, enum wg_action a)
{
    if (code == 0 || code == WG_E_STATE || code == WG_E_BUSY || code == WG_E_FULL)
        return WG_T_NONE;
    switch (a) {
    case WG_ACT_DIAL:
        return WG_T_ERR_NUMBER;
    case WG_ACT_SEND:
        return WG_T_ERR_MESSAGE;
    case WG_ACT_REFERENCE:
        return WG_T_ERR_REFERENCE;
    default:
        return WG_T_NONE;
    }
}

/* A microphone (or peer connection) failure. */
static enum wg_text mic_error_text(enum wg_media_error e)
{
    switch (e) {
    case WG_MEDIA_ERR_NONE:
        return WG_T_NONE;
    case WG_MEDIA_ERR_DENIED:
        return WG_T_ERR_MIC_DENIED;
    case WG_MEDIA_ERR_UNAVAILABLE:
        return WG_T_ERR_MIC_MISSING;
    case WG_MEDIA_ERR_FAILED:
        return WG_T_ERR_MEDIA;
    }
    return WG_T_ERR_MEDIA;
}

/* Video keeps one error for both devices: while the video goes on it can
 * only be the camera (wg_video_camera_failed keeps the state); once it has
 * stopped, the microphone or the peer connection failed. */
static enum wg_text video_error_text(const struct wg_video *v)
{
    if (v->media_error == WG_MEDIA_ERR_NONE)
        return WG_T_NONE;
    if (wg_video_has_peer(v))
        return WG_T_ERR_CAMERA;
    return mic_error_text(v->media_error);
}

/* One alert at a time: the user's last rejected input first (the most
 * recent thing they did), then the machine's failed request, then media. */
static enum wg_text error_text(const struct wg_widget *w)
{
    enum wg_text t = input_error_text(w->input_error, w->input_error_action);
    if (t != WG_T_NONE)
        return t;
    if (w->mode == WG_MODE_CALL) {
        t = request_error_text(w->call.ct.last_error);
        return t != WG_T_NONE ? t : mic_error_text(w->call.media_error);
    }
    t = request_error_text(w->chat.ct.last_error);
    if (t == WG_T_NONE)
        t = request_error_text(w->rating.error);
    return t != WG_T_NONE ? t : video_error_text(&w->chat.video);
}

static void build_error(struct build *b, int panel)
{
    enum wg_text t = error_text(b->w);
    if (t != WG_T_NONE)
        set_text(add(b, WG_NODE_ALERT, "error", panel), tx(b, t));
}

static void build_close(struct build *b, int parent)
{
    struct wg_node *close = button(b, "close", parent, WG_ACT_CLOSE, "\xc3\x97", true); /* × */
    close->label = tx(b, WG_T_CLOSE);
}

/* Inline: the close button, then the status lines. Floating: a header
 * with the title, the status and the expected wait under it, and close. */
static void build_header(struct build *b, int panel)
{
    if (b->w->floating) {
        int h = index_of(b, add(b, WG_NODE_GROUP, "header", panel));
        text_node(b, "title", h, launcher_text(b), false);
        build_status(b, h);
        build_queue(b, h);
        build_close(b, h);
    } else {
        build_close(b, panel);
        build_status(b, panel);
    }
    build_connection(b, panel);
    if (!b->w->floating)
        build_queue(b, panel);
    build_error(b, panel);
}

/* ---- video escalation (chat and video modes) ------------------------------ */

static void build_video_offer(struct build *b, int panel)
{
    const struct wg_video *v = &b->w->chat.video;
    enum wg_text t = v->screen_share ? WG_T_VIDEO_OFFER_SCREEN : WG_T_VIDEO_OFFER;
    text_node(b, "video-offer", panel, fill(b, t, agent_or(b, v->from)), true);
    button(b, "video-join", panel, WG_ACT_VIDEO_JOIN, tx(b, WG_T_BTN_VIDEO_JOIN), true);
    button(b, "video-decline", panel, WG_ACT_VIDEO_DECLINE, tx(b, WG_T_BTN_VIDEO_DECLINE), true);
}

static void video_element(struct build *b, int group, const char *part, const char *variant,
                          enum wg_text label)
{
    struct wg_node *n = add(b, WG_NODE_VIDEO, part, group);
    n->variant = variant;
    n->owner = WG_OWNER_VIDEO;
    n->label = tx(b, label);
}

static void build_video_call(struct build *b, int panel)
{
    const struct wg_video *v = &b->w->chat.video;
    int group = index_of(b, add(b, WG_NODE_GROUP, "video", panel));
    if (v->state == WG_VIDEO_JOINING)
        text_node(b, "video-status", group, tx(b, WG_T_VIDEO_JOINING), true);
    video_element(b, group, "video-remote", "remote", WG_T_VIDEO_REMOTE);
    video_element(b, group, "video-local", "local", WG_T_VIDEO_LOCAL);
    enum wg_text cam = v->camera_on ? WG_T_BTN_CAMERA_OFF : WG_T_BTN_CAMERA_ON;
    struct wg_node *n = button(b, "camera", group, WG_ACT_CAMERA, tx(b, cam), true);
    n->pressed = v->camera_on ? 1 : 0;
    button(b, "video-end", group, WG_ACT_VIDEO_END, tx(b, WG_T_BTN_VIDEO_END), true);
}

static void build_video(struct build *b, int panel)
{
    if (!wg_chat_live(&b->w->chat))
        return;
    switch (b->w->chat.video.state) {
    case WG_VIDEO_OFFERED:
        build_video_offer(b, panel);
        break;
    case WG_VIDEO_JOINING:
    case WG_VIDEO_ACTIVE:
        build_video_call(b, panel);
        break;
    case WG_VIDEO_NONE:
        break;
    }
}

/* ---- chat ------------------------------------------------------------------ */

/* The text of a line the chat wrote itself (wg_plain.h), into the arena. */
static const char *line_text(struct build *b, const struct wg_tr_view *m)
{
    struct wg_view *v = b->v;
    char *out = v->arena + v->arena_used;
    size_t room = WG_VIEW_ARENA - v->arena_used;
    size_t n = wg_plain_line(&b->w->texts, m, out, room);
    if (n + 1 > room)
        return "";
    v->arena_used += n + 1;
    return out;
}

/* Whether m continues prev's group: the same sender, soon after. */
static bool continues(const struct wg_tr_view *prev, const struct wg_tr_view *m)
{
    return prev && prev->role == m->role && m->role != WG_ROLE_SYSTEM &&
           strcmp(prev->display_name, m->display_name) == 0 && m->time_ms >= prev->time_ms &&
           m->time_ms - prev->time_ms < WG_VIEW_GROUP_MS;
}

static void find_links(struct wg_node *n)
{
    struct wg_link found[WG_LINKS_MAX];
    size_t count = wg_links_find(n->text, n->text_len, found, WG_LINKS_MAX);
    for (size_t i = 0; i < count; i++) {
        n->links[2 * i] = found[i].u16_start;
        n->links[2 * i + 1] = found[i].u16_end;
    }
    n->link_count = (uint8_t)count;
}

/* One message of the log; returns its node (b->spare when the frame is
 * full). */
static struct wg_node *build_message(struct build *b, int log, const struct wg_tr_view *m,
                                     const struct wg_tr_view *prev)
{
    struct wg_node *n = add(b, WG_NODE_ITEM, "message", log);
    n->key = m->id;
    n->text = m->content;
    n->text_len = m->content_len;
    n->time_ms = m->time_ms;
    switch (m->role) {
    case WG_ROLE_CUSTOMER:
        n->variant = "customer";
        n->name = m->display_name[0] ? m->display_name : tx(b, WG_T_YOU);
        break;
    case WG_ROLE_AGENT:
        n->variant = "agent";
        n->name = agent_or(b, m->display_name);
        break;
    default:
        n->variant = "system";
        n->name = wg_plain_own_line(m) ? "" : m->display_name;
        if (wg_plain_own_line(m))
            set_text(n, line_text(b, m));
        return n;
    }
    if (continues(prev, m)) {
        n->cont = true;
        n->name = "";
        n->time_ms = 0;
    }
    find_links(n);
    return n;
}

/* The customer's last message says whether the agent has read it. */
static void build_receipt(struct build *b, struct wg_node *n, const struct wg_tr_view *m)
{
    bool read = b->w->chat.read_seq > 0 && m->seq <= b->w->chat.read_seq;
    n->receipt = read ? "read" : "delivered";
    n->label = tx(b, read ? WG_T_READ : WG_T_DELIVERED);
}

static void build_log(struct build *b, int panel)
{
    const struct wg_transcript *t = &b->w->transcript;
    struct wg_node *log = add(b, WG_NODE_LOG, "chat-log", panel);
    log->label = tx(b, WG_T_CHAT_LOG);
    int li = index_of(b, log);
    size_t n = wg_transcript_count(t);
    size_t first = n > b->msg_room ? n - b->msg_room : 0;
    b->v->messages_omitted = first;
    struct wg_tr_view m, prev;
    struct wg_node *last_mine = NULL;
    struct wg_tr_view last_mine_msg;
    bool have_prev = false;
    for (size_t i = first; i < n; i++) {
        if (wg_transcript_at(t, i, &m) != WG_OK)
            continue;
        if (wg_seen_marker_before(&b->w->seen, &m, have_prev ? &prev : NULL))
            text_node(b, "new-messages", li, tx(b, WG_T_NEW_MESSAGES), false);
        struct wg_node *node = build_message(b, li, &m, have_prev ? &prev : NULL);
        if (m.role == WG_ROLE_CUSTOMER && node != &b->spare) {
            last_mine = node;
            last_mine_msg = m;
        }
        prev = m;
        have_prev = true;
    }
    if (last_mine)
        build_receipt(b, last_mine, &last_mine_msg);
}

static void build_typing(struct build *b, int panel)
{
    const struct wg_chat *c = &b->w->chat;
    /* typing_until_ms is the flag: the typist may have no name yet. */
    if (wg_chat_live(c) && c->typing_until_ms)
        text_node(b, "typing", panel, fill(b, WG_T_TYPING, agent_or(b, c->typing_name)), false);
}

static void build_chat_start(struct build *b, int panel)
{
    const struct wg_widget *w = b->w;
    enum wg_text t = w->chat.ct.state == WG_CHAT_ENDED ? WG_T_BTN_NEW_CHAT : WG_T_BTN_START;
    if (w->mode == WG_MODE_VIDEO)
        t = WG_T_LAUNCH_VIDEO;
    if (wg_widget_away(w))
        t = WG_T_BTN_LEAVE_MESSAGE;
    button(b, "chat-start", panel, WG_ACT_START, tx(b, t), true);
}

/* The composer: shown from the start on, taking text while the chat starts
 * (a message sent then waits for it: wg_chat_send), disabled once it has
 * ended, so the log keeps its place. */
static void build_composer(struct build *b, int panel)
{
    const struct wg_chat *c = &b->w->chat;
    bool live = wg_chat_live(c) || c->ct.state == WG_CHAT_STARTING;
    struct wg_node *in =
        input(b, "chat-input", panel, WG_ACT_SEND, tx(b, WG_T_CHAT_INPUT), WG_CHAT_TEXT_MAX);
    in->enabled = live;
    in->multiline = true;
    if (c->ct.state == WG_CHAT_ENDED)
        return;
    button(b, "chat-send", panel, WG_ACT_SEND, tx(b, WG_T_BTN_SEND), live);
    if (!b->w->confirm_end || !wg_chat_live(c)) {
        button(b, "chat-end", panel, WG_ACT_END_ASK, tx(b, WG_T_BTN_END_CHAT), wg_chat_live(c));
        return;
    }
    int g = index_of(b, add(b, WG_NODE_GROUP, "end-confirm", panel));
    text_node(b, "end-question", g, tx(b, WG_T_END_CONFIRM), true);
    button(b, "end-yes", g, WG_ACT_END, tx(b, WG_T_BTN_END_YES), true);
    button(b, "end-no", g, WG_ACT_END_CANCEL, tx(b, WG_T_BTN_END_NO), true);
}

/* The ad-hoc reference form, offered whenever a chat can be started: the
 * page URL's code first, then a visible label and an input of 8 digits
 * (variant "digits": the bridge keeps only digits). */
static void build_reference(struct build *b, int panel)
{
    const char *offered = b->w->offered_ref;
    if (offered[0]) {
        text_node(b, "ref-offer", panel, fill(b, WG_T_REF_OFFER, offered), true);
        button(b, "ref-accept", panel, WG_ACT_REFERENCE_OFFERED, tx(b, WG_T_BTN_START), true);
    }
    struct wg_node *g = add(b, WG_NODE_GROUP, "reference", panel);
    g->label = tx(b, WG_T_REFERENCE_INPUT);
    int gi = index_of(b, g);
    text_node(b, "reference-label", gi, g->label, false);
    struct wg_node *in = input(b, "reference-input", gi, WG_ACT_REFERENCE,
                               tx(b, WG_T_REFERENCE_INPUT), WG_WIDGET_REFERENCE_LEN);
    in->numeric = true;
    in->variant = "digits";
    button(b, "reference-submit", gi, WG_ACT_REFERENCE, tx(b, WG_T_BTN_REFERENCE), true);
}

/* The rating step (wg_widget_rating): a labelled group with the scores as
 * a radio group (variant "on" up to the score picked, for the stars), the
 * optional comment, send and skip; once sent, the thanks. */
static void build_rating(struct build *b, int panel)
{
    static const char *const parts[] = {"rate-1", "rate-2", "rate-3", "rate-4", "rate-5"};
    const struct wg_widget *w = b->w;
    if (!wg_widget_rating(w)) {
        if (w->rating.state == WG_RATE_DONE)
            text_node(b, "rate-thanks", panel, tx(b, WG_T_RATE_THANKS), true);
        return;
    }
    bool asking = w->rating.state == WG_RATE_ASK;
    struct wg_node *g = add(b, WG_NODE_GROUP, "rating", panel);
    g->label = tx(b, WG_T_RATE_QUESTION);
    int gi = index_of(b, g);
    text_node(b, "rate-question", gi, g->label, false);
    int stars = index_of(b, add(b, WG_NODE_GROUP, "rate-stars", gi));
    for (int i = 0; i < 5; i++) {
        struct wg_node *n = add(b, WG_NODE_RADIO, parts[i], stars);
        char digit[2] = {(char)('1' + i), '\0'};
        n->label = i ? fill(b, WG_T_RATE_MANY, digit) : tx(b, WG_T_RATE_ONE);
        n->action = WG_ACT_RATE;
        n->arg = '1' + i;
        n->pressed = w->rating.score == i + 1;
        n->variant = i < w->rating.score ? "on" : "";
        n->enabled = asking;
    }
    struct wg_node *in = input(b, "rate-comment", gi, WG_ACT_RATE_SEND, tx(b, WG_T_RATE_COMMENT),
                               WG_RATE_COMMENT_MAX);
    in->enabled = asking;
    button(b, "rate-send", gi, WG_ACT_RATE_SEND, tx(b, WG_T_BTN_RATE_SEND),
           asking && w->rating.score);
    button(b, "rate-skip", gi, WG_ACT_RATE_SKIP, tx(b, WG_T_BTN_RATE_SKIP), asking);
}

static void build_chat(struct build *b, int panel)
{
    enum wg_chat_state s = b->w->chat.ct.state;
    build_video(b, panel);
    if (b->w->ref_started && (s == WG_CHAT_WAITING || s == WG_CHAT_CONNECTED)) {
        bool named = s == WG_CHAT_WAITING && b->w->ref_agent[0]; /* until the agent joins */
        text_node(b, "ref-accepted", panel,
                  named ? fill(b, WG_T_REF_ACCEPTED_AGENT, b->w->ref_agent)
                        : tx(b, WG_T_REF_ACCEPTED),
                  true);
    }
    if (s == WG_CHAT_WAITING || s == WG_CHAT_CONNECTED || s == WG_CHAT_ENDED)
        build_log(b, panel);
    build_typing(b, panel);
    if (s != WG_CHAT_IDLE)
        build_composer(b, panel);
    if (s == WG_CHAT_ENDED)
        build_rating(b, panel);
    if (s == WG_CHAT_ENDED && wg_transcript_count(&b->w->transcript))
        button(b, "transcript", panel, WG_ACT_TRANSCRIPT, tx(b, WG_T_BTN_TRANSCRIPT), true);
    if ((s == WG_CHAT_IDLE || s == WG_CHAT_ENDED) && !wg_widget_rating(b->w)) {
        build_chat_start(b, panel);
        build_reference(b, panel);
    }
}

/* ---- call ------------------------------------------------------------------ */

static void build_keypad(struct build *b, int panel)
{
    static const char keys[] = "123456789*0#";
    static const char *const parts[] = {"key-1", "key-2", "key-3", "key-4",    "key-5", "key-6",
                                        "key-7", "key-8", "key-9", "key-star", "key-0", "key-hash"};
    static const char *const texts[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"};
    struct wg_node *g = add(b, WG_NODE_GROUP, "keypad", panel);
    g->label = tx(b, WG_T_KEYPAD);
    int gi = index_of(b, g);
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        button(b, parts[i], gi, WG_ACT_KEY, texts[i], true)->arg = keys[i];
}

static void build_dial(struct build *b, int panel)
{
    const struct wg_widget *w = b->w;
    if (!w->has_number) {
        struct wg_node *in = input(b, "number-input", panel, WG_ACT_DIAL, tx(b, WG_T_NUMBER_INPUT),
                                   WG_CALL_NUMBER_INPUT_MAX);
        in->numeric = true;
    }
    enum wg_text t = w->call.ct.state == WG_CALL_ENDED ? WG_T_BTN_CALL_AGAIN : WG_T_BTN_CALL;
    button(b, "dial", panel, WG_ACT_DIAL, tx(b, t), true);
}

static void build_call_controls(struct build *b, int panel)
{
    const struct wg_call *c = &b->w->call;
    const char *shown = wg_dtmf_shown(&c->dtmf);
    if (shown[0])
        text_node(b, "digits", panel, fill(b, WG_T_DIGITS, shown), false);
    if (c->ct.state == WG_CALL_CONNECTED)
        build_keypad(b, panel);
    enum wg_text mute = c->muted ? WG_T_BTN_UNMUTE : WG_T_BTN_MUTE;
    button(b, "mute", panel, WG_ACT_MUTE, tx(b, mute), true)->pressed = c->muted ? 1 : 0;
    if (wg_call_live(c))
        button(b, "hangup", panel, WG_ACT_HANGUP, tx(b, WG_T_BTN_HANGUP), !c->hanging_up);
}

static void build_call(struct build *b, int panel)
{
    enum wg_call_state s = b->w->call.ct.state;
    if (s == WG_CALL_IDLE || s == WG_CALL_ENDED)
        build_dial(b, panel);
    else
        build_call_controls(b, panel);
}

/* The call's audio sits at the root, outside the panel: closing the panel
 * must not silence the call. */
static void build_audio(struct build *b)
{
    const struct wg_widget *w = b->w;
    if (w->mode != WG_MODE_CALL || !wg_call_live(&w->call))
        return;
    struct wg_node *n = add(b, WG_NODE_AUDIO, "audio", -1);
    n->owner = WG_OWNER_CALL;
    if (w->call.on_hold)
        n->variant = "held"; /* the bridge mutes it: the agent's audio is paused */
}

/* ---- the frame ------------------------------------------------------------- */

static void build_pass(const struct wg_widget *w, struct wg_view *out, size_t msg_room)
{
    struct build b = {.w = w, .v = out, .msg_room = msg_room};
    out->count = 0;
    out->messages_omitted = 0;
    out->arena_used = 0;
    out->hidden = w->hide == WG_HIDE_HIDE && unavailable(w);
    out->focus = w->focus ? w->focus : "";
    out->focus_seq = w->focus_seq;
    build_launcher(&b);
    if (w->open) {
        struct wg_node *p = add(&b, WG_NODE_DIALOG, "panel", -1);
        p->label = launcher_text(&b);
        int pi = index_of(&b, p);
        build_header(&b, pi);
        if (w->mode == WG_MODE_CALL)
            build_call(&b, pi);
        else
            build_chat(&b, pi);
    }
    build_audio(&b);
}

int wg_view_build(const struct wg_widget *w, struct wg_view *out)
{
    if (!w || !out)
        return WG_E_INVAL;
    build_pass(w, out, 0);
    size_t fixed = out->count;
    build_pass(w, out, fixed < WG_VIEW_MAX ? WG_VIEW_MAX - fixed : 0);
    return (int)out->count;
}
