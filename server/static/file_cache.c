/* file_cache.c - refcounted, self-refreshing cache of static files (the
 * policy is documented in file_cache.h).
 *
 * Shape: a chained hash table of entries, power-of-two sized, keyed by
 * FNV-1a of the joined path (keys are only paths that exist on disk, so
 * there is no hash-flooding surface). Loading stamps first and reads second:
 * if a file changes in between, the next recheck sees a stamp that differs
 * from the stored one and reloads, which is the safe direction. */
#include "static/file_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mbedtls/sha256.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/mem.h"
#include "static/cache_policy.h"
#include "static/http_date.h"
#include "static/mime.h"

#define INITIAL_BUCKETS 64 /* power of two */

struct edge_file_cache {
    edge_file_entry **buckets; /* owned array; each chain holds one table ref per entry */
    size_t nbuckets;           /* power of two */
    size_t count;              /* entries in the table */
    uint64_t recheck_ms;
    size_t max_bytes;
};

/* Per encoding: file-name suffix of the sibling, ETag suffix, coding name. */
static const char *const sibling_suffix[EDGE_ENC_COUNT] = {"", ".gz", ".br"};
static const char *const etag_suffix[EDGE_ENC_COUNT] = {"", "-gz", "-br"};
static const char *const coding_name[EDGE_ENC_COUNT] = {NULL, "gzip", "br"};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ---- entries ---- */

static void entry_free(edge_file_entry *e)
{
    for (int i = 0; i < EDGE_ENC_COUNT; i++) {
        free(e->v[i].data);
        free(e->v[i].head);
        free(e->v[i].head304);
    }
    free(e->key_);
    free(e);
}

void edge_file_entry_ref(edge_file_entry *e)
{
    e->refs_++;
}

void edge_file_entry_unref(void *entry)
{
    edge_file_entry *e = entry;
    if (--e->refs_ == 0)
        entry_free(e);
}

/* ---- the table ---- */

edge_file_cache *edge_file_cache_create(uint64_t recheck_ms, size_t max_file_bytes)
{
    edge_file_cache *fc = edge_xcalloc(1, sizeof(*fc));
    fc->nbuckets = INITIAL_BUCKETS;
    fc->buckets = edge_xcalloc(fc->nbuckets, sizeof(*fc->buckets));
    fc->recheck_ms = recheck_ms;
    fc->max_bytes = max_file_bytes;
    return fc;
}

void edge_file_cache_destroy(edge_file_cache *fc)
{
    if (fc == NULL)
        return;
    for (size_t i = 0; i < fc->nbuckets; i++) {
        edge_file_entry *e = fc->buckets[i];
        while (e) {
            edge_file_entry *next = e->next_;
            e->next_ = NULL;
            edge_file_entry_unref(e);
            e = next;
        }
    }
    free(fc->buckets);
    free(fc);
}

size_t edge_file_cache_count(const edge_file_cache *fc)
{
    return fc->count;
}

static edge_file_entry *table_find(const edge_file_cache *fc, const char *key, uint64_t h)
{
    for (edge_file_entry *e = fc->buckets[h & (fc->nbuckets - 1)]; e; e = e->next_) {
        if (e->hash_ == h && strcmp(e->key_, key) == 0)
            return e;
    }
    return NULL;
}

static void table_grow(edge_file_cache *fc)
{
    size_t n = fc->nbuckets * 2;
    edge_file_entry **b = edge_xcalloc(n, sizeof(*b));
    for (size_t i = 0; i < fc->nbuckets; i++) {
        edge_file_entry *e = fc->buckets[i];
        while (e) {
            edge_file_entry *next = e->next_;
            e->next_ = b[e->hash_ & (n - 1)];
            b[e->hash_ & (n - 1)] = e;
            e = next;
        }
    }
    free(fc->buckets);
    fc->buckets = b;
    fc->nbuckets = n;
}

