/* sip_event.h - what a Janus SIP plugin event means for a bridged call.
 *
 * Janus delivers, on a session's long-poll, messages such as
 * {"janus":"event","sender":HANDLE,"plugindata":{"plugin":
 * "janus.plugin.sip","data":{"sip":"event","result":{"event":"accepted",
 * ...}}},"jsep":{"type":"answer","sdp":"..."}}. This file turns one such
 * message into an edge_sip_event, and a call's final SIP status into the
 * Reason its contact ends with. Pure: no I/O. */
#ifndef EDGE_SIP_EVENT_H
#define EDGE_SIP_EVENT_H

#include <cJSON.h>
#include <stdint.h>

typedef enum edge_sip_event_kind {
    EDGE_SIP_EV_IGNORED,    /* keepalive, ack, media reports, events of no interest */
    EDGE_SIP_EV_REGISTERED, /* the guest registration is done: calls may start */
    EDGE_SIP_EV_CALLING,    /* the INVITE went out */
    EDGE_SIP_EV_RINGING,    /* 180, or 183 without SDP */
    EDGE_SIP_EV_PROGRESS,   /* 183 with SDP (early media): sdp is the answer */
    EDGE_SIP_EV_ACCEPTED,   /* 200: sdp is the answer (unless progress gave it) */
    EDGE_SIP_EV_HANGUP,     /* the call is over: code is the SIP status */
    EDGE_SIP_EV_DTMF_SENT,  /* a dtmf_info request was carried out */
    EDGE_SIP_EV_ERROR,      /* the plugin refused a request: code is its error code */
    EDGE_SIP_EV_GONE        /* the session or handle is gone (timeout, detached) */
} edge_sip_event_kind;

typedef struct edge_sip_event {
    edge_sip_event_kind kind;
    int code;        /* SIP status (HANGUP, RINGING), plugin error code (ERROR), else 0 */
    const char *sdp; /* the jsep's SDP when it came with one (borrowed from the message), or NULL */
} edge_sip_event;

/* Read one message of the long-poll (a JSON object). Messages from
 * another handle than handle_id (other than session-wide ones) are
 * IGNORED. Never fails: anything unknown is IGNORED. */
void edge_sip_event_parse(const cJSON *msg, uint64_t handle_id, edge_sip_event *out);

/* The Reason a call that had not connected ends with for final status
 * code: "busy" (486, 600), "declined" (603), "no_answer" (408, 480) or
 * "failed" (anything else; the status goes into the event). */
const char *edge_sip_end_reason(int code);

/* Does this SDP offer RFC 4733 telephone-events (a "telephone-event" rtpmap)? */
int edge_sip_sdp_has_telephone_event(const char *sdp);

#endif
