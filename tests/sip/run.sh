#!/usr/bin/env bash
# tests/sip/run.sh - the SIP bridge's real media tests (tests/sip/*.test.mjs),
# inside a network namespace of their own.
#
# Janus ignores loopback interfaces when it gathers ICE candidates, so the
# namespace has a veth pair too: v0 holds 198.51.100.1/24 (a documentation
# range, TEST-NET-2) and carries the default route, which is also where
# baresip takes its media address from. The other end, v1, is up with no
# address and no peer beyond it: nothing sent can leave the namespace.
#
# The script re-runs itself under `unshare` with new network, PID and mount
# namespaces (root only; CI runs as root): when it ends, every process it
# started (Janus, baresip, sipp, the edge, Chromium) dies with the PID
# namespace and the veth pair with the network namespace, whatever happened.
# Without root or without a tool the run FAILS, it never skips. Last line:
# "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() {
  echo "tests/sip/run.sh: $1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

if [ "${C2C_IN_SIP_NETNS:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || fail "needs root to make a network namespace (unshare -n)"
  unshare -n true 2>/dev/null || fail "cannot make a network namespace (unshare -n)"
  exec unshare --net --pid --mount --fork --kill-child --mount-proc \
    env C2C_IN_SIP_NETNS=1 "$0" "$@"
fi

for tool in janus baresip sipp chromium ip; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (build.sh installs it)"
done

ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 198.51.100.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add default dev v0
if ip -o link show | grep -vE ' (lo|v0@v1|v1@v0):' | grep -q .; then
  fail "an unexpected interface is visible; refusing to run"
fi

out=$(node --test --test-concurrency=1 "${@:-tests/sip/}" 2>&1) && rc=0 || rc=$?
printf '%s\n' "$out" | grep -vE '^\s*(# Subtest|---|\.\.\.|duration_ms|type:)' | tail -n 150 >&2
pass=$(printf '%s\n' "$out" | sed -nE 's/^# pass ([0-9]+)$/\1/p' | tail -n1)
failed=$(printf '%s\n' "$out" | sed -nE 's/^# fail ([0-9]+)$/\1/p' | tail -n1)
echo "${pass:-0} passed, ${failed:-1} failed"
exit "$rc"
