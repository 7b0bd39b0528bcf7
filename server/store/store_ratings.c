/* store_ratings.c - the public edge_store_contact_rate: validate, then
 * dispatch to the backend (as store.c does for everything else). The
 * customer's rating of a contact is its own concern, so its checks live
 * here. */
#include <string.h>

#include "store/store.h"
#include "store/store_backend.h"

int edge_store_contact_rate(edge_store *st, const char *contact_id, int score, const char *comment,
                            int64_t now_ms)
{
    if (st == NULL || contact_id == NULL || contact_id[0] == '\0' ||
        strnlen(contact_id, EDGE_STORE_ID_MAX) >= EDGE_STORE_ID_MAX || score < 1 || score > 5)
        return EDGE_STORE_EINVAL;
    if (comment != NULL &&
        strnlen(comment, EDGE_RATING_COMMENT_MAX_BYTES + 1) > EDGE_RATING_COMMENT_MAX_BYTES)
        return EDGE_STORE_EINVAL;
    if (comment != NULL && comment[0] == '\0')
        comment = NULL;
    return st->ops->contact_rate(st, contact_id, score, comment, now_ms);
}
