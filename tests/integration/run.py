#!/usr/bin/env python3
"""Runs every tests/integration/test_*.py (unittest) against the phare binary
named by $PHARE (default build/phare) and prints "<suite>: N passed, N failed".
The suite name is "integration", or "sanitize-integration" when
$PHARE_SANITIZE is set.  Arguments select test modules by name."""
import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)


class CountingResult(unittest.TextTestResult):
    pass


def main():
    suite_name = "sanitize-integration" if os.environ.get("PHARE_SANITIZE") else "integration"
    loader = unittest.TestLoader()
    if len(sys.argv) > 1:
        suite = unittest.TestSuite(loader.loadTestsFromName(n) for n in sys.argv[1:])
    else:
        suite = loader.discover(here, pattern="test_*.py", top_level_dir=here)
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout, resultclass=CountingResult)
    result = runner.run(suite)
    # a test counts once however many of its subtests failed (each is in result.failures)
    bad = [t for t, _ in result.failures + result.errors] + list(result.unexpectedSuccesses)
    failed = len({getattr(t, "test_case", t).id() for t in bad})
    passed = result.testsRun - failed - len(result.skipped)
    print(f"{suite_name}: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
