/* sip_bridge.c - the SIP bridge's calls: one state machine per bridged
 * call, driven by the caller's requests (through the local provider's
 * hook, provider/bridge.h) and by its Janus session's events.
 *
 * A call goes SETUP (Janus session being opened; the dial is pending) ->
 * WAIT_OFFER (contact created, DIALING told; waiting for the widget's
 * offer) -> INVITED (Janus sent the INVITE) -> RINGING (180/183) ->
 * CONNECTED (200), and leaves the table when it ends, whoever ends it:
 * finish() stores the end, tells the caller, hangs up on Janus when a call
 * was placed and releases the session, in that order. Digits queued for
 * SIP INFO go one at a time, each after Janus reported the previous one
 * sent. Besides the calls' sessions the bridge keeps one spare session
 * registered ahead of the next dial (see struct edge_sip_bridge). The
 * contact center's hooks (provider/bridge.h) are asynchronous: a call
 * waits for at most one of them at a time (the dial's rate, the contact's
 * creation, the tick's "has it ended?"), in its step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/json_text.h"
#include "common/mem.h"
#include "sip/janus_client.h"
#include "sip/sip_bridge.h"
#include "sip/sip_event.h"
#include "sip/sip_headers.h"
#include "sip/sip_route.h"
#include "store/store_async.h"

#define SIP_BRIDGE_NAME "SIP"
#define SIP_SETUP_TIMEOUT_MS 5000 /* Janus answers the setup in milliseconds when it is up */
#define SIP_DTMF_QUEUE_MAX 64     /* digits waiting to go as SIP INFO */
#define SIP_EARLY_SIGNALS_MAX 64  /* candidates kept until the offer arrives */
#define SIP_NUMBER_MAX 20
#define SIP_SPARE_RETRY_MS 5000   /* a spare session that failed is tried again after this */
#define SIP_RECORD_SETTLE_MS 1000 /* Janus closes a call's recordings as it hangs up */

typedef enum { P_SETUP, P_WAIT_OFFER, P_INVITED, P_RINGING, P_CONNECTED } phase;

typedef struct sip_call sip_call;
typedef void (*step_then_fn)(sip_call *call, int rc);

struct sip_call {
    struct sip_call *next;
    edge_sip_bridge *b;
    edge_janus_session *js;
    phase phase;
    edge_provider_call *start;    /* the pending dial (SETUP only), or NULL */
    edge_call_started *start_out; /* the dial's caller's */
    edge_call_started started;    /* the creation's answer, copied to start_out */
    int uri_rc;                   /* EINVAL when the number's URI did not fit */
    edge_provider_call step;      /* the contact center's hook in flight (step_busy) */
    int step_busy;
    step_then_fn step_then; /* what follows it */
    int step_ended;         /* the tick's check: the contact has ended */
    int64_t started_ms;
    edge_identity who;
    char number[SIP_NUMBER_MAX];
    char *attributes; /* owned, may be NULL */
    char uri[EDGE_SIP_URI_MAX];
    char contact_id[EDGE_STORE_ID_MAX];
    char far_id[EDGE_STORE_ID_MAX];
    cJSON *early; /* candidates (JSON payloads) sent before the offer, in order */
    int answer_relayed, telephone_event;
    int invite_out; /* Janus reported "calling": the INVITE went out */
    int64_t answer_by_ms;
    char dtmf[SIP_DTMF_QUEUE_MAX + 1];
    size_t dtmf_len;
    int dtmf_busy; /* a dtmf_info is out, waiting for "dtmfsent" */
    int recorded;  /* Janus was asked to record it: convert it when it ends */
};

