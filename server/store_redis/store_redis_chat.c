/* store_redis_chat.c - the Redis store's participant, message and event
 * ops. message_send stores the message and one event per participant in
 * one script (all or none), with the ClientToken and the cap checked in
 * the same step; events use redis_feed's streams and id counter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_backend.h"
#include "store_redis/store_redis_internal.h"

#define EVENTS_MAX 256 /* events in one events_add */

/* ---- participants ---- */

/* {0, participant pairs} */
static int parse_participant(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    return edge__rs_participant(edge__rs_at(r, 1), q->out[0]) != 0 ? EDGE_STORE_EINTERNAL : 0;
}

static void rs_participant_get(edge_store_async *s, edge_store_call *c, const char *participant_id,
                               edge_participant *out)
{
    memset(out, 0, sizeof(*out));
    if (edge__store_id_ok(participant_id)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_participant);
    if (q == NULL)
        return;
    q->out[0] = out;
    edge__rs_run(q, RS_PARTICIPANT_GET, 1, &participant_id, NULL);
}

/* {0, [participant pairs...]} */
static int parse_participants(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *list = edge__rs_at(r, 1);
    edge_participant *out = q->out[0];
    size_t *count = q->out[1];
    for (size_t i = 0; list != NULL && i < list->elements && *count < q->cap; i++) {
        if (edge__rs_participant(list->element[i], &out[*count]) != 0) {
            *count = 0;
            return EDGE_STORE_EINTERNAL;
        }
        (*count)++;
    }
    return 0;
}

static void rs_participants_of(edge_store_async *s, edge_store_call *c, const char *contact_id,
                               edge_participant *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count) || edge__store_id_ok(contact_id)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    if (cap == 0) {
        edge_store_call_done(c, 0);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_participants);
    if (q == NULL)
        return;
    q->out[0] = out, q->out[1] = count, q->cap = cap;
    char n[24];
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {contact_id, n};
    edge__rs_run(q, RS_PARTICIPANTS_OF, 2, argv, NULL);
}

/* ---- messages ---- */

/* A message from the scripts' flat form: id, contact, participant, role,
 * display name, content type, content, seq, created. */
static int read_message(const redisReply *m, edge_message *out)
{
    memset(out, 0, sizeof(*out));
    if (m == NULL || m->type != REDIS_REPLY_ARRAY || m->elements < 9)
        return EDGE_STORE_EINTERNAL;
    snprintf(out->id, sizeof(out->id), "%s", edge__rs_str(m, 0));
    snprintf(out->contact_id, sizeof(out->contact_id), "%s", edge__rs_str(m, 1));
    snprintf(out->participant_id, sizeof(out->participant_id), "%s", edge__rs_str(m, 2));
    out->role = strcmp(edge__rs_str(m, 3), "agent") == 0 ? EDGE_ROLE_AGENT : EDGE_ROLE_CUSTOMER;
    snprintf(out->display_name, sizeof(out->display_name), "%s", edge__rs_str(m, 4));
    snprintf(out->content_type, sizeof(out->content_type), "%s", edge__rs_str(m, 5));
    out->seq = edge__rs_int(m, 7);
    out->created_ms = edge__rs_int(m, 8);
    out->content = strdup(edge__rs_str(m, 6));
    return out->content != NULL ? 0 : EDGE_STORE_EINTERNAL;
}

/* The events a send stored: one per participant, ids in r[3], data r[4]. */
static int read_send_events(edge__rs_req *q, const redisReply *r, const edge_message *m)
{
    const redisReply *ids = edge__rs_at(r, 3);
    edge_event *ev = q->out[2];
    size_t *count = q->out[3];
    for (size_t i = 0; ids != NULL && i < ids->elements && i < q->cap; i++) {
        edge_event *e = &ev[i];
        memset(e, 0, sizeof(*e));
        e->id = edge__rs_int(ids, i);
        e->created_ms = m->created_ms;
        snprintf(e->contact_id, sizeof(e->contact_id), "%s", m->contact_id);
        snprintf(e->participant_id, sizeof(e->participant_id), "%s",
                 edge__rs_str(edge__rs_at(r, 5), i));
        snprintf(e->type, sizeof(e->type), "%s", q->own[1]);
        e->data_json = strdup(edge__rs_str(r, 4));
        (*count)++;
        if (e->data_json == NULL)
            return EDGE_STORE_EINTERNAL;
    }
    return 0;
}

