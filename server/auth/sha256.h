/* sha256.h - one-shot SHA-256 and HMAC-SHA256 for the per-request path.
 *
 * Every API request hashes its whole site token (the token cache's key) and
 * every ParticipantToken made or checked is an HMAC. mbedTLS 2.28 hashes in
 * portable C at about 120 ns per 64-byte block, which made SHA-256 a fifth
 * of the CPU time of a cached "start or resume a chat". On x86-64 CPUs with
 * the SHA extensions (checked once at run time with CPUID) the blocks go
 * through SHA256RNDS2/MSG1/MSG2 instead, about five times faster; elsewhere
 * these functions call mbedTLS. Both give the same digests (the unit test
 * compares them on every length from 0 to 300 bytes). */
#ifndef EDGE_SHA256_H
#define EDGE_SHA256_H

#include <stddef.h>

#define EDGE_SHA256_LEN 32

/* out = SHA-256(data[0..len)). */
void edge_sha256(const void *data, size_t len, unsigned char out[EDGE_SHA256_LEN]);

/* out = HMAC-SHA256(key, a || b): the message in two parts (a label and a
 * value, say) so callers need not join them. key_len <= 64; a_len + b_len
 * <= 256. Nothing is allocated; key-derived bytes on the stack are wiped. */
void edge_hmac_sha256(const unsigned char *key, size_t key_len, const void *a, size_t a_len,
                      const void *b, size_t b_len, unsigned char out[EDGE_SHA256_LEN]);

/* 1 when the SHA extensions are used, 0 when mbedTLS does the work. */
int edge_sha256_accelerated(void);

#endif
