/* test_wg_view.c - the node tree of a real widget, driven only through the
 * wg_widget_* inputs: the exact part sequence and nesting per mode and
 * state, actions, enabled/pressed/expanded, texts (English, and Spanish
 * once), the capacity check (hide, grey), errors, the video escalation, the
 * call's keypad and the bound on messages. */
#include <limits.h>
#include <string.h>

#include "unit.h"
#include "wg_err.h"
#include "wg_view.h"
#include "wg_widget.h"

static struct wg_widget w; /* large: static */
static struct wg_view v;
static int64_t now = 1000;

/* ---- helpers ------------------------------------------------------------- */

static void setup(enum wg_mode mode, enum wg_locale locale, enum wg_hide hide, const char *number,
                  const char *label)
{
    struct wg_widget_config cfg = {.mode = mode,
                                   .locale = locale,
                                   .hide = hide,
                                   .number = number,
                                   .number_len = number ? strlen(number) : 0,
                                   .label = label,
                                   .label_len = label ? strlen(label) : 0};
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, now), 0);
    wg_fx_clear(&w.fx);
}

static int depth(int i)
{
    int d = 0;
    while (v.nodes[i].parent >= 0 && d < 10) {
        CHECK(v.nodes[i].parent < i); /* parents come first */
        i = v.nodes[i].parent;
        d++;
    }
    return d;
}

/* The frame as "part" per node, each prefixed by one '.' per level of
 * nesting, separated by spaces; runs of messages collapse to "message*N". */
static const char *shape(void)
{
    static char buf[4096];
    int n = wg_view_build(&w, &v);
    CHECK_INT_EQ(n, (int)v.count);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < v.count; i++) {
        size_t run = 1;
        while (strcmp(v.nodes[i].part, "message") == 0 && i + run < v.count &&
               strcmp(v.nodes[i + run].part, "message") == 0)
            run++;
        char item[64] = "";
        int d = depth((int)i);
        for (int k = 0; k < d; k++)
            strcat(item, ".");
        strcat(item, v.nodes[i].part);
        if (run > 1)
            snprintf(item + strlen(item), sizeof(item) - strlen(item), "*%zu", run);
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", used ? " " : "", item);
        i += run - 1;
    }
    return buf;
}

static const struct wg_node *part(const char *name)
{
    for (size_t i = 0; i < v.count; i++)
        if (strcmp(v.nodes[i].part, name) == 0)
            return &v.nodes[i];
    static const struct wg_node none = {.part = "(missing)",
                                        .key = "",
                                        .text = "",
                                        .name = "",
                                        .label = "",
                                        .variant = "",
                                        .parent = -99};
    fprintf(stderr, "  no part %s\n", name);
    unit__current_failed = 1;
    return &none;
}

static int index_of(const char *name)
{
    return (int)(part(name) - v.nodes);
}

static bool has_fx(enum wg_fx_kind kind)
{
    for (size_t i = 0; i < w.fx.count; i++)
        if (w.fx.items[i].kind == kind)
            return true;
    return false;
}

static int act(enum wg_action a, const char *text)
{
    int r = wg_widget_action(&w, a, text, text ? strlen(text) : 0, ++now);
    return r;
}

static void event(enum wg_owner owner, struct wg_event ev)
{
    CHECK(wg_widget_event(&w, owner, &ev, ++now) >= 0);
}

static void state_event(enum wg_owner owner, enum wg_contact_state s, const char *reason)
{
    event(owner,
          (struct wg_event){.kind = WG_EV_CONTACT_STATE, .contact_state = s, .reason = reason});
}

static void joined(enum wg_owner owner, const char *name)
{
    event(owner, (struct wg_event){.kind = WG_EV_PARTICIPANT_JOINED,
                                   .role = WG_ROLE_AGENT,
                                   .display_name = name});
}

static void message(const char *id, int64_t seq, enum wg_role role, const char *name,
                    const char *text)
{
    struct wg_msg m = {id, seq, seq * 1000, role, name, "text/plain", text, strlen(text)};
    event(WG_OWNER_CHAT, (struct wg_event){.kind = WG_EV_MESSAGE, .message = m});
}

/* An open chat, CONNECTED with Bob. */
static void chat_connected(enum wg_mode mode, enum wg_locale locale)
{
    setup(mode, locale, WG_HIDE_NEVER, NULL, NULL);
    CHECK_INT_EQ(act(WG_ACT_START, NULL), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now), 0);
    joined(WG_OWNER_CHAT, "Bob");
    state_event(WG_OWNER_CHAT, WG_CS_CONNECTED, NULL);
    wg_fx_clear(&w.fx);
}

#define HEAD "launcher panel .close .status"

/* ---- chat ----------------------------------------------------------------- */

static void test_chat_idle_closed_and_open(void)
{
    setup(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, NULL, NULL);
    CHECK_STR_EQ(shape(), "launcher");
    const struct wg_node *l = part("launcher");
    CHECK_INT_EQ(l->kind, WG_NODE_BUTTON);
    CHECK_INT_EQ(l->parent, -1);
    CHECK_STR_EQ(l->text, "Chat with us");
    CHECK_INT_EQ(l->text_len, strlen("Chat with us"));
    CHECK_INT_EQ(l->action, WG_ACT_TOGGLE);
    CHECK_INT_EQ(l->expanded, 0);
    CHECK_INT_EQ(l->pressed, -1);
    CHECK(l->enabled);
    CHECK_STR_EQ(l->variant, "");
    CHECK(!v.hidden);
    CHECK_INT_EQ(v.messages_omitted, 0);

    CHECK_INT_EQ(act(WG_ACT_TOGGLE, NULL), 0);
    CHECK_STR_EQ(shape(), HEAD " .chat-start .reference ..reference-label ..reference-input ..reference-submit");
    CHECK_INT_EQ(part("launcher")->expanded, 1);
    const struct wg_node *p = part("panel");
    CHECK_INT_EQ(p->kind, WG_NODE_DIALOG); /* a labelled, non-modal dialog */
    CHECK_STR_EQ(p->label, "Chat with us");
    const struct wg_node *c = part("close");
    CHECK_INT_EQ(c->action, WG_ACT_CLOSE);
    CHECK_STR_EQ(c->label, "Close");
    const struct wg_node *s = part("status");
    CHECK_INT_EQ(s->kind, WG_NODE_TEXT);
    CHECK(s->live);
    CHECK_STR_EQ(s->text, "Start a chat with us");
    CHECK_STR_EQ(s->variant, "idle");
    const struct wg_node *b = part("chat-start");
    CHECK_INT_EQ(b->action, WG_ACT_START);
    CHECK_STR_EQ(b->text, "Start chat");
    CHECK(b->enabled);
    const struct wg_node *g = part("reference");
    CHECK_INT_EQ(g->kind, WG_NODE_GROUP);
    CHECK_STR_EQ(g->label, "Have a reference code?");
    const struct wg_node *ri = part("reference-input");
    CHECK_INT_EQ(ri->kind, WG_NODE_INPUT);
    CHECK_INT_EQ(ri->action, WG_ACT_REFERENCE);
    CHECK(ri->numeric);
    CHECK_INT_EQ(ri->max_len, 8);
    CHECK_INT_EQ(ri->parent, index_of("reference"));
    const struct wg_node *rs = part("reference-submit");
    CHECK_INT_EQ(rs->action, WG_ACT_REFERENCE);
    CHECK_STR_EQ(rs->text, "Go");

    CHECK_INT_EQ(act(WG_ACT_CLOSE, NULL), 0);
    CHECK_STR_EQ(shape(), "launcher");
}

