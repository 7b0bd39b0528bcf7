/* local_async.c - the embedded provider on the asynchronous seam
 * (provider.h). Every op runs as a chain of asynchronous store steps
 * (local_op.h): pending while a step is (never with the SQLite adapter,
 * which answers inside the start call; on later loop turns with a shared
 * store), and cancel reaches it. A call handed to a bridge (provider/bridge.h: dials it claims,
 * and the digits, hang-ups and signals of its calls) completes when the
 * bridge's gateway answers, and cancel reaches it too. */
#include "provider/bridge.h"
#include "provider/local_op.h"

static edge_call_bridge *bridge_of(edge_provider *p)
{
    return edge__local(p)->bridge;
}

static void a_chat_disconnect(edge_provider *p, edge_provider_call *c, const edge_participant *who)
{
    edge_call_bridge *b = bridge_of(p);
    if (b && b->ops->disconnect(b, c, who))
        return;
    edge__local_a_chat_leave(p, c, who);
}

static void a_call_start(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                         const edge_call_request *req, edge_call_started *out)
{
    edge_call_bridge *b = bridge_of(p);
    if (b && b->ops->claims(b, req)) {
        b->ops->start(b, c, who, req, out);
        return;
    }
    edge__local_a_call_start(p, c, who, req, out);
}

static void a_call_digits(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                          const char *contact_id, const char *digits)
{
    edge_call_bridge *b = bridge_of(p);
    if (b && b->ops->digits(b, c, who, contact_id, digits))
        return;
    edge__local_a_call_digits(p, c, who, contact_id, digits);
}

static void a_call_end(edge_provider *p, edge_provider_call *c, const edge_identity *who,
                       const char *contact_id)
{
    edge_call_bridge *b = bridge_of(p);
    if (b && b->ops->end(b, c, who, contact_id))
        return;
    edge__local_a_call_end(p, c, who, contact_id);
}

static void a_call_signal(edge_provider *p, edge_provider_call *c, const edge_participant *from,
                          const char *type, const char *payload_json)
{
    edge_call_bridge *b = bridge_of(p);
    if (b && b->ops->signal(b, c, from, type, payload_json))
        return;
    edge__local_a_call_signal(p, c, from, type, payload_json);
}

static void a_cancel(edge_provider *p, edge_provider_call *c)
{
    if (edge__local_op_cancel(edge__local(p), c))
        return; /* a chain of store steps (local_op.h) */
    edge_call_bridge *b = bridge_of(p);
    if (b)
        b->ops->cancel(b, c);
}

static int a_tick(edge_provider *p, int64_t now_ms)
{
    int rc = edge__local_tick(p, now_ms);
    edge_call_bridge *b = bridge_of(p);
    if (b)
        b->ops->tick(b, now_ms);
    return rc;
}

void edge_provider_local_set_bridge(edge_provider *local, edge_call_bridge *b)
{
    edge__local(local)->bridge = b;
}

const edge_provider_ops edge__local_ops = {
    .participant_auth = edge__local_participant_auth,
    .chat_start = edge__local_a_chat_start,
    .chat_resume = edge__local_a_chat_resume,
    .chat_send = edge__local_a_chat_send,
    .chat_signal = edge__local_a_chat_signal,
    .chat_transcript = edge__local_a_chat_transcript,
    .chat_rate = edge__local_a_chat_rate,
    .chat_disconnect = a_chat_disconnect,
    .call_start = a_call_start,
    .call_digits = a_call_digits,
    .call_end = a_call_end,
    .call_signal = a_call_signal,
    .video = edge__local_a_video,
    .agent_set_status = edge__local_a_agent_set_status,
    .agent_queue = edge__local_a_agent_queue,
    .agent_accept = edge__local_a_agent_accept,
    .agent_reject = edge__local_a_agent_reject,
    .agent_end = edge__local_a_agent_end,
    .agent_history = edge__local_a_agent_history,
    .agent_contacts = edge__local_a_agent_contacts,
    .agent_transcript = edge__local_a_agent_transcript,
    .agent_note_add = edge__local_a_agent_note_add,
    .agent_transfer = edge__local_a_agent_transfer,
    .agent_transfer_targets = edge__local_a_agent_transfer_targets,
    .agent_wrapup = edge__local_a_agent_wrapup,
    .agent_disposition = edge__local_a_agent_disposition,
    .agent_dispositions = edge__local_a_agent_dispositions,
    .agent_canned = edge__local_a_agent_canned,
    .agent_canned_add = edge__local_a_agent_canned_add,
    .agent_canned_delete = edge__local_a_agent_canned_delete,
    .agent_notes = edge__local_a_agent_notes,
    .agent_events_serve = edge__local_agent_events_serve,
    .availability = edge__local_a_availability,
    .adhoc_create = edge__local_a_adhoc_create,
    .cancel = a_cancel,
    .events_serve = edge__local_events_serve,
    .tick = a_tick,
    .stats = edge__local_stats,
    .destroy = edge__local_destroy,
};
