/* store_check.h - the argument checks every store front applies (the
 * synchronous store.c and the Redis backend of store_async.h), so each
 * rejects the same input with the same code. Internal to the store layers. */
#ifndef EDGE_STORE_CHECK_H
#define EDGE_STORE_CHECK_H

#include <stddef.h>

#include "store/store.h"

/* 0 when s fits a text column (EDGE_STORE_TEXT_MAX - 1 bytes at most);
 * NULL and "" pass only when the field is optional; else EINVAL. */
int edge__store_text_ok(const char *s, int required);
/* 0 when s could be an id: present, non-empty, shorter than
 * EDGE_STORE_ID_MAX; else EINVAL. */
int edge__store_id_ok(const char *s);
/* The list convention: count is required, out may be NULL only when cap
 * is 0. Sets *count to 0. 0 or EINVAL. */
int edge__store_list_ok(const void *out, size_t cap, size_t *count);
/* 0 for text/plain and text/markdown, else EINVAL. */
int edge__store_content_type_ok(const char *t);
/* edge_store_message_send's argument checks: 0 or EINVAL. */
int edge__store_message_send_ok(const edge_message_send *in);
/* One event of edge_store_events_add: 0 or EINVAL. */
int edge__store_event_ok(const edge_event_in *e);

#endif
