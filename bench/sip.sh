#!/usr/bin/env bash
# bench/sip.sh - call setup through the SIP bridge (bench/sip_setup.py): dial
# to INVITE and 200 OK to CONNECTED, median and p95 over CALLS calls (20),
# with a real Janus and a sipp user agent inside the SIP tests' private
# network namespace (tests/sip/run.sh --bench; needs root). EDGE picks the
# binary (default build/c2c-edge).
set -euo pipefail
cd "$(dirname "$0")/.."
export C2C_EDGE_BIN="${EDGE:-$PWD/build/c2c-edge}"
exec tests/sip/run.sh --bench
