/* participant_token.h - the ParticipantToken of a chat or call participant.
 *
 * A participant token is a capability: whoever holds it may act as that one
 * participant (send messages, read the transcript, open the event stream),
 * like Amazon Connect's ParticipantToken. It is "<participant id>.<mac>"
 * where mac is HMAC-SHA256 over the id under a server secret, so nothing
 * secret is stored per participant and a token survives restarts. The
 * secret lives in --data DIR/participant.key (created once, mode 0600);
 * several nodes sharing one data store must share that file too. Whether
 * the participant is still in its contact is the store's business, checked
 * by the caller after verification. */
#ifndef EDGE_PARTICIPANT_TOKEN_H
#define EDGE_PARTICIPANT_TOKEN_H

#include <stddef.h>

#define EDGE_PTOKEN_SECRET_LEN 32
#define EDGE_PTOKEN_MAX 128 /* bytes of a token, including the NUL */

typedef struct edge_ptoken_key {
    unsigned char secret[EDGE_PTOKEN_SECRET_LEN];
} edge_ptoken_key;

/* Load the secret from dir/participant.key, creating dir and the file (with
 * fresh random bytes) when missing. Returns 0, or -1 with err filled. */
int edge_ptoken_key_load(edge_ptoken_key *key, const char *dir, char *err, size_t errlen);

/* Write the token for participant_id into out (cap >= EDGE_PTOKEN_MAX).
 * Returns 0, or -1 when the id is empty, too long or contains a '.'. */
int edge_ptoken_make(const edge_ptoken_key *key, const char *participant_id, char *out,
                     size_t cap);

/* Check a token. Returns 0 and copies the participant id into id_out (cap
 * bytes, NUL-terminated), or -1 for any malformed or forged token. The MAC
 * is compared in constant time. */
int edge_ptoken_verify(const edge_ptoken_key *key, const char *token, size_t len, char *id_out,
                       size_t cap);

#endif
