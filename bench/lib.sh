# bench/lib.sh - helpers shared by the bench/*.sh parts (sourced, not run).
#
# Conventions every part follows: all traffic to 127.0.0.1; a private temp
# directory ($WORK) removed on exit together with every process the part
# started (bench_track PID); wrk -t2 -c$CONNS; results as a Markdown table
# printed on stdout and, with WRITE_DOCS=1, written into docs/benchmarks.md
# between "<!-- NAME:start -->" and "<!-- NAME:end -->".
#
# The machine has two cores shared by the server under test and its client,
# so other work on the machine (a build, a test run) moves the numbers a lot.
# bench_quiet samples how busy the machine is before a run and, with
# QUIET_WAIT=S, waits up to S seconds for it to calm down; the highest load
# seen is printed with the results so a noisy run is recognisable.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EDGE=${EDGE:-$BENCH_ROOT/build/c2c-edge}
EDGE_ASAN=${EDGE_ASAN:-$BENCH_ROOT/build-asan/c2c-edge}
CONNS=${CONNS:-100}
BENCH_ISSUER=${BENCH_ISSUER:-https://issuer.bench.c2c.invalid}
BENCH_AUDIENCE=${BENCH_AUDIENCE:-c2c-bench}
export BENCH_ISSUER BENCH_AUDIENCE

bench_log() { printf 'bench: %s\n' "$*" >&2; }
bench_die() { bench_log "$*"; exit 1; }

bench_need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || bench_die "$tool not found (./build.sh bench installs it)"
  done
}

# A private work directory, and the processes to stop when the part ends.
BENCH_PIDS=()
bench_init() {
  WORK=$(mktemp -d "/tmp/c2c-bench-$1.XXXXXX")
  chmod 755 "$WORK" # nginx workers run as an unprivileged user
  trap bench_cleanup EXIT
}
bench_track() { BENCH_PIDS+=("$1"); }
bench_stop() { # pid: TERM, wait up to 20 s, then KILL
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do bench_stop "$pid"; done
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_up() { # port
  for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1',$1),timeout=0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  bench_die "nothing listening on port $1"
}

cpu_ticks() { # pid -> utime+stime in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# Percent of the whole machine (all cores) busy over the next half second.
machine_busy() {
  local a b
  a=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat)
  sleep 0.5
  b=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat)
  echo "$a $b" | awk '{busy=$3-$1; idle=$4-$2; t=busy+idle; printf "%d\n", (t > 0 ? 100*busy/t : 0)}'
}

# Before a measurement: note how busy the machine is (nothing of ours runs
# then), waiting up to QUIET_WAIT seconds for it to drop under 10%.
BENCH_BUSY_MAX=0
bench_quiet() {
  local waited=0 busy
  busy=$(machine_busy)
  while [ "$busy" -ge 10 ] && [ "$waited" -lt "${QUIET_WAIT:-0}" ]; do
    sleep 2; waited=$((waited + 2)); busy=$(machine_busy)
  done
  [ "$busy" -gt "$BENCH_BUSY_MAX" ] && BENCH_BUSY_MAX=$busy
  return 0
}
bench_busy_note() {
  if [ "$BENCH_BUSY_MAX" -ge 10 ]; then
    echo "other load before runs up to ${BENCH_BUSY_MAX}% of the machine: numbers are low"
  else
    echo "machine idle before runs (<10% busy)"
  fi
}

# JWKS and keys: EC P-256, RSA 2048 and a 32-byte HMAC key made by openssl,
# turned into $WORK/keys/jwks.json by tokens.mjs.
bench_keys() {
  mkdir -p "$WORK/keys"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/keys/es256.pem" 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/keys/rs256.pem" 2>/dev/null
  openssl rand 32 >"$WORK/keys/hs256.key"
  node "$BENCH_ROOT/bench/tokens.mjs" jwks "$WORK/keys" >"$WORK/keys/jwks.json"
}

# mint FILE ALG USERS [PER_USER] [agent]
bench_mint() {
  local out=$1; shift
  node "$BENCH_ROOT/bench/tokens.mjs" mint "$WORK/keys" "$@" >"$out"
}

# The abuse limits off, for runs that send far more than a person would
# (--limit-dials, --limit-messages, --limit-redeems, --max-messages-per-contact).
BENCH_NO_LIMITS=(--limit-dials 0 --limit-messages 0 --limit-redeems 0 --max-messages-per-contact 0)

