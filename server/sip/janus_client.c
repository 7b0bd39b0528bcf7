/* janus_client.c - a Janus session with one SIP handle over the upstream
 * HTTP client (see janus_client.h).
 *
 * A session has at most two requests in flight: the head of its send
 * queue (POSTs, strictly one after the other) and its long-poll (GET).
 * It frees itself only when it is released, neither request is in flight
 * and no callback of its is running. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "sip/janus_client.h"
#include "sip/sip_event.h"
#include "upstream/http_client.h"

#define JANUS_SEND_TIMEOUT_MS 5000  /* one POST, answered at once by Janus */
#define JANUS_POLL_TIMEOUT_MS 40000 /* Janus answers a long-poll within 30 s */
#define JANUS_POLL_MAXEV 8
#define JANUS_PATH_MAX 64

struct edge_janus {
    edge_upstream *up;
    edge_janus_session *sessions; /* every session not yet freed */
    uint64_t next_transaction;
};

typedef enum { TO_ROOT, TO_SESSION, TO_HANDLE } target;

typedef struct out_msg {
    struct out_msg *next;
    target to;
    cJSON *body;
} out_msg;

/* S_CLOSING: released, its "destroy" queued; S_DEAD: nothing more is sent */
typedef enum { S_CREATING, S_ATTACHING, S_REGISTERING, S_READY, S_CLOSING, S_DEAD } stage;

struct edge_janus_session {
    edge_janus *j;
    edge_janus_session *prev, *next; /* in j->sessions */
    uint64_t session_id, handle_id;
    stage stage;
    edge_janus_cb cb; /* NULL once released */
    void *opaque;
    out_msg *head, *tail;
    edge_upstream_req *send_req, *poll_req;
    int released, in_cb;
    char *sip_from; /* owned: the guest identity to register */
};

static void send_next(edge_janus_session *s);
static void poll_start(edge_janus_session *s);

int edge_janus_create(uv_loop_t *loop, const char *url, edge_janus **out)
{
    edge_upstream_options o;
    edge_upstream_options_default(&o);
    o.max_connections = 1024; /* a long-poll per call, and its messages */
    o.max_idle = 16;
    /* Janus's HTTP server drops idle keep-alive connections after 120 s:
     * closing ours well before means a POST never meets a connection it
     * is closing (a POST is not sent twice, so that would fail it) */
    o.idle_timeout_ms = 20000;
    o.connect_timeout_ms = 1000;
    o.request_timeout_ms = JANUS_SEND_TIMEOUT_MS;
    o.max_body_bytes = 512 * 1024; /* a few events with SDPs */
    edge_janus *j = edge_xcalloc(1, sizeof(*j));
    if (edge_upstream_create(loop, url, &o, &j->up) != 0) {
        free(j);
        return -1;
    }
    *out = j;
    return 0;
}

static void drop_queue(edge_janus_session *s)
{
    while (s->head) {
        out_msg *m = s->head;
        s->head = m->next;
        cJSON_Delete(m->body);
        free(m);
    }
    s->tail = NULL;
}

/* Free s if nothing of it is running any more. */
static void maybe_free(edge_janus_session *s)
{
    if (!s->released || s->send_req || s->poll_req || s->in_cb || s->head)
        return;
    if (s->prev)
        s->prev->next = s->next;
    else
        s->j->sessions = s->next;
    if (s->next)
        s->next->prev = s->prev;
    free(s->sip_from);
    free(s);
}

static void report(edge_janus_session *s, edge_janus_what what, const edge_sip_event *ev)
{
    if (s->cb == NULL)
        return;
    s->in_cb++;
    s->cb(s, what, ev, s->opaque);
    s->in_cb--;
}

/* Janus is gone for s: FAILED before READY, LOST after; nothing more is sent. */
static void die(edge_janus_session *s)
{
    stage was = s->stage;
    if (was == S_DEAD)
        return;
    s->stage = S_DEAD;
    drop_queue(s);
    s->in_cb++; /* s outlives the cancel below; the caller frees it if due */
    if (s->poll_req)
        edge_upstream_cancel(s->poll_req); /* its callback sees S_DEAD */
    if (was != S_CLOSING)
        report(s, was == S_READY ? EDGE_JANUS_LOST : EDGE_JANUS_FAILED, NULL);
    s->in_cb--;
}

static void enqueue(edge_janus_session *s, target to, cJSON *body)
{
    if (s->stage == S_DEAD) {
        cJSON_Delete(body);
        return;
    }
    char tx[24];
    snprintf(tx, sizeof(tx), "c2c%" PRIu64, ++s->j->next_transaction);
    cJSON_AddStringToObject(body, "transaction", tx);
    out_msg *m = edge_xcalloc(1, sizeof(*m));
    m->to = to;
    m->body = body;
    if (s->tail)
        s->tail->next = m;
    else
        s->head = m;
    s->tail = m;
    send_next(s);
}