/* {0, replayed, message, [event ids], event data, [their participants]} */
static int parse_send(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    edge_message *m = q->out[0];
    int rc = read_message(edge__rs_at(r, 2), m);
    if (q->out[1] != NULL)
        *(int *)q->out[1] = (int)edge__rs_int(r, 1);
    if (rc == 0 && q->out[2] != NULL)
        rc = read_send_events(q, r, m);
    if (rc != 0) {
        edge_message_free(m);
        memset(m, 0, sizeof(*m));
        if (q->out[3] != NULL) {
            edge_event *ev = q->out[2];
            for (size_t i = 0; i < *(size_t *)q->out[3]; i++)
                edge_event_free(&ev[i]);
            *(size_t *)q->out[3] = 0;
        }
        if (q->out[1] != NULL)
            *(int *)q->out[1] = 0;
    }
    return rc;
}

/* A fresh placeholder seq (store_async.h), from a new random id's first
 * 15 hex digits. 0 or EDGE_STORE_EINTERNAL. */
static int pending_seq(int64_t *seq)
{
    char rnd[EDGE_STORE_ID_MAX];
    if (edge__store_new_id(rnd) != 0)
        return EDGE_STORE_EINTERNAL;
    rnd[15] = '\0';
    uint64_t span = (uint64_t)(EDGE_STORE_SEQ_PENDING_MAX - EDGE_STORE_SEQ_PENDING_MIN);
    *seq = EDGE_STORE_SEQ_PENDING_MIN + (int64_t)(strtoull(rnd, NULL, 16) % span);
    return 0;
}

/* The event data for a message not stored yet (seq the placeholder). */
static char *pending_event(const edge_message_send *in, const char *mid, int64_t seq,
                           int64_t now_ms)
{
    edge_message m = {.seq = seq, .created_ms = now_ms};
    snprintf(m.id, sizeof(m.id), "%s", mid);
    snprintf(m.participant_id, sizeof(m.participant_id), "%s", in->participant_id);
    snprintf(m.content_type, sizeof(m.content_type), "%s", in->content_type);
    if (in->sender != NULL) { /* else the data has no contact, an empty name, role 0 */
        snprintf(m.contact_id, sizeof(m.contact_id), "%s", in->sender->contact_id);
        snprintf(m.display_name, sizeof(m.display_name), "%s", in->sender->display_name);
        m.role = in->sender->role;
    }
    m.content = (char *)in->content;
    return in->event_json(&m, in->ctx);
}

static void send_message(edge_store_async *s, edge_store_call *c, const edge_message_send *in,
                         int64_t max_count, edge_message *out, edge_event *events, size_t cap,
                         size_t *count, int *replayed)
{
    char mid[EDGE_STORE_ID_MAX], max[24], ncap[24], pending[24];
    int64_t seq = 0;
    if (edge__store_new_id(mid) != 0 || pending_seq(&seq) != 0) {
        edge_store_call_done(c, EDGE_STORE_EINTERNAL);
        return;
    }
    char *data = NULL, *type = NULL;
    if (in->event_json != NULL && cap > 0) {
        data = pending_event(in, mid, seq, c->now_ms);
        type = strdup(in->event_type);
        if (data == NULL || type == NULL) {
            free(data);
            free(type);
            edge_store_call_done(c, data == NULL ? EDGE_STORE_EINVAL : EDGE_STORE_EINTERNAL);
            return;
        }
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_send);
    if (q == NULL) {
        free(data);
        free(type);
        return;
    }
    q->out[0] = out, q->out[1] = replayed, q->out[2] = events, q->out[3] = count;
    q->own[0] = data, q->own[1] = type, q->cap = cap;
    snprintf(max, sizeof(max), "%lld", (long long)(max_count > 0 ? max_count : 0));
    snprintf(ncap, sizeof(ncap), "%zu", data != NULL ? cap : 0);
    snprintf(pending, sizeof(pending), "%lld", (long long)seq);
    const char *argv[] = {in->participant_id,
                          in->content_type,
                          in->content,
                          in->client_token != NULL ? in->client_token : "",
                          max,
                          mid,
                          type != NULL ? type : "",
                          data != NULL ? data : "",
                          ncap,
                          pending};
    edge__rs_run(q, RS_MESSAGE_SEND, 10, argv, NULL);
}

