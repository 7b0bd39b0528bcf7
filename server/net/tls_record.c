/* tls_record.c - TLS 1.2 AEAD records sealed and opened with libcrypto.
 *
 * A record on the wire (RFC 5246 6.2): type(1) version(2) = 3,3 length(2),
 * then the fragment. For AES-GCM (RFC 5288) the fragment is an 8-byte
 * explicit nonce, the ciphertext and a 16-byte tag; the nonce is the 4-byte
 * salt from the key block followed by the explicit part, which is our
 * sequence number (unique per key, as the RFC asks). For
 * ChaCha20-Poly1305 (RFC 7905) the fragment is the ciphertext and the tag;
 * the nonce is the 12-byte IV XORed with the sequence number, left-padded.
 * Both authenticate seq_num(8) type(1) version(2) plaintext_length(2).
 * Plaintext is gathered straight from the caller's pieces into the output
 * buffer (no copy of its own); incoming records are decrypted in place. */
#include "net/tls_record.h"

#ifdef EDGE_TLS_LIBCRYPTO

#include <openssl/evp.h>
#include <string.h>

#define TAG_LEN 16
#define HDR_LEN 5

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static size_t explicit_len(const edge__tls_rec *r)
{
    return r->chacha ? 0 : 8;
}

/* The 12-byte nonce of record seq (iv is the fixed part). */
static void make_nonce(const edge__tls_rec *r, const unsigned char *iv, uint64_t seq,
                       unsigned char nonce[12])
{
    if (r->chacha) {
        unsigned char s[8];
        put_u64(s, seq);
        memcpy(nonce, iv, 12);
        for (int i = 0; i < 8; i++)
            nonce[4 + i] ^= s[i];
    } else {
        memcpy(nonce, iv, 4);
        put_u64(nonce + 4, seq);
    }
}

static void make_aad(unsigned char aad[13], uint64_t seq, int type, size_t plen)
{
    put_u64(aad, seq);
    aad[8] = (unsigned char)type;
    aad[9] = 3;
    aad[10] = 3;
    aad[11] = (unsigned char)(plen >> 8);
    aad[12] = (unsigned char)plen;
}

static const EVP_CIPHER *pick_cipher(const edge__tls_keys *k)
{
    if (k->ivlen == 12 && k->keylen == 32)
        return EVP_chacha20_poly1305();
    if (k->ivlen == 4 && k->keylen == 16)
        return EVP_aes_128_gcm();
    if (k->ivlen == 4 && k->keylen == 32)
        return EVP_aes_256_gcm();
    return NULL;
}

static EVP_CIPHER_CTX *ctx_new(const EVP_CIPHER *c, const unsigned char *key, int enc)
{
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    if (x == NULL)
        return NULL;
    if (EVP_CipherInit_ex(x, c, NULL, NULL, NULL, enc) != 1 ||
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) != 1 ||
        EVP_CipherInit_ex(x, NULL, NULL, key, NULL, enc) != 1) {
        EVP_CIPHER_CTX_free(x);
        return NULL;
    }
    return x;
}

int edge__tls_rec_init(edge__tls_rec *r, const edge__tls_keys *k, uint64_t seq_r, uint64_t seq_w)
{
    memset(r, 0, sizeof(*r));
    const EVP_CIPHER *c = k->have ? pick_cipher(k) : NULL;
    if (c == NULL)
        return -1;
    r->chacha = k->ivlen == 12;
    memcpy(r->iv_w, k->server_iv, k->ivlen);
    memcpy(r->iv_r, k->client_iv, k->ivlen);
    r->seq_w = seq_w;
    r->seq_r = seq_r;
    r->enc = ctx_new(c, k->server_key, 1);
    r->dec = ctx_new(c, k->client_key, 0);
    if (r->enc == NULL || r->dec == NULL) {
        edge__tls_rec_free(r);
        return -1;
    }
    return 0;
}

void edge__tls_rec_free(edge__tls_rec *r)
{
    EVP_CIPHER_CTX_free(r->enc);
    EVP_CIPHER_CTX_free(r->dec);
    memset(r, 0, sizeof(*r));
}

/* Walks the caller's pieces across record boundaries. */
typedef struct piece_cursor {
    const edge_tls_piece *p;
    size_t n, i, off;
} piece_cursor;

/* Encrypt the next len bytes of the pieces into dst. */
static int seal_run(EVP_CIPHER_CTX *x, piece_cursor *pc, size_t len, unsigned char *dst)
{
    while (len > 0) {
        const edge_tls_piece *p = &pc->p[pc->i];
        size_t take = p->len - pc->off;
        if (take > len)
            take = len;
        int outl = 0;
        if (take > 0 &&
            EVP_EncryptUpdate(x, dst, &outl, (const unsigned char *)p->data + pc->off, (int)take) != 1)
            return -1;
        dst += outl;
        len -= take;
        pc->off += take;
        if (pc->off == p->len) {
            pc->i++;
            pc->off = 0;
        }
    }
    return 0;
}

