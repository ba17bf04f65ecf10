"""The Wasmtime host alone (no Spark): the limits fail a module with the JS host's messages."""

from __future__ import annotations

import os
import subprocess
import tempfile
import unittest

from quiver_spark import wasm_host

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def build(source: str, reactor: bool) -> bytes:
    """A test fixture built with clang-19 for wasm32-wasi (as test-fixtures/runtime/build.ts)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "fixture.wasm")
        model = ["-mexec-model=reactor"] if reactor else []
        subprocess.run(
            ["clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", *model, "-o", out,
             os.path.join(ROOT, source)],
            check=True,
        )
        with open(out, "rb") as handle:
            return handle.read()


class Limits(unittest.TestCase):
    def test_memory_cap_fails_a_growing_command_with_the_memory_message(self) -> None:
        wasm = build("test-fixtures/runtime/grow.c", reactor=False)
        limits = wasm_host.Limits(timeout_ms=30_000, max_memory_mib=32)
        with self.assertRaises(wasm_host.ModuleFailure) as caught:
            wasm_host.run_command(wasm, limits, {}, wasm_host.Budget(30_000), {}, ["out"])
        self.assertEqual(str(caught.exception), "memory limit of 32 MiB exceeded")

    def test_time_limit_stops_a_looping_reactor(self) -> None:
        wasm = build("test-fixtures/spark/spin.c", reactor=True)
        limits = wasm_host.Limits(timeout_ms=300, max_memory_mib=16)
        budget = wasm_host.Budget(300)
        instance = wasm_host.Reactor(wasm, limits, {}, 1, budget)
        instance.begin(b"{}")
        instance.push(0, b"schema")
        with self.assertRaises(wasm_host.ModuleFailure) as caught:
            instance.push(0, b"batch")
        self.assertEqual(str(caught.exception), "timed out after 300 ms")
        self.assertLess(budget.used_ms, 3_000)

    def test_a_module_is_compiled_once_per_process(self) -> None:
        wasm = build("test-fixtures/spark/spin.c", reactor=True)
        before = wasm_host.compile_count
        for _ in range(3):
            wasm_host.Reactor(wasm, wasm_host.Limits(1000, 16), {}, 1, wasm_host.Budget(1000))
        self.assertEqual(wasm_host.compile_count - before, 1)


if __name__ == "__main__":
    unittest.main()
