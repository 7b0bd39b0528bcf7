/* secret_file.h - server secrets kept in the data directory.
 *
 * Secrets that must outlive a restart (the ParticipantToken key, the demo
 * mode's signing key) are random bytes in a file of --data DIR, created
 * once with mode 0600 and read back on every start. Several nodes sharing
 * one store share the directory's files too. */
#ifndef EDGE_SECRET_FILE_H
#define EDGE_SECRET_FILE_H

#include <stddef.h>

/* Fill secret[0..len) from dir/name, creating dir and the file (with fresh
 * random bytes) when missing. Returns 0, or -1 with err filled (unreadable,
 * shorter than len, cannot create). */
int edge_secret_file_load(const char *dir, const char *name, unsigned char *secret, size_t len,
                          char *err, size_t errlen);

#endif
