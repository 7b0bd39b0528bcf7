/* local.c - the embedded contact center: wiring, participant tokens, events.
 *
 * The local provider keeps nothing of its own in memory: every contact,
 * participant and message is in the store, and every notification goes
 * through the event hub, which persists it before pushing it. The chat
 * operations live in local_chat.c, the call operations in local_calls.c,
 * offering calls to agents (ringing) in local_ringing.c, video escalation
 * in local_video.c. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/contact_json.h"
#include "provider/local_internal.h"

#define LOCAL_MAX_PARTICIPANTS 8

/* 1 when who's token may still be used at now_ms (see participant_auth in
 * provider.h); c is who's contact. Both uses get the same answer here:
 * within the grace, the live routes go on to refuse what an ended contact
 * cannot do, exactly as before; the distinction is for backends whose
 * live connection and transcript access end at different times. */
static int local_token_alive(const edge_local_provider *lp, const edge_participant *who,
                             const edge_contact *c, edge_participant_use use, int64_t now_ms)
{
    (void)use;
    int64_t end = c->ended_ms != 0 ? c->ended_ms : who->left_ms;
    if (c->state != EDGE_CONTACT_ENDED && who->left_ms == 0)
        return 1;
    if (who->role == EDGE_ROLE_AGENT || lp->transcript_grace_ms <= 0)
        return 0;
    return now_ms < end + lp->transcript_grace_ms;
}

static int local_participant_auth(edge_provider *p, const char *token, size_t len,
                                  edge_participant_use use, int64_t now_ms, edge_participant *out)
{
    edge_local_provider *lp = edge__local(p);
    char id[EDGE_STORE_ID_MAX];
    edge_contact c;
    if (edge_ptoken_verify(lp->key, token, len, id, sizeof(id)) != 0)
        return EDGE_STORE_ENOTFOUND;
    int rc = edge_store_participant_get(lp->store, id, out);
    if (rc == 0)
        rc = edge_store_contact_get(lp->store, out->contact_id, &c);
    if (rc != 0)
        return rc;
    int alive = local_token_alive(lp, out, &c, use, now_ms);
    edge_contact_free(&c);
    if (!alive)
        memset(out, 0, sizeof(*out));
    return alive ? 0 : EDGE_STORE_ENOTFOUND;
}

static void local_events_serve(edge_provider *p, const edge_participant *who,
                               int64_t last_event_id, edge_response *res)
{
    edge_hub_serve(edge__local(p)->hub, who->id, last_event_id, res);
}

static void local_destroy(edge_provider *p)
{
    free(p);
}

int edge__local_publish_contact(edge_local_provider *lp, const char *contact_id,
                                const char *skip_id, const char *type, const char *data_json,
                                int64_t now_ms)
{
    edge_participant parts[LOCAL_MAX_PARTICIPANTS];
    size_t count = 0;
    int rc = edge_store_participants_of(lp->store, contact_id, parts, LOCAL_MAX_PARTICIPANTS,
                                        &count);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        if (skip_id && strcmp(parts[i].id, skip_id) == 0)
            continue;
        rc = edge_hub_publish(lp->hub, parts[i].id, contact_id, type, data_json, now_ms, NULL);
    }
    return rc;
}

int edge__local_publish_state(edge_local_provider *lp, const edge_contact *c, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", c->id);
    cJSON_AddStringToObject(o, "State", edge_contact_state_name(c->state));
    if (c->end_reason[0])
        cJSON_AddStringToObject(o, "Reason", c->end_reason);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    int rc = edge__local_publish_contact(lp, c->id, NULL, "contact.state", text, now_ms);
    free(text);
    return rc;
}

static const edge_provider_ops local_ops = {
    .participant_auth = local_participant_auth,
    .chat_start = edge__local_chat_start,
    .chat_resume = edge__local_chat_resume,
    .chat_send = edge__local_chat_send,
    .chat_signal = edge__local_chat_signal,
    .chat_transcript = edge__local_chat_transcript,
    .chat_disconnect = edge__local_chat_disconnect,
    .call_start = edge__local_call_start,
    .call_digits = edge__local_call_digits,
    .call_end = edge__local_call_end,
    .call_signal = edge__local_call_signal,
    .video = edge__local_video,
    .agent_set_status = edge__local_agent_set_status,
    .agent_queue = edge__local_agent_queue,
    .agent_accept = edge__local_agent_accept,
    .agent_reject = edge__local_agent_reject,
    .agent_end = edge__local_agent_end,
    .agent_history = edge__local_agent_history,
    .availability = edge__local_availability,
    .adhoc_create = edge__local_adhoc_create,
    .events_serve = local_events_serve,
    .tick = edge__local_tick,
    .destroy = local_destroy,
};

edge_provider *edge_provider_local_create(edge_store *store, edge_hub *hub,
                                          const edge_ptoken_key *key,
                                          int64_t no_agent_timeout_ms, int64_t ring_timeout_ms,
                                          int64_t transcript_grace_ms)
{
    edge_local_provider *lp = edge_xcalloc(1, sizeof(*lp));
    lp->base.ops = &local_ops;
    lp->store = store;
    lp->hub = hub;
    lp->key = key;
    lp->no_agent_timeout_ms = no_agent_timeout_ms;
    lp->ring_timeout_ms = ring_timeout_ms;
    lp->transcript_grace_ms = transcript_grace_ms;
    return &lp->base;
}
