/* test_store_agents_routes.c - agent availability counting and ad-hoc
 * routes: 8-digit ids, the redeem checks in their documented order, case-
 * insensitive email matching, and argument errors. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

#include <ctype.h>

static int available(edge_store *st)
{
    int n = -1;
    CHECK_INT_EQ(edge_store_agents_available(st, &n), 0);
    return n;
}

static void test_agents_available(void)
{
    tk t;
    tk_setup(&t);
    CHECK_INT_EQ(available(t.st), 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", "Amy", 1, T0), 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "ben", "Ben", 1, T0), 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "cat", "Cat", 0, T0), 0);
    CHECK_INT_EQ(available(t.st), 2);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", NULL, 0, T0 + 1), 0);
    CHECK_INT_EQ(available(t.st), 1);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", NULL, 7, T0 + 2), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", NULL, EDGE_AGENT_AWAY, T0 + 2), 0);
    CHECK_INT_EQ(available(t.st), 1); /* away: not offered anything */
    edge_agent_row row;
    CHECK_INT_EQ(edge_store_agent_get(t.st, "amy", &row), 0);
    CHECK_INT_EQ(row.away, 1);
    CHECK_INT_EQ(row.available, 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", NULL, 1, T0 + 3), 0);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "amy", NULL, 1, T0 + 3), 0); /* idempotent */
    CHECK_INT_EQ(available(t.st), 2);
    CHECK_INT_EQ(edge_store_agent_get(t.st, "amy", &row), 0);
    CHECK_INT_EQ(row.away, 0);
    sqlite3 *db = tk_raw(t.dir);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM agents"), 3);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM agents WHERE sub = 'amy' AND name = 'Amy'"),
                 1); /* a NULL name keeps the one known */
    sqlite3_close(db);
    CHECK_INT_EQ(edge_store_agent_set_status(t.st, "", "X", 1, T0), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_agents_available(t.st, NULL), EDGE_STORE_EINVAL);
    tk_reopen(&t);
    CHECK_INT_EQ(available(t.st), 2);
    tk_teardown(&t);
}

static void test_route_create(void)
{
    tk t;
    tk_setup(&t);
    edge_adhoc_route r, r2;
    CHECK_INT_EQ(
        edge_store_route_create(t.st, "amy", "Guest@Example.test", "vip", T0, T0 + 60000, &r), 0);
    CHECK_INT_EQ(strlen(r.route_id), 8);
    for (int i = 0; i < 8; i++)
        CHECK(isdigit((unsigned char)r.route_id[i]));
    CHECK_STR_EQ(r.agent_sub, "amy");
    CHECK_STR_EQ(r.attendee_email, "Guest@Example.test");
    CHECK_STR_EQ(r.queue, "vip");
    CHECK_INT_EQ(r.created_ms, T0);
    CHECK_INT_EQ(r.expires_ms, T0 + 60000);
    CHECK_INT_EQ(r.used_ms, 0);
    CHECK_STR_EQ(r.used_by_contact, "");
    CHECK_INT_EQ(edge_store_route_create(t.st, "amy", "g@example.test", NULL, T0, T0 + 1, &r2), 0);
    CHECK(strcmp(r.route_id, r2.route_id) != 0);
    CHECK_STR_EQ(r2.queue, "");
    /* Many routes: all ids distinct and 8 digits. */
    sqlite3 *db = tk_raw(t.dir);
    for (int i = 0; i < 200; i++)
        CHECK_INT_EQ(edge_store_route_create(t.st, "amy", "g@example.test", NULL, T0, T0 + 1, &r2),
                     0);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(DISTINCT route_id) FROM adhoc_routes"
                                " WHERE length(route_id) = 8 AND route_id GLOB '[0-9]*'"
                                " AND route_id NOT GLOB '*[^0-9]*'"),
                 202);
    sqlite3_close(db);
    CHECK_INT_EQ(edge_store_route_create(t.st, "amy", "g@example.test", NULL, T0, T0, &r2),
                 EDGE_STORE_EINVAL); /* already expired */
    CHECK_INT_EQ(edge_store_route_create(t.st, "amy", "", NULL, T0, T0 + 1, &r2),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_route_create(t.st, "", "g@example.test", NULL, T0, T0 + 1, &r2),
                 EDGE_STORE_EINVAL);
    CHECK_STR_EQ(r2.route_id, "");
    tk_teardown(&t);
}

