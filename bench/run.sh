#!/usr/bin/env bash
# bench/run.sh - the one entry point for the load and soak benchmarks (not part
# of the test run; see docs/benchmarks.md for what each part measures and why).
#
#   bench/run.sh                 every part, in the order below
#   bench/run.sh static          c2c-edge against nginx serving the same files   (bench/static.sh)
#   bench/run.sh api             the token-checked API against node and nginx    (bench/api.sh)
#   bench/run.sh api_instr       instructions per resumed start, callgrind; BASE= to compare (bench/api_instr.sh)
#   bench/run.sh sse             10,000 idle SSE streams: server memory per stream (bench/sse.sh)
#   bench/run.sh slowloris       slow clients while wrk measures latency          (bench/slowloris.sh)
#   bench/run.sh latency         customer-to-agent chat message latency          (bench/latency.sh)
#   bench/run.sh soak            minutes of mixed load under ASan and valgrind     (bench/soak.sh)
#   bench/run.sh tls             HTTPS against nginx: keep-alive, full and resumed handshakes (bench/tls.sh)
#   bench/run.sh redis           the Redis store against SQLite; cross-node latency; SSE memory; round trips (bench/redis.sh)
#   bench/run.sh sip             SIP bridge: call setup (server side; with the widget), concurrent calls (bench/sip.sh; root)
#   bench/run.sh api latency     several parts
#
# Environment: EDGE (release binary, default build/c2c-edge), EDGE_ASAN
# (default build-asan/c2c-edge, for soak), WRITE_DOCS=1 (write each part's
# table into docs/benchmarks.md), QUIET_WAIT=S (wait up to S seconds before
# each run for the machine to be idle), and each part's own knobs (DURATION,
# ROUNDS, ...; see the top of its script). Every part uses 127.0.0.1 only and
# cleans up its temp dir and processes.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PARTS=(static api api_instr sse slowloris latency soak tls redis sip)

[ $# -gt 0 ] && [ "$1" != all ] || set -- "${PARTS[@]}"
for part in "$@"; do
  case " ${PARTS[*]} " in
    *" $part "*) ;;
    *) echo "usage: bench/run.sh [all|${PARTS[*]// /|}]..." >&2; exit 2 ;;
  esac
done
status=0
for part in "$@"; do
  echo "== $part"
  "$HERE/$part.sh" || { status=$?; echo "bench: part $part failed (exit $status)" >&2; }
done
exit "$status"
