/* sip_record.h - recordings of bridged calls (--record-calls): where Janus
 * writes a call's two legs, and their conversion, after the call, into one
 * file per call, off the loop.
 *
 * Layout under the data directory (absolute, since Janus runs elsewhere):
 *   recordings/raw/<ContactId>-user-audio.mjr  the caller's leg (Janus)
 *   recordings/raw/<ContactId>-peer-audio.mjr  the phone's leg (Janus)
 *   recordings/<ContactId>.wav                 the call, both legs mixed
 * A call's recording is "pending" while a raw .mjr of it exists; the final
 * file is written under a temporary name and renamed, and only then are
 * the .mjr files deleted, so a reader sees pending, then the file (or,
 * after a failed conversion, nothing). G.711 and G.722 legs only: an Opus
 * call's conversion fails (sox cannot read Opus) and is counted failed.
 *
 * A recording goes with its contact: the retention sweep deletes it
 * --retention-days after it was written (when the call ended). Raw legs a
 * previous run left (stopped while converting) are converted at start.
 *
 * Conversion runs child processes with uv_spawn, one after the other, each
 * with a deadline (killed after it): janus-pp-rec per leg (.mjr -> .wav),
 * then sox mixes the legs (or copies the one that converted). Nothing on
 * the loop waits; all on the loop's thread. */
#ifndef EDGE_SIP_RECORD_H
#define EDGE_SIP_RECORD_H

#include <stdint.h>
#include <uv.h>

typedef struct edge_sip_recorder edge_sip_recorder;

typedef struct edge_sip_record_stats {
    uint64_t made;   /* calls whose recording file was written */
    uint64_t failed; /* calls recorded whose conversion failed (nothing kept) */
} edge_sip_record_stats;

/* A recorder keeping its files under data_dir/recordings (both folders
 * are made, mode 0770, at once: start-up only). With retention_ms > 0
 * (--retention-days), recordings last written longer ago are deleted by
 * a sweep on the thread pool: at start, hourly and after each conversion.
 * Returns NULL with err filled when the folders cannot be made. */
edge_sip_recorder *edge_sip_recorder_create(uv_loop_t *loop, const char *data_dir,
                                            int64_t retention_ms, char *err, size_t errlen);

/* The base path Janus's "recording" request takes ("filename") for the
 * call contact_id, into out. 0, or -1 when it does not fit. */
int edge_sip_recorder_base(const edge_sip_recorder *r, const char *contact_id, char *out,
                           size_t cap);

/* The call contact_id, recorded, has ended: convert its legs after
 * delay_ms (Janus closes the files as it hangs up). */
void edge_sip_recorder_convert(edge_sip_recorder *r, const char *contact_id, uint64_t delay_ms);

edge_sip_record_stats edge_sip_recorder_stats(const edge_sip_recorder *r);

/* Shut down: pending conversions are dropped, running children killed;
 * r frees itself once libuv has closed its handles (the loop must run). */
void edge_sip_recorder_close(edge_sip_recorder *r);

#endif
