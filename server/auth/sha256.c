/* sha256.c - SHA-256 with the x86 SHA extensions, else mbedTLS (see sha256.h).
 *
 * The accelerated path keeps the eight state words in the two registers the
 * instructions want (ABEF and CDGH), expands the message schedule four words
 * at a time (W[t..t+3] = MSG2(MSG1(W[t-16..], W[t-12..]) + W[t-7..t-4],
 * W[t-4..t-1])) and runs two rounds per SHA256RNDS2. The padding is the
 * usual one: 0x80, zeros, the bit length big-endian, in one or two final
 * blocks built on the stack. */
#include "auth/sha256.h"

#include <stdint.h>
#include <string.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define EDGE_SHA256_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

#ifdef EDGE_SHA256_NI

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* Run nblocks 64-byte blocks through state (A..H in order). */
__attribute__((target("sha,sse4.1,ssse3"))) static void
ni_blocks(uint32_t state[8], const unsigned char *data, size_t nblocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i t = _mm_loadu_si128((const __m128i *)&state[0]);    /* A B C D */
    __m128i cdgh = _mm_loadu_si128((const __m128i *)&state[4]); /* E F G H */
    t = _mm_shuffle_epi32(t, 0xB1);                             /* B A D C */
    cdgh = _mm_shuffle_epi32(cdgh, 0x1B);                       /* H G F E */
    __m128i abef = _mm_alignr_epi8(t, cdgh, 8);                 /* F E B A */
    cdgh = _mm_blend_epi16(cdgh, t, 0xF0);                      /* H G D C */
    for (; nblocks > 0; nblocks--, data += 64) {
        __m128i abef0 = abef, cdgh0 = cdgh;
        __m128i w[4]; /* the last four groups of the schedule, w[i % 4] */
        for (int i = 0; i < 16; i++) {
            __m128i m;
            if (i < 4) {
                m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), bswap);
            } else {
                m = _mm_sha256msg1_epu32(w[i % 4], w[(i + 1) % 4]);
                m = _mm_add_epi32(m, _mm_alignr_epi8(w[(i + 3) % 4], w[(i + 2) % 4], 4));
                m = _mm_sha256msg2_epu32(m, w[(i + 3) % 4]);
            }
            w[i % 4] = m;
            __m128i wk = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&sha256_k[4 * i]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
        }
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }
    t = _mm_shuffle_epi32(abef, 0x1B);     /* A B E F */
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);  /* G H C D */
    abef = _mm_blend_epi16(t, cdgh, 0xF0); /* A B C D */
    cdgh = _mm_alignr_epi8(cdgh, t, 8);    /* E F G H */
    _mm_storeu_si128((__m128i *)&state[0], abef);
    _mm_storeu_si128((__m128i *)&state[4], cdgh);
}

static int ni_available(void)
{
    static int known = -1;
    if (known < 0) {
        unsigned a, b, c, d;
        int sse = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1);
        int sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
        known = sse && sha;
    }
    return known;
}

static void ni_sha256(const unsigned char *data, size_t len, unsigned char out[32])
{
    uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = len / 64;
    ni_blocks(st, data, full);
    unsigned char tail[128];
    size_t rest = len - full * 64;
    memcpy(tail, data + full * 64, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
    memset(tail + rest + 1, 0, tail_len - rest - 1 - 8);
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[tail_len - 1 - i] = (unsigned char)(bits >> (8 * i));
    ni_blocks(st, tail, tail_len / 64);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(st[i] >> 24);
        out[4 * i + 1] = (unsigned char)(st[i] >> 16);
        out[4 * i + 2] = (unsigned char)(st[i] >> 8);
        out[4 * i + 3] = (unsigned char)st[i];
    }
    mbedtls_platform_zeroize(tail, sizeof(tail)); /* may hold HMAC key material */
}

#endif /* EDGE_SHA256_NI */

int edge_sha256_accelerated(void)
{
#ifdef EDGE_SHA256_NI
    return ni_available();
#else
    return 0;
#endif
}

void edge_sha256(const void *data, size_t len, unsigned char out[EDGE_SHA256_LEN])
{
#ifdef EDGE_SHA256_NI
    if (ni_available()) {
        ni_sha256(data, len, out);
        return;
    }
#endif
    if (mbedtls_sha256_ret(data, len, out, 0) != 0)
        memset(out, 0, EDGE_SHA256_LEN); /* cannot happen for SHA-256 in software */
}

void edge_hmac_sha256(const unsigned char *key, size_t key_len, const void *a, size_t a_len,
                      const void *b, size_t b_len, unsigned char out[EDGE_SHA256_LEN])
{
    /* H((K ^ opad) || H((K ^ ipad) || a || b)), each hash over one buffer. */
    unsigned char inner[64 + 256], outer[64 + EDGE_SHA256_LEN];
    if (key_len > 64 || a_len + b_len > 256) { /* outside the contract: no MAC anyone accepts */
        memset(out, 0, EDGE_SHA256_LEN);
        return;
    }
    memset(inner, 0x36, 64);
    memset(outer, 0x5c, 64);
    for (size_t i = 0; i < key_len; i++) {
        inner[i] ^= key[i];
        outer[i] ^= key[i];
    }
    memcpy(inner + 64, a, a_len);
    memcpy(inner + 64 + a_len, b, b_len);
    edge_sha256(inner, 64 + a_len + b_len, outer + 64);
    edge_sha256(outer, sizeof(outer), out);
    mbedtls_platform_zeroize(inner, 64);
    mbedtls_platform_zeroize(outer, sizeof(outer));
}
