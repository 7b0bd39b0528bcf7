/* wg_transcript.h - the chat transcript as the widget shows it: one ordered,
 * de-duplicated list that live `message` events, the first page after a
 * resume and backfill pages after a reconnect all merge into.
 *
 * Why this shape: a reload or a dropped stream means the same message can
 * arrive twice (replayed event and transcript page) and out of order (a
 * backfill page older than what is shown). Sorting by the server's Seq and
 * ignoring an Id already held makes every merge order give the same list.
 *
 * Memory: everything is caller-owned and fixed at init; nothing is
 * allocated. Entries live in a caller array (capacity = number of messages);
 * Id, DisplayName and ContentType are copied into fixed fields of each entry
 * (truncated at WG_TR_ID_MAX-1 / WG_TR_NAME_MAX-1 / WG_TR_CTYPE_MAX-1 bytes);
 * Content is copied, NUL-terminated, into a caller text arena. When either
 * the entries or the arena run out, the OLDEST messages (lowest in sort
 * order) are dropped to make room and counted in `dropped`; a message that
 * would itself be the oldest of a full store is dropped instead. */
#ifndef WG_TRANSCRIPT_H
#define WG_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WG_TR_ID_MAX 64    /* Id bytes incl. NUL; server ids are 36-char UUIDs */
#define WG_TR_NAME_MAX 129 /* DisplayName: the server allows up to 128 bytes */
#define WG_TR_CTYPE_MAX 32 /* "text/plain", "text/markdown" */

enum wg_role { WG_ROLE_UNKNOWN = 0, WG_ROLE_CUSTOMER, WG_ROLE_AGENT, WG_ROLE_SYSTEM };

/* A message as the bridge parsed it. All pointers are borrowed for the call
 * only; NULL strings count as "". content need not be NUL-terminated. */
struct wg_msg {
    const char *id;
    int64_t seq;     /* the server's Seq, > 0 */
    int64_t time_ms; /* AbsoluteTime in ms since the epoch */
    enum wg_role role;
    const char *display_name;
    const char *content_type;
    const char *content;
    size_t content_len;
};

/* One stored message. Read through wg_transcript_at / wg_transcript_next. */
struct wg_tr_entry {
    char id[WG_TR_ID_MAX];
    char display_name[WG_TR_NAME_MAX];
    char content_type[WG_TR_CTYPE_MAX];
    int64_t seq;
    int64_t time_ms;
    enum wg_role role;
    size_t content_off; /* into the arena; content is NUL-terminated there */
    size_t content_len;
};

/* The store. Fields are private to wg_transcript.c; use the functions. */
struct wg_transcript {
    struct wg_tr_entry *items; /* sorted by (seq, time_ms, id) */
    size_t cap, count;
    char *arena;
    size_t arena_cap, arena_used;
    uint64_t dropped;
    int64_t last_seq;
};

/* Read-only view of one message. Pointers stay valid until the next
 * add/add_page/clear on the same transcript. */
struct wg_tr_view {
    const char *id;
    const char *display_name;
    const char *content_type;
    const char *content; /* NUL-terminated, content_len bytes */
    size_t content_len;
    int64_t seq;
    int64_t time_ms;
    enum wg_role role;
};

/* Sets t up over caller memory: items[0..cap) and arena[0..arena_cap). The
 * caller keeps both alive as long as t. Returns 0, or WG_E_INVAL for NULLs,
 * cap 0 or arena_cap 0. */
int wg_transcript_init(struct wg_transcript *t, struct wg_tr_entry *items, size_t cap, char *arena,
                       size_t arena_cap);

/* Forgets every message, the dropped count and last_seq (a new chat). */
void wg_transcript_clear(struct wg_transcript *t);

/* Inserts m in (seq, time_ms, id) order. Returns 1 when the list changed,
 * 0 when it did not (the Id is already held, or m was older than everything
 * in a full store and so dropped at once), WG_E_INVAL for a missing/empty Id
 * or NULL content with a length, WG_E_TOO_BIG when the content alone is larger
 * than the arena. last_seq grows even when m is dropped. */
int wg_transcript_add(struct wg_transcript *t, const struct wg_msg *m);

/* Merges a whole page (a transcript answer, in any order). Returns how many
 * messages were new, or the first error; the messages before an error stay
 * merged. Invalid items are skipped, not fatal: only WG_E_INVAL for NULL t or
 * msgs with n > 0 is returned. */
int wg_transcript_add_page(struct wg_transcript *t, const struct wg_msg *msgs, size_t n);

/* The highest Seq ever merged (0 when none): the NextToken for the next
 * transcript request, since the server's NextToken is the last Seq seen. */
int64_t wg_transcript_last_seq(const struct wg_transcript *t);

/* How many messages are held / were dropped for lack of room. */
size_t wg_transcript_count(const struct wg_transcript *t);
uint64_t wg_transcript_dropped(const struct wg_transcript *t);

/* True when a message with this Id is held. */
bool wg_transcript_has(const struct wg_transcript *t, const char *id);

/* The Seq of the message with this Id, or 0 when none is held. */
int64_t wg_transcript_seq_of(const struct wg_transcript *t, const char *id);

/* Fills *v with message i (0 = oldest). Returns 0, or WG_E_INVAL when out of
 * range. */
int wg_transcript_at(const struct wg_transcript *t, size_t i, struct wg_tr_view *v);

/* Iterator for rendering: start with *pos = 0; returns true and fills *v
 * while messages remain, advancing *pos. */
bool wg_transcript_next(const struct wg_transcript *t, size_t *pos, struct wg_tr_view *v);

#endif
