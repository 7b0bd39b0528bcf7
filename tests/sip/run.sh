#!/usr/bin/env bash
# tests/sip/run.sh - the SIP bridge's integration tests (tests/sip/test_*.py:
# the real c2c-edge, a real Janus and sipp user agents), inside a network
# namespace of their own.
#
# Janus ignores loopback interfaces when it gathers ICE candidates, so the
# namespace gets a veth pair with a documentation-range address
# (198.51.100.1/24 on v0, the default route on it); both ends stay inside
# the namespace, so nothing here can reach another machine. Needs root
# (unshare): without it the run FAILS, it never skips. The run also gets a
# pid namespace of its own, so no process it started can outlive it.
# C2C_EDGE_BIN picks the server binary. Last line: "N passed, M failed".
# With --bench it runs bench/sip_setup.py (call setup times) in the same
# namespace instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${C2C_SIP_NETNS:-}" != 1 ]; then
  if ! unshare --net --pid --fork --mount-proc true 2>/dev/null; then
    echo "tests/sip/run.sh: needs root for private network and pid namespaces (unshare)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  # a pid namespace too: when this run ends, however it ends, the kernel
  # kills whatever it started (Janus, sipp, the server) with it
  exec unshare --net --pid --fork --kill-child --mount-proc env C2C_SIP_NETNS=1 "$0" "$@"
fi
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 198.51.100.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add default dev v0
if [ "${1:-}" = --bench ]; then # bench/sip.sh: call setup times, same namespace
  exec python3 bench/sip_setup.py
fi
exec python3 tests/sip/run_sip.py "$@"
