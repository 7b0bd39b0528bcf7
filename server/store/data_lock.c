/* data_lock.c - the --data directory's owner lock (see data_lock.h).
 *
 * An open-file-description lock (fcntl F_OFD_SETLK, Linux): unlike a
 * classic POSIX record lock it is not dropped when the process closes some
 * other descriptor of the same file (a person's tool, a test reading the
 * pid), and it conflicts within one process too. The owner writes its pid
 * into the file; a refused process reads it from there for its error line.
 * The lock goes when the descriptor is closed or the process ends. */
#define _GNU_SOURCE /* F_OFD_SETLK */
#include "store/data_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errbuf.h"
#include "common/mem.h"

static void whole_file(struct flock *fl, short type)
{
    memset(fl, 0, sizeof(*fl));
    fl->l_type = type;
    fl->l_whence = SEEK_SET;
    fl->l_start = 0;
    fl->l_len = 0; /* to the end, however long */
}

/* The pid the owner wrote into the file; 0 when there is none (yet). */
static long holder_pid(int fd)
{
    char text[32] = "";
    ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
    if (n <= 0)
        return 0;
    text[n] = '\0';
    return strtol(text, NULL, 10);
}

/* Best effort: the lock is what counts, and a full disk must not stop a
 * start that frees nothing by failing. */
static void write_pid(int fd)
{
    char text[32];
    int n = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0 && pwrite(fd, text, (size_t)n, 0) == n)
        return;
}

static int refuse(int fd, const char *dir, char *err, size_t errlen)
{
    long pid = holder_pid(fd);
    if (pid > 0)
        return edge_errf(err, errlen, "--data %s is in use by process %ld", dir, pid);
    return edge_errf(err, errlen, "--data %s is in use by another process", dir);
}

int edge_data_lock_take(edge_data_lock *lock, const char *dir, char *err, size_t errlen)
{
    lock->fd = -1;
    if (dir == NULL || dir[0] == '\0')
        return edge_errf(err, errlen, "--data: no directory");
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return edge_errf(err, errlen, "--data %s: cannot create it: %s", dir, strerror(errno));
    size_t len = strlen(dir) + sizeof("/" EDGE_DATA_LOCK_FILE);
    char *path = edge_xmalloc(len);
    snprintf(path, len, "%s/%s", dir, EDGE_DATA_LOCK_FILE);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    int rc = 0;
    struct flock fl;
    whole_file(&fl, F_WRLCK);
    if (fd < 0)
        rc = edge_errf(err, errlen, "--data %s: cannot open %s: %s", dir, path, strerror(errno));
    else if (fcntl(fd, F_OFD_SETLK, &fl) != 0)
        rc = errno == EACCES || errno == EAGAIN
                 ? refuse(fd, dir, err, errlen)
                 : edge_errf(err, errlen, "--data %s: cannot lock %s: %s", dir, path,
                             strerror(errno));
    else
        write_pid(fd);
    free(path);
    if (rc != 0) {
        if (fd >= 0)
            close(fd);
        return rc;
    }
    lock->fd = fd;
    return 0;
}

void edge_data_lock_release(edge_data_lock *lock)
{
    if (lock->fd >= 0)
        close(lock->fd);
    lock->fd = -1;
}
