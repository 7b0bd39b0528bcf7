/* test_auth_sha256.c - edge_sha256 and edge_hmac_sha256 give the digests of
 * mbedTLS (and of the published vectors) on every length from 0 to 300
 * bytes, so both block sizes of padding and every tail length are covered,
 * whichever path (SHA extensions or mbedTLS) this machine takes. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include "auth/sha256.h"
#include "unit.h"

static void hex(const unsigned char *d, char *out)
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void fill(unsigned char *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (unsigned char)(seed >> 16);
    }
}

static void test_known_vectors(void)
{
    unsigned char d[32];
    char h[65];
    edge_sha256("", 0, d);
    hex(d, h);
    CHECK_STR_EQ(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    edge_sha256("abc", 3, d);
    hex(d, h);
    CHECK_STR_EQ(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    edge_sha256(m, strlen(m), d);
    hex(d, h);
    CHECK_STR_EQ(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* RFC 4231, test case 2, the message given in two parts. */
    edge_hmac_sha256((const unsigned char *)"Jefe", 4, "what do ya ", 11, "want for nothing?", 17,
                     d);
    hex(d, h);
    CHECK_STR_EQ(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_every_length_matches_mbedtls(void)
{
    unsigned char buf[300], want[32], got[32];
    int bad = 0;
    for (size_t len = 0; len <= sizeof(buf); len++) {
        fill(buf, len, (unsigned)len);
        mbedtls_sha256_ret(buf, len, want, 0);
        edge_sha256(buf, len, got);
        if (memcmp(want, got, 32) != 0) {
            fprintf(stderr, "  sha256 differs at length %zu\n", len);
            bad++;
        }
    }
    CHECK_INT_EQ(bad, 0);
}

static void test_hmac_matches_mbedtls(void)
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    unsigned char key[64], msg[256], want[32], got[32];
    int bad = 0;
    for (size_t klen = 0; klen <= 64; klen += 16) {
        fill(key, klen, 7u + (unsigned)klen);
        for (size_t mlen = 0; mlen <= 256; mlen += 13) {
            fill(msg, mlen, 99u + (unsigned)mlen);
            size_t split = mlen / 3;
            mbedtls_md_hmac(md, key, klen, msg, mlen, want);
            edge_hmac_sha256(key, klen, msg, split, msg + split, mlen - split, got);
            if (memcmp(want, got, 32) != 0) {
                fprintf(stderr, "  hmac differs at key %zu, message %zu\n", klen, mlen);
                bad++;
            }
        }
    }
    CHECK_INT_EQ(bad, 0);
}

int main(void)
{
    fprintf(stderr, "SHA extensions: %s\n", edge_sha256_accelerated() ? "used" : "not available");
    UNIT_RUN(test_known_vectors);
    UNIT_RUN(test_every_length_matches_mbedtls);
    UNIT_RUN(test_hmac_matches_mbedtls);
    return UNIT_DONE();
}
