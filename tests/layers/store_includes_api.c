/* store_includes_api.c - must NOT compile against edge_store: the store
 * sits below the routes (ctest layer_store_includes_api expects the error). */
#include "api/routes.h"
