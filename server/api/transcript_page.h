/* transcript_page.h - one transcript page in and out, shared by
 * participant/transcript (chat_routes.c) and agent/transcript
 * (agent_stream_routes.c), so both answer in the same shape. */
#ifndef EDGE_TRANSCRIPT_PAGE_H
#define EDGE_TRANSCRIPT_PAGE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api_op.h"
#include "http/response.h"
#include "store/store.h"

#define EDGE_TRANSCRIPT_PAGE_MAX 100 /* MaxResults at most */

/* MaxResults 1..100 (default 15) into *max; NextToken (the last Seq seen)
 * into *after (0 without one). 0, or -1 after a 400 in res. */
int edge__transcript_read_page(const cJSON *body, edge_response *res, size_t *max, int64_t *after);

/* Answer {InitialContactId, Transcript: [item], NextToken?}; the items
 * stay the caller's to free. */
void edge__transcript_answer(edge_response *res, const char *contact_id, edge_message *items,
                             size_t count, int more);

/* A transcript page in flight (chat_transcript, agent_transcript). */
typedef struct edge_transcript_op {
    edge_api_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    edge_message items[EDGE_TRANSCRIPT_PAGE_MAX];
    size_t count;
    int more;
} edge_transcript_op;

/* The op's answer: the page, or the contact error; frees the items. */
void edge__transcript_op_answer(edge_api_op *op, edge_response *res);

#endif