/* A server (or a bridge) may say any wait: the minutes are rounded up
 * without overflowing (found by tests/fuzz/fuzz_widget_core). */
static void test_queue_wait_int_max(void)
{
    setup(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, NULL, NULL);
    CHECK_INT_EQ(act(WG_ACT_START, NULL), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now), 0);
    event(WG_OWNER_CHAT, (struct wg_event){.kind = WG_EV_QUEUE, .position = 1, .queue_depth = 1,
                                           .est_wait_s = INT_MAX});
    shape();
    CHECK_STR_EQ(part("queue")->text, "You are number 1 in line \xc2\xb7 About 35791395 min");
    event(WG_OWNER_CHAT, (struct wg_event){.kind = WG_EV_QUEUE, .position = 1, .queue_depth = 1,
                                           .est_wait_s = 60});
    shape();
    CHECK_STR_EQ(part("queue")->text, "You are number 1 in line \xc2\xb7 About 1 min");
}

static void test_chat_starting_waiting_queue(void)
{
    setup(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, NULL, NULL);
    CHECK_INT_EQ(act(WG_ACT_START, NULL), 0); /* opens the panel too */
    CHECK(has_fx(WG_FX_HTTP_START));
    CHECK_STR_EQ(shape(), HEAD " .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(part("status")->text, "Starting chat...");
    CHECK_STR_EQ(part("status")->variant, "starting");
    CHECK(part("chat-input")->enabled); /* typing may start at once (the message waits) */
    CHECK(part("chat-send")->enabled);
    CHECK(!part("chat-end")->enabled); /* nothing to end yet */

    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .chat-log .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(part("status")->text, "Waiting for an agent");
    const struct wg_node *log = part("chat-log");
    CHECK_INT_EQ(log->kind, WG_NODE_LOG);
    CHECK_STR_EQ(log->label, "Conversation");
    const struct wg_node *in = part("chat-input");
    CHECK_INT_EQ(in->kind, WG_NODE_INPUT);
    CHECK_INT_EQ(in->action, WG_ACT_SEND);
    CHECK_INT_EQ(in->max_len, 8192);
    CHECK_STR_EQ(in->label, "Type a message");
    CHECK(!in->numeric);
    CHECK(in->enabled);
    CHECK_INT_EQ(part("chat-send")->action, WG_ACT_SEND);
    CHECK_STR_EQ(part("chat-send")->text, "Send");
    CHECK(part("chat-send")->enabled);
    CHECK_INT_EQ(part("chat-end")->action, WG_ACT_END_ASK);
    CHECK_STR_EQ(part("chat-end")->text, "End chat");

    event(
        WG_OWNER_CHAT,
        (struct wg_event){.kind = WG_EV_QUEUE, .position = 2, .queue_depth = 3, .est_wait_s = 90});
    CHECK_STR_EQ(shape(), HEAD " .queue .chat-log .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(part("queue")->text, "You are number 2 in line \xc2\xb7 About 2 min");
    CHECK(part("queue")->live);
    event(WG_OWNER_CHAT,
          (struct wg_event){.kind = WG_EV_QUEUE, .position = 1, .queue_depth = 1, .est_wait_s = 0});
    shape();
    CHECK_STR_EQ(part("queue")->text, "You are number 1 in line");
    event(WG_OWNER_CHAT, (struct wg_event){.kind = WG_EV_TYPING, .role = WG_ROLE_AGENT});
    CHECK_STR_EQ(shape(), HEAD " .queue .chat-log .typing .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(part("typing")->text, "Agent is typing..."); /* nobody named yet */

    /* The queue goes once an agent has the chat (the typist stays). */
    state_event(WG_OWNER_CHAT, WG_CS_CONNECTED, NULL);
    CHECK_STR_EQ(shape(), HEAD " .chat-log .typing .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(part("status")->text, "Chatting with Agent"); /* nobody joined by name */
    CHECK_STR_EQ(part("status")->variant, "connected");
}

static void test_chat_messages_typing_reconnect(void)
{
    chat_connected(WG_MODE_CHAT, WG_LOCALE_EN);
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(part("status")->text, "Chatting with Bob");
    message("m1", 1, WG_ROLE_CUSTOMER, "", "Hi");
    message("m2", 2, WG_ROLE_AGENT, "Bob", "Hello \"there\"");
    message("m3", 3, WG_ROLE_AGENT, "", "...");
    message("m4", 4, WG_ROLE_SYSTEM, "", "Bob joined");
    message("m5", 5, WG_ROLE_CUSTOMER, "Alice", "Thanks");
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message*6 .chat-input .chat-send .chat-end");
    int log = index_of("chat-log");
    const struct wg_node *joined_line = part("message"); /* the agent's joining comes first */
    CHECK_STR_EQ(joined_line->variant, "system");
    CHECK_STR_EQ(joined_line->text, "Bob joined the chat");
    CHECK_STR_EQ(joined_line->name, "");
    const struct wg_node *m = joined_line + 1;
    CHECK_INT_EQ(m[0].kind, WG_NODE_ITEM);
    CHECK_INT_EQ(m[0].parent, log);
    CHECK_STR_EQ(m[0].key, "m1");
    CHECK_STR_EQ(m[0].variant, "customer");
    CHECK_STR_EQ(m[0].name, "You");
    CHECK_STR_EQ(m[0].text, "Hi");
    CHECK_INT_EQ(m[0].text_len, 2);
    CHECK_STR_EQ(m[1].key, "m2");
    CHECK_STR_EQ(m[1].variant, "agent");
    CHECK_STR_EQ(m[1].name, "Bob");
    CHECK_STR_EQ(m[1].text, "Hello \"there\"");
    CHECK_STR_EQ(m[2].name, "Agent");
    CHECK_STR_EQ(m[3].variant, "system");
    CHECK_STR_EQ(m[3].name, "");
    CHECK_STR_EQ(m[4].name, "Alice");
    CHECK_INT_EQ(v.messages_omitted, 0);

    event(WG_OWNER_CHAT,
          (struct wg_event){.kind = WG_EV_TYPING, .role = WG_ROLE_AGENT, .display_name = "Bob"});
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message*6 .typing .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(part("typing")->text, "Bob is typing...");
    CHECK(!part("typing")->live);
    now += WG_CHAT_TYPING_MS;
    wg_widget_tick(&w, now);
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message*6 .chat-input .chat-send .chat-end");
    event(WG_OWNER_CHAT, (struct wg_event){.kind = WG_EV_TYPING, .role = WG_ROLE_AGENT});
    shape();
    CHECK_STR_EQ(part("typing")->text, "Bob is typing..."); /* the agent's name */

    CHECK_INT_EQ(wg_widget_stream_error(&w, WG_OWNER_CHAT, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .connection .chat-log ..message*6 .typing .chat-input"
                               " .chat-send .chat-end");
    CHECK_STR_EQ(part("connection")->text, "Reconnecting...");
    CHECK(part("connection")->live);
    now += 60000;
    wg_widget_tick(&w, now);
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message*6 .chat-input .chat-send .chat-end");
}

static void test_chat_errors(void)
{
    chat_connected(WG_MODE_CHAT, WG_LOCALE_EN);
    CHECK_INT_EQ(act(WG_ACT_SEND, "   "), WG_E_EMPTY);
    CHECK_STR_EQ(shape(), HEAD " .error .chat-log ..message .chat-input .chat-send .chat-end");
    const struct wg_node *e = part("error");
    CHECK_INT_EQ(e->kind, WG_NODE_ALERT);
    CHECK_STR_EQ(e->text, "Messages must be 1 to 8192 characters of text");
    /* A good input clears it; a failed request shows its own. */
    CHECK_INT_EQ(act(WG_ACT_SEND, "hello"), 0);
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message .chat-input .chat-send .chat-end");
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_SEND, WG_CONTACT_ERR_NETWORK, ++now), 0);
    shape();
    CHECK_STR_EQ(part("error")->text, "Network problem, please try again");
    /* A click that came too late is not an error to show. */
    CHECK_INT_EQ(act(WG_ACT_VIDEO_JOIN, NULL), WG_E_STATE);
    shape();
    CHECK_STR_EQ(part("error")->text, "Network problem, please try again");
}

static void test_chat_reference_errors(void)
{
    setup(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, NULL, NULL);
    CHECK_INT_EQ(act(WG_ACT_REFERENCE, "123"), WG_E_INVAL);
    CHECK_STR_EQ(shape(), HEAD " .error .chat-start .reference ..reference-label ..reference-input"
                               " ..reference-submit");
    CHECK_STR_EQ(part("error")->text, "A reference is 8 digits");
    CHECK_INT_EQ(act(WG_ACT_REFERENCE, "12345678"), 0);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_START, WG_CONTACT_ERR_REF_USED, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .error .chat-start .reference ..reference-label ..reference-input"
                               " ..reference-submit");
    CHECK_STR_EQ(part("error")->text, "That reference has already been used");
}

/* The rating step after a chat with an agent: a score from the radio
 * group (only the one picked is checked, stars "on" up to it), the comment,
 * send (HTTP_RATE with the score and comment), the thanks, then "start a
 * new chat"; a failure asks again with the error; already_rated is done;
 * focus goes to the first star at the end and to the start after. */
static void test_chat_rating(void)
{
    chat_connected(WG_MODE_CHAT, WG_LOCALE_EN);
    CHECK_INT_EQ(act(WG_ACT_RATE, "3"), WG_E_STATE); /* not before the end */
    CHECK_INT_EQ(act(WG_ACT_END, NULL), 0);
    CHECK_STR_EQ(w.focus, "rate-1");
    CHECK(wg_widget_rating(&w));
    shape();
    CHECK_STR_EQ(part("rating")->label, "How was your chat?");
    CHECK_STR_EQ(part("rate-1")->label, "1 star");
    CHECK_STR_EQ(part("rate-4")->label, "4 stars");
    CHECK(!part("rate-send")->enabled); /* no score yet */
    CHECK_INT_EQ(act(WG_ACT_RATE_SEND, "x"), WG_E_STATE);
    CHECK_INT_EQ(act(WG_ACT_RATE, "6"), WG_E_INVAL);
    CHECK_INT_EQ(act(WG_ACT_RATE, "4"), 0);
    shape();
    CHECK_INT_EQ(part("rate-4")->pressed, 1);
    CHECK_INT_EQ(part("rate-3")->pressed, 0);
    CHECK_STR_EQ(part("rate-3")->variant, "on");
    CHECK_STR_EQ(part("rate-5")->variant, "");
    CHECK_INT_EQ(part("rate-comment")->max_len, WG_RATE_COMMENT_MAX);
    CHECK(part("rate-send")->enabled);
    wg_fx_clear(&w.fx);
    CHECK_INT_EQ(act(WG_ACT_RATE_SEND, "Quick and kind"), 0);
    CHECK_INT_EQ(w.fx.count, 1);
    CHECK_INT_EQ(w.fx.items[0].kind, WG_FX_HTTP_RATE);
    CHECK_INT_EQ(w.fx.items[0].arg, 4);
    CHECK_STR_EQ(w.fx.items[0].text, "Quick and kind");
    CHECK_STR_EQ(w.focus, "chat-start");
    shape();
    CHECK(!part("rate-send")->enabled && !part("rate-2")->enabled); /* sending */
    CHECK_INT_EQ(act(WG_ACT_RATE_SEND, "again"), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_RATE, WG_CONTACT_ERR_NETWORK, ++now), 0);
    shape();
    CHECK_STR_EQ(part("error")->text, "Network problem, please try again");
    CHECK(part("rate-send")->enabled);
    CHECK_INT_EQ(act(WG_ACT_RATE_SEND, ""), 0);
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_RATE, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message*2 .chat-input .rate-thanks .transcript"
                               " .chat-start .reference ..reference-label ..reference-input"
                               " ..reference-submit");
    CHECK_STR_EQ(part("rate-thanks")->text, "Thank you for your feedback");
    /* A new chat asks afresh; rated elsewhere already counts as done. */
    chat_connected(WG_MODE_CHAT, WG_LOCALE_ES);
    state_event(WG_OWNER_CHAT, WG_CS_ENDED, "agent_disconnected");
    shape();
    CHECK_STR_EQ(part("rate-2")->label, "2 estrellas");
    CHECK_INT_EQ(act(WG_ACT_RATE, "5"), 0);
    CHECK_INT_EQ(act(WG_ACT_RATE_SEND, NULL), 0);
    CHECK_INT_EQ(wg_widget_request_failed(&w, WG_FX_HTTP_RATE, WG_CONTACT_ERR_RATED, ++now), 0);
    CHECK(strstr(shape(), ".error") == NULL);
    CHECK_STR_EQ(part("rate-thanks")->text, "Gracias por tu opinión");
}

