/* wg_i18n.c - the widget's texts, looked up in a locale's table (see
 * wg_i18n.h; the tables themselves are widget/locales/wg_i18n_tables.c). */
#include "wg_i18n.h"

#include <string.h>

#include "c2c_utf8.h"
#include "wg_err.h"

static const char *const tags[WG_LOCALE_COUNT] = {
    [WG_LOCALE_EN] = "en", [WG_LOCALE_ES] = "es", [WG_LOCALE_FR] = "fr",
    [WG_LOCALE_DE] = "de", [WG_LOCALE_PT] = "pt", [WG_LOCALE_JA] = "ja",
};

int wg_texts_index(struct wg_texts *t, const char *table, size_t len)
{
    if (!t || !table || !len || table[len - 1] != '\0' || !c2c_utf8_valid(table, len))
        return WG_E_INVAL;
    struct wg_texts n = {.table = table};
    size_t at = 0;
    for (int code = WG_T_NONE + 1; code < WG_T_COUNT; code++) {
        if (at >= len || !table[at] || at > UINT16_MAX)
            return WG_E_INVAL; /* too few texts, or an empty one */
        n.at[code] = (uint16_t)at;
        at += strlen(table + at) + 1;
    }
    if (at != len)
        return WG_E_INVAL; /* more texts than codes */
    *t = n;
    return WG_OK;
}

const char *wg_texts_get(const struct wg_texts *t, enum wg_text code)
{
    if (!t || !t->table || (unsigned)code <= WG_T_NONE || (unsigned)code >= WG_T_COUNT)
        return "";
    return t->table + t->at[code];
}

const char *wg_i18n_tag(enum wg_locale locale)
{
    if ((unsigned)locale >= WG_LOCALE_COUNT)
        return tags[WG_LOCALE_EN];
    return tags[locale];
}