struct edge_sip_bridge {
    edge_call_bridge hook; /* first: the local provider sees only this */
    edge_provider *local;  /* borrowed */
    edge_janus *janus;     /* owned; NULL after shutdown */
    edge_sip_routes routes;
    const char *from;
    int64_t answer_timeout_ms;
    edge_sip_dtmf dtmf;
    edge_sip_recorder *recorder;        /* owned or NULL (none, or after shutdown) */
    edge_sip_record_stats record_stats; /* its last counts, after shutdown */
    sip_call *calls;
    /* One session kept open and registered ahead of the next dial, so that
     * a dial does not wait for Janus's SIP stack to start (~100 ms, during
     * which the plugin's one message thread handles nothing else: so a
     * spare is never opened while a call waits to send its offer): */
    edge_janus_session *spare; /* owned or NULL */
    int spare_ready;           /* it said READY */
    int64_t spare_opened_ms;   /* when it was opened (one never READY is dropped) */
    int64_t spare_retry_ms;    /* open one again from then, after a failure */
};

static void spare_due(edge_sip_bridge *b, int64_t now_ms);

/* ---- the table ----------------------------------------------------------- */

static sip_call *find(edge_sip_bridge *b, const char *contact_id)
{
    for (sip_call *c = b->calls; c; c = c->next) {
        if (c->contact_id[0] != '\0' && strcmp(c->contact_id, contact_id) == 0)
            return c;
    }
    return NULL;
}

/* Unlink and free call (its session must be released already). */
static void drop(sip_call *call)
{
    sip_call **at = &call->b->calls;
    while (*at && *at != call)
        at = &(*at)->next;
    if (*at)
        *at = call->next;
    cJSON_Delete(call->early);
    free(call->attributes);
    free(call);
}

static void on_step(edge_provider_call *pc)
{
    sip_call *call = pc->opaque;
    call->step_busy = 0;
    call->step_then(call, pc->rc);
}

/* The call's step, ready for one hook; then runs when it completes (maybe
 * inside the hook's start call: the caller must not touch call after
 * starting it). */
static edge_provider_call *step(sip_call *call, step_then_fn then, int64_t now_ms,
                                int64_t deadline_ms)
{
    call->step = (edge_provider_call){
        .done = on_step, .opaque = call, .now_ms = now_ms, .deadline_ms = deadline_ms};
    call->step_then = then;
    call->step_busy = 1;
    return &call->step;
}

/* The call ends: a hook in flight forgotten, the contact (when it was
 * created) ended with reason, then the far end hung up on (when an INVITE
 * went out and hangup), then the session released and the call freed; a
 * dial still pending fails EGATEWAY (the gateway did not set it up). */
static void finish(sip_call *call, const char *reason, int sip_status, int hangup, int64_t now_ms)
{
    edge_provider_call *dial = call->start;
    call->start = NULL;
    if (call->step_busy)
        edge_local_bridge_cancel(call->b->local, &call->step);
    call->step_busy = 0;
    if (call->contact_id[0] != '\0') /* already ended by someone: nothing more is told */
        edge_local_bridge_end(call->b->local, call->contact_id, reason, SIP_BRIDGE_NAME, sip_status,
                              now_ms);
    if (call->js != NULL) {
        if (hangup && call->phase >= P_INVITED) {
            cJSON *body = cJSON_CreateObject();
            cJSON_AddStringToObject(body, "request", "hangup");
            edge_janus_message(call->js, body, NULL);
        }
        edge_janus_release(call->js);
        call->js = NULL;
    }
    if (call->recorded)
        edge_sip_recorder_convert(call->b->recorder, call->contact_id, SIP_RECORD_SETTLE_MS);
    drop(call);
    if (dial != NULL)
        edge_provider_call_done(dial, EDGE_PROVIDER_EGATEWAY);
}

/* ---- events from Janus ------------------------------------------------- */

