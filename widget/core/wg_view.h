/* wg_view.h - what the widget shows, decided in C, as a flat list of nodes.
 *
 * From a widget (wg_widget.h) this builds every element the bridge must
 * show, in document order, each with its stable part name (the bridge puts
 * it in data-c2c-part and in the class c2c-<part>), its parent (by index,
 * so the list is a tree), its text (already localized), its ARIA label,
 * whether it is enabled / pressed / expanded, and the user action it
 * triggers. The bridge keeps one DOM element per (part, key), creates the
 * missing ones, updates the changed ones, removes the ones no longer listed,
 * and decides nothing itself.
 *
 * Texts point to static strings, into the widget (names, messages) or into
 * the view's own arena (filled placeholders); they stay valid until the
 * next input to the widget or the next build. */
#ifndef WG_VIEW_H
#define WG_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wg_links.h"
#include "wg_widget.h"

#define WG_VIEW_MAX 96      /* nodes per frame; messages fill what is left */
#define WG_VIEW_ARENA 4096  /* formatted texts */
#define WG_VIEW_GROUP_MS 300000 /* messages of one sender closer than 5 min are one group */

/* How the bridge renders a node (tag, role). */
enum wg_node_kind {
    WG_NODE_GROUP = 1, /* <div>; role=group when it has a label */
    WG_NODE_BUTTON,    /* <button type=button>; aria-pressed when pressed >= 0 */
    WG_NODE_TEXT,      /* <div>; `live`: role=status aria-live=polite */
    WG_NODE_ALERT,     /* <div role=alert> */
    WG_NODE_LOG,       /* <div role=log aria-live=polite> */
    WG_NODE_ITEM,      /* <div> inside a LOG; variant = "customer", "agent" or "system" */
    WG_NODE_INPUT,     /* <input> (<textarea> when multiline); Enter triggers `action` with the value */
    WG_NODE_AUDIO,     /* <audio autoplay>: owner's remote audio */
    WG_NODE_VIDEO,     /* <video autoplay playsinline>; variant "remote" or "local" */
    WG_NODE_DIALOG,    /* <div role=dialog aria-label=label>: the panel, a non-modal dialog */
    WG_NODE_RADIO      /* <input type=radio>, one group per parent; checked when pressed is 1;
                          a click (the arrow keys too) triggers `action` with `arg` */
};

struct wg_node {
    enum wg_node_kind kind;
    const char *part;    /* static: "launcher", "status", "key-5", "message", ... */
    const char *key;     /* distinguishes siblings of one part (message Id); "" */
    int parent;          /* index of the parent node, -1: the widget's root */
    const char *text;    /* visible text, NUL-terminated; "" */
    size_t text_len;
    const char *name;    /* ITEM: the sender's name; "" */
    const char *label;   /* aria-label (BUTTON, GROUP, LOG) or the INPUT's label/placeholder; "" */
    const char *variant; /* a modifier, added as class c2c-<part>--<variant>; "" */
    const char *tone;    /* BUTTON: its role, "primary", "secondary", "danger" or "close"
                            (the bridge's class hooks: data-button-class, ...); else "" */
    enum wg_action action; /* BUTTON: on click; INPUT: on Enter (TYPING on input for chat) */
    int arg;             /* KEY: the key character */
    enum wg_owner owner; /* AUDIO/VIDEO: whose stream */
    bool enabled;
    bool live;           /* TEXT: announce changes (aria-live) */
    int8_t pressed;      /* BUTTON: -1 not a toggle, else aria-pressed 0/1 */
    int8_t expanded;     /* BUTTON: -1 n/a, else aria-expanded 0/1 */
    int max_len;         /* INPUT: maxlength, 0: none */
    bool numeric;        /* INPUT: inputmode=numeric / tel */
    bool multiline;      /* INPUT: a <textarea> of one row that grows with its text to a few
                            lines; Enter triggers `action`, Shift+Enter breaks the line */
    /* ITEM (a message or a line of the chat's own): */
    int64_t time_ms;     /* when, for the bridge to show in the user's locale; 0: not shown
                            (a message that continues its sender's group) */
    bool cont;           /* continues the previous message's group: no name, no time */
    const char *receipt; /* the customer's last message: "delivered" or "read" (its text is
                            in label); else "" */
    uint8_t link_count;  /* http(s) links in text (wg_links.h) */
    uint32_t links[2 * WG_LINKS_MAX]; /* [start, end) pairs in UTF-16 code units of text */
};

struct wg_view {
    struct wg_node nodes[WG_VIEW_MAX];
    size_t count;
    size_t messages_omitted; /* older messages left out for lack of room */
    bool hidden;             /* the whole widget is hidden (capacity check, HIDE) */
    const char *focus;       /* the part to move focus to (wg_widget's focus), "": none */
    unsigned focus_seq;      /* a new value asks again (wg_widget's focus_seq) */
    char arena[WG_VIEW_ARENA];
    size_t arena_used;
};

/* Builds the frame for w into out (cleared first). Returns the node count,
 * or WG_E_INVAL for NULL. */
int wg_view_build(const struct wg_widget *w, struct wg_view *out);

#endif
