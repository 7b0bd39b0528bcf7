/* sip_bridge.h - calls to phone numbers with a --sip-route go out to a PBX
 * or SIP trunk through Janus's SIP plugin instead of ringing agents.
 *
 * The bridge hooks into the embedded provider (provider/bridge.h): it
 * claims every dial whose number has a route and then owns that call's
 * gateway side, while the local provider keeps the contact (stored like
 * any call) and the caller's events. Per call it keeps one Janus session
 * (janus_client.h) and relays the caller's WebRTC offer and candidates to
 * Janus's "call" and trickles, and Janus's answer back as a "signal"
 * event; SIP progress becomes contact.state DIALING / RINGING /
 * CONNECTED / ENDED (Reason far_end_hangup, customer_hangup, busy,
 * declined, no_answer, failed with SipStatus, gateway_lost). Keypad digits
 * go as RFC 4733 telephone-events from the caller's browser ("dtmf.play"
 * events) or as SIP INFO through Janus, one at a time (--sip-dtmf). With a
 * recorder, a call is recorded by Janus from CONNECTED (both legs) and
 * converted once it ended (sip_record.h). See
 * docs/API.md "Calls" for the contract the widget relies on. */
#ifndef EDGE_SIP_BRIDGE_H
#define EDGE_SIP_BRIDGE_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "provider/bridge.h"
#include "sip/sip_record.h"

typedef enum edge_sip_dtmf {
    EDGE_SIP_DTMF_AUTO,    /* RFC 4733 when the far end's answer has telephone-event, else INFO */
    EDGE_SIP_DTMF_RFC4733, /* always telephone-events, sent by the caller's browser */
    EDGE_SIP_DTMF_INFO     /* always SIP INFO, sent by Janus */
} edge_sip_dtmf;

typedef struct edge_sip_settings {
    const char *gateway_url;   /* Janus's HTTP API, http://HOST:PORT/janus */
    const char *const *routes; /* "PREFIX=URI" (--sip-route), borrowed */
    size_t n_routes;
    const char *from;          /* the guest identity calls come from (--sip-from) */
    int64_t answer_timeout_ms; /* unanswered calls end no_answer after this */
    edge_sip_dtmf dtmf;
    edge_sip_recorder *recorder; /* --record-calls: taken by the bridge (also when create
                                  * fails); NULL records nothing */
} edge_sip_settings;

typedef struct edge_sip_bridge edge_sip_bridge;

/* A bridge for local (the embedded provider, borrowed) on loop. settings'
 * strings are borrowed and must outlive the bridge. Returns NULL when the
 * gateway URL is not one the upstream client takes. Install it with
 * edge_provider_local_set_bridge(local, edge_sip_bridge_hook(b)). Opens
 * at once a spare session (registered ahead of the next dial), and
 * retries it on the tick while Janus is down. */
edge_sip_bridge *edge_sip_bridge_create(uv_loop_t *loop, edge_provider *local,
                                        const edge_sip_settings *settings);

/* The hook to install in the local provider. */
edge_call_bridge *edge_sip_bridge_hook(edge_sip_bridge *b);

/* Shutting down: dials still being set up fail (gateway_unavailable),
 * live calls end "gateway_lost" (Janus hangs up the far end when their
 * sessions time out), the spare session is dropped, conversions of
 * recordings stop (sip_record.h) and every connection
 * to Janus is closed; the loop must run on for them to close. Call before
 * the event hub goes. */
void edge_sip_bridge_shutdown(edge_sip_bridge *b);

/* Recordings made and failed so far (zeros without a recorder). */
edge_sip_record_stats edge_sip_bridge_record_stats(const edge_sip_bridge *b);

/* Free the bridge (after shutdown and after the loop has run; after the
 * provider it borrows is destroyed, whose destroy cancelled the hooks in
 * flight). */
void edge_sip_bridge_free(edge_sip_bridge *b);

/* "auto", "rfc4733" or "info" to *out: 0, or -1 for anything else. */
int edge_sip_dtmf_parse(const char *text, edge_sip_dtmf *out);

#endif
