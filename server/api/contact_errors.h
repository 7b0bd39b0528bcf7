/* contact_errors.h - the contact center's error codes as HTTP answers. */
#ifndef EDGE_CONTACT_ERRORS_H
#define EDGE_CONTACT_ERRORS_H

#include "http/response.h"

/* Fill res for a negative EDGE_STORE_E* or EDGE_PROVIDER_E* code from a
 * provider. */
void edge_contact_error(edge_response *res, int code);

#endif