/* Link e in; the table takes over the reference e was created with. */
static void table_insert(edge_file_cache *fc, edge_file_entry *e)
{
    if (fc->count >= fc->nbuckets)
        table_grow(fc);
    size_t idx = e->hash_ & (fc->nbuckets - 1);
    e->next_ = fc->buckets[idx];
    fc->buckets[idx] = e;
    fc->count++;
}

/* Unlink e and drop the table's reference (borrowers keep it alive). */
static void table_remove(edge_file_cache *fc, edge_file_entry *e)
{
    edge_file_entry **link = &fc->buckets[e->hash_ & (fc->nbuckets - 1)];
    while (*link != e)
        link = &(*link)->next_;
    *link = e->next_;
    e->next_ = NULL;
    fc->count--;
    edge_file_entry_unref(e);
}

/* ---- stamps ---- */

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* stat() path (following symlinks) into *s. Returns 0 or -errno; a
 * directory or special file succeeds with s->exists == 0. */
static int take_stamp(const char *path, edge_file_stamp *s)
{
    struct stat st;
    memset(s, 0, sizeof(*s));
    if (stat(path, &st) != 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return 0;
    s->exists = 1;
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    s->size = st.st_size;
    s->mtime_ns = mtime_ns(&st);
    return 0;
}

/* Stamp the file and, when its type is compressible, its siblings. Returns
 * take_stamp's result for the file itself. */
static int take_stamps(const char *key, int compressible, edge_file_stamp *stamps)
{
    int r = take_stamp(key, &stamps[EDGE_ENC_IDENTITY]);
    for (int enc = 1; enc < EDGE_ENC_COUNT; enc++) {
        char path[PATH_MAX];
        int n = snprintf(path, sizeof(path), "%s%s", key, sibling_suffix[enc]);
        memset(&stamps[enc], 0, sizeof(stamps[enc]));
        if (r == 0 && compressible && n > 0 && (size_t)n < sizeof(path))
            take_stamp(path, &stamps[enc]);
    }
    return r;
}

static int stamps_equal(const edge_file_stamp *a, const edge_file_stamp *b)
{
    for (int i = 0; i < EDGE_ENC_COUNT; i++) {
        if (a[i].exists != b[i].exists)
            return 0;
        if (a[i].exists && (a[i].dev != b[i].dev || a[i].ino != b[i].ino ||
                            a[i].size != b[i].size || a[i].mtime_ns != b[i].mtime_ns))
            return 0;
    }
    return 1;
}

/* ---- loading ---- */

/* Map an errno from stat/realpath/open to a status; unexpected ones are
 * logged here, once, so callers need not. */
static edge_file_status status_from_errno(int err, const char *path)
{
    switch (err) {
    case ENOENT:
    case ENOTDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case EPERM: /* edge_static_root_resolve: outside the root */
        return EDGE_FILE_MISSING;
    default:
        fprintf(stderr, "c2c-edge: static: %s: %s\n", path, strerror(err));
        return EDGE_FILE_ERROR;
    }
}

/* Read exactly size bytes (fewer if the file shrank meanwhile). */
static edge_file_status read_fd(int fd, size_t size, const char *path, char **data, size_t *len)
{
    char *buf = edge_xmalloc(size + 1);
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            free(buf);
            return status_from_errno(err, path);
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    *data = buf;
    *len = got;
    return EDGE_FILE_OK;
}

/* Open real (already checked to be inside the root) and read it whole.
 * O_NONBLOCK keeps a FIFO planted in the root from blocking the loop; it
 * is then refused as not regular. *st is filled whenever open succeeded. */
static edge_file_status read_whole(const edge_file_cache *fc, const char *real, struct stat *st,
                                   char **data, size_t *len)
{
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return status_from_errno(errno, real);
    edge_file_status s;
    if (fstat(fd, st) != 0)
        s = status_from_errno(errno, real);
    else if (S_ISDIR(st->st_mode))
        s = EDGE_FILE_DIR;
    else if (!S_ISREG(st->st_mode))
        s = EDGE_FILE_MISSING;
    else if ((uint64_t)st->st_size > (uint64_t)fc->max_bytes)
        s = EDGE_FILE_TOO_LARGE;
    else
        s = read_fd(fd, (size_t)st->st_size, real, data, len);
    close(fd);
    return s;
}

/* Resolve path against root (symlink policy) and read it. */
static edge_file_status load_file(const edge_file_cache *fc, edge_static_root *root,
                                  const char *path, struct stat *st, char **data, size_t *len)
{
    char real[PATH_MAX];
    int r = edge_static_root_resolve(root, path, real);
    if (r < 0)
        return status_from_errno(-r, path);
    return read_whole(fc, real, st, data, len);
}

/* Whether a sibling with stat sib is older than the file it was made from.
 * Compressors that copy the file's times to their output (brotli does by
 * default) keep only the seconds: a sibling stamped exactly at the whole
 * second of the file's mtime is taken for such a copy, not for stale. Any
 * other sibling must be at least as new as the file to the nanosecond, so
 * a sibling left from the previous version written in the same second is
 * still refused. */
static int sibling_is_stale(const struct stat *sib, const struct stat *file)
{
    if (sib->st_mtim.tv_nsec == 0 && sib->st_mtim.tv_sec == file->st_mtim.tv_sec)
        return 0;
    return mtime_ns(sib) < mtime_ns(file);
}

/* Add the .gz/.br siblings of key that exist and are not stale. */
static void load_siblings(const edge_file_cache *fc, edge_static_root *root, const char *key,
                          const struct stat *file_st, edge_file_entry *e)
{
    for (int enc = 1; enc < EDGE_ENC_COUNT; enc++) {
        char path[PATH_MAX];
        int n = snprintf(path, sizeof(path), "%s%s", key, sibling_suffix[enc]);
        struct stat st;
        char *data = NULL;
        size_t len = 0;
        if (n < 0 || (size_t)n >= sizeof(path))
            continue;
        if (load_file(fc, root, path, &st, &data, &len) != EDGE_FILE_OK)
            continue;
        if (sibling_is_stale(&st, file_st)) {
            free(data); /* stale: built from an older version of the file */
            continue;
        }
        e->v[enc].data = data;
        e->v[enc].len = len;
        e->available |= EDGE_ENC_BIT(enc);
    }
}

/* "\"<32 hex of SHA-256>[-gz|-br]\"" over the variant's bytes. */
static void make_etag(edge_file_variant *v, int enc)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[32];
    mbedtls_sha256_ret((const unsigned char *)v->data, v->len, digest, 0);
    char *p = v->etag;
    *p++ = '"';
    for (int i = 0; i < 16; i++) {
        *p++ = hex[digest[i] >> 4];
        *p++ = hex[digest[i] & 15];
    }
    size_t sl = strlen(etag_suffix[enc]);
    memcpy(p, etag_suffix[enc], sl);
    p += sl;
    *p++ = '"';
    *p = '\0';
}