/* The far end's SDP answer to the caller, once. */
static void relay_answer(sip_call *call, const char *sdp, int64_t now_ms)
{
    if (call->answer_relayed || sdp == NULL)
        return;
    call->answer_relayed = 1;
    call->telephone_event = edge_sip_sdp_has_telephone_event(sdp);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", call->contact_id);
    cJSON_AddStringToObject(o, "FromParticipantId", call->far_id);
    cJSON_AddStringToObject(o, "FromRole", "AGENT");
    cJSON_AddStringToObject(o, "Type", "answer");
    cJSON *payload = cJSON_AddObjectToObject(o, "Payload");
    cJSON_AddStringToObject(payload, "type", "answer");
    cJSON_AddStringToObject(payload, "sdp", sdp);
    char *json = edge_json_print(o);
    cJSON_Delete(o);
    edge_local_bridge_tell(call->b->local, NULL, call->contact_id, "signal", json, now_ms);
    free(json);
}

static void send_next_digit(sip_call *call)
{
    if (call->dtmf_busy || call->dtmf_len == 0 || call->js == NULL)
        return;
    char digit[2] = {call->dtmf[0], '\0'};
    memmove(call->dtmf, call->dtmf + 1, call->dtmf_len); /* with the NUL */
    call->dtmf_len--;
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "request", "dtmf_info");
    cJSON_AddStringToObject(body, "digit", digit);
    edge_janus_message(call->js, body, NULL);
    call->dtmf_busy = 1;
}

static void set_phase(sip_call *call, phase to, const char *state, int64_t now_ms)
{
    if (call->phase >= to)
        return;
    call->phase = to;
    edge_local_bridge_state(call->b->local, call->contact_id, state, SIP_BRIDGE_NAME, now_ms);
}

/* With --record-calls, once the call is answered: Janus records both legs. */
static void start_recording(sip_call *call)
{
    char base[EDGE_SIP_URI_MAX];
    if (call->b->recorder == NULL || call->recorded ||
        edge_sip_recorder_base(call->b->recorder, call->contact_id, base, sizeof(base)) != 0)
        return;
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "request", "recording");
    cJSON_AddStringToObject(body, "action", "start");
    cJSON_AddBoolToObject(body, "audio", 1);
    cJSON_AddBoolToObject(body, "peer_audio", 1);
    cJSON_AddStringToObject(body, "filename", base);
    edge_janus_message(call->js, body, NULL);
    call->recorded = 1;
}

static void on_sip_event(sip_call *call, const edge_sip_event *ev, int64_t now_ms)
{
    switch (ev->kind) {
    case EDGE_SIP_EV_CALLING: /* the INVITE is out: the plugin is free for a spare */
        call->invite_out = 1;
        spare_due(call->b, now_ms);
        break;
    case EDGE_SIP_EV_RINGING:
    case EDGE_SIP_EV_PROGRESS:
        relay_answer(call, ev->sdp, now_ms); /* early media */
        set_phase(call, P_RINGING, "RINGING", now_ms);
        break;
    case EDGE_SIP_EV_ACCEPTED:
        relay_answer(call, ev->sdp, now_ms);
        set_phase(call, P_CONNECTED, "CONNECTED", now_ms);
        start_recording(call);
        break;
    case EDGE_SIP_EV_HANGUP:
        if (call->phase == P_CONNECTED)
            finish(call, "far_end_hangup", 0, 0, now_ms);
        else
            finish(call, edge_sip_end_reason(ev->code), ev->code, 0, now_ms);
        break;
    case EDGE_SIP_EV_DTMF_SENT:
        call->dtmf_busy = 0;
        send_next_digit(call);
        break;
    case EDGE_SIP_EV_ERROR:
        if (call->dtmf_busy) { /* that digit was refused: go on with the next */
            call->dtmf_busy = 0;
            send_next_digit(call);
        } else if (call->phase == P_INVITED) { /* the call request itself was refused */
            finish(call, "failed", 0, 0, now_ms);
        }
        break;
    default:
        break;
    }
}

