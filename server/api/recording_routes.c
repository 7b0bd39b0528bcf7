/* recording_routes.c - GET {api-prefix}recordings/<ContactId>: a bridged
 * call's recording (--record-calls, sip/sip_record.h) for supervisors.
 *
 * The files are the SIP bridge's, under --data/recordings: <id>.wav is the
 * call; a raw <id>-*-audio.mjr under recordings/raw means it is still
 * being converted. The route reads them on libuv's thread pool (stat and
 * read never run on the loop) and answers through a deferred response:
 * 200 audio/wav, 409 recording_pending, 404 not_found; a token without the
 * "supervisors" group gets 403 forbidden. No Range: the whole file. */
#include <fcntl.h>
#include <llhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/routes.h"
#include "api/site_request.h"
#include "common/mem.h"
#include "http/deferred.h"

#define REC_ID_MAX 64
#define REC_PATH_MAX 1024
#define REC_FILE_MAX ((size_t)512 * 1024 * 1024) /* refused above this (hours of G.711) */

typedef enum { R_FOUND, R_PENDING, R_NONE, R_ERROR } rec_state;

typedef struct rec_read {
    uv_work_t work;
    edge_deferred *d; /* NULL once the client went away */
    char file[REC_PATH_MAX];
    char raw[2][REC_PATH_MAX];
    rec_state state;
    char *data; /* owned: the file */
    size_t len;
} rec_read;

/* A contact id as the store makes them: letters, digits and dashes. */
static int id_ok(const char *id, size_t len)
{
    if (len == 0 || len >= REC_ID_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return 0;
    }
    return 1;
}

/* The whole file into rr (thread pool): 0, or -1 when it is not there. */
static int read_file(rec_read *rr)
{
    int fd = open(rr->file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= REC_FILE_MAX) {
        rr->len = (size_t)st.st_size;
        rr->data = malloc(rr->len ? rr->len : 1);
        size_t got = 0;
        while (rr->data && got < rr->len) {
            ssize_t n = read(fd, rr->data + got, rr->len - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        rc = rr->data && got == rr->len ? 0 : -1;
    }
    close(fd);
    return rc;
}

static void rec_work(uv_work_t *w)
{
    rec_read *rr = w->data;
    struct stat st;
    if (read_file(rr) == 0)
        rr->state = R_FOUND;
    else if (stat(rr->raw[0], &st) == 0 || stat(rr->raw[1], &st) == 0)
        rr->state = R_PENDING;
    else
        rr->state = access(rr->file, F_OK) == 0 ? R_ERROR : R_NONE;
}

static void rec_release(void *opaque)
{
    free(opaque);
}

static void rec_after(uv_work_t *w, int status)
{
    rec_read *rr = w->data;
    if (rr->d != NULL) {
        edge_response *res = edge_deferred_response(rr->d);
        if (rr->state == R_FOUND) {
            edge_response_set_shared_body(res, 200, rr->data, rr->len, rec_release, rr->data);
            edge_response_add_header(res, "Content-Type", "audio/wav");
            edge_response_add_header(res, "Cache-Control", "no-store");
            rr->data = NULL; /* the response's now */
        } else if (rr->state == R_PENDING) {
            edge_response_error(res, 409, "recording_pending",
                                "The call's recording is still being converted; try again soon.");
        } else if (rr->state == R_NONE) {
            edge_response_error(res, 404, "not_found", "There is no recording of this contact.");
        } else {
            edge_response_error(res, 500, "internal_error", "The recording cannot be read.");
        }
        edge_response_complete(rr->d);
    }
    free(rr->data);
    free(rr);
}

static void rec_cancelled(edge_deferred *d, void *opaque)
{
    rec_read *rr = opaque;
    rr->d = NULL; /* the work runs to its end; nobody is told */
}

static void handle_recording(void *ctx, const edge_request *req, edge_response *res)
{
    edge_api_ctx *api = ctx;
    edge_identity who;
    if (edge_site_identity(api, req, res, 0, &who) < 0)
        return;
    if (!who.is_supervisor) {
        edge_response_error(res, 403, "forbidden",
                            "Only tokens in the supervisors group may fetch recordings.");
        return;
    }
    size_t skip = strlen(api->cfg->api_prefix) + strlen("recordings/");
    const char *id = req->path + skip;
    size_t id_len = req->path_len - skip;
    if (!id_ok(id, id_len)) {
        edge_response_error(res, 404, "not_found", "There is no recording of this contact.");
        return;
    }
    rec_read *rr = edge_xcalloc(1, sizeof(*rr));
    const char *data = api->cfg->data_dir;
    int id_int = (int)id_len;
    snprintf(rr->file, sizeof(rr->file), "%s/recordings/%.*s.wav", data, id_int, id);
    snprintf(rr->raw[0], sizeof(rr->raw[0]), "%s/recordings/raw/%.*s-user-audio.mjr", data, id_int,
             id);
    snprintf(rr->raw[1], sizeof(rr->raw[1]), "%s/recordings/raw/%.*s-peer-audio.mjr", data, id_int,
             id);
    rr->work.data = rr;
    rr->d = edge_response_defer(res, 0, rec_cancelled, rr);
    if (uv_queue_work(api->loop, &rr->work, rec_work, rec_after) != 0) {
        edge_response_error(edge_deferred_response(rr->d), 503, "unavailable",
                            "The server cannot read recordings right now.");
        edge_response_complete(rr->d);
        free(rr);
    }
}

void edge_routes_recordings(edge_api_ctx *api)
{
    edge_api_route(api, HTTP_GET, "recordings/*", "recording", handle_recording);
}