static void rs_message_send(edge_store_async *s, edge_store_call *c, const edge_message_send *in,
                            edge_message *out, edge_event *events, size_t cap, size_t *count,
                            int *replayed)
{
    memset(out, 0, sizeof(*out));
    *replayed = 0;
    if (edge__store_list_ok(events, cap, count) || edge__store_message_send_ok(in)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    send_message(s, c, in, in->max_count, out, events, cap, count, replayed);
}

static void rs_message_add(edge_store_async *s, edge_store_call *c, const char *participant_id,
                           const char *content_type, const char *content, size_t max_bytes,
                           int64_t max_count, edge_message *out)
{
    memset(out, 0, sizeof(*out));
    size_t len = content != NULL ? strlen(content) : 0;
    if (edge__store_id_ok(participant_id) || edge__store_content_type_ok(content_type) ||
        len == 0 || len > max_bytes || max_count < 0) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge_message_send in = {.participant_id = participant_id,
                            .content_type = content_type,
                            .content = content,
                            .max_bytes = max_bytes};
    send_message(s, c, &in, max_count, out, NULL, 0, NULL, NULL);
}

/* {0, more, [messages...]} */
static int parse_transcript(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *list = edge__rs_at(r, 2);
    edge_message *out = q->out[0];
    size_t *count = q->out[1];
    for (size_t i = 0; list != NULL && i < list->elements && *count < q->cap; i++) {
        if (read_message(list->element[i], &out[*count]) != 0) {
            for (size_t j = 0; j < *count; j++)
                edge_message_free(&out[j]);
            *count = 0;
            return EDGE_STORE_EINTERNAL;
        }
        (*count)++;
    }
    *(int *)q->out[2] = (int)edge__rs_int(r, 1);
    return 0;
}

static void rs_transcript(edge_store_async *s, edge_store_call *c, const char *contact_id,
                          int64_t after_seq, edge_message *out, size_t cap, size_t *count,
                          int *more)
{
    *more = 0;
    if (edge__store_list_ok(out, cap, count) || edge__store_id_ok(contact_id) || cap == 0) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_transcript);
    if (q == NULL)
        return;
    q->out[0] = out, q->out[1] = count, q->out[2] = more, q->cap = cap;
    char after[24], n[24];
    snprintf(after, sizeof(after), "%lld", (long long)(after_seq > 0 ? after_seq : 0));
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {contact_id, after, n};
    edge__rs_run(q, RS_TRANSCRIPT, 3, argv, NULL);
}

/* ---- events ---- */

/* {0, [ids...]} */
static int parse_ids(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *ids = edge__rs_at(r, 1);
    if (ids == NULL || ids->elements != q->cap)
        return EDGE_STORE_EINTERNAL;
    for (size_t i = 0; i < q->cap; i++)
        ((int64_t *)q->out[0])[i] = edge__rs_int(ids, i);
    return 0;
}

static void rs_events_add(edge_store_async *s, edge_store_call *c, const edge_event_in *in,
                          size_t n, int64_t *ids)
{
    int rc = in == NULL || ids == NULL || n == 0 || n > EVENTS_MAX ? EDGE_STORE_EINVAL : 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = edge__store_event_ok(&in[i]);
    if (rc != 0) {
        edge_store_call_done(c, rc);
        return;
    }
    memset(ids, 0, n * sizeof(*ids));
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_ids);
    if (q == NULL)
        return;
    q->out[0] = ids, q->cap = n;
    const char *argv[1 + 4 * EVENTS_MAX];
    char count[24];
    snprintf(count, sizeof(count), "%zu", n);
    argv[0] = count;
    for (size_t i = 0; i < n; i++) {
        argv[1 + 4 * i] = in[i].participant_id;
        argv[2 + 4 * i] = in[i].contact_id != NULL ? in[i].contact_id : "";
        argv[3 + 4 * i] = in[i].type;
        argv[4 + 4 * i] = in[i].data_json != NULL ? in[i].data_json : "null";
    }
    edge__rs_run(q, RS_EVENTS_ADD, (int)(1 + 4 * n), argv, NULL);
}

