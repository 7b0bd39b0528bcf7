/* fx_str.h - the widget core tests' view of an effect list: the pending
 * effects as one compact string, so that a test asserts the exact kinds,
 * owners, args and texts, in order, with one CHECK_STR_EQ.
 *
 * Each effect is `kind[@owner][(arg)][:text]` (wg_fx_kind_name,
 * wg_owner_name), space-separated: the owner is left out when it is the
 * test's `home` owner, the arg when 0, the text when empty; texts over 48
 * bytes are cut and end with "...". E.g. "notify_state:waiting
 * store_active(1) sse_open rtc_bye@video". */
#ifndef C2C_TESTS_FX_STR_H
#define C2C_TESTS_FX_STR_H

#include <stdio.h>

#include "wg_fx.h"

/* The string (static, overwritten by the next call); the list is cleared. */
static const char *fx_str(struct wg_fx_list *l, enum wg_owner home)
{
    static char buf[4096];
    size_t pos = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->count && pos < sizeof(buf); i++) {
        const struct wg_fx *e = &l->items[i];
        pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%s%s", i ? " " : "",
                                wg_fx_kind_name(e->kind));
        if (e->owner != home && pos < sizeof(buf))
            pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "@%s", wg_owner_name(e->owner));
        if (e->arg && pos < sizeof(buf))
            pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "(%lld)", (long long)e->arg);
        if (e->text_len && pos < sizeof(buf))
            pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, ":%.*s%s",
                                    (int)(e->text_len > 48 ? 48 : e->text_len), e->text,
                                    e->text_len > 48 ? "..." : "");
    }
    wg_fx_clear(l);
    return buf;
}

#endif
