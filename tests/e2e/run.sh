#!/usr/bin/env bash
# tests/e2e/run.sh - the end-to-end browser tests, inside a loopback-only
# network namespace.
#
# WebRTC between two pages needs ICE candidates, and Chromium only offers
# candidates on 127.0.0.1 when it runs where loopback is the only interface
# (../shared/reference/toolchain.md): anywhere else it would offer the
# machine's real addresses. So this script re-runs itself under
# `unshare -n` (root), brings `lo` up, and runs node's test runner there
# with the edge server and Chromium as its children: nothing in the
# namespace can reach another address. Last line: "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${C2C_IN_NETNS:-}" != 1 ]; then
  exec unshare -n env C2C_IN_NETNS=1 "$0" "$@"
fi
ip link set lo up
if ip -o link show | grep -v ' lo:' | grep -q .; then
  echo "tests/e2e/run.sh: a non-loopback interface is visible; refusing to run" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

out=$(node --test --test-concurrency=1 "${@:-tests/e2e/}" 2>&1) && rc=0 || rc=$?
printf '%s\n' "$out" | grep -vE '^\s*(# Subtest|---|\.\.\.|duration_ms|type:)' | tail -n 120 >&2
pass=$(printf '%s\n' "$out" | sed -nE 's/^# pass ([0-9]+)$/\1/p' | tail -n1)
fail=$(printf '%s\n' "$out" | sed -nE 's/^# fail ([0-9]+)$/\1/p' | tail -n1)
echo "${pass:-0} passed, ${fail:-1} failed"
exit "$rc"
