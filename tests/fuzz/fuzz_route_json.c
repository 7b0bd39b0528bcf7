/* fuzz_route_json.c - libFuzzer target: the JSON body of every POST route,
 * through the real handler, with a credential that passes.
 *
 * Byte 0 picks the route (low four bits) and whose credential goes with it
 * (high bits: for site routes the customer's or the agent's token, for
 * participant routes the chat customer's, the chat agent's or the caller's
 * ParticipantToken), so the fuzzer gets past authentication and spends its
 * time in validation and in the provider. The rest, after placeholder
 * expansion (fuzz_app.h: "`I" is the chat's ContactId, "`T" the call's,
 * "`R" a reference code, ...), is the body, in an allocation of exactly its
 * size so a read past it is caught. The request goes to edge_app_handle, as
 * the transport would hand it; the answer must be a real status with a JSON
 * body. */
#include <llhttp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_app.h"

typedef enum cred { SITE, PARTICIPANT } cred;

typedef struct route {
    const char *path; /* under the API prefix */
    cred cred;
} route;

/* Every POST route; the last one repeats so that each value of four bits is one. */
static const route routes[16] = {
    {"startChatContact", SITE},        {"participant/message", PARTICIPANT},
    {"participant/event", PARTICIPANT}, {"participant/transcript", PARTICIPANT},
    {"participant/disconnect", PARTICIPANT}, {"dial", SITE},
    {"update", SITE},                  {"participant/signal", PARTICIPANT},
    {"participant/video", PARTICIPANT}, {"agent/status", SITE},
    {"agent/accept", SITE},            {"agent/reject", SITE},
    {"agent/end", SITE},               {"adhoc", SITE},
    {"agent/transcript", SITE},        {"participant/message", PARTICIPANT},
};

static const char site_creds[] = "CA";       /* customer, agent */
static const char participant_creds[] = "PQK"; /* chat customer, chat agent, caller */

static void set_header(edge_header *h, const char *name, const char *value)
{
    h->name = name;
    h->name_len = strlen(name);
    h->value = value;
    h->value_len = strlen(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    fuzz_app *fa = fuzz_app_get();
    fuzz_app_reset(fa);
    const route *rt = &routes[data[0] & 15];
    unsigned who = data[0] >> 4;
    char letter = rt->cred == SITE ? site_creds[who % 2] : participant_creds[who % 3];

    char path[128], auth[EDGE_PTOKEN_MAX + 2048];
    snprintf(path, sizeof(path), "%s%s", fa->cfg.api_prefix, rt->path);
    edge_request *req = calloc(1, sizeof(*req));
    req->method = HTTP_POST;
    req->method_name = "POST";
    req->target = req->path = path;
    req->target_len = req->path_len = strlen(path);
    req->version_major = req->version_minor = 1;
    req->keep_alive = 1;
    req->remote_addr = "127.0.0.1";
    if (rt->cred == SITE) {
        snprintf(auth, sizeof(auth), "Bearer %s", fuzz_app_value(fa, letter));
        set_header(&req->headers[0], "Authorization", auth);
    } else {
        snprintf(auth, sizeof(auth), "%s", fuzz_app_value(fa, letter));
        set_header(&req->headers[0], "X-Amz-Bearer", auth);
    }
    set_header(&req->headers[1], "Content-Type", "application/json");
    req->header_count = 2;

    edge_buf expanded = EDGE_BUF_INIT;
    fuzz_app_expand(fa, (const char *)data + 1, size - 1, &expanded);
    char *body = expanded.len ? malloc(expanded.len) : NULL;
    if (body)
        memcpy(body, expanded.data, expanded.len);
    req->body = body;
    req->body_len = expanded.len;

    edge_response res;
    edge_response_init(&res);
    edge_app_handle(&fa->app, req, &res);
    fuzz_check_response(&res);
    if (getenv("C2C_FUZZ_SHOW")) /* to see what an input does: C2C_FUZZ_SHOW=1 ./fuzz_x FILE */
        fprintf(stderr, "POST %s as `%c: %d %.*s\n", path, letter, res.status,
                (int)edge_response_body_len(&res), edge_response_body_ptr(&res));
    edge_response_free(&res);
    free(body);
    edge_buf_free(&expanded);
    free(req);
    return 0;
}
