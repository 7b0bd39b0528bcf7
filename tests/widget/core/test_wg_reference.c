/* test_wg_reference.c - the page URL's reference code: offered only as 8
 * digits, to a chat mode with no chat under way (the panel opens, focus on
 * the offer); starting with it sends the code and confirms "Code accepted"
 * while the chat waits or runs, a plain start confirms nothing; with the
 * issuing agent's name from the answer, "connecting you to <name>" until
 * the agent joins; the code form's visible label and its digits-only
 * input. */
#include <string.h>

#include "ev_state.h"
#include "unit.h"
#include "wg_err.h"
#include "wg_view.h"
#include "wg_widget.h"

static struct wg_widget w; /* large: static */
static struct wg_view v;
static int64_t now = 1000;

static void setup(enum wg_mode mode)
{
    struct wg_widget_config cfg = {.mode = mode, .locale = WG_LOCALE_EN};
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, now), 0);
    wg_fx_clear(&w.fx);
}

static const struct wg_node *shown(const char *part)
{
    wg_view_build(&w, &v);
    for (size_t i = 0; i < v.count; i++)
        if (strcmp(v.nodes[i].part, part) == 0)
            return &v.nodes[i];
    return NULL;
}

static int offer(const char *code)
{
    return wg_widget_offer_reference(&w, code, strlen(code));
}

static void test_offer(void)
{
    setup(WG_MODE_CHAT);
    CHECK_INT_EQ(offer("1234567"), WG_E_INVAL);
    CHECK_INT_EQ(offer("1234567a"), WG_E_INVAL);
    CHECK_INT_EQ(offer("123456789"), WG_E_INVAL);
    CHECK(!w.open);
    CHECK_INT_EQ(wg_widget_offer_reference(NULL, "12345678", 8), WG_E_INVAL);
    CHECK_INT_EQ(offer("12345678"), 0);
    CHECK(w.open);
    CHECK_STR_EQ(w.focus, "ref-accept");
    CHECK_STR_EQ(shown("ref-offer")->text, "Start with your reference code 12345678?");
    CHECK_INT_EQ(shown("ref-accept")->action, WG_ACT_REFERENCE_OFFERED);
    CHECK_STR_EQ(shown("ref-accept")->tone, "primary");
    CHECK(shown("ref-accepted") == NULL);

    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_REFERENCE_OFFERED, NULL, 0, ++now), 0);
    const struct wg_fx *start = NULL;
    for (size_t i = 0; i < w.fx.count; i++)
        if (w.fx.items[i].kind == WG_FX_HTTP_START)
            start = &w.fx.items[i];
    CHECK(start != NULL);
    CHECK_STR_EQ(start ? start->text : "", "12345678");
    CHECK_STR_EQ(w.focus, "chat-input");
    CHECK(shown("ref-offer") == NULL);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_STR_EQ(shown("ref-accepted")->text, "Code accepted");
    /* Under way: no other offer; the offered code is spent. */
    CHECK_INT_EQ(offer("87654321"), WG_E_STATE);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END, NULL, 0, ++now), 0);
    CHECK(shown("ref-accepted") == NULL);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_REFERENCE_OFFERED, NULL, 0, ++now), WG_E_STATE);
    /* A plain start confirms no code. */
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_START, NULL, 0, ++now), 0);
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK(shown("ref-accepted") == NULL);
    /* Calls take no codes. */
    setup(WG_MODE_CALL);
    CHECK_INT_EQ(offer("12345678"), WG_E_STATE);
}

static void test_agent_name(void)
{
    setup(WG_MODE_CHAT);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_REFERENCE, "12345678", 8, ++now), 0);
    wg_widget_ref_agent(&w, "Bob Agent");
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_STR_EQ(shown("ref-accepted")->text, "Code accepted, connecting you to Bob Agent");
    CHECK_INT_EQ(wg_widget_stream_open(&w, WG_OWNER_CHAT, ++now), 0);
    struct wg_event e = ev_state(1, WG_CS_CONNECTED, NULL);
    CHECK(wg_widget_event(&w, WG_OWNER_CHAT, &e, ++now) >= 0);
    CHECK_STR_EQ(shown("ref-accepted")->text, "Code accepted"); /* the agent has joined */
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_END, NULL, 0, ++now), 0);
    /* A plain start ignores a name, and a new code forgets the last one. */
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_START, NULL, 0, ++now), 0);
    wg_widget_ref_agent(&w, "Bob Agent");
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK(shown("ref-accepted") == NULL);
    CHECK_STR_EQ(w.ref_agent, "");
    /* Unknown (""): the plain confirmation; another locale fills the name in. */
    setup(WG_MODE_CHAT);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_REFERENCE, "12345678", 8, ++now), 0);
    wg_widget_ref_agent(&w, "");
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_STR_EQ(shown("ref-accepted")->text, "Code accepted");
    struct wg_widget_config cfg = {.mode = WG_MODE_CHAT, .locale = WG_LOCALE_DE};
    CHECK_INT_EQ(wg_widget_init(&w, &cfg, now), 0);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_REFERENCE, "12345678", 8, ++now), 0);
    wg_widget_ref_agent(&w, "Ana");
    CHECK_INT_EQ(wg_widget_start_ok(&w, false, ++now), 0);
    CHECK_STR_EQ(shown("ref-accepted")->text, "Code akzeptiert, Sie werden mit Ana verbunden");
}

static void test_form(void)
{
    setup(WG_MODE_CHAT);
    CHECK_INT_EQ(wg_widget_action(&w, WG_ACT_TOGGLE, NULL, 0, ++now), 0);
    const struct wg_node *label = shown("reference-label");
    CHECK(label != NULL);
    CHECK_STR_EQ(label->text, "Have a reference code?");
    CHECK_INT_EQ(label->kind, WG_NODE_TEXT);
    const struct wg_node *in = shown("reference-input");
    CHECK_STR_EQ(in->variant, "digits");
    CHECK_INT_EQ(in->max_len, 8);
    CHECK(in->numeric);
}

int main(void)
{
    UNIT_RUN(test_offer);
    UNIT_RUN(test_agent_name);
    UNIT_RUN(test_form);
    return UNIT_DONE();
}
