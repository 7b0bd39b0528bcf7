/* store_redis_contacts.c - the Redis store's contact ops: starting chats
 * and calls, a contact's life (ring, accept, requeue, end), queues and an
 * agent's contacts. Each is one script (store_redis_lua.c); checks that
 * need no data happen here first, as store.c does them. */
#include <stdio.h>
#include <string.h>

#include "store/store_backend.h"
#include "store_redis/store_redis_internal.h"

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* ---- starting ---- */

/* {0, resumed, contact pairs, customer pairs[, a redeemed code's agent's name]} */
static int parse_chat_start(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    edge_contact *contact = q->out[0];
    int rc = edge__rs_contact(edge__rs_at(r, 2), contact);
    if (rc == 0 && edge__rs_participant(edge__rs_at(r, 3), q->out[1]) != 0)
        rc = EDGE_STORE_EINTERNAL;
    if (rc != 0) {
        edge_contact_free(contact);
        memset(contact, 0, sizeof(*contact));
        memset(q->out[1], 0, sizeof(edge_participant));
        return rc;
    }
    *(int *)q->out[2] = (int)edge__rs_int(r, 1);
    snprintf(contact->route_agent_name, sizeof(contact->route_agent_name), "%s",
             edge__rs_str(r, 4));
    return 0;
}

static int chat_start_ok(const edge_chat_start *in)
{
    if (in == NULL || edge__store_text_ok(in->sub, 1) || edge__store_text_ok(in->name, 0) ||
        edge__store_text_ok(in->email, 0) || edge__store_text_ok(in->display_name, 0) ||
        edge__store_text_ok(in->queue, 0) ||
        (in->route_id != NULL && (in->route_id[0] == '\0' || strlen(in->route_id) >= 16)))
        return EDGE_STORE_EINVAL;
    return 0;
}

static void rs_chat_start(edge_store_async *s, edge_store_call *c, const edge_chat_start *in,
                          edge_contact *contact, edge_participant *customer, int *resumed)
{
    memset(contact, 0, sizeof(*contact));
    memset(customer, 0, sizeof(*customer));
    *resumed = 0;
    char cid[EDGE_STORE_ID_MAX], pid[EDGE_STORE_ID_MAX], mid[EDGE_STORE_ID_MAX], prio[16];
    int rc = chat_start_ok(in);
    if (rc == 0)
        rc = edge__store_new_id(cid) || edge__store_new_id(pid) || edge__store_new_id(mid)
                 ? EDGE_STORE_EINTERNAL
                 : 0;
    if (rc != 0) {
        edge_store_call_done(c, rc);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_chat_start);
    if (q == NULL)
        return;
    q->out[0] = contact, q->out[1] = customer, q->out[2] = resumed;
    snprintf(prio, sizeof(prio), "%d", in->priority > 0 ? in->priority : EDGE__DEFAULT_PRIORITY);
    const char *argv[] = {in->sub,
                          or_empty(in->name),
                          or_empty(in->email),
                          or_empty(in->display_name),
                          or_empty(in->queue),
                          prio,
                          in->attributes_json != NULL ? "1" : "0",
                          or_empty(in->attributes_json),
                          or_empty(in->initial_message),
                          or_empty(in->route_id),
                          cid,
                          pid,
                          mid};
    edge__rs_run(q, RS_CHAT_START, 13, argv, NULL);
}

/* Copy the field of "a\tb\tc" that starts at *p into out; *p moves past
 * its tab. */
static void open_field(const char **p, char *out, size_t cap)
{
    size_t n = strcspn(*p, "\t");
    snprintf(out, cap, "%.*s", (int)n, *p);
    *p += n + ((*p)[n] == '\t');
}

/* oc:<sub>'s value "<contact id>\t<customer id>\t<previous id>" */
static int parse_chat_open(edge__rs_req *q, int code, const redisReply *r)
{
    edge_open_chat *out = q->out[0];
    const char *p = r->str;
    open_field(&p, out->contact_id, sizeof(out->contact_id));
    open_field(&p, out->participant_id, sizeof(out->participant_id));
    open_field(&p, out->previous_contact_id, sizeof(out->previous_contact_id));
    if (out->contact_id[0] == '\0' || out->participant_id[0] == '\0') {
        memset(out, 0, sizeof(*out));
        return EDGE_STORE_EINTERNAL;
    }
    return code;
}

