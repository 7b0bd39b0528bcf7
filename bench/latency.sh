#!/usr/bin/env bash
# bench/latency.sh - p99 chat-message latency from customer to agent, on loopback.
#
# bench/chat_latency.py starts CHATS chats, has an agent accept them and
# reads the agent's event stream of each; the customers then send MESSAGES
# messages in all, RATE per second per chat, and each message is timed from
# the customer's POST /api/participant/message to its "message" event on the
# agent's stream. Two runs: on an otherwise idle server, and while wrk keeps
# the server busy with POST /api/startChatContact (wrk -t1 -c$BUSY_CONNS, one
# RS256 token) on the same two cores. The client is Python asyncio; its own
# scheduling is part of the numbers.
#
#   bench/run.sh latency              # 20 chats, 5000 messages, 25/s per chat
#   MESSAGES=10000 bench/run.sh latency
#
# Target: p99 of 20 ms or less.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
CHATS=${CHATS:-20}
MESSAGES=${MESSAGES:-5000}
RATE=${RATE:-25}
BUSY_CONNS=${BUSY_CONNS:-50}

bench_need wrk node openssl python3
[ -x "$EDGE" ] || bench_die "$EDGE not built (run ./build.sh)"
bench_init latency
bench_keys
BENCH_JTI=idle- bench_mint "$WORK/customers-idle" RS256 "$CHATS"
BENCH_JTI=busy- bench_mint "$WORK/customers-busy" ES256 "$CHATS" # other users: new chats
bench_mint "$WORK/agent" RS256 1 1 agent
bench_mint "$WORK/load-token" HS256 1
PORT=$(free_port)
start_edge latency "$PORT" "${BENCH_NO_LIMITS[@]}" # one customer sends $MESSAGES quickly
python3 bench/warm_chats.py "$PORT" "$WORK/load-token" 1 >/dev/null

bench_quiet
IDLE=$(python3 bench/chat_latency.py "$PORT" "$WORK/customers-idle" "$WORK/agent" "$MESSAGES" "$RATE")
SECS=$(python3 -c "import json,sys; print(int(json.loads(sys.argv[1])['seconds']) + 5)" "$IDLE")
TOKENS=$WORK/load-token WRK_THREADS=1 wrk -t1 -c"$BUSY_CONNS" -d"$((SECS + 10))s" -s bench/start_chat.lua \
  "http://127.0.0.1:$PORT/" >"$WORK/wrk-load.txt" 2>&1 &
WRK_PID=$!
bench_track "$WRK_PID"
sleep 2
BUSY=$(python3 bench/chat_latency.py "$PORT" "$WORK/customers-busy" "$WORK/agent" "$MESSAGES" "$RATE")
wait "$WRK_PID" || true
LOAD_RPS=$(awk '/^Requests\/sec:/ {print int($2)}' "$WORK/wrk-load.txt")

row() { # label json
  python3 - "$1" "$2" <<'PY'
import json, sys
label, d = sys.argv[1], json.loads(sys.argv[2])
print("| %s | %d | %d | %s | **%s** | %s | %s | %s | %s |" % (
    label, d["sent"], d["lost"], d["p50"], d["p99"], d["p999"], d["max"], d["post_p50"], d["post_p99"]))
PY
}
TABLE=$(
  echo "| customer → agent | messages | lost | p50 ms | p99 ms | p99.9 ms | max ms | POST p50 ms | POST p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  row "idle server" "$IDLE"
  row "server busy with startChatContact at ${LOAD_RPS} req/s" "$BUSY"
  echo
  echo "Target: p99 ≤ 20 ms."
)
INFO="$CHATS chats, $RATE messages/s per chat ($((CHATS * RATE))/s in all); $(nproc) cores; $(date -u +%Y-%m-%d); $(bench_busy_note)"
printf '%s\n\n%s\n' "$INFO" "$TABLE"
write_docs_block latency "$INFO

$TABLE"
