/* tls_test_certs.h - test helper: P-256 keys and self-signed certificates
 * made with mbedTLS, written as PEM files, and a fixed-seed random
 * generator for mbedTLS clients.
 *
 * The TLS record unit test (test_tls_record.c) and the TLS fuzz target
 * (tests/fuzz/fuzz_tls_record.c) both run an in-memory mbedTLS client
 * against the server's TLS code and need certificates for it without any
 * tool or file outside the test. Header-only (static functions) because
 * each test is its own executable. */
#ifndef EDGE_TEST_TLS_TEST_CERTS_H
#define EDGE_TEST_TLS_TEST_CERTS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

/* A deterministic "random" generator for mbedTLS: a counter (ctx, a
 * uint64_t) through SHA-256. Never for anything but tests. */
static int tls_test_rng(void *ctx, unsigned char *out, size_t len)
{
    uint64_t *counter = ctx;
    while (len > 0) {
        unsigned char block[32];
        (*counter)++;
        mbedtls_sha256_ret((const unsigned char *)counter, sizeof(*counter), block, 0);
        size_t n = len < sizeof(block) ? len : sizeof(block);
        memcpy(out, block, n);
        out += n;
        len -= n;
    }
    return 0;
}

static int tls_test_write_file(const char *path, const unsigned char *data)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    int bad = fputs((const char *)data, f) < 0;
    return fclose(f) != 0 || bad ? -1 : 0;
}

/* A P-256 key and a self-signed certificate for cn (valid 2020 to 2099) as
 * dir/cert<i>.pem and dir/key<i>.pem; *cert and *key get the paths
 * (malloc'd, the caller frees). Returns 0 or -1. */
static int tls_test_make_pair(const char *dir, int i, const char *cn, uint64_t *rng_counter,
                              char **cert, char **key)
{
    mbedtls_pk_context pk;
    mbedtls_x509write_cert crt;
    mbedtls_mpi serial;
    mbedtls_pk_init(&pk);
    mbedtls_x509write_crt_init(&crt);
    mbedtls_mpi_init(&serial);
    char subject[128], path[512];
    static unsigned char pem[4096], keypem[1024];
    snprintf(subject, sizeof(subject), "CN=%s,O=c2c test", cn);
    int rc = -1;
    if (mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0 ||
        mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk), tls_test_rng,
                            rng_counter) != 0)
        goto out;
    mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
    mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
    mbedtls_x509write_crt_set_subject_key(&crt, &pk);
    mbedtls_x509write_crt_set_issuer_key(&crt, &pk);
    if (mbedtls_mpi_lset(&serial, i + 1) != 0 ||
        mbedtls_x509write_crt_set_serial(&crt, &serial) != 0 ||
        mbedtls_x509write_crt_set_subject_name(&crt, subject) != 0 ||
        mbedtls_x509write_crt_set_issuer_name(&crt, subject) != 0 ||
        mbedtls_x509write_crt_set_validity(&crt, "20200101000000", "20991231235959") != 0 ||
        mbedtls_x509write_crt_pem(&crt, pem, sizeof(pem), tls_test_rng, rng_counter) != 0 ||
        mbedtls_pk_write_key_pem(&pk, keypem, sizeof(keypem)) != 0)
        goto out;
    snprintf(path, sizeof(path), "%s/cert%d.pem", dir, i);
    if (tls_test_write_file(path, pem) != 0)
        goto out;
    *cert = strdup(path);
    snprintf(path, sizeof(path), "%s/key%d.pem", dir, i);
    if (tls_test_write_file(path, keypem) != 0)
        goto out;
    *key = strdup(path);
    rc = 0;
out:
    mbedtls_mpi_free(&serial);
    mbedtls_x509write_crt_free(&crt);
    mbedtls_pk_free(&pk);
    return rc;
}

#endif
