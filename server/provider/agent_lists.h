/* agent_lists.h - the lists an operator gives every agent: disposition
 * codes (--dispositions FILE, or the built-in list) and shared canned
 * responses (--canned FILE). Read once at start; the provider borrows
 * them. */
#ifndef EDGE_AGENT_LISTS_H
#define EDGE_AGENT_LISTS_H

#include <stddef.h>

#include "store/store.h"

#define EDGE_LISTS_MAX 200         /* entries in each list */
#define EDGE_CANNED_MAX_BYTES 2000 /* one canned response's text, UTF-8 bytes */
#define EDGE_CANNED_PER_AGENT 100  /* an agent's own canned responses */

typedef struct edge_disposition {
    char code[EDGE_STORE_TEXT_MAX];  /* [a-z0-9_-], what is stored */
    char label[EDGE_STORE_TEXT_MAX]; /* what the agent reads */
} edge_disposition;

typedef struct edge_agent_lists {
    edge_disposition *dispositions; /* owned; never empty after a load */
    size_t n_dispositions;
    edge_canned *canned; /* owned; the shared ones (ids "shared-N") */
    size_t n_canned;
} edge_agent_lists;

/* Fill *out from the files (either may be NULL: the built-in dispositions,
 * no shared canned responses). A file that cannot be read or is not the
 * documented JSON (an array of {"code", "label"} or {"title", "text"},
 * 1..EDGE_LISTS_MAX entries, codes unique) returns -1 with one line in err
 * naming the file; *out is then empty. Release with
 * edge_agent_lists_free. */
int edge_agent_lists_load(edge_agent_lists *out, const char *canned_file,
                          const char *dispositions_file, char *err, size_t errlen);
/* The disposition with this code, or NULL. */
const edge_disposition *edge_agent_lists_disposition(const edge_agent_lists *l, const char *code);
void edge_agent_lists_free(edge_agent_lists *l);

#endif
