/* store_testkit.h - shared fixture for the store tests.
 *
 * Each test gets a fresh mkdtemp directory and a store opened in it, and
 * removes both at the end. The race helper forks children that each open
 * their own store (SQLite connections must not cross fork(), so the parent
 * closes its handle first), wait on a start gun (a pipe whose write end the
 * parent closes once every child is ready, waking them all at once), run
 * one operation and report it as a fixed-size record on a result pipe.
 * Children _exit() so LeakSanitizer does not report the parent's state.
 * Header-only so every test stays one .c file; define _GNU_SOURCE first. */
#ifndef C2C_TESTS_STORE_TESTKIT_H
#define C2C_TESTS_STORE_TESTKIT_H

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"
#include "unit.h"

#define T0 1700000000000LL /* a plausible "now", in ms */
#define TK_SCHEMA_LATEST 8 /* the schema version this build migrates to */

typedef struct tk {
    char dir[64];
    edge_store *st;
} tk;

static inline edge_store *tk_open(const char *dir)
{
    char err[256] = "";
    edge_store *st = edge_store_open_sqlite(dir, err, sizeof(err));
    if (st == NULL) {
        fprintf(stderr, "cannot open store in %s: %s\n", dir, err);
        abort();
    }
    return st;
}

static inline void tk_mkdtemp(char dir[64])
{
    snprintf(dir, 64, "/tmp/c2c-store-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
}

static inline void tk_setup(tk *t)
{
    tk_mkdtemp(t->dir);
    t->st = tk_open(t->dir);
}

static inline int tk__rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static inline void tk_rmtree(const char *dir)
{
    nftw(dir, tk__rm, 8, FTW_DEPTH | FTW_PHYS);
}

static inline void tk_teardown(tk *t)
{
    edge_store_close(t->st);
    t->st = NULL;
    tk_rmtree(t->dir);
}

/* Close and reopen the store, as a restart would. */
static inline void tk_reopen(tk *t)
{
    edge_store_close(t->st);
    t->st = tk_open(t->dir);
}

/* A raw SQLite connection to the store's file, for checks behind the API. */
static inline sqlite3 *tk_raw(const char *dir)
{
    char path[128];
    sqlite3 *db = NULL;
    snprintf(path, sizeof(path), "%s/c2c.sqlite3", dir);
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "raw open %s: %s\n", path, sqlite3_errmsg(db));
        abort();
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

/* The integer answer of a one-row query on a raw connection (-1 on error). */
static inline long long tk_raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    else
        fprintf(stderr, "raw query failed: %s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return v;
}

/* chat_start with the usual fields filled in from sub. */
static inline int tk_chat(edge_store *st, const char *sub, const char *initial, int64_t now,
                          edge_contact *c, edge_participant *p, int *resumed)
{
    char name[64], email[80];
    snprintf(name, sizeof(name), "Name %s", sub);
    snprintf(email, sizeof(email), "%s@example.test", sub);
    edge_chat_start in = {.sub = sub, .name = name, .email = email, .initial_message = initial};
    return edge_store_chat_start(st, &in, now, c, p, resumed);
}

/* ---- fork races ------------------------------------------------------- */

typedef struct tk_result {
    int index;
    int rc;
    int flag;                   /* an operation-specific int (e.g. resumed) */
    char id[EDGE_STORE_ID_MAX]; /* an operation-specific id (e.g. contact id) */
} tk_result;

/* What one child does: run one operation on its own store. */
typedef void (*tk_child_fn)(edge_store *st, int index, void *arg, tk_result *out);

static inline void tk__child(const char *dir, int index, int gun, int res, tk_child_fn fn,
                             void *arg, int open_after_gun)
{
    char go;
    edge_store *st = open_after_gun ? NULL : tk_open(dir);
    /* Blocks until the parent closes the write end: read() returns 0. */
    while (read(gun, &go, 1) < 0 && errno == EINTR)
        ;
    if (st == NULL)
        st = tk_open(dir);
    tk_result r;
    memset(&r, 0, sizeof(r));
    r.index = index;
    fn(st, index, arg, &r);
    edge_store_close(st);
    if (write(res, &r, sizeof(r)) != (ssize_t)sizeof(r))
        _exit(2);
    _exit(0);
}

/* Fork n children running fn at once against the store in dir; fill
 * results[0..n) (by child index). The caller must have no store open on
 * dir's file. Returns the number of children that did not exit cleanly or
 * reported nothing. open_after_gun: children open the store only after the
 * gun (races the opening itself). */
static inline int tk_race(const char *dir, int n, tk_child_fn fn, void *arg, tk_result *results,
                          int open_after_gun)
{
    int gun[2], res[2], bad = 0;
    pid_t pids[64];
    if (n > 64 || pipe(gun) != 0 || pipe(res) != 0)
        abort();
    fflush(NULL);
    for (int i = 0; i < n; i++) {
        pids[i] = fork();
        if (pids[i] < 0)
            abort();
        if (pids[i] == 0) {
            close(gun[1]);
            close(res[0]);
            tk__child(dir, i, gun[0], res[1], fn, arg, open_after_gun);
        }
    }
    close(gun[0]);
    close(res[1]);
    usleep(200 * 1000); /* let every child open its store and block */
    close(gun[1]);      /* the start gun */
    memset(results, 0, (size_t)n * sizeof(*results));
    for (int i = 0; i < n; i++)
        results[i].rc = 1000; /* "no report" */
    tk_result r;
    while (read(res[0], &r, sizeof(r)) == (ssize_t)sizeof(r))
        if (r.index >= 0 && r.index < n)
            results[r.index] = r;
    close(res[0]);
    for (int i = 0; i < n; i++) {
        int status = 0;
        waitpid(pids[i], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || results[i].rc == 1000)
            bad++;
    }
    return bad;
}

#endif
