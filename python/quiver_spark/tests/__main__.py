"""`python -m tests` (from python/quiver_spark): runs the tests and ends with the plain line
`spark: N passed, N failed`; the exit status is 1 if any failed."""

import os
import sys
import unittest

from tests import shared

suite = unittest.defaultTestLoader.discover("tests", top_level_dir=".")
result = unittest.TextTestRunner(verbosity=2).run(suite)
shared.teardown()
failed = len(result.failures) + len(result.errors)
print(f"spark: {result.testsRun - failed} passed, {failed} failed")
sys.stdout.flush()
sys.stderr.flush()
# Without the interpreter's teardown: Wasmtime's WASI threads may panic (and abort the process)
# when Python finalizes under them.
os._exit(1 if failed or result.testsRun == 0 else 0)
