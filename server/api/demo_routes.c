/* demo_routes.c - GET /demo/token: mint a short-lived token for the demo site.
 *
 * Only registered when the server runs with --demo, so a production server
 * can never hand out tokens. The identity comes from the query string on
 * purpose: the demo lets one person act as a customer in one tab and as an
 * agent in another. */
#include <cjson/cJSON.h>
#include <llhttp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/routes.h"

#define EDGE_DEMO_TOKEN_TTL_S 3600

/* Read an optional query parameter; -1 when present but unusable. */
static int read_param(const edge_request *req, const char *name, char *out, size_t cap)
{
    int n = edge_request_query_param(req, name, out, cap);
    if (n == -1) {
        out[0] = '\0';
        return 0;
    }
    return n < 0 ? -1 : 0;
}

static void handle_demo_token(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    char sub[128], email[128], name[128], role[16];
    if (read_param(req, "sub", sub, sizeof(sub)) < 0 ||
        read_param(req, "email", email, sizeof(email)) < 0 ||
        read_param(req, "name", name, sizeof(name)) < 0 ||
        read_param(req, "role", role, sizeof(role)) < 0) {
        edge_response_error(res, 400, "bad_request",
                            "sub, email and name must be under 128 bytes, role under 16.");
        return;
    }
    if (sub[0] == '\0') {
        edge_response_error(res, 400, "bad_request", "The sub parameter is required.");
        return;
    }
    if (role[0] == '\0')
        strcpy(role, "customer");
    if (strcmp(role, "customer") != 0 && strcmp(role, "agent") != 0 &&
        strcmp(role, "supervisor") != 0) {
        edge_response_error(res, 400, "bad_request", "role must be customer, agent or supervisor.");
        return;
    }
    int64_t now = (int64_t)time(NULL);
    char *token =
        edge_auth_mint_demo(api->auth, sub, email, name, role, now, EDGE_DEMO_TOKEN_TTL_S);
    if (token == NULL) {
        edge_response_error(res, 500, "internal", "Could not mint a demo token.");
        return;
    }
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "token", token);
    cJSON_AddNumberToObject(obj, "expiresAt", (double)(now + EDGE_DEMO_TOKEN_TTL_S));
    cJSON_AddStringToObject(obj, "role", role);
    edge_response_api_json(res, 200, obj);
    free(token);
}

void edge_routes_demo(edge_api_ctx *api)
{
    edge_router_add(api->router, HTTP_GET, "/demo/token", "demo_token", handle_demo_token, api);
}
