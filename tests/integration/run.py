#!/usr/bin/env python3
"""Run the c2c-edge integration tests: tests/integration/test_*.py.

Usage: python3 tests/integration/run.py [-k PATTERN]... (works from any cwd)
Env:   C2C_EDGE_BIN  the server binary (default: <repo>/build/c2c-edge)

Prints every test (verbosity 2), then a last line exactly "N passed, M
failed": skips count as neither, errors (fixture errors included) count as
failed, a test with failing subtests counts once. Exits 1 if anything
failed. A watchdog ends the run if it ever hangs.
"""

import faulthandler
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
WATCHDOG_S = 200  # the suite takes well under this; a hang must not stall CI


class CountingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed_ids = []
        self.failed_ids = []

    def _fail(self, test):
        tid = test.id()
        if tid not in self.failed_ids:
            self.failed_ids.append(tid)

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed_ids.append(test.id())

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(test)

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(test)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._fail(test)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.passed_ids.append(test.id())

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._fail(test)


def main(argv, start_dir=HERE, watchdog_s=WATCHDOG_S):
    """Run the test_*.py of start_dir (tests/sip/run_sip.py passes its own)."""
    sys.path.insert(0, HERE)
    faulthandler.dump_traceback_later(watchdog_s, exit=True)
    import edge  # noqa: E402  (after the path tweak)

    binary = edge.edge_bin()
    print("c2c-edge binary: %s" % binary, flush=True)
    loader = unittest.TestLoader()
    patterns = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "-k"]
    if patterns:
        loader.testNamePatterns = ["*%s*" % p if "*" not in p else p for p in patterns]
    if not os.access(binary, os.X_OK):
        print("c2c-edge binary not found or not executable: %s" % binary)
        print("0 passed, 1 failed")
        return 1
    suite = loader.discover(start_dir, pattern="test_*.py", top_level_dir=start_dir)
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=CountingResult)
    result = runner.run(suite)
    # Sub-test failures of a test that otherwise passed are counted failed only.
    passed = len([t for t in result.passed_ids if t not in result.failed_ids])
    failed = len(result.failed_ids)
    if passed == 0 and failed == 0:
        failed = 1  # nothing ran: that is a failure, not a pass
    sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
