/* bridge.h - what a call bridge (sip/: calls that go out to a phone
 * system through a gateway instead of ringing agents) asks of the embedded
 * contact center.
 *
 * A bridged call is a call contact like any other (stored, in the
 * caller's history, ended with a reason), but nobody in the contact
 * center takes it: at its creation a participant standing for the far end
 * (sub "bridge:<name>", never a real agent) joins it, so it never waits in
 * a queue, never rings an agent and the no-agent timeout never applies.
 * Its states (DIALING, RINGING, CONNECTED, ENDED) come from the gateway
 * and reach the caller as "contact.state" events with "Bridge":<name>;
 * the store keeps it open (connected to the far end) until it ends. The
 * bridge owns everything about the gateway; these functions own the
 * contact and the caller's events, on the asynchronous store; the bridge
 * runs them when its gateway answers. local is the provider
 * edge_provider_local_create returned. */
#ifndef EDGE_PROVIDER_BRIDGE_H
#define EDGE_PROVIDER_BRIDGE_H

#include "provider/provider.h"

#define EDGE_BRIDGE_NAME_MAX 8 /* "SIP" and the NUL, with room */

/* ---- the hook: how the local provider hands calls to a bridge ---------
 *
 * Installed with edge_provider_local_set_bridge. The local provider asks
 * claims() for every dial: a claimed dial is the bridge's to start (and to
 * complete through c, on the seam's rules, cancel included). For digits,
 * hang-up, signaling and disconnect it asks the bridge first: an op
 * function returns 1 when the contact is one of its calls (it then
 * completes c, at once or later), or 0 to let the local provider do it (c
 * untouched). tick runs on the provider's tick, after the local one. */
typedef struct edge_call_bridge edge_call_bridge;
typedef struct edge_call_bridge_ops {
    int (*claims)(edge_call_bridge *b, const edge_call_request *req);
    void (*start)(edge_call_bridge *b, edge_provider_call *c, const edge_identity *who,
                  const edge_call_request *req, edge_call_started *out);
    int (*digits)(edge_call_bridge *b, edge_provider_call *c, const edge_identity *who,
                  const char *contact_id, const char *digits);
    int (*end)(edge_call_bridge *b, edge_provider_call *c, const edge_identity *who,
               const char *contact_id);
    int (*signal)(edge_call_bridge *b, edge_provider_call *c, const edge_participant *from,
                  const char *type, const char *payload_json);
    int (*disconnect)(edge_call_bridge *b, edge_provider_call *c, const edge_participant *who);
    void (*cancel)(edge_call_bridge *b, edge_provider_call *c);
    void (*tick)(edge_call_bridge *b, int64_t now_ms);
} edge_call_bridge_ops;

struct edge_call_bridge {
    const edge_call_bridge_ops *ops;
};

/* Hand local's bridged calls to b (borrowed: it must outlive local's use
 * of it; NULL removes it). */
void edge_provider_local_set_bridge(edge_provider *local, edge_call_bridge *b);

/* The hooks below run on the contact center's asynchronous store. Those
 * the bridge waits for take an edge_provider_call c the bridge fills
 * (done, opaque, now_ms, deadline_ms) and complete it on the seam's rules
 * (provider.h: exactly once, inside the call or on a later loop turn;
 * EDGE_STORE_EUNAVAILABLE / ETIMEDOUT when the store cannot answer; cancel
 * with edge_local_bridge_cancel). The others are jobs: started, never
 * waited for, an error logged. Arguments are borrowed for the call only. */

/* Take one unit of who's dial rate (--limit-dials), as a dial to agents
 * does: c completes with 0, or ELIMITED with c->limited filled, or a
 * store error. */
void edge_local_bridge_admit(edge_provider *local, edge_provider_call *c, const edge_identity *who);

/* Create the bridged call for who: the contact with its customer (and
 * who's live-call limit checked in the same transaction: ELIMITED
 * "live_calls" with c->limited), the far end joined as participant
 * *far_id (display name bridge), out filled as a dial fills it with
 * out->bridge = bridge, and "contact.state" {ContactId, State:"DIALING",
 * Bridge} published to the caller. out and far_id are the caller's,
 * written just before c completes. On an error nothing is left behind
 * that a caller could see (a contact created meanwhile is ended
 * "failed"). */
void edge_local_bridge_create(edge_provider *local, edge_provider_call *c, const edge_identity *who,
                              const edge_call_request *req, const char *bridge,
                              edge_call_started *out, char far_id[EDGE_STORE_ID_MAX]);

/* Job: "contact.state" {ContactId, State, Bridge} to the caller of an open
 * bridged call (state: "RINGING", "CONNECTED"). */
void edge_local_bridge_state(edge_provider *local, const char *contact_id, const char *state,
                             const char *bridge, int64_t now_ms);

/* Job: end the bridged call: the store ends it with reason (when it had
 * ended already nothing else happens), then "contact.state" {ContactId,
 * State:"ENDED", Reason, Bridge, SipStatus (only when sip_status > 0)} to
 * the caller. */
void edge_local_bridge_end(edge_provider *local, const char *contact_id, const char *reason,
                           const char *bridge, int sip_status, int64_t now_ms);

/* One event (type, data_json: a JSON object text) to the caller of the
 * bridged call, such as "signal" or "dtmf.play", unless the call has
 * ended. With c: c completes with 0, ESTATE once the caller has left (the
 * call ended), or a store error. With c NULL: a job at now_ms (c's time
 * otherwise). */
void edge_local_bridge_tell(edge_provider *local, edge_provider_call *c, const char *contact_id,
                            const char *type, const char *data_json, int64_t now_ms);

/* Has the contact ended (by anyone: e.g. the caller's tab gone for
 * --caller-gone-s)? c completes with 0 and *ended (the caller's, written
 * just before), or a store error (ENOTFOUND: deleted, which the bridge
 * treats as ended). */
void edge_local_bridge_ended(edge_provider *local, edge_provider_call *c, const char *contact_id,
                             int *ended);

/* Forget c, started with one of the hooks above and not yet completed: it
 * never completes (a store write already sent may still take effect). */
void edge_local_bridge_cancel(edge_provider *local, edge_provider_call *c);

#endif
