/* test_wg_conversation.c - the chat log as the view builds it: the lines
 * the chat writes itself (an agent joined, who ended the chat, an agent who
 * left) in English and Spanish, never doubled by a replay; timestamps in ms
 * for the bridge; consecutive messages of one sender grouped; the customer's
 * last message delivered, then read from the agent's read events (not the
 * customer's own, not for an unknown message, never going back); and the
 * http(s) links of a message as UTF-16 offsets, none in the chat's own
 * lines; a transfer to another agent (its line, and the status saying so
 * until the next agent joins). */
#include <string.h>

#include "unit.h"
#include "wg_err.h"
#include "wg_view.h"
#include "wg_widget.h"

static struct wg_widget w; /* large: static */
static struct wg_view v;
static int64_t now = 1700000000000;

static void event(struct wg_event ev)
{
    CHECK(wg_widget_event(&w, WG_OWNER_CHAT, &ev, ++now) >= 0);
}

/* A message from the server, at time t (ms). */
static void message(const char *id, int64_t seq, int64_t t, enum wg_role role, const char *name,
                    const char *text)
{
    struct wg_msg m = {id, seq, t, role, name, "text/plain", text, strlen(text)};
    event((struct wg_event){.kind = WG_EV_MESSAGE, .id = seq + 100, .message = m});
}

static void read_by(enum wg_role role, const char *message_id)
{
    event((struct wg_event){.kind = WG_EV_READ, .role = role, .message_id = message_id});
}

/* A chat widget in locale, CONNECTED, with Bob's joining as SSE event 7. */
static void connected(enum wg_locale locale)
{
    struct wg_widget_config cfg = {.mode = WG_MODE_CHAT, .locale = locale, .hide = WG_HIDE_NEVER};
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, now), 0);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_START, NULL, 0, ++now), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now);
    event((struct wg_event){.kind = WG_EV_PARTICIPANT_JOINED,
                            .id = 7,
                            .role = WG_ROLE_AGENT,
                            .display_name = "Bob"});
    event((struct wg_event){.kind = WG_EV_CONTACT_STATE, .id = 8, .contact_state = WG_CS_CONNECTED});
    wg_fx_clear(&w.fx);
}

/* The log's items, built afresh: the first, and how many. */
static const struct wg_node *items(size_t *count)
{
    wg_view_build(&w, &v);
    const struct wg_node *first = NULL;
    *count = 0;
    for (size_t i = 0; i < v.count; i++)
        if (v.nodes[i].kind == WG_NODE_ITEM) {
            if (!first)
                first = &v.nodes[i];
            (*count)++;
        }
    return first;
}

static void test_lines_of_the_chat(void)
{
    connected(WG_LOCALE_EN);
    size_t n;
    const struct wg_node *m = items(&n);
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(m[0].variant, "system");
    CHECK_STR_EQ(m[0].text, "Bob joined the chat");
    CHECK_STR_EQ(m[0].name, "");
    CHECK(m[0].time_ms >= 1700000000000);
    /* A reconnect replays the joining: no second line. */
    event((struct wg_event){.kind = WG_EV_PARTICIPANT_JOINED,
                            .id = 7,
                            .role = WG_ROLE_AGENT,
                            .display_name = "Bob"});
    message("m1", 1, now, WG_ROLE_AGENT, "Bob", "Hi");
    m = items(&n);
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(m[1].text, "Hi");

    struct {
        const char *reason, *line;
    } ends[] = {{"agent_ended", "Bob ended the chat"},
                {"agent_disconnected", "Bob left the chat"},
                {"customer_disconnected", "You ended the chat"},
                {"no_agent", "The chat ended"},
                {NULL, "The chat ended"}};
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
        connected(WG_LOCALE_EN);
        message("m1", 1, now, WG_ROLE_AGENT, "Bob", "Hi");
        event((struct wg_event){.kind = WG_EV_CONTACT_STATE,
                                .id = 20,
                                .contact_state = WG_CS_ENDED,
                                .reason = ends[i].reason});
        m = items(&n);
        CHECK_INT_EQ(n, 3);
        CHECK_STR_EQ(m[2].text, ends[i].line); /* after the last message */
        CHECK_STR_EQ(m[2].variant, "system");
        CHECK_INT_EQ(m[2].link_count, 0);
    }
    connected(WG_LOCALE_ES);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END, NULL, 0, ++now), 0);
    m = items(&n);
    CHECK_STR_EQ(m[0].text, "Bob se unió al chat");
    CHECK_STR_EQ(m[1].text, "Finalizaste el chat");
}