static void rs_chat_open(edge_store_async *s, edge_store_call *c, const char *sub,
                         edge_open_chat *out)
{
    memset(out, 0, sizeof(*out));
    if (edge__store_text_ok(sub, 1)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_chat_open);
    if (q == NULL)
        return;
    q->out[0] = out;
    char key[EDGE_STORE_TEXT_MAX + 4];
    snprintf(key, sizeof(key), "oc:%s", sub);
    edge__rs_get(q, key); /* one GET, no script: the fast path of a resume */
}

/* {0, contact pairs, customer pairs} */
static int parse_call_start(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    edge_contact *contact = q->out[0];
    int rc = edge__rs_contact(edge__rs_at(r, 1), contact);
    if (rc == 0 && edge__rs_participant(edge__rs_at(r, 2), q->out[1]) != 0) {
        edge_contact_free(contact);
        memset(contact, 0, sizeof(*contact));
        memset(q->out[1], 0, sizeof(edge_participant));
        rc = EDGE_STORE_EINTERNAL;
    }
    return rc;
}

static void rs_call_start(edge_store_async *s, edge_store_call *c, const edge_call_start *in,
                          edge_contact *contact, edge_participant *customer)
{
    memset(contact, 0, sizeof(*contact));
    memset(customer, 0, sizeof(*customer));
    char cid[EDGE_STORE_ID_MAX], pid[EDGE_STORE_ID_MAX], prio[16], max[16];
    int rc = in == NULL || edge__store_text_ok(in->sub, 1) || edge__store_text_ok(in->name, 0) ||
                     edge__store_text_ok(in->email, 0) || edge__store_text_ok(in->queue, 0) ||
                     edge__store_text_ok(in->to_number, 0)
                 ? EDGE_STORE_EINVAL
                 : 0;
    if (rc == 0 && (edge__store_new_id(cid) || edge__store_new_id(pid)))
        rc = EDGE_STORE_EINTERNAL;
    if (rc != 0) {
        edge_store_call_done(c, rc);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_call_start);
    if (q == NULL)
        return;
    q->out[0] = contact, q->out[1] = customer;
    snprintf(prio, sizeof(prio), "%d", in->priority > 0 ? in->priority : EDGE__DEFAULT_PRIORITY);
    snprintf(max, sizeof(max), "%d", in->max_live > 0 ? in->max_live : 0);
    const char *argv[] = {in->sub,
                          or_empty(in->name),
                          or_empty(in->email),
                          or_empty(in->queue),
                          prio,
                          in->attributes_json != NULL ? "1" : "0",
                          or_empty(in->attributes_json),
                          or_empty(in->to_number),
                          max,
                          cid,
                          pid};
    edge__rs_run(q, RS_CALL_START, 11, argv, NULL);
}

/* ---- a contact's life ---- */

/* {0, contact pairs} */
static int parse_contact(edge__rs_req *q, int code, const redisReply *r)
{
    return code != 0 ? code : edge__rs_contact(edge__rs_at(r, 1), q->out[0]);
}

static void rs_contact_get(edge_store_async *s, edge_store_call *c, const char *contact_id,
                           edge_contact *out)
{
    memset(out, 0, sizeof(*out));
    if (edge__store_id_ok(contact_id)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_contact);
    if (q == NULL)
        return;
    q->out[0] = out;
    edge__rs_run(q, RS_CONTACT_GET, 1, &contact_id, NULL);
}

