/* rating_routes.c - the customer's rating of a contact:
 *
 * - POST participant/rating {Score, Comment?} with the customer's
 *   ParticipantToken: Score an integer 1..5, Comment text of at most
 *   EDGE_RATING_MAX_CHARS characters (absent or "" = none). Once per
 *   contact, open or ended (the token is checked for transcript use, so a
 *   customer rates after the end while the transcript grace lasts);
 *   answers {ContactId, Rating: {Score, Comment?}}.
 *
 * Errors: 400 bad_request (score, comment), 401 as every participant
 * route, 403 forbidden for an agent's token, 409 already_rated. */
#include <cjson/cJSON.h>
#include <llhttp.h>
#include <string.h>

#include "api/api_op.h"
#include "api/contact_errors.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "c2c_utf8.h"

#define EDGE_RATING_MAX_CHARS 1000

typedef struct rate_op {
    edge_api_op base;
    char contact_id[EDGE_STORE_ID_MAX];
    int score;
    char comment[EDGE_RATING_COMMENT_MAX_BYTES + 1];
} rate_op;

static void answer_rate(edge_api_op *o, edge_response *res)
{
    rate_op *op = (rate_op *)o;
    if (o->call.rc == EDGE_STORE_ECONFLICT) {
        edge_response_error(res, 409, "already_rated", "This chat has been rated already.");
        return;
    }
    if (o->call.rc != 0) {
        edge_contact_error(res, o->call.rc);
        return;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "ContactId", op->contact_id);
    cJSON *rating = cJSON_AddObjectToObject(root, "Rating");
    cJSON_AddNumberToObject(rating, "Score", op->score);
    if (op->comment[0])
        cJSON_AddStringToObject(rating, "Comment", op->comment);
    edge_response_api_json(res, 200, root);
}

/* Score: an integer 1..5. Returns it, or 0 after filling res. */
static int read_score(const cJSON *body, edge_response *res)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(body, "Score");
    if (!cJSON_IsNumber(s) || s->valuedouble < 1 || s->valuedouble > 5 ||
        s->valuedouble != (double)(int)s->valuedouble) {
        edge_response_error(res, 400, "bad_request", "Score must be a whole number from 1 to 5.");
        return 0;
    }
    return (int)s->valuedouble;
}

/* Comment: absent or "" (none, *out = "") or valid UTF-8 of at most
 * EDGE_RATING_MAX_CHARS characters copied into out. 0, or -1 after
 * filling res. */
static int read_comment(const cJSON *body, edge_response *res, char *out, size_t cap)
{
    out[0] = '\0';
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "Comment");
    if (c == NULL || cJSON_IsNull(c) || (cJSON_IsString(c) && c->valuestring[0] == '\0'))
        return 0;
    const char *text = NULL;
    if (edge_json_string_field(body, "Comment", cap - 1, 1, res, &text) != 0)
        return -1;
    size_t len = strlen(text);
    if (!c2c_utf8_valid(text, len) || c2c_utf8_count(text, len) > EDGE_RATING_MAX_CHARS) {
        edge_response_error(res, 400, "bad_request",
                            "Comment must be text of at most 1000 characters.");
        return -1;
    }
    memcpy(out, text, len + 1);
    return 0;
}

static int start_rate(edge_api_op *o, const edge_request *req, edge_response *res,
                      const edge_participant *who)
{
    cJSON *body = edge_json_body(req, res);
    if (body == NULL)
        return 0;
    rate_op *op = (rate_op *)o;
    op->score = read_score(body, res);
    int ok = op->score > 0 && read_comment(body, res, op->comment, sizeof(op->comment)) == 0;
    cJSON_Delete(body);
    if (!ok)
        return 0;
    memcpy(op->contact_id, who->contact_id, sizeof(op->contact_id));
    o->api->provider->ops->chat_rate(o->api->provider, &o->call, who, op->score,
                                     op->comment[0] ? op->comment : NULL);
    return 1;
}

static void handle_rate(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_participant_op(ctx, req, res, EDGE_PARTICIPANT_TRANSCRIPT, sizeof(rate_op),
                            answer_rate, start_rate);
}

void edge_routes_rating(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_POST, "participant/rating", "rating", handle_rate);
}
