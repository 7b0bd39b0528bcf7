/* api_includes_net.c - must NOT compile against edge_api: handlers never
 * see the transport (ctest layer_api_includes_net). */
#include "net/server.h"
