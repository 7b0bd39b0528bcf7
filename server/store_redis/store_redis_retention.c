/* store_redis_retention.c - the Redis store's agents' private notes and
 * retention: purging ended contacts with all that is theirs, pruning
 * events about no contact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_backend.h"
#include "store_redis/store_redis_internal.h"

static void fail(edge_store_call *c)
{
    edge_store_call_done(c, EDGE_STORE_EINVAL);
}

/* A note from its stored form [id, contact, author, name, content, at]. */
static int read_note(const redisReply *e, edge_note *n)
{
    memset(n, 0, sizeof(*n));
    snprintf(n->id, sizeof(n->id), "%s", edge__rs_str(e, 0));
    snprintf(n->contact_id, sizeof(n->contact_id), "%s", edge__rs_str(e, 1));
    snprintf(n->author_sub, sizeof(n->author_sub), "%s", edge__rs_str(e, 2));
    snprintf(n->author_name, sizeof(n->author_name), "%s", edge__rs_str(e, 3));
    n->created_ms = edge__rs_int(e, 5);
    n->content = strdup(edge__rs_str(e, 4));
    return n->content != NULL ? 0 : EDGE_STORE_EINTERNAL;
}

/* {0, note} */
static int parse_note(edge__rs_req *q, int code, const redisReply *r)
{
    return code != 0 ? code : read_note(edge__rs_at(r, 1), q->out[0]);
}

static void rs_note_add(edge_store_async *s, edge_store_call *c, const char *contact_id,
                        const char *agent_sub, const char *agent_name, const char *content,
                        size_t max_bytes, int64_t max_count, edge_note *out)
{
    memset(out, 0, sizeof(*out));
    size_t len = content != NULL ? strlen(content) : 0;
    char nid[EDGE_STORE_ID_MAX], max[24];
    if (edge__store_id_ok(contact_id) || edge__store_text_ok(agent_sub, 1) || agent_name == NULL ||
        edge__store_text_ok(agent_name, 0) || len == 0 || len > max_bytes || max_count < 0)
        return fail(c);
    if (edge__store_new_id(nid) != 0)
        return edge_store_call_done(c, EDGE_STORE_EINTERNAL);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_note);
    if (q == NULL)
        return;
    q->out[0] = out;
    snprintf(max, sizeof(max), "%lld", (long long)max_count);
    const char *argv[] = {contact_id, agent_sub, agent_name, content, max, nid};
    edge__rs_run(q, RS_NOTE_ADD, 6, argv, NULL);
}

/* {0, [note...]} */
static int parse_notes(edge__rs_req *q, int code, const redisReply *r)
{
    if (code != 0)
        return code;
    const redisReply *list = edge__rs_at(r, 1);
    edge_note *out = q->out[0];
    size_t *count = q->out[1];
    for (size_t i = 0; list != NULL && i < list->elements && *count < q->cap; i++) {
        int rc = read_note(list->element[i], &out[*count]);
        (*count)++;
        if (rc != 0) {
            for (size_t j = 0; j < *count; j++)
                edge_note_free(&out[j]);
            *count = 0;
            return rc;
        }
    }
    return 0;
}

static void rs_notes(edge_store_async *s, edge_store_call *c, const char *contact_id,
                     const char *agent_sub, edge_note *out, size_t cap, size_t *count)
{
    if (edge__store_list_ok(out, cap, count) || edge__store_id_ok(contact_id) ||
        edge__store_text_ok(agent_sub, 1))
        return fail(c);
    if (cap == 0)
        return edge_store_call_done(c, 0);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, parse_notes);
    if (q == NULL)
        return;
    q->out[0] = out, q->out[1] = count, q->cap = cap;
    char n[24];
    snprintf(n, sizeof(n), "%zu", cap);
    const char *argv[] = {contact_id, agent_sub, n};
    edge__rs_run(q, RS_NOTES, 3, argv, NULL);
}

/* purge_ended and prune_unbound_events: (before, max) -> a count. */
static void run_purge(edge_store_async *s, edge_store_call *c, edge__rs_script script,
                      int64_t before_ms, size_t max, size_t *done_count)
{
    if (done_count == NULL || max == 0 || max > EDGE_STORE_PURGE_MAX)
        return fail(c);
    *done_count = 0;
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, edge__rs_parse_size);
    if (q == NULL)
        return;
    q->out[0] = done_count;
    char b[24], n[24];
    snprintf(b, sizeof(b), "%lld", (long long)before_ms);
    snprintf(n, sizeof(n), "%zu", max);
    const char *argv[] = {b, n};
    edge__rs_run(q, script, 2, argv, NULL);
}

static void rs_purge_ended(edge_store_async *s, edge_store_call *c, int64_t ended_before_ms,
                           size_t max_contacts, size_t *purged)
{
    run_purge(s, c, RS_PURGE_ENDED, ended_before_ms, max_contacts, purged);
}

static void rs_prune_unbound_events(edge_store_async *s, edge_store_call *c, int64_t before_ms,
                                    size_t max, size_t *pruned)
{
    run_purge(s, c, RS_PRUNE_UNBOUND, before_ms, max, pruned);
}

void edge__rs_retention_ops(edge_store_async_ops *ops)
{
    ops->note_add = rs_note_add;
    ops->notes = rs_notes;
    ops->purge_ended = rs_purge_ended;
    ops->prune_unbound_events = rs_prune_unbound_events;
}