/* A line never sorts before a message it followed, even when the server's
 * clock is ahead of the time the bridge gives. */
static void test_line_after_a_message_from_the_future(void)
{
    connected(WG_LOCALE_EN);
    message("m1", 1, now + 3600000, WG_ROLE_AGENT, "Bob", "from ahead");
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END, NULL, 0, ++now), 0);
    size_t n;
    const struct wg_node *m = items(&n);
    CHECK_INT_EQ(n, 3);
    CHECK_STR_EQ(m[1].text, "from ahead");
    CHECK_STR_EQ(m[2].text, "You ended the chat");
}

/* The status line's text in the view just built. */
static const char *status_text(void)
{
    for (size_t i = 0; i < v.count; i++)
        if (strcmp(v.nodes[i].part, "status") == 0)
            return v.nodes[i].text;
    return NULL;
}

/* contact.transferring, QUEUED, the next agent joining (the server's order):
 * the status says so until that agent joins; the log keeps one line naming
 * the agent who handed the chat on, never doubled by a replay. */
static void test_transfer_to_another_agent(void)
{
    connected(WG_LOCALE_EN);
    message("m1", 1, now, WG_ROLE_AGENT, "Bob", "Let me hand you on");
    event((struct wg_event){.kind = WG_EV_TRANSFERRING, .id = 30});
    CHECK(w.chat.transferring);
    size_t n;
    const struct wg_node *m = items(&n);
    CHECK_STR_EQ(status_text(), "Transferring you to another agent...");
    CHECK_INT_EQ(n, 3);
    CHECK_STR_EQ(m[2].text, "Bob transferred the chat");
    CHECK_STR_EQ(m[2].variant, "system");
    event((struct wg_event){.kind = WG_EV_CONTACT_STATE, .id = 31, .contact_state = WG_CS_QUEUED});
    CHECK_INT_EQ(w.chat.ct.state, WG_CHAT_WAITING);
    m = items(&n);
    CHECK_STR_EQ(status_text(), "Transferring you to another agent...");
    event((struct wg_event){.kind = WG_EV_TRANSFERRING, .id = 30}); /* a replay */
    m = items(&n);
    CHECK_INT_EQ(n, 3);
    event((struct wg_event){.kind = WG_EV_PARTICIPANT_JOINED,
                            .id = 32,
                            .role = WG_ROLE_AGENT,
                            .display_name = "Carol"});
    CHECK(!w.chat.transferring);
    event(
        (struct wg_event){.kind = WG_EV_CONTACT_STATE, .id = 33, .contact_state = WG_CS_CONNECTED});
    m = items(&n);
    CHECK_STR_EQ(status_text(), "Chatting with Carol");
    CHECK_INT_EQ(n, 4);
    CHECK_STR_EQ(m[3].text, "Carol joined the chat");

    /* In Japanese, and the end of the chat clears it. */
    connected(WG_LOCALE_JA);
    event((struct wg_event){.kind = WG_EV_TRANSFERRING, .id = 30});
    m = items(&n);
    CHECK_STR_EQ(status_text(), "別の担当者におつなぎしています...");
    CHECK_STR_EQ(m[1].text, "Bobがチャットを転送しました");
    event((struct wg_event){.kind = WG_EV_CONTACT_STATE, .id = 34, .contact_state = WG_CS_ENDED});
    CHECK(!w.chat.transferring);
}