static void test_chat_ended(void)
{
    chat_connected(WG_MODE_CHAT, WG_LOCALE_EN);
    message("m1", 1, WG_ROLE_AGENT, "Bob", "Bye");
    CHECK_INT_EQ(act(WG_ACT_END, NULL), 0);
    /* The rating step first (test_wg_rating.c), then "start a new chat". */
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message*3 .chat-input .rating ..rate-question"
                               " ..rate-stars ...rate-1 ...rate-2 ...rate-3 ...rate-4 ...rate-5"
                               " ..rate-comment ..rate-send ..rate-skip .transcript");
    CHECK_INT_EQ(act(WG_ACT_RATE_SKIP, NULL), 0);
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message*3 .chat-input .transcript .chat-start"
                               " .reference ..reference-label ..reference-input ..reference-submit");
    CHECK_STR_EQ(part("status")->text, "You ended the conversation");
    CHECK_STR_EQ(part("status")->variant, "ended");
    CHECK(!part("chat-input")->enabled);
    CHECK_STR_EQ(part("chat-start")->text, "Start a new chat");
    CHECK(part("chat-start")->enabled);

    chat_connected(WG_MODE_CHAT, WG_LOCALE_EN);
    state_event(WG_OWNER_CHAT, WG_CS_ENDED, "agent_disconnected");
    shape();
    CHECK_STR_EQ(part("status")->text, "The agent ended the conversation");
    chat_connected(WG_MODE_CHAT, WG_LOCALE_EN);
    state_event(WG_OWNER_CHAT, WG_CS_ENDED, "something_new");
    shape();
    CHECK_STR_EQ(part("status")->text, "Chat ended");
}

