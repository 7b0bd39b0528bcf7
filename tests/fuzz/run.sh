#!/usr/bin/env bash
# tests/fuzz/run.sh - build the libFuzzer targets and run them.
#
#   tests/fuzz/run.sh                  every target: replay its regressions, then fuzz
#                                      for C2C_FUZZ_SECONDS (8) with -seed=1; one test each
#   tests/fuzz/run.sh --long [SECS]    fuzz each target SECS seconds (600), random seed,
#                                      keeping the corpus in build-fuzz/corpus/ between runs
#   tests/fuzz/run.sh ... TARGET...    only these targets (http_request, jwt, route_json,
#                                      widget_core, tls_record)
#
# Targets are tests/fuzz/fuzz_<name>.c, built with clang into build-fuzz/
# (cmake -DC2C_FUZZ=ON). Seeds are tests/fuzz/corpus/<name>/; an input that
# once crashed is tests/fuzz/regressions/<name>/<file> and is run on every
# run; tests/fuzz/<name>.dict is handed to libFuzzer when present. A short
# run fuzzes a copy of the seeds in a temporary directory, so the tree is
# not touched. A crash, leak, hang (> 10 s) or sanitizer report fails the
# target; its input is kept in build-fuzz/artifacts/<name>/. Ends with
# "N passed, M failed" (build.sh's tally reads it).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
FUZZ=$ROOT/tests/fuzz
BUILD=${C2C_FUZZ_BUILD:-$ROOT/build-fuzz}
SECONDS_EACH=${C2C_FUZZ_SECONDS:-8}
LONG=0

if [ "${1:-}" = "--long" ]; then
  LONG=1; shift
  SECONDS_EACH=600
  if [[ "${1:-}" =~ ^[0-9]+$ ]]; then SECONDS_EACH=$1; shift; fi
fi

say() { printf '%s\n' "$*" >&2; }

build() {
  mkdir -p "$BUILD"
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    CC=${C2C_FUZZ_CC:-clang} cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Fuzz -DC2C_FUZZ=ON \
      >"$BUILD/configure.log" 2>&1 || { tail -n 30 "$BUILD/configure.log" >&2; return 1; }
  fi
  cmake --build "$BUILD" -j"$(nproc 2>/dev/null || echo 2)" --target fuzz >"$BUILD/build.log" 2>&1 ||
    { grep -E 'error|Error' "$BUILD/build.log" | head -n 30 >&2; return 1; }
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in "$FUZZ"/fuzz_*.c; do
    name=$(basename "$src" .c); name=${name#fuzz_}
    [ "$name" = app ] || targets+=("$name")
  done
fi

start=$(date +%s)
if ! build; then
  say "fuzz: the clang build failed (log: $BUILD/build.log)"
  echo "0 passed, ${#targets[@]} failed"
  exit 1
fi
say "fuzz: built in $(($(date +%s) - start)) s"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/c2c-fuzz-run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export TMPDIR=$WORK # the server fixture puts its data directory here
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Keep what a failed run left (crash-*, leak-*, timeout-*) and show its end.
report_failure() {
  local name=$1 log=$2 dir=$3
  mkdir -p "$BUILD/artifacts/$name"
  find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) -exec cp {} "$BUILD/artifacts/$name/" \;
  grep -aE 'ERROR|SUMMARY|runtime error|^fuzz' "$log" | head -n 20 >&2
  say "fuzz: $name failed; log $log kept as $BUILD/artifacts/$name/log"
  cp "$log" "$BUILD/artifacts/$name/log"
}

# Run one target: regressions once each, then fuzzing. 0 when both pass.
run_target() {
  local name=$1 bin=$BUILD/fuzz_$1 dir=$WORK/$1
  [ -x "$bin" ] || { say "fuzz: no target $name"; return 1; }
  mkdir -p "$dir/corpus"
  local regs=()
  if [ -d "$FUZZ/regressions/$name" ]; then
    mapfile -t regs < <(find "$FUZZ/regressions/$name" -type f | sort)
  fi
  if [ ${#regs[@]} -gt 0 ] && ! "$bin" -artifact_prefix="$dir/" "${regs[@]}" >"$dir/replay.log" 2>&1; then
    report_failure "$name" "$dir/replay.log" "$dir"
    return 1
  fi
  local corpus=$dir/corpus seed=1
  if [ "$LONG" = 1 ]; then
    corpus=$BUILD/corpus/$name; seed=0
    mkdir -p "$corpus"
  fi
  [ -d "$FUZZ/corpus/$name" ] && cp -n "$FUZZ/corpus/$name"/* "$corpus/" 2>/dev/null
  local args=(-max_total_time="$SECONDS_EACH" -seed="$seed" -timeout=10 -rss_limit_mb=2560
              -artifact_prefix="$dir/" -print_final_stats=1)
  [ -f "$FUZZ/$name.dict" ] && args+=(-dict="$FUZZ/$name.dict")
  if ! "$bin" "${args[@]}" "$corpus" >"$dir/fuzz.log" 2>&1; then
    report_failure "$name" "$dir/fuzz.log" "$dir"
    return 1
  fi
  local runs; runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$dir/fuzz.log")
  say "ok   $name: ${#regs[@]} regressions, ${runs:-?} inputs in $SECONDS_EACH s"
  return 0
}

passed=0; failed=0
for name in "${targets[@]}"; do
  if run_target "$name"; then passed=$((passed + 1)); else failed=$((failed + 1)); say "FAIL $name"; fi
done
say "fuzz: $(($(date +%s) - start)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
