/* wg_render.c - chat render decisions (see wg_render.h). The fixed commands
 * of a state are counted first so that messages get exactly the room left:
 * the newest messages are shown, the oldest omitted and counted. */
#include "wg_render.h"

#include <string.h>

#include "wg_err.h"

const char *wg_render_text(enum wg_text_code code)
{
    switch (code) {
    case WG_TXT_IDLE:
        return "Chat with us";
    case WG_TXT_STARTING:
        return "Starting chat...";
    case WG_TXT_WAITING:
        return "Waiting for an agent";
    case WG_TXT_CONNECTED:
        return "Connected";
    case WG_TXT_ENDED:
        return "Chat ended";
    case WG_TXT_RECONNECTING:
        return "Reconnecting...";
    case WG_TXT_ERR_AUTH:
        return "Please sign in again";
    case WG_TXT_ERR_NETWORK:
        return "Network problem, please try again";
    case WG_TXT_ERR_SERVER:
        return "Something went wrong, please try again";
    case WG_TXT_ERR_REJECTED:
        return "The request was refused";
    case WG_TXT_ERR_ENDED:
        return "This chat has ended";
    case WG_TXT_BTN_START:
        return "Start chat";
    case WG_TXT_BTN_NEW:
        return "Start a new chat";
    case WG_TXT_BTN_SEND:
        return "Send";
    case WG_TXT_BTN_END:
        return "End chat";
    case WG_TXT_NONE:
        break;
    }
    return "";
}

static struct wg_rcmd *add(struct wg_render *r, enum wg_rcmd_kind kind, enum wg_text_code code)
{
    if (r->count == WG_RENDER_MAX)
        return NULL; /* only if messages() were given too much room; callers check */
    struct wg_rcmd *cmd = &r->cmds[r->count++];
    memset(cmd, 0, sizeof(*cmd));
    cmd->kind = kind;
    cmd->code = code;
    cmd->text = wg_render_text(code);
    cmd->text_len = strlen(cmd->text);
    cmd->name = "";
    cmd->id = "";
    cmd->position = cmd->depth = cmd->wait_s = -1;
    return cmd;
}

static void button(struct wg_render *r, enum wg_text_code label, enum wg_action act, bool enabled)
{
    struct wg_rcmd *b = add(r, WG_RC_BUTTON, label);
    if (b) {
        b->action = act;
        b->enabled = enabled;
    }
}

static void input(struct wg_render *r, bool enabled)
{
    struct wg_rcmd *i = add(r, WG_RC_INPUT, WG_TXT_NONE);
    if (i)
        i->enabled = enabled;
}

static enum wg_text_code error_code(enum wg_chat_error e)
{
    switch (e) {
    case WG_CHAT_ERR_AUTH:
        return WG_TXT_ERR_AUTH;
    case WG_CHAT_ERR_NETWORK:
        return WG_TXT_ERR_NETWORK;
    case WG_CHAT_ERR_SERVER:
        return WG_TXT_ERR_SERVER;
    case WG_CHAT_ERR_REJECTED:
        return WG_TXT_ERR_REJECTED;
    case WG_CHAT_ERR_ENDED:
        return WG_TXT_ERR_ENDED;
    case WG_CHAT_ERR_NONE:
        break;
    }
    return WG_TXT_NONE;
}

/* Messages, newest that fit in `room`, oldest first. */
static void messages(const struct wg_chat *c, struct wg_render *r, size_t room)
{
    size_t n = c->transcript ? wg_transcript_count(c->transcript) : 0;
    size_t first = n > room ? n - room : 0;
    r->messages_omitted = first;
    struct wg_tr_view v;
    for (size_t i = first; i < n; i++) {
        if (wg_transcript_at(c->transcript, i, &v) != WG_OK)
            break;
        struct wg_rcmd *m = add(r, WG_RC_MESSAGE, WG_TXT_NONE);
        if (!m)
            break;
        m->role = v.role;
        m->name = v.display_name;
        m->text = v.content;
        m->text_len = v.content_len;
        m->id = v.id;
    }
}