static void test_grouping_and_times(void)
{
    connected(WG_LOCALE_EN);
    int64_t t = now;
    message("m1", 1, t, WG_ROLE_AGENT, "Bob", "one");
    message("m2", 2, t + 1000, WG_ROLE_AGENT, "Bob", "two");
    message("m3", 3, t + 2000 + WG_VIEW_GROUP_MS, WG_ROLE_AGENT, "Bob", "later");
    message("m4", 4, t + 3000 + WG_VIEW_GROUP_MS, WG_ROLE_CUSTOMER, "", "me");
    message("m5", 5, t + 4000 + WG_VIEW_GROUP_MS, WG_ROLE_CUSTOMER, "", "me again");
    message("m6", 6, t + 5000 + WG_VIEW_GROUP_MS, WG_ROLE_AGENT, "Ann", "another agent");
    size_t n;
    const struct wg_node *m = items(&n) + 1; /* after the joining */
    CHECK_INT_EQ(n, 7);
    CHECK(!m[0].cont);
    CHECK_INT_EQ(m[0].time_ms, t);
    CHECK_STR_EQ(m[0].name, "Bob");
    CHECK(m[1].cont); /* same sender, a second later: no name, no time */
    CHECK_STR_EQ(m[1].name, "");
    CHECK_INT_EQ(m[1].time_ms, 0);
    CHECK(!m[2].cont); /* five minutes on: a new group */
    CHECK_INT_EQ(m[2].time_ms, t + 2000 + WG_VIEW_GROUP_MS);
    CHECK(!m[3].cont);
    CHECK_STR_EQ(m[3].name, "You");
    CHECK(m[4].cont);
    CHECK(!m[5].cont); /* another agent */
    CHECK_STR_EQ(m[5].name, "Ann");
}

static void test_delivered_then_read(void)
{
    connected(WG_LOCALE_EN);
    message("c1", 1, now, WG_ROLE_CUSTOMER, "", "first");
    message("a1", 2, now, WG_ROLE_AGENT, "Bob", "reply");
    message("c2", 3, now, WG_ROLE_CUSTOMER, "", "second");
    size_t n;
    const struct wg_node *m = items(&n);
    CHECK_STR_EQ(m[1].receipt, ""); /* only the last of mine */
    CHECK_STR_EQ(m[2].receipt, "");
    CHECK_STR_EQ(m[3].receipt, "delivered");
    CHECK_STR_EQ(m[3].label, "Delivered");
    read_by(WG_ROLE_AGENT, "c1");
    m = items(&n);
    CHECK_STR_EQ(m[3].receipt, "delivered"); /* an older one read: not this one */
    read_by(WG_ROLE_CUSTOMER, "c2");         /* our own echo */
    read_by(WG_ROLE_AGENT, "nope");          /* not held */
    read_by(WG_ROLE_AGENT, NULL);
    m = items(&n);
    CHECK_STR_EQ(m[3].receipt, "delivered");
    read_by(WG_ROLE_AGENT, "c2");
    m = items(&n);
    CHECK_STR_EQ(m[3].receipt, "read");
    CHECK_STR_EQ(m[3].label, "Read");
    read_by(WG_ROLE_AGENT, "c1"); /* a late receipt for an older one: stays read */
    m = items(&n);
    CHECK_STR_EQ(m[3].receipt, "read");
    message("c3", 4, now, WG_ROLE_CUSTOMER, "", "third");
    m = items(&n);
    CHECK_STR_EQ(m[3].receipt, "");
    CHECK_STR_EQ(m[4].receipt, "delivered");
    CHECK_INT_EQ(w.chat.read_seq, 3);
}

static void test_links_in_messages(void)
{
    connected(WG_LOCALE_EN);
    message("a1", 1, now, WG_ROLE_AGENT, "Bob",
            "caf\xc3\xa9 \xf0\x9f\x98\x80 https://example.com/a. javascript:alert(1) http://b.c");
    size_t n;
    const struct wg_node *m = items(&n);
    CHECK_INT_EQ(m[1].link_count, 2);
    CHECK_INT_EQ(m[1].links[0], 8); /* "café 😀 " is 8 UTF-16 units */
    CHECK_INT_EQ(m[1].links[1], 8 + 21);
    CHECK_INT_EQ(m[1].links[2], 8 + 21 + 22); /* ". javascript:alert(1) " */
    CHECK_INT_EQ(m[1].links[3], 8 + 21 + 22 + 10);
    CHECK_INT_EQ(m[0].link_count, 0);
}

int main(void)
{
    UNIT_RUN(test_lines_of_the_chat);
    UNIT_RUN(test_line_after_a_message_from_the_future);
    UNIT_RUN(test_transfer_to_another_agent);
    UNIT_RUN(test_grouping_and_times);
    UNIT_RUN(test_delivered_then_read);
    UNIT_RUN(test_links_in_messages);
    return UNIT_DONE();
}
