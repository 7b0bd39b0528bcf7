/* test_store_open_chats.c - the open-chat table on its own: what is put is
 * got back, a contact's entry drops by its rowid, clear forgets all, a full
 * set replaces its entries in turn, and what cannot be kept is not. */
#include <stdio.h>
#include <string.h>

#include "store/store_open_chats.h"
#include "unit.h"

static edge_open_chat chat_named(const char *contact, const char *participant)
{
    edge_open_chat c;
    memset(&c, 0, sizeof(c));
    snprintf(c.contact_id, sizeof(c.contact_id), "%s", contact);
    snprintf(c.participant_id, sizeof(c.participant_id), "%s", participant);
    snprintf(c.previous_contact_id, sizeof(c.previous_contact_id), "prev-%s", contact);
    return c;
}

static void test_put_get(void)
{
    edge_open_chats *t = edge_open_chats_new(16);
    edge_open_chat in = chat_named("c1", "p1"), out;
    CHECK_INT_EQ(edge_open_chats_get(t, "alice", &out), 0);
    edge_open_chats_put(t, "alice", 7, &in);
    CHECK_INT_EQ(edge_open_chats_get(t, "alice", &out), 1);
    CHECK_STR_EQ(out.contact_id, "c1");
    CHECK_STR_EQ(out.participant_id, "p1");
    CHECK_STR_EQ(out.previous_contact_id, "prev-c1");
    CHECK_INT_EQ(edge_open_chats_get(t, "alic", &out), 0);
    CHECK_INT_EQ(edge_open_chats_get(t, "alice2", &out), 0);

    edge_open_chat again = chat_named("c2", "p2");
    edge_open_chats_put(t, "alice", 8, &again); /* replaces alice's entry */
    CHECK_INT_EQ(edge_open_chats_get(t, "alice", &out), 1);
    CHECK_STR_EQ(out.contact_id, "c2");
    edge_open_chats_drop_contact(t, 7); /* the old row: nothing to drop now */
    CHECK_INT_EQ(edge_open_chats_get(t, "alice", &out), 1);
    edge_open_chats_free(t);
}

static void test_drop_and_clear(void)
{
    edge_open_chats *t = edge_open_chats_new(64);
    char sub[16];
    for (int i = 1; i <= 10; i++) {
        snprintf(sub, sizeof(sub), "user%d", i);
        edge_open_chat c = chat_named(sub, sub);
        edge_open_chats_put(t, sub, i, &c);
    }
    edge_open_chat out;
    edge_open_chats_drop_contact(t, 3);
    CHECK_INT_EQ(edge_open_chats_get(t, "user3", &out), 0);
    CHECK_INT_EQ(edge_open_chats_get(t, "user4", &out), 1);
    CHECK_STR_EQ(out.contact_id, "user4");
    edge_open_chats_drop_contact(t, 999); /* unknown: no change */
    CHECK_INT_EQ(edge_open_chats_get(t, "user10", &out), 1);
    edge_open_chats_clear(t);
    for (int i = 1; i <= 10; i++) {
        snprintf(sub, sizeof(sub), "user%d", i);
        CHECK_INT_EQ(edge_open_chats_get(t, sub, &out), 0);
    }
    edge_open_chats_free(t);
}

/* With 4 entries (one set) a fifth sub replaces one of the first four, and
 * each replacement takes the next of them, so all four keep turning. */
static void test_full_set_replaces_in_turn(void)
{
    edge_open_chats *t = edge_open_chats_new(4);
    char sub[16];
    edge_open_chat out;
    for (int i = 1; i <= 4; i++) {
        snprintf(sub, sizeof(sub), "s%d", i);
        edge_open_chat c = chat_named(sub, sub);
        edge_open_chats_put(t, sub, i, &c);
    }
    for (int i = 1; i <= 4; i++) {
        snprintf(sub, sizeof(sub), "s%d", i);
        CHECK_INT_EQ(edge_open_chats_get(t, sub, &out), 1);
    }
    for (int i = 5; i <= 8; i++) {
        snprintf(sub, sizeof(sub), "s%d", i);
        edge_open_chat c = chat_named(sub, sub);
        edge_open_chats_put(t, sub, i, &c);
        CHECK_INT_EQ(edge_open_chats_get(t, sub, &out), 1);
    }
    int kept_old = 0;
    for (int i = 1; i <= 4; i++) {
        snprintf(sub, sizeof(sub), "s%d", i);
        kept_old += edge_open_chats_get(t, sub, &out);
    }
    CHECK_INT_EQ(kept_old, 0);
    edge_open_chats_free(t);
}

static void test_not_kept(void)
{
    edge_open_chats *t = edge_open_chats_new(8);
    edge_open_chat c = chat_named("c", "p"), out;
    edge_open_chats_put(t, "zero", 0, &c); /* no row */
    edge_open_chats_put(t, "negative", -5, &c);
    char long_sub[EDGE_STORE_TEXT_MAX + 1];
    memset(long_sub, 'x', sizeof(long_sub) - 1);
    long_sub[sizeof(long_sub) - 1] = '\0';
    edge_open_chats_put(t, long_sub, 3, &c); /* longer than a sub can be */
    CHECK_INT_EQ(edge_open_chats_get(t, "zero", &out), 0);
    CHECK_INT_EQ(edge_open_chats_get(t, "negative", &out), 0);
    CHECK_INT_EQ(edge_open_chats_get(t, long_sub, &out), 0);
    char longest[EDGE_STORE_TEXT_MAX];
    memset(longest, 'y', sizeof(longest) - 1);
    longest[sizeof(longest) - 1] = '\0';
    edge_open_chats_put(t, longest, 4, &c); /* the longest sub there is */
    CHECK_INT_EQ(edge_open_chats_get(t, longest, &out), 1);
    edge_open_chats_free(t);
}

int main(void)
{
    UNIT_RUN(test_put_get);
    UNIT_RUN(test_drop_and_clear);
    UNIT_RUN(test_full_set_replaces_in_turn);
    UNIT_RUN(test_not_kept);
    return UNIT_DONE();
}
