/* tls_record.h - the TLS 1.2 AEAD record layer after the handshake, with
 * OpenSSL's libcrypto (internal to net/).
 *
 * mbedTLS runs the handshake (certificates, SNI, ALPN, tickets, session
 * cache: all the policy); its key export hands over the key block, and from
 * then on this layer seals and opens the connection's records itself with
 * libcrypto's AES-GCM (AES-NI, PCLMUL) or ChaCha20-Poly1305, which are many
 * times faster than mbedTLS 2.28's. Written from RFC 5246 (records, AAD),
 * RFC 5288 (AES-GCM: 4-byte salt from the key block and an 8-byte explicit
 * nonce sent in each record, here the sequence number) and RFC 7905
 * (ChaCha20-Poly1305: the 12-byte IV XORed with the sequence number, no
 * explicit nonce). Only built with EDGE_TLS_LIBCRYPTO (the CMake option);
 * without it mbedTLS keeps the record layer. */
#ifndef EDGE_TLS_RECORD_H
#define EDGE_TLS_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* Record content types (RFC 5246 6.2.1) and the alerts this layer sends. */
enum {
    EDGE_TLS_CT_CCS = 20,
    EDGE_TLS_CT_ALERT = 21,
    EDGE_TLS_CT_HANDSHAKE = 22,
    EDGE_TLS_CT_APPDATA = 23,
};
enum {
    EDGE_TLS_ALERT_CLOSE_NOTIFY = 0,
    EDGE_TLS_ALERT_UNEXPECTED_MESSAGE = 10,
    EDGE_TLS_ALERT_BAD_RECORD_MAC = 20,
    EDGE_TLS_ALERT_RECORD_OVERFLOW = 22,
    EDGE_TLS_ALERT_DECODE_ERROR = 50,
    EDGE_TLS_ALERT_PROTOCOL_VERSION = 70,
    EDGE_TLS_ALERT_INTERNAL_ERROR = 80,
    EDGE_TLS_ALERT_NO_RENEGOTIATION = 100,
};

#define EDGE_TLS_MAX_PLAIN 16384              /* 2^14 (RFC 5246 6.2.1) */
#define EDGE_TLS_MAX_CIPHER (16384 + 2048)    /* 2^14 + 2048 (RFC 5246 6.2.3) */

/* The key material exported by mbedTLS at the end of the key derivation:
 * client and server write keys and IVs (fixed parts), as in the key block
 * (RFC 5246 6.3). have is set once the export ran with an AEAD suite. */
typedef struct edge__tls_keys {
    int have;
    size_t keylen;  /* 16 or 32 */
    size_t ivlen;   /* 4 (AES-GCM salt) or 12 (ChaCha20-Poly1305) */
    unsigned char client_key[32], server_key[32];
    unsigned char client_iv[12], server_iv[12];
} edge__tls_keys;

/* One piece of plaintext to seal (borrowed). */
typedef struct edge_tls_piece {
    const void *data;
    size_t len;
} edge_tls_piece;

/* The server side's state: one libcrypto context per direction (the key
 * schedule is made once), the fixed IVs and the sequence numbers. */
typedef struct edge__tls_rec {
    void *enc, *dec;   /* EVP_CIPHER_CTX *, owned */
    int chacha;        /* ChaCha20-Poly1305, else AES-GCM */
    unsigned char iv_w[12], iv_r[12];
    uint64_t seq_w, seq_r;
} edge__tls_rec;

/* Set up the server side from k, with the next sequence numbers to read
 * and write. Returns 0, or -1 (k is not an AEAD suite this layer knows, or
 * libcrypto failed; r is then empty and edge__tls_rec_free is still safe). */
int edge__tls_rec_init(edge__tls_rec *r, const edge__tls_keys *k, uint64_t seq_r, uint64_t seq_w);

/* Free both contexts (key schedules are wiped by libcrypto). Safe on a
 * zeroed or already freed r. */
void edge__tls_rec_free(edge__tls_rec *r);

/* Seal the concatenation of n pieces as records of content type `type`,
 * each carrying up to 16 KiB, appended to out. Returns 0 or -1. */
int edge__tls_rec_seal(edge__tls_rec *r, edge_buf *out, int type, const edge_tls_piece *pieces,
                       size_t n);

/* Open the record at the start of rec[0..avail), decrypting in place.
 * Returns the record's length on the wire (> 0) with *type, *plain (inside
 * rec) and *plen set; 0 when the record is not complete yet; or -alert (an
 * EDGE_TLS_ALERT_* to send, negated) when it is bad: a wrong version, a
 * length over 2^14 + 2048 (record_overflow), or a tag that does not match
 * (bad_record_mac). */
int edge__tls_rec_open(edge__tls_rec *r, unsigned char *rec, size_t avail, int *type,
                       unsigned char **plain, size_t *plen);

#endif
