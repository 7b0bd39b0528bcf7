#!/usr/bin/env python3
"""Starts one part of the SIP tests' bench (sipnet.py) for the media tests
(tests/sip/phone.mjs) and keeps it until stdin closes or a SIGTERM comes;
then stops it and removes its files. Runs inside tests/sip/run.sh's
namespace.

  serve.py janus          Janus (only the SIP plugin and the HTTP transport,
                          on a free port); prints its HTTP API URL
  serve.py sipp NAME      a sipp phone running sipnet's scenario NAME (busy,
                          decline, ring_forever, ...) for one call; prints
                          its URI, sip:{number}@198.51.100.1:PORT

Exit 1 with the reason on stderr when the part does not start."""

import os
import shutil
import signal
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sipnet  # noqa: E402


def start(argv):
    """The part argv names, started: (what to print, how to clean up)."""
    if argv[:1] == ["janus"]:
        janus = sipnet.Janus()
        try:
            janus.start()
        except AssertionError:
            janus.cleanup()
            raise
        return janus.url, janus.cleanup
    if argv[:1] == ["sipp"] and len(argv) == 2 and argv[1] in sipnet.SCENARIOS:
        tmp = tempfile.mkdtemp(prefix="c2c-sipp-")
        sipp = sipnet.Sipp(argv[1], tmp).start()

        def cleanup():
            sipp.kill()
            shutil.rmtree(tmp, ignore_errors=True)
        return sipp.uri(), cleanup
    raise AssertionError("usage: serve.py janus | serve.py sipp SCENARIO")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        line, cleanup = start(sys.argv[1:])
    except AssertionError as e:
        print("serve.py: %s" % e, file=sys.stderr)
        return 1
    try:
        print(line, flush=True)
        sys.stdin.read()  # until the parent closes it (or dies)
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
