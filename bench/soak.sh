#!/usr/bin/env bash
# bench/soak.sh - minutes of mixed load under AddressSanitizer and under valgrind:
# no leaks, no memory errors, memory that stays flat.
#
# Three runs (SOAK_MODES, default "asan valgrind release"):
#   asan      the ASan/UBSan build ($EDGE_ASAN) for ASAN_SECONDS (default 180)
#             with ASAN_OPTIONS=detect_leaks=1: LeakSanitizer checks the heap
#             when the process exits after SIGTERM; any report makes the exit
#             code non-zero;
#   valgrind  the release build ($EDGE) under valgrind --leak-check=full for
#             VALGRIND_SECONDS (default 120), with less load (valgrind runs
#             the server some 30 times slower);
#   release   the release build on its own for RELEASE_SECONDS (default 120),
#             the same load as asan: its RSS is the server's own (ASan's
#             quarantine and valgrind's shadow memory inflate theirs), so
#             this is the run that shows whether memory stays flat.
# The load in both: bench/soak_load.py (chats with streams, messages, reconnects
# with Last-Event-ID, calls with DTMF and signaling, reference codes, bad and
# cut-off requests; new users all the time) plus wrk on a static file and on
# POST /api/startChatContact cycling 500 users' tokens, all at once. The
# server's RSS is sampled every 5 s. At the end the server gets SIGTERM, so
# shutdown (streams open, chats left open) is part of what is checked.
#
#   bench/run.sh soak
#   SOAK_MODES=asan ASAN_SECONDS=600 bench/run.sh soak
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
SOAK_MODES=${SOAK_MODES:-asan valgrind release}
RELEASE_SECONDS=${RELEASE_SECONDS:-120}
ASAN_SECONDS=${ASAN_SECONDS:-180}
VALGRIND_SECONDS=${VALGRIND_SECONDS:-120}

bench_need wrk node openssl python3
case " $SOAK_MODES " in *" valgrind "*) bench_need valgrind ;; esac
case " $SOAK_MODES " in *" valgrind "*|*" release "*) [ -x "$EDGE" ] || bench_die "$EDGE not built" ;; esac
case " $SOAK_MODES " in *" asan "*) [ -x "$EDGE_ASAN" ] || bench_die "$EDGE_ASAN not built (./build.sh test builds it)" ;; esac
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bench_init soak
bench_keys
bench_log "minting tokens"
bench_mint "$WORK/customers" RS256 20000
bench_mint "$WORK/agents" RS256 1 1 agent
bench_mint "$WORK/wrk-users" ES256 500
mkdir -p "$WORK/root"
printf 'ok\n' >"$WORK/root/tiny.txt"
head -c 18432 /dev/urandom | base64 -w 100 >"$WORK/root/bundle.js"

# A control: LeakSanitizer must work on this machine (it does not under
# some ptrace setups), or a silent exit would prove nothing.
LSAN_CONTROL="not checked"
if [[ " $SOAK_MODES " == *" asan "* ]] && command -v cc >/dev/null; then
  printf '#include <stdlib.h>\nint main(void){void *p = malloc(8); p = 0; return p != 0;}\n' >"$WORK/leak.c"
  if cc -fsanitize=address -g -o "$WORK/leak" "$WORK/leak.c" 2>/dev/null &&
     ! ASAN_OPTIONS=detect_leaks=1 "$WORK/leak" 2>"$WORK/leak.err" &&
     grep -q "detected memory leaks" "$WORK/leak.err"; then
    LSAN_CONTROL="works here: a control program's deliberate 8-byte leak was reported"
  else
    LSAN_CONTROL="**did not report a control program's deliberate leak: the asan row proves nothing**"
  fi
fi

