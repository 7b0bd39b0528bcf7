/* data_lock.h - one process owns a --data directory.
 *
 * The server takes an exclusive lock on DIR/c2c.lock (an fcntl
 * open-file-description write lock on the whole file, with its pid written
 * in it) before it touches
 * anything else in DIR, and holds it for its lifetime; the kernel drops it
 * when the process ends however it ends, so a kill -9 leaves no stale lock
 * behind. A second server on the same directory is refused at start. That
 * is what lets the store open its database as the only writer
 * (edge_store_open_sqlite_owned) and never wait for a lock on a request.
 * The lock is the app's, not the store's: tests that open one database
 * twice on purpose (tests/server/store, tests/fuzz) do not take it. */
#ifndef EDGE_DATA_LOCK_H
#define EDGE_DATA_LOCK_H

#include <stddef.h>

#define EDGE_DATA_LOCK_FILE "c2c.lock"

typedef struct edge_data_lock {
    int fd; /* owned; -1 when not held */
} edge_data_lock;

/* Take dir's lock (creating dir, one level, and the lock file as needed)
 * and write this process's pid into it. Returns 0 with lock->fd held, or
 * -1 with lock->fd = -1 and one line in err: "--data DIR is in use by
 * process PID" when another process holds it, or why the file could not
 * be opened. */
int edge_data_lock_take(edge_data_lock *lock, const char *dir, char *err, size_t errlen);

/* Give the lock up (closing the file); safe on a lock not held. */
void edge_data_lock_release(edge_data_lock *lock);

#endif
