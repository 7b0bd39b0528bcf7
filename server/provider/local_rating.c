/* local_rating.c - the embedded contact center's ratings: the customer
 * rates their contact once (score 1..5, optional comment), open or ended.
 * Who may rate is checked here (the contact's customer, never its agent);
 * "once" is the store's rule (edge_store_contact_rate), so it holds across
 * nodes. The contact's agent hears "contact.rated" on their own feed, so
 * their history and open consoles show it at once. The op is a chain of
 * asynchronous store steps (local_op.h): rate, then read whose agent. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "common/json_text.h"
#include "common/mem.h"
#include "provider/local_op.h"

/* "contact.rated" to the contact's agent, if it had one. Best effort: the
 * rating is stored whatever happens here, and a console that missed the
 * event reads it with the contact (history, contacts). */
static void tell_rated(edge_local_provider *lp, const edge_contact *c, int score,
                       const char *comment, int64_t now_ms)
{
    if (c->agent_sub[0] == '\0')
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ContactId", c->id);
    cJSON_AddNumberToObject(o, "Score", score);
    if (comment != NULL && comment[0])
        cJSON_AddStringToObject(o, "Comment", comment);
    char *text = edge_json_print(o);
    cJSON_Delete(o);
    if (text != NULL)
        edge__local_tell_agent(lp, c->agent_sub, c->id, "contact.rated", text, now_ms);
    free(text);
}

typedef struct rate_op {
    edge__local_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    int score;
    char *comment; /* owned; NULL = none */
    edge_contact contact; /* read after the rating: whose agent to tell */
} rate_op;

static void rate(edge__local_op *op)
{
    rate_op *o = (rate_op *)op;
    EDGE__LOCAL_STORE(op, contact_rate, o->contact_id, o->score, o->comment);
}

static void read_contact(edge__local_op *op)
{
    rate_op *o = (rate_op *)op;
    EDGE__LOCAL_STORE(op, contact_get, o->contact_id, &o->contact);
}

/* Rated once the first step succeeded: a failed read only skips telling. */
static int rated(edge__local_op *op, int rc)
{
    rate_op *o = (rate_op *)op;
    if (op->next < 2) /* steps started: the rating itself failed (or never ran) */
        return rc;
    if (rc == 0)
        tell_rated(op->lp, &o->contact, o->score, o->comment, op->now_ms);
    return 0;
}

static void rate_release(edge__local_op *op)
{
    rate_op *o = (rate_op *)op;
    free(o->comment);
    edge_contact_free(&o->contact);
}

static const edge__local_chain RATE = {EDGE__LOCAL_STEPS(rate, read_contact), rated,
                                       rate_release};

void edge__local_a_chat_rate(edge_provider *p, edge_provider_call *c, const edge_participant *who,
                             int score, const char *comment)
{
    rate_op *o = edge__local_op_new(edge__local(p), c, sizeof(*o), &RATE);
    o->score = score;
    o->comment = comment != NULL ? edge_xstrdup(comment) : NULL;
    int rc = who->role != EDGE_ROLE_CUSTOMER ? EDGE_PROVIDER_EFORBIDDEN : 0;
    if (rc == 0)
        rc = edge__local_op_copy(o->contact_id, sizeof(o->contact_id), who->contact_id);
    edge__local_op_start(&o->base, rc);
}