static void test_messages_omitted(void)
{
    chat_connected(WG_MODE_CHAT, WG_LOCALE_EN);
    char id[16], text[32];
    for (int i = 1; i <= 200; i++) {
        snprintf(id, sizeof(id), "id%03d", i);
        snprintf(text, sizeof(text), "message %d", i);
        message(id, i, i % 2 ? WG_ROLE_CUSTOMER : WG_ROLE_AGENT, "", text);
    }
    shape();
    CHECK_INT_EQ(v.count, WG_VIEW_MAX);
    size_t fixed = 8; /* launcher panel close status chat-log chat-input chat-send chat-end */
    size_t shown = WG_VIEW_MAX - fixed;
    CHECK_INT_EQ(v.messages_omitted, 201 - shown); /* 200 and the agent's joining */
    const struct wg_node *m = part("message");
    char first[16];
    snprintf(first, sizeof(first), "id%03d", (int)(200 - shown + 1));
    CHECK_STR_EQ(m[0].key, first);
    CHECK_STR_EQ(m[shown - 1].key, "id200");
    CHECK_STR_EQ(m[shown - 1].text, "message 200");
    CHECK_STR_EQ(v.nodes[WG_VIEW_MAX - 1].part, "chat-end"); /* the controls still fit */
    /* Typing takes one message's place. */
    event(WG_OWNER_CHAT,
          (struct wg_event){.kind = WG_EV_TYPING, .role = WG_ROLE_AGENT, .display_name = "Bob"});
    shape();
    CHECK_INT_EQ(v.count, WG_VIEW_MAX);
    CHECK_INT_EQ(v.messages_omitted, 201 - shown + 1);
}

static void test_spanish_and_label(void)
{
    chat_connected(WG_MODE_CHAT, WG_LOCALE_ES);
    shape();
    CHECK_STR_EQ(part("launcher")->text, "Chatea con nosotros");
    CHECK_STR_EQ(part("status")->text, "Chateando con Bob");
    CHECK_STR_EQ(part("chat-send")->text, "Enviar");
    CHECK_STR_EQ(part("chat-input")->label, "Escribe un mensaje");
    CHECK_STR_EQ(part("close")->label, "Cerrar");
    message("m1", 1, WG_ROLE_CUSTOMER, "", "Hola");
    shape();
    CHECK_STR_EQ(part("message")->text, "Bob se unió al chat");
    CHECK_STR_EQ(part("message")[1].name, "Tú");

    setup(WG_MODE_CHAT, WG_LOCALE_ES, WG_HIDE_NEVER, NULL, "Habla con Ana");
    act(WG_ACT_TOGGLE, NULL);
    shape();
    CHECK_STR_EQ(part("launcher")->text, "Habla con Ana");
    CHECK_STR_EQ(part("panel")->label, "Habla con Ana");
}

/* ---- capacity --------------------------------------------------------------- */

/* Grey: a call widget greys out its launcher (a chat one offers to leave
 * a message instead: test_capacity_away). */
