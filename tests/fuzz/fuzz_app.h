/* fuzz_app.h - one real edge_app for the server fuzzers, without sockets.
 *
 * The HTTP and route fuzzers must reach the code a client reaches: the
 * real router, the real token check and the real contact center on SQLite.
 * So this fixture builds a whole app once per process (edge_app_init: no
 * listener) over a private data directory: a JWKS file with one fixed HS256
 * key, demo mode, CORS, a dial policy, a small static root. Tokens signed
 * with that key are fixed strings, so they can sit in seed corpora.
 *
 * Before every input, fuzz_app_reset empties the store and sets up one
 * scene: a customer's chat accepted by an agent, a customer's call and an
 * agent's reference code. Their ids and ParticipantTokens are random, so an
 * input names them with placeholders that fuzz_app_expand replaces: a
 * backquote and one letter (see the table in fuzz_app.c; "`C" is the
 * customer's site token, "`P" the customer's chat ParticipantToken, ...).
 * Resetting makes every input start from the same state, so a crash found
 * after a million inputs replays from its own file.
 *
 * Out of memory aborts, as in the server. Nothing here is thread-safe:
 * libFuzzer runs one input at a time. */
#ifndef C2C_FUZZ_APP_H
#define C2C_FUZZ_APP_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "common/buf.h"
#include "http/request.h"
#include "http/response.h"

typedef struct fuzz_app {
    uv_loop_t loop;
    edge_config cfg;
    edge_app app;
    char dir[256]; /* the private data directory, removed at exit */
} fuzz_app;

/* The app, created on first use (aborts with a message if that fails). */
fuzz_app *fuzz_app_get(void);

/* Empty the store and set up the scene (see above). */
void fuzz_app_reset(fuzz_app *fa);

/* Append in[0..len) to out with every known placeholder replaced. */
void fuzz_app_expand(const fuzz_app *fa, const char *in, size_t len, edge_buf *out);

/* The value of placeholder letter c ("" when unknown), valid until the
 * next reset. */
const char *fuzz_app_value(const fuzz_app *fa, char c);

/* Check one handler's answer the way a client would read it: a status a
 * client can parse, and a body that is valid JSON whenever the head says
 * application/json. Aborts (a fuzzer finding) otherwise. */
void fuzz_check_response(const edge_response *res);

#endif
