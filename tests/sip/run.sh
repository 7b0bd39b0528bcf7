#!/usr/bin/env bash
# tests/sip/run.sh - the SIP bridge's tests, inside a network namespace of
# their own: the integration tests (tests/sip/test_*.py: the real c2c-edge,
# a real Janus and sipp user agents) and the real media tests
# (tests/sip/*.test.mjs: the widget in Chromium calling a baresip phone
# through Janus).
#
# The namespace (tests/sip/netns.sh) has a veth pair with 198.51.100.1 on
# v0 and the default route on it, since Janus ignores loopback interfaces
# when it gathers ICE candidates; nothing here can reach another machine,
# and every process started (Janus, sipp, baresip, the edge, Chromium) dies
# with the script's PID namespace, whatever happened. Needs root (CI runs
# as root): without it, or without a tool, the run FAILS, it never skips.
# C2C_EDGE_BIN picks the server binary; arguments go to the Python runner
# (-k PATTERN); C2C_SIP_PARTS picks "py", "media" or both (default). Last
# line: "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() {
  echo "tests/sip/run.sh: $1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

source tests/sip/netns.sh
sip_netns_enter "$(realpath "$0")" "$@" || fail "cannot make its network namespace"

for tool in janus sipp baresip chromium ip python3 node; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (build.sh installs it)"
done
sip_netns_up || fail "cannot set up the namespace's network"

parts=${C2C_SIP_PARTS:-py media}
pass=0 failed=0 rc=0
count() { # adds the "N passed, M failed" line of $1 to the totals
  local line p f
  line=$(printf '%s\n' "$1" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n1 || true)
  [ -n "$line" ] || line="0 passed, 1 failed"
  p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
  pass=$((pass + p)); failed=$((failed + f))
}

if [[ " $parts " == *" py "* ]]; then
  out=$(python3 tests/sip/run_sip.py "$@" 2>&1) || rc=1
  printf '%s\n' "$out" | sed -nE '/^(FAIL|ERROR): /,/^-{20,}$/p' >&2 # every failure, whole
  printf '%s\n' "$out" | tail -n 60 >&2
  count "$out"
fi

if [[ " $parts " == *" media "* ]]; then
  out=$(node --test --test-concurrency=1 tests/sip/*.test.mjs 2>&1) || rc=1
  printf '%s\n' "$out" | grep -vE '^\s*(# Subtest|---|\.\.\.|duration_ms|type:)' | tail -n 150 >&2
  p=$(printf '%s\n' "$out" | sed -nE 's/^# pass ([0-9]+)$/\1/p' | tail -n1)
  f=$(printf '%s\n' "$out" | sed -nE 's/^# fail ([0-9]+)$/\1/p' | tail -n1)
  count "${p:-0} passed, ${f:-1} failed"
fi

echo "$pass passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