/* The contact is created (or not): answer the dial. */
static void after_create(sip_call *call, int rc)
{
    edge_provider_call *c = call->start;
    int64_t now_ms = call->step.now_ms;
    call->start = NULL;
    if (rc == 0) {
        snprintf(call->contact_id, sizeof(call->contact_id), "%s", call->started.contact_id);
        call->phase = P_WAIT_OFFER;
        call->answer_by_ms = now_ms + call->b->answer_timeout_ms;
    }
    if (c == NULL) { /* the caller went away meanwhile: the contact goes too */
        finish(call, "failed", 0, 0, now_ms);
        return;
    }
    if (rc != 0) {
        c->limited = call->step.limited;
        finish(call, NULL, 0, 0, now_ms); /* no contact: only the session goes */
    } else {
        *call->start_out = call->started;
    }
    edge_provider_call_done(c, rc);
}

/* The session is ready: create the contact, then answer the dial. */
static void on_ready(sip_call *call, int64_t now_ms)
{
    edge_call_request req = {call->number, "", call->attributes};
    edge_provider_call *s = step(call, after_create, now_ms, call->start->deadline_ms);
    edge_local_bridge_create(call->b->local, s, &call->who, &req, SIP_BRIDGE_NAME, &call->started,
                             call->far_id);
}

static void on_janus(edge_janus_session *s, edge_janus_what what, const edge_sip_event *ev,
                     void *opaque)
{
    sip_call *call = opaque;
    int64_t now_ms = edge_wall_ms();
    if (what == EDGE_JANUS_READY && call->start != NULL && !call->step_busy) {
        on_ready(call, now_ms);
    } else if (what == EDGE_JANUS_FAILED || what == EDGE_JANUS_LOST) {
        finish(call, "gateway_lost", 0, 0, now_ms);
    } else if (what == EDGE_JANUS_EVENT) {
        on_sip_event(call, ev, now_ms);
    }
}

/* ---- the caller's side: the hook's operations --------------------------- */

static edge_sip_bridge *bridge_of(edge_call_bridge *hook)
{
    return (edge_sip_bridge *)hook;
}

static int b_claims(edge_call_bridge *hook, const edge_call_request *req)
{
    return edge_sip_route_find(&bridge_of(hook)->routes, req->to_number) >= 0;
}

/* A new call for the dial c (SETUP, in the table); call->uri_rc says
 * whether the number's URI fits. */
static sip_call *call_new(edge_sip_bridge *b, edge_provider_call *c, const edge_identity *who,
                          const edge_call_request *req, edge_call_started *out)
{
    sip_call *call = edge_xcalloc(1, sizeof(*call));
    int route = edge_sip_route_find(&b->routes, req->to_number);
    if (strlen(req->to_number) >= SIP_NUMBER_MAX ||
        edge_sip_route_uri(&b->routes, route, req->to_number, call->uri, sizeof(call->uri)) != 0)
        call->uri_rc = EDGE_STORE_EINVAL;
    call->b = b;
    call->who = *who;
    snprintf(call->number, sizeof(call->number), "%s", req->to_number);
    call->attributes = req->attributes_json ? edge_xstrdup(req->attributes_json) : NULL;
    call->start = c;
    call->start_out = out;
    call->started_ms = c->now_ms;
    call->early = cJSON_CreateArray();
    call->next = b->calls;
    b->calls = call;
    return call;
}

/* The dial's rate is taken (or not): set up the gateway's side. */
static void after_admit(sip_call *call, int rc)
{
    edge_sip_bridge *b = call->b;
    edge_provider_call *c = call->start;
    if (c == NULL) { /* the caller went away meanwhile */
        finish(call, NULL, 0, 0, call->step.now_ms);
        return;
    }
    if (rc == EDGE_STORE_ELIMITED)
        c->limited = call->step.limited;
    if (rc == 0 && b->janus == NULL)
        rc = EDGE_PROVIDER_EGATEWAY; /* shutting down */
    if (rc == 0)
        rc = call->uri_rc;
    if (rc != 0) {
        call->start = NULL;
        drop(call);
        edge_provider_call_done(c, rc);
        return;
    }
    if (b->spare != NULL && b->spare_ready) { /* take the warm session */
        call->js = b->spare;
        b->spare = NULL;
        edge_janus_rebind(call->js, on_janus, call);
        on_ready(call, c->now_ms); /* completes c; the next spare opens once the INVITE is out
                                    * (see spare_due) */
        return;
    }
    call->js = edge_janus_open(b->janus, b->from, on_janus, call);
    if (call->js == NULL) { /* nothing could even start */
        call->start = NULL;
        drop(call);
        edge_provider_call_done(c, EDGE_PROVIDER_EGATEWAY);
    }
}

