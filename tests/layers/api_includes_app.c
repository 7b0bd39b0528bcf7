/* api_includes_app.c - must NOT compile against edge_api: handlers get the
 * narrow edge_api_ctx, not the app (ctest layer_api_includes_app). */
#include "app.h"
