#!/usr/bin/env python3
"""Run tests/sip/test_*.py with the integration runner (same output, same
last line "N passed, M failed"). Only ever started by tests/sip/run.sh,
inside the namespace it prepares."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, HERE)

import run  # noqa: E402  (tests/integration/run.py)

WATCHDOG_S = 240  # Janus and sipp start per test class; well under this

if __name__ == "__main__":
    if os.environ.get("C2C_SIP_NETNS") != "1":
        print("tests/sip/run_sip.py: start it through tests/sip/run.sh (a private netns)")
        print("0 passed, 1 failed")
        sys.exit(1)
    sys.exit(run.main(sys.argv[1:], start_dir=HERE, watchdog_s=WATCHDOG_S))