static void b_start(edge_call_bridge *hook, edge_provider_call *c, const edge_identity *who,
                    const edge_call_request *req, edge_call_started *out)
{
    edge_sip_bridge *b = bridge_of(hook);
    sip_call *call = call_new(b, c, who, req, out);
    c->backend = call;
    edge_local_bridge_admit(b->local, step(call, after_admit, c->now_ms, c->deadline_ms), who);
}

/* The offer goes out as the SIP "call", then the candidates that waited. */
static int send_offer(sip_call *call, const char *payload_json)
{
    cJSON *payload = cJSON_Parse(payload_json);
    const cJSON *sdp = cJSON_GetObjectItemCaseSensitive(payload, "sdp");
    int rc = 0;
    if (!cJSON_IsString(sdp) || sdp->valuestring[0] == '\0')
        rc = EDGE_STORE_EINVAL;
    else if (call->phase != P_WAIT_OFFER)
        rc = EDGE_STORE_ECONFLICT; /* one offer per call: no renegotiation */
    if (rc == 0) {
        cJSON *body = cJSON_CreateObject();
        cJSON_AddStringToObject(body, "request", "call");
        cJSON_AddStringToObject(body, "uri", call->uri);
        cJSON_AddItemToObject(
            body, "headers",
            edge_sip_headers_build(call->who.email, call->contact_id, call->attributes));
        cJSON *jsep = cJSON_CreateObject();
        cJSON_AddStringToObject(jsep, "type", "offer");
        cJSON_AddStringToObject(jsep, "sdp", sdp->valuestring);
        edge_janus_message(call->js, body, jsep);
        call->phase = P_INVITED;
    }
    cJSON_Delete(payload);
    return rc;
}

/* One candidate payload to Janus: {candidate, sdpMid, sdpMLineIndex}, or
 * null / {"candidate": null or ""}: gathering completed. */
static void send_candidate(sip_call *call, const cJSON *payload)
{
    const cJSON *cand = cJSON_GetObjectItemCaseSensitive(payload, "candidate");
    if (!cJSON_IsString(cand) || cand->valuestring[0] == '\0') {
        edge_janus_trickle(call->js, NULL);
        return;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "candidate", cand->valuestring);
    const cJSON *mid = cJSON_GetObjectItemCaseSensitive(payload, "sdpMid");
    if (cJSON_IsString(mid))
        cJSON_AddStringToObject(out, "sdpMid", mid->valuestring);
    const cJSON *index = cJSON_GetObjectItemCaseSensitive(payload, "sdpMLineIndex");
    if (cJSON_IsNumber(index))
        cJSON_AddNumberToObject(out, "sdpMLineIndex", index->valueint);
    edge_janus_trickle(call->js, out);
}

static int take_candidate(sip_call *call, const char *payload_json)
{
    cJSON *payload = cJSON_Parse(payload_json);
    if (payload == NULL)
        return EDGE_STORE_EINVAL;
    if (call->phase == P_WAIT_OFFER) { /* kept, in order, until the offer is out */
        if (cJSON_GetArraySize(call->early) >= SIP_EARLY_SIGNALS_MAX) {
            cJSON_Delete(payload);
            return EDGE_STORE_ECAP;
        }
        cJSON_AddItemToArray(call->early, payload);
        return 0;
    }
    send_candidate(call, payload);
    cJSON_Delete(payload);
    return 0;
}