/* One record of plen plaintext bytes from the cursor, appended to out. */
static int seal_one(edge__tls_rec *r, edge_buf *out, int type, piece_cursor *pc, size_t plen)
{
    EVP_CIPHER_CTX *x = r->enc;
    size_t xl = explicit_len(r), flen = xl + plen + TAG_LEN;
    edge_buf_reserve(out, HDR_LEN + flen);
    unsigned char *h = (unsigned char *)out->data + out->len;
    h[0] = (unsigned char)type;
    h[1] = 3;
    h[2] = 3;
    h[3] = (unsigned char)(flen >> 8);
    h[4] = (unsigned char)flen;
    unsigned char nonce[12], aad[13];
    make_nonce(r, r->iv_w, r->seq_w, nonce);
    if (xl > 0)
        memcpy(h + HDR_LEN, nonce + 4, xl);
    make_aad(aad, r->seq_w, type, plen);
    unsigned char *body = h + HDR_LEN + xl;
    int outl = 0;
    if (EVP_EncryptInit_ex(x, NULL, NULL, NULL, nonce) != 1 ||
        EVP_EncryptUpdate(x, NULL, &outl, aad, sizeof(aad)) != 1 || seal_run(x, pc, plen, body) != 0 ||
        EVP_EncryptFinal_ex(x, body + plen, &outl) != 1 ||
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, TAG_LEN, body + plen) != 1)
        return -1;
    out->len += HDR_LEN + flen;
    r->seq_w++;
    return 0;
}

int edge__tls_rec_seal(edge__tls_rec *r, edge_buf *out, int type, const edge_tls_piece *pieces,
                       size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += pieces[i].len;
    piece_cursor pc = {pieces, n, 0, 0};
    do { /* at least one record: an empty alert or data record is still one */
        if (r->seq_w == UINT64_MAX)
            return -1; /* the sequence number would wrap (RFC 5246 6.1) */
        size_t plen = total < EDGE_TLS_MAX_PLAIN ? total : EDGE_TLS_MAX_PLAIN;
        if (seal_one(r, out, type, &pc, plen) != 0)
            return -1;
        total -= plen;
    } while (total > 0);
    return 0;
}

int edge__tls_rec_open(edge__tls_rec *r, unsigned char *rec, size_t avail, int *type,
                       unsigned char **plain, size_t *plen)
{
    if (avail < HDR_LEN)
        return 0;
    if (rec[1] != 3 || rec[2] != 3)
        return -EDGE_TLS_ALERT_PROTOCOL_VERSION;
    size_t flen = ((size_t)rec[3] << 8) | rec[4];
    if (flen > EDGE_TLS_MAX_CIPHER)
        return -EDGE_TLS_ALERT_RECORD_OVERFLOW;
    size_t xl = explicit_len(r);
    if (flen < xl + TAG_LEN)
        return -EDGE_TLS_ALERT_BAD_RECORD_MAC; /* too short to hold a tag */
    if (avail < HDR_LEN + flen)
        return 0;
    size_t len = flen - xl - TAG_LEN;
    if (len > EDGE_TLS_MAX_PLAIN)
        return -EDGE_TLS_ALERT_RECORD_OVERFLOW;
    if (r->seq_r == UINT64_MAX)
        return -EDGE_TLS_ALERT_INTERNAL_ERROR;
    unsigned char nonce[12], aad[13];
    if (r->chacha)
        make_nonce(r, r->iv_r, r->seq_r, nonce);
    else {
        memcpy(nonce, r->iv_r, 4);
        memcpy(nonce + 4, rec + HDR_LEN, 8); /* the peer's explicit nonce */
    }
    make_aad(aad, r->seq_r, rec[0], len);
    EVP_CIPHER_CTX *x = r->dec;
    unsigned char *body = rec + HDR_LEN + xl;
    int outl = 0;
    if (EVP_DecryptInit_ex(x, NULL, NULL, NULL, nonce) != 1 ||
        EVP_DecryptUpdate(x, NULL, &outl, aad, sizeof(aad)) != 1 ||
        (len > 0 && EVP_DecryptUpdate(x, body, &outl, body, (int)len) != 1) ||
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, TAG_LEN, body + len) != 1 ||
        EVP_DecryptFinal_ex(x, body + len, &outl) != 1)
        return -EDGE_TLS_ALERT_BAD_RECORD_MAC;
    r->seq_r++;
    *type = rec[0];
    *plain = body;
    *plen = len;
    return (int)(HDR_LEN + flen);
}

#else

typedef int edge__tls_record_unused; /* built without EDGE_TLS_LIBCRYPTO: mbedTLS keeps records */

#endif
