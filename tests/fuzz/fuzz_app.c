/* fuzz_app.c - the server fuzzers' shared app, scene and checks (see
 * fuzz_app.h).
 *
 * Setup writes everything the configuration points at into a private
 * directory (under $TMPDIR, else /dev/shm, else /tmp: a tmpfs keeps SQLite's
 * commits cheap), so nothing outside it is read or written. The scene is
 * made through the provider's own operations, the ones the routes call, so
 * it is exactly what a client's requests would have made. */
#define _GNU_SOURCE
#include "fuzz_app.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <ftw.h>
#include <llhttp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth/base64url.h"
#include "auth/jwt.h"
#include "common/clock.h"
#include "store/store.h"

/* The fixed HS256 key of the JWKS file (kid "fuzz"): 32 bytes. */
static const unsigned char fuzz_key[32] = "c2c fuzzing key, never for use!";

#define FUZZ_EXP "4102444800" /* 2100-01-01: the fixed tokens never expire */
#define FUZZ_ISS "https://issuer.example"
#define FUZZ_AUD "c2c-fuzz"

/* The placeholders: "`" then one of these letters. */
enum {
    PH_CUSTOMER_JWT,  /* `C  site token of customer "fuzz-customer" */
    PH_AGENT_JWT,     /* `A  site token of agent "fuzz-agent" */
    PH_CHAT_PTOKEN,   /* `P  the customer's chat ParticipantToken */
    PH_AGENT_PTOKEN,  /* `Q  the agent's ParticipantToken for that chat */
    PH_CHAT_ID,       /* `I  the chat's ContactId */
    PH_CALL_PTOKEN,   /* `K  the customer's call JoinToken */
    PH_CALL_ID,       /* `T  the call's ContactId (MeetingId, TransactionId) */
    PH_ROUTE_ID,      /* `R  the agent's ad-hoc reference code */
    PH_COUNT
};
static const char ph_letters[PH_COUNT + 1] = "CAPQIKTR";

static fuzz_app the_app;
static int the_app_ready;
static char ph_values[PH_COUNT][EDGE_PTOKEN_MAX + 512];
static sqlite3 *wipe_db;      /* the fixture's own connection, to empty the tables */
static char **wipe_tables;    /* NULL-terminated table names */

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_app: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

/* ---- files -------------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0)
        die("cannot write", path);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void remove_dir(void)
{
    if (the_app.dir[0])
        nftw(the_app.dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void make_dir(fuzz_app *fa)
{
    const char *base = getenv("TMPDIR");
    if (base == NULL || access(base, W_OK) != 0)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(fa->dir, sizeof(fa->dir), "%s/c2c-fuzz-XXXXXX", base);
    if (mkdtemp(fa->dir) == NULL)
        die("cannot create a directory in", base);
    atexit(remove_dir);
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/static", fa->dir);
    if (mkdir(sub, 0700) != 0)
        die("cannot create", sub);
    write_file(sub, "index.html", "<!doctype html><title>c2c</title><div data-c2c></div>\n");
    write_file(sub, "app.js", "console.log('c2c');\n");
    write_file(sub, "app.js.gz", "not really gzip, but served as the .gz sibling\n");
    write_file(sub, "style.css", "body{margin:0}\n");
}

/* {"keys": [the fixed oct key]} */
static void write_jwks(const char *dir)
{
    char k[64], text[256];
    edge_b64url_encode(fuzz_key, sizeof(fuzz_key), k);
    snprintf(text, sizeof(text),
             "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"fuzz\",\"alg\":\"HS256\",\"k\":\"%s\"}]}", k);
    write_file(dir, "jwks.json", text);
}

/* ---- the app ------------------------------------------------------------ */

static void configure(fuzz_app *fa)
{
    char json[2048], err[256];
    snprintf(json, sizeof(json),
             "{\"data\": \"%s/data\", \"jwks\": \"%s/jwks.json\", \"static\": [\"%s/static\"],"
             " \"demo\": true, \"issuer\": \"" FUZZ_ISS "\", \"audience\": \"" FUZZ_AUD "\","
             " \"allow-origin\": [\"https://shop.example\"],"
             " \"ice-server\": [\"stun:stun.example.org:3478\"],"
             " \"dial-queue\": [\"+44=uk\"], \"dial-deny\": [\"+1900\"],"
             " \"max-header-bytes\": \"4k\", \"max-uri-bytes\": 1024,"
             " \"max-body-bytes\": \"16k\", \"max-token-bytes\": 2048,"
             " \"static-recheck-ms\": 3600000, \"limit-dials\": 0,"
             " \"limit-messages\": 0, \"limit-redeems\": 0}",
             fa->dir, fa->dir, fa->dir);
    edge_config_init(&fa->cfg);
    if (edge_config_parse_json(&fa->cfg, json, strlen(json), err, sizeof(err)) != 0)
        die("bad fuzz configuration", err);
}

