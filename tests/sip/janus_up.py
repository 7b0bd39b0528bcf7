#!/usr/bin/env python3
"""Starts one Janus for the media tests (tests/sip/phone.mjs) with the
integration tests' own bench (sipnet.Janus: only the SIP plugin and the HTTP
transport, on a free port), prints its HTTP API URL on one line, and keeps it
running until stdin closes or a SIGTERM comes; then stops it and removes its
directory. Exit 1 with the reason on stderr when Janus does not start.
Runs inside tests/sip/run.sh's namespace."""

import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sipnet  # noqa: E402


def main():
    janus = sipnet.Janus()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        janus.start()
        print(janus.url, flush=True)
        sys.stdin.read()  # until the parent closes it (or dies)
    except AssertionError as e:
        print("janus_up.py: %s" % e, file=sys.stderr)
        return 1
    finally:
        janus.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
