/* provider_includes_api.c - must NOT compile against edge_provider: the
 * provider is called by the routes, never the reverse. */
#include "api/contact_errors.h"
