/* tls.h - one connection's TLS record layer, through memory buffers.
 *
 * The socket stays libuv's: what the client sends is fed in with
 * edge_tls_conn_feed, and mbedTLS reads it from there (WANT_READ when it is
 * used up); everything written (handshake records, alerts, encrypted data)
 * is appended to a buffer the connection sends with its next write. So one
 * read can answer with one write, handshake or not, and a batch of
 * responses is encrypted as one run of full-size records.
 *
 * mbedTLS runs the handshake. Built with EDGE_TLS_LIBCRYPTO (the default),
 * the records after it are sealed and opened by net/tls_record.c with
 * libcrypto, from the keys mbedTLS exported, and mbedTLS's context is freed
 * at the hand-over; without it (or if a hand-over cannot be exact) mbedTLS
 * keeps the records. Either way the calls below behave the same. */
#ifndef EDGE_TLS_H
#define EDGE_TLS_H

#include <mbedtls/ssl.h>
#include <stddef.h>

#include "common/buf.h"
#include "net/tls_certs.h"
#include "net/tls_record.h"

enum {
    EDGE_TLS_AGAIN = 0,   /* needs more input */
    EDGE_TLS_READY = 1,   /* handshake complete */
    EDGE_TLS_EOF = -2,    /* the client said close_notify */
    EDGE_TLS_FAIL = -1,   /* protocol error: close (an alert may be in the output) */
};

typedef struct edge_tls_conn {
    mbedtls_ssl_context ssl;
    edge_tls *tls;       /* borrowed: counters */
    edge__tls_gen *gen;  /* one reference: the certificates this connection started with */
    edge_buf in;         /* received ciphertext not yet consumed */
    size_t in_off;
    edge_buf out;        /* ciphertext to send */
    int ready;           /* handshake complete */
    int full;            /* the handshake sent a certificate (not resumed) */
    int own_records;     /* records are ours (tls_record.c), mbedTLS's context is freed */
    int dead;            /* a fatal alert went out or close_notify was sent: write nothing more */
#ifdef EDGE_TLS_LIBCRYPTO
    edge__tls_keys keys; /* exported during the handshake, wiped at the hand-over */
    edge__tls_rec rec;
    size_t plain_off, plain_len; /* decrypted bytes not yet returned, inside `in` */
#endif
} edge_tls_conn;

/* Set up a server-side session with t's current certificates. Returns 0
 * or -1 (out of memory in mbedTLS; tc is then freed). */
int edge_tls_conn_init(edge_tls_conn *tc, edge_tls *t);

/* Free everything and drop the generation reference. */
void edge_tls_conn_free(edge_tls_conn *tc);

/* Append len received bytes. */
void edge_tls_conn_feed(edge_tls_conn *tc, const char *data, size_t len);

/* Run the handshake as far as the input allows: EDGE_TLS_AGAIN, READY or
 * FAIL. Counts completed (and resumed) handshakes in the context's stats;
 * failures are counted by the caller, which also sees timeouts. */
int edge_tls_conn_handshake(edge_tls_conn *tc);

/* Decrypt into buf: the number of bytes (> 0), EDGE_TLS_AGAIN, EOF (the
 * client's close_notify) or FAIL. After the hand-over, a bad record puts a
 * fatal alert in the output (bad_record_mac, record_overflow,
 * unexpected_message, ...) and returns FAIL, counted in the stats'
 * record_failures; a renegotiation attempt is answered with a
 * no_renegotiation warning and reading goes on. */
int edge_tls_conn_read(edge_tls_conn *tc, char *buf, size_t cap);

/* Encrypt len bytes into the output, as few records as possible. Returns 0
 * or EDGE_TLS_FAIL. */
int edge_tls_conn_write(edge_tls_conn *tc, const char *data, size_t len);

/* Encrypt the concatenation of n pieces (borrowed) into the output as
 * records of up to 16 KiB each, straight from the pieces. Returns 0 or
 * EDGE_TLS_FAIL. */
int edge_tls_conn_writev(edge_tls_conn *tc, const edge_tls_piece *pieces, size_t n);

/* Append a close_notify alert to the output, once, if the handshake is
 * complete and no fatal alert went out; nothing can be written after it. */
void edge_tls_conn_close_notify(edge_tls_conn *tc);

#endif
