#!/usr/bin/env bash
# bench/static.sh - requests/s of c2c-edge against nginx, serving the same files.
#
# Both servers serve one copy of dist/ (plus a tiny file) from a temporary
# root on loopback: nginx from a private config with 1 worker, sendfile and
# an open-file cache; c2c-edge as built. Both write a buffered access log, so
# neither skips work the other does. wrk (2 threads, 100 connections) runs
# against each in turn, alternating, ROUNDS times; the best round of each
# counts. wrk shares the machine's cores with the server under test, so
# compare the ratio from one run, not absolute numbers across machines.
#
# Besides requests/s, the script reads each server's CPU time from /proc
# around every run and reports CPU microseconds per request. When wrk itself
# is the bottleneck (a 25 KB response costs the client more than the
# server), requests/s says little about the server; CPU per request is its
# capacity: how many requests one core can serve.
#
#   bench/run.sh static          # defaults: 10 s per run, 3 rounds
#   DURATION=5 ROUNDS=1 bench/run.sh static
#
# Three requests: the widget bundle as wrk asks for it (no Accept-Encoding,
# so the whole 32 KB), the same bundle as a browser asks for it
# (Accept-Encoding: br, gzip: both servers send the same precompressed .br
# file, nginx through Debian's brotli_static module), and a tiny file.
#
# Prints a Markdown table; with WRITE_DOCS=1 also rewrites the "bench"
# block of docs/benchmarks.md. Target: 1.25 times nginx.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}

bench_need nginx wrk python3
[ -x "$EDGE" ] || bench_die "$EDGE not built (run ./build.sh)"
bench_init static

# The served root: dist/ as built, plus a tiny file.
mkdir -p "$WORK/root" "$WORK/nginx"
cp -a dist/. "$WORK/root/" 2>/dev/null || true
printf 'ok\n' >"$WORK/root/tiny.txt"

# The widget bundle: the loader when it exists, otherwise the largest script.
BUNDLE=""
if [ -f "$WORK/root/c2c.js" ]; then
  BUNDLE=c2c.js
else
  BUNDLE=$(cd "$WORK/root" && find . -type f \( -name '*.js' -o -name '*.wasm' \) ! -name '*.gz' ! -name '*.br' \
           -printf '%s %P\n' | sort -rn | head -n1 | cut -d' ' -f2-)
fi
if [ -z "$BUNDLE" ]; then
  bench_log "no widget bundle in dist/ yet; using a 24 KiB generated script instead"
  head -c 18432 /dev/urandom | base64 -w 100 | sed 's/^/\/\/ /' >"$WORK/root/bundle-standin.js"
  BUNDLE=bundle-standin.js
fi