int wg_render_chat(const struct wg_chat *c, struct wg_render *out)
{
    if (!c || !out)
        return WG_E_INVAL;
    out->count = 0;
    out->messages_omitted = 0;

    static const enum wg_text_code status_of[] = {[WG_CHAT_IDLE] = WG_TXT_IDLE,
                                                  [WG_CHAT_STARTING] = WG_TXT_STARTING,
                                                  [WG_CHAT_WAITING] = WG_TXT_WAITING,
                                                  [WG_CHAT_CONNECTED] = WG_TXT_CONNECTED,
                                                  [WG_CHAT_ENDED] = WG_TXT_ENDED};
    if ((unsigned)c->state > WG_CHAT_ENDED)
        return WG_E_INVAL;
    struct wg_rcmd *st = add(out, WG_RC_STATUS, status_of[c->state]); /* first: never NULL */
    if (c->state == WG_CHAT_CONNECTED)
        st->name = c->agent_name;
    else if (c->state == WG_CHAT_ENDED)
        st->name = c->reason;

    bool live = c->state == WG_CHAT_WAITING || c->state == WG_CHAT_CONNECTED;
    /* Reconnecting is shown only once the stream had been open: the first
     * connect is part of "starting"/"waiting". */
    if (live && c->stream.was_open && c->stream.conn != WG_CONN_OPEN)
        add(out, WG_RC_CONNECTION, WG_TXT_RECONNECTING);
    if (c->state == WG_CHAT_WAITING && c->queue_position >= 0) {
        struct wg_rcmd *q = add(out, WG_RC_QUEUE, WG_TXT_NONE); /* 2nd or 3rd */
        q->position = c->queue_position;
        q->depth = c->queue_depth;
        q->wait_s = c->est_wait_s;
    }
    if (c->last_error != WG_CHAT_ERR_NONE)
        add(out, WG_RC_ERROR, error_code(c->last_error));
    if (live && c->video_offered) {
        struct wg_rcmd *v = add(out, WG_RC_VIDEO_OFFER, WG_TXT_NONE); /* at most 5th */
        v->name = c->video_from;
        v->enabled = c->video_screen_share;
    }

    bool typing = live && c->typing_name[0];
    /* Room for messages: everything but the commands still to come. */
    size_t tail;
    switch (c->state) {
    case WG_CHAT_WAITING:
    case WG_CHAT_CONNECTED:
        tail = (typing ? 1 : 0) + 3;
        break; /* INPUT, Send, End */
    case WG_CHAT_ENDED:
        tail = 2;
        break; /* INPUT, New */
    default:
        tail = 1;
        break; /* Start */
    }
    if (c->state != WG_CHAT_IDLE && c->state != WG_CHAT_STARTING)
        messages(c, out, WG_RENDER_MAX - out->count - tail);

    switch (c->state) {
    case WG_CHAT_IDLE:
        button(out, WG_TXT_BTN_START, WG_ACT_START, true);
        break;
    case WG_CHAT_STARTING:
        button(out, WG_TXT_BTN_START, WG_ACT_START, false);
        break;
    case WG_CHAT_WAITING:
    case WG_CHAT_CONNECTED: {
        struct wg_rcmd *t = typing ? add(out, WG_RC_TYPING, WG_TXT_NONE) : NULL;
        if (t)
            t->name = c->typing_name;
        input(out, true);
        button(out, WG_TXT_BTN_SEND, WG_ACT_SEND, true);
        button(out, WG_TXT_BTN_END, WG_ACT_END, true);
        break;
    }
    case WG_CHAT_ENDED:
        input(out, false);
        button(out, WG_TXT_BTN_NEW, WG_ACT_START, true);
        break;
    }
    return (int)out->count;
}
