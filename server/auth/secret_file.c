/* secret_file.c - load or create a secret in the data directory (see .h). */
#include "auth/secret_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/errbuf.h"

static int read_exact(int fd, unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

static int create_file(const char *path, unsigned char *secret, size_t len, char *err,
                       size_t errlen)
{
    if (getrandom(secret, len, 0) != (ssize_t)len)
        return edge_errf(err, errlen, "cannot get random bytes for %s", path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return edge_errf(err, errlen, "cannot create %s: %s", path, strerror(errno));
    ssize_t n = write(fd, secret, len);
    int synced = fsync(fd);
    close(fd);
    if (n != (ssize_t)len || synced != 0)
        return edge_errf(err, errlen, "cannot write %s", path);
    return 0;
}

int edge_secret_file_load(const char *dir, const char *name, unsigned char *secret, size_t len,
                          char *err, size_t errlen)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return edge_errf(err, errlen, "cannot create data directory %s: %s", dir,
                         strerror(errno));
    edge_buf path = EDGE_BUF_INIT;
    edge_buf_appendf(&path, "%s/%s", dir, name);
    int rc = 0;
    int fd = open(path.data, O_RDONLY);
    if (fd < 0 && errno == ENOENT) {
        rc = create_file(path.data, secret, len, err, errlen);
    } else if (fd < 0) {
        rc = edge_errf(err, errlen, "cannot open %s: %s", path.data, strerror(errno));
    } else {
        if (read_exact(fd, secret, len) != 0)
            rc = edge_errf(err, errlen, "%s is shorter than %zu bytes", path.data, len);
        close(fd);
    }
    edge_buf_free(&path);
    return rc;
}