static void flush_early(sip_call *call)
{
    for (const cJSON *p = call->early->child; p; p = p->next)
        send_candidate(call, p);
    cJSON_Delete(call->early);
    call->early = cJSON_CreateArray();
}

static int b_signal(edge_call_bridge *hook, edge_provider_call *c, const edge_participant *from,
                    const char *type, const char *payload_json)
{
    sip_call *call = find(bridge_of(hook), from->contact_id);
    if (call == NULL)
        return 0;
    int rc = 0;
    if (from->role != EDGE_ROLE_CUSTOMER) {
        rc = EDGE_PROVIDER_EFORBIDDEN;
    } else if (strcmp(type, "offer") == 0) {
        rc = send_offer(call, payload_json);
        if (rc == 0)
            flush_early(call);
    } else if (strcmp(type, "candidate") == 0) {
        rc = take_candidate(call, payload_json);
    } else if (strcmp(type, "bye") == 0) {
        finish(call, "customer_hangup", 0, 1, c->now_ms);
    } /* answer, hold, unhold: nothing a phone line takes from the caller */
    edge_provider_call_done(c, rc);
    return 1;
}

/* 1 when the call's digits go to the caller's browser as telephone-events
 * (the browser plays them into the media), 0 when they go as SIP INFO. */
static int digits_in_media(const sip_call *call)
{
    edge_sip_dtmf mode = call->b->dtmf;
    return mode == EDGE_SIP_DTMF_RFC4733 || (mode == EDGE_SIP_DTMF_AUTO && call->telephone_event);
}

/* Digits to the caller's browser ("dtmf.play"); completes c. */
static void play_digits(sip_call *call, edge_provider_call *c, const char *digits)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", call->contact_id);
    cJSON_AddStringToObject(o, "Digits", digits);
    char *json = edge_json_print(o);
    cJSON_Delete(o);
    edge_local_bridge_tell(call->b->local, c, call->contact_id, "dtmf.play", json, c->now_ms);
    free(json);
}

/* Digits queued for SIP INFO. */
static int queue_digits(sip_call *call, const char *digits)
{
    size_t n = strlen(digits);
    if (call->dtmf_len + n > SIP_DTMF_QUEUE_MAX)
        return EDGE_STORE_ELIMITED;
    memcpy(call->dtmf + call->dtmf_len, digits, n + 1);
    call->dtmf_len += n;
    send_next_digit(call);
    return 0;
}

static int b_digits(edge_call_bridge *hook, edge_provider_call *c, const edge_identity *who,
                    const char *contact_id, const char *digits)
{
    sip_call *call = find(bridge_of(hook), contact_id);
    if (call == NULL)
        return 0;
    int rc;
    if (strcmp(who->sub, call->who.sub) != 0) {
        rc = EDGE_PROVIDER_EFORBIDDEN;
    } else if (call->phase != P_CONNECTED) {
        rc = EDGE_PROVIDER_ENOTCONNECTED;
    } else if (digits_in_media(call)) {
        play_digits(call, c, digits); /* completes c */
        return 1;
    } else {
        rc = queue_digits(call, digits);
    }
    if (rc == EDGE_STORE_ELIMITED) {
        c->limited.limit = "dtmf";
        c->limited.retry_after_s = 1;
    }
    edge_provider_call_done(c, rc);
    return 1;
}

static int b_end(edge_call_bridge *hook, edge_provider_call *c, const edge_identity *who,
                 const char *contact_id)
{
    sip_call *call = find(bridge_of(hook), contact_id);
    if (call == NULL)
        return 0;
    if (strcmp(who->sub, call->who.sub) != 0) {
        edge_provider_call_done(c, EDGE_PROVIDER_EFORBIDDEN);
        return 1;
    }
    finish(call, "customer_hangup", 0, 1, c->now_ms);
    edge_provider_call_done(c, 0);
    return 1;
}

