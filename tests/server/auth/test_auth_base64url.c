/* test_auth_base64url.c - strict base64url: known vectors, round trips and
 * every spelling the decoder must refuse (padding, foreign characters,
 * impossible lengths, non-zero leftover bits, too-small output). */
#include <stdint.h>
#include <string.h>

#include "auth/base64url.h"
#include "common/buf.h"
#include "unit.h"

/* Decode a C string; returns the decoder's result, output in out/outlen. */
static int decode(const char *in, unsigned char *out, size_t cap, size_t *outlen)
{
    return edge_b64url_decode(in, strlen(in), out, cap, outlen);
}

static void test_rfc4648_vectors(void)
{
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *coded[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
        char enc[32];
        unsigned char dec[32];
        size_t n = 99;
        CHECK_INT_EQ(edge_b64url_encoded_len(strlen(plain[i])), strlen(coded[i]));
        edge_b64url_encode(plain[i], strlen(plain[i]), enc);
        CHECK_STR_EQ(enc, coded[i]);
        CHECK_INT_EQ(decode(coded[i], dec, sizeof(dec), &n), 0);
        CHECK_INT_EQ(n, strlen(plain[i]));
        CHECK(memcmp(dec, plain[i], n) == 0);
    }
}

static void test_url_alphabet(void)
{
    /* 0xfb 0xff is "+/8=" in standard base64; the URL alphabet swaps in - and _. */
    static const unsigned char bytes[] = {0xfb, 0xff};
    char enc[8];
    unsigned char dec[8];
    size_t n = 0;
    edge_b64url_encode(bytes, sizeof(bytes), enc);
    CHECK_STR_EQ(enc, "-_8");
    CHECK_INT_EQ(decode("-_8", dec, sizeof(dec), &n), 0);
    CHECK_INT_EQ(n, 2);
    CHECK(dec[0] == 0xfb && dec[1] == 0xff);
    CHECK_INT_EQ(decode("+/8", dec, sizeof(dec), &n), -1);
}

static void test_round_trip_all_lengths(void)
{
    unsigned char data[100], back[100];
    char enc[200];
    uint32_t x = 2463534242u; /* xorshift: deterministic bytes, every value seen */
    for (size_t i = 0; i < sizeof(data); i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    for (size_t len = 0; len <= sizeof(data); len++) {
        size_t n = 0;
        edge_b64url_encode(data, len, enc);
        CHECK_INT_EQ(strlen(enc), edge_b64url_encoded_len(len));
        CHECK(edge_b64url_decoded_max(strlen(enc)) >= len);
        CHECK_INT_EQ(decode(enc, back, sizeof(back), &n), 0);
        CHECK_INT_EQ(n, len);
        CHECK(memcmp(back, data, len) == 0);
        /* Exactly enough room is enough; one byte less is not. */
        CHECK_INT_EQ(decode(enc, back, len, &n), 0);
        if (len > 0)
            CHECK_INT_EQ(decode(enc, back, len - 1, &n), -1);
    }
}

static void test_rejects_padding(void)
{
    unsigned char out[16];
    size_t n;
    CHECK_INT_EQ(decode("Zg==", out, sizeof(out), &n), -1);
    CHECK_INT_EQ(decode("Zg=", out, sizeof(out), &n), -1);
    CHECK_INT_EQ(decode("Zm8=", out, sizeof(out), &n), -1);
    CHECK_INT_EQ(decode("=", out, sizeof(out), &n), -1);
    CHECK_INT_EQ(decode("Zm9v====", out, sizeof(out), &n), -1);
}

static void test_rejects_foreign_characters(void)
{
    static const char *bad[] = {"Zm9v+", "Zm/v",  "Zm9 v",       "Zm9v\n", " Zm9v",
                                "Zm.v",  "Zm9v!", "Zm9\xc3\xa9", "Zm9%"};
    unsigned char out[16];
    size_t n;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_INT_EQ(decode(bad[i], out, sizeof(out), &n), -1);
    /* A NUL inside the counted length is a foreign character too. */
    CHECK_INT_EQ(edge_b64url_decode("Zm\0v", 4, out, sizeof(out), &n), -1);
}

static void test_rejects_impossible_length(void)
{
    unsigned char out[16];
    size_t n;
    CHECK_INT_EQ(decode("Z", out, sizeof(out), &n), -1);
    CHECK_INT_EQ(decode("Zm9vY", out, sizeof(out), &n), -1);
    CHECK_INT_EQ(decode("Zm9vYmFyZ", out, sizeof(out), &n), -1);
}

static void test_rejects_non_canonical_bits(void)
{
    unsigned char out[16];
    size_t n;
    /* "f" is Zg; Zh..Zv carry the same byte with non-zero spare bits. */
    CHECK_INT_EQ(decode("Zg", out, sizeof(out), &n), 0);
    CHECK_INT_EQ(decode("Zh", out, sizeof(out), &n), -1);
    CHECK_INT_EQ(decode("Zv", out, sizeof(out), &n), -1);
    /* "fo" is Zm8; Zm9 has its two spare bits set to 01. */
    CHECK_INT_EQ(decode("Zm8", out, sizeof(out), &n), 0);
    CHECK_INT_EQ(decode("Zm9", out, sizeof(out), &n), -1);
    CHECK_INT_EQ(decode("Zm9vZm9", out, sizeof(out), &n), -1);
    CHECK_INT_EQ(decode("Zm9vZh", out, sizeof(out), &n), -1);
}

static void test_empty_input(void)
{
    unsigned char out[1];
    size_t n = 7;
    CHECK_INT_EQ(edge_b64url_decode("", 0, out, 0, &n), 0);
    CHECK_INT_EQ(n, 0);
}

static void test_append_to_buf(void)
{
    edge_buf b = EDGE_BUF_INIT;
    edge_buf_append_str(&b, "x.");
    edge_b64url_append(&b, "foobar", 6);
    edge_b64url_append(&b, "f", 1);
    CHECK_STR_EQ(b.data, "x.Zm9vYmFyZg");
    CHECK_INT_EQ(b.len, strlen("x.Zm9vYmFyZg"));
    edge_buf_free(&b);
}

int main(void)
{
    UNIT_RUN(test_rfc4648_vectors);
    UNIT_RUN(test_url_alphabet);
    UNIT_RUN(test_round_trip_all_lengths);
    UNIT_RUN(test_rejects_padding);
    UNIT_RUN(test_rejects_foreign_characters);
    UNIT_RUN(test_rejects_impossible_length);
    UNIT_RUN(test_rejects_non_canonical_bits);
    UNIT_RUN(test_empty_input);
    UNIT_RUN(test_append_to_buf);
    return UNIT_DONE();
}
