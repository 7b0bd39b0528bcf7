/* main.c - c2c-edge: parse the configuration, start the app, run the loop.
 *
 * The only file with process-wide concerns: signal handling (TERM/INT stop
 * gracefully, HUP reloads keys and certificates, PIPE is ignored because libuv reports EPIPE
 * as a write error) and the exit code (0 after a clean stop, 2 for a bad
 * configuration or a failed start). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "app.h"
#include "config/config.h"

typedef struct edge_main {
    uv_loop_t *loop;
    edge_app app;
    uv_signal_t sigterm, sigint, sighup;
} edge_main;

static void on_app_stopped(edge_app *app)
{
    edge_main *m = (edge_main *)((char *)app - offsetof(edge_main, app));
    uv_close((uv_handle_t *)&m->sigterm, NULL);
    uv_close((uv_handle_t *)&m->sigint, NULL);
    uv_close((uv_handle_t *)&m->sighup, NULL);
}

static void on_stop_signal(uv_signal_t *sig, int signum)
{
    edge_main *m = sig->data;
    fprintf(stderr, "c2c-edge: %s received, finishing requests in flight\n",
            signum == SIGTERM ? "SIGTERM" : "SIGINT");
    uv_signal_stop(&m->sigterm);
    uv_signal_stop(&m->sigint);
    edge_app_stop(&m->app, on_app_stopped);
}

static void on_hup(uv_signal_t *sig, int signum)
{
    edge_main *m = sig->data;
    edge_app_reload(&m->app);
}

static void start_signals(edge_main *m)
{
    signal(SIGPIPE, SIG_IGN);
    uv_signal_init(m->loop, &m->sigterm);
    uv_signal_init(m->loop, &m->sigint);
    uv_signal_init(m->loop, &m->sighup);
    m->sigterm.data = m->sigint.data = m->sighup.data = m;
    uv_signal_start(&m->sigterm, on_stop_signal, SIGTERM);
    uv_signal_start(&m->sigint, on_stop_signal, SIGINT);
    uv_signal_start(&m->sighup, on_hup, SIGHUP);
}

/* One "listening on" line per listener (tests read the ports from them). */
static void print_urls(const edge_config *cfg, const edge_server *s)
{
    for (size_t i = 0; i < s->nlisteners; i++) {
        const edge_listener *l = &s->listeners[i];
        const char *host = cfg->listen_host;
        if (i > 0) /* the address text is only needed for the first line's demo URLs */
            host = "";
        int v6 = strchr(host, ':') != NULL;
        if (l->redirect)
            printf("c2c-edge redirecting http on port %d to https on port %d\n", l->port,
                   s->port);
        else if (i == 0)
            printf("c2c-edge listening on %s://%s%s%s:%d/\n", l->tls ? "https" : "http",
                   v6 ? "[" : "", host, v6 ? "]" : "", l->port);
        else
            printf("c2c-edge also listening on port %d (%s)\n", l->port,
                   l->tls ? "https" : "http");
    }
    const char *host = cfg->listen_host, *scheme = s->tls ? "https" : "http";
    int v6 = strchr(host, ':') != NULL;
    if (cfg->demo) {
        printf("  demo site:     %s://%s%s%s:%d/\n", scheme, v6 ? "[" : "", host, v6 ? "]" : "",
               s->port);
        printf("  demo tokens:   %s://%s%s%s:%d/demo/token?sub=alice&role=customer\n", scheme,
               v6 ? "[" : "", host, v6 ? "]" : "", s->port);
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    static edge_main m; /* static only for its size; reached through pointers below */
    edge_config cfg;
    char err[512];
    edge_config_init(&cfg);
    int rc = edge_config_parse_args(&cfg, argc, argv, err, sizeof(err));
    if (rc != 0) {
        if (rc < 0)
            fprintf(stderr, "c2c-edge: %s\n", err);
        edge_config_free(&cfg);
        return rc > 0 ? 0 : 2;
    }
    m.loop = uv_default_loop();
    if (edge_app_start(&m.app, m.loop, &cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "c2c-edge: %s\n", err);
        edge_app_abort(&m.app);
        uv_run(m.loop, UV_RUN_DEFAULT); /* lets the close callbacks free what was opened */
        edge_app_free(&m.app);
        uv_loop_close(m.loop);
        edge_config_free(&cfg);
        return 2;
    }
    start_signals(&m);
    print_urls(&cfg, &m.app.server);
    uv_run(m.loop, UV_RUN_DEFAULT);
    edge_app_free(&m.app);
    uv_loop_close(m.loop);
    edge_config_free(&cfg);
    fprintf(stderr, "c2c-edge: stopped\n");
    return 0;
}
