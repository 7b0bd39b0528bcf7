/* static_handler.h - serves files from the configured roots out of memory.
 *
 * Looks a request path up in each root in order (default dist/, then web/),
 * after edge_path_sanitize has proven it cannot leave the root. Files are
 * read into an in-memory cache with their .br/.gz siblings, ETag and
 * Last-Modified; an entry is re-stat()ed at most every static_recheck_ms and
 * reloaded when it changed. Responses borrow the cached bytes (refcounted),
 * so a reload while a response is in flight is safe. */
#ifndef EDGE_STATIC_HANDLER_H
#define EDGE_STATIC_HANDLER_H

#include <stdint.h>

#include "config/config.h"
#include "http/request.h"
#include "http/response.h"

typedef struct edge_static edge_static;

edge_static *edge_static_create(const edge_config *cfg);
void edge_static_destroy(edge_static *st);

/* Answer GET/HEAD for req: 200 with the file (or its .br/.gz sibling), 304,
 * 400 for a path that tries to escape, 404, or 405 for other methods.
 * now_ms is a monotonic clock in milliseconds (for the recheck interval). */
void edge_static_handle(edge_static *st, const edge_request *req, edge_response *res,
                        uint64_t now_ms);

#endif
