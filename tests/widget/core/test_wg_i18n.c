/* test_wg_i18n.c - the text tables: every code has an English and a Spanish
 * text, placeholders agree between the two, unknown codes and locales fall
 * back as documented, and the BCP 47 tags. */
#include <string.h>

#include "unit.h"
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

static void test_every_code_has_both_texts(void)
{
    for (int code = WG_T_NONE + 1; code < WG_T_COUNT; code++) {
        const char *en = wg_i18n_text(WG_LOCALE_EN, (enum wg_text)code);
        const char *es = wg_i18n_text(WG_LOCALE_ES, (enum wg_text)code);
        if (!en[0] || !es[0])
            fprintf(stderr, "  code %d lacks a text\n", code);
        CHECK(en[0] != '\0');
        CHECK(es[0] != '\0');
        /* A missing Spanish slot would silently show English: catch it. */
        if (code != WG_T_CLOSE && strcmp(en, es) == 0)
            fprintf(stderr, "  note: code %d is the same in both: %s\n", code, en);
    }
}

static void test_placeholders_match(void)
{
    for (int code = WG_T_NONE + 1; code < WG_T_COUNT; code++) {
        const char *en = wg_i18n_text(WG_LOCALE_EN, (enum wg_text)code);
        const char *es = wg_i18n_text(WG_LOCALE_ES, (enum wg_text)code);
        int pe = placeholders(en), ps = placeholders(es);
        if (pe != ps || pe < 0 || pe > 1)
            fprintf(stderr, "  code %d: \"%s\" / \"%s\"\n", code, en, es);
        CHECK(pe >= 0 && pe <= 1);
        CHECK_INT_EQ(pe, ps);
    }
    CHECK_INT_EQ(placeholders(wg_i18n_text(WG_LOCALE_EN, WG_T_CHAT_CONNECTED)), 1);
    CHECK_INT_EQ(placeholders(wg_i18n_text(WG_LOCALE_EN, WG_T_QUEUE)), 1);
    CHECK_INT_EQ(placeholders(wg_i18n_text(WG_LOCALE_EN, WG_T_CHAT_WAITING)), 0);
}

static void test_known_texts(void)
{
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_EN, WG_T_LAUNCH_CHAT), "Chat with us");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_EN, WG_T_YOU), "You");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_EN, WG_T_VIDEO_OFFER_SCREEN),
                 "%s invites you to a video call and will share their screen");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_ES, WG_T_BTN_SEND), "Enviar");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_ES, WG_T_BTN_HANGUP), "Colgar");
}

static void test_unknown_codes_and_locales(void)
{
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_EN, WG_T_NONE), "");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_ES, WG_T_NONE), "");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_EN, WG_T_COUNT), "");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_ES, (enum wg_text)(WG_T_COUNT + 7)), "");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_EN, (enum wg_text) - 1), "");
    /* An unknown locale falls back to English. */
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_COUNT, WG_T_BTN_SEND), "Send");
    CHECK_STR_EQ(wg_i18n_text((enum wg_locale) - 3, WG_T_BTN_SEND), "Send");
}

/* Each locale's table is one string in code order: a text missing from
 * the middle would shift every later one, so the last code must still say
 * what it says. */
static void test_tables_are_not_shifted(void)
{
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_EN, WG_T_COUNT - 1), "Thank you for your feedback");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_ES, WG_T_COUNT - 1), "Gracias por tu opinión");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_EN, WG_T_LAUNCH_CALL), "Call us");
    CHECK_STR_EQ(wg_i18n_text(WG_LOCALE_ES, WG_T_LAUNCH_CALL), "Llámanos");
}

static void test_tags(void)
{
    CHECK_STR_EQ(wg_i18n_tag(WG_LOCALE_EN), "en");
    CHECK_STR_EQ(wg_i18n_tag(WG_LOCALE_ES), "es");
    CHECK_STR_EQ(wg_i18n_tag(WG_LOCALE_COUNT), "en");
}

int main(void)
{
    UNIT_RUN(test_every_code_has_both_texts);
    UNIT_RUN(test_placeholders_match);
    UNIT_RUN(test_known_texts);
    UNIT_RUN(test_unknown_codes_and_locales);
    UNIT_RUN(test_tags);
    UNIT_RUN(test_tables_are_not_shifted);
    return UNIT_DONE();
}
