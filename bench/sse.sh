#!/usr/bin/env bash
# bench/sse.sh - server memory per idle Server-Sent Events stream, at 10,000 streams.
#
# c2c-edge runs with --max-connections above the stream count and a raised
# open-files limit. bench/sse_clients.py creates STREAMS/2 chats over HTTP
# (an agent accepts each, so every chat has a customer and an agent
# participant), opens one GET /api/participant/events stream per
# participant, waits until every stream has also carried a heartbeat (15 s),
# and reads the server's VmRSS and Pss from /proc before and after. Memory per
# stream = (RSS with the streams open - RSS before) / streams. The kernel's
# socket buffers are not in RSS; /proc/net/sockstat's TCP memory is reported
# beside it (both ends of each loopback connection count there).
#
#   bench/run.sh sse                 # 10,000 streams
#   STREAMS=2000 bench/run.sh sse
#
# Target: 8 KB or less of server memory per idle stream at 10k streams.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
STREAMS=${STREAMS:-10000}
HEARTBEAT_S=15 # EDGE_HEARTBEAT_MS in server/app.c

bench_need node openssl python3
[ -x "$EDGE" ] || bench_die "$EDGE not built (run ./build.sh)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge $((STREAMS + 500)) ] || bench_die "open-files limit $(ulimit -n) is below $((STREAMS + 500))"
bench_init sse
bench_keys
bench_mint "$WORK/customers" RS256 $((STREAMS / 2))
bench_mint "$WORK/agent" RS256 1 1 agent

PORT=$(free_port)
start_edge sse "$PORT" --max-connections $((STREAMS + 1000))
bench_quiet
OUT=$(python3 bench/sse_clients.py "$PORT" "$EDGE_PID" "$WORK/customers" "$WORK/agent" "$HEARTBEAT_S")
printf '%s\n' "$OUT" >"$WORK/sse.json"

field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$WORK/sse.json" "$1"; }
N=$(field streams)
[ "$(field server_streams)" -eq "$N" ] || bench_die "the server counted $(field server_streams) streams, not $N"
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
PER=$(field bytes_per_stream)
TABLE=$(
  echo "| idle SSE streams | server RSS before | with the streams open, after a heartbeat | per stream (RSS) | per stream (Pss) | target | after closing them all | kernel TCP buffers per stream (both ends) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  echo "| $N | $(mib "$(field rss_before_kib)") | $(mib "$(field rss_after_heartbeat_kib)") | **$PER B** | $(field pss_bytes_per_stream) B | ≤ 8192 B | $(mib "$(field rss_closed_kib)") | $(field kernel_tcp_bytes_per_stream) B |"
  echo
  echo "$N streams opened in $(field open_seconds) s; $(field frames_read) event frames read by the clients; streams the server ended early: $(field streams_ended_early); open connections left after closing: $(field connections_left_after_close)."
)
INFO="$N streams ($((N / 2)) chats, customer and agent), one heartbeat each; $(nproc) cores; $(date -u +%Y-%m-%d); $(bench_busy_note)"
printf '%s\n\n%s\n' "$INFO" "$TABLE"
write_docs_block sse "$INFO

$TABLE"
