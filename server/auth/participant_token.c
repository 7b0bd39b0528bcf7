/* participant_token.c - HMAC capability tokens for participants (see .h). */
#include "auth/participant_token.h"

#include <mbedtls/platform_util.h>
#include <string.h>

#include "auth/base64url.h"
#include "auth/secret_file.h"
#include "auth/sha256.h"

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
    /* ids are shorter than EDGE_PTOKEN_MAX: within edge_hmac_sha256's limit */
    edge_hmac_sha256(key->secret, sizeof(key->secret), PTOKEN_LABEL, strlen(PTOKEN_LABEL), id,
                     id_len, mac);
}

int edge_ptoken_make(const edge_ptoken_key *key, const char *participant_id, char *out,
                     size_t cap)
{
    size_t id_len = strlen(participant_id);
    size_t need = id_len + 1 + edge_b64url_encoded_len(PTOKEN_MAC_LEN) + 1;
    if (id_len == 0 || strchr(participant_id, '.') != NULL || need > cap || need > EDGE_PTOKEN_MAX)
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
    if (len >= EDGE_PTOKEN_MAX) /* longer than any token edge_ptoken_make writes */
        return -1;
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
