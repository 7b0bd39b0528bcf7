/* sip_record.c - a recorded call's conversion after it ended: a job per
 * call runs janus-pp-rec on each leg, then sox, as child processes one
 * after the other (uv_spawn, each with a deadline), then deletes the raw
 * files. See sip_record.h for the layout and the contract. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/mem.h"
#include "sip/sip_record.h"

#define REC_STEP_DEADLINE_MS 60000 /* one child; a long call converts in seconds */
#define REC_PATH_MAX 512
#define REC_SWEEP_EVERY_MS (3600 * 1000) /* and after each conversion */

typedef enum { S_USER, S_PEER, S_MIX, S_DONE } step;

typedef struct rec_job {
    struct rec_job *next;
    edge_sip_recorder *r;
    uv_timer_t timer;     /* the delay, then each child's deadline */
    uv_process_t process; /* the running child */
    int running;          /* process is live (its exit callback is due) */
    int step_ok;          /* the last child exited 0 */
    int handles;          /* open handles: the job is freed when it reaches 0 */
    step at;
    int leg_ok[2]; /* user, peer converted */
    char mjr[2][REC_PATH_MAX];
    char wav[2][REC_PATH_MAX];
    char tmp[REC_PATH_MAX]; /* the mix, renamed to out when complete */
    char out[REC_PATH_MAX];
} rec_job;

/* A retention sweep on the thread pool. */
#define REC_LEFTOVERS_MAX 256 /* calls whose raw legs a start-up sweep converts */
#define REC_ID_MAX 64

typedef struct rec_sweep {
    uv_work_t work;
    edge_sip_recorder *r;
    char dir[256];
    char raw_dir[256];
    int64_t older_than_s; /* files last written before this go (0: none) */
    int leftovers;        /* also list raw legs left by a previous run (start-up) */
    char ids[REC_LEFTOVERS_MAX][REC_ID_MAX];
    size_t n_ids;
} rec_sweep;

struct edge_sip_recorder {
    uv_loop_t *loop;
    int64_t retention_ms; /* 0 keeps everything */
    uv_timer_t sweep_timer;
    int sweeping;      /* a sweep is on the thread pool */
    int timer_open;    /* sweep_timer not yet closed */
    int started;       /* the first sweep (which converts leftovers) was started */
    char dir[256];     /* absolute: <data>/recordings */
    char raw_dir[256]; /* <data>/recordings/raw (Janus's names fit 255 bytes) */
    rec_job *jobs;
    edge_sip_record_stats stats;
    int closing;
};

static void job_next(rec_job *job);
static void sweep_start(edge_sip_recorder *r);

/* Closing, once nothing of r is left on the loop or the thread pool. */
static void recorder_maybe_free(edge_sip_recorder *r)
{
    if (r->closing && r->jobs == NULL && !r->sweeping && !r->timer_open)
        free(r);
}

/* ---- a job's life --------------------------------------------------------- */

static void job_unlink(rec_job *job)
{
    rec_job **at = &job->r->jobs;
    while (*at && *at != job)
        at = &(*at)->next;
    if (*at)
        *at = job->next;
}

static void job_maybe_free(rec_job *job)
{
    if (job->handles > 0)
        return;
    edge_sip_recorder *r = job->r;
    job_unlink(job);
    free(job);
    recorder_maybe_free(r);
}

static void job_handle_closed(uv_handle_t *h)
{
    rec_job *job = h->data;
    job->handles--;
    job_maybe_free(job);
}

/* The job is over (done or failed): raw files go, its handles close. */
static void job_end(rec_job *job, int ok)
{
    if (!job->r->closing) {
        if (ok) {
            job->r->stats.made++;
        } else {
            job->r->stats.failed++;
            fprintf(stderr,
                    "c2c-edge: the recording %s could not be converted (janus-pp-rec, "
                    "sox); its raw files are deleted\n",
                    job->out);
        }
        for (int i = 0; i < 2; i++) { /* small files: unlink does not wait on anything */
            unlink(job->wav[i]);
            unlink(job->mjr[i]);
        }
        unlink(job->tmp);
        sweep_start(job->r);
    }
    job->at = S_DONE;
    uv_close((uv_handle_t *)&job->timer, job_handle_closed);
}

/* The step's child is gone and its handle closed: on to the next step
 * (the handle is reused, so only now). */
static void on_process_closed(uv_handle_t *h)
{
    rec_job *job = h->data;
    job->handles--;
    if (job->r->closing) {
        if (job->at != S_DONE)
            job_end(job, 0);
        else
            job_maybe_free(job);
        return;
    }
    if (job->at == S_USER || job->at == S_PEER) {
        /* janus-pp-rec exits 0 on a leg without packets (writing nothing) */
        struct stat st;
        job->leg_ok[job->at] = job->step_ok && stat(job->wav[job->at], &st) == 0 && st.st_size > 44;
        job->at++;
        job_next(job);
    } else if (job->at == S_MIX) {
        job_end(job, job->step_ok && rename(job->tmp, job->out) == 0);
    }
}

