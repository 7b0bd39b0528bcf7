/* base64url.h - the URL-safe base64 alphabet of RFC 4648 section 5, unpadded.
 *
 * JOSE (JWS, JWK) writes every binary value this way. Decoding is strict on
 * purpose: a token is a signed byte string, so there must be exactly one
 * text for each value. Padding, characters outside the alphabet, impossible
 * lengths and non-zero leftover bits are all rejected instead of being
 * silently tolerated the way general-purpose decoders do. */
#ifndef EDGE_BASE64URL_H
#define EDGE_BASE64URL_H

#include <stddef.h>

#include "common/buf.h"

/* Upper bound on the decoded size of len input characters. */
size_t edge_b64url_decoded_max(size_t len);

/* Decode len characters of in into out (cap bytes). Returns 0 and sets
 * *outlen, or -1 when the input is not canonical unpadded base64url or does
 * not fit in cap. out is not NUL-terminated; its contents are unspecified
 * after a failure. in need not be NUL-terminated. */
int edge_b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap, size_t *outlen);

/* Number of characters edge_b64url_encode writes for n bytes (no NUL). */
size_t edge_b64url_encoded_len(size_t n);

/* Encode n bytes into out, which must hold edge_b64url_encoded_len(n) + 1
 * bytes; the result is NUL-terminated. */
void edge_b64url_encode(const void *in, size_t n, char *out);

/* Append the encoding of n bytes to b (see buf.h: b->data may move). */
void edge_b64url_append(edge_buf *b, const void *in, size_t n);

#endif
