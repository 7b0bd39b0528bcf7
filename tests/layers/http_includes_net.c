/* http_includes_net.c - must NOT compile against edge_http: the HTTP layer
 * knows nothing of sockets (ctest layer_http_includes_net). */
#include "net/conn.h"
