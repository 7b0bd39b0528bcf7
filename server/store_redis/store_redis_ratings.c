/* store_redis_ratings.c - the Redis store's customer ratings: fields of the
 * contact's hash ("rscore", "rcomment", "rated"), so contact reads carry
 * them and they go with the contact. "Rated once" is the script's check
 * and write together: of two racing ratings on any nodes, one is kept. */
#include <stdio.h>
#include <string.h>

#include "store/store_backend.h"
#include "store_redis/store_redis_internal.h"

static void rs_contact_rate(edge_store_async *s, edge_store_call *c, const char *contact_id,
                            int score, const char *comment)
{
    if (edge__store_id_ok(contact_id) || score < 1 || score > 5 ||
        (comment != NULL &&
         strnlen(comment, EDGE_RATING_COMMENT_MAX_BYTES + 1) > EDGE_RATING_COMMENT_MAX_BYTES))
        return edge_store_call_done(c, EDGE_STORE_EINVAL);
    edge__rs_req *q = edge__rs_req_new((edge__rs *)s, c, NULL);
    if (q == NULL)
        return;
    char sc[4];
    snprintf(sc, sizeof(sc), "%d", score);
    const char *argv[] = {contact_id, sc, comment != NULL ? comment : ""};
    edge__rs_run(q, RS_CONTACT_RATE, 3, argv, NULL);
}

void edge__rs_rating_ops(edge_store_async_ops *ops)
{
    ops->contact_rate = rs_contact_rate;
}