static void test_capacity_grey(void)
{
    setup(WG_MODE_CALL, WG_LOCALE_EN, WG_HIDE_GREY, "+15551234567", NULL);
    shape();
    CHECK(part("launcher")->enabled); /* unknown until the first answer */
    CHECK_INT_EQ(wg_widget_availability(&w, 0, ++now), 1);
    CHECK_STR_EQ(shape(), "launcher");
    const struct wg_node *l = part("launcher");
    CHECK(!l->enabled);
    CHECK_STR_EQ(l->variant, "unavailable");
    CHECK_STR_EQ(l->label, "Call us (No agents available right now)");
    CHECK_STR_EQ(l->text, "Call us");
    CHECK(!v.hidden);
    wg_widget_availability(&w, 2, ++now);
    shape();
    CHECK(part("launcher")->enabled);
    CHECK_STR_EQ(part("launcher")->variant, "");
    CHECK_STR_EQ(part("launcher")->label, "");
    /* An open panel keeps its launcher usable (to close it). */
    act(WG_ACT_TOGGLE, NULL);
    wg_widget_availability(&w, 0, ++now);
    shape();
    CHECK(part("launcher")->enabled);
}

/* Out of hours, a chat widget says so and offers to leave a message: one
 * that greys out, or a floating one (which polls for it); not an inline
 * one that was never asked to poll. */
static void test_capacity_away(void)
{
    setup(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_GREY, NULL, NULL);
    CHECK(!wg_widget_away(&w)); /* unknown until the first answer */
    wg_widget_availability(&w, 0, ++now);
    CHECK(wg_widget_away(&w));
    CHECK_STR_EQ(shape(), "launcher");
    const struct wg_node *l = part("launcher");
    CHECK(l->enabled);
    CHECK_STR_EQ(l->variant, "away");
    CHECK_STR_EQ(l->text, "Nobody is here right now \xc2\xb7 Leave a message");
    act(WG_ACT_TOGGLE, NULL);
    shape();
    CHECK_STR_EQ(part("launcher")->text, "Chat with us");
    CHECK_STR_EQ(part("status")->text, "Leave a message and an agent will answer when they are back");
    CHECK_STR_EQ(part("chat-start")->text, "Leave a message");
    CHECK_INT_EQ(act(WG_ACT_START, NULL), 0); /* an ordinary start: the chat waits */
    CHECK(!wg_widget_away(&w));
    shape();
    CHECK_STR_EQ(part("status")->text, "Starting chat...");
    wg_widget_availability(&w, 1, ++now);

    setup(WG_MODE_CHAT, WG_LOCALE_ES, WG_HIDE_NEVER, NULL, NULL);
    CHECK(!w.avail_in_flight); /* inline: no poll */
    CHECK_INT_EQ(wg_widget_layout(&w, true, false), 0);
    CHECK(w.avail_in_flight); /* floating polls */
    CHECK_INT_EQ(w.fx.count, 1);
    CHECK_INT_EQ(w.fx.items[0].kind, WG_FX_HTTP_AVAILABILITY);
    wg_widget_availability(&w, 0, ++now);
    shape();
    CHECK_STR_EQ(part("launcher")->text, "No hay nadie en este momento \xc2\xb7 Dejar un mensaje");
    wg_widget_availability(&w, 2, ++now);
    shape();
    CHECK_STR_EQ(part("launcher")->text, "Chatea con nosotros");
    CHECK(!wg_widget_away(NULL));
}

static void test_capacity_hide(void)
{
    setup(WG_MODE_CALL, WG_LOCALE_EN, WG_HIDE_HIDE, "+15551234567", NULL);
    wg_widget_availability(&w, 0, ++now);
    CHECK_STR_EQ(shape(), "launcher");
    CHECK(v.hidden);
    CHECK(part("launcher")->enabled); /* hidden, not greyed */
    wg_widget_availability(&w, 1, ++now);
    shape();
    CHECK(!v.hidden);
    /* A live call is never hidden, whatever the answers say. */
    CHECK_INT_EQ(act(WG_ACT_DIAL, NULL), 0);
    act(WG_ACT_CLOSE, NULL);
    wg_widget_availability(&w, 0, ++now);
    CHECK_STR_EQ(shape(), "launcher");
    CHECK(!v.hidden);
    /* Never hides with NEVER. */
    setup(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, NULL, NULL);
    wg_widget_availability(&w, 0, ++now);
    shape();
    CHECK(!v.hidden);
    CHECK(part("launcher")->enabled);
}

/* ---- video ------------------------------------------------------------------ */