static void test_route_redeem_order(void)
{
    tk t;
    tk_setup(&t);
    edge_adhoc_route used, expired, bound, out;
    CHECK_INT_EQ(edge_store_route_create(t.st, "amy", "u@example.test", "", T0, T0 + 100, &used),
                 0);
    CHECK_INT_EQ(edge_store_route_create(t.st, "amy", "e@example.test", "", T0, T0 + 100, &expired),
                 0);
    CHECK_INT_EQ(edge_store_route_create(t.st, "amy", "b@example.test", "q", T0, T0 + 100, &bound),
                 0);
    /* Unknown first, whatever else is wrong. */
    const char *unknown = strcmp(used.route_id, "00000000") != 0 ? "00000000" : "00000001";
    CHECK_INT_EQ(edge_store_route_redeem(t.st, unknown, "x@y", "c1", T0, &out),
                 EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(edge_store_route_redeem(t.st, "123", "x@y", "c1", T0, &out), EDGE_STORE_ENOTFOUND);
    /* Case-insensitive match succeeds and marks the route used. */
    CHECK_INT_EQ(
        edge_store_route_redeem(t.st, used.route_id, "U@EXAMPLE.Test", "c1", T0 + 10, &out), 0);
    CHECK_STR_EQ(out.route_id, used.route_id);
    CHECK_INT_EQ(out.used_ms, T0 + 10);
    CHECK_STR_EQ(out.used_by_contact, "c1");
    CHECK_STR_EQ(out.agent_sub, "amy");
    /* A mismatched email beats used and expired: only the code's own email
     * learns that it was used or has expired. */
    CHECK_INT_EQ(edge_store_route_redeem(t.st, used.route_id, "other@x", "c2", T0 + 500, &out),
                 EDGE_STORE_EMISMATCH);
    CHECK_STR_EQ(out.route_id, "");
    CHECK_INT_EQ(
        edge_store_route_redeem(t.st, used.route_id, "u@example.test", "c2", T0 + 11, &out),
        EDGE_STORE_ECONFLICT);
    /* Used beats expired; mismatched beats expired; the boundary is exclusive. */
    CHECK_INT_EQ(
        edge_store_route_redeem(t.st, used.route_id, "u@example.test", "c2", T0 + 500, &out),
        EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(edge_store_route_redeem(t.st, expired.route_id, "other@x", "c3", T0 + 100, &out),
                 EDGE_STORE_EMISMATCH);
    CHECK_INT_EQ(
        edge_store_route_redeem(t.st, expired.route_id, "e@example.test", "c3", T0 + 100, &out),
        EDGE_STORE_EEXPIRED);
    /* Wrong email, then right email just before expiry. */
    CHECK_INT_EQ(
        edge_store_route_redeem(t.st, bound.route_id, "b@example.tes", "c4", T0 + 99, &out),
        EDGE_STORE_EMISMATCH);
    CHECK_INT_EQ(
        edge_store_route_redeem(t.st, bound.route_id, "b@example.test.", "c4", T0 + 99, &out),
        EDGE_STORE_EMISMATCH);
    CHECK_INT_EQ(
        edge_store_route_redeem(t.st, bound.route_id, "B@example.test", "c4", T0 + 99, &out), 0);
    CHECK_STR_EQ(out.queue, "q");
    /* Redeemed state survives a restart. */
    tk_reopen(&t);
    CHECK_INT_EQ(
        edge_store_route_redeem(t.st, bound.route_id, "b@example.test", "c5", T0 + 1, &out),
        EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(edge_store_route_redeem(t.st, "", "b@example.test", "c5", T0, &out),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_route_redeem(t.st, bound.route_id, "", "c5", T0, &out),
                 EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_route_redeem(t.st, bound.route_id, "b@example.test", "", T0, &out),
                 EDGE_STORE_EINVAL);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_agents_available);
    UNIT_RUN(test_route_create);
    UNIT_RUN(test_route_redeem_order);
    return UNIT_DONE();
}
