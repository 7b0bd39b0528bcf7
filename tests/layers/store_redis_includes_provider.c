/* store_redis_includes_provider.c - must NOT compile against
 * edge_store_redis: the Redis store sits below the provider (it will be
 * called by it), never the reverse. */
#include "provider/provider.h"