/* A fixed site token for sub, signed with the fixed key. */
static void mint(char *out, size_t cap, const char *claims)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"fuzz\"}";
    char *token = edge_jwt_sign_hs256(fuzz_key, sizeof(fuzz_key), header, claims);
    if (token == NULL || strlen(token) >= cap)
        die("cannot mint a token", NULL);
    strcpy(out, token);
    free(token);
}

static void open_wipe_db(fuzz_app *fa)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/c2c.sqlite3", fa->cfg.data_dir);
    if (sqlite3_open(path, &wipe_db) != SQLITE_OK)
        die("cannot open", path);
    sqlite3_busy_timeout(wipe_db, 5000);
    sqlite3_exec(wipe_db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(wipe_db,
                           "SELECT name FROM sqlite_master WHERE type = 'table'"
                           " AND name NOT LIKE 'sqlite_%'",
                           -1, &s, NULL) != SQLITE_OK)
        die("cannot list tables", sqlite3_errmsg(wipe_db));
    size_t n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        wipe_tables = realloc(wipe_tables, (n + 2) * sizeof(char *));
        wipe_tables[n++] = strdup((const char *)sqlite3_column_text(s, 0));
        wipe_tables[n] = NULL;
    }
    sqlite3_finalize(s);
    if (n == 0)
        die("the store has no tables", path);
}

fuzz_app *fuzz_app_get(void)
{
    fuzz_app *fa = &the_app;
    if (the_app_ready)
        return fa;
    make_dir(fa);
    write_jwks(fa->dir);
    configure(fa);
    if (uv_loop_init(&fa->loop) != 0)
        die("cannot create a loop", NULL);
    char err[256];
    if (edge_app_init(&fa->app, &fa->loop, &fa->cfg, err, sizeof(err)) != 0)
        die("edge_app_init failed", err);
    open_wipe_db(fa);
    /* The access log is written (its formatting is fuzzed too) but not shown. */
    int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd < 0)
        die("cannot open /dev/null", NULL);
    fa->app.log.fd = null_fd;
    mint(ph_values[PH_CUSTOMER_JWT], sizeof(ph_values[0]),
         "{\"sub\":\"fuzz-customer\",\"email\":\"carol@example.com\",\"name\":\"Carol\","
         "\"iss\":\"" FUZZ_ISS "\",\"aud\":\"" FUZZ_AUD "\",\"exp\":" FUZZ_EXP "}");
    mint(ph_values[PH_AGENT_JWT], sizeof(ph_values[0]),
         "{\"sub\":\"fuzz-agent\",\"email\":\"alan@example.com\",\"name\":\"Alan\","
         "\"groups\":[\"agents\"],\"iss\":\"" FUZZ_ISS "\",\"aud\":\"" FUZZ_AUD "\","
         "\"exp\":" FUZZ_EXP "}");
    the_app_ready = 1;
    return fa;
}

/* ---- the scene ---------------------------------------------------------- */

static edge_identity identity(const char *sub, const char *email, const char *name, int agent)
{
    edge_identity id;
    memset(&id, 0, sizeof(id));
    snprintf(id.sub, sizeof(id.sub), "%s", sub);
    snprintf(id.email, sizeof(id.email), "%s", email);
    snprintf(id.name, sizeof(id.name), "%s", name);
    id.is_agent = agent;
    id.exp = 4102444800;
    return id;
}

