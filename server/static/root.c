/* root.c - static roots and symlink containment (policy in root.h). */
#include "static/root.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"

/* (Re)compute root->real; leaves it NULL when dir does not resolve. */
static void refresh_real(edge_static_root *root)
{
    char buf[PATH_MAX];
    free(root->real);
    root->real = NULL;
    root->real_len = 0;
    if (realpath(root->dir, buf) != NULL) {
        root->real = edge_xstrdup(buf);
        root->real_len = strlen(buf);
    }
}

void edge_static_root_init(edge_static_root *root, const char *dir)
{
    root->dir = edge_xstrdup(dir);
    root->real = NULL;
    root->real_len = 0;
    refresh_real(root);
}

void edge_static_root_free(edge_static_root *root)
{
    free(root->dir);
    free(root->real);
    root->dir = root->real = NULL;
    root->real_len = 0;
}

static int is_inside(const edge_static_root *root, const char *real)
{
    if (root->real == NULL)
        return 0;
    if (root->real_len == 1) /* the root is "/" itself */
        return 1;
    return strncmp(real, root->real, root->real_len) == 0 &&
           (real[root->real_len] == '/' || real[root->real_len] == '\0');
}

int edge_static_root_resolve(edge_static_root *root, const char *path, char *out)
{
    if (realpath(path, out) == NULL)
        return errno ? -errno : -ENOENT;
    if (is_inside(root, out))
        return 0;
    /* The root itself may have moved (a symlink flipped by a deploy). */
    refresh_real(root);
    return is_inside(root, out) ? 0 : -EPERM;
}
