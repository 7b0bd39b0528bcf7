/* local_publish.c - telling a contact's participants: the one place the
 * local provider decides who of a contact gets an event.
 *
 * Every notification about a contact (a message, typing, DTMF, signaling,
 * video, a state change) goes to some of its participants: all of them,
 * everyone but the sender, or the other side of a call. One chain lists
 * the contact's participants (a store step), picks the audience and hands
 * all its events to the hub in one transaction, so a contact's
 * participants either all get an event or none does. It runs as a job
 * (the consequence of a committed change) or, for the relays (typing,
 * signaling, video), as the provider op itself, which answers whether
 * anyone was there. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/contact_json.h"
#include "provider/local_op.h"

#define LOCAL_MAX_PARTICIPANTS 8

typedef struct publish_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    char skip_id[EDGE_STORE_ID_MAX]; /* "" = nobody skipped by id */
    edge_role skip_role;
    int skip_role_set;
    int need_reach; /* the relay op: nobody there is ENOTCONNECTED */
    char type[EDGE_STORE_TEXT_MAX];
    char *data_json; /* owned */
    edge_participant parts[LOCAL_MAX_PARTICIPANTS];
    size_t count;
} publish_op;

/* Is participant p in o's audience? */
static int reaches(const publish_op *o, const edge_participant *p)
{
    if (o->skip_id[0] && strcmp(p->id, o->skip_id) == 0)
        return 0;
    return !(o->skip_role_set && p->role == o->skip_role);
}

static void pu_list(edge__local_op *op)
{
    publish_op *o = (publish_op *)op;
    EDGE__LOCAL_STORE(op, participants_of, o->contact_id, o->parts, LOCAL_MAX_PARTICIPANTS,
                      &o->count);
}

/* The events to the audience, in one transaction through the hub. */
static int pu_done(edge__local_op *op, int rc)
{
    publish_op *o = (publish_op *)op;
    if (rc != 0)
        return rc;
    edge_event_in events[LOCAL_MAX_PARTICIPANTS];
    size_t n = 0;
    for (size_t i = 0; i < o->count && i < LOCAL_MAX_PARTICIPANTS; i++) {
        if (!reaches(o, &o->parts[i]))
            continue;
        events[n++] = (edge_event_in){o->parts[i].id, o->contact_id, o->type, o->data_json};
    }
    if (n > 0)
        rc = edge_hub_publish_many(op->lp->hub, events, n, op->now_ms);
    if (rc == 0 && n == 0 && o->need_reach)
        rc = EDGE_PROVIDER_ENOTCONNECTED;
    return rc;
}

static void pu_release(edge__local_op *op)
{
    free(((publish_op *)op)->data_json);
}

static const edge__local_chain PUBLISH = {EDGE__LOCAL_STEPS(pu_list), pu_done, pu_release};

/* Fill o's arguments: 0, or EINVAL when an id does not fit. */
static int publish_init(publish_op *o, const char *contact_id, const edge__local_audience *to,
                        const char *type, const char *data_json)
{
    o->data_json = edge_xstrdup(data_json);
    if (to != NULL) {
        o->skip_role = to->skip_role;
        o->skip_role_set = to->skip_role_set;
    }
    int rc = edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id);
    if (rc == 0)
        rc = edge__local_op_copy(o->type, sizeof(o->type), type);
    if (rc == 0 && to != NULL)
        rc = edge__local_op_copy(o->skip_id, sizeof(o->skip_id), to->skip_id);
    return rc;
}

static void publish_run(publish_op *o, int rc)
{
    if (rc != 0)
        edge__local_op_end(&o->base, rc);
    else
        edge__local_op_run(&o->base);
}

void edge__local_publish(edge_local_provider *lp, const char *contact_id,
                         const edge__local_audience *to, const char *type, const char *data_json,
                         int64_t now_ms)
{
    publish_op *o = edge__local_job_new(lp, sizeof(*o), &PUBLISH, "publish", now_ms);
    publish_run(o, publish_init(o, contact_id, to, type, data_json));
}

void edge__local_a_relay(edge_local_provider *lp, edge_provider_call *c,
                         const edge_participant *from, const char *type, const char *data_json,
                         int need_reach)
{
    publish_op *o = edge__local_op_new(lp, c, sizeof(*o), &PUBLISH);
    o->need_reach = need_reach;
    edge__local_audience others = {.skip_id = from->id};
    int rc = publish_init(o, from->contact_id, &others, type, data_json);
    if (rc == 0 && from->left_ms != 0)
        rc = EDGE_STORE_ESTATE; /* ending a contact marks everyone left */
    publish_run(o, rc);
}

void edge__local_publish_state(edge_local_provider *lp, const edge_contact *c, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", c->id);
    cJSON_AddStringToObject(o, "State", edge_contact_state_name(c->state));
    if (c->end_reason[0])
        cJSON_AddStringToObject(o, "Reason", c->end_reason);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    edge__local_publish(lp, c->id, NULL, "contact.state", text, now_ms);
    free(text);
    edge__local_tell_agent_state(lp, c, now_ms);
}

/* ---- announce: read the contact, then tell its state --------------------- */

typedef struct announce_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    edge_contact contact;
} announce_op;

static void an_get(edge__local_op *op)
{
    announce_op *o = (announce_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

static int an_done(edge__local_op *op, int rc)
{
    if (rc == 0)
        edge__local_publish_state(op->lp, &((announce_op *)op)->contact, op->now_ms);
    return rc;
}

static void an_release(edge__local_op *op)
{
    edge_contact_free(&((announce_op *)op)->contact);
}

static const edge__local_chain ANNOUNCE = {EDGE__LOCAL_STEPS(an_get), an_done, an_release};

void edge__local_announce(edge_local_provider *lp, const char *contact_id, int64_t now_ms)
{
    announce_op *o = edge__local_job_new(lp, sizeof(*o), &ANNOUNCE, "announce", now_ms);
    int rc = edge__local_op_copy(o->contact_id, sizeof(o->contact_id), contact_id);
    if (rc != 0)
        edge__local_op_end(&o->base, rc);
    else
        edge__local_op_run(&o->base);
}
