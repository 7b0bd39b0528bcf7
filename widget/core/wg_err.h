/* wg_err.h - the error codes every wg_ function returns.
 *
 * The widget core never aborts: a function returns 0 (or a count) on success
 * and one of these negative codes on failure, so the JS bridge can map a code
 * to a message or a console warning without parsing text. */
#ifndef WG_ERR_H
#define WG_ERR_H

enum wg_err {
    WG_OK = 0,
    WG_E_INVAL = -1,    /* a NULL pointer or an argument out of range */
    WG_E_FULL = -2,     /* a fixed-capacity list has no room left */
    WG_E_TOO_BIG = -3,  /* one item can never fit (bigger than the whole store) */
    WG_E_EMPTY = -4,    /* text that is empty or only whitespace */
    WG_E_TOO_LONG = -5, /* text over the server's limit */
    WG_E_UTF8 = -6,     /* text that is not valid UTF-8, or holds a NUL byte */
    WG_E_STATE = -7,    /* the action makes no sense in the current state */
    WG_E_KEY = -8,      /* a DTMF key outside 0-9 * # A-D */
    WG_E_BUSY = -9      /* a previous request of the same kind is still in flight */
};

/* A stable, static, lowercase name for a code ("full", "utf8", ...); "unknown"
 * for anything else. Never NULL. */
const char *wg_err_name(int code);

#endif