static void wipe(void)
{
    char sql[160];
    sqlite3_exec(wipe_db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (char **t = wipe_tables; *t; t++) {
        snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"", *t);
        if (sqlite3_exec(wipe_db, sql, NULL, NULL, NULL) != SQLITE_OK)
            die("cannot empty a table", sqlite3_errmsg(wipe_db));
    }
    if (sqlite3_exec(wipe_db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die("cannot empty the store", sqlite3_errmsg(wipe_db));
    /* This connection is another process as far as the store can tell, and
     * the store may answer "who has an open chat" from memory until its
     * callers' clock has moved on by EDGE_STORE_OPEN_CHAT_LAG_MS (store.h):
     * wait that long, or the scene would resume the chat just deleted. */
    int64_t wiped_ms = edge_wall_ms();
    struct timespec step = {0, 100 * 1000};
    while (edge_wall_ms() < wiped_ms + EDGE_STORE_OPEN_CHAT_LAG_MS)
        nanosleep(&step, NULL);
}

static void set_value(int ph, const char *v)
{
    snprintf(ph_values[ph], sizeof(ph_values[ph]), "%s", v);
}

/* One provider call of the scene: the local provider completes inside the
 * start call (provider.h), so the answer is there when it returns. */
typedef struct fuzz_call {
    edge_provider_call c; /* first */
    int fired;
} fuzz_call;

static void fuzz_call_done(edge_provider_call *c)
{
    ((fuzz_call *)c)->fired = 1;
}

static edge_provider_call *fuzz_call_at(fuzz_call *fc, int64_t now)
{
    *fc = (fuzz_call){.c = {.done = fuzz_call_done, .now_ms = now, .deadline_ms = now + 10000}};
    return &fc->c;
}

/* The call's result, or -1 when it did not complete at once. */
static int fuzz_call_rc(const fuzz_call *fc)
{
    return fc->fired ? fc->c.rc : -1;
}

void fuzz_app_reset(fuzz_app *fa)
{
    edge_provider *p = fa->app.provider;
    const edge_provider_ops *ops = p->ops;
    edge_identity customer = identity("fuzz-customer", "carol@example.com", "Carol", 0);
    edge_identity agent = identity("fuzz-agent", "alan@example.com", "Alan", 1);
    wipe();
    int64_t now = edge_wall_ms(); /* after the wipe: see wipe() */
    edge_chat_request chat = {"Carol", "{\"page\":\"/pricing\"}", "Hello", NULL, NULL};
    fuzz_call f[5];
    edge_chat_started st;
    edge_joined j;
    edge_call_started call;
    edge_adhoc_route route;
    edge_call_request dial = {"+15555550100", "", NULL};
    ops->chat_start(p, fuzz_call_at(&f[0], now), &customer, &chat, &st);
    if (fuzz_call_rc(&f[0]) != 0)
        die("cannot set up the scene", NULL);
    ops->agent_set_status(p, fuzz_call_at(&f[1], now), &agent, 1);
    ops->agent_accept(p, fuzz_call_at(&f[2], now), &agent, st.contact_id, &j);
    ops->call_start(p, fuzz_call_at(&f[3], now), &customer, &dial, &call);
    ops->adhoc_create(p, fuzz_call_at(&f[4], now), &agent, "carol@example.com", 1, 900, &route);
    for (int i = 1; i < 5; i++) {
        if (fuzz_call_rc(&f[i]) != 0)
            die("cannot set up the scene", NULL);
    }
    set_value(PH_CHAT_PTOKEN, st.participant_token);
    set_value(PH_CHAT_ID, st.contact_id);
    set_value(PH_AGENT_PTOKEN, j.participant_token);
    set_value(PH_CALL_PTOKEN, call.participant_token);
    set_value(PH_CALL_ID, call.contact_id);
    set_value(PH_ROUTE_ID, route.route_id);
}

const char *fuzz_app_value(const fuzz_app *fa, char c)
{
    const char *at = c ? strchr(ph_letters, c) : NULL;
    return at ? ph_values[at - ph_letters] : "";
}

void fuzz_app_expand(const fuzz_app *fa, const char *in, size_t len, edge_buf *out)
{
    size_t run = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (in[i] != '`' || in[i + 1] == '\0' || strchr(ph_letters, in[i + 1]) == NULL)
            continue;
        edge_buf_append(out, in + run, i - run);
        edge_buf_append_str(out, fuzz_app_value(fa, in[i + 1]));
        run = i + 2;
        i++;
    }
    edge_buf_append(out, in + run, len - run);
}

/* ---- checks ------------------------------------------------------------- */

static int header_is(const edge_response *res, const char *line)
{
    const char *h = res->headers.data;
    size_t n = strlen(line);
    for (size_t off = 0; h && off < res->headers.len;) {
        const char *eol = memchr(h + off, '\n', res->headers.len - off);
        size_t len = eol ? (size_t)(eol - (h + off)) + 1 : res->headers.len - off;
        if (len >= n && strncasecmp(h + off, line, n) == 0)
            return 1;
        off += len;
    }
    return 0;
}

void fuzz_check_response(const edge_response *res)
{
    if (res->status < 100 || res->status > 599) {
        fprintf(stderr, "fuzz: a handler answered status %d\n", res->status);
        abort();
    }
    if (res->stream || !header_is(res, "Content-Type: application/json"))
        return;
    size_t len = edge_response_body_len(res);
    const char *body = edge_response_body_ptr(res);
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(body ? body : "", len, &end, 0);
    if (json == NULL || end != (body ? body : "") + len) {
        fprintf(stderr, "fuzz: %d answer is not JSON: %.*s\n", res->status, (int)len,
                body ? body : "");
        abort();
    }
    cJSON_Delete(json);
}
