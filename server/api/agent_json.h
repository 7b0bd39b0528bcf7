/* agent_json.h - a contact as an agent sees it, shared by the agent routes
 * (agent_routes.c: queue, history; agent_stream_routes.c: contacts). */
#ifndef EDGE_AGENT_JSON_H
#define EDGE_AGENT_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* {ContactId, Kind, CustomerName, CustomerEmail, CreatedAt, Priority,
 * CustomerOnline (open contacts), PreviousContactId?, EndReason?,
 * Attributes?, Rating? {Score, Comment} once the customer rated it}; queue items (position > 0)
 * also carry Position, WaitSeconds, State and OfferedTo (whether it rings viewer_sub; whom else
 * stays private). Wait measured against now_ms. Caller deletes. */
cJSON *edge__contact_for_agent(const edge_contact *c, size_t position, int64_t now_ms,
                               const char *viewer_sub);

/* An agent status (EDGE_AGENT_*) as the API writes it: "available", "away"
 * or "offline"; and back (-1 for any other word). */
const char *edge__agent_status_name(int status);
int edge__agent_status_parse(const char *word);

#endif
