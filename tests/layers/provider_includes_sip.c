/* provider_includes_sip.c - must NOT compile against edge_provider: the SIP
 * bridge hooks into the provider (provider/bridge.h), never the reverse. */
#include "sip/sip_bridge.h"
