/* contact_json.h - the JSON shapes of contact-center objects.
 *
 * One place builds them, so that a message looks the same in a live event
 * and in a transcript page. Field names follow Amazon Connect's participant
 * API (Id, Type, ContentType, Content, AbsoluteTime, ParticipantId,
 * DisplayName, ParticipantRole), so clients written for it read ours. */
#ifndef EDGE_CONTACT_JSON_H
#define EDGE_CONTACT_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* "CUSTOMER" or "AGENT". */
const char *edge_role_name(edge_role role);

/* "QUEUED", "RINGING", "CONNECTED" or "ENDED". */
const char *edge_contact_state_name(edge_contact_state state);

/* ISO 8601 UTC with milliseconds ("2026-11-21T06:08:09.123Z") into out
 * (at least 32 bytes). */
void edge_format_time_ms(int64_t ms, char *out, size_t cap);

/* A transcript item: {Id, Type:"MESSAGE", ContentType, Content, AbsoluteTime,
 * ParticipantId, DisplayName, ParticipantRole, Seq}. Caller deletes. */
cJSON *edge_message_to_json(const edge_message *m);

#endif