static int b_disconnect(edge_call_bridge *hook, edge_provider_call *c, const edge_participant *who)
{
    sip_call *call = find(bridge_of(hook), who->contact_id);
    if (call == NULL)
        return 0;
    if (who->role != EDGE_ROLE_CUSTOMER) {
        edge_provider_call_done(c, EDGE_PROVIDER_EFORBIDDEN);
        return 1;
    }
    finish(call, "customer_hangup", 0, 1, c->now_ms);
    edge_provider_call_done(c, 0);
    return 1;
}

static void b_cancel(edge_call_bridge *hook, edge_provider_call *c)
{
    for (sip_call *call = bridge_of(hook)->calls; call; call = call->next) {
        if (call->start == c) {
            call->start = NULL;
            if (!call->step_busy) /* nothing was created yet */
                finish(call, NULL, 0, 0, edge_wall_ms());
            return; /* else what follows the hook in flight finishes it */
        }
    }
}

/* ---- the spare session ---------------------------------------------------- */

static void on_spare(edge_janus_session *s, edge_janus_what what, const edge_sip_event *ev,
                     void *opaque)
{
    edge_sip_bridge *b = opaque;
    if (what == EDGE_JANUS_READY) {
        b->spare_ready = 1;
    } else if (what == EDGE_JANUS_FAILED || what == EDGE_JANUS_LOST) {
        edge_janus_release(s);
        b->spare = NULL;
        b->spare_ready = 0;
        b->spare_retry_ms = edge_wall_ms() + SIP_SPARE_RETRY_MS;
    } /* no event of a session without a call matters */
}

/* Open a spare session unless there is one, Janus failed a moment ago, or
 * a call is about to send its offer (its INVITE would wait for the spare's
 * registration). */
static void spare_due(edge_sip_bridge *b, int64_t now_ms)
{
    if (b->spare != NULL || b->janus == NULL || now_ms < b->spare_retry_ms)
        return;
    for (const sip_call *c = b->calls; c; c = c->next) {
        if (c->phase == P_SETUP || c->phase == P_WAIT_OFFER ||
            (c->phase == P_INVITED && !c->invite_out))
            return; /* its INVITE has yet to go out */
    }
    b->spare_ready = 0;
    b->spare_opened_ms = now_ms;
    b->spare = edge_janus_open(b->janus, b->from, on_spare, b);
    if (b->spare == NULL)
        b->spare_retry_ms = now_ms + SIP_SPARE_RETRY_MS;
}

/* The tick's check came back: a call the contact center ended (or
 * deleted) is hung up; a store that cannot answer is asked again on the
 * next tick. */
static void after_check(sip_call *call, int rc)
{
    if (rc == EDGE_STORE_EUNAVAILABLE || rc == EDGE_STORE_ETIMEDOUT ||
        rc == EDGE_PROVIDER_ETIMEDOUT)
        return;
    if (rc != 0 || call->step_ended)
        finish(call, "ended", 0, 1, call->step.now_ms); /* the store keeps the first reason */
}

/* Once a second: dials whose gateway does not answer fail, calls not
 * answered in time end no_answer, and calls the contact center ended
 * meanwhile (the caller's tab gone) are hung up. */
