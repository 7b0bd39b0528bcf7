/* wg_err.c - names for the wg_err codes, for logs and console warnings. */
#include "wg_err.h"

const char *wg_err_name(int code)
{
    switch (code) {
    case WG_OK:
        return "ok";
    case WG_E_INVAL:
        return "inval";
    case WG_E_FULL:
        return "full";
    case WG_E_TOO_BIG:
        return "too_big";
    case WG_E_EMPTY:
        return "empty";
    case WG_E_TOO_LONG:
        return "too_long";
    case WG_E_UTF8:
        return "utf8";
    case WG_E_STATE:
        return "state";
    case WG_E_KEY:
        return "key";
    case WG_E_BUSY:
        return "busy";
    default:
        return "unknown";
    }
}