ROWS=()
soak_run() { # mode seconds workers wrk-conns
  local mode=$1 secs=$2 workers=$3 wconns=$4 port log out code
  port=$(free_port)
  log=$WORK/$mode.stderr
  mkdir -p "$WORK/$mode-data"
  local cmd=("$EDGE" --listen "127.0.0.1:$port" --data "$WORK/$mode-data" --static "$WORK/root"
             --jwks "$WORK/keys/jwks.json" --issuer "$BENCH_ISSUER" --audience "$BENCH_AUDIENCE"
             --shutdown-grace-ms 3000 "${BENCH_NO_LIMITS[@]}") # all load comes from one address
  if [ "$mode" = asan ]; then
    cmd[0]=$EDGE_ASAN
    (export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23 \
            UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=24
     exec "${cmd[@]}" >"$WORK/$mode.out" 2>"$log") &
  elif [ "$mode" = valgrind ]; then
    (exec valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible \
       --errors-for-leak-kinds=definite,indirect --error-exitcode=33 "${cmd[@]}" \
       >"$WORK/$mode.out" 2>"$log") &
  else
    (exec "${cmd[@]}" >"$WORK/$mode.out" 2>"$log") &
  fi
  local pid=$!
  bench_track "$pid"
  for _ in $(seq 300); do grep -q "listening on" "$WORK/$mode.out" 2>/dev/null && break; sleep 0.1; done
  wait_up "$port"
  python3 bench/warm_chats.py "$port" "$WORK/wrk-users" 8 "$WORK/agents" >/dev/null
  bench_log "$mode: ${secs}s of mixed load"
  wrk -t1 -c"$wconns" -d"${secs}s" "http://127.0.0.1:$port/tiny.txt" >"$WORK/$mode-wrk-static.txt" 2>&1 &
  local w1=$!
  TOKENS=$WORK/wrk-users WRK_THREADS=1 wrk -t1 -c"$wconns" -d"${secs}s" -s bench/start_chat.lua \
    "http://127.0.0.1:$port/" >"$WORK/$mode-wrk-api.txt" 2>&1 &
  local w2=$!
  out=$(python3 bench/soak_load.py "$port" "$pid" "$secs" "$workers" "$WORK/customers" "$WORK/agents")
  wait "$w1" "$w2" || true
  printf '%s\n' "$out" >"$WORK/$mode.json"
  local served
  served=$(curl -s --max-time 30 "http://127.0.0.1:$port/metrics" |
    awk '/^c2c_http_requests_total/ {s += $2} END {printf "%d", s}')
  kill -TERM "$pid"
  code=0
  wait "$pid" || code=$?
  local verdict
  if [ "$mode" = asan ]; then
    if [ "$code" -eq 0 ] && ! grep -qE "LeakSanitizer|AddressSanitizer|runtime error" "$log"; then
      verdict="exit 0 after SIGTERM with detect_leaks=1: no leak, ASan or UBSan report; LeakSanitizer $LSAN_CONTROL"
    else
      verdict="**exit $code: $(grep -m1 -E "ERROR|runtime error|SUMMARY" "$log" || echo "see $log")**"
      cp "$log" "$BENCH_ROOT/build/soak-$mode.stderr" 2>/dev/null || true
    fi
  elif [ "$mode" = release ]; then
    verdict="exit $code after SIGTERM"
  else
    local summary errors
    summary=$(grep -E "definitely lost|indirectly lost|possibly lost|All heap blocks were freed" "$log" |
      sed -E 's/^==[0-9]+== +//; s/ in [0-9,]+ blocks//' | paste -sd ';' | sed 's/;/; /g')
    errors=$(grep -E "ERROR SUMMARY" "$log" | sed -E 's/^==[0-9]+== +//; s/ \(suppressed.*//')
    verdict="exit $code; valgrind: ${summary:-no leak lines}; $errors"
  fi
  local py
  py=$(python3 - "$WORK/$mode.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["counts"]
rss = d["rss_kib"]
first = rss[min(2, len(rss) - 1)] if rss else 0
print("%d chats, %d calls, %d SSE opens, %d messages, %d odd requests, %d unexpected answers | %.1f → %.1f MiB (max %.1f)" % (
    c.get("chat", 0), c.get("call", 0), c.get("sse_open", 0), c.get("message", 0), c.get("odd", 0),
    c.get("unexpected", 0), first / 1024, (rss[-1] if rss else 0) / 1024, max(rss or [0]) / 1024))
for u in d["unexpected"][:5]:
    print("unexpected: " + u, file=sys.stderr)
PY
)
  ROWS+=("| $mode | ${secs} s | $served | ${py%% | *} | ${py##* | } | $verdict |")
  bench_log "$mode: $verdict"
}

for mode in $SOAK_MODES; do
  case $mode in
    asan) soak_run asan "$ASAN_SECONDS" 8 8 ;;
    valgrind) soak_run valgrind "$VALGRIND_SECONDS" 4 2 ;;
    release) soak_run release "$RELEASE_SECONDS" 8 8 ;;
    *) bench_die "unknown soak mode $mode" ;;
  esac
done

TABLE=$(
  echo "| build | load for | requests answered | what the load did | server RSS (after warm-up → end, max) | result |"
  echo "|---|---:|---:|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
)
INFO="soak_load.py workers + wrk on a static file and on startChatContact; SIGTERM at the end; $(nproc) cores; $(valgrind --version 2>/dev/null || true); $(date -u +%Y-%m-%d)"
printf '%s\n\n%s\n' "$INFO" "$TABLE"
write_docs_block soak "$INFO

$TABLE"
