/* test_store_schema.c - opening the SQLite store: the schema is created and
 * migrated once, reopening keeps data and version, the pragmas hold, a
 * newer on-disk schema is refused and bad directories fail with a message. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

#include <sys/stat.h>

static void test_create_and_reopen(void)
{
    tk t;
    tk_setup(&t);
    CHECK_INT_EQ(edge_store_schema_version(t.st), TK_SCHEMA_LATEST);
    edge_contact c;
    edge_participant p;
    int resumed = -1;
    CHECK_INT_EQ(tk_chat(t.st, "alice", "hello", T0, &c, &p, &resumed), 0);

    tk_reopen(&t);
    CHECK_INT_EQ(edge_store_schema_version(t.st), TK_SCHEMA_LATEST);
    edge_contact again;
    CHECK_INT_EQ(edge_store_contact_get(t.st, c.id, &again), 0);
    CHECK_STR_EQ(again.customer_sub, "alice");
    edge_message m[2];
    size_t n = 0;
    int more = 0;
    CHECK_INT_EQ(edge_store_transcript(t.st, c.id, 0, m, 2, &n, &more), 0);
    CHECK_INT_EQ(n, 1);
    if (n == 1)
        CHECK_STR_EQ(m[0].content, "hello");
    for (size_t i = 0; i < n; i++)
        edge_message_free(&m[i]);
    edge_contact_free(&again);
    edge_contact_free(&c);

    /* The file says version 3 and no migration ran twice. */
    sqlite3 *db = tk_raw(t.dir);
    CHECK_INT_EQ(tk_raw_int(db, "PRAGMA user_version"), TK_SCHEMA_LATEST);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'contacts'"), 1);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM sqlite_master"
                                " WHERE name = 'contacts_waiting_calls'"),
                 1);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                                " ('contacts_queued_calls', 'contacts_ringing_by_agent',"
                                " 'contacts_ringing_since', 'agents_idle')"),
                 4);
    sqlite3_close(db);
    tk_teardown(&t);
}

