"""`npm run test:spark`: the Spark runner against the CLI, on local[2], in one SparkSession.

- The three examples give the CLI's rows (`npx quiver run --output`): integers and strings
  equal, floats within 1e-9 relative, in the order the pipeline's last sort defines.
- A streamable module runs once per record batch, one instance per partition over at least 4
  partitions, compiled at most once per executor process (accumulators).
- The aggregate runs partial then final.
- A looping module (test-fixtures/spark/spin.c) fails its step with the CLI's message and the
  job fails cleanly naming the step.
- `npx quiver run --engine spark` end to end (its own Spark, in a child process).
"""

from __future__ import annotations

import copy
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from argparse import Namespace

import pyarrow as pa
from pyspark.sql import functions as F

from quiver_spark.__main__ import session
from quiver_spark.plan import Plan, PlanStep, load_plan
from quiver_spark.report import step_failure
from quiver_spark.runner import Runner

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EXAMPLES = ["flights-by-origin", "seattle-weather", "flights-delay-by-distance"]
#: Modules of seattle-weather also run in their ABI 1 build (a WASI command per run).
V1_MODULES = ["csv", "filter", "derive"]
#: Spark's rows per record batch handed to mapInArrow (spark.sql.execution.arrow.maxRecordsPerBatch).
BATCH_ROWS = 10_000

state: dict = {}


