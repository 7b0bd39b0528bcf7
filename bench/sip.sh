#!/usr/bin/env bash
# bench/sip.sh - the SIP bridge: call setup time (dial -> INVITE at the
# phone, the phone's 200 -> CONNECTED in the widget; median and p95 over
# CALLS calls) and how many concurrent bridged calls Janus carries here with
# clean audio (LEVELS, each held HOLD_S s). bench/sip_bench.mjs does the
# work with the SIP tests' own parts (Janus, a baresip phone, the edge, the
# widget in Chromium), inside the SIP tests' private network namespace
# (tests/sip/netns.sh: root only; everything started dies with it).
#
#   bench/run.sh sip                       # 20 calls; 1, 2, 4, ... 32 at once
#   CALLS=50 LEVELS=1,8,16 bench/run.sh sip
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
source tests/sip/netns.sh
sip_netns_enter "$(realpath "$0")" "$@" || bench_die "sip: needs root"
bench_need janus baresip chromium node python3
[ -x "$EDGE" ] || bench_die "$EDGE not built (run ./build.sh)"
sip_netns_up || bench_die "sip: cannot set up the namespace's network"

bench_quiet
RESULT="$(C2C_EDGE_BIN=$EDGE node bench/sip_bench.mjs)
$(bench_busy_note)"
printf '%s\n' "$RESULT"
write_docs_block sip "$RESULT"
