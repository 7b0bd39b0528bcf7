/* api_sees_provider.c - control probe: api/ may include the layers below it
 * (compiled against edge_api by ctest layer_api_sees_provider). */
#include "api/routes.h"
#include "provider/provider.h"
#include "store/store.h"
int edge_probe_api_sees_provider(void);
int edge_probe_api_sees_provider(void)
{
    return 0;
}
