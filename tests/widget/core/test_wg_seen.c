/* test_wg_seen.c - the "New messages" marker after a reload, decided by the
 * core: the Id stored before the reload (wg_widget_seen_stored) puts one
 * marker before the first message newer than it, and none when nothing is
 * newer or nothing was stored; it goes away once the customer has seen the
 * messages (sends, or the panel is open and focus is in the widget), which
 * also asks the bridge to store the newest Id (STORE_SEEN). */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "wg_err.h"
#include "wg_view.h"
#include "wg_widget.h"

static struct wg_widget w; /* large: static */
static struct wg_view v;
static int64_t now = 1700000000000;

static struct wg_msg msg(const char *id, int64_t seq, enum wg_role role, const char *text)
{
    return (struct wg_msg){
        id,           seq,  now + seq,   role, role == WG_ROLE_AGENT ? "Bob" : "Ann",
        "text/plain", text, strlen(text)};
}

/* A chat resumed after a reload with `stored` as the stored Id, its
 * transcript m1 (agent), m2 (customer), m3 (agent), m4 (agent); the panel
 * open (a resume opens it) and focus elsewhere. */
static void reloaded(const char *stored, enum wg_locale locale)
{
    struct wg_widget_config cfg = {
        .mode = WG_MODE_CHAT, .locale = locale, .hide = WG_HIDE_NEVER, .resume = true};
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, now), 0);
    wg_widget_seen_stored(&w, stored, stored ? strlen(stored) : 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, true, ++now), 0);
    struct wg_msg page[] = {msg("m1", 1, WG_ROLE_AGENT, "Hello"),
                            msg("m2", 2, WG_ROLE_CUSTOMER, "Hi"),
                            msg("m3", 3, WG_ROLE_AGENT, "Your order shipped"),
                            msg("m4", 4, WG_ROLE_AGENT, "Anything else?")};
    CHECK_INT_EQ(wg_widget_transcript_page(&w, page, 4, false, ++now), 4);
    wg_fx_clear(&w.fx);
}

/* The log's parts in order, joined: "message:Hello|new-messages|..." */
static const char *log_parts(void)
{
    static char out[512];
    size_t n = 0;
    wg_view_build(&w, &v);
    out[0] = '\0';
    for (size_t i = 0; i < v.count; i++) {
        const struct wg_node *x = &v.nodes[i];
        if (x->parent < 0 || strcmp(v.nodes[x->parent].part, "chat-log") != 0)
            continue;
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s", n ? "|" : "",
                              strcmp(x->part, "message") == 0 ? x->text : x->part);
    }
    return out;
}

/* The Id of the last STORE_SEEN pushed, "" when none. */
static const char *stored_id(void)
{
    const char *id = "";
    for (size_t i = 0; i < w.fx.count; i++)
        if (w.fx.items[i].kind == WG_FX_STORE_SEEN)
            id = w.fx.items[i].text;
    return id;
}

static void test_marker_before_the_first_unseen(void)
{
    reloaded("m2", WG_LOCALE_EN);
    CHECK(w.open);
    CHECK_STR_EQ(log_parts(), "Hello|Hi|new-messages|Your order shipped|Anything else?");
    for (size_t i = 0; i < v.count; i++)
        if (strcmp(v.nodes[i].part, "new-messages") == 0)
            CHECK_STR_EQ(v.nodes[i].text, "New messages");
    CHECK_STR_EQ(stored_id(), ""); /* not seen yet: nothing stored */
    /* A new message while focus is elsewhere: the marker stays where it was. */
    struct wg_event ev = {
        .kind = WG_EV_MESSAGE, .id = 50, .message = msg("m5", 5, WG_ROLE_AGENT, "Hello?")};
    CHECK_INT_EQ(wg_widget_event(&w, WG_OWNER_CHAT, &ev, ++now), 1);
    CHECK_STR_EQ(log_parts(), "Hello|Hi|new-messages|Your order shipped|Anything else?|Hello?");
    /* Focus into the open panel: seen; the marker goes, m5 is stored. */
    CHECK_INT_EQ(wg_widget_focus(&w, true, ++now), 1);
    CHECK_STR_EQ(log_parts(), "Hello|Hi|Your order shipped|Anything else?|Hello?");
    CHECK_STR_EQ(stored_id(), "m5");
    /* Messages that come while looking are stored as they come. */
    wg_fx_clear(&w.fx);
    ev.message = msg("m6", 6, WG_ROLE_AGENT, "Still there?");
    wg_widget_event(&w, WG_OWNER_CHAT, &ev, ++now);
    CHECK_STR_EQ(stored_id(), "m6");
    CHECK(strstr(log_parts(), "new-messages") == NULL);
}

static void test_none_when_all_seen_or_nothing_stored(void)
{
    reloaded("m4", WG_LOCALE_EN);
    CHECK_STR_EQ(log_parts(), "Hello|Hi|Your order shipped|Anything else?");
    reloaded(NULL, WG_LOCALE_EN); /* a chat never seen here: no marker */
    CHECK_STR_EQ(log_parts(), "Hello|Hi|Your order shipped|Anything else?");
    reloaded("not-held", WG_LOCALE_EN);
    CHECK_STR_EQ(log_parts(), "Hello|Hi|Your order shipped|Anything else?");
}

/* Sending is seeing; a closed panel with focus in the widget (the
 * launcher) is not. */
static void test_send_clears_and_a_closed_panel_does_not(void)
{
    reloaded("m1", WG_LOCALE_DE);
    CHECK_STR_EQ(log_parts(), "Hello|new-messages|Hi|Your order shipped|Anything else?");
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_CLOSE, NULL, 0, ++now), 0);
    CHECK_INT_EQ(wg_widget_focus(&w, true, ++now), 0);
    CHECK_STR_EQ(stored_id(), "");
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_TOGGLE, NULL, 0, ++now), 0);
    CHECK_STR_EQ(log_parts(), "Hello|Hi|Your order shipped|Anything else?"); /* open and focused */
    CHECK_STR_EQ(stored_id(), "m4");

    reloaded("m1", WG_LOCALE_DE);
    for (size_t i = 0; i < v.count; i++)
        if (strcmp(v.nodes[i].part, "new-messages") == 0)
            CHECK_STR_EQ(v.nodes[i].text, "Neue Nachrichten");
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_SEND, "thanks", 6, ++now), 0);
    CHECK_STR_EQ(stored_id(), "m4");
    CHECK(strstr(log_parts(), "new-messages") == NULL);
}

int main(void)
{
    UNIT_RUN(test_marker_before_the_first_unseen);
    UNIT_RUN(test_none_when_all_seen_or_nothing_stored);
    UNIT_RUN(test_send_clears_and_a_closed_panel_does_not);
    return UNIT_DONE();
}
