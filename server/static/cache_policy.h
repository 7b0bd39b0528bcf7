/* cache_policy.h - which Cache-Control a served file gets.
 *
 * Build tools put a content hash in the names of assets that never change
 * ("c2c.3f9a1b2c.wasm"); those may be cached for a year without asking
 * again. Everything else, notably HTML and the unversioned loader c2c.js
 * that embedders hot-link, must be revalidated (cheap: ETag + 304) so a
 * deploy is visible at once. The rule lives here, apart from the cache, so
 * it can be read and tested on its own. */
#ifndef EDGE_STATIC_CACHE_POLICY_H
#define EDGE_STATIC_CACHE_POLICY_H

#define EDGE_CACHE_IMMUTABLE "public, max-age=31536000, immutable"
#define EDGE_CACHE_REVALIDATE "no-cache"

/* True when the file name (the text after the last '/') carries a content
 * hash: its stem (everything before the last '.') contains a token,
 * delimited by '.', '-' or '_' or the stem's ends, of at least 8 hex digits
 * with at least one decimal digit among them. The digit requirement keeps
 * plain words such as "facade" or "deadbeef"-like names from counting; a
 * real hash lacks a digit with probability under 0.1%, and then merely gets
 * revalidated. Examples: "c2c.3f9a1b2c.wasm", "app-0123abcd.js" are hashed;
 * "c2c.js", "index.html", "logo.png" are not. */
int edge_cache_name_is_hashed(const char *name);

/* The Cache-Control value for name (a path or file name) with Content-Type
 * content_type: EDGE_CACHE_REVALIDATE for text/html whatever its name,
 * EDGE_CACHE_IMMUTABLE for hashed names, EDGE_CACHE_REVALIDATE otherwise.
 * Returns a static string. */
const char *edge_cache_control_for(const char *name, const char *content_type);

#endif