static void rs_contact_ring(edge_store_async *s, edge_store_call *c, const char *contact_id,
                            const char *agent_sub)
{
    if (edge__store_id_ok(contact_id) || edge__store_text_ok(agent_sub, 1)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[] = {contact_id, agent_sub};
    edge__rs_run(q, RS_CONTACT_RING, 2, argv, NULL);
}

/* {0, agent participant pairs} */
static int parse_accept(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    return edge__rs_participant(edge__rs_at(r, 1), q->out[0]) != 0 ? EDGE_STORE_EINTERNAL : 0;
}

static void rs_contact_accept(edge_store_async *s, edge_store_call *c, const char *contact_id,
                              const char *agent_sub, const char *agent_name,
                              edge_participant *agent)
{
    memset(agent, 0, sizeof(*agent));
    char pid[EDGE_STORE_ID_MAX];
    int rc = edge__store_id_ok(contact_id) || edge__store_text_ok(agent_sub, 1) ||
                     edge__store_text_ok(agent_name, 0)
                 ? EDGE_STORE_EINVAL
                 : 0;
    if (rc == 0 && edge__store_new_id(pid) != 0)
        rc = EDGE_STORE_EINTERNAL;
    if (rc != 0) {
        edge_store_call_done(c, rc);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_accept);
    if (q == NULL)
        return;
    q->out[0] = agent;
    const char *argv[] = {contact_id, agent_sub, or_empty(agent_name), pid};
    edge__rs_run(q, RS_CONTACT_ACCEPT, 4, argv, NULL);
}

static void rs_contact_requeue(edge_store_async *s, edge_store_call *c, const char *contact_id,
                               const char *agent_sub)
{
    if (edge__store_id_ok(contact_id) || edge__store_text_ok(agent_sub, 0)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[] = {contact_id, or_empty(agent_sub)};
    edge__rs_run(q, RS_CONTACT_REQUEUE, 2, argv, NULL);
}

static void rs_contact_end(edge_store_async *s, edge_store_call *c, const char *contact_id,
                           const char *reason)
{
    if (edge__store_id_ok(contact_id) || edge__store_text_ok(reason, 0)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    const char *argv[] = {contact_id, or_empty(reason)};
    edge__rs_run(q, RS_CONTACT_END, 2, argv, NULL);
}

/* ---- lists of contacts ---- */

/* Run a list script with args (a, the capacity, b when not NULL). */
static void run_list(edge_store_async *s, edge_store_call *c, edge__rs_script script, const char *a,
                     const char *b, edge_contact *out, size_t cap, size_t *count)
{
    char n[24];
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {a, n, b};
    edge__rs_run_contacts((edge__rs *)s, c, script, b != NULL ? 3 : 2, argv, out, cap, count);
}

static void rs_queue_list(edge_store_async *s, edge_store_call *c, const char *queue,
                          edge_contact *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count) || edge__store_text_ok(queue, 0)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    run_list(s, c, RS_QUEUE_LIST, or_empty(queue), NULL, out, cap, count);
}

static void rs_agent_contacts(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                              edge_contact *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count) || edge__store_text_ok(agent_sub, 1)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    run_list(s, c, RS_AGENT_CONTACTS, agent_sub, "all", out, cap, count);
}

static void rs_agent_open_contacts(edge_store_async *s, edge_store_call *c, const char *agent_sub,
                                   edge_contact *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count) || edge__store_text_ok(agent_sub, 1)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    run_list(s, c, RS_AGENT_CONTACTS, agent_sub, "open", out, cap, count);
}

static void rs_queue_depth(edge_store_async *s, edge_store_call *c, const char *queue,
                           size_t *count)
{
    if (count == NULL || edge__store_text_ok(queue, 0)) {
        edge_store_call_done(c, EDGE_STORE_EINVAL);
        return;
    }
    *count = 0;
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, edge__rs_parse_size);
    if (q == NULL)
        return;
    q->out[0] = count;
    const char *argv[] = {or_empty(queue)};
    edge__rs_run(q, RS_QUEUE_DEPTH, 1, argv, NULL);
}

void edge__rs_contact_ops(edge_store_async_ops *ops)
{
    ops->chat_start = rs_chat_start;
    ops->chat_open = rs_chat_open;
    ops->call_start = rs_call_start;
    ops->contact_get = rs_contact_get;
    ops->contact_ring = rs_contact_ring;
    ops->contact_accept = rs_contact_accept;
    ops->contact_requeue = rs_contact_requeue;
    ops->contact_end = rs_contact_end;
    ops->queue_list = rs_queue_list;
    ops->queue_depth = rs_queue_depth;
    ops->agent_contacts = rs_agent_contacts;
    ops->agent_open_contacts = rs_agent_open_contacts;
}
