/* wg_plain.h - the chat as plain text: the lines the chat writes itself
 * (an agent joined, who ended the chat) in the widget's language, for the
 * view and the download, and the whole transcript as the text file the
 * customer downloads once the chat has ended.
 *
 * Pure C: writes into caller memory, snprintf-like (the length needed is
 * returned, what fits is written, always NUL-terminated when cap > 0). */
#ifndef WG_PLAIN_H
#define WG_PLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "wg_i18n.h"
#include "wg_transcript.h"

struct wg_widget;

/* Whether m is a line the chat wrote itself (WG_CHAT_LINE_*). */
bool wg_plain_own_line(const struct wg_tr_view *m);

/* The text of such a line in texts' locale: "<agent> joined the chat", "You
 * ended the chat", "<agent> ended the chat", "<agent> left the chat", "The
 * chat ended", "Video call started", "Video call ended". Returns the
 * length needed (without the NUL). */
size_t wg_plain_line(const struct wg_texts *texts, const struct wg_tr_view *m, char *out,
                     size_t cap);

/* Every message the widget holds, one per line, oldest first:
 * "[2026-12-04 15:10 UTC] Name: text" (the chat's own lines without a
 * name, a customer without one is "You" in the widget's language).
 * Returns the length needed (without the NUL); 0 for NULL. */
size_t wg_plain_transcript(const struct wg_widget *w, char *out, size_t cap);

#endif
