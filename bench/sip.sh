#!/usr/bin/env bash
# bench/sip.sh - the SIP bridge, inside the SIP tests' private network
# namespace (tests/sip/netns.sh; root only; everything started dies with it):
#
#   1. bench/sip_setup.py: call setup on the server's side: dial to INVITE
#      and 200 OK to CONNECTED on the caller's event stream, median and p95
#      over CALLS calls (20), a synthetic WebRTC offer, a sipp phone;
#   2. bench/sip_bench.mjs: the same through the real widget in Chromium and
#      a baresip phone (dial leaving the page to INVITE, the 200 to
#      CONNECTED in the widget), then how many concurrent bridged calls carry
#      clean audio here (LEVELS, each held HOLD_S s).
#
#   bench/run.sh sip                       # 20 calls; 1, 2, 4, ... 32 at once
#   CALLS=50 LEVELS=1,8,16 bench/run.sh sip
# EDGE picks the binary (default build/c2c-edge). With WRITE_DOCS=1 the
# widget's table goes into docs/benchmarks.md (block "sip").
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
source tests/sip/netns.sh
sip_netns_enter "$(realpath "$0")" "$@" || bench_die "sip: needs root"
bench_need janus sipp baresip chromium node python3
[ -x "$EDGE" ] || bench_die "$EDGE not built (run ./build.sh)"
sip_netns_up || bench_die "sip: cannot set up the namespace's network"
export C2C_EDGE_BIN=$EDGE

bench_quiet
python3 bench/sip_setup.py
bench_quiet
RESULT="$(node bench/sip_bench.mjs)
$(bench_busy_note)"
printf '%s\n' "$RESULT"
write_docs_block sip "$RESULT"
