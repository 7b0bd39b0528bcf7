#!/usr/bin/env bash
# tests/sip/netns.sh - sourced by tests/sip/run.sh and bench/sip.sh: the
# private network the SIP bridge's tests and benchmark run in.
#
#   sip_netns_enter SCRIPT ARGS...  unless already inside (C2C_SIP_NETNS=1),
#       re-runs SCRIPT with ARGS under `unshare` with new network, PID and
#       mount namespaces (root only): when SCRIPT ends, every process it
#       started dies with the PID namespace and the network with the network
#       namespace, whatever happened. Returns only inside.
#   sip_netns_up  brings lo up and makes the veth pair: v0 with
#       198.51.100.1/24 (TEST-NET-2) and the default route (Janus ignores
#       loopback when it gathers ICE candidates; baresip takes its media
#       address from the default route), v1 up with no address and nothing
#       beyond it, so nothing sent can leave the namespace.
# Both print the reason and return 1 on failure.

sip_netns_enter() {
  [ "${C2C_SIP_NETNS:-}" = 1 ] && return 0
  if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
    echo "$1: needs root for a private network namespace (unshare -n)" >&2
    return 1
  fi
  exec unshare --net --pid --mount --fork --kill-child --mount-proc \
    env C2C_SIP_NETNS=1 "$@"
}

sip_netns_up() {
  ip link set lo up &&
    ip link add v0 type veth peer name v1 &&
    ip addr add 198.51.100.1/24 dev v0 &&
    ip link set v0 up && ip link set v1 up &&
    ip route add default dev v0 || return 1
  if ip -o link show | grep -vE ' (lo|v0@v1|v1@v0):' | grep -q .; then
    echo "an unexpected interface is visible in the namespace; refusing to run" >&2
    return 1
  fi
}
