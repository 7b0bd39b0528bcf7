/* tls_certs.h - the server's TLS settings: certificates chosen by SNI,
 * session tickets with a rotating key, a session cache, the counters, and
 * reloading certificates on SIGHUP or when their files change.
 *
 * One edge_tls serves every TLS listener of a server. Its certificates and
 * mbedTLS configuration form a "generation": a reload builds a complete new
 * generation and swaps it in only when every file loaded, so a failed reload
 * leaves the old certificates in force. Each connection holds a reference
 * to the generation it started with (net/tls.c), so connections open across
 * a reload keep working and new ones get the new certificates; an old
 * generation is freed with its last connection. Everything hangs off the
 * struct; nothing is global. */
#ifndef EDGE_TLS_CERTS_H
#define EDGE_TLS_CERTS_H

#include <mbedtls/ssl.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "config/config.h"
#include "net/tls_record.h"

/* Counters shown in /metrics. */
typedef struct edge_tls_stats {
    uint64_t handshakes;      /* completed handshakes, full and resumed */
    uint64_t resumed;         /* of those, resumed by a ticket or the session cache */
    uint64_t failures;        /* handshakes that failed, timed out or were cut off */
    uint64_t reloads;         /* certificate reloads that took effect */
    uint64_t reload_failures; /* reloads that failed (old certificates kept) */
    uint64_t record_failures; /* connections ended by a bad record after the handshake
                                 (bad_record_mac, record_overflow, unexpected_message,
                                 a fatal alert from the client) */
} edge_tls_stats;

typedef struct edge_tls edge_tls;
typedef struct edge__tls_gen edge__tls_gen;

/* Load cfg->tls_certs/tls_keys (at least one pair), check each (readable,
 * PEM, ECDSA P-256 or RSA, key fits certificate, valid now), set up tickets
 * (key rotating every cfg->tls_ticket_rotate_s) and the session cache, and
 * start watching the files on loop. Returns the context (owned by the
 * caller, freed by edge_tls_destroy) or NULL with one line in err naming the
 * file and the problem. cfg is borrowed and must outlive the context. */
edge_tls *edge_tls_create(uv_loop_t *loop, const edge_config *cfg, char *err, size_t errlen);

/* Load every pair again and, if all load, use them for new connections.
 * Returns 0, or -1 with err (the old certificates stay). */
int edge_tls_reload(edge_tls *t, char *err, size_t errlen);

/* Stop watching and free the context once its timer has closed (the loop
 * must run). Call only when no connection holds a generation. NULL is a
 * no-op. */
void edge_tls_destroy(edge_tls *t);

/* The counters; the connection code updates them. */
edge_tls_stats *edge_tls_stats_of(edge_tls *t);

/* ---- internal to net/ (tls.c) ---- */

/* The current generation with one more reference; release it with
 * edge__tls_release. */
edge__tls_gen *edge__tls_acquire(edge_tls *t);

/* Drop a reference; the last one frees the generation (if it is no longer
 * the current one). */
void edge__tls_release(edge__tls_gen *g);

/* Where the next key export of a handshake on g's configuration goes (the
 * connection whose handshake step runs now), or NULL for nowhere. k is
 * borrowed until set back to NULL. Without EDGE_TLS_LIBCRYPTO nothing is
 * exported. */
void edge__tls_keys_sink(edge__tls_gen *g, edge__tls_keys *k);

/* The generation's mbedTLS configuration, for mbedtls_ssl_setup. */
const mbedtls_ssl_config *edge__tls_conf(const edge__tls_gen *g);

#endif