static void test_video_escalation(void)
{
    chat_connected(WG_MODE_CHAT, WG_LOCALE_EN);
    event(WG_OWNER_CHAT, (struct wg_event){.kind = WG_EV_VIDEO_OFFER, .display_name = "Bob"});
    CHECK_STR_EQ(shape(), HEAD " .video-offer .video-join .video-decline .chat-log ..message .chat-input"
                               " .chat-send .chat-end");
    CHECK_STR_EQ(part("video-offer")->text, "Bob invites you to a video call");
    CHECK_INT_EQ(part("video-join")->action, WG_ACT_VIDEO_JOIN);
    CHECK_STR_EQ(part("video-join")->text, "Join video");
    CHECK_INT_EQ(part("video-decline")->action, WG_ACT_VIDEO_DECLINE);
    CHECK_STR_EQ(part("video-decline")->text, "Not now");
    CHECK_INT_EQ(act(WG_ACT_VIDEO_DECLINE, NULL), 0);
    CHECK_STR_EQ(shape(), HEAD " .chat-log ..message .chat-input .chat-send .chat-end");

    event(
        WG_OWNER_CHAT,
        (struct wg_event){.kind = WG_EV_VIDEO_OFFER, .display_name = "Bob", .screen_share = true});
    shape();
    CHECK_STR_EQ(part("video-offer")->text,
                 "Bob invites you to a video call and will share their screen");
    CHECK_INT_EQ(act(WG_ACT_VIDEO_JOIN, NULL), 0);
    CHECK(has_fx(WG_FX_RTC_START));
    CHECK_STR_EQ(shape(), HEAD " .video ..video-status ..video-remote ..video-local ..camera"
                               " ..video-end .chat-log ..message .chat-input .chat-send .chat-end");
    int group = index_of("video");
    CHECK_INT_EQ(part("video")->kind, WG_NODE_GROUP);
    CHECK_STR_EQ(part("video-status")->text, "Connecting video...");
    const struct wg_node *r = part("video-remote");
    CHECK_INT_EQ(r->kind, WG_NODE_VIDEO);
    CHECK_INT_EQ(r->owner, WG_OWNER_VIDEO);
    CHECK_STR_EQ(r->variant, "remote");
    CHECK_INT_EQ(r->parent, group);
    CHECK_STR_EQ(part("video-local")->variant, "local");
    CHECK_INT_EQ(part("video-local")->owner, WG_OWNER_VIDEO);
    const struct wg_node *cam = part("camera");
    CHECK_INT_EQ(cam->action, WG_ACT_CAMERA);
    CHECK_INT_EQ(cam->pressed, 0);
    CHECK_STR_EQ(cam->text, "Turn camera on");
    CHECK_INT_EQ(part("video-end")->action, WG_ACT_VIDEO_END);

    CHECK_INT_EQ(wg_widget_media_active(&w, WG_OWNER_VIDEO, ++now), 0);
    CHECK_INT_EQ(act(WG_ACT_CAMERA, NULL), 0);
    /* Connected: the log says so (a line of the chat's own). */
    CHECK_STR_EQ(shape(), HEAD " .video ..video-remote ..video-local ..camera ..video-end"
                               " .chat-log ..message*2 .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(v.nodes[index_of("chat-log") + 2].text, "Video call started");
    CHECK_STR_EQ(v.nodes[index_of("chat-log") + 2].variant, "system");
    CHECK_INT_EQ(part("camera")->pressed, 1);
    CHECK_STR_EQ(part("camera")->text, "Turn camera off");

    /* The camera fails: the video goes on, the error says so. */
    CHECK_INT_EQ(wg_widget_media_failed(&w, WG_OWNER_VIDEO, WG_MEDIA_ERR_DENIED, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .error .video ..video-remote ..video-local ..camera ..video-end"
                               " .chat-log ..message*2 .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(part("error")->text, "The camera could not be turned on");
    CHECK_INT_EQ(part("camera")->pressed, 0);
    CHECK_INT_EQ(act(WG_ACT_VIDEO_END, NULL), 0);
    CHECK(has_fx(WG_FX_HTTP_VIDEO_END));
    CHECK_STR_EQ(shape(), HEAD " .error .chat-log ..message*3 .chat-input .chat-send .chat-end");
    CHECK_INT_EQ(index_of("chat-log"), 5);
    CHECK_STR_EQ(v.nodes[8].text, "Video call ended");
    /* Offered and ended by the agent again: a new pair of lines, once each. */
    event(WG_OWNER_CHAT, (struct wg_event){.kind = WG_EV_VIDEO_OFFER, .display_name = "Bob"});
    CHECK_INT_EQ(act(WG_ACT_VIDEO_JOIN, NULL), 0);
    CHECK_INT_EQ(wg_widget_media_active(&w, WG_OWNER_VIDEO, ++now), 0);
    event(WG_OWNER_CHAT, (struct wg_event){.id = 77, .kind = WG_EV_VIDEO_ENDED});
    CHECK(strstr(shape(), "..message*5 ") != NULL);
    event(WG_OWNER_CHAT, (struct wg_event){.id = 78, .kind = WG_EV_VIDEO_ENDED});
    CHECK(strstr(shape(), "..message*5 ") != NULL);
}

static void test_video_microphone_denied(void)
{
    chat_connected(WG_MODE_CHAT, WG_LOCALE_EN);
    event(WG_OWNER_CHAT, (struct wg_event){.kind = WG_EV_VIDEO_OFFER, .display_name = ""});
    shape();
    CHECK_STR_EQ(part("video-offer")->text, "Agent invites you to a video call");
    act(WG_ACT_VIDEO_JOIN, NULL);
    CHECK_INT_EQ(wg_widget_media_failed(&w, WG_OWNER_VIDEO, WG_MEDIA_ERR_DENIED, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .error .chat-log ..message .chat-input .chat-send .chat-end");
    CHECK_STR_EQ(part("error")->text,
                 "Microphone access was denied. Allow it in your browser to call.");
}

static void test_video_mode(void)
{
    setup(WG_MODE_VIDEO, WG_LOCALE_EN, WG_HIDE_NEVER, NULL, NULL);
    act(WG_ACT_TOGGLE, NULL);
    CHECK_STR_EQ(shape(), HEAD " .chat-start .reference ..reference-label ..reference-input ..reference-submit");
    CHECK_STR_EQ(part("launcher")->text, "Video chat");
    CHECK_STR_EQ(part("chat-start")->text, "Video chat");
    CHECK_INT_EQ(part("chat-start")->action, WG_ACT_START);
}

/* ---- call ------------------------------------------------------------------- */

static void test_call_without_number(void)
{
    setup(WG_MODE_CALL, WG_LOCALE_EN, WG_HIDE_NEVER, NULL, NULL);
    CHECK_STR_EQ(shape(), "launcher");
    CHECK_STR_EQ(part("launcher")->text, "Call us");
    act(WG_ACT_TOGGLE, NULL);
    CHECK_STR_EQ(shape(), HEAD " .number-input .dial");
    CHECK_STR_EQ(part("status")->text, "Call an agent from your browser");
    const struct wg_node *in = part("number-input");
    CHECK_INT_EQ(in->kind, WG_NODE_INPUT);
    CHECK_INT_EQ(in->action, WG_ACT_DIAL);
    CHECK(in->numeric);
    CHECK_STR_EQ(in->label, "Phone number");
    CHECK_INT_EQ(part("dial")->action, WG_ACT_DIAL);
    CHECK_STR_EQ(part("dial")->text, "Call");

    CHECK(act(WG_ACT_DIAL, "call me") < 0);
    CHECK_STR_EQ(shape(), HEAD " .error .number-input .dial");
    CHECK_STR_EQ(part("error")->text, "Please enter a valid phone number");
    CHECK_INT_EQ(act(WG_ACT_DIAL, "(555) 123-4567"), 0);
    CHECK(has_fx(WG_FX_MEDIA_ACQUIRE));
    CHECK_STR_EQ(shape(), HEAD " .mute");
    CHECK_STR_EQ(part("status")->text, "Waiting for the microphone...");
    CHECK_STR_EQ(part("status")->variant, "dialing");
    CHECK_INT_EQ(wg_widget_media_failed(&w, WG_OWNER_CALL, WG_MEDIA_ERR_DENIED, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .error .number-input .dial");
    CHECK_STR_EQ(part("status")->text, "Call ended");
    CHECK_STR_EQ(part("error")->text,
                 "Microphone access was denied. Allow it in your browser to call.");
    CHECK_STR_EQ(part("dial")->text, "Call again");
}

static void test_call_flow(void)
{
    setup(WG_MODE_CALL, WG_LOCALE_EN, WG_HIDE_NEVER, "+15551234567", NULL);
    act(WG_ACT_TOGGLE, NULL);
    CHECK_STR_EQ(shape(), HEAD " .dial");
    CHECK_INT_EQ(act(WG_ACT_DIAL, NULL), 0);
    CHECK_INT_EQ(wg_widget_media_ready(&w, WG_OWNER_CALL, ++now), 0);
    CHECK(has_fx(WG_FX_HTTP_DIAL));
    CHECK_STR_EQ(shape(), HEAD " .mute");
    CHECK_STR_EQ(part("status")->text, "Calling...");
    const struct wg_node *mute = part("mute");
    CHECK_INT_EQ(mute->action, WG_ACT_MUTE);
    CHECK_INT_EQ(mute->pressed, 0);
    CHECK_STR_EQ(mute->text, "Mute");

    CHECK_INT_EQ(wg_widget_dial_ok(&w, "meet", "tx", "tok", false, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .mute .hangup audio");
    CHECK_STR_EQ(part("status")->text, "Waiting for an agent");
    const struct wg_node *a = part("audio");
    CHECK_INT_EQ(a->kind, WG_NODE_AUDIO);
    CHECK_INT_EQ(a->owner, WG_OWNER_CALL);
    CHECK_INT_EQ(a->parent, -1);
    CHECK_INT_EQ(part("hangup")->action, WG_ACT_HANGUP);
    CHECK_STR_EQ(part("hangup")->text, "Hang up");
    CHECK(part("hangup")->enabled);
    event(
        WG_OWNER_CALL,
        (struct wg_event){.kind = WG_EV_QUEUE, .position = 3, .queue_depth = 3, .est_wait_s = 200});
    CHECK_STR_EQ(shape(), HEAD " .queue .mute .hangup audio");
    CHECK_STR_EQ(part("queue")->text, "You are number 3 in line \xc2\xb7 About 4 min");
    state_event(WG_OWNER_CALL, WG_CS_RINGING, NULL);
    CHECK_STR_EQ(shape(), HEAD " .mute .hangup audio");
    CHECK_STR_EQ(part("status")->text, "Ringing...");

    joined(WG_OWNER_CALL, "Ann");
    state_event(WG_OWNER_CALL, WG_CS_CONNECTED, NULL);
    CHECK_STR_EQ(shape(), HEAD " .keypad ..key-1 ..key-2 ..key-3 ..key-4 ..key-5 ..key-6"
                               " ..key-7 ..key-8 ..key-9 ..key-star ..key-0 ..key-hash"
                               " .mute .hangup audio");
    CHECK_STR_EQ(part("status")->text, "On a call with Ann");
    CHECK_STR_EQ(part("keypad")->label, "Keypad");
    const struct wg_node *k = part("key-1");
    static const char keys[] = "123456789*0#";
    for (int i = 0; i < 12; i++) {
        CHECK_INT_EQ(k[i].action, WG_ACT_KEY);
        CHECK_INT_EQ(k[i].arg, keys[i]);
        CHECK_INT_EQ(k[i].text[0], keys[i]);
        CHECK_INT_EQ(k[i].text_len, 1);
        CHECK_INT_EQ(k[i].parent, index_of("keypad"));
    }
    CHECK_INT_EQ(act(WG_ACT_KEY, "5"), 0);
    CHECK_INT_EQ(act(WG_ACT_KEY, "#"), 0);
    CHECK_STR_EQ(part("key-star")->text, "*");
    shape();
    CHECK_STR_EQ(part("digits")->text, "Digits sent: 5#");
    CHECK_INT_EQ(index_of("digits"), 4); /* before the keypad */

    CHECK_INT_EQ(act(WG_ACT_MUTE, NULL), 0);
    shape();
    CHECK_INT_EQ(part("mute")->pressed, 1);
    CHECK_STR_EQ(part("mute")->text, "Unmute");

    /* The agent holds the call: said, and its audio node marked for muting. */
    CHECK_STR_EQ(part("audio")->variant, "");
    CHECK_INT_EQ(wg_widget_signal(&w, WG_OWNER_CALL, 90, WG_SIG_HOLD, "{}", 2, ++now), 1);
    shape();
    CHECK_STR_EQ(part("status")->text, "On hold");
    CHECK_STR_EQ(part("audio")->variant, "held");
    CHECK_INT_EQ(wg_widget_signal(&w, WG_OWNER_CALL, 91, WG_SIG_UNHOLD, "{}", 2, ++now), 1);
    shape();
    CHECK_STR_EQ(part("status")->text, "On a call with Ann");
    CHECK_STR_EQ(part("audio")->variant, "");

    /* Closing the panel keeps the call's audio. */
    act(WG_ACT_CLOSE, NULL);
    CHECK_STR_EQ(shape(), "launcher audio");
    act(WG_ACT_TOGGLE, NULL);

    CHECK_INT_EQ(act(WG_ACT_HANGUP, NULL), 0);
    shape();
    CHECK(!part("hangup")->enabled); /* pending */
    CHECK_INT_EQ(wg_widget_request_ok(&w, WG_FX_HTTP_HANGUP, ++now), 0);
    CHECK_STR_EQ(shape(), HEAD " .dial");
    CHECK_STR_EQ(part("status")->text, "You ended the conversation");
    CHECK_STR_EQ(part("dial")->text, "Call again");
}

static void test_call_ended_reasons(void)
{
    setup(WG_MODE_CALL, WG_LOCALE_EN, WG_HIDE_NEVER, "+15551234567", NULL);
    act(WG_ACT_DIAL, NULL);
    wg_widget_media_ready(&w, WG_OWNER_CALL, ++now);
    wg_widget_dial_ok(&w, "meet", "tx", "tok", false, ++now);
    state_event(WG_OWNER_CALL, WG_CS_ENDED, "no_agent");
    shape();
    CHECK_STR_EQ(part("status")->text, "No agent was available");
    act(WG_ACT_DIAL, NULL);
    wg_widget_media_ready(&w, WG_OWNER_CALL, ++now);
    wg_widget_dial_ok(&w, "meet", "tx", "tok", false, ++now);
    state_event(WG_OWNER_CALL, WG_CS_ENDED, "agent_rejected");
    shape();
    CHECK_STR_EQ(part("status")->text, "The agent could not take the call");
}

/* A call bridged to a phone: the number in the status, hang-up from the
 * answer on, the keypad when connected, the far end's reasons in words. */
static void bridged_call(enum wg_locale locale)
{
    setup(WG_MODE_CALL, locale, WG_HIDE_NEVER, "+15550100", NULL);
    act(WG_ACT_TOGGLE, NULL);
    act(WG_ACT_DIAL, NULL);
    wg_widget_media_ready(&w, WG_OWNER_CALL, ++now);
    CHECK_INT_EQ(wg_widget_dial_ok(&w, "meet", "tx", "tok", true, ++now), 0);
}

static void test_bridged_call(void)
{
    bridged_call(WG_LOCALE_EN);
    CHECK(has_fx(WG_FX_RTC_START));
    CHECK_STR_EQ(shape(), HEAD " .mute .hangup audio");
    CHECK_STR_EQ(part("status")->text, "Calling +15550100...");
    CHECK_STR_EQ(part("status")->variant, "dialing");
    state_event(WG_OWNER_CALL, WG_CS_DIALING, NULL);
    state_event(WG_OWNER_CALL, WG_CS_RINGING, NULL);
    shape();
    CHECK_STR_EQ(part("status")->text, "Ringing...");
    state_event(WG_OWNER_CALL, WG_CS_CONNECTED, NULL);
    CHECK_STR_EQ(shape(), HEAD " .keypad ..key-1 ..key-2 ..key-3 ..key-4 ..key-5 ..key-6"
                               " ..key-7 ..key-8 ..key-9 ..key-star ..key-0 ..key-hash"
                               " .mute .hangup audio");
    CHECK_STR_EQ(part("status")->text, "Connected to +15550100");

    static const struct {
        const char *reason;
        int sip;
        const char *en, *es;
    } cases[] = {
        {"far_end_hangup", 0, "The other side hung up", "La otra parte colg\xc3\xb3"},
        {"customer_hangup", 0, "You ended the conversation", "Finalizaste la conversaci\xc3\xb3n"},
        {"busy", 486, "The line is busy", "La l\xc3\xadnea est\xc3\xa1 ocupada"},
        {"declined", 603, "The call was declined", "La llamada fue rechazada"},
        {"no_answer", 0, "Nobody answered", "Nadie contest\xc3\xb3"},
        {"failed", 503, "The call could not be connected (SIP 503)",
         "No se pudo conectar la llamada (SIP 503)"},
        {"failed", 0, "The call could not be connected", "No se pudo conectar la llamada"},
        {"gateway_lost", 0, "The phone connection was lost",
         "Se perdi\xc3\xb3 la conexi\xc3\xb3n telef\xc3\xb3nica"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int es = 0; es < 2; es++) {
            bridged_call(es ? WG_LOCALE_ES : WG_LOCALE_EN);
            event(WG_OWNER_CALL, (struct wg_event){.kind = WG_EV_CONTACT_STATE,
                                                   .contact_state = WG_CS_ENDED,
                                                   .reason = cases[i].reason,
                                                   .sip_status = cases[i].sip});
            CHECK_STR_EQ(shape(), HEAD " .dial");
            CHECK_STR_EQ(part("status")->text, es ? cases[i].es : cases[i].en);
        }
    }
    bridged_call(WG_LOCALE_ES);
    shape();
    CHECK_STR_EQ(part("status")->text, "Llamando al +15550100...");
    state_event(WG_OWNER_CALL, WG_CS_CONNECTED, NULL);
    shape();
    CHECK_STR_EQ(part("status")->text, "Conectado con el +15550100");
}

static void test_null(void)
{
    CHECK_INT_EQ(wg_view_build(NULL, &v), WG_E_INVAL);
    CHECK_INT_EQ(wg_view_build(&w, NULL), WG_E_INVAL);
}

/* Every button has a role for the host's class hooks; other nodes none. */
static void test_button_tones(void)
{
    setup(WG_MODE_CHAT, WG_LOCALE_EN, WG_HIDE_NEVER, NULL, NULL);
    CHECK_INT_EQ(act(WG_ACT_START, NULL), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    shape();
    CHECK_STR_EQ(part("launcher")->tone, "primary");
    CHECK_STR_EQ(part("chat-send")->tone, "primary");
    CHECK_STR_EQ(part("chat-end")->tone, "danger");
    CHECK_STR_EQ(part("close")->tone, "close");
    CHECK_STR_EQ(part("chat-input")->tone, "");
    CHECK_STR_EQ(part("panel")->tone, "");
    setup(WG_MODE_CALL, WG_LOCALE_EN, WG_HIDE_NEVER, NULL, NULL);
    CHECK_INT_EQ(act(WG_ACT_DIAL, "+14155550100"), 0);
    shape();
    CHECK_STR_EQ(part("mute")->tone, "secondary");
}

int main(void)
{
    UNIT_RUN(test_button_tones);
    UNIT_RUN(test_chat_idle_closed_and_open);
    UNIT_RUN(test_chat_starting_waiting_queue);
    UNIT_RUN(test_queue_wait_int_max);
    UNIT_RUN(test_chat_messages_typing_reconnect);
    UNIT_RUN(test_chat_errors);
    UNIT_RUN(test_chat_reference_errors);
    UNIT_RUN(test_chat_ended);
    UNIT_RUN(test_chat_rating);
    UNIT_RUN(test_messages_omitted);
    UNIT_RUN(test_spanish_and_label);
    UNIT_RUN(test_capacity_grey);
    UNIT_RUN(test_capacity_away);
    UNIT_RUN(test_capacity_hide);
    UNIT_RUN(test_video_escalation);
    UNIT_RUN(test_video_microphone_denied);
    UNIT_RUN(test_video_mode);
    UNIT_RUN(test_call_without_number);
    UNIT_RUN(test_call_flow);
    UNIT_RUN(test_call_ended_reasons);
    UNIT_RUN(test_bridged_call);
    UNIT_RUN(test_null);
    return UNIT_DONE();
}