# start_edge NAME PORT [flags...]: c2c-edge ($EDGE, or $EDGE_BIN when set;
# run under $EDGE_WRAP when set, e.g. a valgrind command line)
# with its own data directory and the bench keys; sets EDGE_PID. The access
# log (stderr) goes to $WORK/NAME.log.
start_edge() {
  local name=$1 port=$2; shift 2
  local bin=${EDGE_BIN:-$EDGE}
  mkdir -p "$WORK/$name-data" "$WORK/root"
  # shellcheck disable=SC2086 # EDGE_WRAP is a command line: split it
  (exec ${EDGE_WRAP:-} "$bin" --listen "127.0.0.1:$port" --data "$WORK/$name-data" --static "$WORK/root" \
     --jwks "$WORK/keys/jwks.json" --issuer "$BENCH_ISSUER" --audience "$BENCH_AUDIENCE" "$@" \
     >"$WORK/$name.out" 2>"$WORK/$name.log") &
  EDGE_PID=$!
  bench_track "$EDGE_PID"
  wait_up "$port"
}

# The main-context lines both nginx configs (static.sh, api.sh) share: one
# worker in the foreground, its pid and error log in $WORK.
nginx_main_common() {
  cat <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
CONF
}

# The http-block lines both nginx configs (static.sh, api.sh) share: keep
# wrk's connections as long as it wants, a buffered access log (c2c-edge
# writes one too, so neither skips work the other does), temp paths in $WORK.
nginx_http_common() {
  cat <<CONF
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  access_log $WORK/nginx/access.log combined buffer=64k flush=1s;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
CONF
}

# Jiffies the whole machine spent busy and idle so far: "busy idle".
machine_jiffies() { awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }

# CPU seconds used by this shell's finished children (bash's `times`, which
# must run in this very shell: in a pipe or $(...) it would see a new one).
children_cpu() {
  times >"$WORK/.times"
  awk 'NR == 2 {gsub(/[ms]/, " "); print $1 * 60 + $2 + $3 * 60 + $4}' "$WORK/.times"
}

# "requests/s cpu-µs-per-request non2xx other%" of one wrk run against pid's
# server; other% is the share of the machine that processes other than the
# server and wrk used meanwhile (a run with much of it says little).
# wrk_measure PORT PID DURATION [wrk args...]
wrk_measure() {
  local port=$1 pid=$2 dur=$3; shift 3
  local before after out rps total errs m0 m1 c0 c1
  m0=$(machine_jiffies); children_cpu >"$WORK/.c0"
  before=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c"$CONNS" -d"${dur}s" "$@" "http://127.0.0.1:$port/" 2>&1)
  after=$(cpu_ticks "$pid")
  m1=$(machine_jiffies); children_cpu >"$WORK/.c1"
  c0=$(cat "$WORK/.c0"); c1=$(cat "$WORK/.c1")
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print int($2)}')
  total=$(printf '%s\n' "$out" | awk '/requests in/ {print $1}')
  errs=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $NF}')
  awk -v r="${rps:-0}" -v t="${total:-0}" -v d="$((after - before))" -v hz="$(getconf CLK_TCK)" -v e="${errs:-0}" \
      -v m="$m0 $m1" -v w="$(awk -v a="$c0" -v b="$c1" 'BEGIN {print b - a}')" \
    'BEGIN {
       split(m, j, " "); busy = j[3] - j[1]; all = busy + j[4] - j[2]
       other = busy - d - w * hz
       printf "%d %.2f %d %d\n", r, (t > 0 ? d / hz * 1e6 / t : 0), e, (all > 0 && other > 0 ? 100 * other / all : 0)
     }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }

# Replace the block between <!-- NAME:start --> and <!-- NAME:end --> in
# docs/benchmarks.md with TEXT (when WRITE_DOCS=1).
write_docs_block() {
  local name=$1 text=$2
  [ "${WRITE_DOCS:-0}" = 1 ] || return 0
  python3 - "$BENCH_ROOT/docs/benchmarks.md" "$name" "$text" <<'PY'
import re, sys
path, name, text = sys.argv[1:4]
doc = open(path).read()
start, end = "<!-- %s:start -->" % name, "<!-- %s:end -->" % name
if start not in doc or end not in doc:
    sys.exit("bench: docs/benchmarks.md has no %s ... %s block" % (start, end))
block = start + "\n" + text.strip("\n") + "\n" + end
doc = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda m: block, doc, flags=re.S)
open(path, "w").write(doc)
PY
  bench_log "wrote the $name block of docs/benchmarks.md"
}
