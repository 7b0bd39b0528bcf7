/* store_ratings_sqlite.c - SQLite backend: the customer's rating of a
 * contact. One conditional UPDATE (only while rating_score is 0) in a
 * transaction, so of two racing ratings exactly one is kept, across every
 * process sharing the file; the other learns why nothing changed. */
#include "store/store_sqlite_internal.h"

static const char SQL_RATE[] =
    "UPDATE contacts SET rating_score = ?2, rating_comment = ?3, rated_ms = ?4"
    " WHERE id = ?1 AND rating_score = 0";

static int rate_locked(edge__sq *sq, const char *contact_id, int score, const char *comment,
                       int64_t now_ms)
{
    int changed = edge__sq_run(sq, SQL_RATE, "titl", contact_id, score, comment, now_ms);
    if (changed < 0)
        return changed;
    if (changed > 0)
        return 0;
    edge_contact_state state;
    int rc = edge__sq_contact_state(sq, contact_id, &state);
    return rc != 0 ? rc : EDGE_STORE_ECONFLICT; /* it exists: rated already */
}

int edge__sq_contact_rate(edge_store *st, const char *contact_id, int score, const char *comment,
                          int64_t now_ms)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    return edge__sq_end_tx(sq, rate_locked(sq, contact_id, score, comment, now_ms));
}
