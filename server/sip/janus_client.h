/* janus_client.h - Janus's HTTP API (a session with one SIP plugin handle)
 * over our upstream client (upstream/http_client.h); nothing of Janus is
 * linked.
 *
 * An edge_janus is one gateway URL (http://HOST:PORT/janus) with its
 * keep-alive pool. An edge_janus_session is one Janus session with the
 * SIP plugin attached and registered as a guest (no REGISTER is sent: the
 * From identity is only used for calls): opening it sends "create",
 * "attach" and the guest "register" one after the other and reports READY
 * when Janus says "registered", or FAILED. From then on every plugin event
 * of its handle is reported (EVENT, with the message), and LOST once Janus
 * cannot be reached or has dropped the session. The session's long-poll
 * (GET /janus/<session>?maxev=N, answered at least every 30 s with a
 * keepalive) also keeps the session alive.
 *
 * Requests a session sends (messages, trickles, the final destroy) go out
 * one at a time, in the order they were given, each after Janus answered
 * the previous one, so candidates never overtake their offer.
 *
 * Ownership: the owner of a session calls edge_janus_release exactly once
 * (also after FAILED or LOST); no callback fires after it, and the session
 * frees itself once Janus has answered its "destroy". edge_janus_close
 * ends everything at shutdown. All on the loop's thread. */
#ifndef EDGE_SIP_JANUS_CLIENT_H
#define EDGE_SIP_JANUS_CLIENT_H

#include <cJSON.h>
#include <stdint.h>
#include <uv.h>

#include "sip/sip_event.h"

typedef struct edge_janus edge_janus;
typedef struct edge_janus_session edge_janus_session;

typedef enum edge_janus_what {
    EDGE_JANUS_READY,  /* attached and registered: calls may start */
    EDGE_JANUS_FAILED, /* it never got ready (Janus unreachable or refusing) */
    EDGE_JANUS_EVENT,  /* a plugin event of the handle (ev: what it means) */
    EDGE_JANUS_LOST    /* Janus unreachable, or the session is gone, after READY */
} edge_janus_what;

/* ev is borrowed for the callback (NULL but for EVENT; never IGNORED).
 * The callback may call edge_janus_message, _trickle and _release on s. */
typedef void (*edge_janus_cb)(edge_janus_session *s, edge_janus_what what, const edge_sip_event *ev,
                              void *opaque);

/* A gateway at url on loop. 0 with *out (the caller's until
 * edge_janus_close), or -1 when url is not one the upstream client takes. */
int edge_janus_create(uv_loop_t *loop, const char *url, edge_janus **out);

/* Shut down: every session still open is dropped without callbacks (Janus
 * times them out), the connections are closed, and j frees itself once
 * libuv has closed them (the loop must run on). */
void edge_janus_close(edge_janus *j);

/* Open a session registered as guest sip_from; cb reports READY or FAILED
 * later (never inside this call), then EVENTs and maybe LOST. Returns the
 * session (the caller's to release), or NULL when nothing could be
 * started (no callback will fire). */
edge_janus_session *edge_janus_open(edge_janus *j, const char *sip_from, edge_janus_cb cb,
                                    void *opaque);

/* Hand s (READY, not released) to another owner: cb and opaque replace
 * the ones it was opened with. */
void edge_janus_rebind(edge_janus_session *s, edge_janus_cb cb, void *opaque);

/* Send a plugin message {"janus":"message","body":body,"jsep":jsep} to the
 * handle, after whatever was sent before. Takes body and jsep (may be
 * NULL). */
void edge_janus_message(edge_janus_session *s, cJSON *body, cJSON *jsep);

/* Trickle one ICE candidate (taken; NULL: gathering completed). */
void edge_janus_trickle(edge_janus_session *s, cJSON *candidate);

/* The owner is done with s: no callback fires any more; what is queued
 * is still sent, then the session is destroyed on Janus and s is freed. */
void edge_janus_release(edge_janus_session *s);

#endif