static void b_tick(edge_call_bridge *hook, int64_t now_ms)
{
    edge_sip_bridge *b = bridge_of(hook);
    if (b->spare != NULL && !b->spare_ready &&
        now_ms - b->spare_opened_ms >= SIP_SETUP_TIMEOUT_MS) { /* Janus is not answering */
        edge_janus_release(b->spare);
        b->spare = NULL;
        b->spare_retry_ms = now_ms + SIP_SPARE_RETRY_MS;
    }
    spare_due(b, now_ms);
    sip_call *next;
    for (sip_call *call = b->calls; call; call = next) {
        next = call->next;
        if (call->step_busy) { /* the hook has its own deadline */
            continue;
        } else if (call->start != NULL) {
            if (now_ms - call->started_ms < SIP_SETUP_TIMEOUT_MS &&
                now_ms < call->start->deadline_ms)
                continue;
            finish(call, NULL, 0, 0, now_ms); /* the dial fails EGATEWAY */
        } else if (call->phase != P_CONNECTED && call->phase != P_SETUP &&
                   now_ms >= call->answer_by_ms) {
            finish(call, "no_answer", 0, 1, now_ms);
        } else if (call->phase != P_SETUP) {
            call->step_ended = 0;
            edge_local_bridge_ended(b->local,
                                    step(call, after_check, now_ms, now_ms + SIP_SETUP_TIMEOUT_MS),
                                    call->contact_id, &call->step_ended);
        }
    }
}

static const edge_call_bridge_ops sip_hook_ops = {
    .claims = b_claims,
    .start = b_start,
    .digits = b_digits,
    .end = b_end,
    .signal = b_signal,
    .disconnect = b_disconnect,
    .cancel = b_cancel,
    .tick = b_tick,
};

/* ---- life ------------------------------------------------------------------ */

edge_sip_bridge *edge_sip_bridge_create(uv_loop_t *loop, edge_provider *local,
                                        const edge_sip_settings *settings)
{
    edge_sip_bridge *b = edge_xcalloc(1, sizeof(*b));
    if (edge_janus_create(loop, settings->gateway_url, &b->janus) != 0) {
        edge_sip_recorder_close(settings->recorder);
        free(b);
        return NULL;
    }
    b->hook.ops = &sip_hook_ops;
    b->local = local;
    b->routes.items = settings->routes;
    b->routes.count = settings->n_routes;
    b->from = settings->from;
    b->answer_timeout_ms = settings->answer_timeout_ms;
    b->dtmf = settings->dtmf;
    b->recorder = settings->recorder;
    spare_due(b, edge_wall_ms()); /* Janus may not be up yet: the tick tries again */
    return b;
}

edge_call_bridge *edge_sip_bridge_hook(edge_sip_bridge *b)
{
    return &b->hook;
}

void edge_sip_bridge_shutdown(edge_sip_bridge *b)
{
    int64_t now_ms = edge_wall_ms();
    if (b->spare != NULL)
        edge_janus_release(b->spare);
    b->spare = NULL;
    while (b->calls) {
        finish(b->calls, "gateway_lost", 0, 1, now_ms); /* a pending dial fails EGATEWAY */
    }
    if (b->janus)
        edge_janus_close(b->janus);
    b->janus = NULL;
    b->record_stats = edge_sip_recorder_stats(b->recorder);
    edge_sip_recorder_close(b->recorder); /* after the calls: their conversions are dropped */
    b->recorder = NULL;
}

edge_sip_record_stats edge_sip_bridge_record_stats(const edge_sip_bridge *b)
{
    return b->recorder ? edge_sip_recorder_stats(b->recorder) : b->record_stats;
}

void edge_sip_bridge_free(edge_sip_bridge *b)
{
    if (b == NULL)
        return;
    /* the provider is gone: its destroy cancelled every hook in flight */
    for (sip_call *call = b->calls; call; call = call->next)
        call->step_busy = 0;
    if (b->janus) /* never shut down: the loop is over, nothing can be sent */
        edge_sip_bridge_shutdown(b);
    free(b);
}

int edge_sip_dtmf_parse(const char *text, edge_sip_dtmf *out)
{
    if (strcmp(text, "auto") == 0)
        *out = EDGE_SIP_DTMF_AUTO;
    else if (strcmp(text, "rfc4733") == 0)
        *out = EDGE_SIP_DTMF_RFC4733;
    else if (strcmp(text, "info") == 0)
        *out = EDGE_SIP_DTMF_INFO;
    else
        return -1;
    return 0;
}