static void test_pragmas(void)
{
    tk t;
    tk_setup(&t);
    sqlite3 *db = tk_raw(t.dir);
    sqlite3_stmt *s = NULL;
    CHECK_INT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    CHECK_INT_EQ(sqlite3_step(s), SQLITE_ROW);
    CHECK_STR_EQ((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    /* Foreign keys are per connection (this raw one has them off), so
     * check the store's: an event naming a contact that does not exist
     * violates events.contact_id's reference. */
    edge_contact c;
    edge_participant p;
    int resumed = 0;
    CHECK_INT_EQ(tk_chat(t.st, "alice", NULL, T0, &c, &p, &resumed), 0);
    int64_t id = 0;
    CHECK_INT_EQ(edge_store_event_add(t.st, p.id, "no-such-contact", "typing", "{}", T0, &id),
                 EDGE_STORE_ENOTFOUND);
    CHECK_INT_EQ(id, 0);
    CHECK_INT_EQ(tk_raw_int(db, "SELECT COUNT(*) FROM events"), 0);
    edge_contact_free(&c);
    sqlite3_close(db);
    tk_teardown(&t);
}

static void test_newer_schema_refused(void)
{
    tk t;
    tk_setup(&t);
    edge_store_close(t.st);
    t.st = NULL;
    sqlite3 *db = tk_raw(t.dir);
    CHECK_INT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    char err[256] = "";
    edge_store *st = edge_store_open_sqlite(t.dir, err, sizeof(err));
    CHECK(st == NULL);
    CHECK(strstr(err, "99") != NULL);
    CHECK(strstr(err, "newer") != NULL);
    edge_store_close(st);
    /* And the refusal changed nothing. */
    db = tk_raw(t.dir);
    CHECK_INT_EQ(tk_raw_int(db, "PRAGMA user_version"), 99);
    sqlite3_close(db);
    tk_rmtree(t.dir);
}

static void test_creates_nested_dir(void)
{
    char base[64], dir[128];
    tk_mkdtemp(base);
    snprintf(dir, sizeof(dir), "%s/a/b/data", base);
    char err[256] = "";
    edge_store *st = edge_store_open_sqlite(dir, err, sizeof(err));
    CHECK(st != NULL);
    struct stat sb;
    char file[160];
    snprintf(file, sizeof(file), "%s/c2c.sqlite3", dir);
    CHECK_INT_EQ(stat(file, &sb), 0);
    CHECK_INT_EQ(stat(dir, &sb), 0);
    CHECK_INT_EQ(sb.st_mode & 0777, 0700);
    edge_store_close(st);
    tk_rmtree(base);
}

static void test_bad_dir(void)
{
    char base[64], file[96];
    tk_mkdtemp(base);
    snprintf(file, sizeof(file), "%s/plain-file", base);
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (f != NULL)
        fclose(f);
    char err[256] = "";
    CHECK(edge_store_open_sqlite(file, err, sizeof(err)) == NULL);
    CHECK(err[0] != '\0');
    err[0] = '\0';
    CHECK(edge_store_open_sqlite("", err, sizeof(err)) == NULL);
    CHECK(err[0] != '\0');
    CHECK(edge_store_open_sqlite(NULL, NULL, 0) == NULL);
    tk_rmtree(base);
}

/* Overwrite page `page` (1-based) of dir's database with a byte pattern. */
static void smash_page(const char *dir, long page, long page_size)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/c2c.sqlite3", dir);
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (f == NULL)
        return;
    char *junk = malloc((size_t)page_size);
    memset(junk, 0x5a, (size_t)page_size);
    CHECK_INT_EQ(fseek(f, (page - 1) * page_size, SEEK_SET), 0);
    CHECK_INT_EQ(fwrite(junk, 1, (size_t)page_size, f), (size_t)page_size);
    fclose(f);
    free(junk);
}

/* A damaged b-tree page stops the opening with a line that says the file
 * is corrupt and what to do; so does a file that is no database at all. */
static void test_corrupt_file_refused(void)
{
    tk t;
    tk_setup(&t);
    edge_contact c;
    edge_participant p;
    int r;
    CHECK_INT_EQ(tk_chat(t.st, "alice", "hello", T0, &c, &p, &r), 0);
    char text[2048];
    memset(text, 'm', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    for (int i = 0; i < 40; i++) {
        edge_message m;
        CHECK_INT_EQ(edge_store_message_add(t.st, p.id, "text/plain", text, 4096, T0 + i, &m), 0);
        edge_message_free(&m);
    }
    edge_contact_free(&c);
    edge_store_close(t.st); /* the last connection checkpoints the WAL into the file */
    t.st = NULL;
    sqlite3 *db = tk_raw(t.dir);
    long root = (long)tk_raw_int(db, "SELECT rootpage FROM sqlite_schema WHERE name = 'messages'");
    long page_size = (long)tk_raw_int(db, "PRAGMA page_size");
    sqlite3_close(db);
    CHECK(root > 1);
    smash_page(t.dir, root, page_size);
    char err[512] = "";
    CHECK(edge_store_open_sqlite(t.dir, err, sizeof(err)) == NULL);
    CHECK(strstr(err, "c2c.sqlite3 is corrupt") != NULL);
    CHECK(strstr(err, "restore it from a backup") != NULL);
    CHECK(strchr(err, '\n') == NULL);
    smash_page(t.dir, 1, page_size); /* the header too: not a database any more */
    err[0] = '\0';
    CHECK(edge_store_open_sqlite_owned(t.dir, err, sizeof(err)) == NULL);
    CHECK(strstr(err, "is corrupt") != NULL);
    tk_teardown(&t);
}

/* Calls on a NULL store are argument errors, not crashes. */
static void test_null_store(void)
{
    int n = 5;
    CHECK_INT_EQ(edge_store_agents_available(NULL, &n), EDGE_STORE_EINVAL);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(edge_store_schema_version(NULL), EDGE_STORE_EINVAL);
    edge_store_close(NULL);
}

int main(void)
{
    UNIT_RUN(test_create_and_reopen);
    UNIT_RUN(test_pragmas);
    UNIT_RUN(test_newer_schema_refused);
    UNIT_RUN(test_creates_nested_dir);
    UNIT_RUN(test_bad_dir);
    UNIT_RUN(test_null_store);
    UNIT_RUN(test_corrupt_file_refused);
    return UNIT_DONE();
}
