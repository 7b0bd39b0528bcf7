/* store_retention.c - SQLite backend: deleting what is past its keeping.
 *
 * edge__sq_purge_ended takes a batch of contacts that ended before a
 * cutoff, oldest first (the contacts_ended partial index), and deletes
 * each with everything hanging off it, children before parents so the
 * foreign keys hold at every statement: the links newer contacts keep to
 * it (previous_contact_id), its events (its participants' and those in
 * agents' feeds that name it), its messages, its
 * participants, then the contact. Routes that expired before the cutoff
 * go in the same transaction (a route is used before it expires, so an
 * expired one is done with either way). One transaction per batch keeps
 * each call short and leaves the file consistent if the process dies. */
#include "store/store_sqlite_internal.h"

#include <stdlib.h>

#include "common/mem.h"

static const char SQL_DUE[] = "SELECT id FROM contacts WHERE state = 'ended' AND ended_ms < ?1"
                              " ORDER BY ended_ms, rowid LIMIT ?2";
static const char SQL_UNLINK[] =
    "UPDATE contacts SET previous_contact_id = NULL WHERE previous_contact_id = ?1";
static const char SQL_DELETE_EVENTS[] =
    "DELETE FROM events WHERE contact_id = ?1 OR participant_id IN"
    " (SELECT id FROM participants WHERE contact_id = ?1)";
static const char SQL_PRUNE_UNBOUND[] =
    "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE contact_id IS NULL"
    " AND created_ms < ?1 ORDER BY created_ms LIMIT ?2)";
static const char SQL_DELETE_MESSAGES[] = "DELETE FROM messages WHERE contact_id = ?1";
static const char SQL_DELETE_PARTICIPANTS[] = "DELETE FROM participants WHERE contact_id = ?1";
static const char SQL_DELETE_CONTACT[] =
    "DELETE FROM contacts WHERE id = ?1 AND state = 'ended'";
static const char SQL_DELETE_ROUTES[] =
    "DELETE FROM adhoc_routes WHERE route_id IN"
    " (SELECT route_id FROM adhoc_routes WHERE expires_ms < ?1 ORDER BY expires_ms LIMIT ?2)";

/* The ids of up to cap contacts due, into ids[]; *n how many. */
static int list_due(edge__sq *sq, int64_t before_ms, char (*ids)[EDGE_STORE_ID_MAX], size_t cap,
                    size_t *n)
{
    sqlite3_stmt *s = edge__sq_query(sq, SQL_DUE, "ll", before_ms, (int64_t)cap);
    if (s == NULL)
        return EDGE_STORE_EINTERNAL;
    int rc = 0;
    *n = 0;
    while (*n < cap && (rc = edge__sq_step(sq, s)) == 1)
        edge__sq_text(s, 0, ids[(*n)++], EDGE_STORE_ID_MAX);
    sqlite3_reset(s);
    return rc < 0 ? rc : 0;
}

/* Delete one ended contact and what belongs to it. */
static int delete_contact(edge__sq *sq, const char *id)
{
    static const char *const steps[] = {SQL_UNLINK, SQL_DELETE_EVENTS, SQL_DELETE_MESSAGES,
                                        SQL_DELETE_PARTICIPANTS, SQL_DELETE_CONTACT};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        int rc = edge__sq_run(sq, steps[i], "t", id);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int purge_locked(edge__sq *sq, int64_t before_ms, size_t max_contacts, size_t *purged)
{
    char (*ids)[EDGE_STORE_ID_MAX] = edge_xcalloc(max_contacts, sizeof(*ids));
    size_t n = 0;
    int rc = list_due(sq, before_ms, ids, max_contacts, &n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = delete_contact(sq, ids[i]);
    free(ids);
    if (rc == 0) {
        int routes = edge__sq_run(sq, SQL_DELETE_ROUTES, "ll", before_ms, (int64_t)max_contacts);
        rc = routes < 0 ? routes : 0;
    }
    *purged = rc == 0 ? n : 0;
    return rc;
}

int edge__sq_purge_ended(edge_store *st, int64_t ended_before_ms, size_t max_contacts,
                         size_t *purged)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_begin(sq);
    if (rc != 0)
        return rc;
    rc = edge__sq_end_tx(sq, purge_locked(sq, ended_before_ms, max_contacts, purged));
    if (rc != 0)
        *purged = 0;
    return rc;
}

int edge__sq_prune_unbound_events(edge_store *st, int64_t before_ms, size_t max, size_t *pruned)
{
    edge__sq *sq = edge__sq_of(st);
    int rc = edge__sq_run(sq, SQL_PRUNE_UNBOUND, "ll", before_ms, (int64_t)max);
    *pruned = rc < 0 ? 0 : (size_t)sqlite3_changes(sq->db);
    return rc < 0 ? rc : 0;
}