static cJSON *janus_request(const char *verb)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "janus", verb);
    return o;
}

/* data.id of a "success" answer, or 0. */
static uint64_t success_id(const cJSON *answer)
{
    const cJSON *janus = cJSON_GetObjectItemCaseSensitive(answer, "janus");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(answer, "data");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(data, "id");
    if (!cJSON_IsString(janus) || strcmp(janus->valuestring, "success") != 0 ||
        !cJSON_IsNumber(id) || id->valuedouble < 1)
        return 0;
    return (uint64_t)id->valuedouble;
}

/* The setup's next step once Janus answered the current one. */
static void setup_step(edge_janus_session *s, const cJSON *answer)
{
    uint64_t id = success_id(answer);
    if (id == 0) {
        die(s);
        return;
    }
    if (s->stage == S_CREATING) {
        s->session_id = id;
        s->stage = S_ATTACHING;
        cJSON *attach = janus_request("attach");
        cJSON_AddStringToObject(attach, "plugin", "janus.plugin.sip");
        enqueue(s, TO_SESSION, attach);
    } else {
        s->handle_id = id;
        s->stage = S_REGISTERING;
        cJSON *reg = cJSON_CreateObject();
        cJSON_AddStringToObject(reg, "request", "register");
        cJSON_AddStringToObject(reg, "type", "guest");
        cJSON_AddStringToObject(reg, "username", s->sip_from);
        edge_janus_message(s, reg, NULL);
        poll_start(s); /* "registered" arrives as an event */
    }
}

/* An answer that arrives after the owner let go: a session created
 * meanwhile is destroyed; anything else is of no interest. */
static void released_answer(edge_janus_session *s, const cJSON *answer)
{
    uint64_t id = s->stage == S_CREATING ? success_id(answer) : 0;
    if (id == 0)
        return;
    s->session_id = id;
    s->stage = S_CLOSING;
    enqueue(s, TO_SESSION, janus_request("destroy"));
}

static void on_sent(edge_upstream_req *req, const edge_upstream_result *res, void *opaque)
{
    edge_janus_session *s = opaque;
    s->send_req = NULL;
    cJSON *answer = res->error == 0 && res->status == 200 ? edge_upstream_result_json(res) : NULL;
    if (answer == NULL)
        die(s); /* unreachable, or not Janus */
    else if (s->released)
        released_answer(s, answer);
    else if (s->stage == S_CREATING || s->stage == S_ATTACHING)
        setup_step(s, answer);
    /* else an "ack" (events follow on the long-poll) or an "error" answer
     * to one request (such as a hangup of a call that is over): the
     * session itself is fine */
    cJSON_Delete(answer);
    if (s->stage == S_DEAD)
        drop_queue(s);
    send_next(s);
    maybe_free(s);
}

static void path_of(const edge_janus_session *s, target to, char *out, size_t cap)
{
    if (to == TO_ROOT)
        snprintf(out, cap, "%s", "");
    else if (to == TO_SESSION)
        snprintf(out, cap, "/%" PRIu64, s->session_id);
    else
        snprintf(out, cap, "/%" PRIu64 "/%" PRIu64, s->session_id, s->handle_id);
}

static void send_next(edge_janus_session *s)
{
    if (s->send_req || s->head == NULL)
        return;
    out_msg *m = s->head;
    s->head = m->next;
    if (s->head == NULL)
        s->tail = NULL;
    char path[JANUS_PATH_MAX];
    path_of(s, m->to, path, sizeof(path));
    int rc = edge_upstream_start_json(s->j->up, "POST", path, m->body, JANUS_SEND_TIMEOUT_MS,
                                      on_sent, s, &s->send_req);
    cJSON_Delete(m->body);
    free(m);
    if (rc != 0) {
        s->send_req = NULL;
        die(s);
    }
}

/* Each message of a long-poll answer (one object, or an array of them). */
static void deliver(edge_janus_session *s, const cJSON *msg)
{
    edge_sip_event ev;
    edge_sip_event_parse(msg, s->handle_id, &ev);
    if (ev.kind == EDGE_SIP_EV_GONE) {
        die(s);
    } else if (s->stage == S_REGISTERING) {
        if (ev.kind == EDGE_SIP_EV_REGISTERED) {
            s->stage = S_READY;
            report(s, EDGE_JANUS_READY, NULL);
        } else if (ev.kind == EDGE_SIP_EV_ERROR) {
            die(s);
        }
    } else if (s->stage == S_READY && ev.kind != EDGE_SIP_EV_IGNORED) {
        report(s, EDGE_JANUS_EVENT, &ev);
    }
}

