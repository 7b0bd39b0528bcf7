#!/usr/bin/env bash
# bench/redis.sh - the Redis store (--store redis://) against the SQLite store,
# and what several nodes cost.
#
# One redis-server (Debian's, on a free loopback port, AOF on with
# appendfsync $FSYNC) and edge nodes on loopback:
#   start/resume  POST /api/startChatContact on one node with the Redis store,
#                 against a node with the SQLite store, in the same run (wrk,
#                 bench/start_chat.lua, $USERS users in turn, every chat warm,
#                 so every request is a resume: the token check plus the
#                 open-chat look-up). Best of $ROUNDS runs of $DURATION s each.
#   cross-node    chat message latency, customer to agent, with the customers
#                 posting to node A and the agents' streams held by node B
#                 (bench/chat_latency.py with a read port): $CHATS chats at
#                 $RATE messages/s each.
#   sse           server memory per idle SSE stream on a Redis node
#                 (bench/sse_clients.py, $STREAMS streams).
#   round trips   Redis commands per start, resume, message and accept, counted
#                 with MONITOR (bench/redis_trips.py).
#
#   bench/run.sh redis
#   FSYNC=always DURATION=5 ROUNDS=1 bench/run.sh redis
#
# Targets: Redis start/resume >= 0.6x SQLite's requests/s; cross-node
# message p99 <= 20 ms at 1,000 messages/s; <= 8 KB per idle SSE stream.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
USERS=${USERS:-1000}
CHATS=${CHATS:-20}
RATE=${RATE:-50}
MESSAGES=${MESSAGES:-10000}
STREAMS=${STREAMS:-4000}
FSYNC=${FSYNC:-everysec}
HEARTBEAT_S=15 # EDGE_HEARTBEAT_MS in server/app.c

bench_need wrk node openssl python3 redis-server redis-cli
[ -x "$EDGE" ] || bench_die "$EDGE not built (run ./build.sh)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bench_init redis
bench_keys
bench_mint "$WORK/users" ES256 "$USERS"
bench_mint "$WORK/agent" RS256 1 1 agent
BENCH_JTI=lat- bench_mint "$WORK/chatters" RS256 "$CHATS"
BENCH_JTI=sse- bench_mint "$WORK/sse-users" RS256 $((STREAMS / 2))
BENCH_JTI=trip- bench_mint "$WORK/trips" RS256 10

REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
(exec redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly yes \
   --appendfsync "$FSYNC" --dir "$WORK/redis" >"$WORK/redis.log" 2>&1) &
bench_track $!
wait_up "$REDIS_PORT"
STORE=(--store "redis://127.0.0.1:$REDIS_PORT")

# Every node shares the same ParticipantToken key: copy the first node's.
SQLITE_PORT=$(free_port); A_PORT=$(free_port); B_PORT=$(free_port)
start_edge sqlite "$SQLITE_PORT" "${BENCH_NO_LIMITS[@]}"
SQLITE_PID=$EDGE_PID
start_edge a "$A_PORT" "${BENCH_NO_LIMITS[@]}" "${STORE[@]}"
A_PID=$EDGE_PID
mkdir -p "$WORK/b-data"; cp -a "$WORK/a-data/." "$WORK/b-data/" # the key files A made at start
start_edge b "$B_PORT" "${BENCH_NO_LIMITS[@]}" "${STORE[@]}"

for port in "$SQLITE_PORT" "$A_PORT"; do
  bench_log "warming $USERS chats on port $port: $(python3 bench/warm_chats.py "$port" "$WORK/users" 16 "$WORK/agent")"
done

declare -A BEST CPU
for round in $(seq "$ROUNDS"); do
  bench_log "start/resume round $round of $ROUNDS"
  for which in sqlite redis; do
    if [ "$which" = sqlite ]; then port=$SQLITE_PORT pid=$SQLITE_PID; else port=$A_PORT pid=$A_PID; fi
    bench_quiet
    read -r rps cpu errs _ <<<"$(TOKENS=$WORK/users WRK_THREADS=2 wrk_measure "$port" "$pid" "$DURATION" -s bench/start_chat.lua)"
    [ "$errs" -eq 0 ] || bench_die "$which: $errs answers were not 2xx"
    if [ "${BEST[$which]:-0}" -lt "$rps" ]; then BEST[$which]=$rps; CPU[$which]=$cpu; fi
  done
