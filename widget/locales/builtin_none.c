/* builtin_none.c - the wasm build's wg_i18n_builtin: no table is compiled
 * in (the bridge fetches the page's locale and hands it to the widget with
 * c2c_locale), so widget/build.sh links this instead of wg_i18n_tables.c. */
#include <stddef.h>

#include "wg_i18n.h"

const char *wg_i18n_builtin(enum wg_locale locale, size_t *len)
{
    (void)locale;
    *len = 0;
    return NULL;
}
