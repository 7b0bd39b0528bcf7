#!/usr/bin/env bash
# bench/tls.sh - HTTPS: c2c-edge (mbedTLS) against nginx (OpenSSL), same certificate.
#
# One ECDSA P-256 certificate (made here with openssl, signed by a throwaway
# CA) serves both. nginx (Debian's, 1 worker) is configured as close to
# c2c-edge's policy as it goes: TLS 1.2 only, the same ECDHE AEAD suites in
# the same server order (ECDSA AES-128-GCM first), X25519/P-256/P-384,
# session tickets and a shared session cache for an hour. Both serve one
# copy of dist/ from a temporary root on loopback, both with a buffered
# access log.
#
# Three measurements, alternating the servers, ROUNDS times, best round of
# each:
#   keep-alive  wrk -t2 -c$CONNS over https for /c2c.js with
#               Accept-Encoding: br (the precompressed .br file, as a
#               browser gets it): requests/s, and the server's CPU per
#               request from /proc (so requests per server CPU-second);
#   full        openssl s_time -new: every connection a full handshake
#               (ECDHE + a P-256 signature by the server), HS_CLIENTS
#               clients at once for HS_SECONDS: handshakes/s (wall) and
#               the server's CPU per handshake;
#   resumed     openssl s_time -reuse: the same with the session resumed
#               (the ticket of the first connection): no public-key work.
# The handshake clients and wrk share the two cores with the server, so
# wall rates are bounded by the client too; CPU per handshake is the
# server's own cost and gives "handshakes per server core-second", i.e. new
# (or returning) visitors a core can take per second.
#
#   bench/run.sh tls                    # 10 s wrk runs, 5 s handshake runs, 3 rounds
#   DURATION=5 HS_SECONDS=3 ROUNDS=1 bench/run.sh tls
#
# Prints a Markdown table; with WRITE_DOCS=1 also rewrites the "tls" block
# of docs/benchmarks.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
DURATION=${DURATION:-10}
HS_SECONDS=${HS_SECONDS:-5}
HS_CLIENTS=${HS_CLIENTS:-2}
ROUNDS=${ROUNDS:-3}
SUITES=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305

bench_need nginx wrk python3 openssl curl
[ -x "$EDGE" ] || bench_die "$EDGE not built (run ./build.sh)"
bench_init tls
[ -f dist/c2c.js.br ] || bench_die "dist/c2c.js.br not found (./build.sh precompresses dist/)"
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
[ -f "$BROTLI_MODULE" ] || bench_die "$BROTLI_MODULE not found (./build.sh bench installs it)"

# The certificate: a throwaway CA and a P-256 leaf for 127.0.0.1.
C=$WORK/cert
mkdir -p "$C" "$WORK/root" "$WORK/nginx"
openssl ecparam -name prime256v1 -genkey -noout -out "$C/ca.key" 2>/dev/null
openssl req -x509 -new -key "$C/ca.key" -subj "/CN=c2c bench CA" -days 2 -out "$C/ca.pem" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$C/leaf.key" 2>/dev/null
openssl req -new -key "$C/leaf.key" -subj "/CN=127.0.0.1" -out "$C/leaf.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$C/leaf.ext"
openssl x509 -req -in "$C/leaf.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 2 \
  -extfile "$C/leaf.ext" -out "$C/leaf.pem" 2>/dev/null