static void on_exit_child(uv_process_t *p, int64_t status, int signal)
{
    rec_job *job = p->data;
    job->running = 0;
    job->step_ok = status == 0 && signal == 0;
    uv_timer_stop(&job->timer);
    uv_close((uv_handle_t *)p, on_process_closed);
}

static void on_deadline(uv_timer_t *t)
{
    rec_job *job = t->data;
    if (job->running)
        uv_process_kill(&job->process, SIGKILL); /* its exit callback goes on */
}

/* Start argv as the job's child; whether it ran or could not start,
 * on_process_closed goes on. */
static void job_spawn(rec_job *job, char **argv)
{
    uv_stdio_container_t stdio[3] = {
        {.flags = UV_IGNORE}, {.flags = UV_IGNORE}, {.flags = UV_IGNORE}};
    uv_process_options_t opts = {
        .exit_cb = on_exit_child, .file = argv[0], .args = argv, .stdio_count = 3, .stdio = stdio};
    job->process.data = job;
    if (uv_spawn(job->r->loop, &job->process, &opts) != 0) {
        /* libuv keeps a handle it failed to spawn: close it, then go on */
        job->handles++;
        job->step_ok = 0;
        uv_close((uv_handle_t *)&job->process, on_process_closed);
        return;
    }
    job->handles++;
    job->running = 1;
    uv_timer_start(&job->timer, on_deadline, REC_STEP_DEADLINE_MS, 0);
}

/* Run the step the job is at. */
static void job_next(rec_job *job)
{
    if (job->at == S_USER || job->at == S_PEER) {
        char *argv[] = {"janus-pp-rec", job->mjr[job->at], job->wav[job->at], NULL};
        job_spawn(job, argv);
        return;
    }
    if (!job->leg_ok[0] && !job->leg_ok[1]) { /* nothing to mix */
        job_end(job, 0);
        return;
    }
    /* mix both legs, or copy the one that converted */
    char *both[] = {"sox", "-m", job->wav[0], job->wav[1], job->tmp, NULL};
    char *one[] = {"sox", job->wav[job->leg_ok[0] ? 0 : 1], job->tmp, NULL};
    job_spawn(job, job->leg_ok[0] && job->leg_ok[1] ? both : one);
}

static void on_delay(uv_timer_t *t)
{
    job_next(t->data);
}

/* ---- retention ------------------------------------------------------------ */

/* Thread pool: the ids of the calls with a "<id>-peer-audio.mjr" left. */
static void list_leftovers(rec_sweep *sw)
{
    static const char tail[] = "-peer-audio.mjr";
    DIR *d = opendir(sw->raw_dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && sw->n_ids < REC_LEFTOVERS_MAX) {
        size_t n = strlen(e->d_name), t = sizeof(tail) - 1;
        if (n > t && n - t < REC_ID_MAX && strcmp(e->d_name + n - t, tail) == 0) {
            memcpy(sw->ids[sw->n_ids], e->d_name, n - t);
            sw->ids[sw->n_ids++][n - t] = '\0';
        }
    }
    closedir(d);
}

/* Thread pool: delete the recordings (*.wav) last written before the cut. */
static void sweep_work(uv_work_t *w)
{
    rec_sweep *sw = w->data;
    if (sw->leftovers)
        list_leftovers(sw);
    if (sw->older_than_s <= 0)
        return;
    DIR *d = opendir(sw->dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        char path[512];
        struct stat st;
        if (n < 5 || strcmp(e->d_name + n - 4, ".wav") != 0 ||
            snprintf(path, sizeof(path), "%s/%s", sw->dir, e->d_name) >= (int)sizeof(path))
            continue;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime < sw->older_than_s)
            unlink(path);
    }
    closedir(d);
}

static void sweep_done(uv_work_t *w, int status)
{
    rec_sweep *sw = w->data;
    edge_sip_recorder *r = sw->r;
    for (size_t i = 0; i < sw->n_ids && !r->closing; i++) /* a previous run's calls */
        edge_sip_recorder_convert(r, sw->ids[i], 0);
    free(sw);
    r->sweeping = 0;
    recorder_maybe_free(r);
}