done

bench_log "cross-node message latency"
bench_quiet
LAT=$(python3 bench/chat_latency.py "$A_PORT" "$WORK/chatters" "$WORK/agent" "$MESSAGES" "$RATE" "$B_PORT")

bench_log "idle SSE streams on a Redis node"
SSE_PORT=$(free_port)
mkdir -p "$WORK/sse-data"; cp -a "$WORK/a-data/." "$WORK/sse-data/"
# Each part below on a Redis database of its own: the token files share subjects.
start_edge sse "$SSE_PORT" --max-connections $((STREAMS + 1000)) --store "redis://127.0.0.1:$REDIS_PORT/1"
bench_quiet
SSE=$(python3 bench/sse_clients.py "$SSE_PORT" "$EDGE_PID" "$WORK/sse-users" "$WORK/agent" "$HEARTBEAT_S")
bench_stop "$EDGE_PID"

bench_log "round trips per operation"
T_PORT=$(free_port)
mkdir -p "$WORK/t-data"; cp -a "$WORK/a-data/." "$WORK/t-data/"
start_edge t "$T_PORT" --store "redis://127.0.0.1:$REDIS_PORT/2"
TRIPS=$(python3 bench/redis_trips.py "$T_PORT" "$REDIS_PORT" "$WORK/trips" "$WORK/agent")

TABLE=$(python3 - "${BEST[sqlite]}" "${BEST[redis]}" "${CPU[sqlite]}" "${CPU[redis]}" "$LAT" "$SSE" "$TRIPS" "$CHATS" "$RATE" <<'PY'
import json, sys
sq, rd, sq_cpu, rd_cpu = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
lat, sse, trips = json.loads(sys.argv[5]), json.loads(sys.argv[6]), json.loads(sys.argv[7])
chats, rate = int(sys.argv[8]), float(sys.argv[9])
print("| POST /api/startChatContact (resume) | req/s | node CPU µs/req |")
print("|---|---:|---:|")
print("| SQLite store | %d | %s |" % (sq, sq_cpu))
print("| Redis store | %d | %s |" % (rd, rd_cpu))
print()
print("Redis / SQLite: **%.2f** (target ≥ 0.60)." % (rd / sq if sq else 0))
print()
print("| message, customer via node A → agent's stream on node B | messages | lost | p50 ms | p99 ms | p99.9 ms | max ms |")
print("|---|---:|---:|---:|---:|---:|---:|")
print("| %d chats × %g/s = %d/s | %d | %d | %s | **%s** | %s | %s |" % (
    chats, rate, int(chats * rate), lat["sent"], lat["lost"], lat["p50"], lat["p99"], lat["p999"], lat["max"]))
print()
print("Target: p99 ≤ 20 ms.")
print()
print("Idle SSE streams on a Redis node: %d streams, **%s B per stream** (RSS; Pss %s B), target ≤ 8192 B." % (
    sse["streams"], sse["bytes_per_stream"], sse["pss_bytes_per_stream"]))
print()
print("| operation | Redis round trips | fan-out reads (whole node) | commands |")
print("|---|---:|---:|---|")
for op in ("start", "resume", "message", "accept"):
    t = trips[op]
    print("| %s | **%d** | %d | %s |" % (op, t["trips"], t["tail_reads"], ", ".join(t["commands"])))
PY
)
INFO="redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), appendonly yes, appendfsync $FSYNC; wrk -t2 -c$CONNS, ${DURATION}s runs, best of $ROUNDS; $(nproc) cores; $(date -u +%Y-%m-%d); $(bench_busy_note)"
printf '%s\n\n%s\n' "$INFO" "$TABLE"
write_docs_block redis "$INFO

$TABLE"