chmod 644 "$C"/*

cp -a dist/. "$WORK/root/"
NGINX_PORT=$(free_port)
EDGE_PORT=$(free_port)
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
  ssl_certificate $C/leaf.pem;
  ssl_certificate_key $C/leaf.key;
  ssl_protocols TLSv1.2;
  ssl_ciphers $SUITES;
  ssl_prefer_server_ciphers on;
  ssl_ecdh_curve X25519:prime256v1:secp384r1;
  ssl_session_tickets on;
  ssl_session_cache shared:SSL:10m;
  ssl_session_timeout 1h;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    root $WORK/root;
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
bench_track "$NGINX_PID"
(exec "$EDGE" --listen "127.0.0.1:$EDGE_PORT" --tls-cert "$C/leaf.pem" --tls-key "$C/leaf.key" \
   --static "$WORK/root" --data "$WORK/edge-data" >/dev/null 2>"$WORK/edge.log") &
EDGE_PID=$!
bench_track "$EDGE_PID"
wait_up "$NGINX_PORT"; wait_up "$EDGE_PORT"
NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -n1)
[ -n "$NGINX_WORKER" ] || bench_die "nginx worker not found"

# Both must serve the same bytes, encoding and TLS parameters before their
# speed means anything: "sha256 content-encoding protocol cipher".
fetch_id() {
  python3 - "$1" "$C/ca.pem" <<'PY'
import hashlib, http.client, ssl, sys
port, ca = sys.argv[1:3]
ctx = ssl.create_default_context(cafile=ca)
conn = http.client.HTTPSConnection("127.0.0.1", int(port), context=ctx)
conn.request("GET", "/c2c.js", headers={"Accept-Encoding": "br"})
r = conn.getresponse()
body = r.read()
print(hashlib.sha256(body).hexdigest(), r.getheader("Content-Encoding", "identity"),
      conn.sock.version(), conn.sock.cipher()[0])
PY
}
a=$(fetch_id "$NGINX_PORT"); b=$(fetch_id "$EDGE_PORT")
[ "$a" = "$b" ] || bench_die "the servers differ: nginx $a, c2c-edge $b"
case "$b" in *" br TLSv1.2 "*) ;; *) bench_die "not br over TLS 1.2: $b" ;; esac
CIPHER=${b##* }

# port pid -> "requests/s cpu-us-per-request"
measure_keepalive() {
  local before after out rps total
  before=$(cpu_ticks "$2")
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" -H "Accept-Encoding: br" "https://127.0.0.1:$1/c2c.js" 2>&1)
  after=$(cpu_ticks "$2")
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print int($2)}')
  total=$(printf '%s\n' "$out" | awk '/requests in/ {print $1}')
  printf '%s\n' "$out" | grep -q 'Non-2xx\|Socket errors' && bench_log "wrk on port $1: $(printf '%s\n' "$out" | grep 'Non-2xx\|Socket errors')"
  awk -v r="${rps:-0}" -v t="${total:-0}" -v d="$((after - before))" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%d %.1f\n", r, (t > 0 ? d / hz * 1e6 / t : 0)}'
}

# port pid mode(-new|-reuse) -> "handshakes/s cpu-us-per-handshake resumed%"
# HS_CLIENTS s_time clients at once; s_time prints '*' per full and 'r' per
# resumed connection, which gives the share really resumed.
measure_handshakes() {
  local port=$1 pid=$2 mode=$3 before after t0 t1 i
  before=$(cpu_ticks "$pid"); t0=$(date +%s.%N)
  for i in $(seq "$HS_CLIENTS"); do
    openssl s_time -connect "127.0.0.1:$port" "$mode" -tls1_2 -cipher "$SUITES" -time "$HS_SECONDS" \
      >"$WORK/s_time.$i" 2>&1 &
  done
  wait
  t1=$(date +%s.%N); after=$(cpu_ticks "$pid")
  local full=0 reused=0 f r
  for i in $(seq "$HS_CLIENTS"); do
    f=$(grep -v 'connections' "$WORK/s_time.$i" | tr -cd '*' | wc -c)
    r=$(grep -v 'connections' "$WORK/s_time.$i" | tr -cd 'r' | wc -c)
    full=$((full + f)); reused=$((reused + r))
  done
  awk -v n="$((full + reused))" -v rr="$reused" -v d="$((after - before))" -v hz="$(getconf CLK_TCK)" \
      -v t0="$t0" -v t1="$t1" \
    'BEGIN {printf "%d %.0f %d\n", (t1 > t0 ? n / (t1 - t0) : 0), (n > 0 ? d / hz * 1e6 / n : 0), (n > 0 ? 100 * rr / n : 0)}'
}

declare -A BEST CPU SHARE
keep_best() { # key rate cpu [share]
  if [ "${BEST[$1]:-0}" -lt "$2" ]; then BEST[$1]=$2; CPU[$1]=$3; SHARE[$1]=${4:-}; fi
}
for _ in $(seq "$ROUNDS"); do
  for srv in edge nginx; do
    port=$EDGE_PORT pid=$EDGE_PID
    [ "$srv" = nginx ] && port=$NGINX_PORT pid=$NGINX_WORKER
    bench_quiet
    read -r r c < <(measure_keepalive "$port" "$pid"); keep_best "$srv keepalive" "$r" "$c"
    bench_quiet
    read -r r c s < <(measure_handshakes "$port" "$pid" -new); keep_best "$srv full" "$r" "$c" "$s"
    bench_quiet
    read -r r c s < <(measure_handshakes "$port" "$pid" -reuse); keep_best "$srv resumed" "$r" "$c" "$s"
  done
done

METRICS=$(curl -s --cacert "$C/ca.pem" "https://127.0.0.1:$EDGE_PORT/metrics")
m() { printf '%s\n' "$METRICS" | awk -v n="$1" '$1 == n {print $2}'; }
per_core() { awk -v c="$1" 'BEGIN {printf "%.0f", (c > 0 ? 1e6 / c : 0)}'; }
cpu_ratio() { awk -v e="$1" -v n="$2" 'BEGIN {printf "%.2f", (e > 0 ? n / e : 0)}'; }

TABLE=$(
  echo "| over TLS 1.2 ($CIPHER) | c2c-edge /s | nginx /s | ratio | c2c-edge server CPU µs each | nginx server CPU µs each | c2c-edge per server CPU-second | nginx per server CPU-second | per CPU-second ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for k in keepalive full resumed; do
    case $k in
      keepalive) label="keep-alive requests, /c2c.js br ($(stat -c %s "$WORK/root/c2c.js.br") B)" ;;
      full) label="full handshakes (s_time -new)" ;;
      resumed) label="resumed handshakes (s_time -reuse; resumed: edge ${SHARE["edge resumed"]}%, nginx ${SHARE["nginx resumed"]}%)" ;;
    esac
    e=${BEST["edge $k"]}; n=${BEST["nginx $k"]}; ec=${CPU["edge $k"]}; nc=${CPU["nginx $k"]}
    echo "| $label | $e | $n | $(ratio "$e" "$n") | $ec | $nc | $(per_core "$ec") | $(per_core "$nc") | $(cpu_ratio "$ec" "$nc") |"
  done
)
INFO="wrk -t2 -c$CONNS over https, ${DURATION}s per run; $HS_CLIENTS openssl s_time clients at once, ${HS_SECONDS}s per run; best of $ROUNDS rounds; same ECDSA P-256 certificate; $(nproc) cores; $(nginx -v 2>&1 | sed 's/.*: //') with $(openssl version | cut -d' ' -f1-2), c2c-edge with mbedTLS $(dpkg-query -W -f='${Version}' libmbedtls14 2>/dev/null || echo 2.28); $(date -u +%Y-%m-%d); $(bench_busy_note)"
FOOT="c2c-edge's /metrics after the run: $(m c2c_tls_handshakes_total) handshakes, $(m c2c_tls_resumed_handshakes_total) resumed, $(m c2c_tls_handshake_failures_total) failed."
printf '%s\n\n%s\n\n%s\n' "$INFO" "$TABLE" "$FOOT"
write_docs_block tls "$INFO

$TABLE

$FOOT"
