/* wg_render.h - what the widget shows, decided in C.
 *
 * From the chat context (and its transcript) this builds a flat, bounded
 * list of render commands, like microui's command list; the JS bridge maps
 * each to DOM (classes c2c-..., data-c2c-part) and never decides anything
 * itself. No strings are allocated: every text points to static English
 * text, into the chat context or into the transcript, and stays valid until
 * the next input to that chat. Each static text also has a stable `code` so
 * the bridge can translate it (data-locale). */
#ifndef WG_RENDER_H
#define WG_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_chat.h"

#define WG_RENDER_MAX 64 /* commands per frame; messages fill what is left */

enum wg_rcmd_kind {
    WG_RC_STATUS = 1,  /* code/text; name = agent (CONNECTED) or reason (ENDED) */
    WG_RC_QUEUE,       /* position, depth, wait_s */
    WG_RC_ERROR,       /* code/text for the last failed request */
    WG_RC_CONNECTION,  /* code/text: the stream is reconnecting */
    WG_RC_MESSAGE,     /* role, name, text/text_len, id */
    WG_RC_TYPING,      /* name */
    WG_RC_VIDEO_OFFER, /* name, enabled = screen share offered */
    WG_RC_INPUT,       /* enabled */
    WG_RC_BUTTON       /* code/text = label, action, enabled */
};

enum wg_action { WG_ACT_NONE = 0, WG_ACT_START, WG_ACT_SEND, WG_ACT_END };

/* Stable text codes (for translation), with English text alongside. */
enum wg_text_code {
    WG_TXT_NONE = 0,
    WG_TXT_IDLE,         /* "Chat with us" */
    WG_TXT_STARTING,     /* "Starting chat..." */
    WG_TXT_WAITING,      /* "Waiting for an agent" */
    WG_TXT_CONNECTED,    /* "Connected" */
    WG_TXT_ENDED,        /* "Chat ended" */
    WG_TXT_RECONNECTING, /* "Reconnecting..." */
    WG_TXT_ERR_AUTH,     /* "Please sign in again" */
    WG_TXT_ERR_NETWORK,  /* "Network problem, please try again" */
    WG_TXT_ERR_SERVER,   /* "Something went wrong, please try again" */
    WG_TXT_ERR_REJECTED, /* "The request was refused" */
    WG_TXT_ERR_ENDED,    /* "This chat has ended" */
    WG_TXT_BTN_START,    /* "Start chat" */
    WG_TXT_BTN_NEW,      /* "Start a new chat" */
    WG_TXT_BTN_SEND,     /* "Send" */
    WG_TXT_BTN_END       /* "End chat" */
};

struct wg_rcmd {
    enum wg_rcmd_kind kind;
    enum wg_text_code code;
    const char *text; /* NUL-terminated; never NULL ("" when none) */
    size_t text_len;
    const char *name; /* never NULL ("" when none) */
    const char *id;   /* MESSAGE: the message Id (a stable DOM key); else "" */
    enum wg_role role;
    enum wg_action action;
    bool enabled;
    int position, depth, wait_s; /* QUEUE; -1 when unknown */
};

/* A frame; caller-owned. */
struct wg_render {
    struct wg_rcmd cmds[WG_RENDER_MAX];
    size_t count;
    size_t messages_omitted; /* older messages left out for lack of room */
};

/* Builds the frame for c into out (cleared first). Order: STATUS,
 * CONNECTION?, QUEUE?, ERROR?, VIDEO_OFFER?, MESSAGE* (oldest first; the
 * newest that fit), TYPING?, INPUT?, BUTTON*. Returns the command count, or
 * WG_E_INVAL for NULL. */
int wg_render_chat(const struct wg_chat *c, struct wg_render *out);

/* The English text for a code ("" for WG_TXT_NONE/unknown). */
const char *wg_render_text(enum wg_text_code code);

#endif
