#!/usr/bin/env bash
# bench/api_instr.sh - instructions per token-checked chat resume, counted by
# callgrind: a figure that does not move with the machine's other load, for
# comparing two builds of c2c-edge (e.g. before and after a refactor) where
# wall-clock rates on a shared machine vary by 30%.
#
#   BASE=/path/to/old/c2c-edge bench/api_instr.sh     compare $BASE with $EDGE
#   bench/api_instr.sh                                 $EDGE alone
#   ROUTE=transcript bench/api_instr.sh                 a participant route instead: one
#       start, then POST /api/participant/transcript with its ParticipantToken (the token
#       check on the store, then a transcript read)
#
# Each binary runs under valgrind --tool=callgrind twice, serving N1 and then
# N2 POST /api/startChatContact with one ES256 token over one keep-alive
# connection (every request after the first resumes the same chat); the
# difference of the two totals divided by N2 - N1 is the cost of one request,
# without start-up and shutdown. Loopback only; cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
EDGE=${EDGE:-build/c2c-edge}
N1=${N1:-500}
N2=${N2:-2500}
ROUTE=${ROUTE:-start}
case "$ROUTE" in start|transcript) ;; *) echo "ROUTE must be start or transcript" >&2; exit 2 ;; esac
bench_need valgrind python3 openssl
bench_init api_instr
bench_keys
bench_mint "$WORK/es-one" ES256 1

# count BIN N: prints callgrind's total instructions for N requests
count() {
  local bin=$1 n=$2 port out
  port=$(free_port)
  out="$WORK/cg.$n.$$"
  EDGE_WRAP="valgrind --tool=callgrind --callgrind-out-file=$out" EDGE_BIN=$bin \
    start_edge "instr-$n-$RANDOM" "$port"
  python3 - "$port" "$WORK/es-one" "$n" "$ROUTE" <<'PY'
import http.client, json, sys
port, token, n = int(sys.argv[1]), open(sys.argv[2]).read().split()[0], int(sys.argv[3])
route = sys.argv[4]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
body = b'{"ParticipantDetails":{"DisplayName":"Bench"}}'
start = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
ptoken = None
if route == "transcript":  # one start, not counted (in both runs)
    c.request("POST", "/api/startChatContact", body, start)
    r = c.getresponse()
    ptoken = json.loads(r.read())["data"]["startChatResult"]["ParticipantToken"]
for i in range(n):
    if ptoken:
        c.request("POST", "/api/participant/transcript", b"{}",
                  {"X-Amz-Bearer": ptoken, "Content-Type": "application/json"})
    else:
        c.request("POST", "/api/startChatContact", body, start)
    r = c.getresponse(); r.read()
    if r.status != 200:
        sys.exit("request %d: HTTP %d" % (i, r.status))
PY
  bench_stop "$EDGE_PID"
  awk '/^(summary|totals):/ {print $2; exit}' "$out"
}

per_request() { # BIN -> instructions per request
  local a b
  a=$(count "$1" "$N1"); b=$(count "$1" "$N2")
  echo $(((b - a) / (N2 - N1)))
}

line() { printf '| %s | %s |\n' "$1" "$2"; }
what="resumed start"
[ "$ROUTE" = start ] || what="participant/transcript"
echo "| c2c-edge build | instructions per $what (callgrind, $N1 vs $N2 requests) |"
echo "|---|---:|"
if [ -n "${BASE:-}" ]; then
  base=$(per_request "$BASE"); line "base ($BASE)" "$base"
fi
now=$(per_request "$EDGE"); line "this ($EDGE)" "$now"
if [ -n "${BASE:-}" ]; then
  awk -v a="$base" -v b="$now" 'BEGIN {printf "ratio this/base: %.3f\n", b / a}'
fi
