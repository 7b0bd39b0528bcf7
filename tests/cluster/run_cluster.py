#!/usr/bin/env python3
"""Run tests/cluster/test_*.py (Redis, three c2c-edge nodes, haproxy) with
the integration runner: same output, same last line "N passed, M failed".

Usage: python3 tests/cluster/run_cluster.py [-k PATTERN]...
Env:   C2C_EDGE_BIN  the server binary (default: <repo>/build/c2c-edge)"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, HERE)

import run  # noqa: E402  (tests/integration/run.py)

WATCHDOG_S = 240  # each class starts its own cluster; kills and restarts wait for health checks

if __name__ == "__main__":
    sys.exit(run.main(sys.argv[1:], start_dir=HERE, watchdog_s=WATCHDOG_S))
