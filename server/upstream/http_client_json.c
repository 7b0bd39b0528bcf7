/* http_client_json.c - JSON bodies for the upstream client, with cJSON:
 * start a request whose body is a cJSON tree, and parse a result's body. */
#include <stdlib.h>
#include <string.h>

#include "upstream/http_client.h"

int edge_upstream_start_json(edge_upstream *u, const char *method, const char *path,
                             const cJSON *json, unsigned timeout_ms, edge_upstream_cb cb,
                             void *opaque, edge_upstream_req **out)
{
    static const edge_upstream_header with_body[] = {
        {"Content-Type", "application/json"},
        {"Accept", "application/json"},
    };
    char *text = NULL;
    if (json != NULL) {
        text = cJSON_PrintUnformatted(json);
        if (text == NULL)
            return EDGE_UPSTREAM_EINVAL;
    }
    edge_upstream_request r;
    memset(&r, 0, sizeof(r));
    r.method = method;
    r.path = path;
    r.headers = text ? with_body : with_body + 1;
    r.n_headers = text ? 2 : 1;
    r.body = text;
    r.body_len = text ? strlen(text) : 0;
    r.timeout_ms = timeout_ms;
    int rc = edge_upstream_start(u, &r, cb, opaque, out); /* copies the body */
    cJSON_free(text);
    return rc;
}

cJSON *edge_upstream_result_json(const edge_upstream_result *r)
{
    if (r == NULL || r->error || r->body == NULL)
        return NULL;
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(r->body, r->body_len, &end, 0);
    if (json == NULL)
        return NULL;
    while (end < r->body + r->body_len &&
           (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
        end++;
    if (end != r->body + r->body_len) { /* something after the value */
        cJSON_Delete(json);
        return NULL;
    }
    return json;
}