/* One stream entry [id "n-0", [c, ..., t, ..., d, ..., at, ...]]. */
static int read_event(const redisReply *entry, const char *feed, edge_event *e)
{
    memset(e, 0, sizeof(*e));
    const redisReply *fields = edge__rs_at(entry, 1);
    if (fields == NULL || fields->type != REDIS_REPLY_ARRAY)
        return EDGE_STORE_EINTERNAL;
    e->id = strtoll(edge__rs_str(entry, 0), NULL, 10);
    snprintf(e->participant_id, sizeof(e->participant_id), "%s", feed);
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        const char *k = edge__rs_str(fields, i), *v = edge__rs_str(fields, i + 1);
        if (!strcmp(k, "c"))
            snprintf(e->contact_id, sizeof(e->contact_id), "%s", v);
        else if (!strcmp(k, "t"))
            snprintf(e->type, sizeof(e->type), "%s", v);
        else if (!strcmp(k, "at"))
            e->created_ms = strtoll(v, NULL, 10);
        else if (!strcmp(k, "d") && e->data_json == NULL && (e->data_json = strdup(v)) == NULL)
            return EDGE_STORE_EINTERNAL;
    }
    return e->data_json != NULL && e->id > 0 ? 0 : EDGE_STORE_EINTERNAL;
}

/* {0, [entries...]} */
static int parse_events(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *list = edge__rs_at(r, 1);
    edge_event *out = q->out[0];
    size_t *count = q->out[1];
    for (size_t i = 0; list != NULL && i < list->elements && *count < q->cap; i++) {
        int rc = read_event(list->element[i], q->own[0], &out[*count]);
        (*count)++;
        if (rc != 0) {
            for (size_t j = 0; j < *count; j++)
                edge_event_free(&out[j]);
            *count = 0;
            return rc;
        }
    }
    return 0;
}

static void rs_events_since(edge_store_async *s, edge_store_call *c, const char *participant_id,
                            int64_t after_id, edge_event *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count) || edge__store_id_ok(participant_id) || cap == 0) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_events);
    if (q == NULL)
        return;
    /* the feed id outlives the start call in the request's own copy */
    q->own[0] = strdup(participant_id);
    if (q->own[0] == NULL) {
        edge__rs_req_free(q);
        edge_store_call_done(c, EDGE_STORE_EINTERNAL);
        return;
    }
    q->out[0] = out, q->out[1] = count, q->cap = cap;
    char after[24], n[24];
    snprintf(after, sizeof(after), "%lld", (long long)(after_id > 0 ? after_id : 0));
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {participant_id, after, n};
    edge__rs_run(q, RS_EVENTS_SINCE, 3, argv, NULL);
}

/* {0, id} */
static int parse_last_id(edge__rs_req *q, int code, const redisReply *r)
{
    if (code == 0)
        *(int64_t *)q->out[0] = edge__rs_int(r, 1);
    return code;
}

static void rs_events_last_id(edge_store_async *s, edge_store_call *c, const char *participant_id,
                              int64_t *id)
{
    if (id == NULL || edge__store_id_ok(participant_id)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    *id = 0;
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_last_id);
    if (q == NULL)
        return;
    q->out[0] = id;
    edge__rs_run(q, RS_EVENTS_LAST_ID, 1, &participant_id, NULL);
}

void edge__rs_chat_ops(edge_store_async_ops *ops)
{
    ops->participant_get = rs_participant_get;
    ops->participants_of = rs_participants_of;
    ops->message_add = rs_message_add;
    ops->message_send = rs_message_send;
    ops->transcript = rs_transcript;
    ops->events_add = rs_events_add;
    ops->events_since = rs_events_since;
    ops->events_last_id = rs_events_last_id;
}
