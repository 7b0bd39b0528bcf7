/* participant_token.c - HMAC capability tokens for participants (see .h). */
#include "auth/participant_token.h"

#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <string.h>

#include "auth/base64url.h"
#include "auth/secret_file.h"

#define PTOKEN_FILE "participant.key"
#define PTOKEN_MAC_LEN 32
#define PTOKEN_LABEL "c2c participant token v1:"

int edge_ptoken_key_load(edge_ptoken_key *key, const char *dir, char *err, size_t errlen)
{
    return edge_secret_file_load(dir, PTOKEN_FILE, key->secret, sizeof(key->secret), err, errlen);
}

static void mac_of(const edge_ptoken_key *key, const char *id, size_t id_len,
                   unsigned char mac[PTOKEN_MAC_LEN])
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    mbedtls_md_context_t ctx;
    mbedtls_md_init(&ctx);
    mbedtls_md_setup(&ctx, md, 1);
    mbedtls_md_hmac_starts(&ctx, key->secret, sizeof(key->secret));
    mbedtls_md_hmac_update(&ctx, (const unsigned char *)PTOKEN_LABEL, strlen(PTOKEN_LABEL));
    mbedtls_md_hmac_update(&ctx, (const unsigned char *)id, id_len);
    mbedtls_md_hmac_finish(&ctx, mac);
    mbedtls_md_free(&ctx);
}

int edge_ptoken_make(const edge_ptoken_key *key, const char *participant_id, char *out,
                     size_t cap)
{
    size_t id_len = strlen(participant_id);
    size_t need = id_len + 1 + edge_b64url_encoded_len(PTOKEN_MAC_LEN) + 1;
    if (id_len == 0 || strchr(participant_id, '.') != NULL || need > cap)
        return -1;
    unsigned char mac[PTOKEN_MAC_LEN];
    mac_of(key, participant_id, id_len, mac);
    memcpy(out, participant_id, id_len);
    out[id_len] = '.';
    edge_b64url_encode(mac, sizeof(mac), out + id_len + 1);
    out[need - 1] = '\0';
    mbedtls_platform_zeroize(mac, sizeof(mac));
    return 0;
}

int edge_ptoken_verify(const edge_ptoken_key *key, const char *token, size_t len, char *id_out,
                       size_t cap)
{
    const char *dot = memchr(token, '.', len);
    if (dot == NULL || dot == token || (size_t)(dot - token) + 1 > cap)
        return -1;
    size_t id_len = (size_t)(dot - token);
    unsigned char given[PTOKEN_MAC_LEN + 1];
    size_t given_len = 0;
    const char *mac_text = dot + 1;
    size_t mac_text_len = len - id_len - 1;
    if (edge_b64url_decode(mac_text, mac_text_len, given, sizeof(given), &given_len) != 0 ||
        given_len != PTOKEN_MAC_LEN)
        return -1;
    unsigned char want[PTOKEN_MAC_LEN];
    mac_of(key, token, id_len, want);
    unsigned char diff = 0;
    for (size_t i = 0; i < PTOKEN_MAC_LEN; i++)
        diff |= (unsigned char)(want[i] ^ given[i]);
    mbedtls_platform_zeroize(want, sizeof(want));
    if (diff != 0)
        return -1;
    memcpy(id_out, token, id_len);
    id_out[id_len] = '\0';
    return 0;
}
