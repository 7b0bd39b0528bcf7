/* test_store_ratings.c - the customer's rating of a contact: once per
 * contact (a second is ECONFLICT and changes nothing), open or ended; the
 * score and comment limits; every contact read carries it (get, the
 * agent's contacts, the resume fast path); unknown contacts ENOTFOUND. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

static void test_rated_once_and_read_back(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c, got;
    edge_participant p, a;
    int r;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c, &p, &r), 0);
    CHECK_INT_EQ(edge_store_contact_accept(t.st, c.id, "amy", "Amy", T0 + 1, &a), 0);
    CHECK_INT_EQ(edge_store_contact_get(t.st, c.id, &got), 0);
    CHECK_INT_EQ(got.rating_score, 0);
    CHECK_INT_EQ(got.rating_comment == NULL, 1);
    edge_contact_free(&got);
    CHECK_INT_EQ(edge_store_contact_rate(t.st, c.id, 4, "Quick and kind", T0 + 2), 0);
    CHECK_INT_EQ(edge_store_contact_rate(t.st, c.id, 1, "changed my mind", T0 + 3),
                 EDGE_STORE_ECONFLICT);
    CHECK_INT_EQ(edge_store_contact_get(t.st, c.id, &got), 0);
    CHECK_INT_EQ(got.rating_score, 4);
    CHECK_STR_EQ(got.rating_comment, "Quick and kind");
    edge_contact_free(&got);
    /* The resume fast path reads the same columns. */
    edge_contact again;
    edge_participant p2;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0 + 4, &again, &p2, &r), 0);
    CHECK_INT_EQ(r, 1);
    CHECK_INT_EQ(again.rating_score, 4);
    CHECK_STR_EQ(again.rating_comment, "Quick and kind");
    CHECK_STR_EQ(p2.id, p.id);
    edge_contact_free(&again);
    edge_contact list[2];
    size_t count = 0;
    CHECK_INT_EQ(edge_store_agent_contacts(t.st, "amy", list, 2, &count), 0);
    CHECK_INT_EQ(count, 1);
    CHECK_INT_EQ(list[0].rating_score, 4);
    edge_contact_free(&list[0]);
    edge_contact_free(&c);
    tk_teardown(&t);
}

static void test_rating_limits(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c, got;
    edge_participant p;
    int r;
    CHECK_INT_EQ(tk_chat(t.st, "bea", NULL, T0, &c, &p, &r), 0);
    CHECK_INT_EQ(edge_store_contact_rate(t.st, c.id, 0, NULL, T0), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_contact_rate(t.st, c.id, 6, NULL, T0), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_contact_rate(t.st, "", 3, NULL, T0), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(edge_store_contact_rate(t.st, "nope", 3, NULL, T0), EDGE_STORE_ENOTFOUND);
    char big[EDGE_RATING_COMMENT_MAX_BYTES + 2];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK_INT_EQ(edge_store_contact_rate(t.st, c.id, 3, big, T0), EDGE_STORE_EINVAL);
    /* Ended, and an empty comment is none. */
    CHECK_INT_EQ(edge_store_contact_end(t.st, c.id, "customer", T0 + 1), 0);
    CHECK_INT_EQ(edge_store_contact_rate(t.st, c.id, 5, "", T0 + 2), 0);
    CHECK_INT_EQ(edge_store_contact_get(t.st, c.id, &got), 0);
    CHECK_INT_EQ(got.rating_score, 5);
    CHECK_INT_EQ(got.rating_comment == NULL, 1);
    edge_contact_free(&got);
    edge_contact_free(&c);
    tk_teardown(&t);
}

int main(void)
{
    UNIT_RUN(test_rated_once_and_read_back);
    UNIT_RUN(test_rating_limits);
    return UNIT_DONE();
}