/* One sweep, unless there is nothing to do or one is running. */
static void sweep_start(edge_sip_recorder *r)
{
    if ((r->retention_ms <= 0 && r->started) || r->sweeping || r->closing)
        return;
    rec_sweep *sw = edge_xcalloc(1, sizeof(*sw));
    sw->r = r;
    sw->work.data = sw;
    sw->leftovers = !r->started;
    r->started = 1;
    snprintf(sw->dir, sizeof(sw->dir), "%s", r->dir);
    snprintf(sw->raw_dir, sizeof(sw->raw_dir), "%s", r->raw_dir);
    if (r->retention_ms > 0)
        sw->older_than_s = (int64_t)time(NULL) - r->retention_ms / 1000;
    if (uv_queue_work(r->loop, &sw->work, sweep_work, sweep_done) != 0) {
        free(sw);
        return;
    }
    r->sweeping = 1;
}

static void on_sweep_timer(uv_timer_t *t)
{
    sweep_start(t->data);
}

static void sweep_timer_closed(uv_handle_t *h)
{
    edge_sip_recorder *r = h->data;
    r->timer_open = 0;
    recorder_maybe_free(r);
}

/* ---- the recorder ------------------------------------------------------------ */

static int make_dir(const char *path)
{
    return mkdir(path, 0770) == 0 || errno == EEXIST ? 0 : -1;
}

edge_sip_recorder *edge_sip_recorder_create(uv_loop_t *loop, const char *data_dir,
                                            int64_t retention_ms, char *err, size_t errlen)
{
    edge_sip_recorder *r = edge_xcalloc(1, sizeof(*r));
    r->loop = loop;
    r->retention_ms = retention_ms;
    char abs[PATH_MAX];
    if (make_dir(data_dir) != 0 || realpath(data_dir, abs) == NULL ||
        snprintf(r->dir, sizeof(r->dir), "%s/recordings", abs) >= (int)sizeof(r->dir) ||
        snprintf(r->raw_dir, sizeof(r->raw_dir), "%s/raw", r->dir) >= (int)sizeof(r->raw_dir) ||
        strlen(r->raw_dir) > 190 || make_dir(r->dir) != 0 || make_dir(r->raw_dir) != 0) {
        snprintf(err, errlen, "--record-calls: cannot make %s/recordings/raw: %s", data_dir,
                 strerror(errno));
        free(r);
        return NULL;
    }
    uv_timer_init(loop, &r->sweep_timer);
    r->sweep_timer.data = r;
    r->timer_open = 1;
    uv_timer_start(&r->sweep_timer, on_sweep_timer, 0, REC_SWEEP_EVERY_MS); /* now, then hourly */
    return r;
}

int edge_sip_recorder_base(const edge_sip_recorder *r, const char *contact_id, char *out,
                           size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", r->raw_dir, contact_id);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

void edge_sip_recorder_convert(edge_sip_recorder *r, const char *contact_id, uint64_t delay_ms)
{
    if (r->closing)
        return;
    rec_job *job = edge_xcalloc(1, sizeof(*job));
    job->r = r;
    static const char *const legs[2] = {"user", "peer"};
    int n = 0;
    for (int i = 0; i < 2; i++) {
        n |= snprintf(job->mjr[i], REC_PATH_MAX, "%s/%s-%s-audio.mjr", r->raw_dir, contact_id,
                      legs[i]) >= REC_PATH_MAX;
        n |= snprintf(job->wav[i], REC_PATH_MAX, "%s/%s-%s.wav", r->raw_dir, contact_id, legs[i]) >=
             REC_PATH_MAX;
    }
    n |= snprintf(job->tmp, REC_PATH_MAX, "%s/%s.mix.wav", r->raw_dir, contact_id) >= REC_PATH_MAX;
    n |= snprintf(job->out, REC_PATH_MAX, "%s/%s.wav", r->dir, contact_id) >= REC_PATH_MAX;
    if (n) { /* cannot happen: the base Janus took was shorter (edge_sip_recorder_base) */
        free(job);
        r->stats.failed++;
        return;
    }
    uv_timer_init(r->loop, &job->timer);
    job->timer.data = job;
    job->handles = 1;
    job->next = r->jobs;
    r->jobs = job;
    uv_timer_start(&job->timer, on_delay, delay_ms, 0);
}

edge_sip_record_stats edge_sip_recorder_stats(const edge_sip_recorder *r)
{
    edge_sip_record_stats none = {0};
    return r ? r->stats : none;
}

void edge_sip_recorder_close(edge_sip_recorder *r)
{
    if (r == NULL)
        return;
    r->closing = 1;
    uv_close((uv_handle_t *)&r->sweep_timer, sweep_timer_closed); /* a running sweep ends alone */
    for (rec_job *job = r->jobs; job; job = job->next) {
        if (job->running)
            uv_process_kill(&job->process, SIGKILL); /* on_exit_child ends the job */
        else if (job->at != S_DONE)
            job_end(job, 0);
    }
}
