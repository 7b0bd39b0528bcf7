/* test_wg_i18n.c - the text tables: every locale's table indexes (exactly
 * one non-empty text per code), its placeholders agree with English, known
 * texts sit at their codes (a shifted table would fail), a table with a
 * text missing or one too many is refused whole, unknown codes are "", and
 * the BCP 47 tags. */
#include <string.h>

#include "unit.h"
#include "wg_err.h"
#include "wg_i18n.h"

/* How many times "%s" occurs in s, and -1 when any other '%' does (the
 * view substitutes "%s" only, so a stray '%' would be shown verbatim). */
static int placeholders(const char *s)
{
    int n = 0;
    for (const char *p = strchr(s, '%'); p; p = strchr(p + 1, '%')) {
        if (p[1] != 's')
            return -1;
        n++;
    }
    return n;
}

static struct wg_texts texts_of(enum wg_locale locale)
{
    struct wg_texts t;
    memset(&t, 0, sizeof(t));
    size_t len = 0;
    const char *table = wg_i18n_builtin(locale, &len);
    CHECK(table != NULL);
    CHECK_INT_EQ(wg_texts_index(&t, table, len), WG_OK);
    return t;
}

static void test_every_locale_is_complete(void)
{
    struct wg_texts en = texts_of(WG_LOCALE_EN);
    for (int l = 0; l < WG_LOCALE_COUNT; l++) {
        struct wg_texts t = texts_of((enum wg_locale)l);
        for (int code = WG_T_NONE + 1; code < WG_T_COUNT; code++) {
            const char *s = wg_texts_get(&t, (enum wg_text)code);
            CHECK(s[0] != '\0');
            CHECK_INT_EQ(placeholders(s), placeholders(wg_texts_get(&en, (enum wg_text)code)));
        }
    }
    CHECK_INT_EQ(placeholders(wg_texts_get(&en, WG_T_CHAT_CONNECTED)), 1);
    CHECK_INT_EQ(placeholders(wg_texts_get(&en, WG_T_CHAT_WAITING)), 0);
}

/* Each table is one string in code order: a text missing from the middle
 * would shift every later one, so the first and last codes must still say
 * what they say. */
static void test_known_texts(void)
{
    static const char *const first[] = {"Call us",          "Llámanos",       "Appelez-nous",
                                        "Rufen Sie uns an", "Ligue para nós", "電話で問い合わせる"};
    static const char *const last[] = {"On hold",   "En espera", "En attente",
                                       "In der Warteschleife", "Em espera", "保留中です"};
    for (int l = 0; l < WG_LOCALE_COUNT; l++) {
        struct wg_texts t = texts_of((enum wg_locale)l);
        CHECK_STR_EQ(wg_texts_get(&t, WG_T_LAUNCH_CALL), first[l]);
        CHECK_STR_EQ(wg_texts_get(&t, WG_T_COUNT - 1), last[l]);
    }
    struct wg_texts es = texts_of(WG_LOCALE_ES);
    CHECK_STR_EQ(wg_texts_get(&es, WG_T_BTN_SEND), "Enviar");
}

static void test_bad_tables_are_refused(void)
{
    struct wg_texts t = texts_of(WG_LOCALE_EN);
    size_t len = 0;
    const char *table = wg_i18n_builtin(WG_LOCALE_DE, &len);
    static char buf[8192];
    CHECK(len + 8 < sizeof(buf));
    /* One text too many, one too few, an empty one, no final NUL. */
    memcpy(buf, table, len);
    memcpy(buf + len, "extra", 6);
    CHECK_INT_EQ(wg_texts_index(&t, buf, len + 6), WG_E_INVAL);
    size_t cut = len - strlen(wg_texts_get(&t, WG_T_COUNT - 1)) - 1;
    CHECK_INT_EQ(wg_texts_index(&t, table, cut), WG_E_INVAL);
    memcpy(buf, "\0", 1);
    memcpy(buf + 1, table, len);
    CHECK_INT_EQ(wg_texts_index(&t, buf, len + 1), WG_E_INVAL);
    CHECK_INT_EQ(wg_texts_index(&t, table, len - 1), WG_E_INVAL);
    CHECK_INT_EQ(wg_texts_index(&t, "\xff\0", 2), WG_E_INVAL);
    CHECK_INT_EQ(wg_texts_index(&t, NULL, 0), WG_E_INVAL);
    /* Refused whole: t still holds English. */
    CHECK_STR_EQ(wg_texts_get(&t, WG_T_BTN_SEND), "Send");
}

static void test_unknown_codes(void)
{
    struct wg_texts t = texts_of(WG_LOCALE_EN);
    CHECK_STR_EQ(wg_texts_get(&t, WG_T_NONE), "");
    CHECK_STR_EQ(wg_texts_get(&t, WG_T_COUNT), "");
    CHECK_STR_EQ(wg_texts_get(&t, (enum wg_text)(WG_T_COUNT + 7)), "");
    CHECK_STR_EQ(wg_texts_get(&t, (enum wg_text) - 1), "");
    struct wg_texts none;
    memset(&none, 0, sizeof(none));
    CHECK_STR_EQ(wg_texts_get(&none, WG_T_BTN_SEND), "");
    CHECK_STR_EQ(wg_texts_get(NULL, WG_T_BTN_SEND), "");
    size_t len = 9;
    CHECK(wg_i18n_builtin(WG_LOCALE_COUNT, &len) == NULL);
    CHECK_INT_EQ(len, 0);
}

static void test_tags(void)
{
    static const char *const tags[] = {"en", "es", "fr", "de", "pt", "ja"};
    for (int l = 0; l < WG_LOCALE_COUNT; l++)
        CHECK_STR_EQ(wg_i18n_tag((enum wg_locale)l), tags[l]);
    CHECK_STR_EQ(wg_i18n_tag(WG_LOCALE_COUNT), "en");
}

int main(void)
{
    UNIT_RUN(test_every_locale_is_complete);
    UNIT_RUN(test_known_texts);
    UNIT_RUN(test_bad_tables_are_refused);
    UNIT_RUN(test_unknown_codes);
    UNIT_RUN(test_tags);
    return UNIT_DONE();
}
