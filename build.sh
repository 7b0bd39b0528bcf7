#!/usr/bin/env bash
# build.sh - the one entry point: install what is missing, build, run, test.
#
#   ./build.sh          build build/c2c-edge and dist/ (quiet unless something fails)
#   ./build.sh run      build, then start the edge server in demo mode on 127.0.0.1:8080
#                       (run --tls: https on 127.0.0.1:8443 with a local CA in .tls-local/)
#   ./build.sh test     build, then every test; ends with "N passed, M failed"
#   ./build.sh cluster  build, then Redis, three edge nodes sharing it (--store redis://) and
#                       haproxy round-robin on 127.0.0.1:8080, files in .cluster/; Ctrl-C stops all
#   ./build.sh bench    build, then the load and soak benchmarks (bench/run.sh; names
#                       after "bench" pick parts: static api sse slowloris latency soak tls)
#   ./build.sh clean    remove build outputs
#
# System packages come from Debian (apt-get, as root); nothing third-party is
# kept in this repository.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
JOBS=$(nproc 2>/dev/null || echo 2)

BUILD_PACKAGES=(gcc make cmake pkg-config libuv1-dev libcjson-dev libmbedtls-dev libssl-dev libsqlite3-dev libhiredis-dev
                node-llhttp brotli gzip emscripten binaryen nodejs)
TEST_PACKAGES=(python3 openssl curl chromium iproute2 util-linux redis-server haproxy clang libclang-rt-14-dev
               janus janus-tools sox baresip-core sip-tester)
BENCH_PACKAGES=(nginx libnginx-mod-http-brotli-static wrk python3 procps openssl valgrind redis-server redis-tools)

log() { printf '%s\n' "build.sh: $*" >&2; }