static void on_polled(edge_upstream_req *req, const edge_upstream_result *res, void *opaque)
{
    edge_janus_session *s = opaque;
    s->poll_req = NULL;
    cJSON *answer = res->error == 0 && res->status == 200 ? edge_upstream_result_json(res) : NULL;
    if (s->released || s->stage == S_DEAD) {
        cJSON_Delete(answer);
        maybe_free(s);
        return;
    }
    const cJSON *janus = cJSON_GetObjectItemCaseSensitive(answer, "janus");
    if (answer == NULL || (cJSON_IsString(janus) && strcmp(janus->valuestring, "error") == 0)) {
        die(s); /* Janus gone, or "no such session" */
    } else if (cJSON_IsArray(answer)) {
        for (const cJSON *m = answer->child; m && s->stage != S_DEAD && !s->released; m = m->next)
            deliver(s, m);
    } else {
        deliver(s, answer);
    }
    cJSON_Delete(answer);
    if (!s->released && s->stage != S_DEAD)
        poll_start(s);
    maybe_free(s);
}

static void poll_start(edge_janus_session *s)
{
    char path[JANUS_PATH_MAX];
    snprintf(path, sizeof(path), "/%" PRIu64 "?maxev=%d", s->session_id, JANUS_POLL_MAXEV);
    edge_upstream_request r = {.method = "GET", .path = path, .timeout_ms = JANUS_POLL_TIMEOUT_MS};
    if (edge_upstream_start(s->j->up, &r, on_polled, s, &s->poll_req) != 0) {
        s->poll_req = NULL;
        die(s);
    }
}

edge_janus_session *edge_janus_open(edge_janus *j, const char *sip_from, edge_janus_cb cb,
                                    void *opaque)
{
    edge_janus_session *s = edge_xcalloc(1, sizeof(*s));
    s->j = j;
    s->opaque = opaque;
    s->sip_from = edge_xstrdup(sip_from);
    s->next = j->sessions;
    if (j->sessions)
        j->sessions->prev = s;
    j->sessions = s;
    enqueue(s, TO_ROOT, janus_request("create")); /* no callback yet: none fires in here */
    if (s->stage == S_DEAD) {                     /* the first request could not even start */
        s->released = 1;
        maybe_free(s);
        return NULL;
    }
    s->cb = cb;
    return s;
}

void edge_janus_rebind(edge_janus_session *s, edge_janus_cb cb, void *opaque)
{
    s->cb = cb;
    s->opaque = opaque;
}

void edge_janus_message(edge_janus_session *s, cJSON *body, cJSON *jsep)
{
    cJSON *m = janus_request("message");
    cJSON_AddItemToObject(m, "body", body);
    if (jsep)
        cJSON_AddItemToObject(m, "jsep", jsep);
    enqueue(s, TO_HANDLE, m);
}

void edge_janus_trickle(edge_janus_session *s, cJSON *candidate)
{
    cJSON *m = janus_request("trickle");
    if (candidate) {
        cJSON_AddItemToObject(m, "candidate", candidate);
    } else {
        cJSON *done = cJSON_AddObjectToObject(m, "candidate");
        cJSON_AddBoolToObject(done, "completed", 1);
    }
    enqueue(s, TO_HANDLE, m);
}

void edge_janus_release(edge_janus_session *s)
{
    if (s->released)
        return;
    s->released = 1;
    s->cb = NULL;
    if (s->session_id != 0 && s->stage != S_DEAD) {
        s->stage = S_CLOSING;
        enqueue(s, TO_SESSION, janus_request("destroy")); /* the handle goes with it */
    } else if (s->stage != S_DEAD && s->send_req == NULL) {
        drop_queue(s); /* nothing on Janus to destroy */
    }                  /* else "create" is on its way: released_answer destroys what it makes */
    if (s->poll_req)
        edge_upstream_cancel(s->poll_req); /* frees s when nothing else runs */
    else
        maybe_free(s);
}

static void on_upstream_closed(edge_upstream *u, void *opaque)
{
    free(opaque);
}

void edge_janus_close(edge_janus *j)
{
    edge_janus_session *next;
    for (edge_janus_session *s = j->sessions; s; s = next) {
        next = s->next;
        s->cb = NULL;
        s->released = 1;
        s->stage = S_DEAD;
        drop_queue(s);
        maybe_free(s); /* those with a request in flight go with its callback */
    }
    /* every request's callback fires (cancelled) before this returns,
     * and each frees its session */
    edge_upstream_close(j->up, on_upstream_closed, j);
}
