/* root.h - one static root directory and the "is this inside it" check.
 *
 * path.c guarantees a request path has no "..", but a symlink inside the
 * root can still point anywhere. Policy: symlinks are followed only when the
 * file they finally name lies inside the root's real path (realpath()
 * both, compare prefixes at a '/' boundary). The root's real path is cached
 * and resolved again when a check fails, so flipping a "dist -> release-N"
 * symlink during a deploy works without a restart. */
#ifndef EDGE_STATIC_ROOT_H
#define EDGE_STATIC_ROOT_H

#include <stddef.h>

typedef struct edge_static_root {
    char *dir;       /* owned: the directory as configured */
    char *real;      /* owned: realpath(dir); NULL while it does not resolve */
    size_t real_len; /* strlen(real) */
} edge_static_root;

/* Copy dir and try to resolve it (a missing root is not an error: it may be
 * created later, e.g. by a build). Free with edge_static_root_free. */
void edge_static_root_init(edge_static_root *root, const char *dir);
void edge_static_root_free(edge_static_root *root);

/* Resolve path (normally root->dir + "/" + a sanitized relative path) with
 * realpath() into out, which must hold PATH_MAX bytes. Returns 0 when the
 * result lies inside the root (or is the root), -EPERM when it resolves
 * outside it, or -errno from realpath (-ENOENT, -ENOTDIR, -ELOOP, ...). */
int edge_static_root_resolve(edge_static_root *root, const char *path, char *out);

#endif
