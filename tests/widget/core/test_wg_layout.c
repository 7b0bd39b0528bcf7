/* test_wg_layout.c - the floating layout as the core decides it: the
 * panel's stored state restored for a floating widget only, the header
 * (title, status, expected wait, close), the unread count of the agent's
 * live messages while the panel is closed (on the launcher's label and in
 * its badge; cleared on opening; a replay or the customer's own message
 * never counts); and ending a chat only once the customer confirms (the
 * question, its answers, their focus). */
#include <string.h>

#include "unit.h"
#include "wg_err.h"
#include "wg_view.h"
#include "wg_widget.h"

static struct wg_widget w; /* large: static */
static struct wg_view v;
static int64_t now = 1700000000000;

static void setup(bool floating, bool open)
{
    struct wg_widget_config cfg = {.mode = WG_MODE_CHAT, .locale = WG_LOCALE_EN};
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, now), 0);
    CHECK_INT_EQ(wg_widget_layout(&w, floating, open), 0);
}

static const struct wg_node *shown(const char *part)
{
    wg_view_build(&w, &v);
    for (size_t i = 0; i < v.count; i++)
        if (strcmp(v.nodes[i].part, part) == 0)
            return &v.nodes[i];
    return NULL;
}

static void event(struct wg_event ev)
{
    CHECK(wg_widget_event(&w, WG_OWNER_CHAT, &ev, ++now) >= 0);
}

static void message(const char *id, int64_t seq, enum wg_role role, const char *text)
{
    struct wg_msg m = {id, seq, now, role, "Bob", "text/plain", text, strlen(text)};
    event((struct wg_event){.kind = WG_EV_MESSAGE, .id = seq + 100, .message = m});
}

static void test_open_state_restored_when_floating(void)
{
    setup(true, true);
    CHECK(w.open);
    CHECK(shown("panel") != NULL);
    setup(false, true); /* inline starts closed, as before */
    CHECK(!w.open);
    CHECK(shown("panel") == NULL);
    setup(true, false);
    CHECK(!w.open);
    CHECK_INT_EQ(wg_widget_layout(NULL, true, true), WG_E_INVAL);
}

static void test_header(void)
{
    setup(true, true);
    const struct wg_node *h = shown("header");
    CHECK(h != NULL);
    int hi = (int)(h - v.nodes);
    const struct wg_node *t = shown("title");
    CHECK(t && t->parent == hi);
    CHECK_STR_EQ(t ? t->text : "", "Chat with us");
    const struct wg_node *c = shown("close");
    CHECK(c && c->parent == hi);
    const struct wg_node *s = shown("status");
    CHECK(s && s->parent == hi);
    /* Waiting: the queue and the expected wait are the header's subtitle. */
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_START, NULL, 0, ++now), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now);
    event((struct wg_event){
        .kind = WG_EV_QUEUE, .id = 5, .position = 2, .queue_depth = 3, .est_wait_s = 120});
    const struct wg_node *q = shown("queue");
    CHECK(q && q->parent == hi);
    CHECK_STR_EQ(q ? q->text : "", "You are number 2 in line · About 2 min");
    /* Inline has no header. */
    setup(false, false);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_TOGGLE, NULL, 0, ++now), 0);
    CHECK(shown("header") == NULL);
    CHECK(shown("title") == NULL);
}

static void test_unread(void)
{
    setup(true, false);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_START, NULL, 0, ++now), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_CLOSE, NULL, 0, ++now), 0);
    message("m1", 1, WG_ROLE_AGENT, "Hi");
    message("m2", 2, WG_ROLE_CUSTOMER, "Hello"); /* the customer's own: not unread */
    message("m3", 3, WG_ROLE_AGENT, "How can I help?");
    message("m3", 3, WG_ROLE_AGENT, "How can I help?"); /* a replay */
    CHECK_INT_EQ(w.unread, 2);
    const struct wg_node *badge = shown("unread");
    CHECK(badge && badge->parent == -1);
    CHECK_STR_EQ(badge ? badge->text : "", "2");
    CHECK_STR_EQ(shown("launcher")->label, "Chat with us (2 unread)");
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_TOGGLE, NULL, 0, ++now), 0);
    CHECK_INT_EQ(w.unread, 0);
    CHECK(shown("unread") == NULL);
    CHECK_STR_EQ(shown("launcher")->label, "");
    /* Open: nothing counts. */
    message("m4", 4, WG_ROLE_AGENT, "Still there?");
    CHECK_INT_EQ(w.unread, 0);
    /* Inline widgets count too but never show a badge. */
    setup(false, false);
    CHECK(shown("unread") == NULL);
}

static void test_end_confirm(void)
{
    setup(false, false);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END_ASK, NULL, 0, ++now), WG_E_STATE); /* no chat */
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_START, NULL, 0, ++now), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now);
    CHECK_INT_EQ(shown("chat-end")->action, WG_ACT_END_ASK);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END_ASK, NULL, 0, ++now), 0);
    CHECK_STR_EQ(w.focus, "end-no");
    CHECK(shown("chat-end") == NULL);
    CHECK_STR_EQ(shown("end-question")->text, "End this chat?");
    CHECK_STR_EQ(shown("end-yes")->tone, "danger");
    CHECK_INT_EQ(shown("end-yes")->action, WG_ACT_END);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END_CANCEL, NULL, 0, ++now), 0);
    CHECK_STR_EQ(w.focus, "chat-input");
    CHECK(shown("end-yes") == NULL);
    CHECK(shown("chat-end") != NULL);
    CHECK_STR_EQ(wg_widget_state_name(&w), "waiting"); /* nothing ended */
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END_ASK, NULL, 0, ++now), 0);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END, NULL, 0, ++now), 0);
    CHECK_STR_EQ(wg_widget_state_name(&w), "ended");
    CHECK(shown("end-question") == NULL);
    CHECK_STR_EQ(w.focus, "chat-start");
}

int main(void)
{
    UNIT_RUN(test_end_confirm);
    UNIT_RUN(test_open_state_restored_when_floating);
    UNIT_RUN(test_header);
    UNIT_RUN(test_unread);
    return UNIT_DONE();
}
