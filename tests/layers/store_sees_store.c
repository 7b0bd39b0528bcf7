/* store_sees_store.c - control probe: a store-layer file may include its own
 * layer (compiled against edge_store by ctest layer_store_sees_store). */
#include "store/store.h"
int edge_probe_store_sees_store(void);
int edge_probe_store_sees_store(void)
{
    return 0;
}
