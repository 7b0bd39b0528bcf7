/* file_cache.h - the in-memory copy of served files, with their encodings.
 *
 * Keyed by the joined path root->dir + "/" + relative path (not by
 * realpath, which would cost syscalls on every hit). An entry holds the file
 * bytes and, for compressible types, the precompressed siblings "<file>.br"
 * and "<file>.gz" when they exist, are regular, lie inside the root and are
 * not older than the file (a stale sibling would serve old content). For
 * every variant it also holds the strong ETag and the ready-made header
 * lines, so a hit costs one lookup and one append.
 *
 * ETag: the first 128 bits of SHA-256 over the variant's own bytes, as 32
 * hex digits, with "-gz"/"-br" inside the quotes for compressed variants
 * ("\"<hex>-br\""). Content hashing (rather than inode/size/mtime) keeps
 * tags stable across copies, touches and several servers behind one load
 * balancer; the cost is one hash pass when a file is (re)loaded.
 *
 * Freshness: an entry is trusted for recheck_ms, then stat()ed again (the
 * file and both siblings); any change of device, inode, size or mtime (ns)
 * reloads it, a vanished file removes it. Misses are not cached (each costs
 * one stat()), so the table only ever holds files that exist: requests for
 * random names cannot grow it.
 *
 * Large files: a file over max_file_bytes is remembered as a "too large"
 * entry (logged once per change on stderr) and answered 404 by the handler;
 * an oversized sibling is just ignored.
 *
 * Lifetime: entries are refcounted (the loop is single-threaded, so plain
 * counters). The table holds one reference; every successful
 * edge_file_cache_get hands the caller another, which it passes on to a
 * response body (released through edge_file_entry_unref) or drops. A reload
 * replaces the table's entry but the old one lives until its last borrower
 * lets go; edge_file_cache_destroy likewise only drops the table's refs.
 *
 * Reads are synchronous on the calling thread: files are small build
 * artifacts, read once per change. */
#ifndef EDGE_STATIC_FILE_CACHE_H
#define EDGE_STATIC_FILE_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "static/negotiate.h"
#include "static/root.h"

#define EDGE_ETAG_MAX 48 /* quoted tag + suffix + NUL */

/* One encoding of a file. head is what a 200 adds (Content-Type, ETag,
 * Last-Modified, Cache-Control, Vary, Content-Encoding); head304 is what a
 * 304 adds (ETag, Cache-Control, Vary). Both are "Name: value\r\n" lines. */
typedef struct edge_file_variant {
    char *data;               /* owned bytes; NULL when this encoding is absent */
    size_t len;               /* bytes in data */
    char etag[EDGE_ETAG_MAX]; /* quoted strong tag */
    char *head;               /* owned: header lines for a 200 */
    size_t head_len;          /* bytes in head */
    char *head304;            /* owned: header lines for a 304 */
    size_t head304_len;       /* bytes in head304 */
} edge_file_variant;

/* What stat() said about one path, to notice changes. */
typedef struct edge_file_stamp {
    int exists; /* a regular file was there */
    dev_t dev;
    ino_t ino;
    off_t size;
    int64_t mtime_ns;
} edge_file_stamp;

typedef struct edge_file_entry edge_file_entry;
struct edge_file_entry {
    /* read-only for users */
    int64_t mtime_s;    /* file mtime, seconds (Last-Modified / If-Modified-Since) */
    unsigned available; /* EDGE_ENC_BIT()s of the variants present */
    edge_file_variant v[EDGE_ENC_COUNT];
    /* private */
    edge_file_entry *next_; /* hash chain */
    char *key_;             /* owned */
    uint64_t hash_;
    unsigned refs_;
    int too_large_;
    uint64_t checked_ms_;
    edge_file_stamp stamps_[EDGE_ENC_COUNT];
};

typedef struct edge_file_cache edge_file_cache;

typedef enum edge_file_status {
    EDGE_FILE_OK = 0,    /* *out is a referenced entry */
    EDGE_FILE_DIR,       /* the path is a directory (inside the root) */
    EDGE_FILE_MISSING,   /* absent, not a regular file, or outside the root */
    EDGE_FILE_TOO_LARGE, /* over max_file_bytes */
    EDGE_FILE_ERROR      /* unexpected I/O error, already logged */
} edge_file_status;

/* A cache that re-stats entries older than recheck_ms and refuses files
 * larger than max_file_bytes. Never NULL (allocation failure aborts). */
edge_file_cache *edge_file_cache_create(uint64_t recheck_ms, size_t max_file_bytes);

/* Drop the table's references and free the table. Entries still borrowed
 * by responses are freed by their last edge_file_entry_unref. */
void edge_file_cache_destroy(edge_file_cache *fc);

/* Look up rel (a path from edge_path_sanitize, not ending in '/') under
 * root, loading or refreshing it as needed; now_ms is a monotonic clock.
 * On EDGE_FILE_OK *out holds a new reference the caller must release with
 * edge_file_entry_unref; otherwise *out is NULL. */
edge_file_status edge_file_cache_get(edge_file_cache *fc, edge_static_root *root, const char *rel,
                                     uint64_t now_ms, edge_file_entry **out);

/* Take or drop a reference. Dropping the last one frees the entry. The
 * void * form fits edge_release_fn for edge_response_set_shared_body. */
void edge_file_entry_ref(edge_file_entry *e);
void edge_file_entry_unref(void *entry);

/* Entries currently in the table (for tests and metrics). */
size_t edge_file_cache_count(const edge_file_cache *fc);

#endif
