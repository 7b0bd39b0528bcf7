/* test_data_lock.c - one process owns a --data directory: a second
 * process (a forked child) is refused with a line naming the owner's pid,
 * the pid is in the lock file, the lock goes when released (or when the
 * owner dies), and a directory is created when missing. */
#define _GNU_SOURCE /* mkdtemp, nftw (in the testkit) */
#include "store_testkit.h"

#include <sys/stat.h>

#include "store/data_lock.h"

/* In a child: try to take dir's lock; the result line goes up a pipe.
 * Returns what the child reported ("OK" or its error line). */
static void try_in_child(const char *dir, char *out, size_t outlen)
{
    int fds[2];
    CHECK_INT_EQ(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        edge_data_lock lock;
        char err[256] = "OK";
        edge_data_lock_take(&lock, dir, err, sizeof(err));
        if (write(fds[1], err, strlen(err) + 1) < 0)
            _exit(2);
        _exit(0);
    }
    close(fds[1]);
    ssize_t n = read(fds[0], out, outlen - 1);
    out[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    waitpid(pid, NULL, 0);
}

static void test_second_owner_refused(void)
{
    char base[64], dir[96];
    tk_mkdtemp(base);
    snprintf(dir, sizeof(dir), "%s/data", base); /* created by the lock */
    edge_data_lock lock;
    char err[256] = "";
    CHECK_INT_EQ(edge_data_lock_take(&lock, dir, err, sizeof(err)), 0);
    CHECK(lock.fd >= 0);
    char path[128], text[32] = "";
    snprintf(path, sizeof(path), "%s/" EDGE_DATA_LOCK_FILE, dir);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fgets(text, sizeof(text), f) != NULL);
        fclose(f);
    }
    CHECK_INT_EQ(atol(text), (long)getpid());

    char got[256], want[256];
    try_in_child(dir, got, sizeof(got));
    snprintf(want, sizeof(want), "--data %s is in use by process %ld", dir, (long)getpid());
    CHECK_STR_EQ(got, want);

    edge_data_lock_release(&lock);
    CHECK_INT_EQ(lock.fd, -1);
    edge_data_lock_release(&lock); /* twice is harmless */
    try_in_child(dir, got, sizeof(got));
    CHECK_STR_EQ(got, "OK"); /* the child took it, and dying gave it back */
    CHECK_INT_EQ(edge_data_lock_take(&lock, dir, err, sizeof(err)), 0);
    edge_data_lock_release(&lock);

    CHECK_INT_EQ(edge_data_lock_take(&lock, "", err, sizeof(err)), -1);
    CHECK_INT_EQ(lock.fd, -1);
    snprintf(dir, sizeof(dir), "%s/no/such/parent", base);
    CHECK_INT_EQ(edge_data_lock_take(&lock, dir, err, sizeof(err)), -1);
    CHECK(strstr(err, "cannot create") != NULL);
    tk_rmtree(base);
}

int main(void)
{
    UNIT_RUN(test_second_owner_refused);
    return UNIT_DONE();
}
