/* store_open_chats.h - the SQLite backend's memory of who has an open chat.
 *
 * Every page load of every signed-in visitor asks "does this sub have an
 * open chat?" (startChatContact resumes it), so the answer is kept here,
 * keyed by sub, instead of being read from SQLite each time. This module is
 * only the table: a fixed number of entries in sets of four, filled after a
 * read, dropped one by one when the contact row changes (the backend's
 * update hook), or all at once when another process wrote to the file. When
 * to drop is the backend's business (store_contacts.c); this file knows
 * nothing of SQLite, so it is tested on its own.
 *
 * Each entry remembers the contact's rowid: that is what SQLite's update
 * hook reports, and a rowid is never 0 for a row SQLite assigned, so 0 marks
 * an empty entry. */
#ifndef EDGE_STORE_OPEN_CHATS_H
#define EDGE_STORE_OPEN_CHATS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct edge_open_chats edge_open_chats;

/* A table of `capacity` entries (a power of two, at least 4). Never NULL:
 * out of memory aborts, as everywhere in the server. */
edge_open_chats *edge_open_chats_new(size_t capacity);
void edge_open_chats_free(edge_open_chats *t);

/* 1 with *out filled when sub's open chat is in the table, else 0. */
int edge_open_chats_get(const edge_open_chats *t, const char *sub, edge_open_chat *out);

/* Remember sub's open chat, whose contact row is contact_rowid (> 0;
 * anything else is not kept). Replaces sub's entry if it has one, else an
 * empty entry of its set, else the set's entries in turn. */
void edge_open_chats_put(edge_open_chats *t, const char *sub, int64_t contact_rowid,
                         const edge_open_chat *chat);

/* Forget the entry whose contact row is contact_rowid, if any. */
void edge_open_chats_drop_contact(edge_open_chats *t, int64_t contact_rowid);

/* Forget everything. */
void edge_open_chats_clear(edge_open_chats *t);

#endif