/* Precompute each present variant's ETag and header blocks. */
static void build_heads(edge_file_entry *e, const char *key, const edge_mime *mime)
{
    char lastmod[EDGE_HTTP_DATE_LEN + 1];
    edge_http_date_format(e->mtime_s, lastmod);
    const char *cc = edge_cache_control_for(key, mime->type);
    const char *vary = mime->compressible ? "Vary: Accept-Encoding\r\n" : "";
    for (int enc = 0; enc < EDGE_ENC_COUNT; enc++) {
        edge_file_variant *v = &e->v[enc];
        if (v->data == NULL)
            continue;
        make_etag(v, enc);
        edge_buf b = EDGE_BUF_INIT;
        edge_buf_appendf(&b, "Content-Type: %s\r\nETag: %s\r\n", mime->type, v->etag);
        if (lastmod[0])
            edge_buf_appendf(&b, "Last-Modified: %s\r\n", lastmod);
        edge_buf_appendf(&b, "Cache-Control: %s\r\n%s", cc, vary);
        if (coding_name[enc])
            edge_buf_appendf(&b, "Content-Encoding: %s\r\n", coding_name[enc]);
        v->head = edge_buf_steal(&b, &v->head_len);
        edge_buf_appendf(&b, "ETag: %s\r\nCache-Control: %s\r\n%s", v->etag, cc, vary);
        v->head304 = edge_buf_steal(&b, &v->head304_len);
    }
}