# Install the Debian packages in "$@" that are not installed yet.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "need root to install: ${missing[*]}"; exit 1; }
    sudo=sudo
  fi
  log "installing ${missing[*]}"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The npm packages of package-lock.json (esbuild, typescript, react,
# playwright-core, bootstrap), installed again whenever the lockfile changes.
ensure_npm() {
  command -v npm >/dev/null || ensure_packages npm
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

# Configure (once) and build one CMake tree quietly; show the log on failure.
cmake_build() {
  local dir=$1; shift
  mkdir -p "$dir"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$dir" "$@" >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
  fi
  cmake --build "$dir" -j"$JOBS" >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
}

# Precompress every compressible asset in dist/ whose .br/.gz is missing or stale.
precompress_dist() {
  local f
  while IFS= read -r -d '' f; do
    [ "$f.br" -nt "$f" ] || brotli -n -f -q 11 -o "$f.br" "$f" # -n: a fresh mtime
    [ "$f.gz" -nt "$f" ] || gzip -9 -n -c "$f" >"$f.gz"
  done < <(find dist -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.css' -o -name '*.html' \
              -o -name '*.svg' -o -name '*.json' -o -name '*.wasm' -o -name '*.txt' \) -print0)
  # brotli writes its output 0600; a server running as another user must read
  # every built file.
  chmod -R a+rX dist
}

# A local CA and a certificate for 127.0.0.1, ::1 and localhost in .tls-local/
# (git-ignored), for `./build.sh run --tls`; made again when it is about to
# expire. Import .tls-local/ca.pem into a browser to trust it.
make_local_cert() {
  local d=.tls-local
  mkdir -p "$d"
  if [ ! -f "$d/ca.pem" ] || ! openssl x509 -in "$d/ca.pem" -noout -checkend 86400 >/dev/null; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$d/ca.key"
    openssl req -x509 -new -key "$d/ca.key" -subj "/CN=c2c local CA" -days 825 -out "$d/ca.pem"
    rm -f "$d/localhost.pem"
  fi
  if [ ! -f "$d/localhost.pem" ] ||
     ! openssl x509 -in "$d/localhost.pem" -noout -checkend 86400 >/dev/null; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$d/localhost.key"
    openssl req -new -key "$d/localhost.key" -subj "/CN=localhost" -out "$d/localhost.csr"
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n' >"$d/localhost.ext"
    openssl x509 -req -in "$d/localhost.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
      -CAcreateserial -days 90 -extfile "$d/localhost.ext" -out "$d/localhost.pem" 2>/dev/null
  fi
  log "https with a local CA: trust $ROOT/$d/ca.pem (or curl --cacert $d/ca.pem)"
}

build_all() {
  ensure_packages "${BUILD_PACKAGES[@]}"
  cmake_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
  ensure_npm
  mkdir -p dist/vendor
  widget/build.sh dist >build/widget-size.txt || { cat build/widget-size.txt; exit 1; }
  cat build/widget-size.txt >&2
  [ ! -f web/react/tsconfig.json ] || npx --no-install tsc -p web/react >/dev/null
  # The agent console's JSDoc types (plain ES modules, nothing emitted).
  [ ! -f web/agent/tsconfig.json ] || npx --no-install tsc -p web/agent
  # The demo page's Bootstrap, from npm (never committed).
  cp node_modules/bootstrap/dist/css/bootstrap.min.css dist/vendor/bootstrap.min.css
  precompress_dist
}

# Run a command whose last line is "N passed, M failed"; add to the totals.
PASSED=0; FAILED=0
tally() {
  local name=$1; shift
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  printf '%s\n' "$out" | tail -n 40 >&2
  local line; line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n1 || true)
  if [ -z "$line" ]; then
    log "$name: no summary line (exit $rc); counted as one failure"
    FAILED=$((FAILED + 1)); return
  fi
  local p f; p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  log "$name: $p passed, $f failed"
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
}

# ctest's own summary, turned into the common "N passed, M failed" line.
ctest_summary() {
  local dir=$1 out rc=0
  out=$(cd "$dir" && ctest --output-on-failure -j"$JOBS" 2>&1) || rc=$?
  printf '%s\n' "$out" | grep -vE '^\s*(Start|[0-9]+/[0-9]+ Test)' >&2 || true
  local total failed
  total=$(printf '%s\n' "$out" | sed -nE 's/.*tests passed, ([0-9]+) tests failed out of ([0-9]+).*/\2/p')
  failed=$(printf '%s\n' "$out" | sed -nE 's/.*tests passed, ([0-9]+) tests failed out of ([0-9]+).*/\1/p')
  [ -n "$total" ] || { echo "0 passed, 1 failed"; return 1; }
  echo "$((total - failed)) passed, $failed failed"
  return "$rc"
}

# node --test's own summary ("# pass N", "# fail M"), turned into the common line.
node_summary() {
  local out rc=0
  out=$(node --test --test-concurrency=1 "$@" 2>&1) || rc=$?
  printf '%s\n' "$out" | grep -E '^\s*not ok|^# (pass|fail)' >&2 || true
  [ "$rc" -eq 0 ] || printf '%s\n' "$out" | grep -vE '^\s*(ok |# Subtest|---|\.\.\.|duration_ms)' | tail -n 80 >&2
  local p f
  p=$(printf '%s\n' "$out" | sed -nE 's/^# pass ([0-9]+)$/\1/p' | tail -n1)
  f=$(printf '%s\n' "$out" | sed -nE 's/^# fail ([0-9]+)$/\1/p' | tail -n1)
  [ -n "$p" ] || { echo "0 passed, 1 failed"; return 1; }
  echo "$p passed, $f failed"
  return "$rc"
}

run_tests() {
  ensure_packages "${TEST_PACKAGES[@]}"
  cmake_build build-asan -DCMAKE_BUILD_TYPE=Debug -DEDGE_SANITIZE=ON
  tally "unit tests" ctest_summary build
  tally "unit tests (ASan/UBSan)" ctest_summary build-asan
  tally "integration (release build)" env C2C_EDGE_BIN="$ROOT/build/c2c-edge" \
    python3 tests/integration/run.py
  tally "integration (ASan/UBSan build)" env C2C_EDGE_BIN="$ROOT/build-asan/c2c-edge" \
    python3 tests/integration/run.py
  tally "cluster (Redis, three nodes, haproxy; release build)" env C2C_EDGE_BIN="$ROOT/build/c2c-edge" \
    python3 tests/cluster/run_cluster.py
  tally "SIP bridge (Janus, sipp, baresip, the widget in Chromium; private netns; release build)" \
    env C2C_EDGE_BIN="$ROOT/build/c2c-edge" tests/sip/run.sh
  tally "SIP bridge (Janus, sipp, baresip, the widget in Chromium; private netns; ASan/UBSan build)" \
    env C2C_EDGE_BIN="$ROOT/build-asan/c2c-edge" tests/sip/run.sh
  tally "browser (Chromium, release build)" node_summary tests/browser/*.test.mjs
  tally "React wrapper" node_summary web/react/test/*.test.mjs
  tally "end to end (Chromium in a loopback-only netns)" tests/e2e/run.sh
  tally "fuzzing (libFuzzer, short runs; clang build in build-fuzz)" tests/fuzz/run.sh
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

case "${1:-build}" in
  build) build_all ;;
  run)
    build_all
    mkdir -p data
    if [ "${2:-}" = "--tls" ]; then
      ensure_packages openssl
      make_local_cert
      exec build/c2c-edge --demo --listen 127.0.0.1:8443 --tls-cert .tls-local/localhost.pem \
        --tls-key .tls-local/localhost.key --data data --static dist --static web
    fi
    exec build/c2c-edge --demo --listen 127.0.0.1:8080 --data data --static dist --static web ;;
  cluster)
    build_all
    ensure_packages redis-server haproxy python3
    exec python3 tests/cluster/cluster.py --dir .cluster --port 8080 --redis-port 6390 \
      --static dist --static web -- --demo ;;
  test) build_all; run_tests ;;
  bench)
    build_all
    ensure_packages "${BENCH_PACKAGES[@]}"
    cmake_build build-asan -DCMAKE_BUILD_TYPE=Debug -DEDGE_SANITIZE=ON # the soak's ASan run
    shift
    exec bench/run.sh "$@" ;;
  clean) rm -rf build build-asan build-wasm build-fuzz dist web/react/dist ;;
  *) echo "usage: ./build.sh [build|run|cluster|test|bench|clean]" >&2; exit 2 ;;
esac
