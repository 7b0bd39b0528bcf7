/* sip_headers.h - the custom headers a bridged call's INVITE carries.
 *
 * X-RequestorEmail (the verified token's email; left out when it has
 * none), X-C2C-Contact-Id, and one X-C2C-Attr-<key> per call attribute.
 * Everything is sanitized to what a SIP header may hold and bounded so
 * that the whole set fits the gateway's header buffer (Janus builds them
 * into 2 KiB): keys keep A-Z a-z 0-9 and "-" (other bytes become "-", at
 * most EDGE_SIP_ATTR_KEY_MAX), values keep printable ASCII (other bytes
 * become "?", runs of spaces are folded, at most EDGE_SIP_VALUE_MAX),
 * attributes are taken in order until EDGE_SIP_ATTR_MAX of them or
 * EDGE_SIP_HEADERS_MAX_BYTES in all; a key that comes out empty or that
 * repeats an earlier header is dropped. Pure: no I/O. */
#ifndef EDGE_SIP_HEADERS_H
#define EDGE_SIP_HEADERS_H

#include <cJSON.h>
#include <stddef.h>

#define EDGE_SIP_ATTR_MAX 10            /* X-C2C-Attr-* headers */
#define EDGE_SIP_ATTR_KEY_MAX 32        /* bytes of a key after X-C2C-Attr- */
#define EDGE_SIP_VALUE_MAX 128          /* bytes of one value */
#define EDGE_SIP_HEADERS_MAX_BYTES 1400 /* "Name: value\r\n" of all of them */

/* The headers as a JSON object {name: value} (the shape of the Janus SIP
 * plugin's "headers"), for email (may be "" or NULL), contact_id and
 * attributes_json (NULL, or a JSON object whose string members count;
 * anything else in it is ignored). The caller owns the result. */
cJSON *edge_sip_headers_build(const char *email, const char *contact_id,
                              const char *attributes_json);

/* Sanitize a value into out (cap >= 2): as described above. Returns the
 * length written. */
size_t edge_sip_header_value(const char *in, char *out, size_t cap);

#endif