/* Fill a new entry for key and insert it. Returns EDGE_FILE_OK or
 * EDGE_FILE_TOO_LARGE with *out set (the table owns the one reference), or
 * another status with nothing inserted. */
static edge_file_status load_entry(edge_file_cache *fc, edge_static_root *root, const char *key,
                                   uint64_t hash, uint64_t now_ms, edge_file_entry **out)
{
    const edge_mime *mime = edge_mime_lookup(key);
    edge_file_entry *e = edge_xcalloc(1, sizeof(*e));
    int r = take_stamps(key, mime->compressible, e->stamps_);
    struct stat st;
    memset(&st, 0, sizeof(st));
    edge_file_status s = r < 0 ? status_from_errno(-r, key)
                               : load_file(fc, root, key, &st, &e->v[0].data, &e->v[0].len);
    if (s == EDGE_FILE_TOO_LARGE) {
        fprintf(stderr, "c2c-edge: static: %s is %lld bytes, over the %zu-byte limit; not served\n",
                key, (long long)st.st_size, fc->max_bytes);
        e->too_large_ = 1;
    } else if (s == EDGE_FILE_OK) {
        e->mtime_s = (int64_t)st.st_mtim.tv_sec;
        e->available = EDGE_ENC_BIT(EDGE_ENC_IDENTITY);
        if (mime->compressible)
            load_siblings(fc, root, key, &st, e);
        build_heads(e, key, mime);
    } else {
        entry_free(e);
        return s;
    }
    e->key_ = edge_xstrdup(key);
    e->hash_ = hash;
    e->refs_ = 1;
    e->checked_ms_ = now_ms;
    table_insert(fc, e);
    *out = e;
    return s;
}

/* ---- lookup ---- */

static int is_fresh(const edge_file_cache *fc, const edge_file_entry *e, uint64_t now_ms)
{
    return now_ms >= e->checked_ms_ && now_ms - e->checked_ms_ < fc->recheck_ms;
}

/* Re-stat a stale entry: keep it (refreshing its check time) when nothing
 * changed, otherwise drop it from the table. Returns e or NULL. */
static edge_file_entry *revalidate(edge_file_cache *fc, edge_file_entry *e, uint64_t now_ms)
{
    edge_file_stamp now[EDGE_ENC_COUNT];
    take_stamps(e->key_, edge_mime_lookup(e->key_)->compressible, now);
    if (stamps_equal(now, e->stamps_)) {
        e->checked_ms_ = now_ms;
        return e;
    }
    table_remove(fc, e);
    return NULL;
}

edge_file_status edge_file_cache_get(edge_file_cache *fc, edge_static_root *root, const char *rel,
                                     uint64_t now_ms, edge_file_entry **out)
{
    *out = NULL;
    char key[PATH_MAX];
    int n = snprintf(key, sizeof(key), "%s/%s", root->dir, rel);
    if (n < 0 || (size_t)n >= sizeof(key))
        return EDGE_FILE_MISSING;
    uint64_t h = hash_key(key);
    edge_file_entry *e = table_find(fc, key, h);
    if (e && !is_fresh(fc, e, now_ms))
        e = revalidate(fc, e, now_ms);
    if (e == NULL) {
        edge_file_status s = load_entry(fc, root, key, h, now_ms, &e);
        if (s != EDGE_FILE_OK && s != EDGE_FILE_TOO_LARGE)
            return s;
    }
    if (e->too_large_)
        return EDGE_FILE_TOO_LARGE;
    edge_file_entry_ref(e);
    *out = e;
    return EDGE_FILE_OK;
}