def npx_quiver(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["npx", "quiver", "run", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def setUpModule() -> None:
    tmp = tempfile.mkdtemp(prefix="quiver-test-spark-")
    modules = os.path.join(tmp, "modules")
    shutil.copytree(os.path.join(ROOT, "public", "modules"), modules)
    subprocess.run(
        [
            "clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-mexec-model=reactor",
            "-Wl,--strip-all", "-o", os.path.join(modules, "spin.wasm"),
            os.path.join(ROOT, "test-fixtures", "spark", "spin.c"),
        ],
        check=True,
    )
    # ABI 1 builds of the seattle-weather example's csv, filter and derive (modules/sdk/c-build.ts).
    v1 = os.path.join(tmp, "v1")
    shutil.copytree(modules, v1)
    build = ";".join(f"buildModuleWasm('{m}', 1, '{v1}/{m}.wasm')" for m in V1_MODULES)
    script = f"import {{ buildModuleWasm }} from './modules/sdk/c-build.ts'; {build}"
    subprocess.run(["npx", "tsx", "-e", script], cwd=ROOT, check=True)
    # seattle-weather with a count_distinct, which has no partial mode.
    with open(os.path.join(ROOT, "examples", "seattle-weather.quiver.json"), encoding="utf-8") as handle:
        doc = json.load(handle)
    aggregate = next(s for s in doc["steps"] if s["id"] == "aggregate")
    aggregate["params"]["aggregates"].append({"name": "winds", "op": "count_distinct", "column": "wind"})
    with open(os.path.join(tmp, "seattle-distinct.quiver.json"), "w", encoding="utf-8") as handle:
        json.dump(doc, handle)
    for name in [*EXAMPLES, "seattle-distinct"]:
        example = os.path.join(ROOT, "examples", f"{name}.quiver.json")
        if not os.path.exists(example):
            example = os.path.join(tmp, f"{name}.quiver.json")
        plan = os.path.join(tmp, f"{name}.plan.json")
        cli = os.path.join(tmp, f"{name}.arrow")
        for done in (npx_quiver(example, "--engine", "spark", "--plan", plan), npx_quiver(example, "--output", cli)):
            if done.returncode != 0:
                raise RuntimeError(f"npx quiver run {name}: {done.stderr}")
    state.update(tmp=tmp, modules=modules, v1=v1)
    state["spark"] = session(Namespace(master="local[2]", driver_memory="1g"))


def tearDownModule() -> None:
    if "spark" in state:
        state["spark"].stop()
    shutil.rmtree(state["tmp"], ignore_errors=True)


def plan_of(name: str) -> Plan:
    return load_plan(os.path.join(state["tmp"], f"{name}.plan.json"))


def example(name: str) -> tuple[Runner, pa.Table]:
    """The run of an example, done once and shared by the tests that look at it."""
    if name not in state:
        state[name] = run(plan_of(name))
    return state[name]


def run(plan: Plan, modules: str | None = None, log=lambda text: None) -> tuple[Runner, pa.Table]:
    runner = Runner(state["spark"], plan, modules or state["modules"], log=log)
    runner.build()
    step_id, port = plan.results[0]
    return runner, runner.result(step_id, port).toArrow()


def cli_table(name: str) -> pa.Table:
    with pa.OSFile(os.path.join(state["tmp"], f"{name}.arrow")) as source:
        return pa.ipc.open_stream(source).read_all()


class Examples(unittest.TestCase):
    """The examples give the same rows on Spark as with the CLI."""

    def assert_same_rows(self, expected: pa.Table, actual: pa.Table) -> None:
        self.assertEqual(expected.column_names, actual.column_names)
        self.assertEqual(expected.num_rows, actual.num_rows)
        for name in expected.column_names:
            for row, (e, a) in enumerate(zip(expected[name].to_pylist(), actual[name].to_pylist())):
                where = f"column {name!r} row {row}: CLI {e!r}, Spark {a!r}"
                if isinstance(e, float) and isinstance(a, float) and not (math.isnan(e) and math.isnan(a)):
                    self.assertTrue(math.isclose(e, a, rel_tol=1e-9), where)
                else:
                    self.assertEqual(e, a, where)

    def test_examples_equal_the_cli(self) -> None:
        for name in EXAMPLES:
            with self.subTest(example=name):
                _, table = example(name)
                self.assert_same_rows(cli_table(name), table)

    def test_abi1_commands_give_the_same_rows(self) -> None:
        plan = plan_of("seattle-weather")
        for step in plan.steps:
            if step.module_id in V1_MODULES:
                step.raw["module"]["abi"] = 1
        runner, table = run(plan, state["v1"])
        self.assert_same_rows(cli_table("seattle-weather"), table)
        self.assertEqual(runner.reports["filter"].metrics[""].calls.value, 1)


class Distribution(unittest.TestCase):
    """How steps spread over partitions and executors."""

    def test_streamable_module_runs_once_per_batch_across_partitions(self) -> None:
        runner, _ = example("flights-delay-by-distance")
        source = runner.frames[("source", "out")]
        per_partition = source.groupBy(F.spark_partition_id().alias("p")).count().collect()
        self.assertGreaterEqual(len(per_partition), 4)
        expected_calls = sum(math.ceil(r["count"] / BATCH_ROWS) for r in per_partition)
        metrics = runner.reports["filter"].metrics[""]
        self.assertEqual(metrics.calls.value, expected_calls)
        self.assertGreaterEqual(metrics.instances.value, 4)
        # Compiled at most once per Python worker process (a process reused by a later task
        # of the step finds the module compiled).
        self.assertGreaterEqual(metrics.compiles.value, 1)
        self.assertLessEqual(metrics.compiles.value, len(metrics.processes.value))

    def test_aggregate_runs_partial_then_final(self) -> None:
        runner, table = example("flights-by-origin")
        report = runner.reports["aggregate"]
        partial, final = report.metrics["partial"], report.metrics["final"]
        self.assertGreaterEqual(partial.instances.value, 4)
        self.assertGreater(partial.calls.value, 0)
        # Each partition's partial rows hold every origin it saw; the final has one per origin.
        self.assertGreater(partial.rows.value, final.rows.value)
        self.assertEqual(final.rows.value, 146)
        self.assertEqual(table.num_rows, 20)


    def test_aggregate_without_partial_mode_runs_on_one_partition_with_a_warning(self) -> None:
        warnings: list[str] = []
        runner, table = run(plan_of("seattle-distinct"), log=warnings.append)
        self.assertEqual(len(warnings), 1)
        self.assertIn('step "aggregate" (aggregate) runs on a single partition', warnings[0])
        self.assertIn("count_distinct has no partial mode", warnings[0])
        self.assertEqual(runner.reports["aggregate"].metrics[""].instances.value, 1)
        Examples.assert_same_rows(self, cli_table("seattle-distinct"), table)


class Limits(unittest.TestCase):
    """A step's limits hold per task, with the CLI's messages."""

    def test_looping_module_times_out_naming_the_step(self) -> None:
        raw = copy.deepcopy(plan_of("flights-delay-by-distance"))
        source = raw.step("source")
        filter_step = raw.step("filter")
        spin = copy.deepcopy(filter_step.raw)
        spin.update(id="spin", moduleId="spin", params={}, limits={"timeoutMs": 1000, "maxMemoryMiB": 64})
        spin["schemas"] = dict(source.raw["schemas"])
        filter_step.raw["inputs"]["in"] = {"step": "spin", "port": "out"}
        raw.steps.insert(1, PlanStep(spin))
        with self.assertRaises(Exception) as caught:
            run(raw)
        # The CLI says `step "<id>" failed: timed out after <timeoutMs> ms` (main.ts, supervisor.ts).
        self.assertEqual(step_failure(caught.exception), 'step "spin" failed: timed out after 1000 ms')


class CommandLine(unittest.TestCase):
    """`npx quiver run --engine spark` spawns the runner and reports each step."""

    def test_cli_runs_an_example_on_spark(self) -> None:
        output = os.path.join(state["tmp"], "seattle-spark.arrow")
        done = npx_quiver(
            "examples/seattle-weather.quiver.json", "--engine", "spark", "--master", "local[1]",
            "--output", output,
        )
        self.assertEqual(done.returncode, 0, done.stderr[-2000:])
        self.assertIn('Result of step "sort"', done.stdout)
        self.assertRegex(done.stdout, r"aggregate\s+aggregate\s+4\s")
        with pa.OSFile(output) as source:
            Examples.assert_same_rows(self, cli_table("seattle-weather"), pa.ipc.open_stream(source).read_all())


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