NGINX_PORT=$(free_port)
EDGE_PORT=$(free_port)
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
[ -f "$BROTLI_MODULE" ] || bench_die "$BROTLI_MODULE not found (./build.sh bench installs it)"
[ -f "$WORK/root/$BUNDLE.br" ] || bench_die "dist/$BUNDLE.br not found (./build.sh precompresses dist/)"
cat >"$WORK/nginx/nginx.conf" <<CONF
load_module $BROTLI_MODULE;
$(nginx_main_common)
http {
  types { text/html html; text/javascript js mjs; text/css css; application/wasm wasm;
          image/svg+xml svg; application/json json; text/plain txt; }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
$(nginx_http_common)
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 1s;
  brotli_static on;
  gzip_static on;
  gzip_vary on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/root;
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
bench_track "$NGINX_PID"
(exec "$EDGE" --listen "127.0.0.1:$EDGE_PORT" --static "$WORK/root" --data "$WORK/edge-data" \
   >/dev/null 2>"$WORK/edge.log") &
EDGE_PID=$!
bench_track "$EDGE_PID"
wait_up "$NGINX_PORT"; wait_up "$EDGE_PORT"

# The cases: "label path accept-encoding" (- for none).
BROWSER_AE="br, gzip"
CASES=("$BUNDLE|$BUNDLE|-" "$BUNDLE (br, as browsers ask)|$BUNDLE|$BROWSER_AE" "tiny.txt|tiny.txt|-")

# sha256 and Content-Encoding of what port answers for path with accept-encoding ae.
fetch_id() {
  python3 - "$1" "$2" "$3" <<'PY'
import hashlib, sys, urllib.request
port, path, ae = sys.argv[1:4]
req = urllib.request.Request("http://127.0.0.1:%s/%s" % (port, path))
if ae != "-":
    req.add_header("Accept-Encoding", ae)
with urllib.request.urlopen(req) as r:
    print(hashlib.sha256(r.read()).hexdigest(), r.headers.get("Content-Encoding", "identity"))
PY
}

# Both must serve the same bytes before their speed means anything.
for c in "${CASES[@]}"; do
  IFS='|' read -r label path ae <<<"$c"
  a=$(fetch_id "$NGINX_PORT" "$path" "$ae"); b=$(fetch_id "$EDGE_PORT" "$path" "$ae")
  [ "$a" = "$b" ] || bench_die "$label differs between the servers: nginx $a, c2c-edge $b"
done

# port path pid accept-encoding -> "requests/s cpu-us-per-request"
measure() {
  local before after out rps total
  local -a hdr=()
  [ "$4" = - ] || hdr=(-H "Accept-Encoding: $4")
  before=$(cpu_ticks "$3")
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" "${hdr[@]}" "http://127.0.0.1:$1/$2" 2>/dev/null)
  after=$(cpu_ticks "$3")
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print int($2)}')
  total=$(printf '%s\n' "$out" | awk '/requests in/ {print $1}')
  awk -v r="$rps" -v t="$total" -v d="$((after - before))" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%d %.2f\n", r, (t > 0 ? d / hz * 1e6 / t : 0)}'
}

NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -n1)
[ -n "$NGINX_WORKER" ] || bench_die "nginx worker not found"

declare -A BEST CPU
for _ in $(seq "$ROUNDS"); do
  for c in "${CASES[@]}"; do
    IFS='|' read -r label path ae <<<"$c"
    for srv in edge nginx; do
      port=$EDGE_PORT pid=$EDGE_PID
      [ "$srv" = nginx ] && port=$NGINX_PORT pid=$NGINX_WORKER
      bench_quiet
      read -r r cpu < <(measure "$port" "$path" "$pid" "$ae"); key="$srv $label"
      if [ "${BEST[$key]:-0}" -lt "$r" ]; then BEST[$key]=$r; CPU[$key]=$cpu; fi
    done
  done
done

size_of() { # path accept-encoding: the bytes on the wire
  if [ "$2" = - ]; then stat -c %s "$WORK/root/$1"; else stat -c %s "$WORK/root/$1.br"; fi
}
TABLE=$(
  echo "| file | body | c2c-edge req/s | nginx req/s | req/s ratio | c2c-edge CPU µs/req | nginx CPU µs/req | requests per CPU-second ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for c in "${CASES[@]}"; do
    IFS='|' read -r label path ae <<<"$c"
    e=${BEST["edge $label"]}; n=${BEST["nginx $label"]}; ec=${CPU["edge $label"]}; nc=${CPU["nginx $label"]}
    echo "| $label | $(size_of "$path" "$ae") B | $e | $n | $(ratio "$e" "$n") | $ec | $nc | $(awk -v e="$ec" -v n="$nc" 'BEGIN{printf "%.2f", (e > 0 ? n/e : 0)}') |"
  done
)
INFO="wrk -t2 -c$CONNS, ${DURATION}s per run, best of $ROUNDS rounds; $(nproc) cores; $(nginx -v 2>&1 | sed 's/.*: //'); $(date -u +%Y-%m-%d); $(bench_busy_note)"
printf '%s\n\n%s\n' "$INFO" "$TABLE"
write_docs_block bench "$INFO

$TABLE"
